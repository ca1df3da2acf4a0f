"""The rest of the audit: the demo banner stays while the demo is in force; a full store or disk gives
a clear message and no import without its original; a database of a newer schema is refused; the
app started during a command-line import waits and says so; upload folders do not stay behind."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import time

import duckdb
import pytest

from etl import uploads
from etl.importer import import_file
from etl.messages import problem_text
from tests.conftest import ROOT
from tests.test_app import run_app
from tests.test_revert import dump
from tests.test_template_xlsx import ORG, filled_template, twenty_statuses
from tests.test_upload import UPLOAD, XLSX, signed_in
from upr import accounts as acc
from upr import db
from upr.i18n import t


@pytest.fixture
def con(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    connection = db.connect(demo_copy)
    yield connection
    connection.close()


@pytest.fixture
def editor(tmp_path, monkeypatch):
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("UPR_ACCOUNTS", str(path))
    acc.add_account(acc.make_account("ngo1", "editor", "ngo1-password", organisation=ORG, source_kind="ngo"), path)
    return path


def test_the_demo_banner_stays_while_the_demo_is_in_force(app_db, editor, tmp_path):
    con = db.connect(app_db)
    data = filled_template(con, tmp_path / "u.xlsx", twenty_statuses()).read_bytes()
    con.close()
    at = run_app("en", UPLOAD, auth_user=signed_in("ngo1"))
    at.file_uploader(key="upload_file").upload("u.xlsx", data, XLSX)
    at.run()
    at.button(key="upload_confirm").click().run()
    assert at.success
    at = run_app("en")
    assert at.info[0].value == t("common.demo_banner", "en")  # every text, State and other assessment is the demo's


def test_no_demo_no_banner(app_db):
    con = duckdb.connect(str(app_db))
    con.execute("UPDATE import SET reverted_at = now() WHERE format = 'demo'")
    con.execute("INSERT INTO import SELECT 99, 'real.csv', 'x', 'upr_info', 'boss', now(), 0, 0, 0, 0, 0, NULL, NULL")
    con.close()
    at = run_app("en")
    assert not any(i.value == t("common.demo_banner", "en") for i in at.info)


def test_a_full_store_refuses_the_import_and_leaves_nothing(con, tmp_path, monkeypatch):
    path = filled_template(con, tmp_path / "u.xlsx", twenty_statuses())
    before = dump(con)

    def full(src, dst, *args, **kwargs):
        with open(dst, "wb") as fh:
            fh.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("etl.importer.shutil.copyfile", full)
    report = import_file(con, path, who="ngo1", allowed_organisation=ORG)
    assert report.import_id is None and [p.code for p in report.errors] == ["store_full"]
    assert "ENOSPC" in problem_text(report.errors[0], "ru") and "сохранить оригинал" in problem_text(
        report.errors[0], "ru"
    )
    assert dump(con) == before
    assert not [p for p in (tmp_path / "store").rglob("*") if p.is_file()]  # no .part left behind


def test_a_full_disk_at_commit_is_a_message_and_keeps_no_original(con, tmp_path, monkeypatch):
    path = filled_template(con, tmp_path / "u.xlsx", twenty_statuses())
    before = dump(con)

    def fail(*args, **kwargs):
        raise duckdb.IOException("Could not write file: No space left on device")

    monkeypatch.setattr("etl.importer.import_batch", fail)
    report = import_file(con, path, who="ngo1", allowed_organisation=ORG)
    assert [p.code for p in report.errors] == ["disk_full"]
    assert dump(con) == before
    assert not [p for p in (tmp_path / "store").rglob("*") if p.is_file()]


def test_a_database_of_a_newer_schema_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "newer.duckdb"
    db.connect(path).close()
    raw = duckdb.connect(str(path))
    raw.execute("INSERT INTO schema_version VALUES (999, 'from the future', now())")
    raw.close()
    with pytest.raises(db.SchemaTooNew):
        db.connect(path)
    out = subprocess.run(
        [sys.executable, "-m", "etl", "summary", "--db", str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 3 and "schema version 999" in out.stderr
    monkeypatch.setenv("UPR_DB", str(path))
    at = run_app("ru")
    assert not at.exception
    assert at.error[0].value == t("common.db_too_new", "ru", found=999, known=db.SCHEMA_VERSION)


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN TRANSACTION")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
con.close()
"""


def _hold(path, seconds: float) -> subprocess.Popen:
    """Another process holding the database, as a command-line import does."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_the_app_started_during_an_import_waits(app_db, monkeypatch):
    monkeypatch.setattr("ui.database_wait.POLL_S", 0.2)
    proc = _hold(app_db, 3)
    try:
        started = time.monotonic()
        at = run_app("en")
        assert not at.exception
        assert time.monotonic() - started >= 2  # it waited for the import, then showed the Overview
        assert at.title[0].value == t("overview.title", "en")
    finally:
        proc.wait(30)


def test_the_app_says_why_when_the_import_takes_too_long(app_db, monkeypatch):
    monkeypatch.setattr("ui.database_wait.POLL_S", 0.2)
    monkeypatch.setattr("ui.database_wait.WAIT_S", 1)
    proc = _hold(app_db, 6)
    try:
        at = run_app("en")
        assert not at.exception
        assert at.info[0].value == t("common.db_busy_waiting", "en")
        assert at.error[0].value == t("common.db_busy_gave_up", "en", minutes=0)
    finally:
        proc.wait(30)


def test_upload_folders_do_not_stay(app_db, editor, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    con = db.connect(app_db)
    first = filled_template(con, tmp_path / "a.xlsx", {0: "implemented"}).read_bytes()
    second = filled_template(con, tmp_path / "b.xlsx", {1: "implemented"}).read_bytes()
    con.close()

    def folders() -> list[str]:
        return sorted(p.name for p in (tmp_path / "tmp").glob(f"{uploads.PREFIX}*"))

    at = run_app("en", UPLOAD, auth_user=signed_in("ngo1"))
    at.file_uploader(key="upload_file").upload("a.xlsx", first, XLSX)
    at.run()
    assert len(folders()) == 1  # kept until confirmed
    at.file_uploader(key="upload_file").set_value(("b.xlsx", second, XLSX))
    at.run()
    assert len(folders()) == 1  # the replaced file's folder went
    at.button(key="upload_confirm").click().run()
    assert at.success and folders() == []  # saved: gone
    stale = uploads.save_upload("old.csv", b"x")
    os.utime(stale.parent, (0, 0))
    uploads.save_upload("new.csv", b"y")  # every new upload sweeps folders older than a day
    assert not stale.parent.exists()


def test_a_preview_that_fails_shows_words_not_a_traceback(app_db, editor, tmp_path, monkeypatch):
    con = db.connect(app_db)
    data = filled_template(con, tmp_path / "u.xlsx", {0: "implemented"}).read_bytes()
    con.close()

    def broken(*args, **kwargs):
        raise duckdb.IOException("/srv/secret/path/upr.duckdb: read error")

    monkeypatch.setattr("etl.preview.preview_batch", broken)
    at = run_app("en", UPLOAD, auth_user=signed_in("ngo1"))
    at.file_uploader(key="upload_file").upload("u.xlsx", data, XLSX)
    at.run()
    assert not at.exception
    assert at.error[0].value == t("upload.failed", "en", error="IOException")
    assert not any("/srv" in str(e.value) for e in [*at.error, *at.markdown, *at.caption])

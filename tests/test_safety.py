"""Safety of uploads: zip bombs, bad files with their messages, formula injection in exports, no HTML,
and a kill in the middle of an import leaving the database as it was."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.detect import read_any
from etl.importer import import_file
from etl.messages import problem_text
from etl.tabular import MAX_UNCOMPRESSED_BYTES, UnreadableFile, check_zip_expansion
from tests.conftest import ROOT
from tests.test_revert import dump
from tests.test_template_xlsx import ORG, filled_template, twenty_statuses
from upr import db
from upr.export import neutralise, to_csv_bytes, to_xlsx_bytes


@pytest.fixture
def dcon(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    connection = db.connect(demo_copy)
    yield connection
    connection.close()


def _zip_bomb(path: Path, padding_mb: int) -> Path:
    """A valid xlsx with one extra part of zeros that deflates to almost nothing."""
    buf = io.BytesIO()
    frame = pd.DataFrame({"Recommendation ID": ["KAZ-3-134.1"], "Status": ["Implemented"]})
    buf.write(to_xlsx_bytes(frame))
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (padding_mb * 2**20))
    path.write_bytes(buf.getvalue())
    return path


def test_zip_bomb_refused(dcon, tmp_path):
    bomb = _zip_bomb(tmp_path / "bomb.xlsx", 60)
    size_kb = bomb.stat().st_size // 1024
    assert size_kb < 200  # 60 MB of content in a file of a few dozen KB
    with pytest.raises(UnreadableFile) as caught:
        check_zip_expansion(bomb)
    assert caught.value.problem.code == "zip_too_big"
    assert dict(caught.value.problem.params) == {
        "size": "60",
        "compressed": size_kb,
        "limit": f"{MAX_UNCOMPRESSED_BYTES // 2**20}",
    }
    before = dump(dcon)
    report = import_file(dcon, bomb, who="ngo1", allowed_organisation=ORG)
    assert report.import_id is None
    assert [p.code for p in report.errors] == ["zip_too_big"]
    assert problem_text(report.errors[0], "ru").startswith("После распаковки файл занимает 60 МБ")
    assert dump(dcon) == before


def test_ordinary_xlsx_passes_the_zip_check(dcon, tmp_path):
    path = filled_template(dcon, tmp_path / "ok.xlsx", twenty_statuses())
    check_zip_expansion(path)  # no exception
    assert read_any(path).format == "template_assessments"


ASSESS = "Recommendation ID,Source kind,Organisation,Status,As of\n"
BAD_FILES = {
    "empty.csv": (b"", [(None, None, None, "empty_file")]),
    "damaged.xlsx": (b"PK\x03\x04" + b"garbage" * 50, [(None, None, None, "zip_damaged")]),
    "utf16.csv": ("Recommendation ID,Status\n".encode("utf-16"), [(None, None, None, "csv_binary")]),
    "unknown.csv": (b"a,b\n1,2\n", [(None, None, None, "unknown_format")]),
    "broken.json": (b"{not json", [(None, None, None, "json_broken")]),
    "missing_columns.csv": (
        b"Recommendation ID,Status\nKAZ-3-134.1,Implemented\n",
        [(1, None, "Recommendation ID, Status", "missing_column")] * 3,
    ),
    "bad_cells.csv": (
        (
            ASSESS + f"KAZ-3-134.1,ngo,{ORG},Implemented,2025-01-31\n"
            f"KAZ-3-134.1,ngo,{ORG},Implemented,2025-02-28\n"
            f"KAZ-3-134.2,alien,{ORG},Почти,31/02/2025\n"
        ).encode(),
        [
            (3, "Recommendation ID", "KAZ-3-134.1", "duplicate_row"),
            (4, "Status", "Почти", "bad_status"),
            (4, "Source kind", "alien", "bad_source_kind"),
            (4, "As of", "31/02/2025", "bad_date"),
        ],
    ),
    "unknown_id.csv": (
        (ASSESS + f"KAZ-9-1,ngo,{ORG},Implemented,2025-01-31\n").encode(),
        [(2, "Recommendation ID", "KAZ-9-1", "unknown_id")],
    ),
    "wrong_kind.csv": (
        (ASSESS + "KAZ-3-134.1,government,Коалиция НПО Казахстана по УПО,Implemented,2025-01-31\n").encode(),
        [(2, "Source kind", "government", "kind_mismatch")],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_refused_with_its_message(dcon, tmp_path, name):
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = dump(dcon)
    report = import_file(dcon, path, who="boss")
    assert report.refused and report.import_id is None
    assert sorted((p.row or 0, p.column or "", p.value or "", p.code) for p in report.errors) == sorted(
        (e[0] or 0, e[1] or "", e[2] or "", e[3]) for e in expected
    )
    for p in report.errors:  # each worded by the catalog, in every language
        assert all(problem_text(p, lang) != p.expected or lang == "en" for lang in ("ru", "kk")), p
    assert dump(dcon) == before
    assert not list((tmp_path / "store").glob("**/*"))  # a refused file's original is not kept


@pytest.mark.parametrize("value", ["=1+1", "+7 701", "-2", "@SUM(A1)", "\tx"])
def test_formula_injection_neutralised_in_exports(value):
    assert neutralise(value) == "'" + value
    assert neutralise("\r=x") == "'\r=x"
    assert (neutralise("a=b"), neutralise(5)) == ("a=b", 5)
    frame = pd.DataFrame({"text": [value, "plain"], value: [1, 2]})
    csv_text = to_csv_bytes(frame).decode("utf-8-sig")
    assert pd.read_csv(io.StringIO(csv_text), dtype=str).iloc[0, 0] == "'" + value
    # In an xlsx the text stays as written: a text cell, quote-prefixed, never a formula.
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert (ws["A1"].value, ws["B1"].value, ws["A2"].value, ws["A3"].value) == ("text", value, value, "plain")
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix and ws["B1"].quotePrefix
    assert not ws["A3"].quotePrefix


def test_write_pages_never_render_html():
    for rel in ("pages/upload.py", "pages/history.py", "ui/auth.py"):
        source = (ROOT / rel).read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in source and "st.html" not in source, rel


def test_markdown_escaped():
    from ui.widgets import md_escape

    assert md_escape("[x](javascript:alert(1)) <b>*y*</b>") == (
        "\\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>\\*y\\*\\</b\\>"
    )


KILL_SCRIPT = """
import sys, time
from pathlib import Path
import etl.load as load

real = load._load_assessments

def slow(*args, **kwargs):
    real(*args, **kwargs)          # the rows are written, inside the open transaction
    Path(sys.argv[3]).write_text("inside")
    time.sleep(120)                # ... and here the process is killed

load._load_assessments = slow
from etl.importer import import_file
from etl.messages import problem_text
from upr import db
con = db.connect(sys.argv[1])
import_file(con, Path(sys.argv[2]), who="ngo1")
"""


def test_kill_mid_import_leaves_database_as_it_was(demo_copy, tmp_path):
    con = db.connect(demo_copy)
    path = filled_template(con, tmp_path / "upload.xlsx", twenty_statuses())
    before = dump(con)
    con.close()
    marker = tmp_path / "inside"
    env = {**os.environ, "UPR_STORE": str(tmp_path / "store"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(demo_copy), str(path), str(marker)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the import never reached its transaction"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    con = db.connect(demo_copy)
    try:
        assert dump(con) == before
        assert con.execute("SELECT count(*) FROM import").fetchall()[0][0] == 1
        # The same file imports cleanly afterwards.
        assert import_file(con, path, who="ngo1", allowed_organisation=ORG).added == 20
    finally:
        con.close()

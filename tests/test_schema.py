"""The schema, its versioned migrations, and the reference data they load."""

from __future__ import annotations

import duckdb

from upr import db

TABLES = {
    "vocab",
    "state",
    "state_alias",
    "theme",
    "affected_group",
    "import",
    "document",
    "review",
    "recommendation",
    "rec_text",
    "rec_source",
    "rec_state",
    "rec_theme",
    "rec_group",
    "rec_sdg",
    "organisation",
    "assessment",
    "conflict",
    "rec_change",
    "schema_version",
}


def test_fresh_database_is_at_the_latest_version(con):
    assert db.schema_version(con) == db.SCHEMA_VERSION
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert TABLES <= tables


def test_reference_data_loaded(con):
    counts = dict(con.execute("SELECT kind, count(*) FROM vocab GROUP BY kind").fetchall())
    assert counts == {"response": 4, "status": 7, "source_kind": 4, "regional_group": 5}
    assert con.execute("SELECT count(*) FROM state").fetchall()[0][0] == 195
    assert con.execute("SELECT name_ru, regional_group FROM state WHERE iso3 = 'KAZ'").fetchall() == [
        ("Казахстан", "asia_pacific")
    ]
    labels = con.execute("SELECT label_en, label_ru FROM vocab WHERE kind = 'status' ORDER BY sort").fetchall()
    assert labels[0] == ("Implemented", "Выполнена")
    assert labels[3] == ("Implemented formally only", "Выполнена формально")


def test_every_previous_version_upgrades_in_place_keeping_data(tmp_path):
    """A database made by each older version is migrated forward, never rebuilt: its rows survive."""
    for old in range(1, db.SCHEMA_VERSION + 1):
        path = tmp_path / f"v{old}.duckdb"
        con = duckdb.connect(str(path))
        db.migrate(con, target=old)
        assert db.schema_version(con) == old
        con.execute("INSERT INTO review VALUES (1, 'KAZ', 2, 20, DATE '2014-10-30', 'A/HRC/28/10')")
        con.execute(
            "INSERT INTO import (id, file_name, sha256, format, who, imported_at, rows_read, added, updated, "
            "unchanged, rejected) VALUES (1, 'f.csv', 'abc', 'upr_info', 'cli', now(), 1, 1, 0, 0, 0)"
        )
        con.execute(
            "INSERT INTO recommendation (id, review_id, ref, response, import_id) "
            "VALUES ('KAZ-2-124.1', 1, '124.1', 'supported', 1)"
        )
        con.close()
        con = db.connect(path)  # what the app and the CLI do: migrate on open
        assert db.schema_version(con) == db.SCHEMA_VERSION
        assert con.execute("SELECT id, ref, response FROM recommendation").fetchall() == [
            ("KAZ-2-124.1", "124.1", "supported")
        ]
        assert con.execute("SELECT report_symbol FROM review").fetchall() == [("A/HRC/28/10",)]
        assert [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] == list(
            range(1, db.SCHEMA_VERSION + 1)
        )
        con.close()


def test_migrating_twice_applies_nothing(con):
    assert db.migrate(con) == []


def test_busy_database_says_so(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "busy.duckdb"
    db.connect(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        try:
            db.connect(path, wait_seconds=0.5)
        except db.DatabaseBusy as exc:
            assert "in use by another process" in str(exc)
        else:
            raise AssertionError("expected DatabaseBusy")
    finally:
        holder.kill()
        holder.wait()

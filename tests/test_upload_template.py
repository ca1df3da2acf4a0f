"""A template people can work in: downloaded and uploaded unchanged (or sorted, in any language) it
changes nothing, a comment that begins with «-» comes back as written, and the only rows an
upload records are those that differ from the organisation's current state."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from etl.detect import read_any
from etl.importer import import_file
from etl.template_xlsx import assessment_template
from tests.test_template_xlsx import column
from upr import db
from upr.i18n import LANGS
from upr.vocab import label

COALITION = "Коалиция НПО Казахстана по УПО"
COMMENT = "- перевод закона; =SUM(A1) не формула"


@pytest.fixture
def con(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    connection = db.connect(demo_copy)
    connection.execute(
        "UPDATE assessment SET comment = ? WHERE rec_id = 'KAZ-3-134.1' AND organisation = ?", [COMMENT, COALITION]
    )
    yield connection
    connection.close()


def _count(con) -> int:
    return con.execute("SELECT count(*) FROM assessment").fetchall()[0][0]


@pytest.mark.parametrize("lang", LANGS)
def test_a_template_uploaded_unchanged_changes_nothing(con, tmp_path, lang):
    path = tmp_path / f"unchanged_{lang}.xlsx"
    path.write_bytes(assessment_template(con, "KAZ", 3, lang, COALITION, "ngo"))
    before = _count(con)
    report = import_file(con, path, who="coalition", allowed_organisation=COALITION)
    assert not report.errors
    assert (report.added, report.updated, report.history_only) == (0, 0, 0)
    assert report.unchanged == 232  # every recommendation the coalition has assessed
    assert _count(con) == before
    assert report.import_id is None  # nothing to record, nothing recorded


def test_sorted_and_filtered_it_still_changes_nothing(con, tmp_path):
    wb = load_workbook(io.BytesIO(assessment_template(con, "KAZ", 3, "ru", COALITION, "ngo")))
    ws = wb.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    rows.sort(key=lambda r: (str(r[column("gov_status") - 1]), r[0]), reverse=True)  # sorted by a column
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value
    path = tmp_path / "sorted.xlsx"
    wb.save(path)
    report = import_file(con, path, who="coalition", allowed_organisation=COALITION)
    assert (report.added, report.updated, report.history_only, report.unchanged) == (0, 0, 0, 232)


def test_a_dash_comment_comes_back_as_written(con, tmp_path):
    path = tmp_path / "dash.xlsx"
    path.write_bytes(assessment_template(con, "KAZ", 3, "en", COALITION, "ngo"))
    first = next(a for a in read_any(path).assessments if a.rec_id == "KAZ-3-134.1")
    assert first.comment == COMMENT


def test_a_template_from_before_reads_its_guarded_comment_back(con, tmp_path):
    """Templates downloaded before this change wrote «'- …»: the guard's apostrophe is taken off."""
    wb = load_workbook(io.BytesIO(assessment_template(con, "KAZ", 3, "en", COALITION, "ngo")))
    ws = wb.worksheets[0]
    ws.cell(row=2, column=column("comment")).value = "'" + COMMENT
    path = tmp_path / "old.xlsx"
    wb.save(path)
    report = import_file(con, path, who="coalition", allowed_organisation=COALITION)
    assert (report.updated, report.unchanged) == (0, 232)


def test_only_the_rows_that_differ_are_recorded(con, tmp_path):
    wb = load_workbook(io.BytesIO(assessment_template(con, "KAZ", 3, "en", COALITION, "ngo")))
    ws = wb.worksheets[0]
    ws.cell(row=3, column=column("status")).value = label("status", "no_progress", "en")
    ws.cell(row=3, column=column("as_of")).value = "2025-06-30"
    path = tmp_path / "one.xlsx"
    wb.save(path)
    report = import_file(con, path, who="coalition", allowed_organisation=COALITION)
    assert (report.added, report.updated, report.history_only, report.unchanged) == (0, 1, 0, 231)
    recorded = con.execute(
        "SELECT rec_id, status, CAST(as_of AS VARCHAR) FROM assessment WHERE import_id = ?", [report.import_id]
    ).fetchall()
    assert recorded == [("KAZ-3-134.2", "no_progress", "2025-06-30")]

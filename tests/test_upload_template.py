"""A template people can work in: downloaded and uploaded unchanged (or sorted, in any language) it
changes nothing, a comment that begins with «-» comes back as written, and the only rows an
upload records are those that differ from the organisation's current state."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from etl.detect import read_any
from etl.importer import import_file
from etl.messages import problem_text
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
    assert not report.errors and not report.warnings
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
    assert report.warnings == []  # each row check moved with its row


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


def _edited(con, tmp_path, cells: dict[tuple[int, str], object], lang: str = "ru"):
    """The coalition's template with some cells typed over (by sheet row and field), saved."""
    wb = load_workbook(io.BytesIO(assessment_template(con, "KAZ", 3, lang, COALITION, "ngo")))
    ws = wb.worksheets[0]
    for (row, field), value in cells.items():
        ws.cell(row=row, column=column(field)).value = value
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def test_read_only_columns_typed_over_are_ignored_and_the_rows_named(con, tmp_path):
    """Values pasted over the grey columns are not read; a warning per column names the rows."""
    path = _edited(
        con,
        tmp_path,
        {
            (3, "text"): "Другой текст",
            (4, "themes"): "Смертная казнь",
            (6, "themes"): None,
            (5, "gov_status"): "Выполнено, как мы считаем",
            (7, "own_as_of"): "2020-01-01",
        },
    )
    before = con.execute("SELECT * FROM assessment ORDER BY id").fetchall()
    report = import_file(con, path, who="coalition", allowed_organisation=COALITION)
    assert not report.errors
    assert (report.added, report.updated, report.history_only, report.unchanged) == (0, 0, 0, 232)
    assert con.execute("SELECT * FROM assessment ORDER BY id").fetchall() == before
    assert [(p.code, p.column, p.value, dict(p.params)) for p in report.warnings] == [
        ("template_readonly_changed", "Текст рекомендации", "3", {"n": 1}),
        ("template_readonly_changed", "Темы", "4, 6", {"n": 2}),
        ("template_readonly_changed", "Правительство: статус", "5", {"n": 1}),
        ("template_readonly_changed", "Дата вашей последней оценки", "7", {"n": 1}),
    ]
    assert problem_text(report.warnings[1], "ru").startswith(
        "Этот столбец только для чтения и при загрузке не читается, но в 2 строках (перечислены)"
    )
    assert problem_text(report.warnings[0], "kk").startswith("Бұл баған тек оқуға арналған")


def test_a_changed_id_is_named(con, tmp_path):
    """The ID is the key: a row whose ID was changed assesses another recommendation, and is named."""
    path = _edited(con, tmp_path, {(246, "id"): "KAZ-3-134.1", (2, "id"): "KAZ-3-999.9"}, lang="en")
    report = import_file(con, path, who="coalition", allowed_organisation=COALITION)
    assert [(p.code, p.column, p.value) for p in report.problems if p.code and p.code.startswith("template_")] == [
        ("template_id_changed", "Recommendation ID", "2, 246")
    ]
    assert "unknown_id" in [p.code for p in report.errors]  # KAZ-3-999.9 is no recommendation

"""The pre-filled assessments template: layout, locking, sorting and filtering, drop-downs,
instructions, and the round trip (a template uploaded unchanged changes nothing)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.detect import read_any
from etl.readers.template_check import CHECK_HEADERS, READ_ONLY
from etl.template_xlsx import COLUMNS, EDITABLE, assessment_template, build_assessment_template, template_rows
from upr.i18n import LANGS, t
from upr.vocab import STATUSES, label

ORG = "Кадыр-Касиет"
AS_OF = date(2025, 5, 1)


def column(field: str) -> int:
    """The template's column number of a field."""
    return COLUMNS.index(field) + 1


def filled_template(
    con,
    path: Path,
    statuses: dict[int, str],
    *,
    lang: str = "ru",
    cycle: int = 3,
    organisation: str = ORG,
    kind: str = "ngo",
    as_of: date = AS_OF,
    overrides: dict[tuple[int, str], object] | None = None,
) -> Path:
    """Download the template of `cycle`, set the status of data row i (0-based) to the code given and
    its date to `as_of`, as an editor would, and save.

    `overrides` sets any cell by (data row, field), as an editor typing would.
    """
    data = assessment_template(con, "KAZ", cycle, lang, organisation, kind)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for i, code in statuses.items():
        ws.cell(row=i + 2, column=column("status")).value = label("status", code, lang) if code else None
        ws.cell(row=i + 2, column=column("as_of")).value = as_of if code else None
    for (i, field), value in (overrides or {}).items():
        ws.cell(row=i + 2, column=column(field)).value = value
    wb.save(path)
    return path


def twenty_statuses() -> dict[int, str]:
    """Twenty rows marked with statuses cycling through the first six codes."""
    return {i: STATUSES[i % 6].code for i in range(20)}


@pytest.mark.parametrize("lang", LANGS)
def test_template_layout(demo_con, lang):
    data = assessment_template(demo_con, "KAZ", 3, lang, ORG, "ngo")
    wb = load_workbook(io.BytesIO(data))
    ws, help_ws = wb.worksheets
    assert ws.title == t("upload.template_sheet", lang)
    assert help_ws.title == t("upload.template_instructions_sheet", lang)
    headers = [c.value for c in ws[1]]
    assert len(headers) == len(COLUMNS) == 16
    assert headers[-1] == CHECK_HEADERS[lang]
    # Cycle 3 of the demo has 245 recommendations, in paragraph order.
    assert ws.max_row == 1 + 245
    row = {field: ws.cell(row=2, column=column(field)).value for field in COLUMNS}
    assert row["id"] == "KAZ-3-134.1"
    assert row["source_kind"] == label("source_kind", "ngo", lang)
    assert row["organisation"] == ORG
    # What an editor needs: the States, the response, themes, the government's current status and date.
    assert row["recommending"] and row["themes"]
    assert row["response"] == label("response", "supported", lang)
    assert row["gov_status"] in {s.label(lang) for s in STATUSES}
    assert row["gov_as_of"].date() == date(2024, 12, 31)
    # This organisation has not assessed it: no status, no date (not today's).
    assert (row["status"], row["as_of"], row["own_status"], row["own_as_of"]) == (None, None, None, None)
    # Sortable and filterable: no sheet protection (Excel will not sort a protected sheet's locked
    # cells, whatever the protection allows), a filter over the whole table, the header frozen.
    assert ws.protection.sheet is False
    assert ws.auto_filter.ref == "A1:P246"
    assert ws.freeze_panes == "C2"
    # The read-only columns are grey and refuse typed input with a message in the user's language;
    # the row check (last column) is hidden.
    for field in COLUMNS:
        fill = ws.cell(row=2, column=column(field)).fill.fgColor.rgb
        assert (fill == "00EEEEEE") == (field not in EDITABLE), field
    assert [k for k, d in ws.column_dimensions.items() if d.hidden] == ["P"]
    status_dv, date_dv, read_only_dv = ws.data_validations.dataValidation
    assert (read_only_dv.type, read_only_dv.formula1, read_only_dv.allow_blank, read_only_dv.errorStyle) == (
        "custom",
        "FALSE()",
        False,
        "stop",
    )
    assert str(read_only_dv.sqref) == "A2:I246 P2:P246"
    assert read_only_dv.showErrorMessage is True
    assert (read_only_dv.errorTitle, read_only_dv.error) == (
        t("upload.template_readonly_title", lang),
        t("upload.template_readonly_error", lang),
    )
    assert {COLUMNS[i] for i in range(9)} == set(READ_ONLY) and READ_ONLY[0] == "id"
    # The status drop-down lists the seven labels in the user's language; dates from 2008 to today.
    assert status_dv.type == "list"
    assert status_dv.formula1 == '"' + ",".join(s.label(lang) for s in STATUSES) + '"'
    assert str(status_dv.sqref) == "J2:J246"
    assert (date_dv.type, date_dv.formula1, date_dv.formula2, str(date_dv.sqref)) == (
        "date",
        "DATE(2008,1,1)",
        "TODAY()",
        "K2:K246",
    )
    assert help_ws["A1"].value == t("upload.template_help_title", lang)
    assert [help_ws.cell(row=r, column=1).value for r in range(11, 18)] == [f"• {s.label(lang)}" for s in STATUSES]


def test_assessed_rows_carry_the_organisations_own_last_assessment(demo_con):
    coalition = "Коалиция НПО Казахстана по УПО"
    ws = load_workbook(io.BytesIO(assessment_template(demo_con, "KAZ", 3, "en", coalition, "ngo"))).worksheets[0]
    row = {field: ws.cell(row=2, column=column(field)).value for field in COLUMNS}
    assert row["status"] == row["own_status"] == "Partially implemented"
    assert row["as_of"].date() == row["own_as_of"].date() == date(2024, 10, 31)


@pytest.mark.parametrize("lang", LANGS)
def test_filled_template_reads_back(demo_con, tmp_path, lang):
    path = filled_template(demo_con, tmp_path / f"filled_{lang}.xlsx", twenty_statuses(), lang=lang)
    batch = read_any(path)
    assert batch.format == "template_assessments"
    assert batch.problems == []
    assert len(batch.assessments) == 20
    first = batch.assessments[0]
    assert (first.rec_id, first.source_kind, first.organisation, first.status, first.as_of, first.row) == (
        "KAZ-3-134.1",
        "ngo",
        ORG,
        "implemented",
        AS_OF,
        2,
    )
    assert [a.status for a in batch.assessments[:7]] == [STATUSES[i % 6].code for i in range(7)]


def test_a_status_without_a_date_is_dated_on_the_day_of_the_upload(demo_con, tmp_path):
    path = filled_template(demo_con, tmp_path / "nodate.xlsx", {0: "implemented"}, overrides={(0, "as_of"): None})
    (only,) = read_any(path).assessments
    assert only.as_of == date.today()


def test_template_prefills_current_assessment(demo_copy, tmp_path):
    from etl.importer import import_file
    from upr import db

    con = db.connect(demo_copy)
    path = filled_template(
        con,
        tmp_path / "a.xlsx",
        {0: "in_progress", 1: "implemented"},
        overrides={(0, "comment"): "- закон принят в 2024"},
    )
    assert import_file(con, path, who="ngo1", allowed_organisation=ORG).added == 2
    rows = template_rows(con, "KAZ", 3, "ru", ORG)
    assert rows["status"].iloc[:3].tolist()[:2] == ["in_progress", "implemented"]
    assert pd.isna(rows["status"].iloc[2])
    assert rows["comment"].iloc[0] == "- закон принят в 2024"  # as typed: no formula guard read back
    # Another organisation's template is blank: the coalition's statuses are its own.
    assert template_rows(con, "KAZ", 3, "ru", "Другая НПО")["status"].isna().all()
    con.close()


def test_template_texts_are_text():
    rows = pd.DataFrame(
        [
            {"id": "KAZ-9-1", "ref": "1", "text": '=HYPERLINK("http://x","y")', "status": None},
            {"id": "KAZ-9-2", "ref": "2", "text": "@SUM(A1)", "status": "implemented", "comment": "+7 701"},
        ]
    )
    for col in ("recommending", "response", "themes", "gov_status", "gov_as_of", "as_of", "comment", "evidence"):
        rows[col] = rows.get(col)
    rows.loc[1, "evidence"] = "-1"
    wb = load_workbook(io.BytesIO(build_assessment_template(rows, "en", "=evil()", "ngo")))
    ws = wb.worksheets[0]
    cells = {
        (2, "text"): '=HYPERLINK("http://x","y")',
        (3, "text"): "@SUM(A1)",
        (2, "organisation"): "=evil()",
        (3, "comment"): "+7 701",
        (3, "evidence"): "-1",
    }
    for (r, field), value in cells.items():
        cell = ws.cell(row=r, column=column(field))
        # Written as text (never a formula), marked so Excel keeps it text, and read back as written.
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True), field


def test_admin_template_leaves_organisation_blank(demo_con):
    wb = load_workbook(io.BytesIO(assessment_template(demo_con, "KAZ", 1, "en", None, None)))
    ws = wb.worksheets[0]
    assert ws.max_row == 1 + 128
    assert (
        ws.cell(row=2, column=column("source_kind")).value,
        ws.cell(row=2, column=column("organisation")).value,
    ) == (
        None,
        None,
    )


def test_kazakh_template_shows_the_russian_text_where_no_kazakh_one_exists(demo_copy):
    from upr import db

    con = db.connect(demo_copy)
    rows = template_rows(con, "KAZ", 3, "kk", ORG)
    first, second = rows["id"].iloc[0], rows["id"].iloc[1]
    imp = con.execute("SELECT import_id FROM rec_text WHERE rec_id = ? AND is_original", [first]).fetchone()[0]
    con.execute("DELETE FROM rec_text WHERE rec_id IN (?, ?) AND lang IN ('ru', 'kk')", [first, second])
    con.execute(
        "INSERT INTO rec_text (rec_id, lang, text, is_original, import_id) VALUES (?, 'ru', 'Русский текст', false, ?)",
        [first, imp],
    )
    con.execute(
        "INSERT INTO rec_text (rec_id, lang, text, is_original, import_id) VALUES (?, 'ru', 'Русский', false, ?)",
        [second, imp],
    )
    con.execute(
        "INSERT INTO rec_text (rec_id, lang, text, is_original, import_id) VALUES (?, 'kk', 'Қазақ мәтіні', false, ?)",
        [second, imp],
    )
    original = con.execute("SELECT text FROM rec_text WHERE rec_id = ? AND is_original", [first]).fetchone()[0]
    kk = template_rows(con, "KAZ", 3, "kk", ORG).set_index("id")["text"]
    en = template_rows(con, "KAZ", 3, "en", ORG).set_index("id")["text"]
    assert (kk[first], kk[second]) == ("Русский текст", "Қазақ мәтіні")
    assert en[first] == original  # an English reader gets the original, never the Russian
    con.close()

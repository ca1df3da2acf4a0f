"""The pre-filled assessments template: layout, locking, drop-down, instructions, and the round trip."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.detect import read_any
from etl.readers.templates import TEMPLATE_HEADERS
from etl.template_xlsx import assessment_template, build_assessment_template, template_rows
from upr.i18n import LANGS, t
from upr.vocab import STATUSES, label

ORG = "Кадыр-Касиет"
AS_OF = date(2025, 5, 1)


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
    overrides: dict[tuple[int, int], object] | None = None,
) -> Path:
    """Download the template of `cycle`, set the status of data row i (0-based) to the code given, save.

    `overrides` sets any cell by (data row, column number 1-8), as an editor typing would.
    """
    data = assessment_template(con, "KAZ", cycle, lang, organisation, kind, as_of)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for i, code in statuses.items():
        ws.cell(row=i + 2, column=5).value = label("status", code, lang) if code else None
    for (i, col), value in (overrides or {}).items():
        ws.cell(row=i + 2, column=col).value = value
    wb.save(path)
    return path


def twenty_statuses() -> dict[int, str]:
    """Twenty rows marked with statuses cycling through the first six codes."""
    return {i: STATUSES[i % 6].code for i in range(20)}


@pytest.mark.parametrize("lang", LANGS)
def test_template_layout(demo_con, lang):
    data = assessment_template(demo_con, "KAZ", 3, lang, ORG, "ngo", AS_OF)
    wb = load_workbook(io.BytesIO(data))
    ws, help_ws = wb.worksheets
    assert ws.title == t("upload.template_sheet", lang)
    assert help_ws.title == t("upload.template_instructions_sheet", lang)
    headers = TEMPLATE_HEADERS[lang]
    assert [c.value for c in ws[1]] == [
        headers[k] for k in ("id", "text", "source_kind", "organisation", "status", "as_of", "comment", "evidence")
    ]
    # Cycle 3 of the demo has 245 recommendations, in paragraph order.
    assert ws.max_row == 1 + 245
    expected = demo_con.execute(
        "SELECT count(*) FROM recommendation r JOIN review v ON v.id = r.review_id "
        "WHERE v.sur_iso3 = 'KAZ' AND v.cycle = 3"
    ).fetchall()[0][0]
    assert expected == 245
    assert ws["A2"].value == "KAZ-3-134.1"
    assert ws["C2"].value == label("source_kind", "ngo", lang)
    assert ws["D2"].value == ORG
    assert ws["E2"].value is None
    assert ws["F2"].value.date() == AS_OF
    # Locked ID and text, everything else editable, the sheet protected.
    assert ws.protection.sheet is True
    assert ws["A2"].protection.locked and ws["B2"].protection.locked
    assert not any(ws.cell(row=2, column=c).protection.locked for c in range(3, 9))
    assert not ws.cell(row=246, column=5).protection.locked
    # The status drop-down lists the seven labels in the user's language, on every data row.
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list"
    assert dv.formula1 == '"' + ",".join(s.label(lang) for s in STATUSES) + '"'
    assert str(dv.sqref) == "E2:E246"
    assert help_ws["A1"].value == t("upload.template_help_title", lang)
    assert [help_ws.cell(row=r, column=1).value for r in range(10, 17)] == [f"• {s.label(lang)}" for s in STATUSES]


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


def test_template_prefills_current_assessment(demo_copy, tmp_path):
    from etl.importer import import_file
    from upr import db

    con = db.connect(demo_copy)
    path = filled_template(
        con, tmp_path / "a.xlsx", {0: "in_progress", 1: "implemented"}, overrides={(0, 7): "закон принят в 2024"}
    )
    assert import_file(con, path, who="ngo1", allowed_organisation=ORG).added == 2
    rows = template_rows(con, "KAZ", 3, "ru", ORG)
    assert rows["status"].iloc[:3].tolist()[:2] == ["in_progress", "implemented"]
    assert pd.isna(rows["status"].iloc[2])
    assert rows["comment"].iloc[0] == "закон принят в 2024"
    # Another organisation's template is blank: the coalition's statuses are its own.
    assert template_rows(con, "KAZ", 3, "ru", "Другая НПО")["status"].isna().all()
    con.close()


def test_template_texts_are_neutralised():
    rows = pd.DataFrame(
        [
            {
                "id": "KAZ-9-1",
                "ref": "1",
                "text": '=HYPERLINK("http://x","y")',
                "status": None,
                "comment": None,
                "evidence": None,
            },
            {
                "id": "KAZ-9-2",
                "ref": "2",
                "text": "@SUM(A1)",
                "status": "implemented",
                "comment": "+7 701",
                "evidence": "-1",
            },
        ]
    )
    wb = load_workbook(io.BytesIO(build_assessment_template(rows, "en", "=evil()", "ngo", AS_OF)))
    ws = wb.worksheets[0]
    assert ws["B2"].value == '\'=HYPERLINK("http://x","y")'
    assert ws["B3"].value == "'@SUM(A1)"
    assert ws["D2"].value == "'=evil()"
    assert (ws["G3"].value, ws["H3"].value) == ("'+7 701", "'-1")
    assert all(ws[c].data_type == "s" for c in ("B2", "B3", "D2", "G3", "H3"))


def test_admin_template_leaves_organisation_blank(demo_con):
    wb = load_workbook(io.BytesIO(assessment_template(demo_con, "KAZ", 1, "en", None, None, AS_OF)))
    ws = wb.worksheets[0]
    assert ws.max_row == 1 + 128
    assert (ws["C2"].value, ws["D2"].value) == (None, None)

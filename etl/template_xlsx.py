"""The assessments template an editor downloads, pre-filled with one cycle's recommendations.

The workbook is what `etl.templates.read_assessments_sheet` reads back: headers from
`TEMPLATE_HEADERS[lang]`, the ID and text columns locked (the sheet is protected, every other
cell unlocked), the status a drop-down of the labels in the user's language, and a second sheet
of instructions. Rows the organisation has assessed already carry its current status, so that
an unchanged row stays unchanged on upload and a preview shows only what the editor changed.
"""

from __future__ import annotations

import io
from datetime import date

import duckdb
import pandas as pd

from etl.readers.templates import TEMPLATE_HEADERS
from upr.export import neutralise
from upr.i18n import t
from upr.vocab import STATUSES, label

COLUMNS = ("id", "text", "source_kind", "organisation", "status", "as_of", "comment", "evidence")
WIDTHS = {
    "id": 16,
    "text": 80,
    "source_kind": 16,
    "organisation": 28,
    "status": 26,
    "as_of": 14,
    "comment": 40,
    "evidence": 40,
}
INSTRUCTION_KEYS = (
    "template_help_1",
    "template_help_2",
    "template_help_3",
    "template_help_4",
    "template_help_5",
    "template_help_6",
)


def template_rows(
    con: duckdb.DuckDBPyConnection, sur: str, cycle: int, lang: str, organisation: str | None
) -> pd.DataFrame:
    """The cycle's recommendations in paragraph order, with `organisation`'s current assessment.

    Columns: id, ref, text (in `lang` when translated, else the original), status, comment,
    evidence (None where the organisation has not assessed the recommendation).
    """
    return con.execute(
        """
        WITH cur AS (
            SELECT rec_id, status, comment, evidence FROM (
                SELECT *, row_number() OVER (PARTITION BY rec_id ORDER BY as_of DESC, id DESC) AS n
                FROM assessment WHERE organisation = $org) WHERE n = 1)
        SELECT r.id, r.ref,
               coalesce(tl.text, tori.text) AS text, cur.status, cur.comment, cur.evidence
        FROM recommendation r
        JOIN review v ON v.id = r.review_id
        JOIN rec_text tori ON tori.rec_id = r.id AND tori.is_original
        LEFT JOIN rec_text tl ON tl.rec_id = r.id AND tl.lang = $lang
        LEFT JOIN cur ON cur.rec_id = r.id
        WHERE v.sur_iso3 = $sur AND v.cycle = $cycle AND r.merged_into IS NULL
        ORDER BY try_cast(split_part(r.ref, '.', 1) AS INTEGER) NULLS LAST,
                 try_cast(split_part(r.ref, '.', 2) AS INTEGER) NULLS LAST, r.ref, r.id
        """,
        {"org": organisation or "", "lang": lang, "sur": sur, "cycle": cycle},
    ).df()


def build_assessment_template(
    rows: pd.DataFrame,
    lang: str,
    organisation: str | None,
    source_kind: str | None,
    as_of: date | None = None,
) -> bytes:
    """An xlsx of `rows` (from template_rows) for one organisation, in `lang`; returns its bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    as_of = as_of or date.today()
    headers = TEMPLATE_HEADERS[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = t("upload.template_sheet", lang)[:31]
    ws.append([headers[c] for c in COLUMNS])
    kind_label = label("source_kind", source_kind, lang) if source_kind else None
    for rec in rows.itertuples(index=False):
        values = {
            "id": rec.id,
            "text": rec.text,
            "source_kind": kind_label,
            "organisation": organisation,
            "status": label("status", rec.status, lang) if isinstance(rec.status, str) else None,
            "as_of": as_of,
            "comment": _text(rec.comment),
            "evidence": _text(rec.evidence),
        }
        ws.append([neutralise(values[c]) for c in COLUMNS])

    last = ws.max_row
    unlocked = Protection(locked=False)
    locked_fill = PatternFill("solid", fgColor="EEEEEE")
    for pos, col in enumerate(COLUMNS, start=1):
        letter = ws.cell(row=1, column=pos).column_letter
        ws.column_dimensions[letter].width = WIDTHS[col]
        header = ws.cell(row=1, column=pos)
        header.font = Font(bold=True)
        for r in range(2, last + 1):
            cell = ws.cell(row=r, column=pos)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a value, never a formula
            if col in ("id", "text"):
                cell.fill = locked_fill
                if col == "text":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.protection = unlocked
                if col == "as_of":
                    cell.number_format = "yyyy-mm-dd"
    statuses = [term.label(lang) for term in STATUSES]
    status_col = ws.cell(row=1, column=COLUMNS.index("status") + 1).column_letter
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(statuses) + '"',
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        errorTitle=t("upload.template_error_title", lang)[:32],
        error=t("upload.template_error", lang)[:255],
    )
    ws.add_data_validation(validation)
    if last >= 2:
        validation.add(f"{status_col}2:{status_col}{last}")
    ws.freeze_panes = "C2"
    ws.protection.sheet = True
    # Let editors resize columns and rows; content of locked cells stays protected.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    help_ws = wb.create_sheet(t("upload.template_instructions_sheet", lang)[:31])
    help_ws.column_dimensions["A"].width = 110
    help_ws.append([t("upload.template_help_title", lang)])
    help_ws["A1"].font = Font(bold=True, size=13)
    for key in INSTRUCTION_KEYS:
        help_ws.append(
            [
                t(
                    f"upload.{key}",
                    lang,
                    id=headers["id"],
                    text=headers["text"],
                    status=headers["status"],
                    as_of=headers["as_of"],
                    organisation=headers["organisation"],
                )
            ]
        )
    help_ws.append([])
    help_ws.append([t("upload.template_status_list", lang)])
    for term in STATUSES:
        help_ws.append([f"• {term.label(lang)}"])
    for row in help_ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):
                cell.value = neutralise(cell.value)
                cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def assessment_template(
    con: duckdb.DuckDBPyConnection,
    sur: str,
    cycle: int,
    lang: str,
    organisation: str | None,
    source_kind: str | None,
    as_of: date | None = None,
) -> bytes:
    """The pre-filled template of cycle `cycle` of `sur` for one organisation, as xlsx bytes."""
    return build_assessment_template(
        template_rows(con, sur, cycle, lang, organisation), lang, organisation, source_kind, as_of
    )

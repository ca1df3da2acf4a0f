"""The assessments template an editor downloads, pre-filled with one cycle's recommendations.

The workbook is what `etl.readers.templates.read_assessments_sheet` reads back. Beside each
recommendation's ID and text it shows what an editor needs to judge it: the recommending States,
the State's response, the themes, the government's current status and date, and the
organisation's own last status and date. Those columns are read-only (grey); the status (a
drop-down of the labels in the user's language), the date, the comment and the evidence are the
editor's.

The sheet can be sorted and filtered: Excel refuses to sort a range that holds locked cells of a
protected sheet, whatever the protection allows, so the sheet is not protected. The read-only
columns are guarded instead by a validation that refuses typed input with a message in the user's
language, and reading ignores their values (the ID apart); a hidden row check, sorted with its row,
lets the upload name the rows where they were changed (etl.readers.template_check).

Each row the organisation has assessed carries its current assessment, dated as it is, so that a
template uploaded unchanged changes nothing; a row not yet assessed has no date, and is dated on
the day of the upload if the editor gives none.
"""

from __future__ import annotations

import io

import duckdb
import pandas as pd

from etl.readers.template_check import CHECK, CHECK_HEADERS, READ_ONLY, row_check
from etl.readers.template_headers import REFERENCE_HEADERS, TEMPLATE_HEADERS
from upr.export import mark_text
from upr.i18n import t
from upr.vocab import STATUSES, label

# The read-only columns first (what is known), then the editor's own, then the hidden row check.
REFERENCE = ("recommending", "response", "themes", "gov_status", "gov_as_of", "own_status", "own_as_of")
EDITABLE = ("status", "as_of", "comment", "evidence", "source_kind", "organisation")
COLUMNS = ("id", "text", *REFERENCE, *EDITABLE, CHECK)
assert COLUMNS[: len(READ_ONLY)] == READ_ONLY
DATES = ("gov_as_of", "own_as_of", "as_of")
WIDTHS = {"id": 14, "text": 70, "recommending": 24, "response": 16, "themes": 30, "comment": 40, "evidence": 30}
WIDTHS |= {"status": 24, "as_of": 13, "organisation": 28, "source_kind": 14}
INSTRUCTION_KEYS = tuple(f"template_help_{i}" for i in range(1, 8))
FIRST_UPR_DAY = "DATE(2008,1,1)"

_NAME = {"ru": "name_ru", "kk": "name_kk"}
_THEME = {"ru": "label_ru", "kk": "label_kk"}


def template_rows(
    con: duckdb.DuckDBPyConnection, sur: str, cycle: int, lang: str, organisation: str | None
) -> pd.DataFrame:
    """The cycle's recommendations in paragraph order, with what an editor needs to assess them.

    Columns: id, ref, text (in `lang` when translated, else for Kazakh the Russian, else the
    original), recommending (States, `; `-joined, in `lang`), response (code), themes (canonical labels in `lang`, else the
    source's), gov_status, gov_as_of (the government's current assessment), and status, as_of,
    comment, evidence (`organisation`'s current assessment; None where it has none).
    """
    name, theme = _NAME.get(lang, "name_en"), _THEME.get(lang, "label_en")
    # Column names are chosen from fixed tables above, never from input.
    sql = f"""
        WITH rev AS (
            SELECT r.id, r.ref, r.response FROM recommendation r JOIN review v ON v.id = r.review_id
            WHERE v.sur_iso3 = $sur AND v.cycle = $cycle AND r.merged_into IS NULL),
        own AS (
            SELECT rec_id, status, comment, evidence, as_of FROM (
                SELECT *, row_number() OVER (PARTITION BY rec_id ORDER BY as_of DESC, id DESC) AS n
                FROM assessment WHERE organisation = $org AND rec_id IN (SELECT id FROM rev)) WHERE n = 1),
        gov AS (
            SELECT rec_id, status, as_of FROM (
                SELECT *, row_number() OVER (PARTITION BY rec_id ORDER BY as_of DESC, id DESC) AS n
                FROM assessment WHERE source_kind = 'government' AND rec_id IN (SELECT id FROM rev)) WHERE n = 1),
        states AS (
            SELECT rs.rec_id, string_agg(DISTINCT coalesce(s.{name}, rs.source_label), '; ') AS names
            FROM rec_state rs LEFT JOIN state s ON s.iso3 = rs.iso3
            WHERE rs.rec_id IN (SELECT id FROM rev) GROUP BY rs.rec_id),
        themes AS (
            SELECT rt.rec_id, string_agg(DISTINCT coalesce(th.{theme}, rt.source_label), '; ') AS names
            FROM rec_theme rt LEFT JOIN theme th ON th.code = rt.theme_code
            WHERE rt.rec_id IN (SELECT id FROM rev) GROUP BY rt.rec_id)
        SELECT rev.id, rev.ref, coalesce(tl.text, tru.text, tori.text) AS text, states.names AS recommending,
               rev.response, themes.names AS themes, gov.status AS gov_status, gov.as_of AS gov_as_of,
               own.status, own.as_of, own.comment, own.evidence
        FROM rev
        JOIN rec_text tori ON tori.rec_id = rev.id AND tori.is_original
        LEFT JOIN rec_text tl ON tl.rec_id = rev.id AND tl.lang = $lang
        LEFT JOIN rec_text tru ON tru.rec_id = rev.id AND tru.lang = 'ru' AND $lang = 'kk'
        LEFT JOIN own ON own.rec_id = rev.id
        LEFT JOIN gov ON gov.rec_id = rev.id
        LEFT JOIN states ON states.rec_id = rev.id
        LEFT JOIN themes ON themes.rec_id = rev.id
        ORDER BY try_cast(split_part(rev.ref, '.', 1) AS INTEGER) NULLS LAST,
                 try_cast(split_part(rev.ref, '.', 2) AS INTEGER) NULLS LAST, rev.ref, rev.id
        """  # noqa: S608
    return con.execute(sql, {"org": organisation or "", "lang": lang, "sur": sur, "cycle": cycle}).df()


def _value(value: object) -> object:
    """A cell's value: None for what pandas reads as missing, a plain date for a timestamp."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value or None


def _row(rec, lang: str, organisation: str | None, kind_label: str | None) -> dict[str, object]:
    def status(code: object) -> str | None:
        return label("status", code, lang) if isinstance(code, str) else None

    own = _value(rec.status)
    row: dict[str, object] = {
        "id": rec.id,
        "text": rec.text,
        "recommending": _value(rec.recommending),
        "response": label("response", rec.response, lang) if isinstance(rec.response, str) else None,
        "themes": _value(rec.themes),
        "gov_status": status(rec.gov_status),
        "gov_as_of": _value(rec.gov_as_of),
        "own_status": status(own),
        "own_as_of": _value(rec.as_of),
        "status": status(own),
        "as_of": _value(rec.as_of),
        "comment": _value(rec.comment),
        "evidence": _value(rec.evidence),
        "source_kind": kind_label,
        "organisation": organisation,
    }
    row[CHECK] = row_check(row)
    return row


def _headers(lang: str) -> dict[str, str]:
    return {**REFERENCE_HEADERS[lang], **TEMPLATE_HEADERS[lang], CHECK: CHECK_HEADERS[lang]}


def _style_sheet(ws, lang: str, last: int) -> None:
    """Widths, grey read-only columns that refuse typing, drop-downs, filter, frozen header, no protection."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    read_only_fill = PatternFill("solid", fgColor="EEEEEE")
    read_only_font = Font(color="555555")
    letters = {}
    for pos, col in enumerate(COLUMNS, start=1):
        letter = ws.cell(row=1, column=pos).column_letter
        letters[col] = letter
        ws.column_dimensions[letter].width = WIDTHS.get(col, 16)
        ws.cell(row=1, column=pos).font = Font(bold=True)
        ws.cell(row=1, column=pos).alignment = Alignment(wrap_text=True, vertical="top")
        if col not in EDITABLE:
            ws.cell(row=1, column=pos).fill = read_only_fill
        for r in range(2, last + 1):
            cell = ws.cell(row=r, column=pos)
            mark_text(cell)  # a text is a text: never a formula, and read back as written
            if col not in EDITABLE:
                cell.fill, cell.font = read_only_fill, read_only_font
            if col in ("text", "themes", "recommending", "comment"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if col in DATES:
                cell.number_format = "yyyy-mm-dd"
    statuses = [term.label(lang) for term in STATUSES]
    status_list = DataValidation(
        type="list",
        formula1='"' + ",".join(statuses) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t("upload.template_error_title", lang)[:32],
        error=t("upload.template_error", lang)[:255],
    )
    # Excel refuses a date before the UPR began or after today, as the upload would.
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=FIRST_UPR_DAY,
        formula2="TODAY()",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t("upload.template_date_title", lang)[:32],
        error=t("upload.template_date_error", lang)[:255],
    )
    # The read-only cells refuse whatever is typed into them (a formula that is never true), with a
    # message saying why; sorting and filtering move them like any other cell.
    read_only = DataValidation(
        type="custom",
        formula1="FALSE()",
        allow_blank=False,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=t("upload.template_readonly_title", lang)[:32],
        error=t("upload.template_readonly_error", lang)[:255],
    )
    for validation in (status_list, dates, read_only):
        ws.add_data_validation(validation)
    if last >= 2:
        status_list.add(f"{letters['status']}2:{letters['status']}{last}")
        dates.add(f"{letters['as_of']}2:{letters['as_of']}{last}")
        read_only.add(f"{letters[READ_ONLY[0]]}2:{letters[READ_ONLY[-1]]}{last}")
        read_only.add(f"{letters[CHECK]}2:{letters[CHECK]}{last}")
    ws.column_dimensions[letters[CHECK]].hidden = True
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{letters[COLUMNS[-1]]}{max(last, 2)}"
    ws.protection.sheet = False  # a protected sheet's locked cells cannot be sorted, whatever it allows


def _instructions(wb, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    headers = _headers(lang)
    help_ws = wb.create_sheet(t("upload.template_instructions_sheet", lang)[:31])
    help_ws.column_dimensions["A"].width = 110
    help_ws.append([t("upload.template_help_title", lang)])
    help_ws["A1"].font = Font(bold=True, size=13)
    names = {k: headers[k] for k in ("id", "text", "status", "as_of", "organisation", "own_status", "gov_status")}
    for key in INSTRUCTION_KEYS:
        help_ws.append([t(f"upload.{key}", lang, **names)])
    help_ws.append([])
    help_ws.append([t("upload.template_status_list", lang)])
    for term in STATUSES:
        help_ws.append([f"• {term.label(lang)}"])
    for row in help_ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            mark_text(cell)


def build_assessment_template(
    rows: pd.DataFrame, lang: str, organisation: str | None, source_kind: str | None
) -> bytes:
    """An xlsx of `rows` (from template_rows) for one organisation, in `lang`; returns its bytes."""
    from openpyxl import Workbook

    headers = _headers(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t("upload.template_sheet", lang)[:31]
    ws.append([headers[c] for c in COLUMNS])
    kind_label = label("source_kind", source_kind, lang) if source_kind else None
    for rec in rows.itertuples(index=False):
        values = _row(rec, lang, organisation, kind_label)
        ws.append([values[c] for c in COLUMNS])
    _style_sheet(ws, lang, ws.max_row)
    _instructions(wb, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def assessment_template(
    con: duckdb.DuckDBPyConnection,
    sur: str,
    cycle: int,
    lang: str,
    organisation: str | None,
    source_kind: str | None,
) -> bytes:
    """The pre-filled template of cycle `cycle` of `sur` for one organisation, as xlsx bytes."""
    return build_assessment_template(
        template_rows(con, sur, cycle, lang, organisation), lang, organisation, source_kind
    )

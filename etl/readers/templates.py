"""Our own import templates: recommendations and implementation assessments.

Headers may be in Russian, English or Kazakh (or the field codes themselves); the labels are in
etl.readers.template_headers. Every problem in the file is collected, each worded by the catalog
(etl.messages) with the allowed values listed; the loader refuses a file with any error.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from etl.messages import problem
from etl.model import Batch, Problem, RawAssessment, RawRecommendation
from etl.readers.base import Probe, Reader
from etl.readers.template_check import CHECK, CHECK_HEADERS, changed_read_only
from etl.readers.template_headers import (
    ASSESS_FIELDS,
    ASSESS_REQUIRED,
    REC_FIELDS,
    REC_REQUIRED,
    REC_TEMPLATE_HEADERS,
    REFERENCE_HEADERS,
    TEMPLATE_HEADERS,
)
from etl.tabular import Sheet, cell_text
from upr.vocab import parse_response, parse_source_kind, parse_status

__all__ = ["REC_TEMPLATE_HEADERS", "REFERENCE_HEADERS", "TEMPLATE_HEADERS", "READER", "parse_date"]

LIST_SPLIT = re.compile(r"\s*[;\n]\s*")
FIRST_UPR_YEAR = 2008
# What a spreadsheet guard put in front of a text that looks like a formula (our exports before
# they marked such cells as text): taken off again, so that «- comment» comes back as written.
_GUARDED = re.compile(r"^'(?=[=+\-@\t\r])")


def _norm_header(h: str) -> str:
    return re.sub(r"[\s_*]+", " ", str(h).strip().lower().replace("ё", "е")).strip(" :")


def _header_index(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index = {}
    for field, labels in fields.items():
        index[_norm_header(field)] = field
        for lab in labels:
            index[_norm_header(lab)] = field
    return index


REC_INDEX = _header_index(REC_FIELDS)
ASSESS_INDEX = _header_index(ASSESS_FIELDS)
# The assessments template's read-only columns beyond the ID and text, and its row check: read only
# to tell whether they were changed (etl.readers.template_check).
READ_ONLY_INDEX = _header_index(
    {field: tuple(labels[field] for labels in REFERENCE_HEADERS.values()) for field in REFERENCE_HEADERS["en"]}
    | {CHECK: tuple(CHECK_HEADERS.values())}
)


def match_headers(headers: list[str], index: dict[str, str]) -> dict[str, int]:
    """Map field -> column position for the headers we recognise (the first, when one appears twice)."""
    found: dict[str, int] = {}
    for pos, h in enumerate(headers):
        field = index.get(_norm_header(h))
        if field and field not in found:
            found[field] = pos
    return found


def _column_letter(pos: int) -> str:
    letters, n = "", pos + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def duplicated_columns(file: str, sheet: Sheet, index: dict[str, str]) -> list[Problem]:
    """A field given by two columns: which one counts would be a guess, so the file is refused."""
    first: dict[str, int] = {}
    out = []
    for pos, h in enumerate(sheet.headers):
        field = index.get(_norm_header(h))
        if not field:
            continue
        if field in first:
            out.append(
                problem(
                    file,
                    "duplicate_column",
                    sheet=sheet.name,
                    row=sheet.header_row,
                    column=str(h),
                    label=str(h),
                    first=_column_letter(first[field]),
                    second=_column_letter(pos),
                )
            )
        else:
            first[field] = pos
    return out


def looks_like_recommendations(headers: list[str]) -> bool:
    """Does this header row belong to our recommendations template?"""
    f = match_headers(headers, REC_INDEX)
    return {"sur", "text", "cycle"} <= f.keys() and "status" not in match_headers(headers, ASSESS_INDEX)


def looks_like_assessments(headers: list[str]) -> bool:
    """Does this header row belong to our assessments template?"""
    f = match_headers(headers, ASSESS_INDEX)
    return {"id", "status"} <= f.keys()


def _split_list(value: object) -> list[str]:
    text = cell_text(value)
    return [p for p in LIST_SPLIT.split(text) if p] if text else []


def _free_text(value: object) -> str | None:
    return _GUARDED.sub("", cell_text(value)) or None


def parse_date(value: object) -> date | None:
    """A date from a spreadsheet cell: a real date, ISO `2024-05-31`, or `31.05.2024`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def latest_allowed_date() -> date:
    """Today, wherever on Earth it is latest (UTC+14): an honest date is never refused as future."""
    return (datetime.now(UTC) + timedelta(hours=14)).date()


def _int_in(value: object, low: int, high: int) -> int | None:
    text = cell_text(value)
    try:
        number = float(text)
    except ValueError:
        return None
    if not number.is_integer() or not low <= number <= high:
        return None
    return int(number)


def _column_label(sheet: Sheet, pos: int) -> str:
    return sheet.headers[pos] if pos < len(sheet.headers) else f"#{pos + 1}"


def _missing_headers(
    file: str, sheet: Sheet, found: dict[str, int], required: tuple[str, ...], labels: dict[str, dict[str, str]]
) -> list[Problem]:
    return [
        problem(
            file,
            "missing_column",
            sheet=sheet.name,
            row=sheet.header_row,
            value=", ".join(h for h in sheet.headers if h) or "—",
            en=labels["en"][f],
            ru=labels["ru"][f],
            kk=labels["kk"][f],
        )
        for f in required
        if f not in found
    ]


def _blank(cells: list[object]) -> bool:
    return all(cell_text(c) == "" for c in cells)


class _Rows:
    """A template sheet's rows with its recognised columns; collects problems located by cell."""

    def __init__(self, batch: Batch, sheet: Sheet, found: dict[str, int]):
        self.batch, self.sheet, self.found = batch, sheet, found
        batch.columns = {field: _column_label(sheet, pos) for field, pos in found.items()}

    def get(self, cells: list[object], field: str) -> object:
        pos = self.found.get(field)
        return cells[pos] if pos is not None and pos < len(cells) else None

    def bad(self, row: int, field: str, code: str, value: object, **params: object) -> None:
        self.batch.problems.append(
            problem(
                self.batch.file,
                code,
                sheet=self.sheet.name,
                row=row,
                column=_column_label(self.sheet, self.found[field]),
                value=cell_text(value),
                **params,
            )
        )

    def rows(self):
        for rownum, cells in self.sheet.rows:
            if not _blank(cells):
                self.batch.rows_read += 1
                yield rownum, cells


def read_recommendations_sheet(sheet: Sheet, file: str) -> Batch:
    """Read our recommendations template (one sheet) into a Batch, collecting every problem."""
    batch = Batch(file=file, format="template_recommendations", theme_source="canonical")
    found = match_headers(sheet.headers, REC_INDEX)
    batch.problems += duplicated_columns(file, sheet, REC_INDEX)
    batch.problems += _missing_headers(file, sheet, found, REC_REQUIRED, REC_TEMPLATE_HEADERS)
    if batch.problems:
        return batch
    table = _Rows(batch, sheet, found)
    seen_ids: dict[str, int] = {}
    for rownum, cells in table.rows():
        sur, text = cell_text(table.get(cells, "sur")), cell_text(table.get(cells, "text"))
        if not sur:
            table.bad(rownum, "sur", "missing_sur", sur)
        if not text:
            table.bad(rownum, "text", "missing_text", text)
        cycle = _int_in(table.get(cells, "cycle"), 1, 4)
        if cycle is None:
            table.bad(rownum, "cycle", "bad_cycle", table.get(cells, "cycle"))
        session = None
        if "session" in found and cell_text(table.get(cells, "session")):
            session = _int_in(table.get(cells, "session"), 1, 99)
            if session is None:
                table.bad(rownum, "session", "bad_session", table.get(cells, "session"))
        response = None
        raw_response = cell_text(table.get(cells, "response"))
        if raw_response:
            response = parse_response(raw_response)
            if response is None:
                table.bad(rownum, "response", "bad_response", raw_response, vocab="response")
        action = None
        if cell_text(table.get(cells, "action")):
            action = _int_in(table.get(cells, "action"), 1, 5)
            if action is None:
                table.bad(rownum, "action", "bad_action", table.get(cells, "action"))
        rec_id = cell_text(table.get(cells, "id")) or None
        if rec_id:
            if rec_id in seen_ids:
                table.bad(rownum, "id", "duplicate_id", rec_id, first=seen_ids[rec_id])
            seen_ids.setdefault(rec_id, rownum)
        batch.recommendations.append(
            RawRecommendation(
                sur=sur,
                text=text,
                cycle=cycle,
                session=session,
                ref=cell_text(table.get(cells, "ref")) or None,
                lang=(cell_text(table.get(cells, "lang")) or "en").lower(),
                response=response,
                response_raw=raw_response or None,
                action=action,
                recommending=_split_list(table.get(cells, "recommending")),
                themes=_split_list(table.get(cells, "themes")),
                groups=_split_list(table.get(cells, "groups")),
                sdgs=_split_list(table.get(cells, "sdgs")),
                agency=cell_text(table.get(cells, "agency")) or None,
                rec_id=rec_id,
                row=rownum,
                sheet=sheet.name,
            )
        )
    return batch


def read_assessments_sheet(sheet: Sheet, file: str, today: date | None = None) -> Batch:
    """Read our assessments template (one sheet) into a Batch, collecting every problem.

    Rows with an ID but no status are recommendations the organisation did not assess: they are
    skipped, as a pre-filled template has a row for every recommendation. A status with no date
    is dated `today` (the day of the upload); a date after today, or before the UPR began, is an
    error: a future date would outrank every later correction.
    """
    batch = Batch(file=file, format="template_assessments", theme_source="canonical")
    found = match_headers(sheet.headers, ASSESS_INDEX)
    batch.problems += duplicated_columns(file, sheet, ASSESS_INDEX)
    batch.problems += _missing_headers(file, sheet, found, ASSESS_REQUIRED, TEMPLATE_HEADERS)
    if batch.problems:
        return batch
    table = _Rows(batch, sheet, found)
    upload_day = today or date.today()
    latest = max(latest_allowed_date(), upload_day)
    seen: dict[tuple[str, str, str], int] = {}
    for rownum, cells in table.rows():
        rec_id = cell_text(table.get(cells, "id"))
        raw_status = cell_text(table.get(cells, "status"))
        if not raw_status:
            if not rec_id:
                table.bad(rownum, "id", "missing_id_status", "")
            continue  # not assessed in this file
        status = parse_status(raw_status)
        if status is None:
            table.bad(rownum, "status", "bad_status", raw_status, vocab="status")
        if not rec_id:
            table.bad(rownum, "id", "missing_id", rec_id)
        kind_raw = cell_text(table.get(cells, "source_kind"))
        kind = parse_source_kind(kind_raw)
        if kind is None:
            table.bad(rownum, "source_kind", "bad_source_kind", kind_raw, vocab="source_kind")
        org = cell_text(table.get(cells, "organisation"))
        if not org:
            table.bad(rownum, "organisation", "missing_org", org)
        raw_date = table.get(cells, "as_of")
        as_of = parse_date(raw_date) if cell_text(raw_date) else upload_day
        if as_of is None:
            table.bad(rownum, "as_of", "bad_date", raw_date)
        elif as_of > latest:
            table.bad(rownum, "as_of", "future_date", raw_date, today=upload_day)
            as_of = None
        elif as_of.year < FIRST_UPR_YEAR:
            table.bad(rownum, "as_of", "early_date", raw_date)
            as_of = None
        key = (rec_id, kind or "", org)
        if rec_id and key in seen:
            table.bad(rownum, "id", "duplicate_row", rec_id, first=seen[key])
        seen.setdefault(key, rownum)
        if status and rec_id and kind and org and as_of:
            batch.assessments.append(
                RawAssessment(
                    rec_id=rec_id,
                    source_kind=kind,
                    organisation=org,
                    status=status,
                    as_of=as_of,
                    comment=_free_text(table.get(cells, "comment")),
                    evidence=_free_text(table.get(cells, "evidence")),
                    row=rownum,
                    sheet=sheet.name,
                )
            )
    read_only = match_headers(sheet.headers, READ_ONLY_INDEX) | {f: found[f] for f in ("id", "text") if f in found}
    batch.problems += changed_read_only(file, sheet, read_only)
    return batch


def read_template_sheets(sheets: list[Sheet], path: Path) -> Batch | None:
    """Find the data sheet of one of our templates among `sheets` and read it; None if neither."""
    for sheet in sheets:
        if looks_like_assessments(sheet.headers):
            return read_assessments_sheet(sheet, path.name)
        if looks_like_recommendations(sheet.headers):
            return read_recommendations_sheet(sheet, path.name)
    return None


def _accepts(probe: Probe) -> bool:
    return any(looks_like_assessments(s.headers) or looks_like_recommendations(s.headers) for s in probe.sheets())


def _read(probe: Probe) -> Batch:
    batch = read_template_sheets(probe.sheets(), probe.path)
    assert batch is not None  # _accepts found a template sheet
    return batch


READER = Reader(
    "templates",
    frozenset({"xlsx", "ole", "text"}),
    _accepts,
    _read,
    "our recommendations or assessments template (.xlsx/.csv)",
)

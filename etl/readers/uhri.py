"""The OHCHR Universal Human Rights Index (UHRI) export, as JSON and as .xlsx.

The index covers treaty bodies and special procedures as well as the UPR; only UPR rows are
kept unless asked otherwise, and the skipped ones are counted in a warning.

Quirks of real exports handled here:
- list values are strings of "- " items joined by newlines ("- Women & girls\\n- Children"),
  or real JSON lists, and single values carry the prefix too ("- UPR");
- the xlsx headers differ from the JSON field names and are misspelt ("Reccomending Body",
  "UPR Reccomending States"); "Reccomending Body" holds the mechanism ("- UPR", "- CRC");
- the top level of the JSON is a list, or an object holding the list;
- Text may carry HTML tags and entities, and starts with the paragraph number ("124.17 …").
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

from etl.messages import problem
from etl.model import Batch, DocumentInfo, RawRecommendation
from etl.readers.base import Probe, Reader
from etl.readers.ohchr import (
    normalise_position,
    parse_cycle,
    parse_session,
    sdg_codes,
    split_recommending,
    split_ref,
    split_source_of_position,
    split_themes,
    unique_ci,
)
from etl.readers.uhri_fields import (
    ALIASES,
    FIELD_OF,
    JSON_FIELDS,
    field_key,
    field_map,
    looks_like_uhri_headers,
    looks_uhri,
)
from etl.tabular import Sheet, UnreadableFile, cell_text, read_workbook
from upr.vocab import cycle_of_session, parse_response

_REQUIRED = {"Text": "text", "Countries": "sur"}  # field → the end of its catalog key (uhri_missing_…)
_BULLET_RE = re.compile(r"^\s*[-–•]\s*")
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")


def _records(data: object, depth: int = 0) -> list | None:
    """The list of records in a parsed JSON export: the top level, or a list inside an object."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict) or depth > 2:
        return None
    if _is_record(data):
        return [data]
    for value in data.values():
        found = _records(value, depth + 1) if isinstance(value, (list, dict)) else None
        if found and any(_is_record(r) for r in found[:5]):
            return found
    return None


def _is_record(item: object) -> bool:
    return isinstance(item, dict) and looks_uhri([str(k) for k in item])


def looks_like_uhri_json(data: object) -> bool:
    """Whether parsed JSON is a UHRI export: records with Text and UHRI fields, at the top or inside an object."""
    records = _records(data)
    return bool(records) and any(_is_record(r) for r in records[:5])


# -- values ------------------------------------------------------------------------------------


def _as_list(value: object) -> list[str]:
    """Items of a list value: a JSON list, or "- " items joined by newlines."""
    if value is None:
        return []
    parts = value if isinstance(value, (list, tuple)) else [value]
    items: list[str] = []
    for part in parts:
        if part is None:
            continue
        for line in re.split(r"\r\n|\r|\n", cell_text(part)):
            item = _BULLET_RE.sub("", line).strip()
            if item and item not in items:
                items.append(item)
    return items


def _first(value: object) -> str:
    items = _as_list(value)
    return items[0] if items else ""


def _clean_text(value: object) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else " ".join(_as_list(value))
    text = html.unescape(_TAG_RE.sub(" ", text))
    return re.sub(r"\s+", " ", text).strip()


def _is_upr(bodies: list[str]) -> bool:
    return any(b.casefold() in ("upr", "universal periodic review") for b in bodies)


# -- reading -----------------------------------------------------------------------------------


class _Reader:
    """Turns records (canonical field → raw value) into recommendations, collecting problems."""

    def __init__(self, file: str, upr_only: bool, has_body: bool):
        self.batch = Batch(file=file, format="uhri", theme_source="uhri")
        self.upr_only = upr_only
        self.has_body = has_body
        self.skipped: Counter[str] = Counter()
        self.symbols: list[str] = []  # document symbol of each recommendation read

    def problem(
        self,
        code: str,
        *,
        row: int | None,
        column: str | None,
        value: object,
        sheet: str | None,
        severity: str = "error",
        **params: object,
    ) -> None:
        shown = None if value is None else str(value)
        self.batch.problems.append(
            problem(
                self.batch.file,
                code,
                sheet=sheet,
                row=row,
                column=column,
                value=shown,
                severity=severity,
                **params,
            )
        )

    def read(self, rec: dict[str, object], names: dict[str, str], row: int, sheet: str | None) -> None:
        """Read one record; `names` gives the file's own name of each field, for messages."""
        self.batch.rows_read += 1

        def bad(field: str, code: str, value: object, severity: str = "error", **params: object) -> None:
            self.problem(
                code,
                row=row,
                column=names.get(field, field),
                value=value,
                sheet=sheet,
                severity=severity,
                **params,
            )

        bodies = _as_list(rec.get("Body"))
        if self.has_body:
            upr = _is_upr(bodies)
        else:
            # Without a Body column only UPR-specific values tell a UPR row.
            upr = any(
                _as_list(rec.get(f))
                for f in (
                    "UprPositions",
                    "UprRecommendingCountry",
                    "UprSession",
                    "UprCycle",
                )
            )
        if self.upr_only and not upr:
            self.skipped[", ".join(bodies) or "—"] += 1
            return

        text = _clean_text(rec.get("Text"))
        states = _as_list(rec.get("Countries"))
        ok = True
        if not text:
            bad("Text", "missing_text", text)
            ok = False
        if not states:
            bad("Countries", "missing_sur", "")
            ok = False
        elif len(states) > 1:
            bad("Countries", "uhri_several_sur", "; ".join(states))
            ok = False
        if not ok:
            return

        ref = _first(rec.get("Paragraph")) or None
        text, cite = split_source_of_position(text)
        text_ref, rest = split_ref(text)
        if ref is None or ref == text_ref:
            ref, text = text_ref or ref, rest
        listed = _as_list(rec.get("UprRecommendingCountry"))
        text, in_text = split_recommending(text, known=listed or None)
        recommending = listed + [s for s in in_text if s.casefold() not in {x.casefold() for x in listed}]

        positions = [normalise_position(p) for p in _as_list(rec.get("UprPositions"))]
        if not positions:
            response, response_raw = "pending", None
        else:
            response_raw = "/".join(dict.fromkeys(positions))
            response = parse_response(response_raw)
            if response is None:
                bad("UprPositions", "bad_position", response_raw, "warning")

        cycle_raw, session_raw = (
            _first(rec.get("UprCycle")),
            _first(rec.get("UprSession")),
        )
        cycle = parse_cycle(cycle_raw) if cycle_raw else None
        session = parse_session(session_raw) if session_raw else None
        if cycle_raw and cycle is None:
            bad("UprCycle", "uhri_bad_cycle", cycle_raw, "warning")
        if session_raw and session is None:
            bad("UprSession", "uhri_bad_session", session_raw, "warning")
        by_session = cycle_of_session(session) if session else None
        if cycle is None:
            cycle = by_session
        elif by_session is not None and by_session != cycle:
            bad(
                "UprSession",
                "session_other_cycle",
                session_raw,
                "warning",
                cycle=cycle,
                session=session,
                session_cycle=by_session,
            )
        if upr and cycle is None:
            bad("UprSession", "uhri_no_cycle", session_raw, "warning")

        # As in the matrices, an SDG or an affected-persons block among the themes is no theme.
        themes, theme_groups, theme_sdgs = split_themes(_as_list(rec.get("Themes")))
        sdgs, unreadable = sdg_codes(_as_list(rec.get("Sdgs")) + theme_sdgs)
        for label in unreadable:
            bad("Sdgs", "bad_sdg", label, "warning")

        self.batch.recommendations.append(
            RawRecommendation(
                sur=states[0],
                text=text,
                cycle=cycle,
                session=session,
                ref=ref,
                response=response,
                response_raw=response_raw,
                recommending=recommending,
                themes=themes,
                groups=unique_ci(_as_list(rec.get("AffectedPersons")) + theme_groups),
                sdgs=sdgs,
                response_cite=cite,
                row=row,
                sheet=sheet,
            )
        )
        self.symbols.append(_first(rec.get("Symbol")))

    def finish(self, body_column: str | None, sheet: str | None) -> Batch:
        """Report the skipped rows and describe the document when the rows share one."""
        if self.skipped:
            total = sum(self.skipped.values())
            detail = ", ".join(f"{body} ×{n}" for body, n in self.skipped.most_common())
            self.problem(
                "uhri_other_bodies",
                row=None,
                column=body_column,
                value=detail,
                sheet=sheet,
                severity="warning",
                n=total,
            )
        recs = self.batch.recommendations
        symbols = set(self.symbols)
        if recs and len(symbols) == 1 and "" not in symbols:
            # One document (one Working Group report): say which, and the review it belongs to.
            surs = {r.sur for r in recs}
            cycles = {r.cycle for r in recs} - {None}
            sessions = {r.session for r in recs} - {None}
            self.batch.document = DocumentInfo(
                symbol=symbols.pop(),
                sur=surs.pop() if len(surs) == 1 else None,
                cycle=cycles.pop() if len(cycles) == 1 else None,
                session=sessions.pop() if len(sessions) == 1 else None,
            )
        return self.batch


def read_uhri_json(path: Path, upr_only: bool = True) -> Batch:
    """Read a UHRI JSON export; keeps UPR rows only unless `upr_only` is False."""
    file = path.name
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return _refused(file, "json_not_utf8", None, offset=exc.start)
    except json.JSONDecodeError as exc:
        return _refused(file, "json_broken", None, line=exc.lineno, col=exc.colno, why=exc.msg)
    records = _records(data)
    if not records or not any(_is_record(r) for r in records[:5]):
        if records and isinstance(records[0], dict):
            found: str | None = ", ".join(str(k) for k in sorted(records[0])[:8])
        else:
            found = None
        return _refused(file, "uhri_not_export", found, fields=", ".join(f"«{f}»" for f in JSON_FIELDS))
    has_body = any(isinstance(r, dict) and any(FIELD_OF.get(field_key(k)) == "Body" for k in r) for r in records)
    reader = _Reader(file, upr_only, has_body)
    if not has_body and upr_only:
        reader.problem(
            "uhri_no_body_field",
            row=None,
            column="Body",
            value=None,
            sheet=None,
            severity="warning",
        )
    for number, item in enumerate(records, start=1):
        if not isinstance(item, dict):
            reader.batch.rows_read += 1
            reader.problem(
                "uhri_not_object",
                row=number,
                column=None,
                value=type(item).__name__,
                sheet=None,
            )
            continue
        rec: dict[str, object] = {}
        names: dict[str, str] = {}
        for k in item:
            field = FIELD_OF.get(field_key(k))
            if field is not None and field not in rec:
                rec[field], names[field] = item[k], str(k)
        reader.read(rec, names, number, None)
    return reader.finish("Body", None)


def read_uhri_xlsx(path: Path, upr_only: bool = True) -> Batch:
    """Read a UHRI .xlsx export (first sheet with UHRI headers); keeps UPR rows only unless `upr_only` is False."""
    file = path.name
    try:
        sheets = read_workbook(path)
    except UnreadableFile as exc:
        batch = Batch(file=file, format="uhri", theme_source="uhri")
        batch.problems.append(exc.problem)
        return batch
    found = _find_header(sheets)
    if found is None:
        seen = "; ".join(f"«{s.name}»: {', '.join(h for h in s.headers if h)[:200]}" for s in sheets)
        return _refused(file, "uhri_no_header", seen or None)
    sheet, headers, rows = found
    fields = field_map(headers)
    missing = [f for f in _REQUIRED if f not in fields]
    if missing:
        batch = Batch(file=file, format="uhri", theme_source="uhri")
        for field in missing:
            spellings = ", ".join(f"«{a}»" for a in ALIASES[field][:4])
            batch.problems.append(
                problem(
                    file,
                    f"uhri_missing_{_REQUIRED[field]}",
                    sheet=sheet.name,
                    value=", ".join(h for h in headers if h),
                    spellings=spellings,
                )
            )
        return batch
    names = {field: headers[i] for field, i in fields.items()}
    reader = _Reader(file, upr_only, "Body" in fields)
    if "Body" not in fields and upr_only:
        reader.problem(
            "uhri_no_body_column",
            row=None,
            column=None,
            value=None,
            sheet=sheet.name,
            severity="warning",
        )
    for number, cells in rows:
        if all(cell_text(c) == "" for c in cells):
            continue
        rec = {f: (cells[i] if i < len(cells) else None) for f, i in fields.items()}
        reader.read(rec, names, number, sheet.name)
    return reader.finish(names.get("Body"), sheet.name)


def _find_header(
    sheets: list[Sheet],
) -> tuple[Sheet, list[str], list[tuple[int, list[object]]]] | None:
    """The first sheet with UHRI headers, allowing a few title rows above them."""
    for sheet in sheets:
        if looks_like_uhri_headers(sheet.headers):
            return sheet, sheet.headers, sheet.rows
        for k, (_, cells) in enumerate(sheet.rows[:5]):
            headers = [cell_text(c) for c in cells]
            if looks_like_uhri_headers(headers):
                return sheet, headers, sheet.rows[k + 1 :]
    return None


def _refused(file: str, code: str, value: str | None, **params: object) -> Batch:
    batch = Batch(file=file, format="uhri", theme_source="uhri")
    batch.problems.append(problem(file, code, value=value, **params))
    return batch


def _accepts(probe: Probe) -> bool:
    if probe.kind == "json":
        return looks_like_uhri_json(probe.json())
    return probe.path.suffix.lower() in (".xlsx", ".xlsm", "") and any(
        looks_like_uhri_headers(s.headers) for s in probe.sheets()
    )


def _read(probe: Probe) -> Batch:
    return read_uhri_json(probe.path) if probe.kind == "json" else read_uhri_xlsx(probe.path)


READER = Reader("uhri", frozenset({"xlsx", "json"}), _accepts, _read, "a UHRI export (.json/.xlsx)")

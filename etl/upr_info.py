"""The UPR Info database export: legacy .xls, .xlsx, and CSV (any encoding, any line ends).

One row per recommendation × recommending State and no paragraph numbers: rows with the same
text in the same review are one recommendation made by several States.
"""

from __future__ import annotations

from etl.model import Batch, Problem, RawRecommendation
from etl.tabular import Sheet, cell_text
from upr.vocab import cycle_of_session, parse_response

XLS_HEADERS = ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue", "Session"]
CSV_HEADERS = [
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
]
# Column positions, the same in both header generations.
SUR, TEXT, RS, RESPONSE, ACTION, ISSUE, SESSION = 0, 3, 4, 7, 8, 9, 10


def _norm(h: str) -> str:
    return str(h).strip().lower()


def looks_like_upr_info(headers: list[str]) -> bool:
    """Either header generation of the UPR Info export (the .xls one repeats Rgrp and Org)."""
    got = [_norm(h) for h in headers[: len(XLS_HEADERS)]]
    return got in ([_norm(h) for h in XLS_HEADERS], [_norm(h) for h in CSV_HEADERS])


def _text_key(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(" .;")


def _cell(value: object) -> str:
    # The hot path: CSV cells are already strings.
    return value.strip() if isinstance(value, str) else cell_text(value)


def read_upr_info_sheet(sheet: Sheet, file: str) -> Batch:
    """Read the export's rows into recommendations, grouping identical texts of one review."""
    from upr.themes import split_upr_info_issues

    batch = Batch(file=file, format="upr_info", theme_source="upr_info")
    groups: dict[tuple[str, int, str], RawRecommendation] = {}
    headers = sheet.headers
    issues_cache: dict[str, list[str]] = {}
    responses: dict[str, str | None] = {"": "pending"}
    width = len(XLS_HEADERS)
    for rownum, cells in sheet.rows:
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        sur, text, rs = _cell(cells[SUR]), _cell(cells[TEXT]), _cell(cells[RS])
        session_text, raw_response = _cell(cells[SESSION]), _cell(cells[RESPONSE])
        action_text, issue_cell = _cell(cells[ACTION]), _cell(cells[ISSUE])
        if not (sur or text or rs or session_text or raw_response or action_text or issue_cell) and all(
            _cell(c) == "" for c in cells
        ):
            continue
        batch.rows_read += 1

        def bad(pos: int, expected: str, value: object, severity: str = "error", rownum: int = rownum) -> None:
            batch.problems.append(
                Problem(
                    file,
                    expected,
                    sheet=sheet.name,
                    row=rownum,
                    column=headers[pos],
                    value=cell_text(value),
                    severity=severity,
                )
            )

        session = int(session_text) if session_text.isdigit() else None
        cycle = cycle_of_session(session) if session else None
        if not sur:
            bad(SUR, "the State under review", sur)
        if not text:
            bad(TEXT, "the text of the recommendation", text)
        if cycle is None:
            bad(SESSION, "a Working Group session number 1–54", session_text)
        if raw_response not in responses:
            responses[raw_response] = parse_response(raw_response)
        response = responses[raw_response]
        if response is None:
            bad(RESPONSE, "Accepted, Supported, Noted or Supported/Noted", raw_response, "warning")
        action = int(action_text) if action_text in ("1", "2", "3", "4", "5") else None
        if action_text and action is None:
            bad(ACTION, "an action category 1–5", action_text, "warning")
        if not (sur and text and cycle):
            continue
        key = (sur, session or 0, _text_key(text))
        rec = groups.get(key)
        if rec is None:
            if issue_cell not in issues_cache:
                issues_cache[issue_cell] = split_upr_info_issues(issue_cell)
            rec = groups[key] = RawRecommendation(
                sur=sur,
                text=text,
                cycle=cycle,
                session=session,
                response=response,
                response_raw=raw_response or None,
                action=action,
                row=rownum,
                sheet=sheet.name,
                themes=list(issues_cache[issue_cell]),
            )
        elif response != rec.response:
            bad(
                RESPONSE,
                f"the same response as row {rec.row} for the same recommendation "
                f"({rec.response_raw}); kept as supported in part",
                raw_response,
                "warning",
            )
            rec.response = "supported_in_part"
        if rs and rs not in rec.recommending:
            rec.recommending.append(rs)
        elif not rs:
            bad(RS, "the recommending State", rs, "warning")
    batch.recommendations = list(groups.values())
    return batch

"""The UPR Info database export: legacy .xls, .xlsx, and CSV (any encoding, any line ends).

One row per recommendation × recommending State and no paragraph numbers: rows with the same
text in the same review are one recommendation made by several States.
"""

from __future__ import annotations

from etl.model import Batch, Problem, RecTable
from etl.model import text_key as make_text_key
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


def _column(values: tuple, pos: int) -> list[str]:
    try:
        return list(map(str.strip, values))  # CSV cells are all strings
    except TypeError:  # workbook cells may be numbers, dates or empty
        return [v.strip() if isinstance(v, str) else cell_text(v) for v in values]


def read_upr_info_sheet(sheet: Sheet, file: str) -> Batch:
    """Read the export's rows into recommendations, grouping identical texts of one review.

    Works column by column and returns a RecTable: a world export has 100,000 rows.
    """
    from upr.themes import split_upr_info_issues

    batch = Batch(file=file, format="upr_info", theme_source="upr_info")
    width = len(XLS_HEADERS)
    nums, columns = sheet.columns(width)
    if not nums:
        batch.table = RecTable(sheet=sheet.name)
        return batch
    sur, text, rs = _column(columns[SUR], SUR), _column(columns[TEXT], TEXT), _column(columns[RS], RS)
    session_text, raw_response = _column(columns[SESSION], SESSION), _column(columns[RESPONSE], RESPONSE)
    action_text, issue_cell = _column(columns[ACTION], ACTION), _column(columns[ISSUE], ISSUE)
    responses = {value: parse_response(value) if value else "pending" for value in set(raw_response)}
    issues = {cell: tuple(split_upr_info_issues(cell)) for cell in set(issue_cell)}
    actions = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
    sessions = {st: int(st) if st.isdigit() else None for st in set(session_text)}
    cycles = {st: cycle_of_session(n) if n else None for st, n in sessions.items()}
    headers = sheet.headers

    found: list[tuple[int, int, Problem]] = []

    def bad(i: int, pos: int, expected: str, value: object, severity: str = "error") -> None:
        problem = Problem(
            file,
            expected,
            sheet=sheet.name,
            row=nums[i],
            column=headers[pos],
            value=cell_text(value),
            severity=severity,
        )
        found.append((i, pos, problem))

    # Column by column: a world export has 100,000 rows, and per-row Python is what costs.
    cycle = [cycles[st] for st in session_text]
    usable = [bool(a and b and c) for a, b, c in zip(sur, text, cycle)]
    skipped = set()
    for i in (i for i, ok in enumerate(usable) if not ok):
        if not any(cell_text(col[i]) for col in columns):
            skipped.add(i)  # an empty row
            continue
        if not sur[i]:
            bad(i, SUR, "the State under review", sur[i])
        if not text[i]:
            bad(i, TEXT, "the text of the recommendation", text[i])
        if cycle[i] is None:
            bad(i, SESSION, "a Working Group session number 1–54", session_text[i])
    batch.rows_read = len(nums) - len(skipped)
    response = [responses[r] for r in raw_response]
    action = [actions.get(a) for a in action_text]
    for i in range(len(nums)):
        if i in skipped:
            continue
        if response[i] is None:
            bad(i, RESPONSE, "Accepted, Supported, Noted or Supported/Noted", raw_response[i], "warning")
        if action[i] is None and action_text[i]:
            bad(i, ACTION, "an action category 1–5", action_text[i], "warning")
        if not rs[i]:
            bad(i, RS, "the recommending State", rs[i], "warning")
    keys = [make_text_key(t) if ok else "" for t, ok in zip(text, usable)]
    first: dict[tuple[str, str, str], int] = {}
    for i, group in enumerate(zip(sur, session_text, keys)):
        if usable[i] and group not in first:
            first[group] = i
    heads = list(first.values())
    slot = {group: n for n, group in enumerate(first)}
    table = RecTable(
        sur=[sur[i] for i in heads],
        cycle=[cycle[i] for i in heads],
        session=[sessions[session_text[i]] for i in heads],
        text=[text[i] for i in heads],
        key=[keys[i] for i in heads],
        response=[response[i] for i in heads],
        response_raw=[raw_response[i] or None for i in heads],
        action=[action[i] for i in heads],
        recommending=[[] for _ in heads],
        themes=[issues[issue_cell[i]] for i in heads],
        row=[nums[i] for i in heads],
        sheet=sheet.name,
    )
    for i, group in enumerate(zip(sur, session_text, keys)):
        if not usable[i]:
            continue
        n = slot[group]
        states = table.recommending[n]
        if rs[i] and rs[i] not in states:
            states.append(rs[i])
        if response[i] != response[heads[n]]:
            bad(
                i,
                RESPONSE,
                f"the same response as row {table.row[n]} for the same recommendation "
                f"({table.response_raw[n]}); kept as supported in part",
                raw_response[i],
                "warning",
            )
            table.response[n] = "supported_in_part"
    batch.problems = [p for _, _, p in sorted(found, key=lambda f: (f[0], f[1]))]
    batch.table = table
    return batch

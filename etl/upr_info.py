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
    # CSV cells are strings already; workbook cells may be numbers or dates.
    return [v.strip() if isinstance(v, str) else cell_text(v) for v in values]


def read_upr_info_sheet(sheet: Sheet, file: str) -> Batch:
    """Read the export's rows into recommendations, grouping identical texts of one review.

    Works column by column and returns a RecTable: a world export has 100,000 rows.
    """
    from upr.themes import split_upr_info_issues

    batch = Batch(file=file, format="upr_info", theme_source="upr_info")
    width = len(XLS_HEADERS)
    rows = [cells if len(cells) >= width else list(cells) + [None] * (width - len(cells)) for _, cells in sheet.rows]
    if not rows:
        batch.table = RecTable(sheet=sheet.name)
        return batch
    columns = list(zip(*rows))
    nums = [n for n, _ in sheet.rows]
    sur, text, rs = _column(columns[SUR], SUR), _column(columns[TEXT], TEXT), _column(columns[RS], RS)
    session_text, raw_response = _column(columns[SESSION], SESSION), _column(columns[RESPONSE], RESPONSE)
    action_text, issue_cell = _column(columns[ACTION], ACTION), _column(columns[ISSUE], ISSUE)
    responses = {value: parse_response(value) if value else "pending" for value in set(raw_response)}
    issues = {cell: tuple(split_upr_info_issues(cell)) for cell in set(issue_cell)}
    actions = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
    headers = sheet.headers

    def bad(i: int, pos: int, expected: str, value: object, severity: str = "error") -> None:
        batch.problems.append(
            Problem(
                file,
                expected,
                sheet=sheet.name,
                row=nums[i],
                column=headers[pos],
                value=cell_text(value),
                severity=severity,
            )
        )

    table = RecTable(sheet=sheet.name)
    groups: dict[tuple[str, int, str], int] = {}
    for i in range(len(rows)):
        s, t, st = sur[i], text[i], session_text[i]
        session = int(st) if st.isdigit() else None
        cycle = cycle_of_session(session) if session else None
        if not (s and t and cycle):
            if not (s or t or st or rs[i] or raw_response[i] or action_text[i] or issue_cell[i]) and all(
                cell_text(c) == "" for c in rows[i]
            ):
                continue  # an empty row
            if not s:
                bad(i, SUR, "the State under review", s)
            if not t:
                bad(i, TEXT, "the text of the recommendation", t)
            if cycle is None:
                bad(i, SESSION, "a Working Group session number 1–54", st)
        batch.rows_read += 1
        response = responses[raw_response[i]]
        if response is None:
            bad(i, RESPONSE, "Accepted, Supported, Noted or Supported/Noted", raw_response[i], "warning")
        action = actions.get(action_text[i])
        if action_text[i] and action is None:
            bad(i, ACTION, "an action category 1–5", action_text[i], "warning")
        if not (s and t and cycle):
            continue
        text_key = make_text_key(t)
        key = (s, session, text_key)
        g = groups.get(key)
        if g is None:
            g = groups[key] = len(table.text)
            table.sur.append(s)
            table.cycle.append(cycle)
            table.session.append(session)
            table.text.append(t)
            table.key.append(text_key)
            table.response.append(response)
            table.response_raw.append(raw_response[i] or None)
            table.action.append(action)
            table.recommending.append([])
            table.themes.append(issues[issue_cell[i]])
            table.row.append(nums[i])
        elif response != table.response[g]:
            bad(
                i,
                RESPONSE,
                f"the same response as row {table.row[g]} for the same recommendation "
                f"({table.response_raw[g]}); kept as supported in part",
                raw_response[i],
                "warning",
            )
            table.response[g] = "supported_in_part"
        if rs[i]:
            if rs[i] not in table.recommending[g]:
                table.recommending[g].append(rs[i])
        else:
            bad(i, RS, "the recommending State", rs[i], "warning")
    batch.table = table
    return batch

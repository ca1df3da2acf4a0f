"""The UPR Info database export: legacy .xls, .xlsx, and CSV (any encoding, any line ends).

One row per recommendation × recommending State and no paragraph numbers: rows with the same
text in the same review are one recommendation made by several States.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.messages import problem
from etl.model import Batch, Problem, RecTable, encode_distinct, first_appearance_groups, text_keys
from etl.readers.base import Probe, Reader
from etl.tabular import Sheet
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


ACTIONS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


def _per_value(values: list, codes: np.ndarray, dtype: type = bool) -> np.ndarray:
    """`values`, one per distinct cell, spread over the rows holding each cell."""
    return np.array(values, dtype=dtype)[codes]


def _take(values: list, type_: pa.DataType, codes: np.ndarray) -> pa.Array:
    """`values`, one per distinct cell, as an Arrow array over the rows holding each cell."""
    return pa.array(values, type_).take(pa.array(codes))


def _session_number(text: str) -> int | None:
    try:
        return int(text) if text.isdecimal() else None
    except ValueError:  # more digits than int() converts: no session either
        return None


def _states_per_group(group: np.ndarray, rows: np.ndarray, rs_code: np.ndarray, rs: pa.Array, n: int) -> pa.ListArray:
    """Each group's recommending States (non-empty cells of `rs`), each once, in the order of their first row.

    `group[k]` is the group of row `rows[k]`; `rs_code` numbers the distinct cells of `rs`.
    """
    named = (pc.binary_length(rs).to_numpy() > 0)[rows]
    pair_rows, pair_group = rows[named], group[named]
    kept = np.unique(pair_group * (int(rs_code.max()) + 1) + rs_code[pair_rows], return_index=True)[1]
    kept = kept[np.lexsort((kept, pair_group[kept]))]  # by group, then by row
    offsets = np.concatenate(([0], np.cumsum(np.bincount(pair_group[kept], minlength=n))))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), rs.take(pa.array(pair_rows[kept])))


class _Actions(NamedTuple):
    kept: np.ndarray  # each group's action category, 0 when none
    differing: list[tuple[int, int]]  # (row, the group's first row with the kept category) where they differ


def _group_actions(group: np.ndarray, rows: np.ndarray, per_row: np.ndarray, n: int) -> _Actions:
    """The action category of each group of rows: the highest its rows give (the most specific request),
    whatever their order; and the rows that gave another."""
    act = per_row[rows]
    kept = np.zeros(n, dtype=np.int64)
    np.maximum.at(kept, group, act)
    at_max = np.flatnonzero(act == kept[group])
    first_max = np.empty(n, dtype=np.int64)
    order = np.unique(group[at_max], return_index=True)[1]
    first_max[group[at_max[order]]] = rows[at_max[order]]
    odd = np.flatnonzero((act > 0) & (act != kept[group]))
    return _Actions(kept, list(zip(rows[odd].tolist(), first_max[group[odd]].tolist())))


def _group_themes(
    group: np.ndarray, rows: np.ndarray, issue_code: np.ndarray, themes: list[list[str]], heads: np.ndarray
) -> pa.ListArray:
    """Each group's issues: those of every row, each once, in the order of the rows (UPR Info gives the
    rows of one recommendation their own issues)."""
    width = len(themes) or 1
    kept = np.sort(np.unique(group * width + issue_code[rows], return_index=True)[1])
    out = _take(themes, pa.list_(pa.string()), issue_code[heads])
    several = np.flatnonzero(np.bincount(group[kept], minlength=len(heads)) > 1)
    if not len(several):
        return out
    union: dict[int, dict[str, None]] = {int(g): {} for g in several}
    for k in kept.tolist():
        if int(group[k]) in union:
            union[int(group[k])].update(dict.fromkeys(themes[issue_code[rows[k]]]))
    lists = out.to_pylist()
    for g, labels in union.items():
        lists[g] = list(labels)
    return pa.array(lists, pa.list_(pa.string()))


def read_upr_info_sheet(sheet: Sheet, file: str) -> Batch:
    """Read the export's rows into recommendations, grouping identical texts of one review.

    Works on Arrow columns and returns a RecTable: a world export has 100,000 rows, and per-row
    Python is what costs. What depends on a cell alone is worked out once per distinct cell.
    """
    from upr.themes import split_upr_info_issues

    batch = Batch(file=file, format="upr_info", theme_source="upr_info")
    nums, columns = sheet.text_columns(len(XLS_HEADERS))
    n = len(nums)
    if not n:
        batch.table = RecTable.empty(sheet.name)
        return batch
    headers = sheet.headers
    found: list[tuple[int, int, Problem]] = []

    def bad(i: int, pos: int, code: str, value: str, severity: str = "error", **params: object) -> None:
        found_problem = problem(
            file,
            code,
            sheet=sheet.name,
            row=int(nums[i]),
            column=headers[pos],
            value=value,
            severity=severity,
            **params,
        )
        found.append((i, pos, found_problem))

    sur_code, sur_names = encode_distinct(columns[SUR])
    session_code, session_texts = encode_distinct(columns[SESSION])
    response_code, raw_responses = encode_distinct(columns[RESPONSE])
    action_code, action_texts = encode_distinct(columns[ACTION])
    issue_code, issue_cells = encode_distinct(columns[ISSUE])
    rs_code, rs_names = encode_distinct(columns[RS])
    text = columns[TEXT]
    sessions = [_session_number(st) for st in session_texts]
    cycles = [cycle_of_session(s) if s else None for s in sessions]
    sessions = [s if c else None for s, c in zip(sessions, cycles)]  # a row without a cycle is not kept
    responses = [parse_response(value) if value else "pending" for value in raw_responses]
    actions = [ACTIONS.get(a) for a in action_texts]

    has_text = pc.binary_length(text).to_numpy() > 0
    cycle = _per_value([c or 0 for c in cycles], session_code, np.int64)  # 0: none
    usable = _per_value([bool(s) for s in sur_names], sur_code) & has_text & (cycle > 0)
    filled = np.zeros(n, dtype=bool)
    for column in columns:
        filled |= pc.binary_length(column).to_numpy() > 0
    batch.rows_read = int(filled.sum())  # an empty row is skipped
    for i in np.flatnonzero(~usable & filled).tolist():
        if not sur_names[sur_code[i]]:
            bad(i, SUR, "missing_sur", "")
        if not has_text[i]:
            bad(i, TEXT, "missing_text", "")
        if not cycle[i]:
            bad(i, SESSION, "worded_session", session_texts[session_code[i]])
    odd_response = _per_value([r is None for r in responses], response_code) & filled
    odd_action = _per_value([a is None and bool(t) for a, t in zip(actions, action_texts)], action_code) & filled
    no_rs = _per_value([not name for name in rs_names], rs_code) & filled
    for i in np.flatnonzero(odd_response | odd_action | no_rs).tolist():
        if odd_response[i]:
            bad(i, RESPONSE, "worded_upr_info_response", raw_responses[response_code[i]], "warning")
        if odd_action[i]:
            bad(i, ACTION, "bad_action", action_texts[action_code[i]], "warning")
        if no_rs[i]:
            bad(i, RS, "worded_recommending", "", "warning")

    # Usable rows with the same text (by its key) in the same review are one recommendation.
    rows = np.flatnonzero(usable)
    keys = text_keys(text if len(rows) == n else text.take(pa.array(rows)))
    key_code = pc.dictionary_encode(keys).indices.to_numpy(zero_copy_only=False)
    review = first_appearance_groups(sur_code[rows].astype(np.int64) * len(session_texts) + session_code[rows])[0]
    group, first = first_appearance_groups(review * (int(key_code.max(initial=0)) + 1) + key_code)
    heads = rows[first]

    # A different response to the same recommendation makes it supported in part, with a warning.
    canonical = {code: k for k, code in enumerate(dict.fromkeys(responses))}
    response = _per_value([canonical[r] for r in responses], response_code, np.int64)
    head_of_row = heads[group]
    differs = response[rows] != response[head_of_row]
    for i, head in zip(rows[differs].tolist(), head_of_row[differs].tolist()):
        bad(
            i,
            RESPONSE,
            "upr_info_response_differs",
            raw_responses[response_code[i]],
            "warning",
            first_row=int(nums[head]),
            first=raw_responses[response_code[head]] or "—",
        )
    in_part = np.zeros(len(heads), dtype=bool)
    in_part[group[differs]] = True
    action = _group_actions(group, rows, _per_value([a or 0 for a in actions], action_code, np.int64), len(heads))
    for i, ref in action.differing:
        bad(
            i,
            ACTION,
            "upr_info_action_differs",
            action_texts[action_code[i]],
            "warning",
            first_row=int(nums[ref]),
            first=action_texts[action_code[ref]],
        )

    themes = [list(split_upr_info_issues(cell)) for cell in issue_cells]
    batch.table = RecTable(
        sur=columns[SUR].take(pa.array(heads)),
        cycle=pa.array(cycle[heads]),
        session=_take(sessions, pa.int64(), session_code[heads]),
        text=text.take(pa.array(heads)),
        key=keys.take(pa.array(first)),
        response=pc.if_else(
            pa.array(in_part), "supported_in_part", _take(responses, pa.string(), response_code[heads])
        ),
        response_raw=_take([r or None for r in raw_responses], pa.string(), response_code[heads]),
        action=pa.array(action.kept, pa.int64(), mask=action.kept == 0),
        recommending=_states_per_group(group, rows, rs_code, columns[RS], len(heads)),
        themes=_group_themes(group, rows, issue_code, themes, heads),
        row=pa.array(nums[heads]),
        sheet=sheet.name,
    )
    batch.problems = [p for _, _, p in sorted(found, key=lambda f: (f[0], f[1]))]
    return batch


def _accepts(probe: Probe) -> bool:
    return any(looks_like_upr_info(s.headers) for s in probe.sheets())


def _read(probe: Probe) -> Batch:
    sheet = next(s for s in probe.sheets() if looks_like_upr_info(s.headers))
    return read_upr_info_sheet(sheet, probe.name)


READER = Reader("upr_info", frozenset({"xlsx", "ole", "text"}), _accepts, _read, "a UPR Info export (.xls/.xlsx/.csv)")

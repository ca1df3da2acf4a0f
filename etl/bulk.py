"""Bulk writes: Arrow tables into DuckDB, and the fast path for a large batch into new reviews."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import NamedTuple

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.model import Batch, Problem, RecTable, encode_distinct, first_appearance_groups, make_rec_ids
from etl.report import ImportReport
from etl.resolve import CachedIndexes, unknown_state
from etl.reviews import get_reviews

THEME_UNKNOWN = "a theme the project can map; kept with its own label"


def execute_named(con, sql: str, params: dict[str, object]) -> None:
    """Execute with just the named parameters the statement uses (DuckDB refuses extra ones)."""
    con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})


class _Links(NamedTuple):
    """One list column flattened into link rows."""

    owner: np.ndarray  # the recommendation (row of the table) each link belongs to
    code: pa.Array  # the resolved code, null when unknown
    label: pa.Array  # the label as written
    unknown: np.ndarray  # positions of the links whose code is null


def _links(lists: pa.ListArray, resolve: Callable[[str], str | None], once_per_code: bool) -> _Links:
    """Resolve every label of a list column (once per distinct label); each label counts once per row.

    With `once_per_code`, so does each code: two spellings of one State are one State, as
    CachedIndexes.states_of has it.
    """
    labels = pc.list_flatten(lists)
    owner = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    label_code, distinct = encode_distinct(labels)
    codes = [resolve(label) for label in distinct]
    if once_per_code:
        code_ids = {c: k for k, c in enumerate(dict.fromkeys(c for c in codes if c is not None))}
        # An unresolved label stands for itself, numbered after every code.
        same = [code_ids[c] if c is not None else len(code_ids) + k for k, c in enumerate(codes)]
    else:
        same = list(range(len(distinct)))
    width = max(same, default=0) + 1
    kept = np.sort(np.unique(owner * width + np.array(same, dtype=np.int64)[label_code], return_index=True)[1])
    kept_codes = label_code[kept]
    unknown = np.flatnonzero(np.array([c is None for c in codes], dtype=bool)[kept_codes])
    return _Links(
        owner[kept], pa.array(codes, pa.string()).take(pa.array(kept_codes)), labels.take(pa.array(kept)), unknown
    )


def _free_ids(con: duckdb.DuckDBPyConnection, ids: pa.Array) -> pa.Array:
    """`ids`, with a suffix on any already taken (in the database, or earlier in `ids`), as one by one."""
    con.register("_bulk_ids", pa.table({"id": ids}))
    try:
        clash = con.execute("SELECT 1 FROM recommendation WHERE id IN (SELECT id FROM _bulk_ids) LIMIT 1").fetchall()
    finally:
        con.unregister("_bulk_ids")
    if not clash and pc.count_distinct(ids).as_py() == len(ids):
        return ids
    # Rare: a hash collision in one review, or an id some earlier import holds.
    taken = {r[0] for r in con.execute("SELECT id FROM recommendation").fetchall()}
    free = []
    for base in ids.to_pylist():
        rec_id, n = base, 1
        while rec_id in taken:
            n += 1
            rec_id = f"{base}~{n}"
        taken.add(rec_id)
        free.append(rec_id)
    return pa.array(free, pa.string())


def _rows_of(t: RecTable, mask: np.ndarray) -> RecTable:
    """The recommendations of `t` where `mask` is true."""
    at = pa.array(np.flatnonzero(mask))
    columns = {f.name: getattr(t, f.name) for f in fields(t) if f.name != "sheet"}
    return RecTable(**{name: column.take(at) for name, column in columns.items()}, sheet=t.sheet)


def load_new_table(con, batch: Batch, report: ImportReport, import_id: int) -> bool:
    """Load a columnar batch whose reviews hold no recommendations yet, in bulk; False if some do.

    When some do, the recommendations of the others are loaded in bulk all the same, and
    `batch.table` keeps only those of the reviews that hold some, for the one-by-one path.
    Writes exactly the rows the general path would (a test compares the two), without an object
    per recommendation: a world-scale UPR Info export has 100,000 rows. Names are resolved once
    per distinct name.
    """
    t = batch.table
    if not len(t):
        return True
    rows = t.row.to_numpy(zero_copy_only=False)
    indexes = CachedIndexes()
    sur_code, sur_names = encode_distinct(t.sur)
    sur_iso3 = [indexes.resolve(name) for name in sur_names]
    if None in sur_iso3:
        for i in np.flatnonzero(np.array([c is None for c in sur_iso3], dtype=bool)[sur_code]).tolist():
            report.problems.append(
                Problem(
                    batch.file,
                    unknown_state(sur_names[sur_code[i]], under_review=True),
                    sheet=t.sheet,
                    row=int(rows[i]),
                    column="State under review",
                    value=sur_names[sur_code[i]],
                )
            )
        return True
    # Reviews in the order of their first recommendation, as the one-by-one path creates them.
    iso3_ids = {iso3: k for k, iso3 in enumerate(dict.fromkeys(sur_iso3))}
    iso3_of = np.array([iso3_ids[c] for c in sur_iso3], dtype=np.int64)[sur_code]
    cycles = t.cycle.to_numpy(zero_copy_only=False).astype(np.int64)
    review_of, firsts = first_appearance_groups(iso3_of * (int(cycles.max()) + 1) + cycles)
    keys = [(sur_iso3[sur_code[i]], int(cycles[i])) for i in firsts.tolist()]
    filled = set(
        con.execute(
            "SELECT DISTINCT v.sur_iso3, v.cycle FROM review v JOIN recommendation r ON r.review_id = v.id"
        ).fetchall()
    )
    if not filled.isdisjoint(keys):
        held = np.array([k in filled for k in keys], dtype=bool)[review_of]
        if held.all():
            return False
        # The reviews that hold none yet in bulk; the others stay in the batch, for the one-by-one path.
        batch.table = _rows_of(t, ~held)
        load_new_table(con, batch, report, import_id)
        batch.table = _rows_of(t, held)
        return False

    sessions = dict(zip(keys, t.session.take(pa.array(firsts)).to_pylist()))
    review_ids = get_reviews(con, keys, batch, sessions, import_id)
    review_id = pa.array(np.array([review_ids[k] for k in keys], dtype=np.int32)[review_of])
    prefixes = pa.array([f"{iso3}-{cycle}-t" for iso3, cycle in keys], pa.string()).take(pa.array(review_of))
    ids = _free_ids(con, make_rec_ids(prefixes, t.key))

    source = batch.theme_source
    states = _links(t.recommending, indexes.resolve, True)
    themes = _links(t.themes, lambda label: indexes.resolve_theme(source, label), False)
    # Warnings in the order the one-by-one path gives them: per recommendation, States then themes.
    unknown = [(int(states.owner[k]), 0, k) for k in states.unknown.tolist()]
    unknown += [(int(themes.owner[k]), 1, k) for k in themes.unknown.tolist()]
    for owner, kind, k in sorted(unknown):
        column, links = ("Themes", themes) if kind else ("Recommending States", states)
        label = links.label[k].as_py()
        report.problems.append(
            Problem(
                batch.file,
                THEME_UNKNOWN if kind else unknown_state(label),
                sheet=t.sheet,
                row=int(rows[owner]),
                column=column,
                value=label,
                severity="warning",
            )
        )

    recs = pa.table(
        {
            "id": ids,
            "review_id": review_id,
            "response": t.response,
            "action": t.action.cast(pa.int32()),
            "text": t.text,
            "row": t.row.cast(pa.int32()),
            "response_raw": t.response_raw,
        }
    )
    params = {"import_id": import_id, "fmt": batch.format, "source": source}
    con.register("_bulk_recs", recs)
    try:
        # The same rows _insert_new() writes for a new recommendation without a paragraph number.
        execute_named(
            con,
            "INSERT INTO recommendation (id, review_id, ref, response, response_source, action_category, agency, "
            "import_id) SELECT id, review_id, NULL, response, "
            "CASE WHEN response IS NOT NULL THEN $fmt END, action, NULL, $import_id FROM _bulk_recs",
            params,
        )
        execute_named(con, "INSERT INTO rec_text SELECT id, 'en', text, true, $import_id FROM _bulk_recs", params)
        execute_named(
            con,
            "INSERT INTO rec_source SELECT id, $import_id, NULL, $fmt, row, NULL, response, response_raw, NULL "
            "FROM _bulk_recs",
            params,
        )
    finally:
        con.unregister("_bulk_recs")
    for table, links, select in (
        ("rec_state", states, "SELECT rec_id, code, label, $import_id FROM _bulk_links"),
        ("rec_theme", themes, "SELECT rec_id, code, $source, label, $import_id FROM _bulk_links"),
    ):
        con.register(
            "_bulk_links",
            pa.table({"rec_id": ids.take(pa.array(links.owner)), "code": links.code, "label": links.label}),
        )
        try:
            execute_named(con, f"INSERT INTO {table} {select}", params)  # noqa: S608 - names are ours
        finally:
            con.unregister("_bulk_links")
    report.added += len(ids)
    return True

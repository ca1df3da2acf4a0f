"""Bulk writes: Arrow tables into DuckDB, and the fast path for a large batch into new reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa

from etl.model import Batch, Problem, make_rec_id
from etl.resolve import CachedIndexes

if TYPE_CHECKING:
    from etl.load import ImportReport


def execute_named(con, sql: str, params: dict[str, object]) -> None:
    """Execute with just the named parameters the statement uses (DuckDB refuses extra ones)."""
    con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})


def arrow_table(**columns: object) -> pa.Table:
    """An Arrow table from Python lists (strings become Arrow strings, None becomes null)."""
    return pa.table(
        {name: col if isinstance(col, pa.Array) else pa.array(col, pa.string()) for name, col in columns.items()}
    )


def bulk_insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows (tuples in `columns` order) in one statement."""
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    con.register("_bulk_rows", frame)
    try:
        cols = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _bulk_rows")  # noqa: S608 - names are ours
    finally:
        con.unregister("_bulk_rows")


def load_new_table(con, batch: Batch, report: ImportReport, import_id: int) -> bool:
    """Load a columnar batch whose reviews hold no recommendations yet, in bulk; False if some do.

    Writes exactly the rows the general path would (a test compares the two), without an object
    per recommendation: a world-scale UPR Info export has 100,000 rows.
    """
    t = batch.table
    indexes = CachedIndexes()
    sur_iso3 = {name: indexes.resolve(name) for name in set(t.sur)}
    if None in sur_iso3.values():
        for name, row in zip(t.sur, t.row):
            if sur_iso3[name] is None:
                report.problems.append(
                    Problem(
                        batch.file,
                        "a State under review known to the UN list (name in en/ru/kk or ISO3)",
                        sheet=t.sheet,
                        row=row,
                        column="State under review",
                        value=name,
                    )
                )
        return True
    iso3s = [sur_iso3[name] for name in t.sur]
    keys = set(zip(iso3s, t.cycle))
    filled = set(
        con.execute(
            "SELECT DISTINCT v.sur_iso3, v.cycle FROM review v JOIN recommendation r ON r.review_id = v.id"
        ).fetchall()
    )
    if keys & filled:
        return False
    sessions: dict[tuple[str, int], int | None] = {}
    for key, session in zip(zip(iso3s, t.cycle), t.session):
        sessions.setdefault(key, session)
    from etl.reconcile import get_reviews

    review_ids = get_reviews(con, list(dict.fromkeys(zip(iso3s, t.cycle))), batch, sessions, import_id)
    taken = {r[0] for r in con.execute("SELECT id FROM recommendation").fetchall()}
    fmt, source = batch.format, batch.theme_source

    def warn(row: int, column: str, value: str, expected: str) -> None:
        report.problems.append(
            Problem(batch.file, expected, sheet=t.sheet, row=row, column=column, value=value, severity="warning")
        )

    ids = [make_rec_id(iso3, cycle, None, text, key) for iso3, cycle, text, key in zip(iso3s, t.cycle, t.text, t.key)]
    if len(set(ids)) < len(ids) or not taken.isdisjoint(ids):
        # Rare: an id already in use (or a hash collision in one review) gets a suffix, as one by one.
        ids, bases = [], ids
        for base in bases:
            rec_id, n = base, 1
            while rec_id in taken:
                n += 1
                rec_id = f"{base}~{n}"
            taken.add(rec_id)
            ids.append(rec_id)
    state_ids, state_iso3, state_labels = [], [], []
    theme_ids, theme_codes, theme_labels = [], [], []
    # Per distinct list of names: the resolved columns, so each recommendation only extends lists.
    state_cols: dict[tuple[str, ...], tuple[list, list, bool]] = {}
    theme_cols: dict[tuple[str, ...], tuple[list, list, bool]] = {}
    for rec_id, row, named, labels in zip(ids, t.row, t.recommending, t.themes):
        named = tuple(named)
        if named not in state_cols:
            pairs = indexes.states_of(named)
            state_cols[named] = ([p[0] for p in pairs], [p[1] for p in pairs], any(p[0] is None for p in pairs))
        codes, names, unknown = state_cols[named]
        state_ids.extend([rec_id] * len(codes))
        state_iso3.extend(codes)
        state_labels.extend(names)
        if unknown:
            for state, label in zip(codes, names):
                if state is None:
                    warn(row, "Recommending States", label, "a State known to the UN list; kept as written")
        if labels not in theme_cols:
            pairs = indexes.themes_of(source, labels)
            theme_cols[labels] = ([p[0] for p in pairs], [p[1] for p in pairs], any(p[0] is None for p in pairs))
        codes, names, unknown = theme_cols[labels]
        theme_ids.extend([rec_id] * len(codes))
        theme_codes.extend(codes)
        theme_labels.extend(names)
        if unknown:
            for code, label in zip(codes, names):
                if code is None:
                    warn(row, "Themes", label, "a theme the project can map; kept with its own label")
    recs = arrow_table(
        id=ids,
        review_id=pa.array([review_ids[k] for k in zip(iso3s, t.cycle)], pa.int32()),
        response=t.response,
        action=pa.array(t.action, pa.int32()),
        text=t.text,
        row=pa.array(t.row, pa.int32()),
        response_raw=t.response_raw,
    )
    params = {"import_id": import_id, "fmt": fmt, "source": source}
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
            "INSERT INTO rec_source SELECT id, $import_id, NULL, $fmt, row, NULL, response, response_raw "
            "FROM _bulk_recs",
            params,
        )
    finally:
        con.unregister("_bulk_recs")
    for table, frame, select in (
        (
            "rec_state",
            arrow_table(rec_id=state_ids, iso3=state_iso3, label=state_labels),
            "SELECT rec_id, iso3, label, $import_id FROM _bulk_links",
        ),
        (
            "rec_theme",
            arrow_table(rec_id=theme_ids, code=theme_codes, label=theme_labels),
            "SELECT rec_id, code, $source, label, $import_id FROM _bulk_links",
        ),
    ):
        con.register("_bulk_links", frame)
        try:
            execute_named(con, f"INSERT INTO {table} {select}", params)  # noqa: S608 - names are ours
        finally:
            con.unregister("_bulk_links")
    report.added += len(ids)
    return True

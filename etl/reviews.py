"""Rows in bulk, and the review (State under review, cycle) each recommendation belongs to."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pyarrow as pa

from etl.model import Batch


def bulk_insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows (tuples in `columns` order) in one statement."""
    if not rows:
        return
    try:
        # Arrow columns: a tenth of what a pandas frame of objects costs to build for a few hundred rows.
        frame = pa.table([pa.array(list(values)) for values in zip(*rows)], names=columns)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column mixing types: let DuckDB cast each value
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
    con.register("_bulk_rows", frame)
    try:
        cols = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _bulk_rows")  # noqa: S608 - names are ours
    finally:
        con.unregister("_bulk_rows")


def get_reviews(
    con, keys: list[tuple[str, int]], batch: Batch, sessions: dict[tuple[str, int], int | None], import_id: int
) -> dict[tuple[str, int], int]:
    """Review ids for (State, cycle) pairs, creating the missing ones; fills session, date, symbol if unknown."""
    doc = batch.document
    review_date = doc.review_date if doc else None
    symbol = doc.symbol if doc and batch.format == "wg_report" else None
    wanted = {k: (sessions.get(k) or (doc.session if doc else None)) for k in keys}
    found = {
        (iso3, cycle): (rid, session, rdate, rsym)
        for rid, iso3, cycle, session, rdate, rsym in con.execute(
            "SELECT id, sur_iso3, cycle, session, review_date, report_symbol FROM review"
        ).fetchall()
        if (iso3, cycle) in wanted
    }
    ids: dict[tuple[str, int], int] = {}
    for key, (rid, session, rdate, rsym) in found.items():
        ids[key] = rid
        fill = (session is None and wanted[key]) or (rdate is None and review_date) or (rsym is None and symbol)
        if fill:
            # Kept so that reverting this import restores the review exactly.
            old = json.dumps([session, rdate.isoformat() if rdate else None, rsym])
            con.execute("INSERT INTO rec_change VALUES (?, ?, 'review', ?)", [import_id, f"review:{rid}", old])
            con.execute(
                "UPDATE review SET session = coalesce(session, ?), review_date = coalesce(review_date, ?), "
                "report_symbol = coalesce(report_symbol, ?) WHERE id = ?",
                [wanted[key], review_date, symbol, rid],
            )
    missing = [k for k in keys if k not in found]
    if missing:
        new_ids = [
            r[0] for r in con.execute("SELECT nextval('review_id_seq') FROM range(?)", [len(missing)]).fetchall()
        ]
        rows = [
            (rid, iso3, cycle, wanted[(iso3, cycle)], review_date, symbol)
            for rid, (iso3, cycle) in zip(new_ids, missing)
        ]
        bulk_insert(con, "review", ["id", "sur_iso3", "cycle", "session", "review_date", "report_symbol"], rows)
        ids.update(dict(zip(missing, new_ids)))
    return ids

"""One State's slice of the database: every page shows one State under review, so its queries
can run on a small in-memory copy of that State's rows instead of the whole database.

At a million recommendations each query of a page read the recommendation column of every link
table it touched (a million rows or more, ~30 ms each) to find the few thousand that belong to
the State; on the slice the same query reads those few thousand. The app builds a State's slice
once (after start or a write) and every session's queries for that State run on it; the SQL and
the results are the same, because the slice holds every row those queries can reach: the State's
recommendations (merged ones too), every row of every table that refers to one of them by
`rec_id`, and the other tables (reviews, States, themes, vocabularies, imports) whole.
"""

from __future__ import annotations

from typing import Any

import duckdb

from upr.filters import Filters

# Queries of upr.queries taking the State's ISO3 code first; every query taking Filters first
# reads only the State of those filters too (FILTERED_RECS).
_BY_ISO3 = frozenset({"reviews", "theme_options", "recommending_state_options", "group_options"})

_RECS = "SELECT r.id FROM recommendation r JOIN review v ON v.id = r.review_id WHERE v.sur_iso3 = $sur"


def state_of(name: str, args: tuple[Any, ...]) -> str | None:
    """The State under review a query of upr.queries reads (so that it can run on its slice), or None."""
    if args and isinstance(args[0], Filters):
        return args[0].sur
    if name in _BY_ISO3 and args and isinstance(args[0], str):
        return args[0]
    return None


def state_of_recommendation(con: duckdb.DuckDBPyConnection, rec_id: str) -> str | None:
    """The State under review of one recommendation (a key lookup), or None for an unknown id.

    `recommendation_detail` reads one recommendation's rows only; on its State's slice it does not
    scan every link table of the database for them.
    """
    row = con.execute(
        "SELECT v.sur_iso3 FROM recommendation r JOIN review v ON v.id = r.review_id WHERE r.id = ?", [rec_id]
    ).fetchone()
    return row[0] if row else None


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, bool]]:
    """(table, whether it refers to recommendations by rec_id) for every table of the database."""
    rows = con.execute(
        """
        SELECT t.table_name, bool_or(c.column_name = 'rec_id')
        FROM duckdb_tables() t JOIN duckdb_columns() c
          ON c.database_name = t.database_name AND c.schema_name = t.schema_name AND c.table_name = t.table_name
        WHERE NOT t.internal AND NOT t.temporary AND t.database_name = current_database() AND t.schema_name = 'main'
        GROUP BY t.table_name ORDER BY t.table_name
        """
    ).fetchall()
    return [(name, bool(by_rec)) for name, by_rec in rows]


def build_slice(con: duckdb.DuckDBPyConnection, sur: str) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding what the queries of State `sur` read, from one snapshot of `con`.

    `con` should be a cursor of its own: the copy runs in one read transaction on it.
    """
    out = duckdb.connect(":memory:", config={"threads": 1})  # small tables: one thread is quicker
    con.execute("BEGIN TRANSACTION")
    try:
        for table, by_rec in _tables(con):
            if table == "recommendation":
                sql, params = f"SELECT * FROM recommendation WHERE id IN ({_RECS})", {"sur": sur}  # noqa: S608
            elif by_rec:
                sql, params = f'SELECT * FROM "{table}" WHERE rec_id IN ({_RECS})', {"sur": sur}  # noqa: S608
            else:
                sql, params = f'SELECT * FROM "{table}"', None  # noqa: S608 - names from the catalog
            out.register("_copy", con.sql(sql, params=params).to_arrow_table())
            out.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _copy')  # noqa: S608
            out.unregister("_copy")
    finally:
        con.execute("COMMIT")
    return out

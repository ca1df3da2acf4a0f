"""What each import changed, row by row, and who may undo it.

An upload of assessments records only the rows that differ from the organisation's state at the
time (etl.assessments), so its rows are its changes: each is listed with what it became (new,
changed, history only) and what was current before it. An import of recommendations lists the
recommendations it added and the fields it changed, with their earlier values.

An editor may undo their own organisation's latest upload: the newest import in force that holds
assessments of that organisation and of no other. Nothing later builds on it (a later upload of
the same organisation would be the latest), so `etl.revert.revert_import` takes it back whole,
while later uploads of other organisations stay.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.revert import RevertReport, revert_import


def assessment_changes(con: duckdb.DuckDBPyConnection, import_id: int) -> pd.DataFrame:
    """The assessments an import recorded, in file order: row, rec_id, organisation, status, as_of,
    comment, old and old_as_of (what was current before it), and outcome (new / changed / history)."""
    return con.execute(
        """
        WITH mine AS (SELECT * FROM assessment WHERE import_id = $id),
        before AS (
            SELECT m.id, b.status AS old, b.as_of AS old_as_of,
                   row_number() OVER (PARTITION BY m.id ORDER BY b.as_of DESC, b.id DESC) AS n
            FROM mine m JOIN assessment b
              ON b.rec_id = m.rec_id AND b.organisation = m.organisation AND b.id < m.id)
        SELECT m.row_number AS row, m.rec_id, m.organisation, m.status, m.as_of, m.comment,
               p.old, p.old_as_of,
               CASE WHEN p.old_as_of IS NULL THEN 'new'
                    WHEN m.as_of >= p.old_as_of THEN 'changed' ELSE 'history' END AS outcome
        FROM mine m LEFT JOIN before p ON p.id = m.id AND p.n = 1
        ORDER BY m.row_number NULLS LAST, m.id
        """,
        {"id": import_id},
    ).df()


def recommendation_changes(con: duckdb.DuckDBPyConnection, import_id: int, limit: int = 5000) -> pd.DataFrame:
    """The recommendations an import added and the fields it changed: rec_id, ref, what
    ("added" or the field's name), and before (the earlier value of a changed field)."""
    return con.execute(
        """
        SELECT * FROM (
            SELECT r.id AS rec_id, r.ref, 'added' AS what, NULL AS before, 0 AS k
            FROM recommendation r WHERE r.import_id = $id
            UNION ALL
            SELECT c.rec_id, r.ref, c.field, c.old_value, 1
            FROM rec_change c LEFT JOIN recommendation r ON r.id = c.rec_id
            WHERE c.import_id = $id AND c.field NOT IN ('snapshot', 'rename'))
        ORDER BY k, try_cast(split_part(ref, '.', 1) AS INTEGER) NULLS LAST,
                 try_cast(split_part(ref, '.', 2) AS INTEGER) NULLS LAST, rec_id, what
        LIMIT $limit
        """,
        {"id": import_id, "limit": limit},
    ).df()[["rec_id", "ref", "what", "before"]]


def import_organisations(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """import id -> the organisations whose assessments it holds, `; `-joined (imports in force)."""
    rows = con.execute(
        "SELECT import_id, string_agg(DISTINCT organisation, '; ' ORDER BY organisation) FROM assessment GROUP BY 1"
    ).fetchall()
    return {int(i): names for i, names in rows}


def history_only_counts(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """import id -> how many of the assessments it recorded went into the history only (imports in force).

    An upload records only rows that change something: those that did not become current (added
    or updated) are the history-only ones.
    """
    rows = con.execute(
        """
        SELECT i.id, count(*) - i.added - i.updated FROM import i JOIN assessment a ON a.import_id = i.id
        WHERE i.format = 'template_assessments' GROUP BY i.id, i.added, i.updated
        """
    ).fetchall()
    return {int(i): max(int(n), 0) for i, n in rows}


def latest_own_import(con: duckdb.DuckDBPyConnection, organisation: str) -> int | None:
    """The organisation's latest upload in force: the newest live import holding its assessments,
    provided it holds no other organisation's (None otherwise)."""
    rows = con.execute(
        """
        SELECT i.id, bool_and(a.organisation = $org) AS only_ours
        FROM import i JOIN assessment a ON a.import_id = i.id
        WHERE i.reverted_at IS NULL
          AND i.id = (SELECT max(import_id) FROM assessment WHERE organisation = $org)
        GROUP BY i.id
        """,
        {"org": organisation},
    ).fetchall()
    return int(rows[0][0]) if rows and rows[0][1] else None


class UndoRefused(Exception):
    """The import is not the organisation's latest upload (any more): the editor may not undo it."""


def undo_own_import(
    con: duckdb.DuckDBPyConnection, import_id: int, organisation: str, who: str, *, index: bool = True
) -> RevertReport:
    """Revert `import_id` for an editor of `organisation`, after checking, now, that it is still that
    organisation's latest upload in force; raise UndoRefused otherwise (RevertRefused from the revert)."""
    if latest_own_import(con, organisation) != import_id:
        raise UndoRefused(f"import #{import_id} is not the latest upload of {organisation} in force")
    return revert_import(con, import_id, who=who, index=index)

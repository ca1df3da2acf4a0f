"""Undo one import as a whole, in one transaction, restoring what it overwrote.

An import adds rows (each carries its `import_id`) and overwrites a few recommendation fields,
whose previous values it keeps in `rec_change`. Reverting deletes the former and restores the
latter, then marks the import reverted (the import row stays, for the history). An import that a
later live import builds on (assessments of its recommendations, changes to the same fields,
later assessments by the same organisation) is refused, naming that import: revert it first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd

from etl.reconcile_rows import Layout, rename_pointers, restore_snapshot
from etl.responses import answers_blocking_import, revert_answers
from upr.search import mark_pending, refresh_search

# Tables whose rows hang off a recommendation and carry the import that added them.
REC_CHILD_TABLES = ("rec_text", "rec_source", "rec_state", "rec_theme", "rec_group", "rec_sdg")
# What a plan import adds (etl.plans), each row carrying its import.
PLAN_TABLES = (
    "plan_item_rec", "rec_agency", "plan_item_agency", "plan_item", "plan_section", "plan",
    "indicator_value", "indicator", "org_group_member", "org_group_theme", "org_group",
)  # fmt: skip


class RevertRefused(Exception):
    """The import cannot be reverted; the message says why (and which import stands in the way)."""

    def __init__(self, message: str, reason: str, blocking_import: int | None = None, blocking_file: str | None = None):
        super().__init__(message)
        self.reason = reason  # "missing", "already_reverted" or "blocked"
        self.blocking_import = blocking_import
        self.blocking_file = blocking_file


@dataclass
class RevertReport:
    """What a revert removed and restored, table by table."""

    import_id: int
    file: str
    deleted: dict[str, int] = field(default_factory=dict)
    restored: dict[str, int] = field(default_factory=dict)  # rec_change field -> values restored

    @property
    def total_deleted(self) -> int:
        return sum(self.deleted.values())


def import_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import, newest first: who, when, file, format, counts, and whether it was reverted."""
    return con.execute(
        """
        SELECT id, imported_at, who, file_name, format, sha256, rows_read, added, updated, unchanged,
               rejected, reverted_at, json_extract_string(report, '$.reverted_by') AS reverted_by
        FROM import ORDER BY id DESC
        """
    ).df()


# Recommendations whose rows an import kept before changing them (etl.reconcile_rows).
_SNAPPED = "SELECT rec_id FROM rec_change WHERE import_id = $id AND field = 'snapshot'"
_WHOLE = ("snapshot", "rename")  # rec_change fields restored as a whole, not field by field


def _blocking_import(con: duckdb.DuckDBPyConnection, import_id: int) -> tuple[int, str] | None:
    """The first later live import that depends on rows `import_id` created or fields it changed.

    Only later imports count: rows a new recommendation inherited from an older one keep the
    older import's id, and that is no dependency.
    """
    own_recs = "SELECT id FROM recommendation WHERE import_id = $id"
    checks = [
        # Anything another import attached to a recommendation this one created.
        *(f"SELECT import_id FROM {t} WHERE rec_id IN ({own_recs}) AND import_id <> $id" for t in REC_CHILD_TABLES),  # noqa: S608 - names are ours
        f"SELECT import_id FROM assessment WHERE rec_id IN ({own_recs}) AND import_id <> $id",  # noqa: S608
        f"SELECT import_id FROM conflict WHERE rec_id IN ({own_recs}) AND import_id <> $id",  # noqa: S608
        f"SELECT import_id FROM rec_change WHERE rec_id IN ({own_recs}) AND import_id <> $id",  # noqa: S608
        # A plan that links a recommendation this one created.
        f"SELECT import_id FROM plan_item_rec WHERE rec_id IN ({own_recs}) AND import_id <> $id",  # noqa: S608
        # Rows carrying this import's id that another import copied (or moved) onto its own recommendation.
        *(
            f"SELECT r.import_id FROM {t} x JOIN recommendation r ON r.id = x.rec_id "  # noqa: S608
            "WHERE x.import_id = $id AND r.import_id <> $id"
            for t in REC_CHILD_TABLES
        ),
        # A later import added rows to a recommendation this one kept a snapshot of: restoring it would drop them.
        *(
            f"SELECT import_id FROM {t} WHERE import_id > $id AND rec_id IN ({_SNAPPED})"  # noqa: S608
            for t in (*REC_CHILD_TABLES, "conflict")
        ),
        # A later import folded a recommendation whose rows this one changed into another (its rec_change
        # rows now name the new id): restoring ours there would undo theirs.
        """SELECT later.import_id FROM rec_change later WHERE later.field = 'rename' AND later.import_id > $id
           AND later.old_value IN (SELECT rec_id FROM rec_change WHERE import_id = $id)""",
        # A later import changed a field this one changed: restoring ours would undo theirs.
        """SELECT later.import_id FROM rec_change later JOIN rec_change mine
           ON mine.rec_id = later.rec_id AND (mine.field = later.field OR 'snapshot' IN (mine.field, later.field))
           WHERE mine.import_id = $id AND later.import_id > $id""",
        # A later import assessed for the same organisation: its 'unchanged' rows relied on ours.
        """SELECT later.import_id FROM assessment later
           WHERE later.import_id > $id AND later.organisation IN (
               SELECT organisation FROM assessment WHERE import_id = $id)""",
    ]
    union = " UNION ".join(f"({q})" for q in checks)
    rows = con.execute(
        f"SELECT i.id, i.file_name FROM import i WHERE i.reverted_at IS NULL AND i.id > $id "  # noqa: S608
        f"AND i.id IN ({union}) ORDER BY i.id LIMIT 1",
        {"id": import_id},
    ).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def _first_changes(con: duckdb.DuckDBPyConnection, import_id: int) -> list[tuple[str, str, str | None]]:
    """(rec_id, field, old value) of this import's changes, the earliest per field.

    One import can change a field twice (two rows of the file matching one recommendation); the
    value before the first change is the one to restore. rec_change is append-only, so its rowid
    follows insertion order.
    """
    return con.execute(
        """
        SELECT rec_id, field, old_value FROM (
            SELECT *, row_number() OVER (PARTITION BY rec_id, field ORDER BY rowid) AS n
            FROM rec_change WHERE import_id = ? AND NOT list_contains(?, field)
              AND rec_id NOT IN (SELECT id FROM recommendation WHERE import_id = ?))
        WHERE n = 1 ORDER BY rec_id, field
        """,
        [import_id, list(_WHOLE), import_id],
    ).fetchall()


def _restore(con: duckdb.DuckDBPyConnection, rec_id: str, fld: str, old: str | None) -> None:
    if fld == "ref":
        con.execute("UPDATE recommendation SET ref = ? WHERE id = ?", [old, rec_id])
    elif fld == "text":
        text, lang = json.loads(old) if old else (None, None)
        con.execute("UPDATE rec_text SET text = ?, lang = ? WHERE rec_id = ? AND is_original", [text, lang, rec_id])
    elif fld == "response":
        # [response, source] before citations were kept; [response, source, citation] since.
        response, source, cite = (json.loads(old) + [None])[:3] if old else (None, None, None)
        con.execute(
            "UPDATE recommendation SET response = ?, response_source = ?, response_cite = ? WHERE id = ?",
            [response, source, cite, rec_id],
        )
    elif fld == "action_category":
        con.execute(
            "UPDATE recommendation SET action_category = ? WHERE id = ?", [None if old is None else int(old), rec_id]
        )
    elif fld == "states":
        # The import's own rec_state rows are deleted with the rest; put the earlier ones back.
        for iso3, label, origin in json.loads(old or "[]"):
            con.execute("INSERT INTO rec_state VALUES (?, ?, ?, ?)", [rec_id, iso3, label, origin])
    elif fld == "merged_into":
        con.execute("UPDATE recommendation SET merged_into = ? WHERE id = ?", [old, rec_id])
    elif fld == "review":
        session, review_date, symbol = json.loads(old)
        con.execute(
            "UPDATE review SET session = ?, review_date = CAST(? AS DATE), report_symbol = ? WHERE id = ?",
            [session, review_date, symbol, int(rec_id.removeprefix("review:"))],
        )
    else:
        raise ValueError(f"unknown rec_change field {fld!r}")


def revert_import(con: duckdb.DuckDBPyConnection, import_id: int, who: str, *, index: bool = True) -> RevertReport:
    """Revert import `import_id` as a whole, in one transaction; raise RevertRefused when it cannot be.

    With `index`, the search index forgets what the import brought right after, in a transaction of
    its own (upr.search.refresh_search); the app passes False and does it in the background.

    Deletes every row the import added, restores the fields it overwrote (from rec_change), drops
    reviews and organisations it created that nothing uses any more, and marks it reverted.
    """
    rows = con.execute("SELECT file_name, reverted_at, report FROM import WHERE id = ?", [import_id]).fetchall()
    if not rows:
        raise RevertRefused(f"there is no import #{import_id}", "missing")
    file_name, reverted_at, report_json = rows[0]
    if reverted_at is not None:
        raise RevertRefused(
            f"import #{import_id} ({file_name}) was already reverted on {reverted_at:%Y-%m-%d %H:%M}",
            "already_reverted",
        )
    report = RevertReport(import_id, file_name)
    con.execute("BEGIN TRANSACTION")
    try:
        blocking = _blocking_import(con, import_id) or answers_blocking_import(con, import_id)
        if blocking is not None:
            raise RevertRefused(
                f"import #{blocking[0]} ({blocking[1]}) was made later and builds on import #{import_id}: "
                f"revert #{blocking[0]} first",
                "blocked",
                blocking_import=blocking[0],
                blocking_file=blocking[1],
            )
        changes = _first_changes(con, import_id)
        # Recommendations folded into another: what pointed at them points back, their rows come back.
        whole = con.execute(
            "SELECT rec_id, field, old_value FROM rec_change WHERE import_id = ? AND list_contains(?, field) "
            "ORDER BY rowid",
            [import_id, list(_WHOLE)],
        ).fetchall()
        renames = [(new, old) for old, fld, new in whole if fld == "rename"]
        if renames:
            rename_pointers(con, Layout(con), renames, import_id)
        own = "SELECT id FROM recommendation WHERE import_id = $id"

        def delete(table: str, where: str) -> None:
            params = {"id": import_id} if "$id" in where else {}
            n = con.execute(f"DELETE FROM {table} WHERE {where}", params).fetchall()[0][0]  # noqa: S608
            if n:
                report.deleted[table] = report.deleted.get(table, 0) + n

        touched_reviews = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT review_id FROM recommendation WHERE import_id = ?", [import_id]
            ).fetchall()
        ]
        for table in REC_CHILD_TABLES:
            # Rows another recommendation inherited keep their first import's id: catch them by rec_id.
            delete(table, f"import_id = $id OR rec_id IN ({own})")
        delete("assessment", f"import_id = $id OR rec_id IN ({own})")
        delete("conflict", f"import_id = $id OR rec_id IN ({own})")
        delete("rec_change", "import_id = $id")
        delete("recommendation", "import_id = $id")
        delete("document", "import_id = $id")
        for table in PLAN_TABLES:
            delete(table, "import_id = $id")
        for rec_id, fld, old in whole:
            if fld == "snapshot":
                restore_snapshot(con, rec_id, old)
            report.restored[fld] = report.restored.get(fld, 0) + 1
        # Fields kept one by one (an addendum's answer applied before a snapshot was taken): last, they
        # hold the values from before the import.
        for rec_id, fld, old in changes:
            _restore(con, rec_id, fld, old)
            report.restored[fld] = report.restored.get(fld, 0) + 1
        revert_answers(con, import_id, report.deleted)
        delete("organisation", "import_id = $id AND name NOT IN (SELECT organisation FROM assessment)")
        # A review is created with its first recommendations: one left empty was this import's.
        if touched_reviews:
            ids = ", ".join(str(int(i)) for i in touched_reviews)
            delete("review", f"id IN ({ids}) AND id NOT IN (SELECT review_id FROM recommendation)")
        details = json.loads(report_json) if report_json else {}
        details.update({"reverted_by": who, "revert": {"deleted": report.deleted, "restored": report.restored}})
        mark_pending(con)  # a recommendation brought back waits for its keys, found by its words meanwhile
        con.execute(
            "UPDATE import SET reverted_at = ?, report = ? WHERE id = ?",
            [datetime.now(), json.dumps(details, ensure_ascii=False), import_id],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if index:
        refresh_search(con)
    return report

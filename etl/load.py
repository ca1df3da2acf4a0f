"""Write a Batch into the database in one transaction, or not at all.

A batch with any error changes nothing; the same file imported twice changes nothing. The work is
done by etl.reconcile (recommendations one by one), etl.bulk (a large batch into new reviews) and
etl.assessments (assessments, append-only).
"""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from etl.assessments import load_assessments as _load_assessments
from etl.bulk import load_new_table
from etl.model import Batch
from etl.plans import load_plan, unresolved_refs
from etl.reconcile import load_recommendations, settle_answered
from etl.report import ImportReport
from etl.responses import apply_answers
from upr.search import mark_pending, refresh_search


def find_import_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    """The id of a live (not reverted) import of the same file content, if any."""
    row = con.execute(
        "SELECT id FROM import WHERE sha256 = ? AND reverted_at IS NULL ORDER BY id LIMIT 1", [sha256]
    ).fetchall()
    return row[0][0] if row else None


def import_batch(
    con: duckdb.DuckDBPyConnection,
    batch: Batch,
    *,
    sha256: str,
    who: str = "cli",
    dry_run: bool = False,
    allowed_organisation: str | None = None,
    index: bool = True,
) -> ImportReport:
    """Load one batch in one transaction (or only compute what it would do, with dry_run).

    With `index`, the search index (upr.search) is brought up to date after the commit, in its own
    transaction, before returning; without, the caller does it later (the app, in the background).

    A batch with any error changes nothing. `allowed_organisation`, when given, is the only
    organisation whose assessments this import may add (an organisation editor's upload).
    """
    report = ImportReport(batch.file, batch.format, sha256, rows_read=batch.rows_read, problems=list(batch.problems))
    previous = find_import_by_sha(con, sha256)
    if previous is not None:
        report.already_imported = previous
        report.unchanged = len(batch.table or batch.recommendations) + len(batch.assessments)
        return report
    if getattr(batch, "plan", None) is not None:  # with the file's own errors, so that all are named at once
        report.problems += unresolved_refs(con, batch)
    if report.errors:
        report.rejected = len({(p.sheet, p.row) for p in report.errors})
        return report
    con.execute("BEGIN TRANSACTION")
    try:
        # A dry run is rolled back: it must not use up an import number the history would then skip.
        import_id = 0 if dry_run else con.execute("SELECT nextval('import_id_seq')").fetchall()[0][0]
        if batch.table is not None and not load_new_table(con, batch, report, import_id):
            # Some of its reviews already hold recommendations: reconcile one by one.
            batch.recommendations = batch.table.records()
        if batch.recommendations:
            load_recommendations(con, batch, report, import_id)
        if batch.assessments:
            _load_assessments(con, batch, report, import_id, allowed_organisation)
        if getattr(batch, "plan", None) is not None:
            load_plan(con, batch, report, import_id)
        apply_answers(con, batch, report, import_id)  # the answers of addenda, stored or waiting
        report.conflicts += settle_answered(con, import_id)  # every source's answer, by priority, in any order
        if report.errors or dry_run:
            con.execute("ROLLBACK")
            report.rejected = len({(p.sheet, p.row) for p in report.errors})
            return report
        mark_pending(con)  # found by their words as typed until the index follows, after the commit
        con.execute(
            "INSERT INTO import VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                import_id,
                batch.file,
                sha256,
                batch.format,
                who,
                datetime.now(),
                report.rows_read,
                report.added,
                report.updated,
                report.unchanged,
                report.rejected,
                json.dumps({"warnings": [str(p) for p in report.warnings]}, ensure_ascii=False),
            ],
        )
        con.execute("COMMIT")
        report.import_id = import_id
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if index:
        refresh_search(con)
    return report

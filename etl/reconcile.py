"""Recommendations into the database: each import's matched to what the database holds for its review
and merged, so that the same files in any order give the same database.

Sources of one review (the UN report, its addendum, the OHCHR files, the UPR Info export) meet here:
matched on State under review, cycle, paragraph reference, then text and recommending States
(etl.reconcile_match); merged by rules that do not depend on which came first
(etl.reconcile_review); the response in force chosen by source priority and every disagreement
recorded once in `conflict` (etl.reconcile_settle). Whatever an import overwrites, deletes or renames
is kept in `rec_change` (etl.reconcile_rows), so that reverting it restores the database exactly.
"""

from __future__ import annotations

from etl.messages import problem
from etl.model import Batch
from etl.reconcile_review import Context, ReviewRecs
from etl.reconcile_rows import Layout, Writes, apply_writes, load_recs, plan_writes
from etl.reconcile_settle import RESPONSE_PRIORITY, apply_settled, priority
from etl.report import ImportReport
from etl.resolve import CachedIndexes, Resolved, resolve_recommendation
from etl.reviews import get_reviews

__all__ = ["RESPONSE_PRIORITY", "load_recommendations", "priority", "settle_answered", "settle_recommendations"]


def load_recommendations(con, batch: Batch, report: ImportReport, import_id: int) -> None:
    """Resolve the batch's recommendations, reconcile them with their reviews and write the result."""
    indexes = CachedIndexes()
    resolved: list[Resolved] = []
    for raw in batch.recommendations:
        if raw.cycle is None:
            report.problems.append(
                problem(batch.file, "worded_cycle", sheet=raw.sheet, row=raw.row, column_key="cycle")
            )
            continue
        result = resolve_recommendation(raw, batch.file, batch.theme_source, indexes)
        if isinstance(result, list):
            report.problems += result
        else:
            report.problems += result.problems
            resolved.append(result)
    if report.errors:
        return
    document_id = None
    if batch.document is not None:
        document_id = con.execute("SELECT nextval('document_id_seq')").fetchall()[0][0]
        con.execute(
            "INSERT INTO document VALUES (?, ?, ?, ?, ?)",
            [document_id, batch.document.symbol, batch.document.title, batch.format, import_id],
        )
    by_review: dict[tuple[str, int], list[Resolved]] = {}
    for r in resolved:
        by_review.setdefault((r.sur_iso3, r.raw.cycle), []).append(r)
    review_ids = get_reviews(
        con, list(by_review), batch, {k: v[0].raw.session for k, v in by_review.items()}, import_id
    )
    layout = Layout(con)
    held = load_recs(con, layout, list(review_ids.values()))
    formats = dict(con.execute("SELECT id, format FROM import").fetchall())
    formats[import_id] = batch.format
    # Ids in use that a new one could take: those of these reviews (`{iso3}-{cycle}-…`), whichever review holds them.
    prefixes = [f"{iso3}-{cycle}" for iso3, cycle in by_review]
    taken = {
        r[0]
        for r in con.execute(
            "SELECT id FROM recommendation WHERE list_contains($p, split_part(id, '-', 1) || '-' || split_part(id, '-', 2))",
            {"p": prefixes},
        ).fetchall()
    }
    ctx = Context(layout, batch, import_id, document_id, formats, taken)
    writes = Writes()
    for (iso3, cycle), items in by_review.items():
        review_id = review_ids[(iso3, cycle)]
        review = ReviewRecs(ctx, held.get(review_id, []), review_id, iso3, cycle)
        review.take(items)
        changed = {id(rec) for rec in plan_writes(layout, review.settle(), import_id, writes)}
        for kind, recs in review.outcome:
            if kind == "added":
                report.added += 1
            elif kind == "claimed" or any(id(rec) in changed for rec in recs):
                report.updated += 1
            else:
                report.unchanged += 1
    report.conflicts += apply_writes(con, layout, writes, import_id)


def settle_recommendations(con, rec_ids: list[str], import_id: int) -> int:
    """Set again the response in force and the response conflicts of these recommendations from their
    sources (rec_source rows), as reconciliation does; for answers added after it (the addendum's,
    by paragraph number). Revertible with the import; returns the conflicts added."""
    layout = Layout(con)
    review_ids = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT review_id FROM recommendation WHERE list_contains($ids, id)", {"ids": rec_ids}
        ).fetchall()
    ]
    wanted = set(rec_ids)
    writes = Writes()
    for recs in load_recs(con, layout, review_ids).values():
        mine = [rec for rec in recs if rec.id in wanted]
        for rec in mine:
            apply_settled(layout, rec, import_id)
        plan_writes(layout, mine, import_id, writes)
    return apply_writes(con, layout, writes, import_id)


def settle_answered(con, import_id: int) -> int:
    """The loader's last step: recommendations that received an addendum's answer in this import
    (etl.responses, after reconciliation) have their response in force and conflicts settled again
    from all their sources, so that a disagreement an earlier source recorded but that the
    addendum's answer ends is gone, whichever file came first. Returns the conflicts added."""
    rec_ids = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT rec_id FROM rec_source WHERE import_id = ? AND format = 'addendum'", [import_id]
        ).fetchall()
    ]
    return settle_recommendations(con, rec_ids, import_id) if rec_ids else 0

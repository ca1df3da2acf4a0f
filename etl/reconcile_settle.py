"""The response in force of one recommendation and its disagreements, from every source that answered.

A function of the set of answers alone, so the same whatever the order the files came in: the answer
of the highest-priority source that gave one is in force (RESPONSE_PRIORITY, the addendum first); a
pending answer yields to any answer; one source's answers that differ (the parts of a report item
that bundles several States' recommendations) make it supported in part. Every answer that differs
from the one in force is a conflict, recorded once per (recommendation, field, values).
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.reconcile_rows import Layout, Rec

# Whose word on a response wins when two sources disagree: the State's own answers in the
# addendum first, then the UN's other documents.
RESPONSE_PRIORITY = {
    "addendum": 6,
    "wg_report": 5,
    "matrix": 4,
    "uhri": 3,
    "template_recommendations": 3,
    "demo": 3,
    "upr_info": 1,
}
ANSWERED = ("supported", "supported_in_part", "noted")


def priority(fmt: str | None) -> int:
    """The rank of a source format (RESPONSE_PRIORITY; 2 for a format it does not list)."""
    return RESPONSE_PRIORITY.get(fmt or "", 2)


def _rank(fmt: str) -> tuple[int, str]:
    return priority(fmt), fmt  # equal priorities: the format's name decides, never the order


@dataclass(frozen=True)
class Settled:
    response: str | None
    source: str | None
    cite: str | None
    conflicts: tuple[tuple[str, str, str, str], ...]  # (kept value, its source, other value, its source)


def settle(answers: list[tuple[str, str | None, str | None]]) -> Settled:
    """The response in force given every source's (format, response, citation)."""
    given: dict[str, set[str]] = {}
    cites: dict[str, set[str]] = {}
    pending: dict[str, set[str]] = {}
    for fmt, response, cite in answers:
        if response in ANSWERED:
            given.setdefault(fmt, set()).add(response)
            if cite:
                cites.setdefault(fmt, set()).add(cite)
        elif response == "pending":
            pending.setdefault(fmt, set())
            if cite:
                pending[fmt].add(cite)
    if not given:
        if not pending:
            return Settled(None, None, None, ())
        top = max(pending, key=_rank)
        return Settled("pending", top, min(pending[top], default=None), ())
    top = max(given, key=_rank)
    values = given[top]
    kept = next(iter(values)) if len(values) == 1 else "supported_in_part"
    conflicts = [(kept, top, other, top) for other in sorted(values) if other != kept]
    for fmt in sorted(given, key=_rank, reverse=True):
        if fmt != top:
            conflicts += [(kept, top, other, fmt) for other in sorted(given[fmt]) if other != kept]
    return Settled(kept, top, min(cites.get(top, ()), default=None), tuple(conflicts))


def answers_of(layout: Layout, rec: Rec) -> list[tuple[str, str | None, str | None]]:
    """Every source's answer to `rec`: its rec_source rows, and the answer in force when its source
    left no row (a response set from a later document by paragraph number)."""
    pos = layout.pos["rec_source"]
    out = [(r[pos["format"]], r[pos["response"]], r[pos["response_cite"]]) for r in rec.rows["rec_source"]]
    source, response = rec.fields["response_source"], rec.fields["response"]
    if response and source and all(fmt != source for fmt, _, _ in out):
        out.append((source, response, rec.fields["response_cite"]))
    return out


def apply_settled(layout: Layout, rec: Rec, import_id: int) -> None:
    """Set the response in force of `rec` and its response conflicts from its sources."""
    s = settle(answers_of(layout, rec))
    rec.fields.update(response=s.response, response_source=s.source, response_cite=s.cite)
    pos = layout.pos["conflict"]
    wanted = {("response", *c) for c in s.conflicts}
    kept, gone = set(), []
    for row in rec.rows["conflict"]:
        if row[pos["field"]] != "response":
            continue
        key = layout.key("conflict", row)
        if key in wanted and key not in kept:
            kept.add(key)
        else:
            gone.append(row)
    if gone:
        rec.remove(layout, "conflict", gone)
    for key in sorted(wanted - kept, key=lambda k: [str(v) for v in k]):
        fld, kept_value, kept_source, other_value, other_source = key
        rec.add(
            layout,
            "conflict",
            layout.row(
                "conflict",
                rec_id=rec.id,
                field=fld,
                kept_value=kept_value,
                kept_source=kept_source,
                other_value=other_value,
                other_source=other_source,
                import_id=import_id,
            ),
        )

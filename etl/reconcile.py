"""Recommendations one by one: match each to what the database holds for its review, merge or add.

Recommendations from several sources of the same review are matched (State under review, cycle,
paragraph reference, then text similarity) so that the UN report, the UPR Info export and the
OHCHR files yield one set of recommendations. The report's position wins; every disagreement is
recorded in `conflict`, and every value overwritten is kept in `rec_change` for revert.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rapidfuzz import fuzz

from etl.model import Batch, Problem, make_rec_id, text_key
from etl.report import ImportReport
from etl.resolve import CachedIndexes, Resolved, resolve_recommendation
from etl.reviews import bulk_insert, get_reviews

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
MATCH_THRESHOLD = 88  # rapidfuzz ratio (0-100) on normalised texts
CONTAINED_MIN = 30  # characters of normalised text, for the containment match
CONTAINED_SCORE = 80.0
CONTAINED_RATIO = 90  # rapidfuzz partial_ratio of the shorter text inside the longer


@dataclass
class _Existing:
    id: str
    ref: str | None
    response: str | None
    response_source: str | None
    action: int | None
    key: str
    states: set[str]
    theme_keys: set[tuple[str, str]]
    group_keys: set[tuple[str, str]]
    sdgs: set[str]
    formats: set[str]


def _existing_recs(con, review_ids: list[int]) -> dict[int, list[_Existing]]:
    """What the database already holds for these reviews, grouped by review.

    Flat queries grouped here in Python: DuckDB's nested list aggregates were ten times slower at
    100,000 recommendations.
    """
    if not review_ids:
        return {}
    params = {"ids": review_ids}
    scope = "rec_id IN (SELECT id FROM recommendation WHERE list_contains($ids, review_id))"
    recs: dict[str, _Existing] = {}
    out: dict[int, list[_Existing]] = {}
    for review_id, rec_id, ref, response, source, action, text in con.execute(
        "SELECT r.review_id, r.id, r.ref, r.response, r.response_source, r.action_category, t.text "
        "FROM recommendation r JOIN rec_text t ON t.rec_id = r.id AND t.is_original "
        "WHERE list_contains($ids, r.review_id) AND r.merged_into IS NULL ORDER BY r.id",
        params,
    ).fetchall():
        e = _Existing(rec_id, ref, response, source, action, text_key(text), set(), set(), set(), set(), set())
        recs[rec_id] = e
        out.setdefault(review_id, []).append(e)
    for rec_id, value in con.execute(
        f"SELECT rec_id, coalesce(iso3, source_label) FROM rec_state WHERE {scope}", params
    ).fetchall():
        recs[rec_id].states.add(value)
    for rec_id, source, label in con.execute(
        f"SELECT rec_id, source, source_label FROM rec_theme WHERE {scope}", params
    ).fetchall():
        recs[rec_id].theme_keys.add((source, label))
    for rec_id, source, label in con.execute(
        f"SELECT rec_id, source, source_label FROM rec_group WHERE {scope}", params
    ).fetchall():
        recs[rec_id].group_keys.add((source, label))
    for rec_id, sdg in con.execute(f"SELECT rec_id, sdg FROM rec_sdg WHERE {scope}", params).fetchall():
        recs[rec_id].sdgs.add(sdg)
    for rec_id, fmt in con.execute(f"SELECT DISTINCT rec_id, format FROM rec_source WHERE {scope}", params).fetchall():
        recs[rec_id].formats.add(fmt)
    return out


class _Writer:
    """Rows to insert, gathered per table and written in bulk at the end."""

    def __init__(self, import_id: int, document_id: int | None, fmt: str, theme_source: str):
        self.import_id, self.document_id, self.fmt, self.theme_source = import_id, document_id, fmt, theme_source
        self.recs: list[tuple] = []
        self.texts: list[tuple] = []
        self.sources: list[tuple] = []
        self.states: list[tuple] = []
        self.themes: list[tuple] = []
        self.groups: list[tuple] = []
        self.sdgs: list[tuple] = []

    def source(self, rec_id: str, r: Resolved) -> None:
        self.sources.append(
            (
                rec_id,
                self.import_id,
                self.document_id,
                self.fmt,
                r.raw.row,
                r.raw.ref,
                r.raw.response,
                r.raw.response_raw,
                r.raw.response_cite,
            )
        )

    def attributes(self, rec_id: str, r: Resolved, existing: _Existing | None, with_states: bool) -> bool:
        """Add the themes, groups, SDGs (and States) the recommendation does not have yet."""
        added = False
        if with_states:
            for iso3, label in r.states:
                if existing is None or (iso3 or label) not in existing.states:
                    self.states.append((rec_id, iso3, label, self.import_id))
                    added = True
                    if existing is not None:
                        existing.states.add(iso3 or label)
        for code, label in r.themes:
            if existing is None or (self.theme_source, label) not in existing.theme_keys:
                self.themes.append((rec_id, code, self.theme_source, label, self.import_id))
                added = True
                if existing is not None:
                    existing.theme_keys.add((self.theme_source, label))
        for code, label in r.groups:
            if existing is None or (self.theme_source, label) not in existing.group_keys:
                self.groups.append((rec_id, code, self.theme_source, label, self.import_id))
                added = True
                if existing is not None:
                    existing.group_keys.add((self.theme_source, label))
        for sdg, goal in r.sdgs:
            if existing is None or sdg not in existing.sdgs:
                self.sdgs.append((rec_id, sdg, goal, self.theme_source, self.import_id))
                added = True
                if existing is not None:
                    existing.sdgs.add(sdg)
        return added

    def flush(self, con) -> None:
        bulk_insert(
            con,
            "recommendation",
            [
                "id",
                "review_id",
                "ref",
                "response",
                "response_source",
                "response_cite",
                "action_category",
                "agency",
                "import_id",
            ],
            self.recs,
        )
        bulk_insert(con, "rec_text", ["rec_id", "lang", "text", "is_original", "import_id"], self.texts)
        bulk_insert(
            con,
            "rec_source",
            [
                "rec_id",
                "import_id",
                "document_id",
                "format",
                "row_number",
                "ref",
                "response",
                "response_raw",
                "response_cite",
            ],
            self.sources,
        )
        bulk_insert(con, "rec_state", ["rec_id", "iso3", "source_label", "import_id"], self.states)
        bulk_insert(con, "rec_theme", ["rec_id", "theme_code", "source", "source_label", "import_id"], self.themes)
        bulk_insert(con, "rec_group", ["rec_id", "group_code", "source", "source_label", "import_id"], self.groups)
        bulk_insert(con, "rec_sdg", ["rec_id", "sdg", "goal", "source", "import_id"], self.sdgs)


def load_recommendations(con, batch: Batch, report: ImportReport, import_id: int) -> None:
    indexes = CachedIndexes()
    resolved: list[Resolved] = []
    for raw in batch.recommendations:
        if raw.cycle is None:
            report.problems.append(
                Problem(batch.file, "the review's cycle 1–4", sheet=raw.sheet, row=raw.row, column="Cycle", value=None)
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
    writer = _Writer(import_id, document_id, batch.format, batch.theme_source)
    # Ids already taken, so that a new recommendation never reuses one.
    new_ids = {r[0] for r in con.execute("SELECT id FROM recommendation").fetchall()}
    by_review: dict[tuple[str, int], list[Resolved]] = {}
    for r in resolved:
        by_review.setdefault((r.sur_iso3, r.raw.cycle), []).append(r)
    review_ids = get_reviews(
        con, list(by_review), batch, {k: v[0].raw.session for k, v in by_review.items()}, import_id
    )
    existing = _existing_recs(con, list(review_ids.values())) if new_ids else {}
    for (iso3, cycle), items in by_review.items():
        review_id = review_ids[(iso3, cycle)]
        _reconcile(
            con, items, existing.get(review_id, []), review_id, iso3, cycle, batch, report, writer, import_id, new_ids
        )
    writer.flush(con)


def _contains(whole: str, part: str) -> bool:
    """Whether `part` stands, nearly word for word, inside the clearly longer text `whole`."""
    if len(part) < CONTAINED_MIN or len(part) > 0.8 * len(whole):
        return False
    return fuzz.partial_ratio(part, whole, score_cutoff=CONTAINED_RATIO) >= CONTAINED_RATIO


def _candidates(
    r: Resolved, existing: list[_Existing], by_key: dict[str, list[_Existing]]
) -> list[tuple[float, _Existing]]:
    key = text_key(r.raw.text)
    exact = by_key.get(key)
    if exact:
        return [(100.0, e) for e in exact]
    scored = [(fuzz.ratio(key, e.key, score_cutoff=MATCH_THRESHOLD), e) for e in existing]
    scored = [(s, e) for s, e in scored if s >= MATCH_THRESHOLD]
    if not scored:
        # One text inside the other: a report item that joins several States' recommendations
        # ("A (Egypt); B (Peru)"), which UPR Info lists apart.
        if len(key) < CONTAINED_MIN:
            return []
        return [(CONTAINED_SCORE, e) for e in existing if _contains(key, e.key) or _contains(e.key, key)]
    best = max(s for s, _ in scored)
    return [(s, e) for s, e in scored if s >= best - 2]


def _reconcile(
    con,
    items: list[Resolved],
    existing: list[_Existing],
    review_id: int,
    iso3: str,
    cycle: int,
    batch: Batch,
    report: ImportReport,
    writer: _Writer,
    import_id: int,
    new_ids: set[str],
) -> None:
    by_id = {e.id: e for e in existing}
    by_ref = {e.ref: e for e in existing if e.ref}
    by_key: dict[str, list[_Existing]] = {}
    for e in existing:
        by_key.setdefault(e.key, []).append(e)
    claimed: set[str] = set()
    unnumbered = {e.id for e in existing if not e.ref}
    for r in items:
        raw = r.raw
        target = by_id.get(raw.rec_id) if raw.rec_id else None
        if target is None and raw.ref:
            target = by_ref.get(raw.ref)
        if target is not None:
            claimed.add(target.id)
            _merge(con, target, r, batch, report, writer, import_id, authoritative=bool(raw.ref))
            continue
        cands = _candidates(r, existing, by_key) if existing else []
        own_states = {s[0] or s[1] for s in r.states}
        overlap = [(s, e) for s, e in cands if e.states & own_states]
        cands = overlap or cands
        if raw.ref:
            # A numbered recommendation takes over one unnumbered match (from UPR Info, say).
            free = [e for _, e in sorted(cands, key=lambda c: -c[0]) if not e.ref and e.id not in claimed]
            if free:
                target = free[0]
                claimed.add(target.id)
                _take_over(con, target, r, writer, import_id)
                item_key = text_key(raw.text)
                for extra in free[1:]:
                    if _contains(item_key, extra.key):
                        claimed.add(extra.id)
                        _absorb(con, extra, target, batch, report, import_id)
                by_ref[raw.ref] = target
                _merge(con, target, r, batch, report, writer, import_id, authoritative=True, counted=True)
                continue
            inherit = next((e for _, e in cands if e.id in unnumbered), None)
            _insert_new(r, review_id, iso3, cycle, batch, report, writer, import_id, new_ids, inherit, con)
            continue
        if cands:
            changed = False
            for _, e in cands:
                changed |= _merge(
                    con,
                    e,
                    r,
                    batch,
                    report,
                    writer,
                    import_id,
                    authoritative=False,
                    counted=True,
                    with_states=not e.ref,
                )
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
            continue
        _insert_new(r, review_id, iso3, cycle, batch, report, writer, import_id, new_ids, None, con)


def _insert_new(
    r: Resolved,
    review_id: int,
    iso3: str,
    cycle: int,
    batch: Batch,
    report: ImportReport,
    writer: _Writer,
    import_id: int,
    new_ids: set[str],
    inherit: _Existing | None,
    con,
) -> None:
    raw = r.raw
    rec_id = raw.rec_id or make_rec_id(iso3, cycle, raw.ref, raw.text)
    base, n = rec_id, 1
    while rec_id in new_ids:
        n += 1
        rec_id = f"{base}~{n}"
    new_ids.add(rec_id)
    action = raw.action if raw.action is not None else (inherit.action if inherit else None)
    response, response_source = raw.response, batch.format if raw.response else None
    if inherit is not None:
        response, response_source = _inherited_response(
            con, rec_id, inherit, response, response_source, batch, report, import_id
        )
    cite = raw.response_cite if response_source == batch.format else None
    writer.recs.append((rec_id, review_id, raw.ref, response, response_source, cite, action, raw.agency, import_id))
    writer.texts.append((rec_id, raw.lang, raw.text, True, import_id))
    for lang, text in raw.translations.items():
        if lang != raw.lang:
            writer.texts.append((rec_id, lang, text, False, import_id))
    writer.source(rec_id, r)
    writer.attributes(rec_id, r, None, with_states=True)
    if inherit is not None:
        # Same text as an unnumbered recommendation another number already took: share its themes.
        # The copies belong to this import, so that reverting it removes them.
        con.execute(
            "INSERT INTO rec_theme SELECT ?, theme_code, source, source_label, ? FROM rec_theme "
            "WHERE rec_id = ? AND source <> ?",
            [rec_id, import_id, inherit.id, batch.theme_source],
        )
        con.execute(
            "INSERT INTO rec_source SELECT ?, ?, document_id, format, row_number, ref, response, "
            "response_raw, response_cite FROM rec_source WHERE rec_id = ? AND format <> ?",
            [rec_id, import_id, inherit.id, batch.format],
        )
    report.added += 1


def _inherited_response(
    con,
    rec_id: str,
    inherit: _Existing,
    response: str | None,
    source: str | None,
    batch: Batch,
    report: ImportReport,
    import_id: int,
) -> tuple[str | None, str | None]:
    """The response of a new numbered recommendation whose text another source gave unnumbered.

    Same rules as a merge: a pending answer takes the other source's answer; two answers that differ
    are a conflict, and the higher-priority source's answer stays in force.
    """
    others = con.execute(
        "SELECT DISTINCT format, response FROM rec_source WHERE rec_id = ? AND format <> ? "
        "AND response IS NOT NULL AND response <> 'pending' ORDER BY format",
        [inherit.id, batch.format],
    ).fetchall()
    for fmt, other in others:
        if other == response:
            continue
        if response in (None, "pending"):
            response, source = other, fmt
            continue
        wins = RESPONSE_PRIORITY.get(batch.format, 2) > RESPONSE_PRIORITY.get(fmt, 0)
        kept, kept_src, lost, lost_src = (response, source, other, fmt) if wins else (other, fmt, response, source)
        con.execute(
            "INSERT INTO conflict VALUES (nextval('conflict_id_seq'), ?, 'response', ?, ?, ?, ?, ?)",
            [rec_id, kept, kept_src, lost, lost_src, import_id],
        )
        report.conflicts += 1
        response, source = kept, kept_src
    return response, source


def _response_state(con, rec_id: str) -> str:
    """The response in force, its source and citation, as kept in rec_change for revert."""
    return json.dumps(
        list(
            con.execute(
                "SELECT response, response_source, response_cite FROM recommendation WHERE id = ?", [rec_id]
            ).fetchall()[0]
        )
    )


def _record_change(con, import_id: int, rec_id: str, field: str, old: object) -> None:
    con.execute(
        "INSERT INTO rec_change VALUES (?, ?, ?, ?)", [import_id, rec_id, field, None if old is None else str(old)]
    )


def _take_over(con, target: _Existing, r: Resolved, writer: _Writer, import_id: int) -> None:
    """A numbered source (the report) claims an unnumbered recommendation: its number, text and States win."""
    raw = r.raw
    _record_change(con, import_id, target.id, "ref", target.ref)
    con.execute("UPDATE recommendation SET ref = ? WHERE id = ?", [raw.ref, target.id])
    target.ref = raw.ref
    found = con.execute("SELECT text, lang FROM rec_text WHERE rec_id = ? AND is_original", [target.id]).fetchall()
    old_text = found[0] if found else None
    if old_text and old_text[0] != raw.text:
        _record_change(con, import_id, target.id, "text", json.dumps(list(old_text), ensure_ascii=False))
        con.execute(
            "UPDATE rec_text SET text = ?, lang = ? WHERE rec_id = ? AND is_original", [raw.text, raw.lang, target.id]
        )
    own = {s[0] or s[1] for s in r.states}
    if own and own != target.states:
        _record_change(
            con,
            import_id,
            target.id,
            "states",
            json.dumps(
                con.execute(
                    "SELECT iso3, source_label, import_id FROM rec_state WHERE rec_id = ?", [target.id]
                ).fetchall(),
                ensure_ascii=False,
            ),
        )
        con.execute("DELETE FROM rec_state WHERE rec_id = ?", [target.id])
        target.states = set()


def _absorb(con, part: _Existing, item: _Existing, batch: Batch, report: ImportReport, import_id: int) -> None:
    """Fold an unnumbered recommendation into the numbered report item that contains its text.

    The part stays in the database, pointing to the item (`merged_into`) and out of every count;
    its themes and sources are copied to the item, its answer used if the item has none.
    """
    _record_change(con, import_id, part.id, "merged_into", None)
    con.execute("UPDATE recommendation SET merged_into = ? WHERE id = ?", [item.id, part.id])
    con.execute(
        "INSERT INTO rec_theme SELECT ?, theme_code, source, source_label, ? FROM rec_theme WHERE rec_id = ? "
        "AND (source, source_label) NOT IN (SELECT (source, source_label) FROM rec_theme WHERE rec_id = ?)",
        [item.id, import_id, part.id, item.id],
    )
    con.execute(
        "INSERT INTO rec_source SELECT ?, ?, document_id, format, row_number, ref, response, response_raw, "
        "response_cite FROM rec_source WHERE rec_id = ?",
        [item.id, import_id, part.id],
    )
    if part.action is not None and item.action is None:
        _record_change(con, import_id, item.id, "action_category", None)
        con.execute("UPDATE recommendation SET action_category = ? WHERE id = ?", [part.action, item.id])
        item.action = part.action
    answered = ("supported", "supported_in_part", "noted")
    if part.response in answered and item.response not in answered:
        _record_change(con, import_id, item.id, "response", _response_state(con, item.id))
        con.execute(
            "UPDATE recommendation SET response = ?, response_source = ?, response_cite = "
            "(SELECT response_cite FROM recommendation WHERE id = ?) WHERE id = ?",
            [part.response, part.response_source, part.id, item.id],
        )
        item.response, item.response_source = part.response, part.response_source
    elif part.response in answered and part.response != item.response:
        con.execute(
            "INSERT INTO conflict VALUES (nextval('conflict_id_seq'), ?, 'response', ?, ?, ?, ?, ?)",
            [item.id, item.response, item.response_source, part.response, part.response_source, import_id],
        )
        report.conflicts += 1


def _merge(
    con,
    target: _Existing,
    r: Resolved,
    batch: Batch,
    report: ImportReport,
    writer: _Writer,
    import_id: int,
    *,
    authoritative: bool,
    counted: bool = False,
    with_states: bool = True,
) -> bool:
    """Add what this source knows to an existing recommendation; record disagreements. True if changed."""
    raw = r.raw
    changed = False
    new_resp, old_resp = raw.response, target.response
    if new_resp and new_resp != old_resp:
        prio_new = RESPONSE_PRIORITY.get(batch.format, 2)
        prio_old = RESPONSE_PRIORITY.get(target.response_source or "", 0)
        answered_new, answered_old = new_resp != "pending", old_resp not in (None, "pending")
        if answered_old and answered_new:
            wins = prio_new > prio_old
            kept, other = (new_resp, target.response_source) if wins else (old_resp, batch.format)
            con.execute(
                "INSERT INTO conflict VALUES (nextval('conflict_id_seq'), ?, 'response', ?, ?, ?, ?, ?)",
                [
                    target.id,
                    kept,
                    batch.format if wins else target.response_source,
                    old_resp if wins else new_resp,
                    other,
                    import_id,
                ],
            )
            report.conflicts += 1
        else:
            wins = answered_new or old_resp is None
        if wins:
            _record_change(con, import_id, target.id, "response", _response_state(con, target.id))
            con.execute(
                "UPDATE recommendation SET response = ?, response_source = ?, response_cite = ? WHERE id = ?",
                [new_resp, batch.format, raw.response_cite, target.id],
            )
            target.response, target.response_source = new_resp, batch.format
            changed = True
    if raw.action is not None and target.action is None:
        _record_change(con, import_id, target.id, "action_category", None)
        con.execute("UPDATE recommendation SET action_category = ? WHERE id = ?", [raw.action, target.id])
        target.action = raw.action
        changed = True
    if writer.attributes(target.id, r, target, with_states=with_states):
        changed = True
    if batch.format not in target.formats:
        writer.source(target.id, r)
        target.formats.add(batch.format)
        changed = True
    if not counted:
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    elif authoritative:
        report.updated += 1
    return changed

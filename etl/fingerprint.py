"""What the database says about each review, in a form that does not depend on import order.

Two databases built from the same files in different orders must give the same fingerprint:
the same recommendations (id, paragraph, response, its source and citation, action category,
original text), the same recommending States, themes, groups and SDGs, the same parts folded into
a report item, and the same disagreements. Import numbers, sequence ids and timestamps are left
out: they record when something happened, not what the documents say.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

ReviewKey = tuple[str, int]


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def review_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[ReviewKey, tuple]:
    """(State under review, cycle) → a hashable, sorted description of everything that review holds."""
    reviews = {
        rid: (iso3, cycle, session, str(rdate) if rdate else None, symbol)
        for rid, iso3, cycle, session, rdate, symbol in _rows(
            con, "SELECT id, sur_iso3, cycle, session, review_date, report_symbol FROM review"
        )
    }
    recs: dict[str, list] = {}
    review_of: dict[str, int] = {}
    for rec_id, review_id, ref, response, source, cite, action, merged, text in _rows(
        con,
        "SELECT r.id, r.review_id, r.ref, r.response, r.response_source, r.response_cite, r.action_category, "
        "r.merged_into, t.text FROM recommendation r "
        "LEFT JOIN rec_text t ON t.rec_id = r.id AND t.is_original",
    ):
        recs[rec_id] = [rec_id, ref, response, source, cite, action, merged, text]
        review_of[rec_id] = review_id

    def grouped(sql: str) -> dict[str, tuple]:
        out: dict[str, set] = defaultdict(set)
        for rec_id, *value in _rows(con, sql):
            out[rec_id].add(tuple("" if v is None else str(v) for v in value))
        return {k: tuple(sorted(v)) for k, v in out.items()}

    states = grouped("SELECT rec_id, coalesce(iso3, source_label) FROM rec_state")
    themes = grouped("SELECT rec_id, source, source_label, theme_code FROM rec_theme")
    groups = grouped("SELECT rec_id, source, source_label, group_code FROM rec_group")
    sdgs = grouped("SELECT rec_id, sdg FROM rec_sdg")
    sources = grouped("SELECT rec_id, format, ref, response, response_cite FROM rec_source")
    conflicts = grouped("SELECT rec_id, field, kept_value, kept_source, other_value, other_source FROM conflict")
    by_review: dict[int, list[tuple]] = defaultdict(list)
    for rec_id, fields in recs.items():
        by_review[review_of[rec_id]].append(
            (
                *("" if v is None else str(v) for v in fields),
                states.get(rec_id, ()),
                themes.get(rec_id, ()),
                groups.get(rec_id, ()),
                sdgs.get(rec_id, ()),
                sources.get(rec_id, ()),
                conflicts.get(rec_id, ()),
            )
        )
    return {(info[0], info[1]): (info[2:], tuple(sorted(by_review.get(rid, [])))) for rid, info in reviews.items()}


def differing_reviews(a: dict[ReviewKey, tuple], b: dict[ReviewKey, tuple]) -> list[ReviewKey]:
    """The reviews whose fingerprints differ (or that only one side has), sorted."""
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def describe_difference(a: tuple | None, b: tuple | None, limit: int = 5) -> list[str]:
    """A few lines saying how two fingerprints of one review differ, for a person to read."""
    if a is None or b is None:
        return ["present in one database only"]
    lines = []
    if a[0] != b[0]:
        lines.append(f"review details: {a[0]} vs {b[0]}")
    left = {r[0]: r for r in a[1]}
    right = {r[0]: r for r in b[1]}
    for rec_id in sorted(set(left) | set(right)):
        if left.get(rec_id) != right.get(rec_id):
            lines.append(f"{rec_id}: {left.get(rec_id)} vs {right.get(rec_id)}")
            if len(lines) >= limit:
                break
    return lines

"""Queries of the Implementation status page: current status per source, disagreements, status over time.

The current assessment of a recommendation by a source is its latest by `as_of`, then by id
(`CURRENT_BY_SOURCE`); the history stays in `assessment` and feeds the status-over-time view.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from upr.filters import FILTERED_RECS, Filters, run
from upr.queries.core import CURRENT_BY_SOURCE
from upr.vocab import SOURCE_KIND_CODES

__all__ = [
    "STATUS_ORDINAL",
    "assessment_sources",
    "status_by_cycle",
    "status_by_theme",
    "status_matrix",
    "status_disagreements",
    "status_timeline",
]

# How far along each status is, to measure how much two sources disagree. not_assessed has none.
STATUS_ORDINAL: dict[str, int] = {
    "implemented": 5,
    "partially_implemented": 3,
    "in_progress": 3,
    "formally_implemented": 2,
    "no_progress": 1,
    "not_implemented": 0,
}
# Built once from the constant above; no user value ever reaches it.
_ORDINAL_CASE = "CASE {col} " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in STATUS_ORDINAL.items()) + " END"


def _params(f: Filters) -> dict[str, object]:
    return f.params() | {"sources": list(f.sources)}


def assessment_sources(con: duckdb.DuckDBPyConnection, f: Filters) -> list[str]:
    """The source kinds with at least one assessment of the filtered recommendations, in vocabulary order."""
    rows = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT DISTINCT a.source_kind FROM assessment a JOIN fr ON fr.id = a.rec_id
        WHERE len($sources) = 0 OR list_contains($sources, a.source_kind)
        """,  # noqa: S608 - the fragment is a constant
        _params(f),
    ).fetchall()
    found = {r[0] for r in rows}
    order = [k for k in SOURCE_KIND_CODES if k in found]
    return order + sorted(found - set(order))


def status_by_cycle(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cycle, source and current status: the number of recommendations (columns cycle, year, source_kind, status, n)."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE})
        SELECT fr.cycle, any_value(year(v.review_date)) AS year, cur.source_kind, cur.status, count(*) AS n
        FROM fr JOIN cur ON cur.rec_id = fr.id JOIN review v ON v.id = fr.review_id
        GROUP BY fr.cycle, cur.source_kind, cur.status
        ORDER BY fr.cycle, cur.source_kind, cur.status
        """,  # noqa: S608
        _params(f),
    ).df()


def status_by_theme(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per canonical theme, source and current status: the number of recommendations.

    A recommendation counts once under each of its themes. With a theme filter, only the chosen
    themes are shown; a recommendation with no canonical theme counts under theme "" (labels NULL).
    Columns: theme, label_en, label_ru, label_kk, sort, source_kind, status, n.
    """
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE}),
        th AS (SELECT DISTINCT rec_id, theme_code FROM rec_theme
               WHERE theme_code IS NOT NULL AND rec_id IN (SELECT id FROM fr)
                 AND (len($themes) = 0 OR list_contains($themes, theme_code)))
        SELECT coalesce(th.theme_code, '') AS theme, any_value(t.label_en) AS label_en,
               any_value(t.label_ru) AS label_ru, any_value(t.label_kk) AS label_kk,
               coalesce(any_value(t.sort), 1000000) AS sort, cur.source_kind, cur.status, count(*) AS n
        FROM fr JOIN cur ON cur.rec_id = fr.id
        LEFT JOIN th ON th.rec_id = fr.id LEFT JOIN theme t ON t.code = th.theme_code
        GROUP BY coalesce(th.theme_code, ''), cur.source_kind, cur.status
        ORDER BY sort, theme, cur.source_kind, cur.status
        """,  # noqa: S608
        _params(f),
    ).df()


def status_matrix(con: duckdb.DuckDBPyConnection, f: Filters, a: str = "government", b: str = "ngo") -> pd.DataFrame:
    """Recommendations assessed by both sources `a` and `b`, counted by (current status by a, by b).

    Columns status_a, status_b, n. Empty when the source filter leaves out either side.
    """
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE})
        SELECT ca.status AS status_a, cb.status AS status_b, count(*) AS n
        FROM fr JOIN cur ca ON ca.rec_id = fr.id AND ca.source_kind = $a
        JOIN cur cb ON cb.rec_id = fr.id AND cb.source_kind = $b
        GROUP BY ALL ORDER BY ALL
        """,  # noqa: S608
        _params(f) | {"a": a, "b": b},
    ).df()


def status_disagreements(
    con: duckdb.DuckDBPyConnection, f: Filters, lang: str, a: str = "government", b: str = "ngo", limit: int = 50
) -> pd.DataFrame:
    """The recommendations where sources `a` and `b` differ most, by the gap between their status ordinals.

    Only recommendations both assessed, neither as not_assessed, with a gap above zero; sorted by
    the gap (largest first), then cycle and paragraph. The text is in `lang` when translated, else
    the original. Columns: id, cycle, ref, text, gap, differing (how many differ in all, before the
    limit), and status/as_of/organisation/comment for a (status_a, ...) and b (status_b, ...).
    """
    ord_a, ord_b = _ORDINAL_CASE.format(col="ca.status"), _ORDINAL_CASE.format(col="cb.status")
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS (
            SELECT * FROM (
                SELECT a.rec_id, a.source_kind, a.organisation, a.status, a.as_of, a.comment,
                       row_number() OVER (PARTITION BY a.rec_id, a.source_kind ORDER BY a.as_of DESC, a.id DESC) AS n
                FROM assessment a WHERE a.source_kind IN ($a, $b) AND a.rec_id IN (SELECT id FROM fr)
                  AND (len($sources) = 0 OR list_contains($sources, a.source_kind))
            ) WHERE n = 1),
        pairs AS (
            SELECT fr.id, fr.cycle, fr.ref, abs(({ord_a}) - ({ord_b})) AS gap,
                   ca.status AS status_a, ca.as_of AS as_of_a, ca.organisation AS organisation_a, ca.comment AS comment_a,
                   cb.status AS status_b, cb.as_of AS as_of_b, cb.organisation AS organisation_b, cb.comment AS comment_b
            FROM fr JOIN cur ca ON ca.rec_id = fr.id AND ca.source_kind = $a
            JOIN cur cb ON cb.rec_id = fr.id AND cb.source_kind = $b
            WHERE ca.status <> 'not_assessed' AND cb.status <> 'not_assessed'
        ),
        top AS (
            SELECT *, count(*) OVER () AS differing FROM pairs WHERE gap > 0
            ORDER BY gap DESC, cycle, try_cast(split_part(ref, '.', 1) AS INTEGER),
                     try_cast(split_part(ref, '.', 2) AS INTEGER), ref, id
            LIMIT $limit
        )
        SELECT top.id, top.cycle, top.ref, coalesce(tl.text, tr.text, t0.text) AS text, top.gap, top.differing,
               top.status_a, top.as_of_a, top.organisation_a, top.comment_a,
               top.status_b, top.as_of_b, top.organisation_b, top.comment_b
        FROM top LEFT JOIN rec_text tl ON tl.rec_id = top.id AND tl.lang = $lang
        LEFT JOIN rec_text tr ON tr.rec_id = top.id AND tr.lang = 'ru' AND $lang = 'kk'
        LEFT JOIN rec_text t0 ON t0.rec_id = top.id AND t0.is_original
        ORDER BY top.gap DESC, top.cycle, try_cast(split_part(top.ref, '.', 1) AS INTEGER),
                 try_cast(split_part(top.ref, '.', 2) AS INTEGER), top.ref, top.id
        """,  # noqa: S608 - the fragment and the CASE are constants
        _params(f) | {"a": a, "b": b, "lang": lang, "limit": int(limit)},
    ).df()


def status_timeline(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per source, the statuses of the filtered recommendations as that source saw them at each of its assessment dates.

    At each date D on which a source assessed any of them, every recommendation counts under its
    latest assessment by that source dated D or earlier. Computed from changes (one +1 for the new
    status, one -1 for the status it replaces) summed over time, so it stays linear in the history.
    Columns: source_kind, as_of, status, n (n = 0 rows are kept so lines and areas are continuous).
    """
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}),
        hist AS (
            SELECT a.rec_id, a.source_kind, a.as_of, a.status,
                   lag(a.status) OVER w AS prev_status
            FROM assessment a JOIN fr ON fr.id = a.rec_id
            WHERE len($sources) = 0 OR list_contains($sources, a.source_kind)
            WINDOW w AS (PARTITION BY a.rec_id, a.source_kind ORDER BY a.as_of, a.id)
        ),
        deltas AS (
            SELECT source_kind, as_of, status, 1 AS d FROM hist
            UNION ALL
            SELECT source_kind, as_of, prev_status, -1 FROM hist WHERE prev_status IS NOT NULL
        ),
        per_day AS (SELECT source_kind, as_of, status, sum(d) AS d FROM deltas GROUP BY ALL),
        grid AS (
            SELECT d.source_kind, d.as_of, s.status
            FROM (SELECT DISTINCT source_kind, as_of FROM hist) d
            JOIN (SELECT DISTINCT source_kind, status FROM hist) s USING (source_kind)
        )
        SELECT g.source_kind, g.as_of, g.status,
               CAST(sum(coalesce(p.d, 0)) OVER (PARTITION BY g.source_kind, g.status ORDER BY g.as_of) AS BIGINT) AS n
        FROM grid g LEFT JOIN per_day p USING (source_kind, as_of, status)
        ORDER BY g.source_kind, g.as_of, g.status
        """,  # noqa: S608
        _params(f),
    ).df()

"""Queries for the Cycle comparison, Themes and Recommending States pages.

Every figure is an SQL aggregate over FILTERED_RECS (the sidebar filters); only the texts of the
two compared cycles are pulled into Python, to pair recurring recommendations with rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

from upr.filters import FILTERED_RECS, Filters, run
from upr.queries.core import TEXT_OF
from upr.queries.similarity import first_best, pairing_of

# token_set_ratio is 100 when one text's words are a subset of the other's ("Abolish the death
# penalty" / "Abolish the death penalty for all crimes") and falls as added clauses grow. At 75 a
# repeated ask survives a clause such as "in consultation with civil society"; below ~70, different
# asks of one theme that share boilerplate ("Ratify the … Convention …") start to pair. On the demo
# the best match of 714 of 733 later-cycle recommendations clears 75, and it is the same ask in
# all but one of them.
RECUR_THRESHOLD = 75

__all__ = [
    "RECUR_THRESHOLD",
    "cycle_pair_summary",
    "recommending_totals",
    "recurring_recommendations",
    "regional_group_counts",
    "returning_states",
    "selected_cycles",
    "state_counts",
    "state_recommendations",
    "theme_change",
    "theme_cycle_matrix",
    "theme_distribution",
    "theme_recommendations",
    "themes_in_every_cycle",
    "unresolved_states",
]

# One row per recommendation of `fr` and canonical theme (sources may map several labels to one
# code). Restricted to `fr` first, so that DISTINCT does not run over every theme link in the database.
_REC_THEMES = (
    "SELECT DISTINCT rec_id, theme_code FROM rec_theme WHERE theme_code IS NOT NULL AND rec_id IN (SELECT id FROM fr)"
)


def _params(f: Filters, cycles: tuple[int, ...] | None = None, **extra: object) -> dict[str, object]:
    """FILTERED_RECS parameters, with the page's own cycle choice in place of the sidebar's."""
    params = f.params()
    if cycles is not None:
        params["cycles"] = list(cycles)
    return params | extra


def selected_cycles(con: duckdb.DuckDBPyConnection, f: Filters) -> list[int]:
    """The cycles the sidebar selects for the State under review (all its reviews when none is chosen)."""
    rows = run(con, "SELECT cycle FROM review WHERE sur_iso3 = ? ORDER BY cycle", [f.sur]).fetchall()
    return [c for (c,) in rows if not f.cycles or c in f.cycles]


# --- Cycle comparison ------------------------------------------------------------------------


def cycle_pair_summary(con: duckdb.DuckDBPyConnection, f: Filters, a: int, b: int) -> pd.DataFrame:
    """Cycles `a` and `b` (in that order): recommendations, supported, supported share, recommending States."""
    df = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT v.cycle, year(v.review_date) AS year,
               count(fr.id) AS recommendations,
               count(fr.id) FILTER (WHERE fr.response = 'supported') AS supported,
               CASE WHEN count(fr.id) > 0
                    THEN round(100.0 * count(fr.id) FILTER (WHERE fr.response = 'supported') / count(fr.id), 1)
               END AS supported_pct,
               (SELECT count(DISTINCT s.iso3) FROM rec_state s JOIN fr f2 ON f2.id = s.rec_id
                WHERE f2.cycle = v.cycle) AS states
        FROM review v LEFT JOIN fr ON fr.review_id = v.id
        WHERE v.sur_iso3 = $sur AND v.cycle IN ($a, $b)
        GROUP BY v.cycle, v.review_date
        """,  # noqa: S608 - the fragment is a constant
        _params(f, (a, b), a=a, b=b),
    ).df()
    order = {a: 0, b: 1}
    return df.sort_values("cycle", key=lambda s: s.map(order)).reset_index(drop=True)


def theme_change(con: duckdb.DuckDBPyConnection, f: Filters, a: int, b: int) -> pd.DataFrame:
    """Per canonical theme: recommendations in cycle `a` and `b` and the change, smallest change first."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT th.code, th.label_en, th.label_ru, th.label_kk,
               count(*) FILTER (WHERE fr.cycle = $a) AS n_a,
               count(*) FILTER (WHERE fr.cycle = $b) AS n_b,
               count(*) FILTER (WHERE fr.cycle = $b) - count(*) FILTER (WHERE fr.cycle = $a) AS change
        FROM fr JOIN ({_REC_THEMES}) rt ON rt.rec_id = fr.id JOIN theme th ON th.code = rt.theme_code
        GROUP BY th.code, th.label_en, th.label_ru, th.label_kk, th.sort
        ORDER BY change, th.sort
        """,  # noqa: S608
        _params(f, (a, b), a=a, b=b),
    ).df()


def returning_states(con: duckdb.DuckDBPyConnection, f: Filters, a: int, b: int) -> pd.DataFrame:
    """Per resolved recommending State: recommendations in `a` and `b`, and whether it is
    'both' (came back), 'new' (only in `b`) or 'dropped' (only in `a`); most recommendations first."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}),
        per AS (
            SELECT s.iso3, count(DISTINCT s.rec_id) FILTER (WHERE fr.cycle = $a) AS n_a,
                   count(DISTINCT s.rec_id) FILTER (WHERE fr.cycle = $b) AS n_b
            FROM fr JOIN rec_state s ON s.rec_id = fr.id WHERE s.iso3 IS NOT NULL GROUP BY s.iso3
        )
        SELECT per.iso3, st.name_en, st.name_ru, st.name_kk, st.regional_group, per.n_a, per.n_b,
               CASE WHEN per.n_a > 0 AND per.n_b > 0 THEN 'both' WHEN per.n_b > 0 THEN 'new' ELSE 'dropped' END
                   AS presence
        FROM per JOIN state st ON st.iso3 = per.iso3
        ORDER BY per.n_a + per.n_b DESC, st.name_en
        """,  # noqa: S608
        _params(f, (a, b), a=a, b=b),
    ).df()


def recurring_recommendations(
    con: duckdb.DuckDBPyConnection, f: Filters, a: int, b: int, lang: str, threshold: int = RECUR_THRESHOLD
) -> pd.DataFrame:
    """Recommendations of cycle `b` that repeat one of cycle `a`: the same canonical theme and a
    similar text (rapidfuzz token_set_ratio ≥ `threshold` on the English text, or on the Russian
    text when one side has no English). Each recommendation of `b` is paired with its most similar
    recommendation of `a`; pairing runs theme by theme, so it stays fast on large databases.

    Columns: theme code and labels, score, and for each side (suffix _a, _b) id, ref, response and
    the text in `lang` (the original when there is no translation). Ordered by theme, then ref.
    """
    rows = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), rt AS ({_REC_THEMES}),
        txt AS (
            SELECT rec_id, coalesce(any_value(text) FILTER (WHERE lang = $lang),
                                    any_value(text) FILTER (WHERE $lang = 'kk' AND lang = 'ru'),
                                    any_value(text) FILTER (WHERE is_original)) AS text,
                   any_value(text) FILTER (WHERE lang = 'en') AS text_en,
                   any_value(text) FILTER (WHERE lang = 'ru') AS text_ru
            FROM rec_text WHERE rec_id IN (SELECT id FROM fr) GROUP BY rec_id)
        SELECT rt.theme_code, fr.cycle, fr.id, fr.ref, coalesce(fr.response, 'pending') AS response,
               txt.text, txt.text_en, txt.text_ru
        FROM fr JOIN rt ON rt.rec_id = fr.id LEFT JOIN txt ON txt.rec_id = fr.id
        WHERE rt.theme_code IN (
            SELECT rt2.theme_code FROM fr f2 JOIN rt rt2 ON rt2.rec_id = f2.id
            GROUP BY rt2.theme_code HAVING count(DISTINCT f2.cycle) = 2)
        ORDER BY rt.theme_code, fr.id
        """,  # noqa: S608
        _params(f, (a, b), lang=lang),
    ).fetchall()
    by_theme: dict[str, tuple[list[tuple], list[tuple]]] = {}
    for row in rows:
        by_theme.setdefault(row[0], ([], []))[0 if row[1] == a else 1].append(row[2:])
    best: dict[str, tuple] = {}
    every = _english_texts(con, f.sur, a, b) if all(r[6] is not None for r in rows) else None
    for theme, side_a, side_b, matches in _theme_matches(by_theme, threshold, best, every):
        for i, match in enumerate(matches):
            if match is None:
                continue
            j, score = match
            rb, ra = side_b[i], side_a[j]
            # A recommendation with several themes pairs once: with its closest match over all of them.
            if score >= threshold and score > best.get(rb[0], (None, -1.0))[1]:
                best[rb[0]] = (theme, score, *ra[:4], *rb[:4])
    columns = ["theme_code", "score", *(f"{c}_{s}" for s in "ab" for c in ("id", "ref", "response", "text"))]
    out = pd.DataFrame(list(best.values()), columns=columns)
    if out.empty:
        return out.assign(label_en=[], label_ru=[], label_kk=[])
    labels = run(con, "SELECT code AS theme_code, label_en, label_ru, label_kk, sort FROM theme").df()
    out = out.merge(labels, on="theme_code", how="left")
    out["_ref"] = out["ref_b"].map(_ref_key)
    # The ids last: the same order on any copy of the data (the whole database or a State's slice).
    return out.sort_values(["sort", "_ref", "id_b"]).drop(columns=["sort", "_ref"]).reset_index(drop=True)


def _english_texts(
    con: duckdb.DuckDBPyConnection, sur: str, a: int, b: int
) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]:
    """(id, English text) of every recommendation of cycles `a` and `b` of `sur`, whatever the filters."""
    rows = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT fr.cycle, fr.id, t.text FROM fr LEFT JOIN rec_text t ON t.rec_id = fr.id AND t.lang = 'en'
        ORDER BY fr.id
        """,  # noqa: S608
        _params(Filters(sur=sur), (a, b)),
    ).fetchall()
    return [(i, x) for c, i, x in rows if c == a], [(i, x) for c, i, x in rows if c == b]


def _theme_matches(
    by_theme: dict[str, tuple[list[tuple], list[tuple]]],
    threshold: int,
    best: dict[str, tuple],
    every: tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]] | None,
) -> Iterator[tuple[str, list[tuple], list[tuple], list[tuple[int, float] | None]]]:
    """Per theme: its two sides and, for each row of the later cycle's side, (position of its most
    similar row of the earlier side, score) when the score reaches `threshold`, else None (also
    when it cannot beat the score the row has in `best` from an earlier theme, the caller's pairs
    so far: it would not replace it).

    When every text has an English version (the usual case), `every` holds the English texts of
    both cycles, unfiltered: the pairs are bounded and only the few that can be a best match are
    scored (upr.queries.similarity). Otherwise every pair is scored, English where both sides
    have it and Russian where they do not.
    """
    if every is not None:
        pairing, at_b, at_a = pairing_of(every[1], every[0])
        listed = all(r[0] in at_a for s, _ in by_theme.values() for r in s) and all(
            r[0] in at_b for _, s in by_theme.values() for r in s
        )  # (always, but for a write landing between the two queries on the whole database)
        if listed and pairing.left.stable and pairing.right.stable:
            for theme, (side_a, side_b) in by_theme.items():
                beat = [best.get(r[0], (None, -1.0))[1] for r in side_b]
                matches = pairing.best([at_b[r[0]] for r in side_b], [at_a[r[0]] for r in side_a], threshold, beat)
                yield theme, side_a, side_b, matches
            return
    for theme, (side_a, side_b) in by_theme.items():
        scores = _similarity(side_b, side_a)
        yield theme, side_a, side_b, [first_best(row, threshold) for row in scores]


def _similarity(left: list[tuple], right: list[tuple]) -> np.ndarray:
    """token_set_ratio of every text of `left` against every text of `right` (rows of id, ref,
    response, text, text_en, text_ru): English where both sides have it, Russian where they do not
    (a Russian-only import against an English one)."""
    # Threads only pay off on big matrices.
    kwargs = {
        "scorer": fuzz.token_set_ratio,
        "processor": utils.default_process,
        "workers": -1 if len(left) * len(right) > 100_000 else 1,
    }
    scores = process.cdist([r[4] or "" for r in left], [r[4] or "" for r in right], **kwargs)
    both_en = np.array([r[4] is not None for r in left])[:, None] & np.array([r[4] is not None for r in right])[None, :]
    if not both_en.all():
        ru = process.cdist([r[5] or "" for r in left], [r[5] or "" for r in right], **kwargs)
        scores = np.where(both_en, scores, ru)
    return scores


def _ref_key(ref: object) -> tuple:
    """'124.17' sorts after '124.9'."""
    parts = str(ref or "").split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def themes_in_every_cycle(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Canonical themes asked about in every selected cycle (at least two cycles), with the number
    of recommendations per cycle in columns n_<cycle>, in the theme list's order."""
    cycles = selected_cycles(con, f)
    if len(cycles) < 2:
        return pd.DataFrame(columns=["code", "label_en", "label_ru", "label_kk"])
    long = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), rt AS ({_REC_THEMES})
        SELECT th.code, th.label_en, th.label_ru, th.label_kk, th.sort, fr.cycle, count(*) AS n
        FROM fr JOIN rt ON rt.rec_id = fr.id JOIN theme th ON th.code = rt.theme_code
        WHERE th.code IN (SELECT rt2.theme_code FROM fr f2 JOIN rt rt2 ON rt2.rec_id = f2.id
                          GROUP BY rt2.theme_code HAVING count(DISTINCT f2.cycle) = $n_cycles)
        GROUP BY ALL
        """,  # noqa: S608
        _params(f, tuple(cycles), n_cycles=len(cycles)),
    ).df()
    if long.empty:
        return pd.DataFrame(columns=["code", "label_en", "label_ru", "label_kk"])
    wide = long.pivot_table(
        index=["code", "label_en", "label_ru", "label_kk", "sort"],
        columns="cycle",
        values="n",
        aggfunc="sum",
        fill_value=0,
    ).reset_index()
    wide.columns = [c if isinstance(c, str) else f"n_{c}" for c in wide.columns]
    return wide.sort_values(["sort", "code"]).drop(columns="sort").reset_index(drop=True)


# --- Themes ----------------------------------------------------------------------------------


def theme_distribution(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Recommendations per canonical theme (one with several themes counts once in each); the
    recommendations with no canonical theme form one row with code NULL. Largest first."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), rt AS ({_REC_THEMES})
        SELECT th.code, th.label_en, th.label_ru, th.label_kk, count(*) AS n
        FROM fr JOIN rt ON rt.rec_id = fr.id JOIN theme th ON th.code = rt.theme_code
        GROUP BY th.code, th.label_en, th.label_ru, th.label_kk, th.sort
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, count(*) FROM fr WHERE NOT EXISTS (SELECT 1 FROM rt WHERE rt.rec_id = fr.id)
        HAVING count(*) > 0
        ORDER BY n DESC, code
        """,  # noqa: S608
        _params(f),
    ).df()


def theme_cycle_matrix(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Recommendations per canonical theme and cycle (long form: code, labels, sort, cycle, n)."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT th.code, th.label_en, th.label_ru, th.label_kk, th.sort, fr.cycle, count(*) AS n
        FROM fr JOIN ({_REC_THEMES}) rt ON rt.rec_id = fr.id JOIN theme th ON th.code = rt.theme_code
        GROUP BY ALL ORDER BY th.sort, fr.cycle
        """,  # noqa: S608
        _params(f),
    ).df()


def theme_recommendations(con: duckdb.DuckDBPyConnection, f: Filters, theme: str, lang: str) -> pd.DataFrame:
    """The filtered recommendations of one canonical theme ('' = those with no canonical theme):
    id, cycle, ref, text in `lang` (else the original), response, and the sources' own theme labels."""
    # The theme's recommendations first; texts and labels are then looked up for those only.
    if theme:
        chosen = "fr.id IN (SELECT rec_id FROM rec_theme WHERE theme_code = $theme)"
    else:
        chosen = "fr.id NOT IN (SELECT rec_id FROM rec_theme WHERE theme_code IS NOT NULL)"
    return (
        run(
            con,
            f"""
        WITH fr AS ({FILTERED_RECS}),
        sel AS (SELECT * FROM fr WHERE {chosen}),
        txt AS ({TEXT_OF.format(ids="sel")}),
        src AS (SELECT rec_id, string_agg(DISTINCT source_label, '; ' ORDER BY source_label) AS source_themes
                FROM rec_theme WHERE rec_id IN (SELECT id FROM sel) GROUP BY rec_id)
        SELECT sel.id, sel.cycle, sel.ref, txt.text, coalesce(sel.response, 'pending') AS response, src.source_themes
        FROM sel LEFT JOIN txt ON txt.rec_id = sel.id LEFT JOIN src ON src.rec_id = sel.id
        ORDER BY sel.cycle, sel.id
        """,  # noqa: S608 - the fragments are constants
            _params(f, lang=lang, **({"theme": theme} if theme else {})),  # no $theme without one
        )
        .df()
        .assign(_ref=lambda d: d["ref"].map(_ref_key))
        .sort_values(["cycle", "_ref", "id"])  # the id last: the same order on any copy of the data
        .drop(columns="_ref")
        .reset_index(drop=True)
    )


# --- Recommending States ---------------------------------------------------------------------

# Recommendation–State pairs of the filtered recommendations; with a State filter, only the pairs
# of the chosen States (a co-sponsor of a chosen State's recommendation is not what was asked for).
_PAIRS = """
    SELECT s.rec_id, s.iso3, s.source_label, fr.cycle, fr.response
    FROM fr JOIN rec_state s ON s.rec_id = fr.id
    WHERE len($states) = 0 OR list_contains($states, s.iso3)
"""


def state_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per resolved recommending State: names, regional group, recommendations made, how many
    supported, and the supported share; most recommendations first."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), p AS ({_PAIRS})
        SELECT p.iso3, st.name_en, st.name_ru, st.name_kk, st.regional_group,
               count(DISTINCT p.rec_id) AS recommendations,
               count(DISTINCT p.rec_id) FILTER (WHERE p.response = 'supported') AS supported,
               round(100.0 * count(DISTINCT p.rec_id) FILTER (WHERE p.response = 'supported')
                     / count(DISTINCT p.rec_id), 1) AS supported_pct
        FROM p JOIN state st ON st.iso3 = p.iso3
        GROUP BY ALL ORDER BY recommendations DESC, st.name_en
        """,  # noqa: S608
        _params(f),
    ).df()


def recommending_totals(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: resolved recommending States, recommendations with at least one recommending State,
    recommendation–State pairs, and the pairs whose State name is unresolved."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), p AS ({_PAIRS})
        SELECT count(DISTINCT p.iso3) AS states, count(DISTINCT p.rec_id) AS recommendations,
               count(*) AS pairs, count(*) FILTER (WHERE p.iso3 IS NULL) AS unresolved_pairs
        FROM p
        """,  # noqa: S608
        _params(f),
    ).df()


def unresolved_states(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Recommending-State names the importers could not resolve (iso3 NULL), with their number of
    recommendations, so that the page can count them instead of dropping them."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT s.source_label, count(DISTINCT s.rec_id) AS recommendations
        FROM fr JOIN rec_state s ON s.rec_id = fr.id
        WHERE s.iso3 IS NULL AND len($states) = 0
        GROUP BY s.source_label ORDER BY recommendations DESC, s.source_label
        """,  # noqa: S608
        _params(f),
    ).df()


def regional_group_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per UN regional group of the recommending State (NULL: no group, or an unresolved name):
    recommendations, recommendation–State pairs, supported, supported share. Largest first."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), p AS ({_PAIRS})
        SELECT st.regional_group, count(DISTINCT p.rec_id) AS recommendations, count(*) AS pairs,
               count(DISTINCT p.rec_id) FILTER (WHERE p.response = 'supported') AS supported,
               round(100.0 * count(DISTINCT p.rec_id) FILTER (WHERE p.response = 'supported')
                     / count(DISTINCT p.rec_id), 1) AS supported_pct
        FROM p LEFT JOIN state st ON st.iso3 = p.iso3
        GROUP BY st.regional_group ORDER BY recommendations DESC, st.regional_group NULLS LAST
        """,  # noqa: S608
        _params(f),
    ).df()


def state_recommendations(con: duckdb.DuckDBPyConnection, f: Filters, iso3: str, lang: str) -> pd.DataFrame:
    """The filtered recommendations one State made: id, cycle, ref, text in `lang` (else the
    original), response and canonical theme labels in `lang`; by cycle and paragraph."""
    if lang not in ("en", "ru", "kk"):
        lang = "en"
    return (
        run(
            con,
            f"""
        WITH fr AS ({FILTERED_RECS}),
        sel AS (SELECT * FROM fr WHERE fr.id IN (SELECT rec_id FROM rec_state WHERE iso3 = $iso3)),
        txt AS ({TEXT_OF.format(ids="sel")}),
        ths AS (SELECT t.rec_id, string_agg(DISTINCT th.label_{lang}, '; ' ORDER BY th.label_{lang}) AS themes
                FROM rec_theme t JOIN theme th ON th.code = t.theme_code
                WHERE t.rec_id IN (SELECT id FROM sel) GROUP BY t.rec_id)
        SELECT sel.id, sel.cycle, sel.ref, txt.text, coalesce(sel.response, 'pending') AS response, ths.themes
        FROM sel LEFT JOIN txt ON txt.rec_id = sel.id LEFT JOIN ths ON ths.rec_id = sel.id
        """,  # noqa: S608 - lang is one of three constants
            _params(f, iso3=iso3, lang=lang),
        )
        .df()
        .assign(_ref=lambda d: d["ref"].map(_ref_key))
        .sort_values(["cycle", "_ref", "id"])  # the id last: the same order on any copy of the data
        .drop(columns="_ref")
        .reset_index(drop=True)
    )

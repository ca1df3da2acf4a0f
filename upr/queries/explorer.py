"""Queries of the Explorer and the Source conflicts pages: a paginated table, one recommendation in full,
and the disagreements between sources recorded on import.

The table is counted and paged in SQL (LIMIT/OFFSET over the filtered set; names, themes and
statuses are looked up for the page's rows only), so it stays fast at 100,000 recommendations.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from upr.filters import FILTERED_RECS, Filters, run
from upr.queries.core import TEXT_OF
from upr.queries.plans import AGENCY_OF

__all__ = [
    "PAGE_SIZE",
    "STATUS_COLUMNS",
    "explorer_count",
    "explorer_rows",
    "explorer_texts",
    "has_unthemed",
    "recommendation_detail",
    "conflict_list",
    "conflict_counts",
]

PAGE_SIZE = 50
STATUS_COLUMNS = ("status_government", "status_ngo", "status_nhri", "status_un")

# Paragraph references sort as numbers (95.2 before 95.10); unnumbered recommendations come last.
_REF_ORDER = (
    "{t}.cycle, try_cast(split_part({t}.ref, '.', 1) AS INTEGER), "
    "try_cast(split_part({t}.ref, '.', 2) AS INTEGER), {t}.ref, {t}.id"
)
# A column of names in the reader's language, with English when a label is missing.
_LABEL = "coalesce(CASE $lang WHEN 'ru' THEN {t}.{c}_ru WHEN 'kk' THEN {t}.{c}_kk END, {t}.{c}_en)"

_ROWS = f"""
    WITH fr AS ({FILTERED_RECS}),
    pg AS (SELECT fr.* FROM fr ORDER BY {_REF_ORDER.format(t="fr")} {{limit}}),
    cur AS (
        SELECT rec_id, source_kind, status FROM (
            SELECT a.rec_id, a.source_kind, a.status,
                   row_number() OVER (PARTITION BY a.rec_id, a.source_kind ORDER BY a.as_of DESC, a.id DESC) AS n
            FROM assessment a
            WHERE a.rec_id IN (SELECT id FROM pg) AND (len($sources) = 0 OR list_contains($sources, a.source_kind))
        ) WHERE n = 1),
    sts AS (
        SELECT rs.rec_id,
               string_agg(coalesce({_LABEL.format(t="s", c="name")}, rs.source_label), ', '
                          ORDER BY coalesce({_LABEL.format(t="s", c="name")}, rs.source_label)) AS states
        FROM rec_state rs LEFT JOIN state s ON s.iso3 = rs.iso3
        WHERE rs.rec_id IN (SELECT id FROM pg) GROUP BY rs.rec_id),
    ths AS (
        SELECT rec_id, string_agg(lbl, '; ' ORDER BY sort, lbl) AS themes FROM (
            SELECT DISTINCT x.rec_id, coalesce({_LABEL.format(t="t", c="label")}, x.source_label) AS lbl,
                   coalesce(t.sort, 1000000) AS sort
            FROM rec_theme x LEFT JOIN theme t ON t.code = x.theme_code
            WHERE x.rec_id IN (SELECT id FROM pg)
        ) GROUP BY rec_id),
    txt AS ({TEXT_OF.format(ids="pg")}),
    ags AS (
        SELECT x.rec_id, string_agg(DISTINCT {_LABEL.format(t="a", c="abbr")}, ', '
                                    ORDER BY {_LABEL.format(t="a", c="abbr")}) AS agency
        FROM ({AGENCY_OF.format(ids="pg")}) x JOIN agency a ON a.code = x.agency_code GROUP BY x.rec_id),
    pits AS (
        SELECT x.rec_id, string_agg(DISTINCT i.number, ', ' ORDER BY i.number) AS plan_item
        FROM plan_item_rec x JOIN plan_item i ON i.id = x.item_id WHERE x.rec_id IN (SELECT id FROM pg)
        GROUP BY x.rec_id)
    SELECT pg.id, pg.cycle, pg.ref, txt.text, sts.states, pg.response, ths.themes, ags.agency, pits.plan_item,
           (SELECT status FROM cur WHERE cur.rec_id = pg.id AND cur.source_kind = 'government') AS status_government,
           (SELECT status FROM cur WHERE cur.rec_id = pg.id AND cur.source_kind = 'ngo') AS status_ngo,
           (SELECT status FROM cur WHERE cur.rec_id = pg.id AND cur.source_kind = 'nhri') AS status_nhri,
           (SELECT status FROM cur WHERE cur.rec_id = pg.id AND cur.source_kind = 'un') AS status_un
    FROM pg LEFT JOIN txt ON txt.rec_id = pg.id
    LEFT JOIN sts ON sts.rec_id = pg.id LEFT JOIN ths ON ths.rec_id = pg.id
    LEFT JOIN ags ON ags.rec_id = pg.id LEFT JOIN pits ON pits.rec_id = pg.id
    ORDER BY {_REF_ORDER.format(t="pg")}
"""
_PAGE = _ROWS.format(limit="LIMIT $limit OFFSET $offset")
_ALL = _ROWS.format(limit="")


def _params(f: Filters, lang: str) -> dict[str, object]:
    return f.params() | {"sources": list(f.sources), "lang": lang}


def explorer_count(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    """How many recommendations the filters (and the search text `f.q`) select."""
    return int(run(con, f"SELECT count(*) FROM ({FILTERED_RECS})", f.params()).fetchone()[0])  # noqa: S608


def explorer_rows(
    con: duckdb.DuckDBPyConnection, f: Filters, lang: str, page: int | None = 0, page_size: int = PAGE_SIZE
) -> pd.DataFrame:
    """One page (0-based) of the filtered recommendations, or all of them when `page` is None (export).

    Sorted by cycle and paragraph. Columns: id, cycle, ref, text (in `lang` when translated, else
    in Russian for a Kazakh reader, else the original), states (names in `lang`, comma-joined),
    response (code), themes (labels in `lang`, the source's label when unmapped), agency (abbreviations of the responsible agencies in
    `lang`), plan_item (numbers of the plan items citing it), and the current status code per source kind
    (status_government, status_ngo, status_nhri, status_un; NULL when not assessed or filtered out).
    """
    if page is None:
        return run(con, _ALL, _params(f, lang)).df()
    params = _params(f, lang) | {"limit": int(page_size), "offset": max(int(page), 0) * int(page_size)}
    return run(con, _PAGE, params).df()


def has_unthemed(con: duckdb.DuckDBPyConnection, sur: str) -> bool:
    """Whether any live recommendation of State `sur` has no canonical theme (the sidebar then offers «no theme»)."""
    return bool(
        run(
            con,
            """
            SELECT count(*) FROM recommendation r JOIN review v ON v.id = r.review_id
            WHERE v.sur_iso3 = $sur AND r.merged_into IS NULL AND NOT EXISTS (
                SELECT 1 FROM rec_theme x WHERE x.rec_id = r.id AND x.theme_code IS NOT NULL)
            """,
            {"sur": sur},
        ).fetchone()[0]
    )


def explorer_texts(con: duckdb.DuckDBPyConnection, ids: tuple[str, ...]) -> pd.DataFrame:
    """Every text of the given recommendations (columns rec_id, lang, text, is_original), the original first."""
    return run(
        con,
        "SELECT rec_id, lang, text, is_original FROM rec_text WHERE list_contains($ids, rec_id) "
        "ORDER BY rec_id, NOT is_original, lang",
        {"ids": list(ids)},
    ).df()


def recommendation_detail(con: duckdb.DuckDBPyConnection, rec_id: str) -> dict[str, pd.DataFrame]:
    """Everything known about one recommendation, as named tables (all empty when the id is unknown).

    rec: its review and fields; texts: every language, the original flagged; states: names in
    every language and regional group; themes / groups: canonical code and labels with each
    source's own label; sdgs; sources: each file or document it was read from (import, format,
    row, paragraph, document symbol); replies: the State's own words on it in an addendum, with
    their citation; conflicts; assessments: the full history from every source,
    newest first.
    """
    one = [rec_id]
    out = {
        "rec": run(
            con,
            """
            SELECT r.id, v.sur_iso3, s.name_en AS sur_en, s.name_ru AS sur_ru, s.name_kk AS sur_kk, v.cycle,
                   v.session, year(v.review_date) AS year, v.report_symbol, r.ref, r.response, r.response_source,
                   r.response_cite, r.action_category, r.agency, r.import_id
            FROM recommendation r JOIN review v ON v.id = r.review_id LEFT JOIN state s ON s.iso3 = v.sur_iso3
            WHERE r.id = ?
            """,
            one,
        ).df(),
        "texts": run(
            con,
            "SELECT lang, text, is_original, import_id FROM rec_text WHERE rec_id = ? ORDER BY NOT is_original, lang",
            one,
        ).df(),
        "states": run(
            con,
            """
            SELECT x.iso3, x.source_label, s.name_en, s.name_ru, s.name_kk, s.regional_group, x.import_id
            FROM rec_state x LEFT JOIN state s ON s.iso3 = x.iso3 WHERE x.rec_id = ?
            ORDER BY coalesce(s.name_en, x.source_label)
            """,
            one,
        ).df(),
        "themes": run(
            con,
            """
            SELECT x.theme_code, t.label_en, t.label_ru, t.label_kk, x.source, x.source_label, x.import_id
            FROM rec_theme x LEFT JOIN theme t ON t.code = x.theme_code WHERE x.rec_id = ?
            ORDER BY coalesce(t.sort, 1000000), x.source, x.source_label
            """,
            one,
        ).df(),
        "groups": run(
            con,
            """
            SELECT x.group_code, g.label_en, g.label_ru, g.label_kk, x.source, x.source_label, x.import_id
            FROM rec_group x LEFT JOIN affected_group g ON g.code = x.group_code WHERE x.rec_id = ?
            ORDER BY coalesce(g.label_en, x.source_label), x.source
            """,
            one,
        ).df(),
        "sdgs": run(
            con, "SELECT sdg, goal, source, import_id FROM rec_sdg WHERE rec_id = ? ORDER BY goal, sdg, source", one
        ).df(),
        "sources": run(
            con,
            """
            SELECT coalesce(d.import_id, so.import_id) AS import_id, i.file_name, so.format, i.imported_at,
                   so.row_number, so.ref, so.response_raw, d.symbol AS document_symbol, d.title AS document_title
            FROM rec_source so LEFT JOIN document d ON d.id = so.document_id
            -- The file it was read from: an addendum's answer applied when its report came is still the addendum's.
            LEFT JOIN import i ON i.id = coalesce(d.import_id, so.import_id)
            WHERE so.rec_id = ? ORDER BY 1, so.row_number
            """,
            one,
        ).df(),
        "replies": run(
            con,
            "SELECT comment, cite FROM addendum_answer WHERE rec_id = ? AND comment IS NOT NULL ORDER BY id",
            one,
        ).df(),
        "conflicts": run(
            con,
            """
            SELECT id, field, kept_value, kept_source, other_value, other_source, import_id
            FROM conflict WHERE rec_id = ? ORDER BY id
            """,
            one,
        ).df(),
        "assessments": run(
            con,
            """
            SELECT id, source_kind, organisation, status, as_of, comment, evidence, import_id, row_number
            FROM assessment WHERE rec_id = ? ORDER BY as_of DESC, id DESC
            """,
            one,
        ).df(),
    }
    return out


# --- source conflicts ------------------------------------------------------------------------


def conflict_list(con: duckdb.DuckDBPyConnection, f: Filters, lang: str) -> pd.DataFrame:
    """The disagreements recorded on import for the filtered recommendations (the State under review's).

    Columns: id, rec_id, cycle, ref, field, kept_value, kept_source, other_value, other_source,
    import_id, file_name (of that import), text (in `lang` when translated, else in Russian for a
    Kazakh reader, else the original).
    """
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT c.id, c.rec_id, fr.cycle, fr.ref, c.field, c.kept_value, c.kept_source, c.other_value,
               c.other_source, c.import_id, i.file_name, coalesce(tl.text, tr.text, t0.text) AS text
        FROM conflict c JOIN fr ON fr.id = c.rec_id LEFT JOIN import i ON i.id = c.import_id
        LEFT JOIN rec_text tl ON tl.rec_id = c.rec_id AND tl.lang = $lang
        LEFT JOIN rec_text tr ON tr.rec_id = c.rec_id AND tr.lang = 'ru' AND $lang = 'kk'
        LEFT JOIN rec_text t0 ON t0.rec_id = c.rec_id AND t0.is_original
        ORDER BY c.id
        """,  # noqa: S608
        f.params() | {"lang": lang},
    ).df()


def conflict_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """How many recorded disagreements concern each field, for the filtered recommendations (columns field, n)."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT c.field, count(*) AS n FROM conflict c JOIN fr ON fr.id = c.rec_id
        GROUP BY c.field ORDER BY n DESC, c.field
        """,  # noqa: S608
        f.params(),
    ).df()

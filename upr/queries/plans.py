"""Queries of plans and responsible agencies: progress by section and item, overdue items, what
each agency answers for, status by agency, and the work list of what to report next.

Progress of an item is read from the current assessments (latest per source) of the recommendations
it cites, among those the filters select; a recommendation's agency is the lead agency of a plan
item citing it, else the one set on the recommendation directly (REC_AGENCY).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from upr.filters import FILTERED_RECS, Filters, run
from upr.queries.core import CURRENT_BY_SOURCE, TEXT_OF

__all__ = [
    "agency_options",
    "plan_options",
    "plan_sections",
    "plan_items",
    "plan_progress",
    "agency_responsibilities",
    "status_by_agency",
    "plan_indicators",
    "work_list",
    "supported_count",
    "coalition_groups",
]

# (rec_id, agency_code, item_id or NULL) of the recommendations in the CTE `{ids}` (REC_AGENCY: `fr`).
AGENCY_OF = """
    SELECT x.rec_id, x.agency_code, x.item_id FROM rec_agency x WHERE x.rec_id IN (SELECT id FROM {ids})
    UNION ALL
    SELECT r.id, a.code, NULL FROM recommendation r JOIN agency a
      ON r.agency IN (a.name_en, a.name_ru, a.name_kk, a.abbr_en, a.abbr_ru, a.abbr_kk)
         OR list_contains(string_split(a.aliases, ';'), r.agency)
    WHERE r.id IN (SELECT id FROM {ids}) AND r.id NOT IN (SELECT rec_id FROM rec_agency)
"""
REC_AGENCY = AGENCY_OF.format(ids="fr")
_DONE = "'implemented'"


def _plan_or_newest(con: duckdb.DuckDBPyConnection, f: Filters, plan_id: int | None) -> int:
    """`plan_id`, else the State's newest plan (-1 when it has none: every query then finds nothing)."""
    if plan_id is not None:
        return int(plan_id)
    row = con.execute(
        "SELECT id FROM plan WHERE sur_iso3 = ? ORDER BY adopted DESC NULLS LAST, id DESC LIMIT 1", [f.sur]
    ).fetchone()
    return int(row[0]) if row else -1


def _cycle_or_latest(con: duckdb.DuckDBPyConnection, f: Filters, cycle: int | None) -> int:
    """`cycle`, else the State's latest reviewed cycle."""
    if cycle is not None:
        return int(cycle)
    row = con.execute("SELECT max(cycle) FROM review WHERE sur_iso3 = ?", [f.sur]).fetchone()
    return int(row[0] or 0)


def _params(f: Filters, **more: object) -> dict[str, object]:
    return f.params() | {"sources": list(f.sources)} | more


def agency_options(con: duckdb.DuckDBPyConnection, sur: str) -> pd.DataFrame:
    """Agencies responsible for at least one recommendation of `sur` (code, names and abbreviations), in list order."""
    f = Filters(sur=sur)
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), ra AS ({REC_AGENCY})
        SELECT a.* FROM agency a WHERE a.code IN (SELECT agency_code FROM ra) ORDER BY a.sort
        """,  # noqa: S608 - the fragments are constants
        f.params(),
    ).df()


def plan_options(con: duckdb.DuckDBPyConnection, sur: str) -> pd.DataFrame:
    """The plans of `sur` (id, name, adopted, period, illustrative), newest first."""
    return con.execute(
        "SELECT id, name, act, adopted, period_start, period_end, illustrative, lang FROM plan "
        "WHERE sur_iso3 = ? ORDER BY adopted DESC NULLS LAST, id DESC",
        [sur],
    ).df()


def plan_sections(con: duckdb.DuckDBPyConnection, plan_id: int) -> pd.DataFrame:
    """The sections of a plan (id, number, title), in order."""
    return con.execute("SELECT id, number, title FROM plan_section WHERE plan_id = ? ORDER BY number", [plan_id]).df()


def plan_items(
    con: duckdb.DuckDBPyConnection, f: Filters, plan_id: int | None = None, today: date | None = None
) -> pd.DataFrame:
    """Every item of a plan with its executors, deadline and, per item, the recommendations it cites
    (among those the filters select), how many each of government and NGOs hold implemented and have
    assessed, and whether it is overdue (its deadline passed and the government does not report all
    its recommendations implemented). Items citing none of the selected recommendations are left out
    when a filter other than the plan is set."""
    plan_id, today = _plan_or_newest(con, f, plan_id), today or date.today()
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE}),
        links AS (SELECT x.item_id, x.rec_id FROM plan_item_rec x WHERE x.rec_id IN (SELECT id FROM fr)),
        per AS (
            SELECT l.item_id, count(DISTINCT l.rec_id) AS recs,
                   count(DISTINCT l.rec_id) FILTER (WHERE g.status IS NOT NULL) AS gov_assessed,
                   count(DISTINCT l.rec_id) FILTER (WHERE g.status = {_DONE}) AS gov_implemented,
                   count(DISTINCT l.rec_id) FILTER (WHERE n.status IS NOT NULL) AS ngo_assessed,
                   count(DISTINCT l.rec_id) FILTER (WHERE n.status = {_DONE}) AS ngo_implemented
            FROM links l
            LEFT JOIN cur g ON g.rec_id = l.rec_id AND g.source_kind = 'government'
            LEFT JOIN cur n ON n.rec_id = l.rec_id AND n.source_kind = 'ngo'
            GROUP BY l.item_id
        ),
        execs AS (
            SELECT ia.item_id, list(ia.agency_code ORDER BY ia.position) AS agencies
            FROM plan_item_agency ia GROUP BY ia.item_id
        )
        SELECT i.id, i.number, i.sort, s.number AS section, s.title AS section_title, i.measure, i.completion_form,
               i.lead_agency, e.agencies, i.deadline_text, i.deadline, i.expected_result,
               coalesce(p.recs, 0) AS recs, coalesce(p.gov_assessed, 0) AS gov_assessed,
               coalesce(p.gov_implemented, 0) AS gov_implemented, coalesce(p.ngo_assessed, 0) AS ngo_assessed,
               coalesce(p.ngo_implemented, 0) AS ngo_implemented,
               (i.deadline IS NOT NULL AND i.deadline < $today
                AND coalesce(p.gov_implemented, 0) < coalesce(p.recs, 0)) AS overdue
        FROM plan_item i LEFT JOIN plan_section s ON s.id = i.section_id
        LEFT JOIN per p ON p.item_id = i.id LEFT JOIN execs e ON e.item_id = i.id
        WHERE i.plan_id = $plan AND (p.recs IS NOT NULL OR $all_items)
        ORDER BY i.sort
        """,  # noqa: S608 - the fragments are constants
        _params(f, plan=int(plan_id), today=today, all_items=_only_plan_filter(f)),
    ).df()


def _only_plan_filter(f: Filters) -> bool:
    """No filter but the plan (and the sources, which hide no recommendation) is set."""
    return not (f.cycles or f.themes or f.responses or f.states or f.groups or f.agencies or f.q.strip())


def plan_progress(
    con: duckdb.DuckDBPyConnection, f: Filters, plan_id: int | None = None, today: date | None = None
) -> pd.DataFrame:
    """Per section: items, overdue items, distinct recommendations cited, and how many each of government
    and NGOs hold implemented and have assessed."""
    plan_id, today = _plan_or_newest(con, f, plan_id), today or date.today()
    items = plan_items(con, f, plan_id, today)
    sections = plan_sections(con, plan_id)
    rows = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE}),
        links AS (
            SELECT DISTINCT i.section_id, x.rec_id FROM plan_item_rec x JOIN plan_item i ON i.id = x.item_id
            WHERE i.plan_id = $plan AND x.rec_id IN (SELECT id FROM fr))
        SELECT l.section_id AS id, count(*) AS recs,
               count(g.status) AS gov_assessed, count(*) FILTER (WHERE g.status = {_DONE}) AS gov_implemented,
               count(n.status) AS ngo_assessed, count(*) FILTER (WHERE n.status = {_DONE}) AS ngo_implemented
        FROM links l
        LEFT JOIN cur g ON g.rec_id = l.rec_id AND g.source_kind = 'government'
        LEFT JOIN cur n ON n.rec_id = l.rec_id AND n.source_kind = 'ngo'
        GROUP BY l.section_id
        """,  # noqa: S608 - the fragments are constants
        _params(f, plan=int(plan_id)),
    ).df()
    counts = items.groupby("section").agg(items=("id", "count"), overdue=("overdue", "sum")).reset_index()
    out = sections.merge(rows, on="id", how="left").merge(counts, left_on="number", right_on="section", how="left")
    out = out.drop(columns=["section"]).fillna(0)
    for col in ("recs", "gov_assessed", "gov_implemented", "ngo_assessed", "ngo_implemented", "items", "overdue"):
        out[col] = out[col].astype(int)
    return out[out["items"] > 0].reset_index(drop=True) if not _only_plan_filter(f) else out


def agency_responsibilities(
    con: duckdb.DuckDBPyConnection, f: Filters, plan_id: int | None = None, today: date | None = None
) -> pd.DataFrame:
    """Per agency of the plan: items it leads, items it co-executes, overdue items it leads, and the
    recommendations of its items (government's and NGOs' count implemented), most items first."""
    plan_id, today = _plan_or_newest(con, f, plan_id), today or date.today()
    items = plan_items(con, f, plan_id, today)
    if items.empty:
        return pd.DataFrame(columns=["agency", "lead", "co", "overdue", "recs", "gov_implemented", "ngo_implemented"])
    rows = []
    for _, it in items.iterrows():
        for pos, code in enumerate(it["agencies"] if it["agencies"] is not None else []):
            rows.append(
                {"agency": code, "lead": int(pos == 0), "co": int(pos > 0), "overdue": int(pos == 0 and it["overdue"]),
                 "recs": it["recs"], "gov_implemented": it["gov_implemented"], "ngo_implemented": it["ngo_implemented"]}
            )  # fmt: skip
    out = pd.DataFrame(rows).groupby("agency", as_index=False).sum()
    return out.sort_values(["lead", "co", "agency"], ascending=[False, False, True]).reset_index(drop=True)


def status_by_agency(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per responsible agency, source and current status: the number of recommendations (agency, source_kind, status, n);
    recommendations with no assessment by a source count as not_assessed for it."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE}),
        ra AS (SELECT DISTINCT rec_id, agency_code FROM ({REC_AGENCY})),
        kinds AS (SELECT DISTINCT source_kind FROM cur)
        SELECT ra.agency_code AS agency, k.source_kind, coalesce(c.status, 'not_assessed') AS status,
               count(*) AS n
        FROM ra CROSS JOIN kinds k LEFT JOIN cur c ON c.rec_id = ra.rec_id AND c.source_kind = k.source_kind
        GROUP BY ALL ORDER BY agency, k.source_kind, status
        """,  # noqa: S608 - the fragments are constants
        _params(f),
    ).df()


def plan_indicators(con: duckdb.DuckDBPyConnection, plan_id: int) -> pd.DataFrame:
    """The indicators of a plan's items with their dated values and sources."""
    return con.execute(
        """
        SELECT n.id, i.number AS item, n.name_ru, n.name_en, n.name_kk, n.unit, v.as_of, v.period, v.value, v.source
        FROM indicator n JOIN plan_item i ON i.id = n.item_id JOIN indicator_value v ON v.indicator_id = n.id
        WHERE i.plan_id = ? ORDER BY i.sort, n.id, v.as_of
        """,
        [int(plan_id)],
    ).df()


def work_list(
    con: duckdb.DuckDBPyConnection, f: Filters, cycle: int | None = None, before: date | None = None, lang: str = "en"
) -> pd.DataFrame:
    """What to report next: the supported recommendations of `cycle` (among those the filters select)
    whose government assessment is missing or older than `before`, each with its responsible agency,
    plan item, text in `lang` (else the original), themes, and the government's and NGOs' current status and date, by agency and item."""
    cycle, before = _cycle_or_latest(con, f, cycle), before or date.today()
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE}),
        ra AS ({REC_AGENCY}), tx AS ({TEXT_OF.format(ids="fr")}),
        ag AS (SELECT rec_id, string_agg(DISTINCT agency_code, ', ' ORDER BY agency_code) AS agency FROM ra GROUP BY 1),
        it AS (
            SELECT x.rec_id, string_agg(DISTINCT i.number, ', ' ORDER BY i.number) AS plan_item,
                   min(s.number) AS plan_section
            FROM plan_item_rec x JOIN plan_item i ON i.id = x.item_id LEFT JOIN plan_section s ON s.id = i.section_id
            WHERE len($plans) = 0 OR list_contains($plans, i.plan_id)
            GROUP BY 1),
        th AS (
            SELECT rec_id, string_agg(lbl, '; ' ORDER BY sort, lbl) AS themes, min(sort) AS theme_sort,
                   min(theme_code) AS theme
            FROM (
                SELECT DISTINCT x.rec_id, x.theme_code, coalesce(t.sort, 1000000) AS sort, coalesce(
                    CASE $lang WHEN 'ru' THEN t.label_ru WHEN 'kk' THEN t.label_kk ELSE t.label_en END,
                    x.source_label) AS lbl
                FROM rec_theme x LEFT JOIN theme t ON t.code = x.theme_code
                WHERE x.rec_id IN (SELECT id FROM fr))
            GROUP BY 1)
        SELECT fr.id, fr.ref, v.report_symbol, fr.cycle, tx.text, fr.response, th.themes, th.theme_sort, th.theme, ag.agency, it.plan_item,
               it.plan_section, g.status AS gov_status, g.as_of AS gov_as_of, n.status AS ngo_status,
               n.as_of AS ngo_as_of, a.comment
        FROM fr JOIN review v ON v.id = fr.review_id
        LEFT JOIN tx ON tx.rec_id = fr.id LEFT JOIN ag ON ag.rec_id = fr.id LEFT JOIN it ON it.rec_id = fr.id LEFT JOIN th ON th.rec_id = fr.id
        LEFT JOIN cur g ON g.rec_id = fr.id AND g.source_kind = 'government'
        LEFT JOIN cur n ON n.rec_id = fr.id AND n.source_kind = 'ngo'
        LEFT JOIN (SELECT rec_id, comment, row_number() OVER (PARTITION BY rec_id ORDER BY as_of DESC, id DESC) AS k
                   FROM assessment WHERE source_kind = 'government') a ON a.rec_id = fr.id AND a.k = 1
        WHERE fr.cycle = $cycle AND fr.response = 'supported' AND (g.as_of IS NULL OR g.as_of < $before)
        ORDER BY ag.agency NULLS LAST, it.plan_item NULLS LAST,
                 try_cast(split_part(fr.ref, '.', 1) AS INTEGER), try_cast(split_part(fr.ref, '.', 2) AS INTEGER),
                 fr.ref, fr.id
        """,  # noqa: S608 - the fragments are constants
        _params(f, cycle=int(cycle), before=before, lang=lang),
    ).df()


def supported_count(con: duckdb.DuckDBPyConnection, f: Filters, cycle: int | None = None) -> int:
    """The supported recommendations of `cycle` among those the filters select."""
    cycle = _cycle_or_latest(con, f, cycle)
    return run(
        con,
        f"SELECT count(*) FROM ({FILTERED_RECS}) fr WHERE fr.cycle = $cycle AND fr.response = 'supported'",  # noqa: S608
        f.params() | {"cycle": int(cycle)},
    ).fetchall()[0][0]


def coalition_groups(con: duckdb.DuckDBPyConnection, lang: str) -> pd.DataFrame:
    """The working groups of NGO coalitions: name in `lang`, coalition (its name in `lang`), lead organisation,
    themes in `lang`."""
    return con.execute(
        """
        SELECT g.code, CASE ? WHEN 'ru' THEN g.name_ru WHEN 'kk' THEN g.name_kk ELSE g.name_en END AS name,
               coalesce(CASE ? WHEN 'ru' THEN p.name_ru WHEN 'kk' THEN p.name_kk ELSE p.name_en END, p.name_ru)
                   AS coalition, g.lead_organisation,
               string_agg(CASE ? WHEN 'ru' THEN t.label_ru WHEN 'kk' THEN t.label_kk ELSE t.label_en END, '; '
                          ORDER BY t.sort) AS themes
        FROM org_group g JOIN org_group p ON p.code = g.parent_code
        LEFT JOIN org_group_theme x ON x.group_code = g.code LEFT JOIN theme t ON t.code = x.theme_code
        GROUP BY ALL ORDER BY g.code
        """,
        [lang, lang, lang],
    ).df()

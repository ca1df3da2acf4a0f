"""Queries shared by the command line, the Overview and the sidebar."""

from __future__ import annotations

import duckdb
import pandas as pd

from upr.filters import FILTERED_RECS, Filters, run
from upr.vocab import RESPONSE_CODES, STATUS_CODES


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True while the built-in demo is in force: its texts, States and assessments are still shown,
    whatever was imported beside it since."""
    return bool(run(con, "SELECT count(*) FROM import WHERE reverted_at IS NULL AND format = 'demo'").fetchall()[0][0])


def review_summary(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One dict per State under review and cycle: recommendations, pairs, responses by code, and
    how many recommendations have a canonical theme (`themed`) and an SDG (`with_sdg`).

    Only live recommendations count: one folded into another (`merged_into`) is not.
    """
    rows = run(
        con,
        """
        SELECT s.name_en, v.sur_iso3, v.cycle, v.session,
               count(DISTINCT r.id) AS recs,
               (SELECT count(*) FROM rec_state rs JOIN recommendation r2 ON r2.id = rs.rec_id
                WHERE r2.review_id = v.id AND r2.merged_into IS NULL) AS pairs,
               count(DISTINCT r.id) FILTER (WHERE r.id IN (
                   SELECT rec_id FROM rec_theme WHERE theme_code IS NOT NULL)) AS themed,
               count(DISTINCT r.id) FILTER (WHERE r.id IN (SELECT rec_id FROM rec_sdg)) AS with_sdg
        FROM review v JOIN state s ON s.iso3 = v.sur_iso3
        JOIN recommendation r ON r.review_id = v.id AND r.merged_into IS NULL
        GROUP BY ALL ORDER BY s.name_en, v.cycle
        """,
    ).fetchall()
    responses = run(
        con,
        """
        SELECT v.sur_iso3, v.cycle, coalesce(r.response, 'unknown'), count(*)
        FROM recommendation r JOIN review v ON v.id = r.review_id WHERE r.merged_into IS NULL GROUP BY ALL
        """,
    ).fetchall()
    by_review: dict[tuple[str, int], dict[str, int]] = {}
    order = {c: i for i, c in enumerate((*RESPONSE_CODES, "unknown"))}
    for iso3, cycle, code, n in sorted(responses, key=lambda r: order.get(r[2], 99)):
        by_review.setdefault((iso3, cycle), {})[code] = n
    return [
        {
            "state": name,
            "iso3": iso3,
            "cycle": cycle,
            "session": session,
            "recommendations": recs,
            "pairs": pairs,
            "themed": themed,
            "with_sdg": with_sdg,
            "responses": by_review.get((iso3, cycle), {}),
        }
        for name, iso3, cycle, session, recs, pairs, themed, with_sdg in rows
    ]


CURRENT_ASSESSMENTS = """
    SELECT * FROM (
        SELECT a.*, row_number() OVER (PARTITION BY rec_id, organisation ORDER BY as_of DESC, id DESC) AS n
        FROM assessment a
    ) WHERE n = 1
"""


def assessment_summary(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One dict per assessment source kind and organisation: current assessments by status."""
    rows = run(
        con,
        f"SELECT source_kind, organisation, status, count(*) FROM ({CURRENT_ASSESSMENTS}) GROUP BY ALL",  # noqa: S608
    ).fetchall()
    out: dict[tuple[str, str], dict[str, int]] = {}
    order = {c: i for i, c in enumerate(STATUS_CODES)}
    for kind, org, status, n in sorted(rows, key=lambda r: (r[0], r[1], order.get(r[2], 99))):
        out.setdefault((kind, org), {})[status] = n
    return [{"source": k, "organisation": o, "statuses": s} for (k, o), s in out.items()]


def conflicts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every recorded disagreement between sources, with the recommendation it concerns."""
    return run(
        con,
        """
        SELECT c.id, c.rec_id, r.ref, c.field, c.kept_value, c.kept_source, c.other_value, c.other_source,
               c.import_id, t.text
        FROM conflict c JOIN recommendation r ON r.id = c.rec_id
        LEFT JOIN rec_text t ON t.rec_id = c.rec_id AND t.is_original
        ORDER BY c.id
        """,
    ).df()


# --- dashboards ------------------------------------------------------------------------------


def states_under_review(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every State with at least one review: iso3 and names, Kazakhstan first."""
    return run(
        con,
        """
        SELECT DISTINCT s.iso3, s.name_en, s.name_ru, s.name_kk FROM review v JOIN state s ON s.iso3 = v.sur_iso3
        ORDER BY s.iso3 <> 'KAZ', s.name_en
        """,
    ).df()


def reviews(con: duckdb.DuckDBPyConnection, sur: str) -> pd.DataFrame:
    """The reviews of one State: cycle, session, date, year, report symbol."""
    return run(
        con,
        """
        SELECT cycle, session, review_date, year(review_date) AS year, report_symbol
        FROM review WHERE sur_iso3 = ? ORDER BY cycle
        """,
        [sur],
    ).df()


def cycle_overview(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cycle: recommendations, counts by response, supported share, recommendation–State pairs."""
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT fr.cycle, any_value(year(v.review_date)) AS year, any_value(v.report_symbol) AS report_symbol,
               count(*) AS recommendations,
               count(*) FILTER (WHERE fr.response = 'supported') AS supported,
               count(*) FILTER (WHERE fr.response = 'supported_in_part') AS supported_in_part,
               count(*) FILTER (WHERE fr.response = 'noted') AS noted,
               count(*) FILTER (WHERE fr.response = 'pending' OR fr.response IS NULL) AS pending,
               round(100.0 * count(*) FILTER (WHERE fr.response = 'supported') / count(*), 1) AS supported_pct,
               (SELECT count(*) FROM rec_state s JOIN fr f2 ON f2.id = s.rec_id WHERE f2.cycle = fr.cycle) AS pairs
        FROM fr JOIN review v ON v.id = fr.review_id
        GROUP BY fr.cycle ORDER BY fr.cycle
        """,  # noqa: S608 - the fragment is a constant
        f.params(),
    ).df()


# Each source's current assessment of each recommendation in `fr` (the query's FILTERED_RECS).
# Restricted to `fr` before the window: ranking every assessment in the database first cost
# about 40 ms a query at 100,000 recommendations.
CURRENT_BY_SOURCE = """
    SELECT * FROM (
        SELECT a.rec_id, a.source_kind, a.organisation, a.status, a.as_of,
               row_number() OVER (PARTITION BY a.rec_id, a.source_kind ORDER BY a.as_of DESC, a.id DESC) AS n
        FROM assessment a
        WHERE a.rec_id IN (SELECT id FROM fr) AND (len($sources) = 0 OR list_contains($sources, a.source_kind))
    ) WHERE n = 1
"""


# The text of each recommendation of the CTE `{ids}` in the reader's language ($lang) when
# translated, else (for a Kazakh reader) the Russian, else the original: one scan of rec_text,
# restricted to those ids. (Two correlated subqueries per row built a hash table of every text in
# the database, twice: ~30 ms at 100k.)
TEXT_OF = """
    SELECT rec_id, coalesce(any_value(text) FILTER (WHERE lang = $lang),
                            any_value(text) FILTER (WHERE $lang = 'kk' AND lang = 'ru'),
                            any_value(text) FILTER (WHERE is_original)) AS text
    FROM rec_text WHERE rec_id IN (SELECT id FROM {ids}) GROUP BY rec_id
"""


def implemented_share(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cycle and assessment source: recommendations assessed, implemented, and the share implemented.

    Each source's latest assessment of each recommendation counts (history is kept, the latest is current).
    """
    params = f.params() | {"sources": list(f.sources)}
    return run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE})
        SELECT fr.cycle, cur.source_kind, count(*) AS assessed,
               count(*) FILTER (WHERE cur.status = 'implemented') AS implemented,
               round(100.0 * count(*) FILTER (WHERE cur.status = 'implemented') / count(*), 1) AS implemented_pct,
               max(cur.as_of) AS latest
        FROM fr JOIN cur ON cur.rec_id = fr.id
        GROUP BY ALL ORDER BY fr.cycle, cur.source_kind
        """,  # noqa: S608
        params,
    ).df()


def imports_in_force(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The imports whose data is in the database (for source notes)."""
    return run(con, "SELECT id, file_name, format, imported_at FROM import WHERE reverted_at IS NULL ORDER BY id").df()


def theme_options(con: duckdb.DuckDBPyConnection, sur: str) -> pd.DataFrame:
    """Canonical themes used by the State's recommendations, with labels, in the list's order."""
    return run(
        con,
        """
        SELECT th.code, th.label_en, th.label_ru, th.label_kk FROM theme th
        WHERE EXISTS (SELECT 1 FROM rec_theme x JOIN recommendation r ON r.id = x.rec_id
                      JOIN review v ON v.id = r.review_id WHERE x.theme_code = th.code AND v.sur_iso3 = ?)
        ORDER BY th.sort
        """,
        [sur],
    ).df()


def recommending_state_options(con: duckdb.DuckDBPyConnection, sur: str) -> pd.DataFrame:
    """States that made recommendations to `sur`, with names."""
    return run(
        con,
        """
        SELECT DISTINCT s.iso3, s.name_en, s.name_ru, s.name_kk FROM rec_state x
        JOIN recommendation r ON r.id = x.rec_id JOIN review v ON v.id = r.review_id
        JOIN state s ON s.iso3 = x.iso3 WHERE v.sur_iso3 = ? ORDER BY s.name_en
        """,
        [sur],
    ).df()


def group_options(con: duckdb.DuckDBPyConnection, sur: str) -> pd.DataFrame:
    """Affected groups named in the State's recommendations, with labels."""
    return run(
        con,
        """
        SELECT g.code, g.label_en, g.label_ru, g.label_kk FROM affected_group g
        WHERE EXISTS (SELECT 1 FROM rec_group x JOIN recommendation r ON r.id = x.rec_id
                      JOIN review v ON v.id = r.review_id WHERE x.group_code = g.code AND v.sur_iso3 = ?)
        ORDER BY g.label_en
        """,
        [sur],
    ).df()

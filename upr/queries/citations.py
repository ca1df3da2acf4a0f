"""What a chart's source note cites: the UN documents of the cycles shown and the assessments drawn.

Read from what the imports stored, never guessed: each review's report symbol, the documents the
recommendations were read from (a Working Group report, an addendum), the citation of each
response in force (`A/HRC/43/10/Add.1, para. 9`) and the addendum answers applied; and, for the
charts of implementation, the organisations whose current assessments count, with their dates.
`upr.citations` words them.
"""

from __future__ import annotations

import re

import duckdb

from upr.filters import FILTERED_RECS, Filters, run
from upr.queries.core import CURRENT_BY_SOURCE

__all__ = ["citation_sources", "un_symbols"]

# A UN document symbol: A/HRC/43/10, A/HRC/43/10/Add.1, A/HRC/WG.6/34/KAZ/1 …
_SYMBOL = re.compile(r"\b[A-Z]{1,5}(?:/[A-Za-z0-9.]+)*/\d+(?:/(?:Add|Corr|Rev)\.\d+)*\b")


def un_symbols(text: object) -> list[str]:
    """The UN document symbols a citation names, in order: 'A/HRC/55/12/Add.1, para. 2' → ['A/HRC/55/12/Add.1']."""
    if not isinstance(text, str):
        return []
    return [m.group(0) for m in _SYMBOL.finditer(text)]


def citation_sources(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, list[dict]]:
    """The documents and assessments behind the recommendations the filters select.

    `reviews`: one dict per cycle that has a selected recommendation (cycle, session, review_date,
    report: the review's report symbol or None, documents: every other symbol stored for it, sorted).
    `assessors`: one dict per organisation whose current assessment of a selected recommendation
    counts (source_kind, organisation, first and latest date, recommendations assessed, and `names`:
    its name in each language when it is a coalition or working group of the plans, else empty).
    """
    params = f.params() | {"sources": list(f.sources)}
    reviews = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS})
        SELECT v.cycle, v.session, v.review_date, v.report_symbol
        FROM review v WHERE v.sur_iso3 = $sur AND v.id IN (SELECT review_id FROM fr) ORDER BY v.cycle
        """,  # noqa: S608
        params,
    ).fetchall()
    cited = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}),
        live AS (SELECT id FROM import WHERE reverted_at IS NULL)
        SELECT fr.cycle, r.response_cite FROM fr JOIN recommendation r ON r.id = fr.id
        WHERE r.response_cite IS NOT NULL
        UNION
        SELECT fr.cycle, s.response_cite FROM fr JOIN rec_source s ON s.rec_id = fr.id
        WHERE s.response_cite IS NOT NULL AND s.import_id IN (SELECT id FROM live)
        UNION
        SELECT fr.cycle, d.symbol FROM fr JOIN rec_source s ON s.rec_id = fr.id JOIN document d ON d.id = s.document_id
        WHERE d.symbol IS NOT NULL AND d.kind IN ('wg_report', 'addendum') AND d.import_id IN (SELECT id FROM live)
        UNION
        SELECT fr.cycle, d.symbol FROM fr JOIN addendum_answer a ON a.rec_id = fr.id JOIN document d ON d.id = a.document_id
        WHERE d.symbol IS NOT NULL AND a.import_id IN (SELECT id FROM live)
        """,  # noqa: S608
        params,
    ).fetchall()
    documents: dict[int, set[str]] = {}
    for cycle, text in cited:
        documents.setdefault(int(cycle), set()).update(un_symbols(text))
    assessors = run(
        con,
        f"""
        WITH fr AS ({FILTERED_RECS}), cur AS ({CURRENT_BY_SOURCE}),
        counted AS (
            SELECT source_kind, organisation, min(as_of) AS first, max(as_of) AS latest, count(*) AS n
            FROM cur GROUP BY ALL),
        -- An organisation that is a coalition or working group of the plans has its name in each language.
        named AS (
            SELECT c.organisation, min(og.name_ru) AS name_ru, min(og.name_en) AS name_en, min(og.name_kk) AS name_kk
            FROM (SELECT DISTINCT organisation FROM counted) c
            JOIN org_group og ON c.organisation IN (og.name_ru, og.name_en, og.name_kk)
            GROUP BY c.organisation)
        SELECT counted.*, named.name_ru, named.name_en, named.name_kk
        FROM counted LEFT JOIN named USING (organisation) ORDER BY source_kind, organisation
        """,  # noqa: S608
        params,
    ).fetchall()
    return {
        "reviews": [
            {
                "cycle": int(cycle),
                "session": None if session is None else int(session),
                "review_date": review_date,
                "report": report,
                "documents": sorted(documents.get(int(cycle), set()) - {report}),
            }
            for cycle, session, review_date, report in reviews
        ],
        "assessors": [
            {
                "source_kind": kind,
                "organisation": org,
                "first": first,
                "latest": latest,
                "n": int(n),
                "names": {"ru": ru, "en": en, "kk": kk} if ru else {},
            }
            for kind, org, first, latest, n, ru, en, kk in assessors
        ],
    }

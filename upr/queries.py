"""Every SQL query the app and the command line run. Each takes the connection as an argument."""

from __future__ import annotations

import duckdb
import pandas as pd

from upr.vocab import RESPONSE_CODES, STATUS_CODES


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True while the only live imports are the built-in demo."""
    formats = {r[0] for r in con.execute("SELECT DISTINCT format FROM import WHERE reverted_at IS NULL").fetchall()}
    return formats == {"demo"}


def review_summary(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One dict per State under review and cycle: recommendations, pairs, responses by code."""
    rows = con.execute(
        """
        SELECT s.name_en, v.sur_iso3, v.cycle, v.session,
               count(DISTINCT r.id) AS recs,
               (SELECT count(*) FROM rec_state rs JOIN recommendation r2 ON r2.id = rs.rec_id
                WHERE r2.review_id = v.id) AS pairs
        FROM review v JOIN state s ON s.iso3 = v.sur_iso3
        JOIN recommendation r ON r.review_id = v.id
        GROUP BY ALL ORDER BY s.name_en, v.cycle
        """
    ).fetchall()
    responses = con.execute(
        """
        SELECT v.sur_iso3, v.cycle, coalesce(r.response, 'unknown'), count(*)
        FROM recommendation r JOIN review v ON v.id = r.review_id GROUP BY ALL
        """
    ).fetchall()
    by_review: dict[tuple[str, int], dict[str, int]] = {}
    order = {c: i for i, c in enumerate((*RESPONSE_CODES, "unknown"))}
    for iso3, cycle, code, n in sorted(responses, key=lambda r: order.get(r[2], 99)):
        by_review.setdefault((iso3, cycle), {})[code] = n
    return [
        {"state": name, "iso3": iso3, "cycle": cycle, "session": session, "recommendations": recs,
         "pairs": pairs, "responses": by_review.get((iso3, cycle), {})}
        for name, iso3, cycle, session, recs, pairs in rows
    ]


CURRENT_ASSESSMENTS = """
    SELECT * FROM (
        SELECT a.*, row_number() OVER (PARTITION BY rec_id, organisation ORDER BY as_of DESC, id DESC) AS n
        FROM assessment a
    ) WHERE n = 1
"""


def assessment_summary(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One dict per assessment source kind and organisation: current assessments by status."""
    rows = con.execute(
        f"SELECT source_kind, organisation, status, count(*) FROM ({CURRENT_ASSESSMENTS}) GROUP BY ALL"  # noqa: S608
    ).fetchall()
    out: dict[tuple[str, str], dict[str, int]] = {}
    order = {c: i for i, c in enumerate(STATUS_CODES)}
    for kind, org, status, n in sorted(rows, key=lambda r: (r[0], r[1], order.get(r[2], 99))):
        out.setdefault((kind, org), {})[status] = n
    return [{"source": k, "organisation": o, "statuses": s} for (k, o), s in out.items()]


def conflicts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every recorded disagreement between sources, with the recommendation it concerns."""
    return con.execute(
        """
        SELECT c.id, c.rec_id, r.ref, c.field, c.kept_value, c.kept_source, c.other_value, c.other_source,
               c.import_id, t.text
        FROM conflict c JOIN recommendation r ON r.id = c.rec_id
        LEFT JOIN rec_text t ON t.rec_id = c.rec_id AND t.is_original
        ORDER BY c.id
        """
    ).df()

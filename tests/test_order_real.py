"""One truth whatever the order, on the real published files: a UN report and UPR Info's export of the
same review, imported either way round, give the same database (skipped when the files are absent)."""

from __future__ import annotations

import duckdb
import pytest

from etl.fingerprint import describe_difference, differing_reviews, review_fingerprints
from etl.importer import import_file
from tests.conftest import real_file
from upr import db
from upr.queries import review_summary


def _build(files) -> duckdb.DuckDBPyConnection:
    con = db.connect(":memory:")
    for f in files:
        assert import_file(con, f).errors == []
    return con


def _both_orders(report, export):
    return _build([report, export]), _build([export, report])


def _same(a, b, review: tuple[str, int]) -> None:
    fa, fb = review_fingerprints(a), review_fingerprints(b)
    assert review in fa
    assert differing_reviews(fa, fb) == [], describe_difference(fa.get(review), fb.get(review))


def _figures(con, iso3: str) -> dict:
    (row,) = [r for r in review_summary(con) if r["iso3"] == iso3]
    themed, parts, alone = con.execute(
        """SELECT count(*) FILTER (WHERE r.merged_into IS NULL AND EXISTS (
                      SELECT 1 FROM rec_theme t WHERE t.rec_id = r.id AND t.source = 'upr_info')),
                  count(*) FILTER (WHERE r.merged_into IS NOT NULL),
                  count(*) FILTER (WHERE r.merged_into IS NULL AND r.ref IS NULL)
           FROM recommendation r JOIN review v ON v.id = r.review_id WHERE v.sur_iso3 = ?""",
        [iso3],
    ).fetchone()
    conflicts = con.execute(
        "SELECT r.ref, c.kept_value, c.kept_source, c.other_value, c.other_source FROM conflict c "
        "JOIN recommendation r ON r.id = c.rec_id WHERE starts_with(c.rec_id, ?) ORDER BY ALL",
        [iso3],
    ).fetchall()
    return {
        "recommendations": row["recommendations"],
        "pairs": row["pairs"],
        "responses": row["responses"],
        "with_upr_info_themes": themed,
        "parts": parts,
        "unnumbered": alone,
        "conflicts": conflicts,
    }


@pytest.fixture(scope="module", params=["csv", "xls"])
def kazakhstan(request):
    a, b = _both_orders(
        real_file("un-wg-reports", "kazakhstan2014.pdf"),
        real_file("upr-info-export", f"upr-info_sessions17-20.{request.param}"),
    )
    yield a, b
    a.close(), b.close()


def test_kazakhstan_2014_in_either_order(kazakhstan):
    report_first, export_first = kazakhstan
    _same(report_first, export_first, ("KAZ", 2))
    for con in kazakhstan:
        assert _figures(con, "KAZ") == {
            "recommendations": 194,
            "pairs": 198,
            "responses": {"supported": 143, "noted": 51},
            "with_upr_info_themes": 194,
            "parts": 0,
            "unnumbered": 0,
            "conflicts": [("126.27", "noted", "wg_report", "supported", "upr_info")],
        }
        # Every recommendation has the id the report alone gives it.
        ids = con.execute("SELECT id, ref FROM recommendation WHERE starts_with(id, 'KAZ-2-')").fetchall()
        assert all(rec_id == f"KAZ-2-{ref}" for rec_id, ref in ids)


def test_slovenia_2014_in_either_order():
    report_first, export_first = _both_orders(
        real_file("un-wg-reports", "slovenia2014.pdf"), real_file("upr-info-export", "upr-info_sessions17-20.csv")
    )
    _same(report_first, export_first, ("SVN", 2))
    figures = _figures(report_first, "SVN")
    # The report's 163 items, all "will be examined": UPR Info's answers are the addendum's 142 and 21.
    assert (figures["recommendations"], figures["pairs"], figures["responses"]) == (
        163,
        180,
        {"supported": 142, "noted": 21},
    )
    assert (figures["with_upr_info_themes"], figures["unnumbered"], figures["conflicts"]) == (163, 0, [])


@pytest.mark.parametrize(
    "report, export, review",
    [
        ("bahamas2013.pdf", "upr-info_sessions14-17.csv", ("BHS", 2)),  # slash alternatives "(Slovenia) / …"
        ("canada2013.pdf", "upr-info_sessions14-17.csv", ("CAN", 2)),  # "Sign (Australia)/Ratify (…)/…"
        ("algeria2012.pdf", "upr-info_sessions10-13.csv", ("DZA", 2)),  # many bundled items
        ("ireland2011.pdf", "upr-info_sessions10-13.csv", ("IRL", 1)),  # cycle 1
    ],
)
def test_corpus_reports_in_either_order(report, export, review):
    report_first, export_first = _both_orders(
        real_file("corpus", "un-wg-reports", report), real_file("corpus", "upr-info-export", export)
    )
    _same(report_first, export_first, review)
    figures = _figures(report_first, review[0])
    items = figures["recommendations"] - figures["unnumbered"]
    # Every report item has UPR Info's issues, and nearly every UPR Info recommendation joined an item
    # (whole, or as a part of one): those left alone are worded apart from any item.
    assert figures["with_upr_info_themes"] >= items
    assert figures["unnumbered"] <= 0.1 * items, figures


def test_netherlands_2012_pieces_that_upr_info_answered_apart():
    """UPR Info split items of this review into pieces answered apart and worded its own way: each joins
    its item in either order (none is left apart), the items so split are supported in part, and an
    item of another State with nearly the text of a piece takes none of its answers (98.8 stays noted)."""
    report_first, export_first = _both_orders(
        real_file("corpus", "un-wg-reports", "netherlands2012.pdf"),
        real_file("corpus", "upr-info-export", "upr-info_sessions10-13.csv"),
    )
    _same(report_first, export_first, ("NLD", 2))
    for con in (report_first, export_first):
        assert _figures(con, "NLD")["unnumbered"] == 0
        responses = dict(
            con.execute(
                "SELECT ref, response FROM recommendation WHERE starts_with(id, 'NLD-2-') AND ref IN "
                "('98.4', '98.6', '98.8', '98.9', '98.11')"
            ).fetchall()
        )
        assert responses == {
            "98.4": "noted",
            "98.6": "supported_in_part",
            "98.8": "noted",
            "98.9": "supported_in_part",
            "98.11": "supported",
        }

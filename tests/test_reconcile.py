"""Reconciliation across sources: the UN report and the UPR Info export of one review give one set."""

from __future__ import annotations

import json

import pytest

from etl.__main__ import main as cli
from etl.importer import import_file
from tests.conftest import FIXTURES, real_file
from upr import db
from upr.queries import conflicts, review_summary

REPORT_TXT = """Report of the Working Group on the Universal Periodic Review
Kazakhstan
Introduction
1. The Working Group on the Universal Periodic Review held its twentieth session from 27 October to
7 November 2014. The review of Kazakhstan was held at the 9th meeting on 30 October 2014.
II. Conclusions and/or recommendations
124. The following recommendations will be examined by Kazakhstan, which will provide responses in due time:
124.1 Abolish the death penalty for all crimes (France);
124.2 Abolish the death penalty for all crimes (Norway);
124.3 Continue its efforts to combat trafficking in persons (Belarus).
125. All conclusions and/or recommendations contained in the present report reflect the position of the
submitting State(s) and/or the State under review.
"""


def kaz(con) -> dict:
    return next(r for r in review_summary(con) if r["iso3"] == "KAZ" and r["cycle"] == 2)


@pytest.mark.parametrize("order", [("upr", "report"), ("report", "upr")])
def test_report_and_upr_info_reconcile_in_either_order(con, tmp_path, order):
    report_file = tmp_path / "report.txt"
    report_file.write_text(REPORT_TXT, encoding="utf-8")
    files = {"upr": FIXTURES / "upr_info" / "upr_info_macroman_cr.csv", "report": report_file}
    for key in order:
        assert not import_file(con, files[key]).errors
    figures = kaz(con)
    # UPR Info merged the two death-penalty rows; the report numbers them apart: the report wins.
    # Its third recommendation (peaceful assembly, from "Atlantis") is only in UPR Info.
    assert (figures["recommendations"], figures["pairs"]) == (4, 4)
    rows = con.execute(
        "SELECT r.ref, r.response, r.response_source, r.action_category, "
        "(SELECT list(th.source_label ORDER BY th.source_label) FROM rec_theme th WHERE th.rec_id = r.id), "
        "(SELECT list(s.source_label ORDER BY s.source_label) FROM rec_state s WHERE s.rec_id = r.id) "
        "FROM recommendation r JOIN review v ON v.id = r.review_id WHERE v.sur_iso3 = 'KAZ' ORDER BY r.ref"
    ).fetchall()
    assert rows == [
        # The report says "will be examined" (pending): UPR Info's later answer is used, its source recorded.
        ("124.1", "noted", "upr_info", 5, ["Death penalty"], ["France"]),
        ("124.2", "noted", "upr_info", 5, ["Death penalty"], ["Norway"]),
        ("124.3", "supported", "upr_info", 4, ["Trafficking", "Women's rights"], ["Belarus"]),
        (
            None,
            "supported",
            "upr_info",
            4,
            ["Freedom of association and peaceful assembly", "Underwater rights"],
            ["Atlantis"],
        ),
    ]
    assert conflicts(con).empty


def test_report_position_wins_and_the_disagreement_is_listed(con, tmp_path, capsys):
    text = REPORT_TXT.replace(
        "will be examined by Kazakhstan, which will provide responses in due time", "enjoy the support of Kazakhstan"
    )
    report_file = tmp_path / "report.txt"
    report_file.write_text(text, encoding="utf-8")
    import_file(con, FIXTURES / "upr_info" / "upr_info_macroman_cr.csv")
    report = import_file(con, report_file)
    assert report.conflicts == 2
    frame = conflicts(con)
    assert frame[["ref", "field", "kept_value", "kept_source", "other_value", "other_source"]].values.tolist() == [
        ["124.1", "response", "supported", "wg_report", "noted", "upr_info"],
        ["124.2", "response", "supported", "wg_report", "noted", "upr_info"],
    ]


@pytest.fixture(scope="module")
def real_kaz(tmp_path_factory):
    """The real UPR Info .xls, then the real report of Kazakhstan's 2014 review."""
    con = db.connect(tmp_path_factory.mktemp("kaz") / "db.duckdb")
    import_file(con, real_file("upr-info-export", "upr-info_sessions17-20.xls"))
    pdf = import_file(con, real_file("un-wg-reports", "kazakhstan2014.pdf"))
    yield con, pdf
    con.close()


def test_real_report_alone(con):
    report = import_file(con, real_file("un-wg-reports", "kazakhstan2014.pdf"))
    assert (report.rows_read, report.added, report.errors) == (194, 194, [])
    assert kaz(con)["recommendations"] == 194 and kaz(con)["pairs"] == 198
    assert kaz(con)["responses"] == {"supported": 143, "noted": 51}
    symbol = con.execute("SELECT session, review_date, report_symbol FROM review").fetchall()
    assert str(symbol[0][1]) == "2014-10-30" and symbol[0][0] == 20 and symbol[0][2] == "A/HRC/28/10"


def test_real_xls_then_report(real_kaz):
    con, pdf = real_kaz
    assert (pdf.added + pdf.updated, pdf.conflicts) == (194, 1)
    figures = kaz(con)
    assert (figures["recommendations"], figures["pairs"]) == (194, 198)
    assert figures["responses"] == {"supported": 143, "noted": 51}
    with_themes = con.execute(
        "SELECT count(DISTINCT r.id) FROM recommendation r JOIN review v ON v.id = r.review_id "
        "WHERE v.sur_iso3 = 'KAZ' AND EXISTS (SELECT 1 FROM rec_theme t WHERE t.rec_id = r.id "
        "AND t.source = 'upr_info')"
    ).fetchall()[0][0]
    assert with_themes >= 190
    frame = conflicts(con)
    assert frame[["ref", "kept_value", "kept_source", "other_value", "other_source"]].values.tolist() == [
        ["126.27", "noted", "wg_report", "supported", "upr_info"]
    ]


def test_conflicts_command_lists_the_disagreement(real_kaz, capsys, tmp_path):
    con, _ = real_kaz
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()[0][0]
    con.execute("CHECKPOINT")
    copy = tmp_path / "copy.duckdb"
    import shutil

    shutil.copyfile(path, copy)
    assert cli(["conflicts", "--db", str(copy), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["ref"], c["kept_value"], c["other_value"]) for c in listed] == [("126.27", "noted", "supported")]


@pytest.mark.parametrize(
    "name, recs, pairs, responses",
    [
        # Counted by hand in the documents: paragraphs 133-136 and 115 (see the importer's notes).
        ("uzbekistan2013.pdf", 203, 206, {"supported": 131, "noted": 58, "pending": 14}),
        ("slovenia2014.pdf", 163, 180, {"pending": 163}),
    ],
)
def test_other_real_reports(con, name, recs, pairs, responses):
    report = import_file(con, real_file("un-wg-reports", name))
    assert report.errors == [] and report.warnings == []
    (row,) = review_summary(con)
    assert (row["recommendations"], row["pairs"], row["responses"]) == (recs, pairs, responses)


JOINED_REPORT = REPORT_TXT.replace(
    "124.3 Continue its efforts to combat trafficking in persons (Belarus).",
    "124.3 Continue its efforts to combat trafficking in persons (Belarus); ensure freedom of peaceful "
    "assembly (Atlantis).",
)


@pytest.mark.parametrize("order", [("upr", "report"), ("report", "upr")])
def test_a_report_item_joining_several_recommendations_absorbs_them(con, tmp_path, order):
    """124.3 joins two recommendations UPR Info lists apart: the item is one recommendation, in either order."""
    report_file = tmp_path / "report.txt"
    report_file.write_text(JOINED_REPORT, encoding="utf-8")
    files = {"upr": FIXTURES / "upr_info" / "upr_info_macroman_cr.csv", "report": report_file}
    for key in order:
        assert not import_file(con, files[key]).errors
    figures = kaz(con)
    assert (figures["recommendations"], figures["pairs"]) == (3, 4)
    themes = con.execute(
        "SELECT list(DISTINCT source_label ORDER BY source_label) FROM rec_theme WHERE rec_id = 'KAZ-2-124.3' "
        "OR rec_id IN (SELECT id FROM recommendation WHERE ref = '124.3')"
    ).fetchall()[0][0]
    assert themes == [
        "Freedom of association and peaceful assembly",
        "Trafficking",
        "Underwater rights",
        "Women's rights",
    ]


def test_reverting_the_report_restores_the_parts(con, tmp_path):
    from etl.revert import revert_import
    from tests.test_templates import snapshot

    import_file(con, FIXTURES / "upr_info" / "upr_info_macroman_cr.csv")
    before = snapshot(con)
    report_file = tmp_path / "report.txt"
    report_file.write_text(JOINED_REPORT, encoding="utf-8")
    imported = import_file(con, report_file)
    assert con.execute("SELECT count(*) FROM recommendation WHERE merged_into IS NOT NULL").fetchall() == [(2,)]
    revert_import(con, imported.import_id, "admin")
    after = snapshot(con)
    before.pop("import"), after.pop("import")
    assert after == before


def test_real_slovenia_report_and_upr_info_in_either_order(tmp_path):
    results = []
    for name, files in (
        ("a", ("upr-info_sessions17-20.xls", "slovenia2014.pdf")),
        ("b", ("slovenia2014.pdf", "upr-info_sessions17-20.xls")),
    ):
        con = db.connect(tmp_path / f"{name}.duckdb")
        for f in files:
            folder = "un-wg-reports" if f.endswith(".pdf") else "upr-info-export"
            assert not import_file(con, real_file(folder, f)).errors
        (row,) = [r for r in review_summary(con) if r["iso3"] == "SVN"]
        results.append((row["recommendations"], row["pairs"], row["responses"]))
        con.close()
    # The report's 163 numbered items and 180 pairs; UPR Info's answers fill its pending positions.
    assert results[0] == results[1] == (163, 180, {"supported": 142, "noted": 21})

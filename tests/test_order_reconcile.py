"""One truth whatever the order: small files of our own making imported in every order give the same
recommendations, ids, responses, States, themes and conflicts, and each import reverts exactly."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from etl.fingerprint import differing_reviews, review_fingerprints
from etl.importer import import_file
from etl.model import make_rec_id
from etl.readers.upr_info import CSV_HEADERS
from etl.revert import revert_import
from tests.test_revert import dump
from upr import db
from upr.queries import review_summary

HEAD = """Report of the Working Group on the Universal Periodic Review
Kazakhstan
Introduction
1. The Working Group on the Universal Periodic Review held its twentieth session from 27 October to
7 November 2014. The review of Kazakhstan was held at the 9th meeting on 30 October 2014.
II. Conclusions and/or recommendations
"""
EXAMINED = (
    "124. The following recommendations will be examined by Kazakhstan, which will provide responses in due time:\n"
)
SUPPORTED = "124. The following recommendations enjoy the support of Kazakhstan:\n"
ITEMS = """124.1 Ratify (Denmark)/accede (Estonia)/consider ratifying (Ghana) the OPCAT;
124.2 Ensure the compliance of its National Ombudsman with the Paris Principles (Egypt); continue with the efforts
to guarantee compliance of the Human Rights Ombudsperson with the Paris Principles (Peru);
124.3 Abolish the death penalty (France) (Norway).
125. All conclusions and/or recommendations contained in the present report reflect the position of the
submitting State(s) and/or the State under review.
"""
# UPR Info lists apart what the report bundles; its short parts ("Ratify the OPCAT") included.
UPR_ROWS = [
    ("Ratify the OPCAT", "Denmark", "Accepted", "5", "Torture and other CID treatment"),
    ("Accede to the OPCAT", "Estonia", "Accepted", "5", "Torture and other CID treatment"),
    ("Consider ratifying the OPCAT", "Ghana", "Accepted", "3", "International instruments"),
    ("Ensure the compliance of its National Ombudsman with the Paris Principles", "Egypt", "Accepted", "4", "NHRI"),
    (
        "Continue with the efforts to guarantee compliance of the Human Rights Ombudsperson with the Paris Principles",
        "Peru",
        "Noted",
        "3",
        "NHRI,Justice",
    ),
    ("Abolish the death penalty", "France", "Noted", "5", "Death penalty"),
    ("Abolish the death penalty", "Norway", "Noted", "5", "Death penalty"),
    ("Strengthen the national preventive mechanism", "Chile", "Accepted", "4", "Torture and other CID treatment"),
]


def write_report(path: Path, lead: str = EXAMINED) -> Path:
    path.write_text(HEAD + lead + ITEMS, encoding="utf-8")
    return path


def write_upr_info(path: Path, rows=UPR_ROWS, *, sur: str = "Kazakhstan", session: str = "20", **fmt) -> Path:
    """A UPR Info CSV export of these (text, recommending State, response, action, issues) rows."""
    encoding, newline = fmt.get("encoding", "utf-8"), fmt.get("newline", "\n")
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator=newline)
        writer.writerow(CSV_HEADERS)
        for text, state, response, action, issues in rows:
            writer.writerow([sur, "Asia", "", text, state, "", "", response, action, issues, session])
    return path


def imported(files: list[Path]):
    """A fresh database holding `files`, imported in this order."""
    con = db.connect(":memory:")
    for f in files:
        report = import_file(con, f)
        assert report.errors == [], report.errors
    return con


def recs(con) -> list[tuple]:
    return con.execute(
        "SELECT id, ref, response, response_source, action_category, merged_into FROM recommendation ORDER BY id"
    ).fetchall()


def conflict_rows(con) -> list[tuple]:
    return con.execute(
        "SELECT rec_id, field, kept_value, kept_source, other_value, other_source FROM conflict ORDER BY ALL"
    ).fetchall()


def part_id(text: str) -> str:
    return make_rec_id("KAZ", 2, None, text)


@pytest.fixture
def pair(tmp_path, monkeypatch) -> dict[str, Path]:
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    return {"report": write_report(tmp_path / "report.txt"), "upr": write_upr_info(tmp_path / "upr_info.csv")}


@pytest.mark.parametrize("order", [("report", "upr"), ("upr", "report")])
def test_bundled_items_and_slash_alternatives_absorb_every_part(pair, order):
    con = imported([pair[k] for k in order])
    dp, opcat = "KAZ-2-124.3", "KAZ-2-124.1"
    assert recs(con) == sorted(
        [
            (opcat, "124.1", "supported", "upr_info", 5, None),
            ("KAZ-2-124.2", "124.2", "supported_in_part", "upr_info", 4, None),
            (dp, "124.3", "noted", "upr_info", 5, None),
            (part_id("Ratify the OPCAT"), None, "supported", "upr_info", 5, opcat),
            (part_id("Accede to the OPCAT"), None, "supported", "upr_info", 5, opcat),
            (part_id("Consider ratifying the OPCAT"), None, "supported", "upr_info", 3, opcat),
            (part_id(UPR_ROWS[3][0]), None, "supported", "upr_info", 4, "KAZ-2-124.2"),
            (part_id(UPR_ROWS[4][0]), None, "noted", "upr_info", 3, "KAZ-2-124.2"),
            # Only in UPR Info: stays as UPR Info gave it.
            (part_id(UPR_ROWS[7][0]), None, "supported", "upr_info", 4, None),
        ]
    )
    (kaz,) = review_summary(con)
    assert (kaz["recommendations"], kaz["pairs"]) == (4, 8)
    assert kaz["responses"] == {"supported": 2, "supported_in_part": 1, "noted": 1}
    # The parts' answers differ: the item is supported in part, and each answer is listed.
    assert conflict_rows(con) == [
        ("KAZ-2-124.2", "response", "supported_in_part", "upr_info", "noted", "upr_info"),
        ("KAZ-2-124.2", "response", "supported_in_part", "upr_info", "supported", "upr_info"),
    ]
    themes = con.execute(
        "SELECT rec_id, list(source_label ORDER BY source_label) FROM rec_theme "
        "WHERE rec_id LIKE 'KAZ-2-124%' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert themes == [
        (opcat, ["International instruments", "Torture and other CID treatment"]),
        ("KAZ-2-124.2", ["Justice", "NHRI"]),
        (dp, ["Death penalty"]),
    ]
    states = con.execute(
        "SELECT rec_id, list(iso3 ORDER BY iso3) FROM rec_state WHERE rec_id LIKE 'KAZ-2-124%' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert states == [(opcat, ["DNK", "EST", "GHA"]), ("KAZ-2-124.2", ["EGY", "PER"]), (dp, ["FRA", "NOR"])]


def test_either_order_gives_the_same_fingerprint(pair):
    a, b = imported([pair["report"], pair["upr"]]), imported([pair["upr"], pair["report"]])
    assert differing_reviews(review_fingerprints(a), review_fingerprints(b)) == []


@pytest.mark.parametrize("order", [("report", "upr"), ("upr", "report")])
def test_each_import_reverts_exactly(pair, order):
    con = db.connect(":memory:")
    states, ids = [], []
    for key in order:
        states.append(dump(con))
        ids.append(import_file(con, pair[key]).import_id)
    if order[0] == "upr":
        # The report folded UPR Info's death-penalty recommendation into 124.3: it keeps what it was.
        changes = con.execute("SELECT field, count(*) FROM rec_change GROUP BY 1 ORDER BY 1").fetchall()
        assert changes == [("rename", 1), ("review", 1), ("snapshot", 6)]
    for import_id, state in zip(reversed(ids), reversed(states)):
        revert_import(con, import_id, "admin")
        assert dump(con) == state


def test_an_assessment_of_a_claimed_recommendation_follows_its_id_and_back(pair, tmp_path):
    """An NGO assessed UPR Info's recommendation before the report came: the assessment follows it to the
    report's id, and back when the report is reverted."""
    con = imported([pair["upr"]])
    old = part_id("Abolish the death penalty")
    sheet = tmp_path / "assess.csv"
    sheet.write_text(
        f"Recommendation ID,Source kind,Organisation,Status,As of\n{old},ngo,NGO,in_progress,2025-01-31\n",
        encoding="utf-8",
    )
    assert import_file(con, sheet).added == 1
    before = dump(con)
    report = import_file(con, pair["report"])
    assert con.execute("SELECT rec_id FROM assessment").fetchall() == [("KAZ-2-124.3",)]
    assert con.execute("SELECT count(*) FROM recommendation WHERE id = ?", [old]).fetchall() == [(0,)]
    revert_import(con, report.import_id, "admin")
    assert dump(con) == before


@pytest.mark.parametrize("second", ["macroman_cr", "xlsx"])
@pytest.mark.parametrize("report_first", [True, False])
def test_the_same_export_in_other_bytes_changes_nothing(pair, tmp_path, second, report_first):
    files = [pair["report"], pair["upr"]] if report_first else [pair["upr"], pair["report"]]
    con = imported(files)
    before = dump(con)
    if second == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "UPR Info database export"
        for row in csv.reader(pair["upr"].read_text(encoding="utf-8").splitlines()):
            ws.append(row)
        again = tmp_path / "upr_info.xlsx"
        wb.save(again)
    else:
        again = write_upr_info(tmp_path / "upr_info_mac.csv", encoding="mac_roman", newline="\r")
    report = import_file(con, again)
    assert (report.added, report.updated, report.unchanged, report.conflicts) == (0, 0, 7, 0)
    assert dump(con) == before


TEMPLATE = (
    "State under review,Cycle,Paragraph,Recommendation,Recommending States,Response,Themes\n"
    "Kazakhstan,2,124.3,Abolish the death penalty,France,Noted,Death penalty\n"
)


def test_the_response_in_force_and_the_conflicts_follow_priority_not_order(tmp_path, monkeypatch):
    """The report (supported) outranks our template and UPR Info (noted), whichever came first: each
    disagreement recorded once."""
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    report = write_report(tmp_path / "report.txt", SUPPORTED)
    template = tmp_path / "recommendations.csv"
    template.write_text(TEMPLATE, encoding="utf-8")
    upr = write_upr_info(tmp_path / "upr_info.csv", UPR_ROWS[5:7])
    prints = []
    for order in itertools.permutations([report, template, upr]):
        con = imported(list(order))
        assert ("KAZ-2-124.3", "124.3", "supported", "wg_report", 5, None) in recs(con)
        assert conflict_rows(con) == [
            ("KAZ-2-124.3", "response", "supported", "wg_report", "noted", "template_recommendations"),
            ("KAZ-2-124.3", "response", "supported", "wg_report", "noted", "upr_info"),
        ]
        assert con.execute("SELECT iso3 FROM rec_state WHERE rec_id = 'KAZ-2-124.3' ORDER BY 1").fetchall() == [
            ("FRA",),
            ("NOR",),
        ]
        prints.append(review_fingerprints(con))
    assert all(differing_reviews(prints[0], p) == [] for p in prints[1:])


def test_a_partly_new_export_writes_what_the_one_by_one_path_writes(pair, tmp_path):
    """An export whose reviews are partly in the database already: the others go in bulk, the same rows."""
    from dataclasses import replace

    from etl.detect import read_any
    from etl.load import import_batch
    from tests.test_templates import snapshot

    export = tmp_path / "two_reviews.csv"
    rows = list(csv.reader(pair["upr"].read_text(encoding="utf-8").splitlines()))
    rows += [["Slovenia", "WEOG", "", *r[3:10], "20"] for r in rows[1:4]]
    with export.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    batch = read_any(export)
    out = []
    for split in (True, False):
        con = imported([pair["report"]])
        one = batch if split else replace(batch, table=None, recommendations=batch.all_recommendations())
        report = import_batch(con, replace(one), sha256="x")
        out.append(((report.added, report.updated), snapshot(con)))
        out[-1][1].pop("import")
    assert out[0] == out[1] and out[0][0] == (9, 1)  # 5 parts, 1 alone, 3 new; 1 merged into 124.3


def test_an_import_a_later_fold_built_on_is_reverted_only_after_it(pair, tmp_path):
    """Our template answered UPR Info's recommendation; the report then folded it into 124.3: the
    template's import can be reverted only once the report's is."""
    from etl.revert import RevertRefused

    template = tmp_path / "recommendations.csv"
    template.write_text(TEMPLATE.replace(",124.3,", ",,").replace(",Noted,", ",Supported,"), encoding="utf-8")
    con = imported([pair["upr"]])
    states = [dump(con)]
    first = import_file(con, template)
    assert (first.updated, first.conflicts) == (1, 1)
    states.append(dump(con))
    report = import_file(con, pair["report"])
    assert ("KAZ-2-124.3", "124.3", "supported", "template_recommendations", 5, None) in recs(con)
    with pytest.raises(RevertRefused) as refused:
        revert_import(con, first.import_id, "admin")
    assert refused.value.blocking_import == report.import_id
    revert_import(con, report.import_id, "admin")
    assert dump(con) == states[1]
    revert_import(con, first.import_id, "admin")
    assert dump(con) == states[0]


def test_with_the_addendum_every_order_keeps_only_the_disagreements_with_the_answer_in_force(tmp_path, monkeypatch):
    """The report supports everything, UPR Info notes 98.24, the addendum notes nine: in all six orders
    the addendum's answers are in force, and a disagreement between report and UPR Info that its answer
    ends is not kept."""
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    fixtures = Path(__file__).resolve().parent / "fixtures" / "addendum"
    report = tmp_path / "report_supported.txt"
    report.write_text(
        (fixtures / "report_cycle4.txt")
        .read_text(encoding="utf-8")
        .replace(
            "will be examined by Uruguay, which will provide\nresponses in due time, but no later than the "
            "fifty-fifth session of the Human Rights Council:",
            "enjoy the support of Uruguay:",
        ),
        encoding="utf-8",
    )
    noted = [(f"98.{n}", "noted", "addendum", "supported", "wg_report") for n in (15, 16, 17, 18, 19, 20, 21, 23)]
    prints = []
    for order in itertools.permutations([report, fixtures / "addendum_lists.txt", fixtures / "upr_info_uruguay.csv"]):
        con = imported(list(order))
        conflicts = con.execute(
            "SELECT r.ref, kept_value, kept_source, other_value, other_source FROM conflict c "
            "JOIN recommendation r ON r.id = c.rec_id ORDER BY ALL"
        ).fetchall()
        assert conflicts == sorted(
            [
                *noted,
                ("98.20", "noted", "addendum", "supported", "upr_info"),
                ("98.24", "supported_in_part", "addendum", "noted", "upr_info"),
                ("98.24", "supported_in_part", "addendum", "supported", "wg_report"),
            ]
        )
        prints.append(review_fingerprints(con))
    assert all(differing_reviews(prints[0], p) == [] for p in prints[1:])

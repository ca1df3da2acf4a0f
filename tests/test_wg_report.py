"""The UN Working Group report reader: our own small fixtures, then the real published PDFs."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from etl.messages import full_text
from etl.model import Batch, RawRecommendation
from etl.readers.wg_report import (
    extract_text,
    looks_like_wg_report,
    parse_wg_report,
    read_wg_report,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wg_report"
REAL = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real" / "un-wg-reports"


def _by_ref(batch: Batch) -> dict[str, RawRecommendation]:
    return {r.ref: r for r in batch.recommendations if r.ref}


def _summary(batch: Batch) -> tuple[int, int, dict[str, int]]:
    """(recommendations, recommendation–State pairs, count per response)."""
    pairs = sum(len(r.recommending) for r in batch.recommendations)
    return (
        batch.rows_read,
        pairs,
        dict(Counter(r.response for r in batch.recommendations)),
    )


# --- cycle 2 style: running heads, page numbers, job numbers, footnotes, hyphens, inline States --


@pytest.fixture(scope="module")
def cycle2() -> Batch:
    return read_wg_report(FIXTURES / "cycle2_excerpt.txt")


def test_cycle2_document_info(cycle2: Batch) -> None:
    doc = cycle2.document
    assert doc is not None
    assert doc.symbol == "A/HRC/28/10"
    assert doc.title == "Report of the Working Group on the Universal Periodic Review: Kazakhstan"
    assert doc.sur == "Kazakhstan"
    assert (doc.session, doc.cycle, doc.review_date) == (20, 2, date(2014, 10, 30))
    assert (cycle2.format, cycle2.theme_source, cycle2.file) == (
        "wg_report",
        "none",
        "cycle2_excerpt.txt",
    )


def test_cycle2_every_item_in_order(cycle2: Batch) -> None:
    got = [(r.row, r.ref, r.response, r.recommending, r.text) for r in cycle2.recommendations]
    assert got == [
        (
            1,
            "124.1",
            "supported",
            ["Mexico"],
            "Adopt legislation to criminalize torture in line with international standards",
        ),
        (
            2,
            "124.2",
            "supported",
            ["Hungary", "Spain"],
            "Implement the recommendations of the treaty bodies in consultation with non-governmental organizations",
        ),
        (
            3,
            "124.3",
            "supported",
            ["Belarus"],
            "Continue applying an inclusive approach to national programmes in the area of employment",
        ),
        (
            4,
            "124.4",
            "supported",
            ["Slovenia", "Republic of Korea"],
            (
                "Consider ratifying (Slovenia)/ratify (Republic of Korea) the Optional Protocol to the Convention "
                "against Torture"
            ),
        ),
        (
            5,
            "124.5",
            "supported",
            ["Portugal", "Slovakia"],
            (
                "Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights "
                "(ICCPR-OP 2)"
            ),
        ),
        (
            6,
            "125.1",
            "pending",
            ["Egypt"],
            "Ratify the Convention on the Rights of Persons with Disabilities (CRPD)",
        ),
        (
            7,
            "125.2",
            "pending",
            ["Iran (Islamic Republic of)", "Venezuela (Bolivarian Republic of)"],
            (
                "Investigate all allegations of torture and ill-treatment (Iran (Islamic Republic of)); strengthen the "
                "national preventive mechanism"
            ),
        ),
        (
            8,
            "125.3",
            "pending",
            [],
            "Continue its efforts to protect the rights of the child",
        ),
        (
            9,
            "125.4",
            "pending",
            ["Belgium"],
            "Ensure access to justice for all victims of violence",
        ),
        (10, "126.1", "noted", ["France"], "Abolish the death penalty for all crimes"),
        (
            11,
            "126.2",
            "noted",
            ["Norway"],
            "Repeal the provisions on criminal defamation",
        ),
    ]
    assert cycle2.rows_read == 11


def test_cycle2_lead_in_wording_and_review_fields(cycle2: Batch) -> None:
    raws = {r.ref.split(".")[0]: r.response_raw for r in cycle2.recommendations if r.ref}
    assert raws == {
        "124": "enjoy the support; already been implemented",
        "125": "will be examined by; will be included in the outcome report",
        "126": "did not enjoy the support; would thus be noted",
    }
    assert {(r.sur, r.session, r.cycle, r.lang) for r in cycle2.recommendations} == {("Kazakhstan", 20, 2, "en")}


def test_cycle2_item_without_state_is_a_warning_and_kept(cycle2: Batch) -> None:
    assert [(p.severity, p.row, p.column, p.value) for p in cycle2.problems] == [
        (
            "warning",
            8,
            "recommendation 125.3",
            "Continue its efforts to protect the rights of the child",
        ),
    ]
    assert cycle2.errors == []


def test_cycle2_page_furniture_and_footnotes_are_gone(cycle2: Batch) -> None:
    texts = " ".join(r.text for r in cycle2.recommendations)
    for leftover in (
        "A/HRC",
        "GE.14",
        "interactive dialogue",
        "not been edited",
        "employment1",
        " 15 ",
        "**",
    ):
        assert leftover not in texts


# --- cycle 1 style: items 1., 2. under each lead-in paragraph, texts "To …" ---------------------


def test_cycle1_items_are_numbered_under_their_paragraph() -> None:
    batch = read_wg_report(FIXTURES / "cycle1_excerpt.txt")
    got = [(r.ref, r.response, r.recommending, r.text) for r in batch.recommendations]
    assert got == [
        (
            "95.1",
            "supported",
            ["Egypt"],
            "To consider ratifying the Convention on the Rights of Persons with Disabilities",
        ),
        (
            "95.2",
            "supported",
            ["Belarus", "Uzbekistan"],
            "To continue its efforts to combat trafficking in persons",
        ),
        (
            "95.3",
            "supported",
            ["United Kingdom of Great Britain and Northern Ireland"],
            "To strengthen the independence of the Ombudsman, in line with the Paris Principles",
        ),
        ("96.1", "pending", ["Sweden"], "To abolish the death penalty"),
        (
            "96.2",
            "pending",
            ["Latvia"],
            "To issue a standing invitation to the special procedures",
        ),
        ("97.1", "noted", ["Norway"], "To decriminalize defamation"),
    ]
    doc = batch.document
    assert doc is not None
    assert (doc.symbol, doc.sur, doc.session, doc.cycle, doc.review_date) == (
        "A/HRC/14/10",
        "Kazakhstan",
        7,
        1,
        date(2010, 2, 12),
    )
    assert batch.problems == []


CYCLE1_AMBIGUOUS = """Report of the Working Group on the Universal Periodic Review
The Working Group held its seventh session from 8 to 19 February 2010. The review of Utopia
was held at the 3rd meeting on 12 February 2010.
II. Conclusions and/or recommendations
2. The recommendations listed below enjoy the support of Utopia:
1. To ratify CRPD (Egypt);
2. To ratify CAT (Chile);
3. To ratify CED (Spain);
4. To ratify ICRMW (Mali);
3. The following recommendations did not enjoy the support of Utopia:
1. To abolish the death penalty (Sweden).
4. All conclusions and/or recommendations contained in the present report reflect the position
of the submitting State(s) and/or the State under review.
"""


def test_cycle1_item_number_equal_to_next_paragraph_number() -> None:
    # "3." right after item 2 of paragraph 2 is item 3 (item 1 does not follow it);
    # the later "3." is paragraph 3, since "1." follows it.
    batch = parse_wg_report(CYCLE1_AMBIGUOUS, "ambiguous.txt")
    assert [(r.ref, r.response, r.recommending) for r in batch.recommendations] == [
        ("2.1", "supported", ["Egypt"]),
        ("2.2", "supported", ["Chile"]),
        ("2.3", "supported", ["Spain"]),
        ("2.4", "supported", ["Mali"]),
        ("3.1", "noted", ["Sweden"]),
    ]


# --- DOCX, built here with python-docx ---------------------------------------------------------


def test_docx_paragraphs_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in (
        "A/HRC/28/10",
        "Report of the Working Group on the Universal Periodic Review",
        "Kazakhstan",
        (
            "1.\tThe Working Group held its twentieth session from 27 October to 7 November 2014. "
            "The review of Kazakhstan was held at the 7th meeting, on 30 October 2014."
        ),
        "II.\tConclusions and/or recommendations",
        "124.\tThe following recommendations enjoy the support of Kazakhstan:",
        "124.1\tRatify CRPD (Hungary) (Spain);",
        "124.2\tAbolish the death penalty (Sweden).",
        "125.\tThe following recommendations did not enjoy the support of Kazakhstan and would thus be noted:",
        "125.1\tRatify the Rome Statute (Costa Rica).",
        (
            "126.\tAll conclusions and/or recommendations contained in the present report reflect the position "
            "of the submitting State(s) and/or the State under review."
        ),
    ):
        document.add_paragraph(text)
    path = tmp_path / "report.docx"
    document.save(str(path))

    assert extract_text(path).splitlines()[6] == "124.1\tRatify CRPD (Hungary) (Spain);"
    batch = read_wg_report(path)
    assert [(r.ref, r.response, r.recommending, r.text) for r in batch.recommendations] == [
        ("124.1", "supported", ["Hungary", "Spain"], "Ratify CRPD"),
        ("124.2", "supported", ["Sweden"], "Abolish the death penalty"),
        ("125.1", "noted", ["Costa Rica"], "Ratify the Rome Statute"),
    ]
    doc = batch.document
    assert doc is not None
    assert (doc.symbol, doc.sur, doc.session, doc.review_date) == (
        "A/HRC/28/10",
        "Kazakhstan",
        20,
        date(2014, 10, 30),
    )
    assert batch.problems == []


# --- what cannot be read ------------------------------------------------------------------------


def test_unknown_lead_in_is_a_warning_and_items_are_kept() -> None:
    # A block whose position is stated nowhere is pending (no answer given yet), never guessed.
    text = CYCLE1_AMBIGUOUS.replace("enjoy the support of Utopia:", "were discussed with Utopia:", 1)
    batch = parse_wg_report(text, "odd.txt")
    assert batch.rows_read == 5
    assert [(r.response, r.response_raw) for r in batch.recommendations] == [
        ("pending", None),
        ("pending", None),
        ("pending", None),
        ("pending", None),
        ("noted", "did not enjoy the support"),
    ]
    assert [(p.severity, p.column, p.value) for p in batch.problems] == [
        (
            "warning",
            "paragraph 2",
            "The recommendations listed below were discussed with Utopia:",
        ),
    ]


def test_state_under_review_from_the_cover_when_the_review_sentence_is_missing() -> None:
    text = (FIXTURES / "cycle1_excerpt.txt").read_text(encoding="utf-8")
    text = text.replace("The review of Kazakhstan was held at the 3rd meeting on 12 February 2010.", "")
    batch = parse_wg_report(text, "c1.txt")
    assert batch.rows_read == 6
    assert batch.document is not None
    assert (batch.document.sur, batch.document.review_date) == ("Kazakhstan", None)
    assert {r.sur for r in batch.recommendations} == {"Kazakhstan"}
    assert [(p.severity, p.column, p.value) for p in batch.problems] == [
        ("warning", "State under review", "Kazakhstan"),
        ("warning", "date of the review", None),
    ]
    assert [p.code for p in batch.problems] == ["report_sur_from_title", "report_no_review_sentence"]
    # With no name on the cover either, the recommendations cannot be attributed: an error.
    batch = parse_wg_report(text.replace("Kazakhstan\n*", "\n*"), "c1.txt")
    assert batch.document is not None and batch.document.sur is None
    assert [(p.column, p.code) for p in batch.errors] == [("State under review", "wg_no_sur")]
    assert full_text(batch.errors[0], "ru") == "c1.txt, столбец «Государство под обзором»: " + (
        "В докладе не найдено название государства под обзором."
    )


def test_text_without_the_section_is_an_error() -> None:
    batch = parse_wg_report(
        "Report of the Working Group on the Universal Periodic Review\nNothing else.",
        "x.txt",
    )
    assert batch.rows_read == 0 and batch.recommendations == []
    assert [p.code for p in batch.errors] == ["wg_no_section"]


def test_unreadable_files_give_one_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a PDF")
    other = tmp_path / "report.rtf"
    other.write_text("{\\rtf1}", encoding="utf-8")
    batch = read_wg_report(broken)
    assert batch.rows_read == 0
    assert [(p.severity, p.file, p.code) for p in batch.problems] == [("error", broken.name, "document_unreadable")]
    assert batch.problems[0].value.startswith("PdfiumError: ")
    # Anything that is not a PDF or DOCX is read as text, and has no recommendations section.
    batch = read_wg_report(other)
    assert batch.rows_read == 0
    assert "wg_no_section" in [p.code for p in batch.errors]


def test_looks_like_wg_report() -> None:
    assert looks_like_wg_report((FIXTURES / "cycle2_excerpt.txt").read_text(encoding="utf-8"))
    assert looks_like_wg_report((FIXTURES / "cycle1_excerpt.txt").read_text(encoding="utf-8"))
    assert not looks_like_wg_report("SuR,Rgrp,Org,Recommendation,RS,Rgrp,Org,Response,Action,Issue,Session")
    assert not looks_like_wg_report("Report of the Working Group on the Universal Periodic Review")


# --- the real published reports (skipped when ../shared is absent) ------------------------------

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="real UN reports not available")


@pytest.fixture(scope="module")
def real() -> dict[str, tuple[Batch, float]]:
    if not REAL.is_dir():
        pytest.skip("real UN reports not available")
    out = {}
    for name in ("kazakhstan2014", "uzbekistan2013", "slovenia2014"):
        started = time.perf_counter()
        batch = read_wg_report(REAL / f"{name}.pdf")
        out[name] = (batch, time.perf_counter() - started)
    return out


@needs_real
def test_real_kazakhstan_2014(real: dict[str, tuple[Batch, float]]) -> None:
    batch, seconds = real["kazakhstan2014"]
    assert _summary(batch) == (194, 198, {"supported": 143, "noted": 51})
    doc = batch.document
    assert doc is not None
    assert (doc.symbol, doc.sur, doc.session, doc.cycle, doc.review_date) == (
        "A/HRC/28/10",
        "Kazakhstan",
        20,
        2,
        date(2014, 10, 30),
    )
    assert batch.problems == []
    refs = _by_ref(batch)
    assert Counter(r.split(".")[0] for r in refs) == {"124": 47, "125": 96, "126": 51}
    assert refs["124.17"].text == (
        "Establish an independent investigation mechanism to effectively prevent torture and ill-treatment in "
        "detention, train personnel and guarantee effective legal representation and remedies for detainees"
    )
    assert refs["124.17"].recommending == ["Germany"]
    assert refs["124.1"].response_raw == "enjoy the support; already been implemented"
    assert refs["125.1"].response_raw == "enjoy the support; in the process of being implemented"
    # A footnote mark stuck to a word, the footnote itself at the foot of the page.
    assert refs["125.27"].text == (
        "Continue applying an inclusive approach for the implementation of national programmes in the area of "
        "employment"
    )
    assert refs["125.9"].recommending == ["Portugal", "Uruguay", "Argentina"]
    assert refs["125.9"].text.endswith("Cultural Rights (OP-ICESCR)")
    assert refs["126.5"].text.endswith("abolition of the death penalty (ICCPR-OP 2)")
    assert refs["126.8"].recommending == ["Hungary", "Spain"]
    assert refs["125.81"].recommending == ["Venezuela (Bolivarian Republic of)"]
    assert seconds < 10


@needs_real
def test_real_uzbekistan_2013(real: dict[str, tuple[Batch, float]]) -> None:
    # Hand-checked: 133.1–133.101 and 134.1–134.30 supported, 135.1–135.14 to be examined,
    # 136.1–136.58 noted; three items with two States (135.1, 136.9, 136.23).
    batch, seconds = real["uzbekistan2013"]
    assert _summary(batch) == (203, 206, {"supported": 131, "pending": 14, "noted": 58})
    doc = batch.document
    assert doc is not None
    assert (doc.symbol, doc.sur, doc.session, doc.cycle, doc.review_date) == (
        "A/HRC/24/7",
        "Uzbekistan",
        16,
        2,
        date(2013, 4, 24),
    )
    assert batch.problems == []
    refs = _by_ref(batch)
    assert Counter(r.split(".")[0] for r in refs) == {
        "133": 101,
        "134": 30,
        "135": 14,
        "136": 58,
    }
    assert refs["134.1"].response_raw == "already implemented; in the process of implementation"
    assert refs["135.1"].recommending == ["Brazil", "Iraq"]
    assert refs["136.9"].recommending == ["Guatemala", "Philippines"]
    assert refs["136.23"].recommending == ["Belgium", "Portugal"]
    # "(Belgium)1;": the footnote mark after the bracket, its footnote at the foot of the page.
    assert refs["134.6"].recommending == ["Belgium"]
    assert refs["134.6"].text.endswith("degrading treatment or punishment")
    # The one item printed without its closing ";".
    assert refs["136.45"].recommending == ["France"]
    assert refs["136.45"].text.endswith("beyond their initial sentence")
    assert seconds < 10


@needs_real
def test_real_slovenia_2014(real: dict[str, tuple[Batch, float]]) -> None:
    # Hand-checked: 115.1–115.163, all to be examined at the 28th session of the Council; States
    # also written "(Portugal, Slovakia)" and inline "(Egypt); continue …".
    batch, seconds = real["slovenia2014"]
    assert _summary(batch) == (163, 180, {"pending": 163})
    doc = batch.document
    assert doc is not None
    assert (doc.symbol, doc.sur, doc.session, doc.cycle, doc.review_date) == (
        "A/HRC/28/15",
        "Slovenia",
        20,
        2,
        date(2014, 11, 4),
    )
    assert batch.problems == []
    refs = _by_ref(batch)
    assert refs["115.3"].recommending == ["Portugal", "Slovakia"]
    assert refs["115.8"].recommending == [
        "Senegal",
        "Sierra Leone",
        "Venezuela (Bolivarian Republic of)",
        "Peru",
        "Uruguay",
    ]
    assert refs["115.16"].recommending == [
        "Belgium",
        "France",
        "Tunisia",
        "Sierra Leone",
        "Argentina",
    ]
    assert refs["115.38"].recommending == ["Egypt", "Peru", "Azerbaijan"]
    assert refs["115.106"].recommending == ["netherlands", "Bahrain"]
    assert refs["115.124"].recommending == [
        "Armenia",
        "Costa Rica",
        "Uzbekistan",
        "Azerbaijan",
    ]
    assert refs["115.72"].recommending == ["the former Yugoslav Republic of Macedonia"]
    assert seconds < 10

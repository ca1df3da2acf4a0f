"""The Working Group report reader on the variety of real layouts, each class in a small fixture of our own:
lead-in wordings and positions stated after the list, the State's comments, footnotes, misprinted item
numbers, headings, recommending States as misprinted, the State under review named formally."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.model import Batch
from etl.readers.report_positions import classify
from etl.readers.report_states import Correction, read_states, strip_end
from etl.readers.wg_report import parse_wg_report, read_wg_report

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wg_report"


def _items(batch: Batch) -> list[tuple]:
    return [(r.ref, r.response, r.response_raw, r.recommending, r.text) for r in batch.recommendations]


def _problems(batch: Batch) -> list[tuple]:
    return [(p.severity, p.row, p.column, p.value) for p in batch.problems]


# --- positions: every wording, stated after the list, stated nowhere, comments ------------------


@pytest.fixture(scope="module")
def positions() -> Batch:
    return read_wg_report(FIXTURES / "positions.txt")


def test_positions_of_every_block(positions: Batch) -> None:
    assert _items(positions) == [
        ("90.1", "supported", "enjoy its support", ["Chile"], "Ratify the Convention against Torture"),
        (
            "90.2",
            "supported",
            "enjoy its support",
            ["Italy", "Germany"],
            "Adopt a national action plan on human rights",
        ),
        ("91.1", "supported", "accepted", ["USA"], "Strengthen the office of the Ombudsman"),
        ("92.1", "pending", "will examine; will provide responses", ["France"], "Abolish the death penalty"),
        ("93.1", "noted", "rejected", ["Norway"], "Decriminalize defamation"),
        ("94.1", "noted", "cannot be accepted", ["Liechtenstein"], "Ratify the Rome Statute"),
        ("95.1", "noted", "did not accept", ["United States of America"], "Repeal the sedition law"),
        # Stated after the list, in a paragraph of its own.
        (
            "96.1",
            "pending",
            "will be included in the outcome report",
            ["UK"],
            "Ratify the International Covenant on Civil and Political Rights",
        ),
        (
            "96.2",
            "pending",
            "will be included in the outcome report",
            ["Romania"],
            "Ratify the International Covenant on Economic, Social and Cultural Rights",
        ),
        (
            "98.1",
            "noted",
            "did not enjoy the support",
            ["Sweden"],
            "Ratify the Convention on the Elimination of All Forms of Discrimination against Women",
        ),
        (
            "98.2",
            "noted",
            "did not enjoy the support",
            ["Spain"],
            "Ratify the Convention on the Rights of Persons with Disabilities",
        ),
        # Stated nowhere: pending, never guessed.
        ("100.1", "pending", None, ["Denmark"], "Ratify the Optional Protocol to the Convention against Torture"),
        # Paragraph 101 holds the State's comments: not recommendations.
        # Stated after the list, in a sentence after the last item.
        ("102.1", "pending", "will be examined by", ["New Zealand"], "Establish a national human rights institution"),
        ("102.2", "pending", "will be examined by", ["Australia"], "Protect the rights of persons with disabilities"),
    ]
    assert [r.row for r in positions.recommendations] == list(range(1, 15))
    assert positions.rows_read == 14


def test_positions_warnings(positions: Batch) -> None:
    assert _problems(positions) == [
        ("warning", 6, "recommendation 94.1", "Lichtenstein"),
        ("warning", 7, "recommendation 95.1", "United Sates of America"),
        ("warning", None, "paragraph 100", "The following recommendations were discussed with Tonga:"),
        ("warning", None, "paragraph 101", "Tonga offered the following comments:"),
    ]
    assert "read as Liechtenstein" in positions.problems[0].expected
    assert "read as pending" in positions.problems[2].expected
    assert "comments" in positions.problems[3].expected


def test_formal_name_in_the_review_sentence_gives_the_cover_name(positions: Batch) -> None:
    # "The review of the Kingdom of Tonga was held at the 5th, meeting on 29 October." (no year)
    doc = positions.document
    assert doc is not None
    assert (doc.symbol, doc.sur, doc.session, doc.cycle, doc.review_date) == (
        "A/HRC/99/1",
        "Tonga",
        20,
        2,
        date(2014, 10, 29),
    )
    assert {r.sur for r in positions.recommendations} == {"Tonga"}


# --- a PDF's text: furniture, footnotes, misprinted numbers, States as misprinted -----------------


@pytest.fixture(scope="module")
def layout() -> Batch:
    return read_wg_report(FIXTURES / "layout.txt")


def test_layout_every_item(layout: Batch) -> None:
    pending = "Responses to the following recommendations will be provided"
    assert {(r.response, r.response_raw) for r in layout.recommendations} == {("pending", pending)}
    assert [(r.ref, r.recommending, r.text) for r in layout.recommendations] == [
        (
            "124.1",
            ["Portugal"],
            "Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
        ),
        # "(Slovenia);2": the mark after ";", its footnote (naming Algeria) at the foot of the page.
        ("124.2", ["Slovenia"], "Consider ratifying the Convention on Migrant Workers"),
        # "(Argentina)", then the mark alone on a line, then ";" alone.
        ("124.3", ["Argentina"], "Ratify the Convention on Enforced Disappearance"),
        ("124.4", ["Democratic People’s Republic of Korea"], "Adopt a law on the rights of the child"),
        ("124.5", ["Brazil"], "Adopt a national plan against racism"),  # printed "125.5."
        ("124.6", ["Venezuela (Bolivarian Republic of)"], "Combat hate speech on the Internet"),  # "124-6."
        (
            "124.7",
            ["Iran (Islamic Republic of)"],
            "Prohibit racial profiling by the police",
        ),  # "124. 7", "(Iran (…of);"
        (
            "124.8",
            ["Chile", "Mexico"],
            "Ensure access to asylum procedures (Chile), and guarantee the right to family reunification",
        ),
        ("124.9", ["Canada"], "Protect migrant children"),  # "(Canada):"
        # Printed "124.01", between 124.9 and 124.11; its "(" never printed: "… Court Ghana)".
        ("124.10", ["Ghana"], "Ratify the Rome Statute amendments International Criminal Court"),
        (
            "124.11",
            ["Uganda", "Costa Rica", "Sweden"],
            "Sign (Uganda) and ratify (Costa Rica, Sweden) the Optional Protocol to the Convention against Torture",
        ),
        ("124.12", ["Holy See"], "Improve the conditions of detention"),  # "124.12.Improve"
        ("124.13", ["Senegal"], "Promote tolerance and fight xenophobia"),
        ("124.14", ["Austria"], "Combat discrimination against Roma"),  # glued: "(Senegal);124.14. Combat"
        # A footnote that ran on from the page before sits under it: not part of it.
        ("124.15", ["Morocco"], "Provide human rights training to the police"),
    ]


def test_layout_footnotes_never_reach_an_item(layout: Batch) -> None:
    texts = " ".join(r.text for r in layout.recommendations)
    for leftover in ("as read", "interactive dialogue", "delay", "GE.99", "A/HRC", "not been edited", " 3", "**"):
        assert leftover not in texts
    states = {s for r in layout.recommendations for s in r.recommending}
    assert not states & {"Algeria", "Norway"}  # named in footnotes only


def test_layout_misprinted_numbers_are_reported(layout: Batch) -> None:
    assert [(p.severity, p.column, p.value, p.expected) for p in layout.problems] == [
        ("warning", "recommendation number", "125.5.", "Its number looks misprinted: read as recommendation 124.5."),
        ("warning", "recommendation number", "124.01", "Its number looks misprinted: read as recommendation 124.10."),
    ]


def test_layout_document(layout: Batch) -> None:
    # The heading "III. CONCLUSIONS AND RECOMMENDATIONS"; "the Federal Republic of Germany" in the
    # review sentence, "Germany" on the cover.
    doc = layout.document
    assert doc is not None
    assert (doc.symbol, doc.sur, doc.session, doc.cycle, doc.review_date) == (
        "A/HRC/99/2",
        "Germany",
        16,
        2,
        date(2013, 4, 25),
    )


# --- cycle 1: items 1., 2. under the lead-in, numbers without their period or lost ---------------


@pytest.fixture(scope="module")
def cycle1() -> Batch:
    return read_wg_report(FIXTURES / "cycle1_plain.txt")


def test_cycle1_numbers_without_period_or_alone(cycle1: Batch) -> None:
    assert [(r.ref, r.response, r.recommending, r.text) for r in cycle1.recommendations] == [
        ("85.1", "supported", ["Argentina"], "To ratify the Convention on Enforced Disappearance"),
        ("85.2", "supported", ["Denmark"], "To strengthen the national preventive mechanism"),
        ("85.3", "supported", ["Spain"], "To adopt a law on domestic violence"),  # "3 To adopt …"
        ("85.4", "supported", ["Belarus"], "To combat trafficking in persons"),
        ("86.1", "pending", ["Sweden"], "To abolish corporal punishment in all settings"),
        ("86.2", "pending", ["Latvia"], "To issue a standing invitation to the special procedures"),
        # "3" alone under the running head and its page number ("page 15").
        ("86.3", "pending", ["Norway"], "To guarantee freedom of expression"),
        ("86.4", "pending", ["Bolivia (Plurinational State of)"], "To protect the rights of indigenous peoples"),
        # "5." alone, its text on the next line. Item 6 lost its number under the next running
        # head: it cannot be told from item 5, so it stays in it, and the gap is reported.
        (
            "86.5",
            "pending",
            ["Mexico", "Morocco"],
            "To combat discrimination against migrants (Mexico); To provide human rights education in schools",
        ),
        ("86.7", "pending", ["Indonesia"], "To adopt a national action plan on human rights"),
        ("87.1", "noted", ["Netherlands"], "To recognize same-sex unions"),
    ]


def test_cycle1_without_its_title_page(cycle1: Batch) -> None:
    # The text starts on page 14: the symbol from the running head, the State from the review
    # sentence ("Costa Rica Republic", read loosely and reported).
    doc = cycle1.document
    assert doc is not None
    assert (doc.symbol, doc.sur, doc.session, doc.cycle, doc.review_date, doc.title) == (
        "A/HRC/99/3",
        "Costa Rica",
        7,
        1,
        date(2010, 2, 17),
        None,
    )
    assert [(p.severity, p.column, p.value) for p in cycle1.problems] == [
        ("warning", "State under review", "Costa Rica Republic"),
        ("warning", "recommendation number", "86.7"),
        ("warning", None, None),
    ]
    assert cycle1.problems[1].expected == (
        "Recommendation 86.6 was expected next: a number was skipped or misprinted. Check the list against the document."
    )
    assert cycle1.errors == []


# --- small texts: headings, the State under review, one class at a time --------------------------

HEAD = """A/HRC/99/4
1. The Working Group on the Universal Periodic Review held its twentieth session from 27 October to
7 November 2014. The review of {sur} was held at the 3rd meeting on 28 October 2014.
{heading}
110. The following recommendations enjoy the support of the State under review:
110.1 Ratify CAT (Chile);
110.2 Ratify CED (Spain).
111. All conclusions and/or recommendations contained in the present report reflect the position of the
submitting State(s) and/or the State under review.
"""


@pytest.mark.parametrize(
    "heading",
    [
        "II. Conclusions and/or recommendations",
        "II. Conclusions and recommendations**",
        "III. CONCLUSIONS AND/OR RECOMMENDATIONS",
        "Conclusions and recommendations",
        "II. Conclusions and/or\nrecommendations",
    ],
)
def test_section_headings(heading: str) -> None:
    batch = parse_wg_report(HEAD.format(sur="Fiji", heading=heading), "h.txt")
    assert [(r.ref, r.response, r.recommending) for r in batch.recommendations] == [
        ("110.1", "supported", ["Chile"]),
        ("110.2", "supported", ["Spain"]),
    ]
    assert batch.errors == []


@pytest.mark.parametrize(
    ("printed", "sur", "warned"),
    [
        ("Fiji", "Fiji", False),
        ("the Kingdom of Tonga", "Tonga", True),
        ("the Federal Republic of Germany", "Germany", True),
        ("Costa Rica Republic", "Costa Rica", True),
        ("the Democratic People’s Republic of Korea (DPRK)", "Democratic People's Republic of Korea", True),
        ("the Democratic People’s Republic of Korea", "the Democratic People’s Republic of Korea", False),
    ],
)
def test_state_under_review_named_formally(printed: str, sur: str, warned: bool) -> None:
    text = HEAD.format(sur=printed, heading="II. Conclusions and/or recommendations")
    batch = parse_wg_report(text, "s.txt")
    assert batch.document is not None and batch.document.sur == sur
    assert {r.sur for r in batch.recommendations} == {sur}
    assert [p.value for p in batch.problems if p.column == "State under review"] == ([printed] if warned else [])


def test_delegation_sentence_names_the_state_when_nothing_else_does() -> None:
    text = HEAD.format(sur="Fiji", heading="II. Conclusions and recommendations").replace(
        "The review of Fiji was held at the 3rd meeting on 28 October 2014.",
        "The delegation of Fiji was headed by the Attorney General.",
    )
    batch = parse_wg_report(text, "d.txt")
    assert batch.document is not None and batch.document.sur == "Fiji"
    assert [(p.column, p.value) for p in batch.problems][:2] == [
        ("date of the review", None),
        ("State under review", "Fiji"),
    ]
    assert batch.errors == []


def test_delegation_sentence_names_the_state_when_the_review_sentence_does_not() -> None:
    text = HEAD.format(sur="the Republic of Utopia", heading="II. Conclusions and recommendations").replace(
        "2014.\n", "2014. The delegation of Fiji was headed by the Attorney General.\n", 1
    )
    batch = parse_wg_report(text, "d.txt")
    assert batch.document is not None and batch.document.sur == "Fiji"


# --- the pieces: States of an item, wording of a position ----------------------------------------


@pytest.mark.parametrize(
    ("text", "body", "states", "corrections"),
    [
        ("Do X (USA)", "Do X", ["USA"], []),
        ("Do X (Romania 1)", "Do X", ["Romania"], []),
        ("Do X (Spain 2);", "Do X", ["Spain"], []),
        ("Do X (Italy and Germany)", "Do X", ["Italy", "Germany"], []),
        ("Do X (Argentina Chile, Guatemala)", "Do X", ["Argentina", "Chile", "Guatemala"], []),
        ("Do X (Bosnia and Herzegovina)", "Do X", ["Bosnia and Herzegovina"], []),
        ("Do X (Argentina; Egypt; Palestine)", "Do X", ["Argentina", "Egypt", "Palestine"], []),
        ("Do X (Brazil/Spain)", "Do X", ["Brazil", "Spain"], []),
        ("Do X (Lao‟s People Democratic Republic)", "Do X", ["Lao People's Democratic Republic"], True),
        ("Do X (Democratic People„s Republic of Korea)", "Do X", ["Democratic People’s Republic of Korea"], []),
        ("Do X (Venezuela(Bolivarian Republic of))", "Do X", ["Venezuela (Bolivarian Republic of)"], []),
        ("Do X (Iran (Islamic Republic of )):", "Do X", ["Iran (Islamic Republic of)"], []),
        ("Do X (New Zeeland)", "Do X", ["New Zealand"], True),
        ("Do X (Holly See)", "Do X", ["Holy See"], True),
        ("Do X (former Yugoslav Republic of Macedonia)", "Do X", ["former Yugoslav Republic of Macedonia"], []),
        ("Do X (Belgium, Czech Republic, Slovenia,)", "Do X", ["Belgium", "Czech Republic", "Slovenia"], []),
        # Not States: treaties, acronyms, words in brackets before the States.
        ("Ratify them (OP-CRC-AC and OP-CRC-SC) (Algeria)", "Ratify them (OP-CRC-AC and OP-CRC-SC)", ["Algeria"], []),
        ("Review the Office of Youth (Jugendamt) (Congo)", "Review the Office of Youth (Jugendamt)", ["Congo"], []),
        ("End gavage (force-feeding) (Ghana)", "End gavage (force-feeding)", ["Ghana"], []),
        ("Protect refugees from the Democratic Republic of the Congo (DRC) (Chad)", None, ["Chad"], []),
        ("Ratify ICCPR-OP 2 (Portugal) (Spain)", "Ratify ICCPR-OP 2", ["Portugal", "Spain"], []),
        # Inline: several recommendations joined in one item.
        ("Do X (Chile), and Y (Peru)", "Do X (Chile), and Y", ["Chile", "Peru"], []),
        ("Ratify the ILO Conventions (Iraq) as well as CRPD (Chad)", None, ["Iraq", "Chad"], []),
        ("Consider (Slovenia, Latvia) issuing an invitation (Hungary)", None, ["Slovenia", "Latvia", "Hungary"], []),
        ("Continue efforts to protect women and children", None, [], []),
    ],
)
def test_read_states(text: str, body: str | None, states: list[str], corrections: bool | list) -> None:
    found = read_states(strip_end(text))
    assert found.states == states
    if body is not None:
        assert found.body == body
    if corrections:
        assert found.corrections == [Correction(found.corrections[0].printed, states[0])]
    else:
        assert found.corrections == []


@pytest.mark.parametrize(
    ("lead_in", "code"),
    [
        ("The recommendations listed below have been examined by X and enjoy its support:", "supported"),
        ("The recommendations have been examined by and enjoy the support of X:", "supported"),
        ("X accepted the following recommendations:", "supported"),
        ("The following recommendations are accepted by X:", "supported"),
        ("The following recommendations enjoyed its support:", "supported"),
        (
            "X considers that recommendations below are already implemented or in the process of implementation:",
            "supported",
        ),
        ("The following recommendations did not enjoy the support of X and would thus be noted:", "noted"),
        ("The recommendations below do not enjoy its support:", "noted"),
        ("The following recommendations were rejected by X for the following reasons:", "noted"),
        ("X considers that the recommendations below cannot be accepted and will thus be noted:", "noted"),
        ("X did not accept the following recommendations:", "noted"),
        ("The following recommendations were noted by X for further consideration:", "noted"),
        ("The following recommendations will be examined by X, which will provide responses in due time:", "pending"),
        ("X will examine the following recommendations and provide responses in due time:", "pending"),
        ("Responses to the following recommendations will be provided by X in due time:", "pending"),
        ("The response of X to these recommendations will be included in the outcome report.", "pending"),
        ("The recommendations listed below will be further examined by X:", "pending"),
        ("The following recommendations were made to X:", None),
        ("X offered the following comments:", None),
    ],
)
def test_classify_lead_ins(lead_in: str, code: str | None) -> None:
    assert classify(lead_in)[0] == code


def test_a_lead_in_stating_two_positions_is_pending_and_reported() -> None:
    text = HEAD.format(sur="Fiji", heading="II. Conclusions and recommendations").replace(
        "enjoy the support of the State under review:",
        "enjoy the support of Fiji, and those that did not enjoy the support of Fiji were noted:",
    )
    batch = parse_wg_report(text, "two.txt")
    assert {r.response for r in batch.recommendations} == {"pending"}
    assert [p.expected for p in batch.problems if p.column == "paragraph 110"] == [
        "The lead-in states more than one position (enjoy the support; did not enjoy the support; were noted): "
        "these recommendations are read as pending."
    ]

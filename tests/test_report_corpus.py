"""The Working Group report reader on real published reports (skipped when ../shared is absent).

Figures were established from each document itself: the highest item number of every
recommendation paragraph, the positions read from the lead-ins, every disagreement checked by
reading the text. Slovenia's cycle 1, 2 and 4 reports follow the templates of Kazakhstan's.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from etl.model import Batch
from etl.readers.report_text import extract_text
from etl.readers.wg_report import parse_wg_report, read_wg_report
from tests.conftest import real_file
from upr.states import StateIndex

CORPUS = ("corpus", "un-wg-reports")


def _summary(batch: Batch) -> tuple[int, int, dict[str | None, int]]:
    """(recommendations, recommendation–State pairs, count per response)."""
    pairs = sum(len(r.recommending) for r in batch.recommendations)
    return batch.rows_read, pairs, dict(Counter(r.response for r in batch.recommendations))


def _blocks(batch: Batch) -> dict[str, int]:
    return dict(Counter(r.ref.split(".")[0] for r in batch.recommendations))


def _by_ref(batch: Batch) -> dict[str, object]:
    return {r.ref: r for r in batch.recommendations}


def _unresolved(batch: Batch) -> list[str]:
    index = StateIndex.default()
    names = {s for r in batch.recommendations for s in r.recommending} | {batch.document.sur}
    return sorted(n for n in names if index.resolve(n) is None)


# --- Slovenia, cycles 1, 2 and 4 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected", "blocks", "document"),
    [
        (
            "A-HRC-14-15_WG-report_cycle1.pdf",
            (97, 103, {"pending": 97}),
            {"111": 97},
            ("A/HRC/14/15", "Slovenia", 7, 1, date(2010, 2, 16)),
        ),
        (
            "A-HRC-28-15_WG-report_cycle2.pdf",
            (163, 180, {"pending": 163}),
            {"115": 163},
            ("A/HRC/28/15", "Slovenia", 20, 2, date(2014, 11, 4)),
        ),
        (
            "A-HRC-59-15_WG-report_cycle4.pdf",
            (254, 262, {"pending": 254}),
            {"140": 254},
            ("A/HRC/59/15", "Slovenia", 48, 4, date(2025, 1, 28)),
        ),
    ],
)
def test_slovenia_reports(name: str, expected: tuple, blocks: dict, document: tuple) -> None:
    batch = read_wg_report(real_file("slovenia", name))
    assert _summary(batch) == expected
    assert _blocks(batch) == blocks
    doc = batch.document
    assert (doc.symbol, doc.sur, doc.session, doc.cycle, doc.review_date) == document
    assert {r.response_raw for r in batch.recommendations} == {"will be examined by"}
    assert batch.problems == []
    assert _unresolved(batch) == []
    # Every item numbered in sequence under its paragraph.
    number = int(next(iter(blocks)))
    assert [r.ref for r in batch.recommendations] == [f"{number}.{k}" for k in range(1, expected[0] + 1)]


def test_slovenia_cycle1_states_named_inline() -> None:
    batch = read_wg_report(real_file("slovenia", "A-HRC-14-15_WG-report_cycle1.pdf"))
    refs = _by_ref(batch)
    assert refs["111.1"].recommending == ["Algeria", "Egypt", "Bosnia and Herzegovina", "Argentina"]
    assert refs["111.2"].recommending == ["Spain", "Argentina"]


def test_kazakhstan_2014() -> None:
    batch = read_wg_report(real_file("un-wg-reports", "kazakhstan2014.pdf"))
    assert _summary(batch) == (194, 198, {"supported": 143, "noted": 51})
    assert _blocks(batch) == {"124": 47, "125": 96, "126": 51}
    assert batch.problems == []
    assert _unresolved(batch) == []


# --- a handful of the world corpus, chosen to cover the classes of layout -----------------------

# name: ((recommendations, pairs, responses), recommendations per paragraph, State under review,
#        columns of the warnings)
CASES = {
    # "have been examined by Botswana and enjoy its support", "will be further examined",
    # "do not enjoy its support"; footnote marks after ";"
    "botswana2013": (
        (175, 175, {"supported": 93, "pending": 43, "noted": 39}),
        {"115": 93, "116": 43, "117": 39},
        "Botswana",
        [],
    ),
    # "The review of the Federal Republic of Germany"; "Responses … will be provided by Germany"
    "germany2013": ((200, 200, {"pending": 200}), {"124": 200}, "Germany", []),
    # "held at the 13th, meeting"; "cannot be accepted and will thus be noted"
    "ethiopia2014": (
        (252, 261, {"supported": 181, "pending": 18, "noted": 53}),
        {"155": 170, "156": 11, "157": 18, "158": 53},
        "Ethiopia",
        [],
    ),
    # paragraph 92: the State's comments on the four recommendations of paragraph 91
    "tajikistan2011": (
        (128, 144, {"supported": 74, "pending": 50, "noted": 4}),
        {"88": 70, "89": 4, "90": 50, "91": 4},
        "Tajikistan",
        ["paragraph 92"],
    ),
    # "the following recommendations were made to …", the position in the paragraph after the list
    "unitedstatesofamerica2011": ((228, 266, {"pending": 228}), {"92": 228}, "the United States of America", []),
    # paragraphs 84 and 85 without position; paragraph 86 gives it for both
    "sudan2011": ((193, 194, {"pending": 193}), {"83": 160, "84": 29, "85": 4}, "Sudan", []),
    # "120.111." among the 129.x, "131.22." among the 130.x
    "bangladesh2013": (
        (196, 232, {"supported": 164, "pending": 27, "noted": 5}),
        {"129": 164, "130": 27, "131": 5},
        "Bangladesh",
        ["recommendation number", "recommendation number"],
    ),
    # "118.09" between 118.108 and 118.110
    "cambodia2014": (
        (205, 205, {"supported": 171, "pending": 34}),
        {"118": 171, "119": 34},
        "Cambodia",
        ["recommendation number"],
    ),
    # an item printed on the line of the one before: "…(Spain);110.44. Take …"
    "slovakia2014": ((146, 159, {"pending": 146}), {"110": 146}, "Slovakia", []),
    # footnotes numbered on a line of their own, one running on at the foot of the next page
    "jamaica2011": (
        (121, 146, {"supported": 72, "pending": 23, "noted": 26}),
        {"98": 37, "99": 35, "100": 23, "101": 25, "102": 1},
        "Jamaica",
        [],
    ),
    # "(Lichtenstein)", four times
    "czechrepublic2012": (
        (136, 161, {"pending": 136}),
        {"94": 136},
        "the Czech Republic",
        ["recommendation 94.4", "recommendation 94.17", "recommendation 94.86", "recommendation 94.89"],
    ),
    # "(USA)", "(DPRK)", "(Lao‟s People Democratic Republic)"
    "venezuela2011": (
        (148, 148, {"supported": 95, "pending": 15, "noted": 38}),
        {"93": 20, "94": 75, "95": 15, "96": 38},
        "the Bolivarian Republic of Venezuela",
        ["recommendation 94.19"],
    ),
    # the section numbered "III."
    "vietnam2014": ((227, 256, {"pending": 227}), {"143": 227}, "Viet Nam", []),
    # "were rejected by Azerbaijan"
    "azerbaijan2013": ((162, 167, {"pending": 158, "noted": 4}), {"109": 158, "110": 4}, "Azerbaijan", []),
    # "Congo considers that the recommendations below cannot be accepted"
    "congo2013": (
        (171, 174, {"supported": 161, "pending": 7, "noted": 3}),
        {"111": 139, "112": 22, "113": 7, "114": 3},
        "the Congo",
        [],
    ),
    # "Bhutan will examine the following recommendations and provide responses"
    "bhutan2014": ((163, 221, {"supported": 103, "pending": 60}), {"118": 103, "120": 60}, "Bhutan", []),
    # "(Argentina Chile, …)"
    "canada2013": ((162, 211, {"pending": 162}), {"128": 162}, "Canada", []),
    # "(UK)", "(USA)"
    "finland2012": (
        (78, 86, {"supported": 51, "pending": 26, "noted": 1}),
        {"89": 51, "90": 26, "91": 1},
        "Finland",
        [],
    ),
}


@pytest.fixture(scope="module")
def corpus() -> dict[str, Batch]:
    folder = real_file(*CORPUS)
    return {name: read_wg_report(folder / f"{name}.pdf") for name in CASES}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_report(corpus: dict[str, Batch], name: str) -> None:
    summary, blocks, sur, warned = CASES[name]
    batch = corpus[name]
    assert _summary(batch) == summary
    assert _blocks(batch) == blocks
    assert batch.document.sur == sur
    assert [p.column for p in batch.problems] == warned
    assert {p.severity for p in batch.problems} <= {"warning"}
    assert _unresolved(batch) == []
    assert all(r.recommending for r in batch.recommendations)
    for r in batch.recommendations:
        assert not re.search(r"as read|interactive dialogue|A/HRC/\d+/\d+\s*$|GE\.\d\d-", r.text), (r.ref, r.text)


def test_corpus_details(corpus: dict[str, Batch]) -> None:
    bangladesh = _by_ref(corpus["bangladesh2013"])
    assert [bangladesh[ref].recommending for ref in ("129.111", "130.22")] == [["Yemen"], ["Switzerland"]]
    assert _by_ref(corpus["cambodia2014"])["118.109"].recommending == ["Czech Republic"]
    slovakia = _by_ref(corpus["slovakia2014"])
    assert [slovakia[ref].recommending for ref in ("110.43", "110.44")] == [["Spain"], ["Thailand"]]
    assert _by_ref(corpus["canada2013"])["128.3"].recommending[3:5] == ["Argentina", "Chile"]
    assert _by_ref(corpus["czechrepublic2012"])["94.4"].recommending == ["Liechtenstein"]
    venezuela = corpus["venezuela2011"]
    names = Counter(s for r in venezuela.recommendations for s in r.recommending)
    assert (names["USA"], names["DPRK"]) == (6, 3)
    assert _by_ref(venezuela)["94.19"].recommending == ["Lao People's Democratic Republic"]
    # The position stated after the list, and for the paragraphs a later one names.
    assert {r.response_raw for r in corpus["unitedstatesofamerica2011"].recommendations} == {
        "will be included in the outcome report"
    }
    sudan = Counter((r.ref.split(".")[0], r.response) for r in corpus["sudan2011"].recommendations)
    assert sudan == {("83", "pending"): 160, ("84", "pending"): 29, ("85", "pending"): 4}


# --- the whole corpus: no report refused, every block imported whole or reported ----------------

_SECTION_RE = re.compile(r"^\s*(?:[IVX]+\.?\s+)?conclusions\s+and(?:/or)?\s+recommendations\W*$", re.IGNORECASE)


def _printed_blocks(text: str) -> dict[int, int]:
    """For each paragraph N of the recommendations section, the highest item number printed N.k at a line start."""
    lines = text.replace("\f", "\n").splitlines()
    start = next(i for i, line in enumerate(lines) if _SECTION_RE.match(line) and "..." not in line)
    highest: dict[int, int] = {}
    paragraphs: set[int] = set()
    for line in lines[start + 1 :]:
        if re.match(r"^\s*\d{1,3}\.\s+All conclusions|^\s*Annex\b", line):
            break
        if m := re.match(r"^\s*(\d{2,3})\.\s+[A-Z]", line):
            paragraphs.add(int(m.group(1)))
        elif (m := re.match(r"^\s*(\d{2,3})\.(\d{1,3})\.?\s", line)) and int(m.group(1)) in paragraphs:
            highest[int(m.group(1))] = max(highest.get(int(m.group(1)), 0), int(m.group(2)))
    return highest


@pytest.mark.corpus
def test_every_corpus_report() -> None:
    """Every report of the corpus: no error, every paragraph's items as printed, every State resolved.

    Over the whole corpus, so not part of the suite: `pytest -m corpus` (and `python -m benchmarks.corpus`)."""
    folder = real_file(*CORPUS)
    files = sorted(Path(folder).glob("*.pdf"))
    assert len(files) >= 170
    mismatches = []
    for path in files:
        text = extract_text(path)
        batch = parse_wg_report(text, path.name)
        assert batch.errors == [], path.name
        assert batch.rows_read > 0, path.name
        got = Counter(int(r.ref.split(".")[0]) for r in batch.recommendations)
        reported = {p.column for p in batch.problems}
        for paragraph, highest in _printed_blocks(text).items():
            if got[paragraph] != highest and f"paragraph {paragraph}" not in reported:
                mismatches.append((path.name, paragraph, highest, got[paragraph]))
        assert _unresolved(batch) == [], path.name
    assert mismatches == []

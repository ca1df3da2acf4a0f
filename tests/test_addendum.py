"""The addendum (…/Add.1): the State's answers read in every hand-typed form, kept by number, applied
to the recommendations whichever file comes first, and reverted exactly; then the real Slovenian files."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.detect import read_any
from etl.importer import import_file
from etl.messages import full_text
from etl.readers.addendum import READER, cycle_of_council_session, parse_addendum
from etl.readers.base import Probe
from etl.responses import prose_position
from etl.revert import RevertRefused, revert_import
from tests.conftest import real_file
from tests.test_revert import dump
from upr import db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "addendum"
REPORT = FIXTURES / "report_cycle4.txt"  # Uruguay, 98.1–98.24, all "will be examined"
LISTS, BARE, SEMICOLONS = (FIXTURES / f"addendum_{n}.txt" for n in ("lists", "bare", "semicolons"))
UPR_INFO = FIXTURES / "upr_info_uruguay.csv"
CITE = "A/HRC/55/12/Add.1"


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A function that opens a new empty database (several per test, to compare import orders)."""
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    return lambda: db.connect(":memory:")


def answers(path: Path) -> dict[str, tuple]:
    """ref → (response, words, citation, line) as the reader gives them."""
    batch = read_any(path)
    assert batch.format == "addendum" and not batch.errors
    return {r.ref: (r.response, r.response_raw, r.cite, r.line) for r in batch.responses}


def expand(spec: dict[str, tuple], prefix: str = "98.") -> dict[str, tuple]:
    """{"1-3": x} → {"98.1": x, "98.2": x, "98.3": x}."""
    bounds = {key: [int(n) for n in key.split("-")] for key in spec}
    return {f"{prefix}{n}": v for key, v in spec.items() for n in range(bounds[key][0], bounds[key][-1] + 1)}


def state(con: duckdb.DuckDBPyConnection, by_ref: bool = False) -> dict[str, list[tuple]]:
    """Recommendations (response, source, citation), conflicts, sources and answers, without import numbers;
    keyed by paragraph number when `by_ref` (an unnumbered source that came first keeps its own id)."""
    key = "r.ref" if by_ref else "r.id"
    sql = {
        "recommendation": f"SELECT {key}, r.ref, response, response_source, response_cite FROM recommendation r",
        "conflict": f"SELECT {key}, field, kept_value, kept_source, other_value, other_source "
        "FROM conflict c JOIN recommendation r ON r.id = c.rec_id",
        "rec_source": f"SELECT {key}, format, s.ref, s.response, response_raw, s.response_cite, row_number "
        "FROM rec_source s JOIN recommendation r ON r.id = s.rec_id",
        "addendum_answer": f"SELECT a.ref, {key}, a.response, a.cite, a.comment, a.line "
        "FROM addendum_answer a LEFT JOIN recommendation r ON r.id = a.rec_id",
    }
    return {t: sorted(con.execute(q).fetchall(), key=str) for t, q in sql.items()}


def responses(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    sql = "SELECT ref, response, response_source, response_cite FROM recommendation"
    return {ref: tuple(rest) for ref, *rest in con.execute(sql).fetchall()}


# --- recognised from the content ------------------------------------------------------------


def test_recognised_by_content_not_by_name(tmp_path):
    disguised = tmp_path / "report_of_the_working_group.txt"
    shutil.copyfile(LISTS, disguised)
    assert read_any(disguised).format == "addendum"
    assert read_any(REPORT).format == "wg_report"
    for path in (LISTS, BARE, SEMICOLONS, FIXTURES / "addendum_prose.txt"):
        assert READER.accepts(Probe.open(path))
    assert not READER.accepts(Probe.open(REPORT))
    assert not READER.accepts(Probe.open(FIXTURES / "report_cycle1.txt"))
    # The cycle, from the Council session in the symbol (A/HRC/55/12/Add.1: 55, cycle 4).
    sessions = (7, 8, 14, 19, 28, 34, 43, 50, 52, 59)
    assert [cycle_of_council_session(s) for s in sessions] == [None, 1, 1, 1, 2, 2, 3, 3, 4, 4]


def test_docx_addendum(tmp_path):
    from docx import Document

    document = Document()
    for line in LISTS.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "addendum.docx"
    document.save(str(path))
    batch = read_any(path)
    assert batch.format == "addendum"
    assert {r.ref: r.response for r in batch.responses} == {k: v[0] for k, v in answers(LISTS).items()}


# --- the forms of the lists -----------------------------------------------------------------


def test_lists_every_form():
    """Full ids, stray periods, commas and semicolons, `98.4-6`, `98.7– 8`, a range broken across a
    line (98.11–98.12, never 98.1112), a bare number after a full id (`98.13, 14`), and every
    wording of a position."""
    para = {n: f"{CITE}, para. {n}" for n in range(2, 10)}
    assert answers(LISTS) == expand(
        {
            "1-6": ("supported", "accepts", para[2], 23),
            "7-9": ("supported", "accepts", para[2], 24),
            "10-12": ("supported", "accepts", para[2], 25),
            "13-14": ("supported", "already implemented", para[3], 30),
            "22": ("supported", "in the process of implementation", para[4], 31),
            "30": ("supported", "in the process of implementation", para[4], 31),
            "15-18": ("noted", "takes note", para[5], 35),
            "19": ("noted", "does not support", para[6], 41),
            "20": ("noted", "rejects", para[7], 42),
            "21": ("noted", "notes", para[8], 43),
            "23": ("noted", "notes", para[8], 43),
            "24": ("supported_in_part", "supports in part", para[9], 45),
        }
    )


def test_explanations_after_a_list_are_comments_not_answers():
    batch = read_any(LISTS)
    comments = {r.ref: r.comment for r in batch.responses if r.comment}
    assert comments == {
        **expand({"4-6": "A bill on the collection of data on hate crime is before Parliament."}),
        "98.22": "The new equal pay inspectorate starts work next year.",
        # The running head glued to the block's header ("98.15, 16A/HRC/…") is page furniture.
        **expand(
            {
                "15-16": "Detention conditions are reviewed every year by the national preventive mechanism, "
                "which publishes its findings."
            }
        ),
    }
    # The addendum says 15 supported, and its lists name 16: one of them (98.30) is not in the report.
    assert [str(p) for p in batch.problems] == [
        "addendum_lists.txt, column «position»: The addendum says 15 recommendations are «Supported», "
        "its lists give 16. Check the lists."
    ]
    assert full_text(batch.problems[0], "ru") == (
        "addendum_lists.txt, столбец «позиция»: В добавлении сказано: «Поддержана» — 15 рекомендаций, "
        "а в его списках — 16. Проверьте списки."
    )


def test_bare_numbers_follow_the_report_paragraph_the_addendum_names():
    """`1–5, 10–` / `12, 20 – 23` with a note saying the numbers follow paragraph 98 of the report."""
    para = {n: f"{CITE}, para. {n}" for n in (2, 3, 4, 5)}
    assert answers(BARE) == expand(
        {
            "1-5": ("supported", "accepts", para[2], 23),
            "10-12": ("supported", "accepts", para[2], 23),
            "20-23": ("supported", "accepts", para[2], 24),
            "9": ("supported", "accepts", para[3], 26),
            "13-14": ("supported", "accepts", para[3], 26),
            "6-8": ("noted", "notes", para[4], 32),
            "15": ("noted", "notes", para[4], 32),
            "16-19": ("noted", "notes", para[4], 33),
            "24": ("supported_in_part", "partially accepts", para[5], 35),
        }
    )
    comments = {r.ref: r.comment for r in read_any(BARE).responses if r.comment}
    assert comments == {
        "98.9": "We consider that this recommendation is implemented: the shelters opened in 2023.",
        "98.13": "See recommendation 9.",
        **expand({"6-8": "The Government is not planning to ratify the convention at present."}),
    }


def test_semicolons_and_full_ranges():
    """ "The Republic of … noted the following recommendations: 98.2; 98.4; …" and `98.5–98.14`."""
    para = {n: f"{CITE}, para. {n}" for n in (8, 9, 10)}
    assert answers(SEMICOLONS) == expand(
        {
            "1": ("supported", "supported", para[8], 15),
            "3": ("supported", "supported", para[8], 15),
            "5-14": ("supported", "supported", para[8], 16),
            "20-23": ("supported", "supported", para[8], 16),
            "2": ("noted", "noted", para[9], 17),
            "4": ("noted", "noted", para[9], 17),
            "15": ("noted", "noted", para[9], 17),
            "16-19": ("noted", "noted", para[9], 18),
            "24": ("supported_in_part", "partially supported", para[10], 19),
        }
    )


def test_a_number_listed_under_two_positions_is_left_pending():
    text = LISTS.read_text(encoding="utf-8").replace("recommendation 98.20.", "recommendations 98.20 and 98.3.")
    batch = parse_addendum(text, "twice.txt")
    assert {r.ref: r.response for r in batch.responses}["98.3"] is None
    assert (
        "twice.txt, row 42, column «recommendation»: found «98.3»: This recommendation is answered twice, "
        "differently: «Supported» in line 23, «Noted» here. It is left pending."
    ) in [str(p) for p in batch.problems]


# --- replies in prose, item by item (cycle 1) -----------------------------------------------


def test_prose_replies_state_a_position_only_in_so_many_words():
    assert prose_position("Uruguay accepts the recommendation.") == ("supported", "accepts the recommendation")
    assert prose_position("It does not accept this recommendation.") == ("noted", "does not accept this recommendation")
    assert prose_position("Slovenia rejects the recommendation.") == ("noted", "rejects the recommendation")
    assert prose_position("It accepts the recommendation and notes that it acts accordingly.")[0] == "supported"
    assert prose_position("It partially accepts recommendation 4.") == ("supported_in_part", "partially accepts")
    assert prose_position("It accepts the recommendation on A. It cannot accept the recommendation on B.") == (
        "supported_in_part",
        "accepts the recommendation; cannot accept the recommendation",
    )
    for open_reply in (
        "Uruguay cannot, at this point in time, make a definitive statement.",
        "It accepts the recommendation on A, but cannot make a definitive statement on B.",
        "Uruguay agrees with the importance of the programme.",
        "Uruguay supports international efforts in this field.",
    ):
        assert prose_position(open_reply) == (None, None), open_reply


def test_item_by_item_replies(fresh):
    batch = read_any(FIXTURES / "addendum_prose.txt")
    got = {r.ref: (r.response, r.cite, r.line) for r in batch.responses}
    cite = "A/HRC/13/9/Add.1, para. "
    # "2., 3.," then "4., 5. was given …" on the next line: one reply to four recommendations.
    assert got == {
        "1": ("supported", cite + "1", 22),
        **{str(n): ("supported", cite + str(n), 24) for n in (2, 3, 4, 5)},
        "6": (None, cite + "6", 26),
        "7": ("supported_in_part", cite + "7", 28),
        "8": ("noted", cite + "8", 31),
        "9": (None, cite + "9", 32),
    }
    assert {r.ref: r.comment for r in batch.responses}["4"] == (
        "Uruguay accepts these recommendations and notes that the institution was given new powers and staff in 2009."
    )
    assert [str(p) for p in batch.problems] == [
        "addendum_prose.txt, column «position»: found «6, 9»: 2 replies do not state a position plainly "
        "(«accepts», «supports», «does not accept», «rejects»): they stay pending."
    ]
    # Loaded: numbered within the report's only paragraph (90), every reply kept as the State's comment.
    con = fresh()
    import_file(con, FIXTURES / "report_cycle1.txt")
    report = import_file(con, FIXTURES / "addendum_prose.txt")
    assert (report.updated, report.unchanged, report.errors) == (9, 0, [])
    assert {k: v[0] for k, v in responses(con).items()} == {
        **{f"90.{n}": "supported" for n in (1, 2, 3, 4, 5)},
        "90.6": "pending",
        "90.7": "supported_in_part",
        "90.8": "noted",
        "90.9": "pending",
        "90.10": "pending",
    }
    kept = con.execute(
        "SELECT r.ref, a.comment FROM addendum_answer a JOIN recommendation r ON r.id = a.rec_id ORDER BY a.id"
    ).fetchall()
    assert [ref for ref, _ in kept] == [f"90.{n}" for n in range(1, 10)]
    assert kept[8] == ("90.9", "Uruguay welcomes the recommendation and will continue the programme.")


def test_bare_numbers_when_the_report_has_several_paragraphs_are_reported_not_guessed(fresh, tmp_path):
    two = tmp_path / "report.txt"
    two.write_text(
        (FIXTURES / "report_cycle1.txt")
        .read_text(encoding="utf-8")
        .replace("10. To close the gender pay gap (Iceland).", "")
        .replace(
            "9. To continue", "91. The following recommendations did not enjoy the support of Uruguay:\n1. To continue"
        )
        .replace("91. All conclusions", "92. All conclusions"),
        encoding="utf-8",
    )
    con = fresh()
    assert import_file(con, two).added == 9
    report = import_file(con, FIXTURES / "addendum_prose.txt")
    assert report.updated == 0
    assert con.execute("SELECT count(*) FROM addendum_answer WHERE rec_id IS NOT NULL").fetchall() == [(0,)]
    assert str(report.warnings[1]) == (
        "addendum_prose.txt, row 22, column «recommendation»: found «1»: The addendum names recommendation 1 "
        "without saying which of the report's paragraphs (90, 91) it belongs to: the answer is not applied."
    )
    assert len(report.warnings) == 1 + 9


# --- loading --------------------------------------------------------------------------------


def test_report_then_addendum(fresh):
    con = fresh()
    import_file(con, REPORT)
    report = import_file(con, LISTS)
    assert (report.format, report.rows_read, report.updated, report.unchanged, report.conflicts) == (
        "addendum", 25, 24, 0, 0,
    )  # fmt: skip
    assert str(report.warnings[-1]) == (
        "addendum_lists.txt, row 31, column «recommendation»: found «98.30»: The report of this review has no "
        "recommendation numbered 98.30: the answer is not applied."
    )
    assert full_text(report.warnings[-1], "kk") == (
        "addendum_lists.txt, 31-жол, «ұсыныс» бағаны: табылғаны «98.30»: Бұл шолудың баяндамасында 98.30 нөмірлі "
        "ұсыныс жоқ: жауап қолданылмады."
    )
    got = responses(con)
    assert got["98.1"] == ("supported", "addendum", f"{CITE}, para. 2")
    assert got["98.19"] == ("noted", "addendum", f"{CITE}, para. 6")
    assert got["98.24"] == ("supported_in_part", "addendum", f"{CITE}, para. 9")
    assert [v[0] for v in got.values()].count("supported") == 15
    assert [v[0] for v in got.values()].count("noted") == 8
    assert con.execute(
        "SELECT format, ref, response, response_raw, response_cite, row_number FROM rec_source "
        "WHERE rec_id = 'URY-4-98.12' ORDER BY format"
    ).fetchall() == [
        ("addendum", "98.12", "supported", "accepts", f"{CITE}, para. 2", 25),
        ("wg_report", "98.12", "pending", "will be examined by", None, 12),
    ]
    assert con.execute("SELECT symbol, kind FROM document ORDER BY id").fetchall() == [
        ("A/HRC/55/12", "wg_report"),
        (CITE, "addendum"),
    ]


@pytest.mark.parametrize("addendum", [LISTS, BARE, SEMICOLONS], ids=lambda p: p.stem)
def test_either_order_gives_the_same_database(fresh, addendum):
    first = fresh()
    import_file(first, REPORT)
    import_file(first, addendum)
    second = fresh()
    waiting = import_file(second, addendum)
    assert str(waiting.warnings[-1]).startswith(
        f"{addendum.name}, column «recommendation»: {len(read_any(addendum).responses)} answers wait for the "
        "report of the cycle 4 review of Uruguay (A/HRC/55/12): they apply when it is imported."
    )
    assert second.execute("SELECT count(*) FROM recommendation").fetchall() == [(0,)]
    late = import_file(second, REPORT)
    assert state(first) == state(second)
    # 98.30 is not in the report: the report's import, the first that can tell, says so.
    unknown = [str(p) for p in late.warnings if "98.30" in str(p)]
    assert unknown == (
        [
            "addendum_lists.txt, row 31, column «recommendation»: found «98.30»: The report of this review has no "
            "recommendation numbered 98.30: the answer is not applied."
        ]
        if addendum == LISTS
        else []
    )


def test_conflicts_are_recorded_once_in_any_order(fresh, tmp_path):
    """The report itself supports every recommendation here; the addendum notes nine of them."""
    supporting = tmp_path / "report_supported.txt"
    supporting.write_text(
        REPORT.read_text(encoding="utf-8").replace(
            "will be examined by Uruguay, which will provide\nresponses in due time, but no later than the "
            "fifty-fifth session of the Human Rights Council:",
            "enjoy the support of Uruguay:",
        ),
        encoding="utf-8",
    )
    results = []
    for order in ((supporting, LISTS), (LISTS, supporting)):
        con = fresh()
        for path in order:
            import_file(con, path)
        copy = tmp_path / "again.txt"
        copy.write_text(LISTS.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        again = import_file(con, copy)  # the same addendum again, in a file of other bytes
        assert (again.updated, again.unchanged, again.conflicts) == (0, 25, 0)
        results.append(state(con))
    assert results[0] == results[1]
    assert [c[1:] for c in results[0]["conflict"]] == [
        ("response", "noted", "addendum", "supported", "wg_report")
    ] * 8 + [("response", "supported_in_part", "addendum", "supported", "wg_report")]


def test_any_order_with_another_source(fresh):
    """Report, addendum and a UPR Info export, in all six orders: one answer, one citation, the same
    conflicts (98.19 and 98.24, where UPR Info's answer differs from the State's)."""
    states = []
    for order in itertools.permutations((REPORT, LISTS, UPR_INFO)):
        con = fresh()
        for path in order:
            assert not import_file(con, path).errors
        states.append(state(con, by_ref=True))
    assert all(s == states[0] for s in states[1:])
    assert [c[1:] for c in states[0]["conflict"]] == [
        ("response", "noted", "addendum", "supported", "upr_info"),
        ("response", "supported_in_part", "addendum", "noted", "upr_info"),
    ]
    recs = {r[0]: r[2:] for r in states[0]["recommendation"]}
    assert recs["98.1"] == ("supported", "addendum", f"{CITE}, para. 2")
    assert recs["98.19"] == ("noted", "addendum", f"{CITE}, para. 6")


# --- revert -----------------------------------------------------------------------------------


def test_revert_the_addendum_restores_the_report_alone(fresh):
    con = fresh()
    import_file(con, REPORT)
    before = dump(con)
    added = import_file(con, LISTS)
    report = revert_import(con, added.import_id, who="admin")
    assert report.deleted == {"rec_source": 24, "rec_change": 24, "document": 1, "addendum_answer": 25}
    assert report.restored == {"response": 24}
    assert dump(con) == before
    assert import_file(con, LISTS).updated == 24  # and it can come back


def test_revert_when_the_addendum_came_first(fresh):
    con = fresh()
    added = import_file(con, LISTS)
    only_addendum = dump(con)
    report = import_file(con, REPORT)
    revert_import(con, report.import_id, who="admin")
    assert dump(con) == only_addendum  # its answers wait again
    report = import_file(con, REPORT)
    revert_import(con, added.import_id, who="admin")
    alone = fresh()
    import_file(alone, REPORT)
    assert state(con) == state(alone)
    assert con.execute("SELECT count(*) FROM rec_change").fetchall() == [(0,)]


def test_revert_is_refused_while_a_later_import_builds_on_the_answers(fresh):
    con = fresh()
    first = import_file(con, REPORT)
    added = import_file(con, LISTS)
    with pytest.raises(RevertRefused) as refused:
        revert_import(con, first.import_id, who="admin")
    assert refused.value.blocking_import == added.import_id
    later = import_file(con, UPR_INFO)
    with pytest.raises(RevertRefused) as refused:
        revert_import(con, added.import_id, who="admin")
    assert refused.value.blocking_import == later.import_id
    revert_import(con, later.import_id, who="admin")
    revert_import(con, added.import_id, who="admin")
    assert {v[0] for v in responses(con).values()} == {"pending"}


# --- the real Slovenian files -----------------------------------------------------------------

SLOVENIA = {
    4: ("A-HRC-59-15_WG-report_cycle4.pdf", "A-HRC-59-15-Add.1_cycle4.pdf", (254, 217, 37, 0, 0)),
    2: ("A-HRC-28-15_WG-report_cycle2.pdf", "A-HRC-28-15-Add.1_cycle2.pdf", (163, 142, 21, 0, 0)),
    1: ("A-HRC-14-15_WG-report_cycle1.pdf", "A-HRC-14-15-Add.1_cycle1.pdf", (97, 89, 3, 2, 3)),
}


def figures(con: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    """(recommendations, supported, noted, supported in part, pending)."""
    return con.execute(
        "SELECT count(*), count(*) FILTER (response = 'supported'), count(*) FILTER (response = 'noted'), "
        "count(*) FILTER (response = 'supported_in_part'), count(*) FILTER (response = 'pending') "
        "FROM recommendation WHERE merged_into IS NULL"
    ).fetchall()[0]


@pytest.mark.parametrize("cycle", [4, 2, 1])
def test_real_slovenia_pairs_in_both_orders(fresh, cycle):
    report_name, addendum_name, expected = SLOVENIA[cycle]
    report, addendum = real_file("slovenia", report_name), real_file("slovenia", addendum_name)
    assert READER.accepts(Probe.open(addendum)) and not READER.accepts(Probe.open(report))
    states = []
    for order in ((report, addendum), (addendum, report)):
        con = fresh()
        for path in order:
            assert not import_file(con, path).errors
        assert figures(con) == expected
        states.append(state(con))
    assert states[0] == states[1]
    assert states[0]["conflict"] == []


def test_real_slovenia_cycle1_replies(fresh):
    con = fresh()
    import_file(con, real_file("slovenia", SLOVENIA[1][0]))
    report = import_file(con, real_file("slovenia", SLOVENIA[1][1]))
    assert (report.warnings[0].code, report.warnings[0].value) == ("addendum_unclear_replies", "1, 3, 15")
    got = responses(con)
    cite = "A/HRC/14/15/Add.1, para. "
    # "cannot, at this point in time, make a definitive statement"; one of two conventions accepted, the
    # other undecided; "agrees with the importance of": no position stated, none guessed.
    assert {ref for ref, v in got.items() if v[0] == "pending"} == {"111.1", "111.3", "111.15"}
    assert got["111.2"] == ("supported", "addendum", cite + "2")
    assert got["111.32"] == ("supported_in_part", "addendum", cite + "32")  # accepts two parts, not the law
    assert got["111.58"] == ("supported_in_part", "addendum", cite + "58")  # legal aid yes, family courts no
    assert {ref for ref, v in got.items() if v[0] == "noted"} == {"111.84", "111.88", "111.93"}
    kept = con.execute(
        "SELECT count(*), count(comment), min(length(comment)) FROM addendum_answer WHERE rec_id IS NOT NULL"
    ).fetchall()
    assert kept == [(97, 97, 36)]  # the shortest: «Slovenia accepts the recommendation.»


def test_real_reports_are_not_taken_for_addenda():
    for name in ("kazakhstan2014.pdf", "uzbekistan2013.pdf", "slovenia2014.pdf"):
        assert not READER.accepts(Probe.open(real_file("un-wg-reports", name)))
    for path in sorted(real_file("corpus", "un-wg-reports").glob("*.pdf"))[:12]:
        assert not READER.accepts(Probe.open(path)), path.name

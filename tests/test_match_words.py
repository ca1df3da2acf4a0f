"""UPR Info's recommendations joined to the report item they are a reworded piece of, by their words
and States, whatever the order of the files; and the near misses that must stay apart. Small files of
our own making, the patterns found in the real corpus in texts written for these tests."""

from __future__ import annotations

import itertools

import pytest

from etl.fingerprint import differing_reviews, review_fingerprints
from etl.importer import import_file
from etl.reconcile_match import ItemIndex, item_keys
from etl.revert import revert_import
from tests.test_order_reconcile import EXAMINED, HEAD, imported, write_upr_info
from tests.test_revert import dump
from upr import db
from upr.queries import review_summary

END = """125. All conclusions and/or recommendations contained in the present report reflect the position of the
submitting State(s) and/or the State under review.
"""
ITEMS = """124.1 Move quickly to ratify the CRPD together with its Optional Protocol (France) (Australia);
124.2 Become a party to the OP-CRPD (Iran (Islamic Republic of));
124.3 Join the CED as well as ILO Conventions Nos. 87 and 98 (Iraq);
124.4 Consider ratifying the ICRMW and ILO Convention 190 (Belarus);
124.5 Promptly ratify CED (Ecuador);
124.6 Promptly ratify OP-CRPD and OP-CEDAW (Ecuador);
124.7 Accede to ICRMW (Senegal);
124.8 Accede to ICRMW and to the OP-CRC-IC (Ghana);
124.9 Ratify ICCPR and CAT promptly (Spain);
124.10 Promptly ratify CAT and CED (Spain).
"""
UPR_ROWS = [
    # 124.1, split by UPR Info and answered apart: its first piece stands in the item word for word, the
    # second only by its words.
    ("Move quickly to ratify the CRPD", "France", "Accepted", "4", "Disabilities"),
    ("Move quickly to ratify the CRPD", "Australia", "Accepted", "4", "Disabilities"),
    ("Move quickly to the Optional Protocol of the CRPD", "France", "Noted", "4", "Disabilities"),
    ("Move quickly to the Optional Protocol of the CRPD", "Australia", "Noted", "4", "Disabilities"),
    # 124.3: "Conventions Nos." read as "Convention No."
    ("Join ILO Convention No. 98", "Iraq", "Accepted", "5", "Labour"),
    ("Join the CED and ILO Convention No. 87", "Iraq", "Noted", "5", "International instruments"),
    # 124.4: "ratify" found by the stem of "ratifying" only.
    ("Ratify ILO Convention 190", "Belarus", "Noted", "5", "Labour"),
    # 124.5 nearly (ratio 88) but without OP-CEDAW, which 124.6 has: a part of 124.6.
    ("Promptly ratify OP-CEDAW", "Ecuador", "Accepted", "5", "Women's rights"),
    # One text of Senegal and Ghana: Senegal's item is that text, Ghana's holds it with more.
    ("Accede to ICRMW", "Senegal", "Noted", "5", "Migrants"),
    ("Accede to ICRMW", "Ghana", "Noted", "5", "Migrants"),
    ("Accede to the OP-CRC-IC", "Ghana", "Accepted", "5", "Rights of the Child"),
    # Near misses, each left apart: its words are in two items of Spain (124.9, 124.10); in an item of
    # other States only (124.1 is France's and Australia's, not Chile's); nearly the text (ratio 94.5)
    # of another State's item (124.2 is Iran's, and of the OP-CRPD).
    ("Ratify CAT promptly", "Spain", "Accepted", "5", "Torture and other CID treatment"),
    ("Quickly ratify the Optional Protocol of the CRPD", "Chile", "Noted", "4", "Disabilities"),
    ("Become a party to the CRPD", "Peru", "Accepted", "4", "Disabilities"),
]


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    report = tmp_path / "report.txt"
    report.write_text(HEAD + EXAMINED + ITEMS + END, encoding="utf-8")
    return {"report": report, "upr": write_upr_info(tmp_path / "upr_info.csv", UPR_ROWS)}


def _items(con) -> dict[str, tuple]:
    return dict(
        con.execute("SELECT ref, (response, response_source) FROM recommendation WHERE ref IS NOT NULL").fetchall()
    )


def _parts(con) -> dict[str, str | None]:
    """Each of UPR Info's recommendations kept as such, by text: the item it is a part of (None: apart)."""
    rows = con.execute(
        "SELECT t.text, r.merged_into, (SELECT list(iso3 ORDER BY iso3) FROM rec_state WHERE rec_id = r.id) "
        "FROM recommendation r JOIN rec_text t ON t.rec_id = r.id AND t.is_original WHERE r.ref IS NULL"
    ).fetchall()
    return {f"{text} {'/'.join(states)}": into and into.removeprefix("KAZ-2-") for text, into, states in rows}


@pytest.mark.parametrize("order", [("report", "upr"), ("upr", "report")])
def test_reworded_pieces_join_their_item_in_either_order(files, order):
    con = imported([files[k] for k in order])
    items = _items(con)
    # 124.1: UPR Info's two pieces answered apart: supported in part. 124.2 (Iran) took nothing.
    assert items["124.1"] == ("supported_in_part", "upr_info")
    assert items["124.2"] == ("pending", "wg_report")
    assert items["124.3"] == ("supported_in_part", "upr_info")
    assert items["124.4"] == ("noted", "upr_info")  # its one known piece: the ICRMW's is not in UPR Info
    assert items["124.5"] == ("pending", "wg_report")
    assert items["124.6"] == ("supported", "upr_info")
    # "Accede to ICRMW" of Senegal and Ghana went into both their items; Ghana's OP-CRC-IC is a part of 124.8.
    assert items["124.7"] == ("noted", "upr_info")
    assert items["124.8"] == ("supported_in_part", "upr_info")
    assert items["124.9"] == items["124.10"] == ("pending", "wg_report")
    assert _parts(con) == {
        "Move quickly to ratify the CRPD AUS/FRA": "124.1",
        "Move quickly to the Optional Protocol of the CRPD AUS/FRA": "124.1",
        "Join ILO Convention No. 98 IRQ": "124.3",
        "Join the CED and ILO Convention No. 87 IRQ": "124.3",
        "Ratify ILO Convention 190 BLR": "124.4",
        "Promptly ratify OP-CEDAW ECU": "124.6",
        "Accede to the OP-CRC-IC GHA": "124.8",
        "Ratify CAT promptly ESP": None,
        "Quickly ratify the Optional Protocol of the CRPD CHL": None,
        "Become a party to the CRPD PER": None,
    }
    (kaz,) = review_summary(con)
    assert kaz["recommendations"] == 10 + 3  # the items and the three left apart
    # Every answer of 124.1's parts is listed against the one in force.
    conflicts = con.execute(
        "SELECT kept_value, other_value FROM conflict WHERE rec_id = 'KAZ-2-124.1' ORDER BY ALL"
    ).fetchall()
    assert conflicts == [("supported_in_part", "noted"), ("supported_in_part", "supported")]


def test_the_same_database_in_either_order_and_each_import_reverts(files):
    prints = []
    for order in itertools.permutations(["report", "upr"]):
        con = db.connect(":memory:")
        states, ids = [], []
        for key in order:
            states.append(dump(con))
            ids.append(import_file(con, files[key]).import_id)
        prints.append(review_fingerprints(con))
        for import_id, state in zip(reversed(ids), reversed(states)):
            revert_import(con, import_id, "admin")
            assert dump(con) == state
    assert differing_reviews(*prints) == []


def _index(*items: tuple[str, str, str]) -> ItemIndex:
    return ItemIndex([item_keys(text, [label], frozenset({iso3})) for text, label, iso3 in items])


def test_the_first_level_that_finds_any_decides():
    """Whole words first: "Ratify CAT" is in the Maldives' "Ratify ICERD, CAT and the CRPD", not in its
    "Study ratifying CAT", which holds it only by the stem of "ratifying"."""
    index = _index(("Ratify ICERD, CAT and the CRPD", "Maldives", "MDV"), ("Study ratifying CAT", "Maldives", "MDV"))
    match = index.match("ratify cat", frozenset({"MDV"}))
    assert (match.kind, match.targets) == ("part", (0,))
    # Only by stems ("ratif"), and in both: neither.
    assert index.match("ratification cat", frozenset({"MDV"})) is None


def test_by_its_words_a_part_joins_only_items_naming_all_its_states():
    """By its words, a text of France and Australia joins an item naming both, or one item of each; not
    France's alone."""
    index = _index(("Ratify without delay the CRPD and its Optional Protocol", "France", "FRA"))
    key = "ratify crpd optional protocol"
    assert index.match(key, frozenset({"FRA"})).targets == (0,)
    assert index.match(key, frozenset({"FRA", "AUS"})) is None
    index = _index(
        ("Ratify without delay the CRPD and its Optional Protocol", "France", "FRA"),
        ("Ratify the Optional Protocol to the CRPD and the OP-CAT", "Australia", "AUS"),
    )
    match = index.match(key, frozenset({"FRA", "AUS"}))
    assert (match.kind, match.targets) == ("same", (0, 1))

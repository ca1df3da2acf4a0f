"""The deck stays: the session keeps the chosen slides and their order apart from the page's widgets,
takes them from the link only on the first visit, and the address is told what to carry."""

from __future__ import annotations

from upr import deck_state
from upr.deck_state import INDEX_KEY, KEPT_SLIDES, SLIDE_KEYS, Deck
from upr.filters import Filters


def test_first_visit_takes_the_deck_from_the_link():
    state: dict = {}
    chosen, index = deck_state.session_deck(state, {"slides": "themes,cycles,status", "slide": "2"}, "KAZ")
    assert (chosen, index) == (["themes", "cycles", "status"], 1)
    assert state == {KEPT_SLIDES: ["themes", "cycles", "status"], INDEX_KEY: 1}


def test_first_visit_without_a_link_offers_every_slide():
    state: dict = {}
    assert deck_state.session_deck(state, {}, "KAZ") == (list(SLIDE_KEYS), 0)


def test_the_deck_outlives_the_page_switch():
    """Choose, leave (Streamlit drops the multiselect's own key and the address loses the deck),
    come back: the deck is as left, whatever the address says now."""
    state: dict = {}
    deck_state.session_deck(state, {}, "KAZ")
    state["present_slides"] = ["states", "themes"]  # the multiselect's value after the user's choice
    deck_state.choose_slides(state, state["present_slides"])
    state[INDEX_KEY] = 1
    del state["present_slides"]  # another page ran: the widget's state is gone
    for query in ({}, {"themes": "torture"}, {"slides": "cycles", "slide": "1"}):
        assert deck_state.session_deck(state, query, "KAZ") == (["states", "themes"], 1)


def test_choosing_keeps_the_current_slide_when_it_stays():
    state = {KEPT_SLIDES: ["cycles", "themes", "status"], INDEX_KEY: 1}  # showing "themes"
    deck_state.choose_slides(state, ["status", "themes"])
    assert state == {KEPT_SLIDES: ["status", "themes"], INDEX_KEY: 1}
    deck_state.choose_slides(state, ["cycles", "map", "cycles"])  # "themes" dropped; unknown and repeats too
    assert state == {KEPT_SLIDES: ["cycles"], INDEX_KEY: 0}
    deck_state.choose_slides(state, [])
    assert deck_state.session_deck(state, {"slides": "themes"}, "KAZ") == ([], 0)


def test_index_is_clamped_to_the_deck():
    state = {KEPT_SLIDES: ["cycles", "themes"], INDEX_KEY: 7}
    assert deck_state.session_deck(state, {}, "KAZ") == (["cycles", "themes"], 1)
    assert state[INDEX_KEY] == 1


def test_query_changes_put_the_deck_in_the_address():
    deck = Deck(("states", "themes"), 1, "en", Filters(cycles=(4,)), show=False)
    put, drop = deck_state.query_changes({"lang": "en", "cycles": "4", "show": "1"}, deck)
    assert put == {"slides": "states,themes", "slide": "2"}  # lang and filters are the shell's
    assert drop == ["show"]
    same = deck.to_query()
    assert deck_state.query_changes(same, deck) == ({}, [])
    put, drop = deck_state.query_changes(same, Deck(("states", "themes"), 1, "en", Filters(cycles=(4,)), show=True))
    assert (put, drop) == ({"show": "1"}, [])

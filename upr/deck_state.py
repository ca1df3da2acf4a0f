"""The deck a presenter has chosen: which slides, in which order, and the current one.

It lives in the session (kept apart from the page's widgets, whose state Streamlit drops when
another page is shown) and in the address: `Deck` is what a link carries, `session_deck` and
`choose_slides` keep it in a session's state, `query_changes` says what the address must
change to carry it. Pure functions over mappings, so they are tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from upr.filters import Filters
from upr.i18n import DEFAULT_LANG, LANGS

SLIDE_KEYS: tuple[str, ...] = ("cycles", "supported", "themes", "status", "states", "recurring")
DECK_KEYS = ("slides", "slide", "lang", "show")  # URL parameters of the deck (the rest are filters)
KEPT_SLIDES = "present_deck"  # the chosen slides, in order (a plain key: it outlives the page's widgets)
INDEX_KEY = "present_index"  # the current slide, 0-based

__all__ = [
    "DECK_KEYS",
    "INDEX_KEY",
    "KEPT_SLIDES",
    "SLIDE_KEYS",
    "Deck",
    "choose_slides",
    "deck_link",
    "query_changes",
    "session_deck",
]


@dataclass(frozen=True)
class Deck:
    """What a link to the deck carries: the slides in order, the current one, the language, the filters."""

    slides: tuple[str, ...] = SLIDE_KEYS
    current: int = 0  # index into slides
    lang: str = DEFAULT_LANG
    filters: Filters = field(default_factory=Filters)
    show: bool = False  # open in the presenter view

    def to_query(self) -> dict[str, str]:
        """URL query parameters: slides (comma-joined), slide (1-based), lang, show, and the filters."""
        out = {"slides": ",".join(self.slides), "slide": str(self.current + 1), "lang": self.lang}
        if self.show:
            out["show"] = "1"
        return out | self.filters.to_query()

    @classmethod
    def from_query(cls, query: Mapping[str, str], default_sur: str = "KAZ") -> Deck:
        """The deck a link describes; unknown slides are dropped, the slide number is clamped."""
        wanted = [s for s in str(query.get("slides", "")).split(",") if s in SLIDE_KEYS]
        slides = tuple(dict.fromkeys(wanted)) or SLIDE_KEYS
        number = str(query.get("slide", "1"))
        current = min(max(int(number) - 1, 0), len(slides) - 1) if number.isdigit() else 0
        lang = str(query.get("lang", DEFAULT_LANG))
        rest = {k: str(v) for k, v in query.items() if k not in DECK_KEYS}
        return cls(
            slides=slides,
            current=current,
            lang=lang if lang in LANGS else DEFAULT_LANG,
            filters=Filters.from_query(rest, default_sur),
            show=str(query.get("show", "")) in ("1", "true"),
        )


def deck_link(base_url: str, deck: Deck) -> str:
    """The address that reopens `deck`: `base_url` is the presentation page's URL without a query."""
    return f"{base_url}?{urlencode(deck.to_query(), safe=',')}"


def session_deck(state: MutableMapping[str, Any], query: Mapping[str, str], default_sur: str) -> tuple[list[str], int]:
    """The session's chosen slides and current slide (clamped), taken from the link on the first visit.

    Once chosen, the deck stays in `state` whatever the address says after a page switch.
    """
    if KEPT_SLIDES not in state:
        deck = Deck.from_query(query, default_sur)
        state[KEPT_SLIDES] = list(deck.slides)
        state[INDEX_KEY] = deck.current
    chosen = [k for k in dict.fromkeys(state[KEPT_SLIDES]) if k in SLIDE_KEYS]
    state[KEPT_SLIDES] = chosen
    index = min(max(int(state.get(INDEX_KEY, 0) or 0), 0), max(len(chosen) - 1, 0))
    state[INDEX_KEY] = index
    return chosen, index


def choose_slides(state: MutableMapping[str, Any], slides: list[str] | tuple[str, ...]) -> None:
    """The presenter picked `slides` (in order): keep them, and keep the current slide if it is still there."""
    before = list(state.get(KEPT_SLIDES, []))
    index = int(state.get(INDEX_KEY, 0) or 0)
    current = before[index] if 0 <= index < len(before) else None
    chosen = [k for k in dict.fromkeys(slides) if k in SLIDE_KEYS]
    state[KEPT_SLIDES] = chosen
    state[INDEX_KEY] = chosen.index(current) if current in chosen else 0


def query_changes(query: Mapping[str, str], deck: Deck) -> tuple[dict[str, str], list[str]]:
    """What the address must set and drop to carry `deck`'s slides, current slide and view.

    The language and the filters are left to the app's shell, which keeps them on every page.
    """
    wanted = deck.to_query()
    names = [n for n in DECK_KEYS if n != "lang"]
    put = {n: wanted[n] for n in names if n in wanted and query.get(n) != wanted[n]}
    drop = [n for n in names if n not in wanted and n in query]
    return put, drop

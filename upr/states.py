"""The States reference table: UN member and observer States, their names, and a name resolver.

`data/states.csv` holds one row per State (193 members, plus the Holy See and the State of
Palestine as observers) with the UN short name in English and Russian, the Kazakh name, the UN
regional group and the UN status. `data/state_aliases.csv` maps other spellings met in real
sources (old UN names, UPR Info's export, common Russian and Kazakh names) to an ISO3 code.

Kazakh names marked in data/REVIEW_KK.md await a native speaker's review.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from upr.vocab import REGIONAL_GROUPS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STATES_CSV = DATA_DIR / "states.csv"
ALIASES_CSV = DATA_DIR / "state_aliases.csv"

STATES_HEADER = (
    "iso3",
    "iso2",
    "name_en",
    "name_ru",
    "name_kk",
    "regional_group",
    "un_status",
)
ALIASES_HEADER = ("alias", "iso3")
REGIONAL_GROUP_CODES = tuple(t.code for t in REGIONAL_GROUPS)
UN_STATUSES = ("member", "observer")
LANGS = ("en", "ru", "kk")

_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u02bc\u02b9\u00b4\u0060\u2032"), "'")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"), "-")
# Stripped from both ends: list separators and quotes that cling to names cut out of running text.
_EDGE_PUNCTUATION = " \t\n.,;:!?*\"'«»\u201c\u201d\u201e"
# Russian and Kazakh keep й as a letter of its own; NFD would reduce it to и.
_KEEP_COMPOSED = frozenset("йЙ")


def _strip_marks(text: str) -> str:
    out = []
    for char in text:
        if char in _KEEP_COMPOSED:
            out.append(char)
            continue
        out.extend(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return "".join(out)


def _wrapped_in_parentheses(text: str) -> bool:
    """True when the opening parenthesis at the start closes at the very end: "(Mexico)"."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i == len(text) - 1
    return False


def normalise_name(name: str) -> str:
    """A matching key for a State name: the same for spellings that differ only in form.

    Casefolds, drops diacritics (Côte → cote, Türkiye → turkiye, ё → е, but keeps й), makes all
    apostrophes ' and all dashes -, removes spaces around dashes, collapses whitespace, strips
    surrounding punctuation and enclosing parentheses, and drops a leading "the ". Only for
    matching: never show the result.
    """
    text = unicodedata.normalize("NFKC", name)
    text = text.translate(_APOSTROPHES).translate(_DASHES)
    text = _strip_marks(text).casefold()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ?- ?", "-", text)
    while True:
        stripped = text.strip(_EDGE_PUNCTUATION)
        if _wrapped_in_parentheses(stripped):
            stripped = stripped[1:-1]
        stripped = stripped.removeprefix("the ")
        if stripped == text:
            return text
        text = stripped


@dataclass(frozen=True)
class State:
    """One UN member or observer State, as in data/states.csv."""

    iso3: str
    iso2: str
    name_en: str
    name_ru: str
    name_kk: str
    regional_group: str | None
    un_status: str

    def name(self, lang: str) -> str:
        """The State's name in `lang` ("en", "ru" or "kk"); English for any other language."""
        return getattr(self, f"name_{lang if lang in LANGS else 'en'}")


def load_states(path: Path = STATES_CSV) -> list[State]:
    """Read the States table (data/states.csv by default), in file order."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            State(
                iso3=row["iso3"],
                iso2=row["iso2"],
                name_en=row["name_en"],
                name_ru=row["name_ru"],
                name_kk=row["name_kk"],
                regional_group=row["regional_group"] or None,
                un_status=row["un_status"],
            )
            for row in csv.DictReader(f)
        ]


def load_aliases(path: Path = ALIASES_CSV) -> list[tuple[str, str]]:
    """Read the alias table (data/state_aliases.csv by default) as (alias, iso3) pairs."""
    with path.open(encoding="utf-8", newline="") as f:
        return [(row["alias"], row["iso3"]) for row in csv.DictReader(f)]


class StateIndex:
    """Looks States up by ISO3 code, by name in any UI language, or by a known alias."""

    def __init__(self, states: list[State], aliases: list[tuple[str, str]]) -> None:
        """Index `states` and `aliases`; ValueError if two States would share a matching key.

        A shared key would make resolve() answer one State where the text meant another, so a
        clash in the data is refused here rather than resolved silently.
        """
        self.states = states
        self._by_iso3 = {s.iso3: s for s in states}
        self._keys: dict[str, str] = {}
        for s in states:
            for word in (s.iso3, s.name_en, s.name_ru, s.name_kk):
                self._add(word, s.iso3)
        for alias, iso3 in aliases:
            if iso3 not in self._by_iso3:
                raise ValueError(f"alias {alias!r} points to unknown ISO3 {iso3!r}")
            self._add(alias, iso3)

    def _add(self, word: str, iso3: str) -> None:
        key = normalise_name(word)
        if not key:
            raise ValueError(f"empty name for {iso3}")
        if self._keys.setdefault(key, iso3) != iso3:
            raise ValueError(f"{word!r} matches both {self._keys[key]} and {iso3}")

    @classmethod
    def default(cls) -> StateIndex:
        """The index over the shipped data files, built once per process."""
        return _default_index()

    def resolve(self, name: str | None) -> str | None:
        """The ISO3 code of the State `name` denotes, or None when it is not recognised."""
        if not name:
            return None
        return self._keys.get(normalise_name(name))

    def keys(self) -> dict[str, str]:
        """Every matching key (a normalise_name() form of a name or alias) and the ISO3 code it denotes."""
        return dict(self._keys)

    def get(self, iso3: str) -> State:
        """The State with code `iso3` (case-insensitive); KeyError if there is none."""
        try:
            return self._by_iso3[iso3.strip().upper()]
        except KeyError:
            raise KeyError(f"no State with ISO3 code {iso3!r}") from None


@cache
def _default_index() -> StateIndex:
    return StateIndex(load_states(), load_aliases())


# Keys are normalise_name() forms. UPR Info's export writes Africa, Asia, EEG, GRULAC, WEOG, and
# "Observer" for the Holy See and Palestine, which is a status rather than a group.
REGIONAL_GROUP_ALIASES: dict[str, str] = {
    "africa": "african",
    "african": "african",
    "african states": "african",
    "asia": "asia_pacific",
    "asia-pacific": "asia_pacific",
    "asia pacific": "asia_pacific",
    "asia and the pacific": "asia_pacific",
    "asia-pacific states": "asia_pacific",
    "asia_pacific": "asia_pacific",
    "apg": "asia_pacific",
    "eeg": "eeg",
    "eastern europe": "eeg",
    "eastern european": "eeg",
    "eastern european states": "eeg",
    "grulac": "grulac",
    "latin america and caribbean": "grulac",
    "latin america and the caribbean": "grulac",
    "latin american and caribbean states": "grulac",
    "weog": "weog",
    "western europe and others": "weog",
    "western european and other states": "weog",
    "western european and others": "weog",
}
for _term in REGIONAL_GROUPS:
    for _label in (_term.code, _term.en, _term.ru, _term.kk):
        REGIONAL_GROUP_ALIASES[normalise_name(_label)] = _term.code


def parse_regional_group(value: object) -> str | None:
    """Map a source's regional group ("Africa", "WEOG", a label in any UI language) to its code.

    None for anything else, including UPR Info's "Observer", which is not a group.
    """
    if value is None:
        return None
    return REGIONAL_GROUP_ALIASES.get(normalise_name(str(value)))

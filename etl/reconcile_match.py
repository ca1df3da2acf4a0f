"""Which numbered report item an unnumbered recommendation (UPR Info's, say) belongs to: text and State
matching only, no database.

The answer depends on the recommendation and the set of items alone, never on which arrived first:
that is what makes the database the same whatever the order of the files.

- **same**: the texts are one recommendation (equal keys, or rapidfuzz ratio ≥ 88). Items naming one
  of its States are preferred; every item within 2 points of the best is a target (UPR Info lists
  one text made by France and Norway once, the report twice).
- **part**: the item names one of its States and contains its text: an item bundling several States'
  recommendations ("A (Egypt); B (Peru)") or slash alternatives ("Ratify (Denmark)/accede
  (Estonia)/consider ratifying (Ghana) the OPCAT"). A short part must stand word for word in the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from etl.model import text_key

MATCH_THRESHOLD = 88  # rapidfuzz ratio (0-100) on normalised texts
SAME_MARGIN = 2  # every item within this many points of the best match is a target
CONTAINED_MIN = 30  # characters of normalised text above which containment may be approximate
CONTAINED_RATIO = 90  # rapidfuzz partial_ratio of the shorter text inside the longer
_PARENS = re.compile(r"\(([^()]*)\)")
_LEADING = re.compile(r"^(?:(?:and|or|as well as)\b\s*)+")  # words joining one alternative to the previous
_JOINING = ("to ", "of ")  # "accede (Estonia) … the OPCAT": UPR Info writes "Accede to the OPCAT"


@dataclass(frozen=True)
class ItemKeys:
    """A numbered item as matching sees it."""

    key: str  # text_key() of its text
    bare: str  # the same without the parentheses that name its recommending States
    leads: tuple[str, ...]  # keys of the verbs of its slash alternatives but the last ("ratify", "accede")
    states: frozenset[str]  # ISO3 (or label as written) of its recommending States


def item_keys(text: str, state_labels: list[str], states: frozenset[str]) -> ItemKeys:
    """The keys of a numbered item whose text is `text` and whose States are written `state_labels`."""
    labels = [lab.casefold() for lab in state_labels if lab]

    def names_states(inside: str) -> bool:
        inside = inside.casefold()
        return any(lab in inside for lab in labels)

    bare_text = _PARENS.sub(lambda m: " " if names_states(m.group(1)) else m.group(0), text)
    # What precedes each parenthesis naming States, back to the previous one: the verb of one
    # alternative ("Ratify (Denmark)/accede (Estonia)", "Complete the accession (Iraq), evaluate …").
    leads, start = [], 0
    for m in _PARENS.finditer(text):
        if names_states(m.group(1)):
            lead = _LEADING.sub("", text_key(text[start : m.start()]))
            if lead:
                leads.append(lead)
            start = m.end()
    return ItemKeys(text_key(text), text_key(bare_text), tuple(dict.fromkeys(leads)), states)


@dataclass(frozen=True)
class Match:
    """Where an unnumbered recommendation goes: into `targets` (kind "same") or as a part of one ("part")."""

    kind: str
    targets: tuple[int, ...]  # positions in the items list


def _stands_in(part: str, whole: str) -> bool:
    """`part` inside `whole`: word for word when short, nearly word for word when long."""
    if not part or len(part) >= len(whole):
        return False
    if f" {part} " in f" {whole} ":
        return True
    return len(part) >= CONTAINED_MIN and fuzz.partial_ratio(part, whole, score_cutoff=CONTAINED_RATIO) > 0


def _part_of(key: str, item: ItemKeys) -> bool:
    if _stands_in(key, item.bare) or _stands_in(key, item.key):
        return True
    for lead in item.leads:
        if key.startswith(lead + " "):
            rest = key[len(lead) + 1 :]
            if any(_stands_in(r, item.bare) for r in {rest, *(rest.removeprefix(w) for w in _JOINING)}):
                return True
    return False


class ItemIndex:
    """The numbered items of one review, for matching many recommendations against them."""

    def __init__(self, items: list[ItemKeys]):
        self.items = items
        self.keys = [i.key for i in items]
        self.bares = [i.bare for i in items]
        self.by_key: dict[str, list[int]] = {}
        self.by_state: dict[str, list[int]] = {}
        for n, item in enumerate(items):
            self.by_key.setdefault(item.key, []).append(n)
            for state in item.states:
                self.by_state.setdefault(state, []).append(n)

    def match(self, key: str, states: frozenset[str]) -> Match | None:
        """The items an unnumbered recommendation with text key `key` and these States belongs to."""
        if not self.items or not key:
            return None
        scores: dict[int, float] = dict.fromkeys(self.by_key.get(key, ()), 100.0)
        if not scores:
            for choices in (self.keys, self.bares):
                for _, score, n in process.extract(
                    key, choices, scorer=fuzz.ratio, score_cutoff=MATCH_THRESHOLD, limit=None
                ):
                    scores[n] = max(score, scores.get(n, 0.0))
        if scores:
            own = {n: s for n, s in scores.items() if self.items[n].states & states}
            pool = own or scores
            best = max(pool.values())
            return Match("same", tuple(sorted(n for n, s in pool.items() if s >= best - SAME_MARGIN)))
        near = sorted({n for state in states for n in self.by_state.get(state, ())})
        parts = [n for n in near if _part_of(key, self.items[n])]
        if not parts:
            return None
        # Contained in several items of its State: the one that adds the least around it.
        return Match("part", (min(parts, key=lambda n: (len(self.items[n].bare), n)),))

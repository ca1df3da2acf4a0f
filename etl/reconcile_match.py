"""Which numbered report item an unnumbered recommendation (UPR Info's, say) belongs to: text and State
matching only, no database.

The answer depends on the recommendation and the set of items alone, never on which arrived first:
that is what makes the database the same whatever the order of the files.

Its own States' items first (items naming one of its States):
- **same**: the texts are one recommendation (equal keys, or rapidfuzz ratio ≥ 88). Every item within
  2 points of the best is a target (UPR Info lists one text made by France and Norway once, the
  report twice).
- **part**: the item contains its text: an item bundling several States' recommendations
  ("A (Egypt); B (Peru)") or slash alternatives ("Ratify (Denmark)/accede (Estonia)/consider
  ratifying (Ghana) the OPCAT"). A short part must stand word for word in the item.
- A near match (same or part) that lacks a word of it gives way to the one item naming all its States
  that holds every such word: "Promptly ratify OP-CEDAW" is not "Promptly ratify CED" (ratio 88)
  when "Promptly ratify OP-CRPD and OP-CEDAW" is there; it is a part of the latter.
- **part, by its words**: UPR Info split an item into rows answered apart and reworded each
  ("Move quickly to ratify the CRPD together with its Optional Protocol" → "Move quickly to the
  Optional Protocol of the CRPD", noted; "Join the CED as well as ILO Conventions Nos. 87 and 98"
  → "Join ILO Convention No. 98", supported). It joins the one item naming all its States that
  holds every meaningful word of it (words_of: WORD_STOP aside, plurals as singular); failing that,
  every word's first STEM letters ("ratifying" for "ratify", "signing" for "sign"). Two such items
  at the first level that finds any: it joins neither.
- **several items**: one UPR Info text made by several States whose recommendations the report puts
  in different items ("Accede to ICRMW (Senegal)" apart from "Accede to ICRMW and to the OP-CRC-IC
  (Ghana)"): each State that the match leaves out finds its own item, one holding every word of the
  text, and the text goes into all of them ("same"). Found this way only (by its words), every one
  of its States must have its item.

Only then an item of other States, and only the same text (ratio ≥ 95): report and UPR Info name
different States for it. Nearly the text is not enough there: "Become a party to the CRPD" (Peru) is
not "Become a party to the OP-CRPD" (Iran, ratio 94.5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz import fuzz, process

from etl.model import text_key

MATCH_THRESHOLD = 88  # rapidfuzz ratio (0-100) on normalised texts
SAME_MARGIN = 2  # every item within this many points of the best match is a target
OTHER_STATES_THRESHOLD = 95  # the same text, made by States the item does not name
CONTAINED_MIN = 30  # characters of normalised text above which containment may be approximate
CONTAINED_RATIO = 90  # rapidfuzz partial_ratio of the shorter text inside the longer
_PARENS = re.compile(r"\(([^()]*)\)")
_LEADING = re.compile(r"^(?:(?:and|or|as well as)\b\s*)+")  # words joining one alternative to the previous
_JOINING = ("to ", "of ")  # "accede (Estonia) … the OPCAT": UPR Info writes "Accede to the OPCAT"
# Words that carry no meaning of their own when a part is sought by its words.
WORD_STOP = frozenset(
    "a an and any as at be by for in its of on or that the their these this those to well with".split()
)
STEM = 5  # letters of a word compared when its whole form is not found ("ratif" for ratify, ratifying)


@lru_cache(maxsize=4096)
def words_of(key: str) -> frozenset[str]:
    """The words of a text key that carry meaning, plurals as singular ("conventions" → "convention", "nos" → "no")."""
    return frozenset(w[:-1] if len(w) >= 3 and w.endswith("s") else w for w in key.split() if w not in WORD_STOP)


def stems_of(words: frozenset[str], *, prefixes: bool = False) -> frozenset[str]:
    """Each word's first STEM letters; with `prefixes` (an item's words) also its first STEM - 1,
    which a shorter word of a part stands for ("sign" in "signing")."""
    stems = {w[:STEM] for w in words}
    if prefixes:
        stems |= {w[: STEM - 1] for w in words if len(w) >= STEM - 1}
    return frozenset(stems)


@dataclass(frozen=True)
class ItemKeys:
    """A numbered item as matching sees it."""

    key: str  # text_key() of its text
    bare: str  # the same without the parentheses that name its recommending States
    leads: tuple[str, ...]  # keys of the verbs of its slash alternatives but the last ("ratify", "accede")
    states: frozenset[str]  # ISO3 (or label as written) of its recommending States

    @cached_property
    def words(self) -> frozenset[str]:
        """words_of(bare), computed when a match first needs them."""
        return words_of(self.bare)

    @cached_property
    def stems(self) -> frozenset[str]:
        return stems_of(self.words, prefixes=True)


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
        found = self._own(key, states, scores)
        targets = set(found.targets) if found else set()
        named = set().union(*(self.items[n].states for n in targets)) & states
        # UPR Info gives one text made by several States once; the report may hold each State's in
        # another item ("Accede to ICRMW (Ghana); accede to ICRMW (Chile)" apart from "Accede to ICRMW
        # (Senegal)"): each State left out finds its own, one that holds every word of the text (or its
        # stem), and the text goes into all of them.
        for state in sorted(states - named):
            alone = self._own(key, frozenset((state,)), scores)
            words = words_of(key)
            for n in alone.targets if alone else ():
                if words <= self.items[n].words or stems_of(words) <= self.items[n].stems:
                    targets.add(n)
                    named.add(state)
        if found is not None and targets == set(found.targets):
            return found
        # Found only State by State, by its words: each of its States must have its item.
        if targets and (found is not None or named == states):
            return Match("same" if len(targets) > 1 else "part", tuple(sorted(targets)))
        # Only items of other States have its text: report and UPR Info name different States. Nearly
        # the text is not enough there ("Become a party to the CRPD" is not "… to the OP-CRPD").
        others = {n: s for n, s in scores.items() if s >= OTHER_STATES_THRESHOLD}
        return self._same(others) if others else None

    def _own(self, key: str, states: frozenset[str], scores: dict[int, float]) -> Match | None:
        """The match among items naming one of these States (`scores`: text similarity to every item)."""
        own = {n: s for n, s in scores.items() if self.items[n].states & states}
        near = sorted({n for state in states for n in self.by_state.get(state, ())})
        found = self._same(own) if own else self._part(key, near)
        if found is not None and max(own.values(), default=0.0) == 100.0:
            return found
        words = words_of(key)
        if found is not None:
            if any(words <= self.items[n].words for n in found.targets):
                return found
            # Nearly its text, or nearly inside, but lacking a word of it that another item of its States
            # holds with all the others ("Promptly ratify OP-CEDAW" is not "Promptly ratify CED" when
            # "Promptly ratify OP-CRPD and OP-CEDAW" is there): that item is the better match.
            better = self._holding(words, states, near, "words")
            return Match("part", (better[0],)) if len(better) == 1 else found
        for level, mine in (("words", words), ("stems", stems_of(words))):
            hits = self._holding(mine, states, near, level)
            if hits:  # the first level that finds any decides: one item, or none when several
                return Match("part", (hits[0],)) if len(hits) == 1 else None
        return None

    def _part(self, key: str, near: list[int]) -> Match | None:
        parts = [n for n in near if _part_of(key, self.items[n])]
        if not parts:
            return None
        # Contained in several items of its State: the one that adds the least around it.
        return Match("part", (min(parts, key=lambda n: (len(self.items[n].bare), n)),))

    @staticmethod
    def _same(scores: dict[int, float]) -> Match:
        best = max(scores.values())
        return Match("same", tuple(sorted(n for n, s in scores.items() if s >= best - SAME_MARGIN)))

    def _holding(self, mine: frozenset[str], states: frozenset[str], near: list[int], level: str) -> list[int]:
        """The items naming all these States whose `level` ("words" or "stems") holds every one of `mine`."""
        if not mine:
            return []
        return [n for n in near if states <= self.items[n].states and mine <= getattr(self.items[n], level)]

"""The recommending States of a report item: the bracket(s) at its end, and brackets of States
inside its text ("… (Egypt); continue …", "ratifying (Slovenia)/ratify (Korea) …", "sign (Uganda)
and ratify (Costa Rica) …").

Names are read as printed and resolved against the States table (upr.states). Reports misprint
them in every way: abbreviations (`USA`, `UK`), a footnote digit (`Romania 1`), misspellings
(`Lichtenstein`, `United Sates of America`), two States joined (`Italy and Germany`,
`Argentina Chile`), `‟` or `„` for an apostrophe, inverted names cut at a comma (`Venezuela,
Bolivarian Republic of`), a formal name (`the Kingdom of Tonga`, `Costa Rica Republic`). A name
that resolves only after such a correction is given in its UN spelling, and the correction is
reported (`Correction`); a name that reads as a State but resolves to none is kept as printed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from upr.states import StateIndex, normalise_name

# Words that never occur in a State's name but often in a bracket ending a recommendation's
# text: "(Istanbul Convention) (Turkey);".
_NOT_STATE_WORDS = frozenset(
    "convention covenant protocol protocols statute act law laws code programme program plan strategy "
    "committee council rapporteur principles declaration agreement organization organisation office "
    "commission court ombudsman ombudsperson institution mechanism policy report review rights treaty "
    "charter amendment amendments resolution article paragraph para sic including inter alia e.g i.e".split()
)
_STATE_CONNECTORS = frozenset({"of", "and", "the", "da", "de", "del", "d’ivoire", "d'ivoire", "former"})
_FORMAL_RE = re.compile(
    r"^(?:the\s+)?(?:(?:federal|democratic|islamic|plurinational|bolivarian|socialist|people[’']s|arab|"
    r"united|independent|cooperative|co-operative|oriental|hashemite|sovereign|great|grand)\s+)*"
    r"(?:republic|kingdom|principality|duchy|state|states|sultanate|commonwealth|federation|federative\s+republic|"
    r"confederation|union|emirate)\s+(?:of\s+)?(?:the\s+)?",
    re.IGNORECASE,
)
_FORMAL_TAIL_RE = re.compile(r"[\s,]+(?:republic|kingdom|state)(?:\s+of)?$", re.IGNORECASE)
_ACRONYM_TAIL_RE = re.compile(r"\s*\([A-Z]{2,6}\)$")
_FOOTNOTE_DIGIT_RE = re.compile(r"\s+\d{1,2}$")
_END_RE = re.compile(r"[;,:.]\s*(?:and|or)?$")
_LEADING_AND_RE = re.compile(r"^(?:and|or)\s+")


@dataclass(frozen=True)
class Correction:
    """A name printed in a form the States table does not know, and the State it was read as."""

    printed: str
    read_as: str


@dataclass
class StatesFound:
    """An item's text without its trailing States bracket(s), every State it names, and the
    corrections made to read them."""

    body: str
    states: list[str]
    corrections: list[Correction] = field(default_factory=list)


def _index() -> StateIndex:
    return StateIndex.default()


@cache
def _fuzzy_keys() -> tuple[list[str], dict[str, str]]:
    index = _index()
    keys: dict[str, str] = {}
    for state in index.states:
        keys[normalise_name(state.name_en)] = state.iso3
    for key, code in index.keys().items():
        if key.isascii() and len(key) > 3:
            keys.setdefault(key, code)
    return sorted(keys), keys


@cache
def exact_state(name: str) -> str | None:
    """The ISO3 code of a name the States table knows as printed (lower-case three-letter words,
    "and", "per", are not taken for ISO3 codes)."""
    name = name.strip()
    if len(normalise_name(name)) <= 3 and not name.isupper():
        return None
    return _index().resolve(name)


def _clean_name(name: str) -> str:
    """A name as printed, with its spacing, apostrophes and a footnote digit put right."""
    name = name.replace("‟", "’").replace("„", "’").replace("‛", "’").strip(" \t,;:.*")
    if "(" in name:
        name = re.sub(r"\s+\)", ")", re.sub(r"\(\s+", "(", re.sub(r"(?<=\w)\(", " (", name)))
    if name[-1:].isdigit():
        name = _FOOTNOTE_DIGIT_RE.sub("", name)
    return _LEADING_AND_RE.sub("", " ".join(name.split()))


@cache
def loose_state(name: str) -> str | None:
    """The ISO3 code of a State printed in a form the table does not know: formal names ("the
    Kingdom of Tonga", "Costa Rica Republic", "… (DPRK)") or a close misspelling."""
    name = _clean_name(name)
    if code := exact_state(name) or exact_state(_ACRONYM_TAIL_RE.sub("", name)):
        return code
    if code := _close_state(name):
        return code
    if inverted := re.fullmatch(r"(.+?) \((.+)\)", name):
        name = f"{inverted.group(2)} {inverted.group(1)}"  # "Bolivia (Plurinational Republic of)"
    for form in (_FORMAL_RE.sub("", _FORMAL_RE.sub("", name)), _FORMAL_TAIL_RE.sub("", name)):
        if form and form != name and (code := exact_state(form) or _close_state(form)):
            return code
    return None


def _close_state(name: str) -> str | None:
    """The State whose name is a close misspelling of `name` ("Lichtenstein"), when only one is close."""
    keys, codes = _fuzzy_keys()
    key = normalise_name(name)
    if len(key) < 5 or not _looks_like_state(name) or re.search(r"\bof(?: the)?$", key):
        return None  # also not half a name: "Islamic Republic of"
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, key, k).ratio(), codes[k])
            for k in difflib.get_close_matches(key, keys, 5, 0.85)
        ),
        reverse=True,
    )
    if not scored:
        return None
    best, code = scored[0]
    rivals = [score for score, other in scored[1:] if other != code]
    return code if not rivals or best - rivals[0] >= 0.05 else None


def _looks_like_state(name: str) -> bool:
    """Whether a bracket's content reads as a State's name rather than an acronym or a treaty."""
    core = re.sub(r"\s*\([^()]*\)$", "", name).strip()
    if not core or len(core) > 70 or re.search(r"\d", core) or not re.search(r"[a-z]", core):
        return False
    words = core.split()
    if len(words) > 9 or any(w.lower().strip(".,") in _NOT_STATE_WORDS for w in words):
        return False
    if len(words) == 1:
        return words[0][0].isalpha()  # also "netherlands", as one report misprints it
    first = words[0]
    if not (first[0].isupper() or first == "the") or any(w.isupper() and len(w) > 1 for w in words):
        return False  # "OP-CRC-AC and OP-CRC-SC" are treaties
    return all(w[0].isupper() or w.lower() in _STATE_CONNECTORS or w[0] in "’'-" for w in words)


def _split_top_level(inner: str) -> list[str]:
    """Split "Senegal, Venezuela (Bolivarian Republic of); Peru/Chile" at , ; / outside brackets."""
    parts, depth, current = [], 0, ""
    for ch in inner:
        depth += ch == "("
        depth -= ch == ")"
        if ch in ",;/" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p for p in (_clean_name(p) for p in parts) if p]


def _segments(words: list[str]) -> list[str] | None:
    """Words of several States run together ("Italy and Germany", "Argentina Chile") split into
    names the table knows; None when they cannot all be read so."""
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(words) + 1):
        for start in range(end):
            if start not in best:
                continue
            piece = words[start:end]
            if piece[0].lower() in ("and", "&"):
                piece = piece[1:]
            if piece and exact_state(" ".join(piece)):
                best.setdefault(end, best[start] + [" ".join(piece)])
    return best.get(len(words)) if len(best.get(len(words), [])) > 1 else None


def _state_group(inner: str, strict: bool) -> tuple[list[str], list[Correction]] | None:
    """The States in one bracket and the corrections made to read them, or None when the bracket
    is not a list of States.

    Strict (a bracket inside the text, or before the last one): every name must resolve.
    Otherwise (the bracket ending the item) a name that merely reads as a State is kept as printed.
    """
    parts: list[str] = []
    for part in _split_top_level(inner):
        if parts and re.search(r"\bof$", part) and not exact_state(part):
            parts[-1] = f"{parts[-1]} ({part})"  # "Venezuela, Bolivarian Republic of"
        else:
            parts.append(part)
    names: list[str] = []
    corrections: list[Correction] = []
    for part in parts:
        if exact_state(part):
            names.append(part)
        elif joined := _segments(part.split()):
            names.extend(joined)
        elif code := loose_state(part):
            state = _index().get(code)
            names.append(state.name_en)
            corrections.append(Correction(part, state.name_en))
        elif not strict and _looks_like_state(part):
            names.append(part)
        else:
            return None
    return (names, corrections) if names else None


def _closing_bracket_start(text: str, end: int) -> int | None:
    """Index of the "(" matching the ")" at text[end], brackets nested; None when unbalanced."""
    depth = 0
    for i in range(end, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return None


def _top_level_brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost bracket pair, end at the ")"."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans


def _inline_state_groups(body: str) -> list[tuple[list[str], list[Correction]]]:
    """Brackets of States inside the text: "… (Egypt); continue …", "ratifying (Slovenia)/ratify
    (Korea) …", "Sign (Uganda) and ratify (Costa Rica, Sweden) OP-CAT", "… (Iraq) as well as …":
    several recommendations joined in one item. A bracket counts when every name in it resolves."""
    groups = []
    for a, b in _top_level_brackets(body):
        group = _state_group(body[a + 1 : b], True)
        if group is not None and not _abbreviates(body[:a], group[0]):
            groups.append(group)
    return groups


def _abbreviates(text: str, group: list[str]) -> bool:
    """Whether "(DRC)" abbreviates the name the text before it ends with: a name, not an attribution."""
    if len(group) != 1 or not group[0].isupper():
        return False
    words = text.split()[-8:]
    code = exact_state(group[0])
    return any(exact_state(" ".join(words[i:])) == code for i in range(len(words)))


def _unopened_bracket(body: str) -> tuple[str, list[str]] | None:
    """ "… Court Ghana)": the State before a ")" whose "(" was never printed."""
    words = body[:-1].split()
    for n in range(min(6, len(words)), 0, -1):
        name = " ".join(words[-n:])
        if exact_state(name):
            return " ".join(words[:-n]), [name]
    return None


def read_states(text: str) -> StatesFound:
    """The recommendation's text without its trailing States bracket(s), every State it names,
    and the corrections made to read the names."""
    body = text
    trailing: list[tuple[list[str], list[Correction]]] = []
    while body.endswith(")"):
        start = _closing_bracket_start(body, len(body) - 1)
        if start is None:
            if not trailing and (found := _unopened_bracket(body)):
                body, names = found
                trailing.insert(0, (names, []))
            break
        inner = body[start + 1 : -1]
        group = None
        if re.search(r"\bof\s*$", inner) and (m := re.search(r"\((\w[\w ]*)\s*$", body[:start])):
            # "(Iran (Islamic Republic of);": the outer bracket was never closed
            group = _state_group(f"{m.group(1).strip()} ({inner})", False)
            start = m.start() if group else start
        if group is None:
            # Only the last bracket may hold a name the table does not know: "(Jugendamt) (Congo)".
            group = _state_group(inner, bool(trailing))
        if group is None or _abbreviates(body[:start], group[0]):
            break
        trailing.insert(0, group)
        body = body[:start].rstrip(" ,;")
    groups = _inline_state_groups(body) + trailing
    states = [name for names, _ in groups for name in names]
    corrections = [fix for _, fixes in groups for fix in fixes]
    return StatesFound(body, list(dict.fromkeys(states)), list(dict.fromkeys(corrections)))


def split_states(text: str) -> tuple[str, list[str]]:
    """The recommendation's text without its trailing States bracket(s), and every State it names.

    States also count where a bracket inside the text names only States (several
    recommendations merged into one item); those brackets stay in the text.
    """
    found = read_states(text)
    return found.body, found.states


def strip_end(text: str) -> str:
    """The item without its final ";", "; and", ",", ":" or "." (the list's punctuation, not the text's)."""
    text = text.rstrip()
    while m := _END_RE.search(text, max(0, len(text) - 12)):
        text = text[: m.start()].rstrip()
    return text

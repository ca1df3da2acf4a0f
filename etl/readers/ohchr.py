"""Text conventions shared by OHCHR's files (the UPR matrix and UHRI exports): paragraph numbers,
bracketed recommending States, SDG numbers, cycle and session wording, positions, the "Source of
position" citation, and the themes column that also holds SDG and affected-persons blocks."""

from __future__ import annotations

import re

# Paragraph number at the start of a recommendation: "124.17 ", "124.17. ", "124.17.Ratify".
BULLET_RE = re.compile(r"^[-–•·*]\s*")
_REF_RE = re.compile(r"^\s*(\d{1,3}\.\d{1,3})(?!\d)(?:\.(?!\d))?\s*")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_CYCLE_RE = re.compile(
    r"\b(?:(\d)\s*(?:st|nd|rd|th)?\s+cycle|cycle\s*(\d)|(first|second|third|fourth|fifth)\s+cycle)\b",
    re.IGNORECASE,
)
_SESSION_RE = re.compile(r"\b(?:(\d{1,2})\s*(?:st|nd|rd|th)?\s+session|session\s*(\d{1,2}))\b", re.IGNORECASE)
# "SDG 5 - …", "5.3", "Goal 5", "SDG target 16.9", and cycle 3's coded "S16 SDG 16 - …".
_SDG_RE = re.compile(
    r"^(?:s\d{1,2}\s+)?(?:sdgs?\s*)?(?:goal|target)?\s*(\d{1,2})(?:\.(\d{1,2}|[a-z]))?(?![\d])",
    re.IGNORECASE,
)
# Words that show a bracketed phrase is an instrument or a body, not a recommending State:
# "(Paris Principles) (Germany);" must yield Germany only.
_NOT_A_STATE = {
    "act", "agenda", "amendment", "article", "charter", "code", "commission", "committee",
    "convention", "council", "court", "covenant", "declaration", "guidelines", "institution", "law",
    "mechanism", "ombudsman", "ombudsperson", "office", "plan", "principles", "programme",
    "protocol", "rapporteur", "report", "resolution", "rules", "statute", "strategy", "treaty",
}  # fmt: skip
# A State's name may start in lower case only as "the former Yugoslav Republic of Macedonia" does.
_LOWER_STATE_RE = re.compile(r"^the\s+(?:former\s+)?[A-Z]")
# A comma piece ending so is the head of an inverted name ("Korea, Republic of"): not a State alone.
_INVERTED_TAIL_RE = re.compile(r"\b(?:of|the)$", re.IGNORECASE)


def split_ref(text: str) -> tuple[str | None, str]:
    """Split a leading paragraph number off a recommendation: "124.17 Ratify …" → ("124.17", "Ratify …")."""
    m = _REF_RE.match(text)
    if not m or m.end() == len(text):
        return None, text.strip()
    return m.group(1), text[m.end() :].strip()


def looks_like_state(phrase: str) -> bool:
    """Whether a bracketed phrase can be a State's name ("Iran (Islamic Republic of)": yes; "OPCAT", "2019": no)."""
    phrase = phrase.strip()
    if not phrase or len(phrase) > 70 or re.search(r"\d", phrase):
        return False
    if not phrase[0].isupper() and not _LOWER_STATE_RE.match(phrase):
        return False
    if " " not in phrase and phrase.isupper():  # an acronym: OPCAT, CRPD, UNESCO
        return False
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", phrase)}
    return not words & _NOT_A_STATE


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level bracket group, nested brackets included."""
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


def _names(inner: str) -> list[str]:
    """The names in one bracket: "(Slovenia; Spain)" in older reports, "(Portugal, Slovakia)" in
    cycle-2 matrices, "(Senegal, Venezuela (Bolivarian Republic of),Peru)" with nested brackets.

    State names never contain ";"; a comma splits only outside nested brackets, and not the
    inverted "Macedonia, the former Yugoslav Republic of".
    """
    names: list[str] = []
    for part in inner.split(";"):
        pieces, depth, start = [], 0, 0
        for i, ch in enumerate(part):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth = max(depth - 1, 0)
            elif ch == "," and depth == 0:
                pieces.append(part[start:i])
                start = i + 1
        pieces.append(part[start:])
        joined: list[str] = []
        for piece in (p.strip() for p in pieces):
            if joined and _INVERTED_TAIL_RE.search(piece):
                joined[-1] += f", {piece}"
            elif piece:
                joined.append(piece)
        names += joined
    return names


def split_recommending(text: str, known: list[str] | None = None) -> tuple[str, list[str]]:
    """Take the recommending States out of a recommendation's text.

    Trailing groups ("… (Slovenia) (Spain);") are removed from the text; inline ones in merged
    recommendations ("To consider ratifying (Slovenia)/ratify (Republic of Korea) the …") stay
    in the text but count too. With `known` (States given elsewhere), only those are taken off
    the end. Returns (text, States in order of appearance).
    """
    known_keys = {k.casefold() for k in known} if known else None
    rest = text.rstrip(" \t;.,")
    trailing: list[str] = []
    while rest.endswith(")"):
        groups = _bracket_groups(rest)
        if not groups or groups[-1][1] != len(rest):
            break
        start, end = groups[-1]
        names = _names(rest[start + 1 : end - 1])
        if known_keys is not None:
            if not names or any(n.casefold() not in known_keys for n in names):
                break
        elif not names or not all(looks_like_state(n) for n in names):
            break
        trailing = names + trailing
        rest = rest[:start].rstrip(" \t;,")
    # The ";" ending each recommendation in a report is a list separator, not part of the text.
    text = rest if trailing else text.strip().rstrip(" \t;,")

    inline: list[str] = []
    spans = _bracket_groups(text)
    names = [_names(text[a + 1 : b - 1]) for a, b in spans]
    is_states = [bool(n) and all(looks_like_state(x) for x in n) for n in names]
    counted = [False] * len(spans)
    # A bracket of States followed by ";" or "/" ends one of several recommendations merged into
    # one item ("… (Egypt); continue …", "ratifying (Slovenia)/ratify …"); a run "(Chile) (Spain);"
    # counts whole.
    for i in range(len(spans) - 1, -1, -1):
        after = text[spans[i][1] :].lstrip()
        adjacent = i + 1 < len(spans) and not text[spans[i][1] : spans[i + 1][0]].strip()
        counted[i] = is_states[i] and (after[:1] in (";", "/") or (adjacent and counted[i + 1]))
    # The second half of an alternative: "ratifying (Slovenia)/ratify (Republic of Korea) the …".
    for i in range(1, len(spans)):
        between = text[spans[i - 1][1] : spans[i][0]]
        if is_states[i] and counted[i - 1] and between.lstrip().startswith("/"):
            counted[i] = counted[i] or (";" not in between and len(between.split()) <= 8)
    for group, count in zip(names, counted, strict=True):
        if count:
            inline.extend(group)
    return text, unique_ci(inline + trailing)


def parse_sdg(value: str) -> str | None:
    """The goal or target number of an SDG label: "SDG 5 - gender equality" → "5", "16.2 - Protect …" → "16.2"."""
    value = BULLET_RE.sub("", value.strip())
    m = _SDG_RE.match(value)
    if not m or not 1 <= int(m.group(1)) <= 17:
        return None
    return m.group(1) if m.group(2) is None else f"{m.group(1)}.{m.group(2).lower()}"


def parse_cycle(value: object) -> int | None:
    """A UPR cycle from "4th cycle", "Cycle 4", "Fourth cycle", "4" or 4."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1 <= value <= 9 else None
    text = BULLET_RE.sub("", str(value or "").strip())
    if re.fullmatch(r"\d", text):
        return int(text)
    m = _CYCLE_RE.search(text)
    if not m:
        return None
    digit = m.group(1) or m.group(2)
    return int(digit) if digit else _ORDINALS[m.group(3).lower()]


def parse_session(value: object) -> int | None:
    """A Working Group session number from "48", "48th session", "Session 48" or 48."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1 <= value <= 99 else None
    text = BULLET_RE.sub("", str(value or "").strip())
    if re.fullmatch(r"\d{1,2}", text):
        return int(text)
    m = _SESSION_RE.search(text)
    return int(m.group(1) or m.group(2)) if m else None


def normalise_position(value: str) -> str:
    """The position wording with its slash unspaced ("Supported / Noted" → "Supported/Noted")."""
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", value.strip()))


def unique_ci(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


def sdg_codes(labels: list[str]) -> tuple[list[str], list[str]]:
    """(the goal or target of each SDG label, once each; the labels that are no SDG)."""
    codes: list[str] = []
    unreadable: list[str] = []
    for label in labels:
        code = parse_sdg(label)
        if code is None:
            unreadable.append(label)
        elif code not in codes:
            codes.append(code)
    return codes, unreadable


# -- the themes column: themes, then "SDGs:" and "Affected persons:" blocks -------------------

_GROUP_LABEL_RE = re.compile(
    r"^(?:affected persons|persons affected|groups? of persons|affected groups)\s*(?::\s*(.*))?$",
    re.IGNORECASE,
)
_SDG_LABEL_RE = re.compile(r"^(?:relevant\s+)?(?:sdgs?|sustainable development goals?)\s*(?::\s*(.*))?$", re.IGNORECASE)
_THEME_LABEL_RE = re.compile(r"^(?:human rights )?themes?\s*:\s*(.*)$", re.IGNORECASE)
# An SDG written among the themes, never a theme: "SDG 16 - …", "S16 SDG 16 - …", "Goal 5 - …".
_SDG_LINE_RE = re.compile(r"^(?:s\d{1,2}\s+)?(?:sdgs?\s*\d|goal\s+\d)", re.IGNORECASE)


def split_themes(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(themes, affected groups, SDG labels) of a themes cell or list.

    Cycle 2 matrices follow the themes with an "Affected persons:" block, cycle 3 ones with an
    "SDGs:" block too, cycle 4 ones with "Groups of persons:"; each line goes to the block whose
    label it follows (a label may carry its first items: "Affected persons: women; children").
    A line that reads as an SDG is an SDG wherever it stands.
    """
    blocks: dict[str, list[str]] = {"themes": [], "groups": [], "sdgs": []}
    target = "themes"
    for raw in lines:
        line = BULLET_RE.sub("", raw.strip()).strip()
        if not line:
            continue
        for kind, label_re in (("groups", _GROUP_LABEL_RE), ("sdgs", _SDG_LABEL_RE), ("themes", _THEME_LABEL_RE)):
            if m := label_re.match(line):
                target = kind
                items = [n.strip() for n in (m.group(1) or "").split(";")]
                break
        else:
            items = [line]
        for item in filter(None, items):
            blocks["sdgs" if _SDG_LINE_RE.match(item) else target].append(item)
    return unique_ci(blocks["themes"]), unique_ci(blocks["groups"]), unique_ci(blocks["sdgs"])


# -- "Source of position" -----------------------------------------------------------------------

# "Source of position:", "Source of Position", "Sources of position", "Source of postion".
# Followed by a symbol, a paragraph or nothing, so that "the source of possible …" in a text is not taken.
_SOURCE_RE = re.compile(
    r"\bsou?r?c?e?s?\s+of\s+(?:the\s+)?pos\w{0,4}on\b\s*:?\s*(?=[A-Z]{1,5}\s*/|para|$)", re.IGNORECASE
)
_SYMBOL_RE = re.compile(
    r"\b[A-Z]{1,5}(?:\s*/\s*(?:(?:add|rev|corr)\b\.?\s*\d+|[A-Z]{1,6}\b|\d{1,4}\b))+", re.IGNORECASE
)
_SYMBOL_PART_RE = re.compile(r"(add|rev|corr)\.?(\d+)", re.IGNORECASE)
_PARA_RE = re.compile(r"\b(?:paragraphs?|paras?)\b\.?\s*(\d{1,3})(?:\s*(?:-|–|—|to)\s*(\d{1,3}))?", re.IGNORECASE)


def split_source_of_position(text: str) -> tuple[str, str | None]:
    """The text before a "Source of position" note, and the note's citation (None when absent).

    "… (Croatia); Source of position: A/HRC/28/15/Add.1 - Para. 3" → ("… (Croatia);",
    "A/HRC/28/15/Add.1, para. 3").
    """
    m = _SOURCE_RE.search(text)
    if not m:
        return text, None
    return text[: m.start()].rstrip(), normalise_cite(text[m.end() :])


def normalise_cite(value: str) -> str | None:
    """A citation as "A/HRC/28/15/Add.1, para. 3", or the symbol alone when no paragraph is given.

    Met in OHCHR's matrices: "A/HRC/28/15/Add.1 - Para. 3", "A/HRC/59/15/Add.1 - Para.3",
    "A/HRC/28/15/Add.1, para. 3 - Para. 3", "… - Para.3vv", "… - Para 3", the symbol alone.
    Where two paragraphs are given, the last (the "- Para." field) counts.
    """
    text = " ".join(value.split())
    parts = []
    if symbol := _SYMBOL_RE.search(text):
        pieces = re.sub(r"\s+", "", symbol.group(0)).split("/")
        parts.append(
            "/".join(
                f"{m.group(1).capitalize()}.{m.group(2)}" if (m := _SYMBOL_PART_RE.fullmatch(p)) else p.upper()
                for p in pieces
            )
        )
    if paras := _PARA_RE.findall(text):
        first, last = paras[-1]
        parts.append(f"paras. {first}–{last}" if last and last != first else f"para. {first}")
    if parts:
        return ", ".join(parts)
    return text.strip(" .;,:-–—") or None

"""Text conventions shared by OHCHR's files (the UPR matrix and UHRI exports): paragraph numbers,
bracketed recommending States, SDG numbers, cycle and session wording, positions."""

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
_SDG_RE = re.compile(
    r"^(?:sdgs?\s*)?(?:goal|target)?\s*(\d{1,2})(?:\.(\d{1,2}|[a-z]))?(?![\d])",
    re.IGNORECASE,
)
# Words that show a bracketed phrase is an instrument or a body, not a recommending State:
# "(Paris Principles) (Germany);" must yield Germany only.
_NOT_A_STATE = {
    "act", "agenda", "code", "committee", "convention", "council", "covenant", "declaration",
    "guidelines", "law", "plan", "principles", "programme", "protocol", "rules", "statute",
    "strategy", "treaty",
}  # fmt: skip


def split_ref(text: str) -> tuple[str | None, str]:
    """Split a leading paragraph number off a recommendation: "124.17 Ratify …" → ("124.17", "Ratify …")."""
    m = _REF_RE.match(text)
    if not m or m.end() == len(text):
        return None, text.strip()
    return m.group(1), text[m.end() :].strip()


def looks_like_state(phrase: str) -> bool:
    """Whether a bracketed phrase can be a State's name ("Iran (Islamic Republic of)": yes; "OPCAT", "2019": no)."""
    phrase = phrase.strip()
    if not phrase or len(phrase) > 70 or not phrase[0].isupper() or re.search(r"\d", phrase):
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
    # "(Slovenia; Spain)" occurs in older reports; State names never contain ";".
    return [n.strip() for n in inner.split(";") if n.strip()]


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
    groups = _bracket_groups(text)
    slash_after_state = -1  # position just after the "/" that followed the previous State
    for start, end in groups:
        inner = text[start + 1 : end - 1]
        followed_by_slash = text[end:].lstrip().startswith("/")
        between = text[slash_after_state:start] if slash_after_state >= 0 else ""
        ends_chain = slash_after_state >= 0 and "(" not in between and len(between.split()) <= 8
        if (followed_by_slash or ends_chain) and looks_like_state(inner):
            inline.extend(_names(inner))
            slash_after_state = text.index("/", end) + 1 if followed_by_slash else -1
        else:
            slash_after_state = -1
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

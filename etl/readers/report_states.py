"""The recommending States of a report item: the bracket(s) at its end, and brackets of States
inside its text ("… (Egypt); continue …", "ratifying (Slovenia)/ratify (Korea) …")."""

from __future__ import annotations

import re

# Words that never occur in a State's name but often in a bracket ending a recommendation's
# text: "(Istanbul Convention) (Turkey);".
_NOT_STATE_WORDS = frozenset(
    [
        "convention",
        "covenant",
        "protocol",
        "protocols",
        "statute",
        "act",
        "law",
        "laws",
        "code",
        "programme",
        "program",
        "plan",
        "strategy",
        "committee",
        "council",
        "rapporteur",
        "principles",
        "declaration",
        "agreement",
        "organization",
        "organisation",
        "office",
        "commission",
        "court",
        "ombudsman",
        "ombudsperson",
        "institution",
        "mechanism",
        "policy",
        "report",
        "review",
        "rights",
        "treaty",
        "charter",
        "amendment",
        "amendments",
        "resolution",
        "article",
        "paragraph",
        "para",
        "sic",
        "including",
        "inter",
        "alia",
        "e.g",
        "i.e",
    ]
)
_STATE_CONNECTORS = frozenset({"of", "and", "the", "da", "de", "del", "d’ivoire", "d'ivoire", "former"})


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


def _split_top_level(inner: str) -> list[str]:
    """Split "Senegal, Venezuela (Bolivarian Republic of), Peru" at commas outside brackets."""
    parts, depth, current = [], 0, ""
    for ch in inner:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts


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
    if not (first[0].isupper() or first == "the"):
        return False
    return all(w[0].isupper() or w.lower() in _STATE_CONNECTORS or w[0] in "’'-" for w in words)


def _state_group(inner: str) -> list[str] | None:
    """The States in one bracket, or None when the bracket is not a list of States."""
    parts = _split_top_level(inner)
    return parts if all(_looks_like_state(p) for p in parts) else None


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


def _inline_state_groups(body: str) -> list[list[str]]:
    """Brackets of States inside the text: "… (Egypt); continue …", "ratifying (Slovenia)/ratify (Korea) …".

    A bracket counts when it reads as States and is followed by ";" or "/" (a run "(Chile)
    (Spain);" counts whole), or follows such a "(State)/" as the second half of the alternative.
    """
    spans = _top_level_brackets(body)
    groups = [_state_group(body[a + 1 : b].strip()) for a, b in spans]
    counted = [False] * len(spans)
    for i in range(len(spans) - 1, -1, -1):
        if groups[i] is None:
            continue
        after = body[spans[i][1] + 1 :].lstrip()
        adjacent = i + 1 < len(spans) and not body[spans[i][1] + 1 : spans[i + 1][0]].strip()
        counted[i] = after[:1] in (";", "/") or (adjacent and counted[i + 1])
    for i in range(1, len(spans)):
        if groups[i] is None or counted[i] or not counted[i - 1]:
            continue
        between = body[spans[i - 1][1] + 1 : spans[i][0]]
        counted[i] = bool(re.fullmatch(r"\s*/[^;()]*|\s*", between))
    return [g for g, c in zip(groups, counted, strict=True) if c and g is not None]


def split_states(text: str) -> tuple[str, list[str]]:
    """The recommendation's text without its trailing States bracket(s), and every State it names.

    States also count where a bracket of States inside the text is followed by ";" or "/"
    (several recommendations merged into one item); those brackets stay in the text.
    """
    body = text
    trailing: list[list[str]] = []
    while body.endswith(")"):
        start = _closing_bracket_start(body, len(body) - 1)
        if start is None:
            break
        group = _state_group(body[start + 1 : -1].strip())
        if group is None:
            break
        trailing.insert(0, group)
        body = body[:start].rstrip()
    inline = [s for group in _inline_state_groups(body) for s in group]
    states = inline + [s for group in trailing for s in group]
    return body, list(dict.fromkeys(states))


def strip_end(text: str) -> str:
    """The item without its final ";", "; and" or "." (the list's punctuation, not the text's)."""
    return re.sub(r"\s*(?:;\s*(?:and|or)?|\.)\s*$", "", text).strip()

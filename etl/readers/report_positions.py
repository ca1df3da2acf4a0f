"""The position of the State under review on a block of a Working Group report's recommendations,
as the report words it.

A lead-in paragraph states it before its block ("enjoy the support of", "will be examined by",
"did not enjoy the support of … would thus be noted"); some reports state it after the list
instead ("The response of X to these recommendations will be included in the outcome report").
Negative wording is read first and blotted out, so "did not enjoy the support" never counts as
support and "cannot be accepted" never as acceptance.
"""

from __future__ import annotations

import re


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# (code, usual, pattern), read in this order; each match is blotted out before the next pattern
# looks. The usual wordings of the UN template give the key words shown when any is present.
_WORDING: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    ("noted", True, _p(r"\b(?:did|do|does)\s+not\s+enjoy\s+(?:the|its)\s+support\b")),
    (
        "noted",
        False,
        _p(
            r"\b(?:(?:did|do|does|could|can|would|will)\s*not|cannot)\s+(?:enjoy|receive|have|obtain|gain)"
            r"\s+(?:the\s+|its\s+)?(?:full\s+)?support\b"
        ),
    ),
    ("noted", False, _p(r"\bnot\s+(?:enjoy(?:ing)?|receiv(?:e|ed|ing))\s+(?:the|its)\s+support\b")),
    ("noted", True, _p(r"\b(?:would|will)\s+thus\s+be\s+noted\b")),
    ("noted", False, _p(r"\b(?:would|will|shall|should)\s+(?:therefore\s+|hence\s+)?be\s+noted\b")),
    ("noted", True, _p(r"\b(?:were|are|have\s+been|has\s+been)\s+noted\b")),
    ("noted", False, _p(r"\b(?:is|was|being|were|are)\s+(?:duly\s+)?noted\b")),
    ("noted", False, _p(r"\b(?:takes?|took|has\s+taken|have\s+taken)\s+note\s+of\b")),
    ("noted", False, _p(r"\b(?:can\s*not|could\s+not|will\s+not|would\s+not)\s+be\s+(?:accepted|supported)\b")),
    ("noted", True, _p(r"\b(?:were|are)\s+not\s+(?:accepted|supported)\b")),
    ("noted", False, _p(r"\b(?:is|was|have\s+been|has\s+been)\s+not\s+(?:accepted|supported)\b")),
    ("noted", False, _p(r"\b(?:did|does|do|could|can)\s*not\s+(?:accept|support)\b")),
    ("noted", False, _p(r"\b(?:rejects?|rejected)\b")),
    ("pending", True, _p(r"\bwill\s+be\s+(?:further\s+)?examined\s+by\b")),
    ("pending", True, _p(r"\bwill\s+be\s+included\s+in\s+the\s+outcome\s+report\b")),
    ("pending", False, _p(r"\bwill\s+be\s+(?:further\s+)?(?:examined|considered|studied)\b")),
    ("pending", False, _p(r"\bwill\s+(?:further\s+)?(?:examine|consider|study)\b")),
    (
        "pending",
        False,
        _p(
            r"\bwill\s+(?:provide|give|submit|communicate|present)\s+(?:its\s+|their\s+|the\s+)?"
            r"(?:responses?|answers?|replies|reply|views|positions?)\b"
        ),
    ),
    ("pending", False, _p(r"\bwill\s+respond\b")),
    (
        "pending",
        False,
        _p(
            r"\b(?:responses?|answers?|replies|reply|views|positions?)\b[^.;:]{0,120}?\bwill\s+be\s+"
            r"(?:provided|given|submitted|communicated|presented|made\s+available)\b"
        ),
    ),
    ("supported", True, _p(r"\benjoys?\s+the\s+support\b")),
    ("supported", False, _p(r"\benjoy(?:s|ed)?\s+(?:the\s+|its\s+)?(?:full\s+)?support\b")),
    ("supported", False, _p(r"\b(?:receive[sd]?|obtained|gained)\s+(?:the|its)\s+(?:full\s+)?support\b")),
    ("supported", False, _p(r"\b(?:were|are|is|was|have\s+been|has\s+been)\s+(?:fully\s+)?(?:accepted|supported)\b")),
    ("supported", False, _p(r"\b(?:accepts|accepted|supports|supported)\b")),
    ("supported", True, _p(r"\balready\s+(?:been\s+)?implemented\b")),
    ("supported", False, _p(r"\balready\s+being\s+implemented\b")),
    ("supported", True, _p(r"\bin\s+the\s+process\s+of\s+(?:being\s+)?implement(?:ed|ation)\b")),
)

# A remark after a list that speaks of the block(s) above as a whole, not of single items.
_WHOLE_BLOCK_RE = re.compile(
    r"\b(?:these|the\s+above(?:-mentioned)?|the\s+recommendations\s+(?:above|listed\s+above|in\s+paragraphs?))"
    r"|\bparagraphs?\s+\d{1,3}\b(?!\.\d)",
    re.IGNORECASE,
)
_ITEM_REF_RE = re.compile(r"\b\d{1,3}\.\s?\d{1,3}\b")
_PARAGRAPH_REFS_RE = _p(r"\bparagraphs?\s+((?:\d{1,3}(?!\.\d)(?:\s*,\s*|\s+and\s+|\s*(?:-|–|to)\s*)?)+)")

# A block of the State's comments on recommendations (no recommending State, no position).
COMMENTS_RE = _p(r"\b(?:comments?|observations?|remarks?|clarifications?|explanations?)\b")


def classify(text: str) -> tuple[str | None, str | None]:
    """The response code a paragraph states and its key words as printed, in document order;
    (None, None) when it states none, (None, words) when it states more than one."""
    found: list[tuple[int, bool, str, str]] = []
    for code, usual, pattern in _WORDING:
        for m in pattern.finditer(text):
            found.append((m.start(), usual, code, re.sub(r"\s+", " ", m.group(0))))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    if not found:
        return None, None
    found.sort()
    codes = {code for _, _, code, _ in found}
    shown = [words for _, usual, _, words in found if usual] or [words for *_, words in found]
    raw = "; ".join(dict.fromkeys(shown))
    return (codes.pop() if len(codes) == 1 else None), raw


def whole_block_remark(text: str) -> bool:
    """Whether a remark after a list speaks of whole blocks ("these recommendations", "the
    recommendations in paragraphs 84 and 85") rather than of single items ("118.1 above")."""
    return bool(_WHOLE_BLOCK_RE.search(text)) and not _ITEM_REF_RE.search(text)


def paragraphs_named(text: str) -> set[int]:
    """The paragraph numbers a remark names: "paragraphs 84 and 85" → {84, 85}; "84–86" → {84, 85, 86}."""
    numbers: set[int] = set()
    for m in _PARAGRAPH_REFS_RE.finditer(text):
        listed = m.group(1)
        for a, b in re.findall(r"(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})", listed):
            numbers.update(range(int(a), int(b) + 1))
        numbers.update(int(n) for n in re.findall(r"\d{1,3}", listed))
    return numbers

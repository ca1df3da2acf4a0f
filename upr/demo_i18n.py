"""The demo's own texts in the reader's language.

The built-in demo stores its plan (name, act, sections, measures, forms of completion, deadlines,
expected result) and its assessments' comments in Russian, as a user's file is stored as written
(its import's file name in English).
Those texts, and only those, are entries of the catalog upr/i18n/<lang>/demo.json: `demo_text` finds
a stored text among the Russian entries and gives the entry in the reader's language. Anything else
(a real plan, a real comment) is not in the catalog and is shown exactly as written.
"""

from __future__ import annotations

from functools import cache

from upr.i18n import catalog, t

# Texts the demo stores in English: its import's file name (kept: links and checks name it), and the
# comment an older demo wrote (a database built before keeps it).
_STORED_IN_ENGLISH = {
    "demo: Kazakhstan, cycles 1–4": "demo.file",
    "Illustrative demo assessment": "demo.comment_legacy",
}


@cache
def _keys() -> dict[str, str]:
    """Every Russian text of the demo catalog -> its key."""
    keys = {text: key for key, text in catalog("ru").items() if key.startswith("demo.")}
    return keys | _STORED_IN_ENGLISH


def is_demo_text(value: object) -> bool:
    """Whether `value` is one of the demo's own texts as stored."""
    return isinstance(value, str) and value.strip() in _keys()


def demo_text(value: object, lang: str) -> object:
    """`value` in `lang` when it is one of the demo's own texts as stored; anything else unchanged
    (a user's text, None, NaN)."""
    if not isinstance(value, str):
        return value
    key = _keys().get(value.strip())
    return t(key, lang) if key else value

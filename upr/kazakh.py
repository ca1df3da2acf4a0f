"""A Kazakh stemmer for search: the inflectional endings of nouns taken off a word, so that
«әйелдердің», «әйелдерге» and «әйел» meet at «әйел», and «жазасын» at «жаза».

Kazakh inflects by adding endings in a fixed order: stem + plural + possessive + case. The
endings are taken off from the end in the reverse order, at most one of each: a case ending, then
a possessive, then the plural. Each ending's variants follow vowel harmony and the last sound of
what it attaches to (-лар/-лер/-дар/-дер/-тар/-тер). The endings that exist only after a
possessive (-н, -на/-не, -нда/-нде, -ндан/-нден, -ндағы/-ндегі) are taken off only when a
possessive -ы/-і stands before them, so that «Астана» stays «астана». What remains keeps at least
two letters and a vowel. A voiced last consonant that came from a vowel-initial ending
(«құқығы» ← «құқық») is turned back (ғ→қ, г→к, б→п), so the word meets its other forms.

It is a rule set for finding words, not a morphological analyser: verbs and derivational
suffixes (-лық, -шы, ...) are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["stem_kk"]

VOWELS = frozenset("аәеёиоөуұүыіэюя")
_BACK = {"ғ": "қ", "г": "к", "б": "п"}


def _after_possessive(rest: str) -> bool:
    """The endings in -н- that follow a 3rd-person possessive (жазасы-на, тілі-нде)."""
    return rest[-1:] in ("ы", "і")


def _after_vowel_or_nasal(rest: str) -> bool:
    return rest[-1:] in VOWELS or rest[-1:] in ("м", "н", "ң")


def _after_nasal_or_possessive(rest: str) -> bool:
    return rest[-1:] in ("ы", "і", "м", "н", "ң")


def _any(rest: str) -> bool:
    return True


def _after_consonant(rest: str) -> bool:
    return rest[-1:] not in VOWELS


def _after_vowel(rest: str) -> bool:
    return rest[-1:] in VOWELS


Rule = tuple[str, Callable[[str], bool]]


def _rules(*groups: tuple[tuple[str, ...], Callable[[str], bool]]) -> tuple[Rule, ...]:
    """(ending, condition on what precedes it), longest ending first."""
    rules = [(ending, cond) for endings, cond in groups for ending in endings]
    return tuple(sorted(rules, key=lambda r: -len(r[0])))


CASE_ENDINGS = _rules(
    (("ндағы", "ндегі", "ндан", "нден", "нда", "нде", "на", "не", "н"), _after_possessive),
    (("дағы", "дегі", "тағы", "тегі"), _any),  # locative-attributive: Қазақстан-дағы
    (("ның", "нің"), _after_vowel_or_nasal),
    (("дың", "дің", "тың", "тің"), _any),  # genitive
    (("ға", "ге", "қа", "ке"), _any),  # dative
    (("дан", "ден", "тан", "тен"), _any),  # ablative
    (("нан", "нен"), _after_nasal_or_possessive),
    (("да", "де", "та", "те"), _any),  # locative
    (("ды", "ді", "ты", "ті"), _any),  # accusative
    (("ны", "ні"), _after_vowel),
    (("менен", "бенен", "пенен", "мен", "бен", "пен"), _any),  # instrumental
)
POSSESSIVE_ENDINGS = _rules(
    # Only the 3rd person and the plural persons: -ым/-ің end too many roots (өлім, білім).
    (("ымыз", "іміз", "ыңыз", "іңіз", "ы", "і"), _after_consonant),
    (("мыз", "міз", "ңыз", "ңіз", "сы", "сі"), _after_vowel),
)
PLURAL_ENDINGS = _rules((("лар", "лер", "дар", "дер", "тар", "тер"), _any))


def _strip(word: str, rules: tuple[Rule, ...]) -> str:
    for ending, cond in rules:
        if word.endswith(ending) and len(word) > len(ending):
            rest = word[: -len(ending)]
            if len(rest) >= 2 and VOWELS & set(rest) and cond(rest):
                return rest
    return word


def stem_kk(word: str) -> str:
    """The stem of one lower-case Kazakh word («балалардың» → «бала», «жазасын» → «жаза»)."""
    word = word.lower().replace("ё", "е")
    stem = _strip(_strip(_strip(word, CASE_ENDINGS), POSSESSIVE_ENDINGS), PLURAL_ENDINGS)
    if stem != word and stem[-1] in _BACK and word[len(stem) : len(stem) + 1] in VOWELS:
        stem = stem[:-1] + _BACK[stem[-1]]
    return stem

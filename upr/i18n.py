"""Translations. Catalogs are JSON files, one per language and namespace: upr/i18n/<lang>/<ns>.json.

`t("overview.title", "ru")` looks up key "title" in upr/i18n/ru/overview.json. A missing key
falls back to English, then to the key itself, so a gap shows up on screen instead of crashing.

A noun that agrees with a number is written `{n#form|form|form}`: the form for the value of `n`
by the language's rule (Russian: one, few, many — 1 рекомендация, 2 рекомендации, 5 рекомендаций;
English: one, other; Kazakh keeps one form after a number).
"""

from __future__ import annotations

import json
import re
from functools import cache

from upr.config import I18N_DIR

LANGS = ("ru", "en", "kk")
DEFAULT_LANG = "ru"
LANG_NAMES = {"ru": "Русский", "en": "English", "kk": "Қазақша"}


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every key of one language, flattened to `namespace.key`."""
    flat: dict[str, str] = {}
    for path in sorted((I18N_DIR / lang).glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            flat[f"{path.stem}.{key}"] = value
    return flat


PLURAL = re.compile(r"\{(\w+)#([^{}]*)\}")


def plural(lang: str, n: object, forms: list[str]) -> str:
    """The one of `forms` that agrees with the number `n` in `lang` (the last form when `n` is not a whole number)."""
    try:
        whole = int(str(n).replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        return forms[-1]
    if lang == "ru" and len(forms) == 3:
        last, last2 = abs(whole) % 10, abs(whole) % 100
        if last == 1 and last2 != 11:
            return forms[0]
        return forms[1] if 2 <= last <= 4 and not 12 <= last2 <= 14 else forms[2]
    if lang == "en" and len(forms) == 2:
        return forms[0] if whole == 1 else forms[1]
    return forms[0] if len(forms) == 1 else forms[-1]


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The text for `key` in `lang`, formatted with `kwargs` (plural forms chosen by their number)."""
    text, source = catalog(lang).get(key), lang
    if not text:
        text, source = catalog("en").get(key) or key, "en"
    if not kwargs:
        return text
    text = PLURAL.sub(lambda m: plural(source, kwargs[m.group(1)], m.group(2).split("|")), text)
    return text.format(**kwargs)


_PARA_RE = re.compile(r",\s*para(?:graph)?s?\.?\s*(\d+(?:\s*[-–]\s*\d+)?)", re.IGNORECASE)


def cite(citation: str, lang: str = DEFAULT_LANG) -> str:
    """A UN document citation as stored ("A/HRC/59/15/Add.1, para. 3") in the reader's language:
    the symbol as the UN writes it, the paragraph in words of `lang` (catalog key common.cite_para)."""
    return _PARA_RE.sub(lambda m: ", " + t("common.cite_para", lang, n=m.group(1)), citation)

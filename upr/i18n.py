"""Translations. Catalogs are JSON files, one per language and namespace: upr/i18n/<lang>/<ns>.json.

`t("overview.title", "ru")` looks up key "title" in upr/i18n/ru/overview.json. A missing key
falls back to English, then to the key itself, so a gap shows up on screen instead of crashing.
"""

from __future__ import annotations

import json
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


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The text for `key` in `lang`, formatted with `kwargs`."""
    text = catalog(lang).get(key) or catalog("en").get(key) or key
    return text.format(**kwargs) if kwargs else text

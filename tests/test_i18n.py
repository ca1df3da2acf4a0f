"""The catalogs: the same keys in every language, every placeholder kept, every key used exists."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from upr.config import I18N_DIR
from upr.i18n import LANGS, catalog, t

ROOT = Path(__file__).resolve().parent.parent


def test_every_language_has_the_same_namespaces():
    names = {lang: sorted(p.name for p in (I18N_DIR / lang).glob("*.json")) for lang in LANGS}
    assert names["ru"] == names["en"] == names["kk"]


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_same_keys_as_russian(lang):
    assert sorted(catalog(lang)) == sorted(catalog("ru"))


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_placeholders_match_across_languages():
    ru = catalog("ru")
    for lang in ("en", "kk"):
        other = catalog(lang)
        mismatched = [k for k in ru if _fields(ru[k]) != _fields(other[k])]
        assert mismatched == [], lang


def test_no_empty_text():
    for lang in LANGS:
        assert [k for k, v in catalog(lang).items() if not str(v).strip()] == []


def test_catalog_files_are_flat_json_of_strings():
    for path in I18N_DIR.glob("*/*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert all(isinstance(v, str) for v in data.values()), path


def test_every_literal_key_used_in_code_exists():
    """Every `tr("ns.key")` / `t("ns.key", …)` with a literal key names a key of the catalog."""
    pattern = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")
    used = set()
    for folder in ("pages", "ui", "upr", "etl"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in catalog("ru"))
    assert missing == []


def test_fallback_to_english_then_key():
    assert t("common.no_such_key", "ru") == "common.no_such_key"
    assert t("overview.take_total", "en", n=3, cycles=2) == "3 recommendations over 2 cycles in the current selection."

"""The catalogs: the same keys in every language, every placeholder kept, every key used exists."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from upr.config import I18N_DIR
from upr.i18n import LANGS, PLURAL, catalog, plural, t

ROOT = Path(__file__).resolve().parent.parent


def test_every_language_has_the_same_namespaces():
    names = {lang: sorted(p.name for p in (I18N_DIR / lang).glob("*.json")) for lang in LANGS}
    assert names["ru"] == names["en"] == names["kk"]


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_same_keys_as_russian(lang):
    assert sorted(catalog(lang)) == sorted(catalog("ru"))


def _fields(text: str) -> set[str]:
    """The placeholders of a text; a plural form `{n#…|…}` counts as a use of `n`."""
    text = PLURAL.sub(lambda m: "{" + m.group(1) + "}", text)
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_plural_forms_follow_each_language():
    forms = ["рекомендация", "рекомендации", "рекомендаций"]
    got = {n: plural("ru", n, forms) for n in (0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 245, 294)}
    assert got == {
        0: "рекомендаций",
        1: "рекомендация",
        2: "рекомендации",
        4: "рекомендации",
        5: "рекомендаций",
        11: "рекомендаций",
        12: "рекомендаций",
        14: "рекомендаций",
        21: "рекомендация",
        22: "рекомендации",
        25: "рекомендаций",
        101: "рекомендация",
        111: "рекомендаций",
        112: "рекомендаций",
        245: "рекомендаций",
        294: "рекомендации",
    }
    assert [plural("en", n, ["error", "errors"]) for n in (0, 1, 2)] == ["errors", "error", "errors"]
    assert plural("ru", "1 234", forms) == "рекомендации"  # a number written with a thousands space


def test_catalog_texts_agree_with_their_numbers():
    assert t("overview.take_total", "ru", n=294, cycles=1) == "294 рекомендации за 1 цикл в текущей выборке."
    assert t("overview.take_total", "ru", n=861, cycles=4) == "861 рекомендация за 4 цикла в текущей выборке."
    assert t("overview.take_total", "en", n=1, cycles=1) == "1 recommendation over 1 cycle in the current selection."
    assert t("states.drill_count", "ru", state="Франция", n=25) == "Франция: 25 рекомендаций"
    assert t("states.total", "ru", states=21, recs=1, pairs=2).startswith(
        "21 государство дало 1 рекомендацию (2 пары «рекомендация–государство»)"
    )
    assert t("overview.take_total", "kk", n=861, cycles=4) == "Ағымдағы іріктемеде 4 цикл бойынша 861 ұсыныс."


def test_plural_forms_name_a_placeholder_and_have_the_language_s_number_of_forms():
    expected = {"ru": 3, "en": 2, "kk": 1}
    for lang in LANGS:
        for key, text in catalog(lang).items():
            for m in PLURAL.finditer(text):
                assert len(m.group(2).split("|")) == expected[lang], (lang, key)


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


def test_citations_speak_the_readers_language():
    from upr.i18n import cite

    assert cite("A/HRC/59/15/Add.1, para. 3", "ru") == "A/HRC/59/15/Add.1, п. 3"
    assert cite("A/HRC/59/15/Add.1, para. 3", "kk") == "A/HRC/59/15/Add.1, 3-тармақ"
    assert cite("A/HRC/59/15/Add.1, para. 3", "en") == "A/HRC/59/15/Add.1, para. 3"
    assert cite("A/HRC/28/15/Add.1, paras. 3-5", "ru") == "A/HRC/28/15/Add.1, п. 3-5"
    assert cite("A/HRC/28/15/Add.1", "ru") == "A/HRC/28/15/Add.1"


# Widgets whose first argument is the text they show, and the keywords that carry shown text.
_LABELLED = {
    "button", "download_button", "selectbox", "multiselect", "text_input", "text_area", "number_input", "date_input",
    "time_input", "file_uploader", "radio", "checkbox", "toggle", "segmented_control", "pills", "slider",
    "select_slider", "title", "header", "subheader", "caption", "info", "warning", "error", "success", "metric",
    "expander", "tabs", "form_submit_button", "link_button", "popover", "spinner", "toast", "TextColumn",
    "NumberColumn", "DateColumn", "ProgressColumn", "LinkColumn", "CheckboxColumn", "SelectboxColumn", "ListColumn",
    "color_picker", "camera_input", "chat_input", "status", "badge",
}  # fmt: skip
_SHOWN_KEYWORDS = {"label", "placeholder", "help", "caption", "page_title", "title", "text", "body"}


def _literal_words(node) -> str:
    """The words a literal (or the literal parts of an f-string) would show; '' for anything computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return ""


def shown_literals(source: str) -> list[tuple[int, str, str]]:
    """(line, widget, text) of every literal text a widget call in `source` would show."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        shown = [k.value for k in node.keywords if k.arg in _SHOWN_KEYWORDS]
        if node.func.attr in _LABELLED and node.args:
            shown.append(node.args[0])
        for value in shown:
            text = _literal_words(value)
            if re.search(r"[^\W\d_]{2,}", text):
                found.append((node.lineno, node.func.attr, text))
    return sorted(found)


def test_no_widget_shows_a_literal_text():
    """Every text a widget of pages/, ui/ or app.py shows comes from the catalog (`tr`/`t`), never a literal."""
    found = [
        (path.relative_to(ROOT).as_posix(), *hit)
        for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
        for hit in shown_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_scan_finds_a_literal_label():
    """The scan is not blind: a literal label, placeholder or help is caught, a catalog text is not."""
    code = (
        'st.selectbox("Choose", opts, key="x_pick")\n'
        'left.text_input(tr("a.b"), placeholder=f"Search {x}")\n'
        'st.caption(tr("a.c"))\n'
        'st.file_uploader(tr("a.d"), type=["csv"], help="Any file")\n'
        'st.page_link("pages/status.py", label=tr("a.e"))\n'
    )
    assert shown_literals(code) == [
        (1, "selectbox", "Choose"),
        (2, "text_input", "Search "),
        (4, "file_uploader", "Any file"),
    ]

"""Streamlit's own words in the interface language.

Streamlit 1.67 writes a few texts of its widgets in English and offers no parameter to change
them: the file uploader's button («Upload»), its line «200MB per file • XLSX, CSV» and «Drag and drop
a file here» while a file is dragged over it, and the hint under a text input («Press Enter to apply»,
in a form «Press Enter to submit form»). Their
elements carry stable test ids, so a style hides the English words and shows ours from the catalog
in their place (CSS `content`), the element and its behaviour untouched. What stays English: the
tooltips of a table's toolbar, the date picker's calendar and the app's menu (no stable selector).
"""

from __future__ import annotations

import streamlit as st

from upr.i18n import t


def css_string(text: str) -> str:
    """`text` as a CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


def _replace(selector: str, text: str, size: str = "inherit") -> str:
    """Hide what Streamlit wrote inside `selector` and show `text` instead."""
    return (
        f"{selector} {{ font-size: 0 !important; }}\n"
        f"{selector}::after {{ content: {css_string(text)}; font-size: {size}; }}\n"
    )


def input_hint_css(lang: str) -> str:
    """The hint under text inputs, in `lang` (inside a form: the form is sent)."""
    hint = '[data-testid="InputInstructions"] > span:first-child'
    return _replace(hint, t("common.input_apply", lang), "0.75rem") + _replace(
        f'[data-testid="stForm"] {hint}', t("common.input_submit", lang), "0.75rem"
    )


def uploader_css(key: str, button: str, hint: str, drop: str) -> str:
    """The file uploader with widget key `key`: its button says `button`, the line beside it `hint`, and
    the cover it shows while a file is dragged over it `drop` (the cover is its only child without a test id)."""
    zone = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    return (
        _replace(f'{zone} button [data-testid="stMarkdownContainer"] p', button, "0.875rem")
        + _replace(f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span', hint, "0.875rem")
        + _replace(f"{zone} > div:not([data-testid]) > span", drop, "0.875rem")
    )


def localise_builtins(lang: str) -> None:
    """Every page: the text-input hints in `lang` (a style only: it takes no place on the page)."""
    st.html(f"<style>\n{input_hint_css(lang)}</style>")


def localise_uploader(key: str, button: str, hint: str, drop: str) -> None:
    """The file uploader with widget key `key` in the interface language (see `uploader_css`)."""
    st.html(f"<style>\n{uploader_css(key, button, hint, drop)}</style>")

"""Streamlit's own English words replaced by the catalog's, by style."""

from __future__ import annotations

import pytest

from ui.builtin_texts import css_string, input_hint_css, uploader_css
from upr.i18n import LANGS, t


def test_a_css_string_keeps_quotes_and_backslashes_inside():
    assert css_string("до 50 МБ · «XLSX»") == '"до 50 МБ · «XLSX»"'
    assert css_string('say "hi" \\ bye') == '"say \\"hi\\" \\\\ bye"'


def test_the_uploader_shows_our_button_and_line_in_place_of_streamlits():
    css = uploader_css("upload_file", "Выбрать файл", "или перетащите его сюда · до 50 МБ · XLSX", "Отпустите файл")
    zone = '.st-key-upload_file [data-testid="stFileUploaderDropzone"]'
    assert f'{zone} button [data-testid="stMarkdownContainer"] p {{ font-size: 0 !important; }}' in css
    assert (
        f'{zone} button [data-testid="stMarkdownContainer"] p::after {{ content: "Выбрать файл"; font-size: 0.875rem; }}'
        in css
    )
    assert (
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after '
        '{ content: "или перетащите его сюда · до 50 МБ · XLSX"; font-size: 0.875rem; }'
    ) in css
    assert f'{zone} > div:not([data-testid]) > span::after {{ content: "Отпустите файл"; font-size: 0.875rem; }}' in css


@pytest.mark.parametrize("lang", LANGS)
def test_the_text_input_hint_speaks_the_language(lang):
    css = input_hint_css(lang)
    assert f"content: {css_string(t('common.input_apply', lang))};" in css
    assert f"content: {css_string(t('common.input_submit', lang))};" in css
    assert css.count("::after") == 2  # inside a form, the more specific rule says the form is sent

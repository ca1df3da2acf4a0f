"""In a real browser: `/overview` is the Overview, and Streamlit's own English words show ours."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ADMIN, screenshot, wait_for_app
from upr.i18n import t

AFTER = "(el) => getComputedStyle(el, '::after').content"


@pytest.mark.parametrize("lang", ["ru", "en", "kk"])
def test_slash_overview_opens_the_overview_with_the_links_language_and_filters(page, server, watched, lang):
    page.goto(f"{server.url}/overview?lang={lang}&themes=death_penalty")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text(t("overview.title", lang), timeout=30_000)
    expect(page.locator("[data-testid=stMetricValue]")).to_have_text(["5", "9", "16", "12"], timeout=30_000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert urlsplit(page.url).path == "/overview"  # the address stays the one opened
    assert page.title() == t("common.app_title", lang)
    screenshot(page, f"language-overview-{lang}")
    assert watched.page_errors == [] and watched.external == []


def test_the_uploader_and_the_input_hint_speak_kazakh(page, server, watched):
    lang = "kk"
    page.goto(f"{server.url}/upload?lang={lang}")
    wait_for_app(page)
    page.locator(".st-key-auth_name input").fill(ADMIN[0])
    page.locator(".st-key-auth_password input").fill(ADMIN[1])
    hint = page.locator('[data-testid="stForm"] [data-testid="InputInstructions"] > span').first
    expect(hint).to_be_attached()  # the form's hint while a field holds text
    assert hint.evaluate(AFTER) == f'"{t("common.input_submit", lang)}"'
    page.get_by_role("button", name=t("auth.login", lang)).click()
    wait_for_app(page)
    zone = page.locator('.st-key-upload_file [data-testid="stFileUploaderDropzone"]')
    expect(zone).to_be_visible()
    button = zone.locator('button [data-testid="stMarkdownContainer"] p')
    assert button.evaluate(AFTER) == f'"{t("upload.file_button", lang)}"'
    assert button.evaluate("el => getComputedStyle(el).fontSize") == "0px"  # Streamlit's «Upload» takes no room
    line = zone.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').first
    assert line.evaluate(AFTER) == '"{}"'.format(
        t("upload.file_hint", lang, mb=50, formats="XLSX, XLS, CSV, TXT, JSON, DOCX, PDF")
    )
    # While a file is dragged over it, Streamlit covers it with «Drag and drop a file here».
    files = page.evaluate_handle(
        "() => { const dt = new DataTransfer(); dt.items.add(new File(['x'], 'a.csv', {type: 'text/csv'})); return dt; }"
    )
    zone.dispatch_event("dragenter", {"dataTransfer": files})
    cover = zone.locator("> div:not([data-testid]) > span")
    expect(cover).to_be_attached()
    assert cover.evaluate(AFTER) == f'"{t("upload.file_drop", lang)}"'
    zone.scroll_into_view_if_needed()
    screenshot(page, "language-uploader-kk")
    assert watched.page_errors == [] and watched.external == []

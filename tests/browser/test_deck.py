"""The deck stays, in a real browser: slides chosen on the Presentation page are there again after
the Overview, after a reload, and from the copied link; the PPTX downloaded from the page has one
native chart per slide."""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import open_page, screenshot, wait_for_app
from upr.i18n import t

pytestmark = pytest.mark.browser

CHOSEN = ["states", "themes", "cycles"]  # not the default order, nor every slide


def chips(pg) -> list[str]:
    """The slides the multiselect shows, in order (their names)."""
    tags = pg.locator(".st-key-present_slides [data-tag]")
    return [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())]


def choose_slides(pg, names: list[str]) -> None:
    """Remove every chosen slide, then pick `names` in order, as a user does."""
    box = pg.locator(".st-key-present_slides")
    remove = box.locator("button[aria-label^='Remove ']")
    # A fresh session starts with every slide: wait for its chips to be drawn before counting them.
    try:
        remove.first.wait_for(timeout=15_000)
    except PlaywrightTimeout:
        pass  # an empty deck (a session that removed every slide)
    while remove.count():
        remove.first.click()
        wait_for_app(pg)
    for name in names:
        combo, option = box.locator("[role=combobox]"), pg.get_by_role("option", name=name, exact=True)
        for _ in range(3):  # a rerun that lands while the list opens closes it again: open it once more
            combo.click()
            combo.fill(name)
            try:
                option.wait_for(timeout=5_000)
                break
            except PlaywrightTimeout:
                pg.keyboard.press("Escape")
                wait_for_app(pg)
        option.click()
        pg.keyboard.press("Escape")
        wait_for_app(pg)


def deck_query(url: str) -> dict[str, str]:
    return {k: v for k, v in parse_qsl(urlsplit(url).query) if k in ("slides", "slide", "lang", "show")}


def go_to(pg, nav_key: str) -> None:
    pg.locator("[data-testid=stSidebarNav]").get_by_text(t(nav_key, "en"), exact=True).click()
    wait_for_app(pg)


def test_the_deck_stays_across_pages_reload_and_link(page, server, watched, browser):
    names = [t(f"present.slide_{k}", "en") for k in CHOSEN]
    open_page(page, server, "present", "en")
    # A first visit offers every slide (the chips are drawn a moment after the page: wait for them).
    expect(page.locator(".st-key-present_slides [data-tag]")).to_have_count(6, timeout=20_000)
    choose_slides(page, names)
    assert chips(page) == names
    # The second slide in the preview: the current slide is part of the deck too.
    page.locator(".st-key-present_pick").get_by_text(f"2. {names[1]}", exact=True).click()
    wait_for_app(page)
    expect(page.locator(".st-key-present_pptx_kind")).to_be_visible()
    page.locator(".st-key-present_pptx_kind").get_by_text(t("present.pptx_picture", "en"), exact=True).click()
    wait_for_app(page)
    assert deck_query(page.url) == {"slides": ",".join(CHOSEN), "slide": "2", "lang": "en"}

    go_to(page, "common.nav_overview")
    expect(page.locator("h1").first).to_have_text(t("overview.title", "en"))
    go_to(page, "common.nav_present")
    expect(page.locator("h1").first).to_have_text(t("present.title", "en"))
    expect(page.locator(".st-key-present_slides [data-tag]")).to_have_count(3, timeout=20_000)
    assert chips(page) == names  # the deck is as left
    assert t("present.preview", "en", i=2, n=3) in page.locator("[data-testid=stCaptionContainer]").all_inner_texts()
    picture = page.locator(".st-key-present_pptx_kind input[type=radio]").nth(1)
    expect(picture).to_be_checked()
    assert deck_query(page.url) == {"slides": ",".join(CHOSEN), "slide": "2", "lang": "en"}  # and in the address
    screenshot(page, "deck-after-overview-en")

    page.reload()
    wait_for_app(page)
    expect(page.locator(".st-key-present_slides [data-tag]")).to_have_count(3, timeout=20_000)
    assert chips(page) == names  # a reload (a new session) reopens it from the address

    link = page.locator("[data-testid=stCode] code").first.inner_text().strip()
    assert deck_query(link) == {"slides": ",".join(CHOSEN), "slide": "2", "lang": "en", "show": "1"}
    other = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    try:
        other.goto(link.replace(urlsplit(link).netloc, urlsplit(server.url).netloc))
        wait_for_app(other)
        expect(other.get_by_text(t("present.counter", "en", i=2, n=3), exact=True)).to_be_visible()
    finally:
        other.context.close()
    assert watched.problems() == []


def test_pptx_downloaded_from_the_page_has_native_charts(page, server, watched, tmp_path):
    from pptx import Presentation

    open_page(page, server, "present", "ru")
    choose_slides(page, [t("present.slide_cycles", "ru"), t("present.slide_status", "ru")])
    with page.expect_download(timeout=90_000) as info:  # the deck is built on the click: slow on a busy machine
        page.locator(".st-key-present_pptx button").click()
    path = tmp_path / "deck.pptx"
    info.value.save_as(path)
    prs = Presentation(io.BytesIO(path.read_bytes()))
    assert len(prs.slides) == 2
    assert [sum(sh.has_chart for sh in s.shapes) for s in prs.slides] == [1, 1]
    cycles = prs.slides[0].shapes.title.text
    assert cycles == "294 рекомендации в 2025 году, на 20% больше, чем в 2019; поддержано 88%."
    assert watched.problems() == []

"""Every page in every language, in a real browser: it renders, shows no exception, logs no error,
asks nothing of any other machine; a screenshot of each is saved. And the language switch works."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page, screenshot, wait_for_app
from ui.nav import PAGES
from upr.i18n import LANG_NAMES, LANGS, t

pytestmark = pytest.mark.browser


def title_of(page_file: str, lang: str) -> str:
    """The page's heading: every page titles itself with `<its name>.title`."""
    return t(f"{Path(page_file).stem}.title", lang)


def settle_charts(pg) -> None:
    """Plotly draws after the script has finished: wait until every chart has its SVG."""
    charts = pg.locator(".js-plotly-plot")
    for i in range(charts.count()):
        expect(charts.nth(i).locator(".main-svg").first).to_be_attached()
    pg.wait_for_timeout(300)  # the last transitions of the drawing


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_def", PAGES, ids=[p.url_path for p in PAGES])
def test_page_loads_clean(page, server, watched, page_def, lang):
    open_page(page, server, page_def.url_path, lang)
    expect(page.locator("h1").first).to_have_text(title_of(page_def.file, lang))
    settle_charts(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert "Traceback" not in page.locator("[data-testid=stApp]").inner_text()
    screenshot(page, f"{page_def.url_path}-{lang}")
    assert watched.external == []
    assert watched.problems() == []


def test_language_switch_changes_headings(page, server, watched):
    open_page(page, server, "overview", "ru")
    expect(page.locator("h1").first).to_have_text(t("overview.title", "ru"))
    nav = page.locator("[data-testid=stSidebarNav]")
    expect(nav).to_contain_text(t("common.nav_explorer", "ru"))
    for lang in ("en", "kk", "ru"):
        # As a user does it: open the sidebar selectbox, pick the language by its name.
        page.locator(".st-key-app_lang [role=combobox]").click()
        page.get_by_role("option", name=LANG_NAMES[lang], exact=True).click()
        wait_for_app(page)
        expect(page.locator("h1").first).to_have_text(t("overview.title", lang))
        expect(nav).to_contain_text(t("common.nav_explorer", lang))
        expect(page.locator(".st-key-filters_themes [data-testid=stWidgetLabel]")).to_have_text(
            t("common.filter_themes", lang)
        )
        assert (f"lang={lang}" in page.url) == (lang != "ru")
    # The language stays when the user moves to another page.
    nav.get_by_text(t("common.nav_themes", "ru"), exact=True).click()
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text(t("themes.title", "ru"))
    assert watched.problems() == []

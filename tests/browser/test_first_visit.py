"""A browser's first visit to the Overview: the charts' code is asked for once, by the page itself
while the server pauses after the figures (ui.widgets.first_paint_pause), from the same address
Streamlit's bundle loads it from; the charts are drawn and nothing goes wrong."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page
from ui.widgets import _PLOTLY_JS

pytestmark = pytest.mark.browser


def test_the_chart_code_is_loaded_once(page, server, watched):
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/PlotlyChart." in r.url else None)
    open_page(page, server, "overview", "en")
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(2)
    for i in range(2):
        expect(charts.nth(i).locator(".main-svg").first).to_be_attached()
    assert asked == [f"{server.url}/static/js/{_PLOTLY_JS[-1].name}"]
    # The page's own loader is in the sidebar (no gap in the page for a later run to take away).
    loader = page.locator("[data-testid=stSidebar] [data-testid=stHtml]")
    assert any(_PLOTLY_JS[-1].name in loader.nth(i).inner_html() for i in range(loader.count()))
    assert watched.problems() == []

"""What AppTest cannot see, in a real browser: a sidebar filter redrawing a chart, a click on a bar
opening the filtered Explorer, and an export downloaded and opened."""

from __future__ import annotations

import csv
import io
import re

import duckdb
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import chart_data, open_page, wait_for_app
from upr.i18n import t

pytestmark = pytest.mark.browser

# The demo's death-penalty recommendations per cycle (etl/demo.py: it recurs in all four cycles).
DEATH_PENALTY = [5, 9, 16, 12]


def reference_rows(server, sql: str) -> list[tuple]:
    """The rows of `sql` on the demo as it was before the server started (the server holds its file)."""
    con = duckdb.connect(str(server.reference_db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def reference_ids(server, sql: str) -> set[str]:
    """The first column of `sql` on the reference demo, as a set."""
    return {r[0] for r in reference_rows(server, sql)}


def pick_option(pg, key: str, text: str) -> None:
    """Choose `text` in the sidebar widget `key` as a user does: open, type, click the option."""
    box = pg.locator(f".st-key-{key} [role=combobox]")
    box.click()
    box.fill(text)
    pg.get_by_role("option", name=text, exact=True).click()
    pg.keyboard.press("Escape")
    wait_for_app(pg)


def test_theme_filter_changes_the_overview(page, server, watched):
    open_page(page, server, "overview", "en")
    metrics = page.locator("[data-testid=stMetricValue]")
    expect(metrics).to_have_text(["128", "194", "245", "294"])
    before = chart_data(page, "overview_cycles")
    assert before[-1]["y"] == [128, 194, 245, 294]  # the totals above the bars
    (label,) = reference_rows(server, "SELECT label_en FROM theme WHERE code = 'death_penalty'")[0]
    pick_option(page, "filters_themes", label)
    expect(metrics).to_have_text([str(n) for n in DEATH_PENALTY])
    after = chart_data(page, "overview_cycles")
    assert after[-1]["y"] == DEATH_PENALTY
    bars = [trace for trace in after if trace["type"] == "bar"]
    assert [sum(v) for v in zip(*(trace["y"] for trace in bars))] == DEATH_PENALTY
    assert "themes=death_penalty" in page.url
    assert watched.problems() == []


def test_click_on_a_bar_opens_the_filtered_explorer(page, server, watched):
    open_page(page, server, "overview", "en")
    expected = reference_ids(
        server,
        "SELECT r.id FROM recommendation r JOIN review v ON v.id = r.review_id "
        "WHERE v.sur_iso3 = 'KAZ' AND v.cycle = 1 AND r.response = 'supported'",
    )
    # The first bar of the first trace: cycle 1, supported.
    bar = page.locator(".st-key-overview_cycles .js-plotly-plot .barlayer .trace").first.locator(".point path").first
    # Plotly's drag layer lies over the bars and turns a click at a bar's place into its selection:
    # click there with the mouse, as a user does.
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # plotly picks the point under the pointer on hover, then a click selects it
    expect(page.locator(".st-key-overview_cycles .hoverlayer .hovertext").first).to_be_attached()
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"/explorer\?"))
    wait_for_app(page)
    assert "cycles=1" in page.url and "responses=supported" in page.url
    expect(page.locator("h1").first).to_have_text(t("explorer.title", "en"))
    caption = t("explorer.showing", "en", first=1, last=50, total=len(expected))
    expect(page.get_by_text(caption)).to_be_visible()
    assert watched.problems() == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_explorer_export_downloads_every_filtered_row(page, server, watched, tmp_path, fmt):
    expected = reference_ids(
        server,
        "SELECT r.id FROM recommendation r JOIN review v ON v.id = r.review_id "
        "JOIN rec_theme x ON x.rec_id = r.id AND x.theme_code = 'death_penalty' "
        "WHERE v.sur_iso3 = 'KAZ' AND v.cycle = 3",
    )
    assert len(expected) == 16  # the demo's cycle 3: 16 death-penalty recommendations
    open_page(page, server, "explorer", "en", "cycles=3&themes=death_penalty")
    expect(page.get_by_text(t("explorer.showing", "en", first=1, last=16, total=16))).to_be_visible()
    with page.expect_download() as info:
        page.locator(f".st-key-explorer_{fmt}").get_by_role("button", name=t(f"explorer.export_{fmt}", "en")).click()
    download = info.value
    assert download.suggested_filename == f"upr_recommendations.{fmt}"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    else:
        rows = [list(r) for r in load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert header[0] == t("explorer.col_id", "en")
    assert len(body) == 16
    assert {r[0] for r in body} == expected
    assert watched.problems() == []

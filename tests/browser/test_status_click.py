"""In a real browser: the NGOs' «Не выполнена» segment of 2025 on the Status page opens the Explorer
with exactly those recommendations (74 on the demo, not all 294 of the cycle), says which status
it shows, and the status can be cleared again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page, screenshot, wait_for_app
from tests.browser.test_interactions import reference_ids
from upr.i18n import t

pytestmark = pytest.mark.browser

# The segment's bounding box, found through the data plotly.js bound to each drawn bar.
_SEGMENT_BOX = """
([cycle, source, status]) => {
  for (const tr of document.querySelectorAll('.st-key-status_bars_cycle .js-plotly-plot .barlayer .trace')) {
    const cd = tr.__data__;
    if (!cd || !cd[0] || !cd[0].trace) continue;
    const trace = cd[0].trace;
    for (const point of tr.querySelectorAll('.point')) {
      const c = (trace.customdata || [])[point.__data__.i];
      if (c && c[0] === cycle && c[1] === source && c[2] === status) {
        const r = point.querySelector('path').getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};
      }
    }
  }
  return null;
}
"""


def test_the_2025_ngo_not_implemented_segment_opens_its_74(page, server, watched):
    expected = reference_ids(
        server,
        """
        SELECT r.id FROM recommendation r JOIN review v ON v.id = r.review_id
        WHERE v.sur_iso3 = 'KAZ' AND v.cycle = 4 AND r.merged_into IS NULL
          AND (SELECT arg_max(a.status, (a.as_of, a.id)) FROM assessment a
               WHERE a.rec_id = r.id AND a.source_kind = 'ngo') = 'not_implemented'
        """,
    )
    assert len(expected) == 74
    open_page(page, server, "status", "ru")
    chart = page.locator(".st-key-status_bars_cycle .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    box = page.evaluate(_SEGMENT_BOX, [4, "ngo", "not_implemented"])
    assert box is not None and box["width"] > 4
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # plotly picks the point under the pointer on hover, then a click selects it
    hover = page.locator(".st-key-status_bars_cycle .hoverlayer .hovertext").first
    expect(hover).to_contain_text("74 / 233")
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"/explorer\?"))
    wait_for_app(page)
    assert "cycles=4" in page.url and "status=ngo%3Anot_implemented" in page.url.replace(":", "%3A")
    expect(page.get_by_text(t("explorer.showing", "ru", first=1, last=50, total=74))).to_be_visible()
    expect(page.get_by_text(t("explorer.status_active", "ru", statuses="НПО: Не выполнена"))).to_be_visible()
    shown = page.locator(".st-key-filters_status").get_by_text("НПО: Не выполнена")
    expect(shown).to_be_visible()  # the sidebar shows the status it filters by
    screenshot(page, "status_click_explorer_ru")

    page.locator(".st-key-explorer_status_clear").get_by_role("button").click()
    wait_for_app(page)
    expect(page.get_by_text(t("explorer.showing", "ru", first=1, last=50, total=294))).to_be_visible()
    assert "status=" not in page.url
    assert watched.problems() == []


# The centre of one cell of the disagreement matrix, from its axes (plotly.js draws a heatmap as one image).
_CELL_POINT = """
([a, b]) => {
  const gd = document.querySelector('.st-key-status_matrix .js-plotly-plot');
  const heat = gd._fullData.find(t => t.type === 'heatmap');
  const i = heat.customdata.findIndex(row => row[0][0] === a);
  const j = heat.customdata[i].findIndex(c => c[1] === b);
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, r = gd.getBoundingClientRect();
  return {x: r.left + xa._offset + xa.c2p(j) + 20, y: r.top + ya._offset + ya.c2p(i) + 10, n: heat.z[i][j]};
}
"""


def test_a_cell_of_the_disagreement_matrix_opens_its_recommendations(page, server, watched):
    expected = reference_ids(
        server,
        """
        WITH cur AS (SELECT rec_id, source_kind, arg_max(status, (as_of, id)) AS status FROM assessment GROUP BY ALL)
        SELECT g.rec_id FROM cur g JOIN cur n ON n.rec_id = g.rec_id
        WHERE g.source_kind = 'government' AND g.status = 'in_progress'
          AND n.source_kind = 'ngo' AND n.status = 'not_implemented'
        """,
    )
    assert len(expected) == 78
    open_page(page, server, "status", "en")
    page.locator(".st-key-status_view").get_by_text(t("status.view_disagree", "en")).click()
    wait_for_app(page)
    chart = page.locator(".st-key-status_matrix .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    point = page.evaluate(_CELL_POINT, ["in_progress", "not_implemented"])
    assert point["n"] == 78
    page.mouse.move(point["x"], point["y"])  # off the cell's centre: the marker over the cell still answers
    expect(page.locator(".st-key-status_matrix .hoverlayer .hovertext").first).to_contain_text("78")
    page.mouse.click(point["x"], point["y"])
    expect(page).to_have_url(re.compile(r"/explorer\?"))
    wait_for_app(page)
    expect(page.get_by_text(t("explorer.showing", "en", first=1, last=50, total=78))).to_be_visible()
    statuses = "Government: In progress; NGOs: Not implemented"
    expect(page.get_by_text(t("explorer.status_active", "en", statuses=statuses))).to_be_visible()
    assert watched.problems() == []

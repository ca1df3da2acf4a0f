"""The plan page and the work list in a real browser: the plan's 9 sections and 41 items in Russian,
the overdue ones, and the work list's xlsx and DOCX downloaded and opened with the rows it shows."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import open_page, screenshot, wait_for_app
from upr.i18n import t

pytestmark = pytest.mark.browser


def test_plan_page_in_russian(page, server, watched):
    open_page(page, server, "plan", "ru")
    expect(page.locator("h1").first).to_have_text(t("plan.title", "ru"))
    metrics = page.locator("[data-testid=stMetricValue]")
    expect(metrics.nth(0)).to_have_text("9")
    expect(metrics.nth(1)).to_have_text("41")
    page.locator(".st-key-plan_view").get_by_text(t("plan.view_overdue", "ru"), exact=True).click()
    wait_for_app(page)
    expect(page.locator("[data-testid=stDataFrame]").first).to_be_visible()
    screenshot(page, "plan-overdue-ru")
    page.locator(".st-key-plan_view").get_by_text(t("plan.view_chart", "ru"), exact=True).click()
    wait_for_app(page)
    expect(page.locator(".st-key-plan_status_by_agency .js-plotly-plot")).to_be_visible()
    screenshot(page, "plan-by-agency-ru")
    assert page.locator("[data-testid=stException]").count() == 0
    assert watched.problems() == []


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_work_list_downloads_open_with_its_rows(page, server, watched, tmp_path, fmt):
    open_page(page, server, "worklist", "ru", "")
    expect(page.locator("h1").first).to_have_text(t("worklist.title", "ru"))
    with page.expect_download() as info:
        page.locator(f".st-key-worklist_{fmt}").get_by_role("button").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    data = io.BytesIO(path.read_bytes())
    if fmt == "xlsx":
        rows = list(load_workbook(data, read_only=True).worksheets[0].iter_rows(values_only=True))
        assert rows[0][0] == t("worklist.col_ref", "ru") and len(rows) - 1 == 259
    else:
        doc = Document(data)
        assert doc.paragraphs[0].text == t("worklist.docx_title", "ru")
        assert sum(p.style.name == "List Bullet" for p in doc.paragraphs) == 259
    screenshot(page, f"worklist-{fmt}-ru")
    assert watched.problems() == []

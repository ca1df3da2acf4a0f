"""The NGO editor's round trip in a real browser: sign in, download the template, fill it with
openpyxl, upload it, confirm, and see the NGOs' implemented share on the Overview change."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import NGO_EDITOR, chart_data, open_page, screenshot, wait_for_app
from tests.test_template_xlsx import column
from upr.i18n import t
from upr.vocab import label

pytestmark = pytest.mark.browser
MARKED = 20  # recommendations the editor marks implemented


def ngo_share_after(server, cycle: int, marked: set[str]) -> tuple[float, float]:
    """The NGOs' implemented share of `cycle` before and after `marked` become implemented (today).

    Computed in Python from the reference demo: each recommendation's current NGO assessment is
    its latest by date, then by id; the new ones are dated today, so they are the latest.
    """
    con = duckdb.connect(str(server.reference_db), read_only=True)
    try:
        rows = con.execute(
            "SELECT a.rec_id, a.status, a.as_of, a.id FROM assessment a "
            "JOIN recommendation r ON r.id = a.rec_id JOIN review v ON v.id = r.review_id "
            "WHERE v.sur_iso3 = 'KAZ' AND v.cycle = ? AND a.source_kind = 'ngo'",
            [cycle],
        ).fetchall()
    finally:
        con.close()
    current: dict[str, tuple] = {}
    for rec_id, status, as_of, aid in rows:
        if rec_id not in current or (as_of, aid) > current[rec_id][1:]:
            current[rec_id] = (status, as_of, aid)
    before = {rec_id: v[0] for rec_id, v in current.items()}
    after = before | dict.fromkeys(marked, "implemented")

    def share(statuses: dict[str, str]) -> float:
        return round(100 * sum(s == "implemented" for s in statuses.values()) / len(statuses), 1)

    return share(before), share(after)


def test_ngo_editor_uploads_and_sees_the_chart_change(page, server, watched, tmp_path):
    lang = "en"
    name, password, org = NGO_EDITOR
    ngo_name = label("source_kind", "ngo", lang)
    before, _ = ngo_share_after(server, 4, set())
    open_page(page, server, "overview", lang)
    assert next(tr for tr in chart_data(page, "overview_implemented") if tr["name"] == ngo_name)["y"][-1] == before

    open_page(page, server, "upload", lang)
    expect(page.get_by_text(t("auth.why", lang))).to_be_visible()
    page.locator(".st-key-auth_name input").fill(name)
    page.locator(".st-key-auth_password input").fill(password)
    page.get_by_role("button", name=t("auth.login", lang)).click()
    wait_for_app(page)
    expect(page.locator(".st-key-upload_template button")).to_be_visible()
    expect(page.locator(".st-key-upload_cycle [role=combobox]")).to_have_value("Cycle 4 (2025)")

    # 1. The template, downloaded for real.
    with page.expect_download() as info:
        page.locator(".st-key-upload_template button").click()
    download = info.value
    assert download.suggested_filename == f"upr_assessments_KAZ_cycle4_{lang}.xlsx"
    template = tmp_path / download.suggested_filename
    download.save_as(template)

    # 2. Filled as an editor would: the first twenty rows marked implemented, in the sheet's language.
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    assert ws.max_row == 1 + 294  # cycle 4 of the demo
    assert ws.cell(row=2, column=column("organisation")).value == org
    marked = set()
    for row in range(2, 2 + MARKED):
        ws.cell(row=row, column=column("status"), value=label("status", "implemented", lang))
        ws.cell(row=row, column=column("as_of"), value=date.today())
        marked.add(ws.cell(row=row, column=1).value)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    _, after = ngo_share_after(server, 4, marked)
    assert after != before

    # 3. Uploaded through the file uploader, previewed, confirmed.
    page.locator(".st-key-upload_file input[type=file]").set_input_files(str(filled))
    wait_for_app(page)
    # New, changed, history only, unchanged, errors.
    expect(page.locator("[data-testid=stMetricValue]")).to_have_text([str(MARKED), "0", "0", "0", "0"])
    screenshot(page, "upload-preview-en")
    page.locator(".st-key-upload_confirm button").click()
    wait_for_app(page)
    expect(page.locator("[data-testid=stAlertContentSuccess]")).to_contain_text(f"{MARKED}")
    screenshot(page, "upload-done-en")

    # 4. The Overview, reached through the sidebar in the same session, shows the new share.
    page.locator("[data-testid=stSidebarNav]").get_by_text(t("common.nav_overview", lang), exact=True).click()
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text(t("overview.title", lang))
    ngo = next(tr for tr in chart_data(page, "overview_implemented") if tr["name"] == ngo_name)
    assert ngo["y"][-1] == after
    caption = t("overview.card_implemented", lang, source=ngo_name, pct=f"{after:.0f}")
    expect(page.get_by_text(caption, exact=True)).to_be_visible()
    assert watched.problems() == []

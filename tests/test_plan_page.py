"""The plan page under AppTest, in each language: 9 sections, 41 items, overdue ones, agencies."""

from __future__ import annotations

import pytest

from tests.test_app import run_app
from tests.test_upload import users  # noqa: F401 - the accounts fixture
from upr.i18n import LANGS, t

PAGE = "pages/plan.py"


@pytest.mark.parametrize("lang", LANGS)
def test_plan_page_shows_sections_items_and_overdue(app_db, lang):
    at = run_app(lang, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("plan.title", lang)
    metrics = [m.value for m in at.metric]
    assert metrics[:2] == ["9", "41"]
    assert metrics[2].endswith("41") or metrics[2].startswith("41")  # «27 из 41»: a count beside its total
    assert len(at.dataframe[0].value) == 9


@pytest.mark.parametrize("view", ["items", "overdue", "agencies", "chart", "indicators", "coalition"])
def test_every_view_renders(app_db, view):
    at = run_app("ru", PAGE, plan_view=view)
    assert not at.exception, [e.value for e in at.exception]
    if view == "items":
        assert len(at.dataframe[0].value) == 41
    if view == "coalition":
        assert len(at.dataframe[0].value) == 7  # seven working groups, each led by one NGO
    if view == "indicators":
        assert at.dataframe[0].value.iloc[0].tolist()[-2:] == [
            42,
            "Уполномоченный по правам человека в Республике Казахстан",
        ]


def test_agency_on_the_sidebar_narrows_the_plan(app_db):
    at = run_app("ru", PAGE, filters_agencies=["MJ"], plan_view="items")
    assert not at.exception, [e.value for e in at.exception]
    assert 0 < len(at.dataframe[0].value) < 41


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/explorer.py", "pages/worklist.py"])
def test_agency_on_the_sidebar_changes_other_pages(app_db, page):
    at = run_app("ru", page, filters_agencies=["MJ"])
    assert not at.exception, [e.value for e in at.exception]
    if page == "pages/overview.py":
        assert [m.value for m in at.metric] != ["128", "194", "245", "294"]
        assert sum(int(m.value) for m in at.metric) < 861
    if page == "pages/worklist.py":
        assert 0 < len(at.dataframe[1].value) < 259


def test_administrator_gets_the_plan_template_on_the_upload_page(app_db, users):  # noqa: F811 - the fixture
    from tests.test_upload import signed_in

    at = run_app("ru", "pages/upload.py", auth_user=signed_in("boss"))
    assert not at.exception, [e.value for e in at.exception]
    assert any(t("upload.plan_template_caption", "ru") in c.value for c in at.caption)

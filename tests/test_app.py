"""The whole app under AppTest: every page, every language, no exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.nav import PAGES
from upr.i18n import LANGS, t

ROOT_APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run_app(lang: str = "ru", page: str | None = None, **state: object) -> AppTest:
    """Run the app once with widget state preset by key, then open `page`.

    AppTest (Streamlit 1.67) re-runs only the page script after the first run of an app that uses
    st.navigation, so the sidebar widgets of app.py are set by key before that first run.
    """
    at = AppTest.from_file(ROOT_APP, default_timeout=60)
    at.session_state["app_lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def test_every_page_file_is_registered():
    from tests.conftest import ROOT

    files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py")}
    assert files == {p.file for p in PAGES}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p.file for p in PAGES])
def test_page_renders(app_db, page, lang):
    at = run_app(lang, page)
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("lang", LANGS)
def test_overview_shows_four_cycles(app_db, lang):
    at = run_app(lang)
    assert not at.exception
    assert at.title[0].value == t("overview.title", lang)
    assert [m.value for m in at.metric] == ["128", "194", "245", "294"]
    supported = t("overview.card_supported", lang, n=259, total=294, pct="88")  # a count beside the share
    assert any(supported in md.value for md in at.markdown)


def test_demo_banner_shown_on_demo(app_db):
    at = run_app("en")
    assert at.info[0].value == t("common.demo_banner", "en")


def test_theme_filter_changes_overview(app_db):
    at = run_app("en", filters_themes=["death_penalty"])
    assert not at.exception
    assert at.multiselect(key="filters_themes").value == ["death_penalty"]
    assert [m.value for m in at.metric] == ["5", "9", "16", "12"]


DASHBOARDS = [
    "pages/overview.py",
    "pages/cycles.py",
    "pages/status.py",
    "pages/themes.py",
    "pages/states.py",
    "pages/explorer.py",
]


@pytest.mark.parametrize("page", DASHBOARDS)
def test_an_empty_selection_says_why(app_db, page):
    """No recommendation of the demo is pending: each dashboard says so instead of drawing empty axes."""
    at = run_app("en", page, filters_responses=["pending"])
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [t("common.no_data", "en", why=t("common.no_data_filters", "en"))]
    assert not at.get("plotly_chart")


def test_a_theme_filter_changes_every_page_consistently(app_db):
    """Death penalty on the demo: 5 / 9 / 16 / 12 recommendations per cycle, 42 in all, on every page."""
    f = {"filters_themes": ["death_penalty"]}
    assert [m.value for m in run_app("en", "pages/overview.py", **f).metric] == ["5", "9", "16", "12"]
    cycles = run_app("en", "pages/cycles.py", **f)  # cycles 3 and 4 side by side
    assert [cycles.metric[0].value, cycles.metric[3].value] == ["16", "12"]
    themes = run_app("en", "pages/themes.py", **f)
    assert "Death penalty: 42 recommendations" in [m.value for m in themes.markdown]
    states = run_app("en", "pages/states.py", **f)
    assert any(m.value.startswith("28 States made 42 recommendations") for m in states.markdown)
    explorer = run_app("en", "pages/explorer.py", **f)
    assert explorer.caption[0].value.startswith("Recommendations 1–42 of 42.")


@pytest.mark.parametrize("lang", LANGS)
def test_the_overview_opens_at_the_root_and_at_slash_overview(app_db, lang):
    """`/` and `/overview` both run the Overview (Streamlit alone answers «Page not found» at the
    default page's own address), in the language of the link, with the filters of the session."""
    at = AppTest.from_file(ROOT_APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.session_state["filters_themes"] = ["death_penalty"]
    at.run()  # the root
    assert not at.exception
    assert at.title[0].value == t("overview.title", lang)
    assert [m.value for m in at.metric] == ["5", "9", "16", "12"]
    urls = {info.get("url_pathname"): info for info in at._registered_pages.values()}
    assert urls[""]["script_path"] == urls["overview"]["script_path"]
    assert urls["overview"]["script_path"].endswith("pages/overview.py")
    at.switch_page("pages/overview.py").run()  # the page registered as `overview`
    assert not at.exception
    assert at.title[0].value == t("overview.title", lang)
    assert [m.value for m in at.metric] == ["5", "9", "16", "12"]
    assert at.query_params.get("lang") == (None if lang == "ru" else lang)


def test_a_page_that_ends_early_still_draws_the_filters_after_it(app_db):
    """The shell draws the sidebar's filters after the page (so a browser shows the page's figures
    first), also when the page ends early: the Overview with nothing to show stops at its message."""
    at = run_app("en", filters_responses=["pending"])  # the demo has no pending recommendation
    assert not at.exception
    assert [w.value for w in at.warning] == [t("common.no_data", "en", why=t("common.no_data_filters", "en"))]
    assert not at.metric  # the page ended before its cards
    assert [m.key for m in at.sidebar.multiselect] == [
        "filters_cycles",
        "filters_themes",
        "filters_responses",
        "filters_sources",
        "filters_status",
        "filters_states",
        "filters_groups",
        "filters_agencies",
        "filters_plans",
    ]
    assert at.multiselect(key="filters_responses").value == ["pending"]
    assert [s.key for s in at.sidebar.selectbox] == ["app_lang"]  # the language above them, as before
    assert at.sidebar.button(key="filters_reset").label == t("common.filter_reset", "en")


class _QueryLog:
    """upr.queries as ui.data sees it, noting the name of every query run (not answered from the cache)."""

    def __init__(self) -> None:
        from upr import queries

        self.names: list[str] = []
        self._queries = queries

    def __getattr__(self, name: str):  # noqa: ANN204
        self.names.append(name)
        return getattr(self._queries, name)


def test_the_page_queries_before_the_options_of_filters_with_nothing_chosen(app_db, monkeypatch):
    """A filter's options are read before the page only when something is chosen in it; the others
    when the filters are drawn, after the page: a first visit's figures do not wait for them."""
    from ui import data

    log = _QueryLog()
    monkeypatch.setattr(data, "queries", log)
    data.clear_caches()
    at = run_app("en")
    assert not at.exception
    names = log.names
    assert names.index("states_under_review") < names.index("cycle_overview") < names.index("reviews")
    assert names.index("cycle_overview") < names.index("theme_options") < names.index("plan_options")
    assert len(at.sidebar.multiselect) == 9

    log.names.clear()
    data.clear_caches()
    at = run_app("en", filters_themes=["death_penalty", "no_such_theme"])
    assert not at.exception
    # The chosen theme is checked against the data first; what it no longer offers is dropped.
    assert log.names.index("theme_options") < log.names.index("cycle_overview") < log.names.index("reviews")
    assert at.multiselect(key="filters_themes").value == ["death_penalty"]
    assert [m.value for m in at.metric] == ["5", "9", "16", "12"]

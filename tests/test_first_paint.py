"""The first-paint pause before the Overview's charts: once per browser session and page, never in tests."""

from __future__ import annotations

import types

import pytest

import ui.widgets as widgets
from tests.test_app import run_app


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the pauses instead of sleeping."""
    slept: list[float] = []
    monkeypatch.setattr(widgets, "time", types.SimpleNamespace(sleep=slept.append))
    return slept


def fake_streamlit(monkeypatch: pytest.MonkeyPatch, headers: dict[str, str]) -> types.SimpleNamespace:
    """The parts of Streamlit the pause uses: the session's state, its HTTP headers, and the
    sidebar (where the chart code's preload goes: recorded in `fake.html`)."""
    html: list[tuple[str, bool]] = []
    sidebar = types.SimpleNamespace(
        html=lambda body, unsafe_allow_javascript: html.append((body, unsafe_allow_javascript))
    )
    fake = types.SimpleNamespace(session_state={}, context=types.SimpleNamespace(headers=headers), sidebar=sidebar)
    fake.html = html
    monkeypatch.setattr(widgets, "st", fake)
    return fake


def test_a_browser_session_pauses_once_per_page(monkeypatch, pauses):
    fake = fake_streamlit(monkeypatch, {"Host": "127.0.0.1:8501", "User-Agent": "Chromium"})
    widgets.first_paint_pause("overview")
    widgets.first_paint_pause("overview")  # a rerun: the browser has the code by now
    widgets.first_paint_pause("status")
    assert pauses == [0.4, 0.4]
    assert set(fake.session_state) == {"_first_paint_done_overview", "_first_paint_done_status"}
    # Each pause is used to load the chart code, from where Streamlit's bundle loads it.
    assert len(fake.html) == 2
    body, scripted = fake.html[0]
    assert scripted is True
    assert f'new URL("{widgets._PLOTLY_JS[-1].name}", main.src)' in body
    assert "import(href)" in body


def test_streamlit_has_the_chart_code_the_preload_names():
    assert [p.name.split(".")[0] for p in widgets._PLOTLY_JS] == ["PlotlyChart"]
    assert widgets._PLOTLY_JS[0].stat().st_size > 1_000_000


def test_no_browser_no_pause(monkeypatch, pauses):
    fake = fake_streamlit(monkeypatch, {})
    widgets.first_paint_pause("overview")
    assert pauses == []
    assert fake.session_state == {}
    assert fake.html == []


def test_the_servers_own_visit_at_start_does_not_pause(monkeypatch, pauses):
    from ui.serve import WARM_UP_HEADER

    fake = fake_streamlit(monkeypatch, {"Host": "127.0.0.1:8501", WARM_UP_HEADER: "1"})
    widgets.first_paint_pause("overview")
    assert pauses == []
    assert fake.html == []
    assert set(fake.session_state) == {"_first_paint_done_overview"}


def test_the_overview_under_apptest_does_not_pause(app_db):
    at = run_app("en")
    assert not at.exception
    assert len(at.metric) == 4
    assert "filters" in at.session_state  # the state is there: the flag is not
    assert "_first_paint_done_overview" not in at.session_state

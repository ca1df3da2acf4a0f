"""The Presentation page under AppTest: every slide in the presenter view, the link, the chrome."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import ROOT_APP, run_app
from upr import slides
from upr.filters import Filters
from upr.i18n import t

PAGE = "pages/present.py"


def _presenting(lang: str, keys: tuple[str, ...], **state: object) -> AppTest:
    return run_app(
        lang,
        PAGE,
        present_show=True,
        present_deck=list(keys),
        present_index=0,
        **state,
    )


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_slide_renders_in_the_presenter_view(app_db, lang):
    at = _presenting(lang, slides.SLIDE_KEYS)
    seen = []
    for number in range(1, len(slides.SLIDE_KEYS) + 1):
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["present_index"] == number - 1
        assert any(m.value == f"**{t('present.counter', lang, i=number, n=6)}**" for m in at.markdown)
        seen.append(at.session_state["present_index"])
        if number < len(slides.SLIDE_KEYS):
            at.button(key="present_next").click().run()
    assert seen == [0, 1, 2, 3, 4, 5]
    assert at.button(key="present_next").disabled
    at.button(key="present_prev").click().run()
    assert at.session_state["present_index"] == 4
    # No page title, multiselect or demo banner: only the slide.
    assert not at.title and not at.multiselect and not at.info


def test_exit_returns_to_the_setup_view(app_db):
    at = _presenting("en", ("cycles", "themes"))
    at.button(key="present_exit").click().run()
    assert not at.exception
    assert at.title[0].value == t("present.title", "en")
    assert at.multiselect(key="present_slides").value == ["cycles", "themes"]
    assert at.session_state["present_show"] is False  # the shell shows the chrome again (AppTest re-runs only the page)


def test_setup_link_reproduces_slides_and_filters(app_db):
    at = run_app("en", PAGE, filters_cycles=[3, 4], filters_themes=["death_penalty"])
    assert not at.exception
    at.multiselect(key="present_slides").set_value(["themes", "cycles", "recurring", "states"]).run()
    at.segmented_control(key="present_pick").set_value(2).run()
    assert not at.exception
    link = at.code[0].value
    query = dict(parse_qsl(urlsplit(link).query))
    deck = slides.Deck.from_query(query)
    assert deck == slides.Deck(
        slides=("themes", "cycles", "recurring", "states"),
        current=2,
        lang="en",
        filters=Filters(cycles=(3, 4), themes=("death_penalty",)),
        show=True,
    )


def test_link_opens_the_deck(app_db):
    at = AppTest.from_file(ROOT_APP, default_timeout=60)
    link = slides.Deck(("supported", "states"), 1, "en", Filters(cycles=(2, 3)), show=True).to_query()
    for key, value in link.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert at.session_state["present_deck"] == ["supported", "states"]
    assert at.session_state["present_index"] == 1
    assert at.session_state["filters"] == Filters(cycles=(2, 3))
    assert any(m.value == "**2 / 2**" for m in at.markdown)


def test_without_a_browser_native_charts_still_download(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    at = run_app("en", PAGE)
    assert not at.exception
    assert at.radio(key="present_pptx_kind").value == "native"
    (pptx,) = [b for b in at.get("download_button") if b.proto.label == t("present.pptx", "en")]
    assert not pptx.proto.disabled  # editable charts need no browser
    at.radio(key="present_pptx_kind").set_value("picture").run()
    assert not at.exception
    assert t("present.no_browser", "en") in [c.value for c in at.caption]
    (pptx,) = [b for b in at.get("download_button") if b.proto.label == t("present.pptx", "en")]
    assert pptx.proto.disabled
    assert at.session_state["present_pptx_kept"] == "picture"


def test_the_deck_stays_after_another_page(app_db):
    at = run_app("en", PAGE)
    at.multiselect(key="present_slides").set_value(["states", "themes", "cycles"]).run()
    at.segmented_control(key="present_pick").set_value(1).run()
    at.radio(key="present_pptx_kind").set_value("picture").run()
    assert not at.exception
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.multiselect(key="present_slides").value == ["states", "themes", "cycles"]
    assert at.session_state["present_index"] == 1
    assert at.radio(key="present_pptx_kind").value == "picture"
    query = dict(parse_qsl(urlsplit(at.code[0].value).query))
    assert query["slides"] == "states,themes,cycles" and query["slide"] == "2"
    assert at.query_params["slides"] == "states,themes,cycles"

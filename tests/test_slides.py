"""The presenter's deck: slides and headlines from the demo, large type, the PPTX, the shared link."""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from PIL import Image

from upr import images, slides
from upr.filters import Filters
from upr.i18n import t


def _fetch(demo_con):
    return slides.connection_fetch(demo_con)


def _png(width: int = 2560, height: int = 1200) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, "PNG")
    return buf.getvalue()


def test_cycles_headline_from_the_figures(demo_con):
    # Cycle 4: 294 recommendations, 259 supported; cycle 3: 245 (DOMAIN.md).
    n4, sup4 = demo_con.execute(
        "SELECT count(*), count(*) FILTER (WHERE response = 'supported') FROM recommendation r "
        "JOIN review v ON v.id = r.review_id WHERE v.cycle = 4"
    ).fetchone()
    assert (n4, sup4) == (294, 259)
    slide = slides.build_slide("cycles", _fetch(demo_con), Filters(), "en")
    assert slide.headline == "294 recommendations in 2025, 20% more than in 2019; 88% supported."
    total = sum(sum(tr.y) for tr in slide.figure.data if tr.type == "bar")
    assert total == 128 + 194 + 245 + 294


def test_every_headline_in_english(demo_con):
    top_theme = demo_con.execute(
        "SELECT th.label_en, count(DISTINCT x.rec_id) AS n FROM rec_theme x JOIN theme th ON th.code = x.theme_code "
        "GROUP BY ALL ORDER BY n DESC LIMIT 1"
    ).fetchone()
    states = demo_con.execute("SELECT count(DISTINCT iso3) FROM rec_state WHERE iso3 IS NOT NULL").fetchone()[0]
    top_state = demo_con.execute(
        "SELECT s.name_en, count(DISTINCT x.rec_id) n FROM rec_state x JOIN state s ON s.iso3 = x.iso3 "
        "GROUP BY ALL ORDER BY n DESC, s.name_en LIMIT 1"
    ).fetchone()
    deck = slides.build_deck(slides.SLIDE_KEYS, _fetch(demo_con), Filters(), "en")
    heads = {s.key: s.headline for s in deck}
    # Cycle 1: 121 of 128 supported is 94.53%: 95% (the chart's label reads 95% too); cycle 4: 259/294.
    assert heads["supported"] == "Supported share: 95% in 2010, 88% in 2025"
    supported = next(s for s in deck if s.key == "supported")
    assert list(supported.figure.data[0].text) == ["95%", "74%", "87%", "88%"]  # as the headline rounds
    assert heads["themes"] == (
        f"{top_theme[0]}: {top_theme[1]} recommendations, more than any other theme "
        f"({round(100 * top_theme[1] / 861)}% of 861)"
    )
    assert heads["states"] == f"{states} States made recommendations; {top_state[0]} made the most: {top_state[1]}"
    assert heads["status"].startswith("For 2025, the government counts")
    assert heads["recurring"].startswith("2") and "of the 294 recommendations of 2025" in heads["recurring"]
    assert heads["recurring"].endswith("repeat one made in 2019")


def test_headlines_follow_the_language_and_filters(demo_con):
    f = Filters(cycles=(3,))
    fetch = _fetch(demo_con)
    assert slides.build_slide("supported", fetch, f, "ru").headline == "В 2019 году поддержано 87% из 245 рекомендаций"
    assert slides.build_slide("recurring", fetch, f, "en").headline == t("present.head_recurring_one", "en")
    death = Filters(themes=("death_penalty",))
    # Death penalty per cycle in the demo: 5, 9, 16, 12 (tests/test_app.py).
    assert slides.build_slide("cycles", fetch, death, "en").headline.startswith("12 recommendations in 2025, 25% fewer")


def test_slide_figure_has_the_image_layout_without_a_note(demo_con):
    from upr.charts import slide as layout

    fig = slides.build_slide("status", _fetch(demo_con), Filters(), "en").figure
    assert (fig.layout.width, fig.layout.height) == (slides.PREVIEW_WIDTH, slides.SCREEN_HEIGHT)
    assert fig.layout.title.font.size == layout.TITLE_PX
    assert fig.layout.title.text == "Current implementation status by cycle, per source"
    # The legend in its own rows under the title, in the figure's pixels; the panels' titles stay.
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.yanchor) == ("h", "container", "top")
    assert 0 < legend.y < 1
    panels = [a for a in fig.layout.annotations if a.text in ("Government", "NGOs", "Ombudsman (NHRI)")]
    assert [a.text for a in panels] == ["Government", "NGOs", "Ombudsman (NHRI)"]
    # One axis title under the three panels; no source note inside (the slide prints its own).
    assert [a.text for a in fig.layout.annotations if a.name == "x_title"] == ["Share of assessed recommendations"]
    assert not [a for a in fig.layout.annotations if a.name == "source_note" or "Source" in str(a.text)]
    assert all(a.font.size >= layout.MIN_NOTE_PX for a in fig.layout.annotations)


def test_themes_slide_shows_the_largest_themes(demo_con):
    slide = slides.build_slide("themes", _fetch(demo_con), Filters(), "en")
    tiles = slide.figure.data[0]
    n_themes = demo_con.execute(
        "SELECT count(DISTINCT theme_code) FROM rec_theme WHERE theme_code IS NOT NULL"
    ).fetchone()[0]
    assert len(tiles.ids) == slides.TOP_THEMES
    assert slide.figure.layout.title.text == f"Recommendations by theme: the 8 largest of {n_themes} themes"


def test_slide_sources_cite_the_un_documents(demo_con):
    fetch = _fetch(demo_con)
    cycles = slides.build_slide("cycles", fetch, Filters(), "en")
    # The demo states the reports of cycles 1-3 and the session of cycle 4 (etl/demo.py).
    assert cycles.source == "Source: A/HRC/14/10; A/HRC/28/10; A/HRC/43/10; UPR WG session 48 (demo data)"
    assert "#1" not in cycles.notes and "demo:" not in cycles.notes
    assert cycles.notes.splitlines()[1] == (
        "Cycle 1 (2010): report of the Working Group on the UPR A/HRC/14/10; Working Group session 7, "
        "review of 2010-02-12; addendum (the State's replies) A/HRC/14/10/Add.1"
    )
    latest = demo_con.execute("SELECT max(as_of) FROM assessment").fetchone()[0]
    status = slides.build_slide("status", fetch, Filters(), "ru")
    assert status.source == (
        "Источник: A/HRC/14/10; A/HRC/28/10; A/HRC/43/10; 48-я сессия РГ УПО; "
        f"оценки на {latest:%d.%m.%Y} (демо-данные)"
    )
    assert "Коалиция НПО Казахстана по УПО (НПО)" in status.notes
    late = slides.build_slide("themes", fetch, Filters(cycles=(3, 4)), "kk")
    assert late.source == "Дереккөз: A/HRC/43/10; ЖМШ ЖТ 48-сессиясы (демо-деректер)"


def test_unknown_slide_is_refused(demo_con):
    with pytest.raises(ValueError, match="unknown slide 'map'"):
        slides.build_slide("map", _fetch(demo_con), Filters(), "en")


# --- the PPTX (native charts: tests/test_pptx_native.py) ----------------------------------------


def _open(data: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pptx_with_pictures(demo_con, lang):
    keys = ("cycles", "supported", "themes", "status")
    deck = slides.build_deck(keys, _fetch(demo_con), Filters(), lang)
    prs = _open(slides.build_pptx(deck, lang, [_png()] * 4))
    assert round(prs.slide_width / prs.slide_height, 3) == round(16 / 9, 3)
    assert len(prs.slides) == 4
    assert [s.shapes.title.text for s in prs.slides] == [s.headline for s in deck]
    for page, slide in zip(prs.slides, deck):
        assert [sh.shape_type for sh in page.shapes].count(13) == 1  # MSO_SHAPE_TYPE.PICTURE
        assert not any(sh.has_chart for sh in page.shapes)
        notes = [sh.text_frame.text for sh in page.shapes if sh.has_text_frame and sh != page.shapes.title]
        assert notes == [slide.source]
        assert page.notes_slide.notes_text_frame.text.endswith(slide.notes)
    titles = " ".join(s.shapes.title.text for s in prs.slides)
    cyrillic = sum("а" <= c.lower() <= "я" for c in titles)
    assert (cyrillic > 50) if lang == "ru" else (cyrillic == 0)
    if lang == "ru":
        assert (
            prs.slides[0].shapes.title.text
            == "294 рекомендации в 2025 году, на 20% больше, чем в 2019; поддержано 88%."
        )


def test_pptx_needs_one_image_per_slide(demo_con):
    deck = slides.build_deck(("cycles",), _fetch(demo_con), Filters(), "en")
    with pytest.raises(ValueError, match="1 slides but 2 images"):
        slides.build_pptx(deck, "en", [_png(), _png()])


needs_browser = pytest.mark.skipif(
    not images.browser_available(), reason="no Chrome/Chromium installed (apt-get install chromium)"
)


@needs_browser
def test_pptx_with_rendered_charts(demo_con):
    keys = ("cycles", "supported", "themes", "status", "states", "recurring")
    deck = slides.build_deck(keys, _fetch(demo_con), Filters(), "en")
    prs = _open(slides.deck_pptx(deck, "en", pictures=True))
    assert len(prs.slides) == 6
    for page in prs.slides:
        (picture,) = [sh for sh in page.shapes if sh.shape_type == 13]
        image = Image.open(io.BytesIO(picture.image.blob))
        assert image.size == (2 * slides.IMAGE_WIDTH, 2 * slides.IMAGE_HEIGHT)


# --- the shared link ------------------------------------------------------------------------------


def test_deck_round_trips_through_the_link():
    deck = slides.Deck(
        slides=("themes", "cycles", "recurring", "states"),
        current=2,
        lang="en",
        filters=Filters(cycles=(3, 4), themes=("death_penalty", "torture"), sources=("ngo",)),
        show=True,
    )
    link = slides.deck_link("http://localhost:8501/present", deck)
    parts = urlsplit(link)
    assert parts.path == "/present"
    query = dict(parse_qsl(parts.query))
    assert query == {
        "slides": "themes,cycles,recurring,states",
        "slide": "3",
        "lang": "en",
        "show": "1",
        "cycles": "3,4",
        "themes": "death_penalty,torture",
        "sources": "ngo",
    }
    assert slides.Deck.from_query(query) == deck


def test_link_with_bad_values_falls_back():
    deck = slides.Deck.from_query({"slides": "map,cycles,cycles,status", "slide": "9", "lang": "fr"})
    assert deck.slides == ("cycles", "status")
    assert deck.current == 1 and deck.lang == "ru" and deck.show is False
    assert deck.filters == Filters()
    assert slides.Deck.from_query({}).slides == slides.SLIDE_KEYS

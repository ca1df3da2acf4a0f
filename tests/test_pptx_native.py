"""The PPTX with native PowerPoint charts, opened with python-pptx: one chart per slide, its type,
series and values equal to the app's own query results, text of 14 pt or more in dark colours,
the headline as the slide's title, one footer line, the full source in the notes."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Pt

from upr import pptx_deck, queries, slides
from upr.filters import Filters
from upr.i18n import t
from upr.vocab import label

LANGS = ("ru", "en", "kk")


def _deck(demo_con, lang: str, keys=slides.SLIDE_KEYS, f: Filters | None = None):
    deck = slides.build_deck(keys, slides.connection_fetch(demo_con), f or Filters(), lang)
    return deck, Presentation(io.BytesIO(slides.deck_pptx(deck, lang)))


def _chart(page):
    (frame,) = [sh for sh in page.shapes if sh.has_chart]
    return frame.chart


def _series(chart) -> dict[str, tuple]:
    return {s.name: tuple(s.values) for plot in chart.plots for s in plot.series}


@pytest.fixture(scope="module", params=LANGS)
def built(request, demo_con):
    lang = request.param
    deck, prs = _deck(demo_con, lang)
    return lang, deck, prs


def test_one_native_chart_per_slide_with_the_headline_as_title(built):
    lang, deck, prs = built
    assert len(prs.slides) == 6
    kinds = [_chart(page).chart_type for page in prs.slides]
    assert kinds == [
        XL_CHART_TYPE.COLUMN_STACKED,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        XL_CHART_TYPE.BAR_CLUSTERED,  # PowerPoint has no treemap: the themes as bars
        XL_CHART_TYPE.BAR_STACKED_100,
        XL_CHART_TYPE.BAR_STACKED,
        XL_CHART_TYPE.BAR_CLUSTERED,
    ]
    for page, slide in zip(prs.slides, deck):
        assert not [sh for sh in page.shapes if sh.shape_type == 13]  # no picture
        title = page.shapes.title
        assert title.is_placeholder and title.text == slide.headline
        plain = " ".join(slide.figure.layout.title.text.replace("<br>", " ").split())
        assert _chart(page).chart_title.text_frame.text == slide.chart.title == plain
        assert "<" not in plain
        (frame,) = [sh for sh in page.shapes if sh.has_chart]
        assert frame._element.nvGraphicFramePr.cNvPr.get("descr") == slide.chart.title


def test_footer_is_one_line_and_notes_hold_the_full_source(built):
    lang, deck, prs = built
    for page, slide in zip(prs.slides, deck):
        (footer,) = [sh for sh in page.shapes if sh.name == "Source"]
        text = footer.text_frame.text
        assert text == slide.source and "\n" not in text and len(text) <= pptx_deck.FOOTER_CHARS
        assert text.startswith(t("common.source_note", lang, source=""))
        notes = page.notes_slide.notes_text_frame.text
        assert notes == t(
            "present.notes", lang, name=slides.slide_name(slide.key, lang), headline=slide.headline, source=slide.notes
        )
        assert "A/HRC/14/10/Add.1" in notes and "A/HRC/43/10" in notes


def test_every_text_is_14_pt_or_more_and_dark(built):
    _, _, prs = built
    for page in prs.slides:
        xml = page.part.blob.decode() + _chart(page).part.blob.decode()
        sizes = [int(v) for v in re.findall(r'\bsz="(\d+)"', xml)]
        assert sizes and min(sizes) >= 1400
        colours = set(re.findall(r'srgbClr val="([0-9A-F]{6})"', page.part.blob.decode()))
        assert colours <= {"1A1A1A", "333333"}  # the title and the footer
        chart = _chart(page)
        assert chart.font.size == Pt(16) and str(chart.font.color.rgb) == "1A1A1A"
        for plot in chart.plots:
            for series in plot.series:
                if series.data_labels.font.size is not None:
                    assert series.data_labels.font.size >= Pt(14)
                    assert str(series.data_labels.font.color.rgb) in ("1A1A1A", "FFFFFF")


def test_cycles_chart_holds_the_cycle_overview(built, demo_con):
    lang, _, prs = built
    cycles = queries.cycle_overview(demo_con, Filters())
    chart = _chart(prs.slides[0])
    assert list(chart.plots[0].categories) == [
        f"{t('common.cycle_label', lang, cycle=c, year=y)}" for c, y in zip(cycles["cycle"], cycles["year"])
    ]
    assert _series(chart) == {
        label("response", "supported", lang): (121.0, 143.0, 214.0, 259.0),
        label("response", "noted", lang): (7.0, 51.0, 31.0, 35.0),
        t("present.total", lang): (128.0, 194.0, 245.0, 294.0),  # written above each column
    }
    assert list(cycles["recommendations"]) == [128, 194, 245, 294]
    # The totals are a line without line or markers: only their labels show.
    assert [p.__class__.__name__ for p in chart.plots] == ["BarPlot", "LinePlot"]
    assert chart.plots[1].series[0].data_labels.show_value


def test_supported_and_themes_and_recurring_charts(built, demo_con):
    lang, _, prs = built
    f = Filters()
    cycles = queries.cycle_overview(demo_con, f)
    supported = _chart(prs.slides[1])
    assert _series(supported) == {label("response", "supported", lang): tuple(cycles["supported_pct"])}
    assert supported.plots[0].series[0].data_labels.number_format == '0"%"'
    dist = queries.theme_distribution(demo_con, f)
    top = dist[dist["code"].notna()].head(slides.TOP_THEMES)
    themes = _chart(prs.slides[2])
    assert list(themes.plots[0].categories) == list(top[f"label_{lang}"])
    assert _series(themes) == {t("common.count", lang): tuple(float(n) for n in top["n"])}
    assert _series(themes)[t("common.count", lang)][:2] == (77.0, 64.0)
    pairs = queries.recurring_recommendations(demo_con, f, 3, 4, lang)
    counts = pairs.groupby(f"label_{lang}").size().sort_values(ascending=False)
    recurring = _chart(prs.slides[5])
    values = _series(recurring)[t("common.count", lang)]
    assert len(values) == slides.TOP_RECURRING_THEMES
    assert values == tuple(float(n) for n in counts.head(slides.TOP_RECURRING_THEMES))
    assert {c: v for c, v in zip(recurring.plots[0].categories, values)} == {
        c: float(counts[c]) for c in recurring.plots[0].categories
    }


def test_status_chart_holds_status_by_cycle(built, demo_con):
    lang, _, prs = built
    status = queries.status_by_cycle(demo_con, Filters())
    chart = _chart(prs.slides[3])
    cats = list(chart.plots[0].categories)
    ngo = label("source_kind", "ngo", lang).split(" (")[0]
    assert cats[:4] == [
        f"{label('source_kind', 'government', lang).split(' (')[0]} · {y}" for y in (2010, 2014, 2019, 2025)
    ]
    series = _series(chart)
    assert set(series) == {label("status", s, lang) for s in status["status"].unique()}
    expected = {}
    for row in status.itertuples():
        src = label("source_kind", row.source_kind, lang).split(" (")[0]
        expected[(f"{src} · {row.year}", label("status", row.status, lang))] = float(row.n)
    got = {(c, name): v for name, values in series.items() for c, v in zip(cats, values) if v is not None}
    assert got == expected
    # The example: the NGOs count 74 recommendations of 2025 as not implemented.
    assert got[(f"{ngo} · 2025", label("status", "not_implemented", lang))] == 74.0


def test_states_chart_one_series_per_regional_group(built, demo_con):
    lang, _, prs = built
    counts = queries.state_counts(demo_con, Filters()).head(slides.TOP_STATES)
    chart = _chart(prs.slides[4])
    assert list(chart.plots[0].categories) == list(counts[f"name_{lang}"])
    by_state: dict[str, float] = {}
    for values in _series(chart).values():
        for name, v in zip(chart.plots[0].categories, values):
            if v is not None:
                assert name not in by_state  # each State in its own group's series only
                by_state[name] = v
    assert by_state == {n: float(v) for n, v in zip(counts[f"name_{lang}"], counts["recommendations"])}
    assert chart.has_legend and not chart.legend.include_in_layout


def test_a_slide_without_data_says_why(demo_con):
    deck, prs = _deck(demo_con, "en", ("recurring", "cycles"), Filters(cycles=(3,)))
    first, second = prs.slides
    assert not any(sh.has_chart for sh in first.shapes)
    texts = [sh.text_frame.text for sh in first.shapes if sh.has_text_frame]
    assert texts[0] == t("present.head_recurring_one", "en")
    assert _series(_chart(second))[t("present.total", "en")] == (245.0,)


def test_footer_line_is_cut_to_one_line():
    long = "Source: " + "; ".join(f"A/HRC/{n}/10" for n in range(10, 40))
    line = pptx_deck.footer_line(long)
    assert len(line) == pptx_deck.FOOTER_CHARS and line.endswith("…")
    assert pptx_deck.footer_line("Source: A/HRC/14/10") == "Source: A/HRC/14/10"

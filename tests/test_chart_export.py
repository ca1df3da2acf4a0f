"""Chart images for slides: 16:9, the title with room, the legend in rows of its own under it, one
axis title under side-by-side panels, every row label drawn, one source line at the bottom; and the
rendered PNG keeps a white edge all round (nothing cut)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from upr import charts, images, queries
from upr.charts.slide import (
    AXIS_TITLE_PX,
    LINE,
    NOTE_PX,
    PAD,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    TEXT_PX,
    TITLE_PX,
    slide_figure,
)
from upr.citations import chart_source
from upr.filters import Filters
from upr.i18n import t
from upr.slides import connection_fetch

needs_browser = pytest.mark.skipif(not images.browser_available(), reason="no Chrome/Chromium installed")


def _status(demo_con, by: str, lang: str):
    frame = (
        queries.status_by_cycle(demo_con, Filters()) if by == "cycle" else queries.status_by_theme(demo_con, Filters())
    )
    source = chart_source(connection_fetch(demo_con), Filters(), lang, assessments=True, prefix=False)
    return charts.status_bars(frame, by, lang, source)


def _note(fig):
    return [a for a in fig.layout.annotations if a.name == "source_note"]


def test_status_by_cycle_on_a_slide(demo_con):
    fig = slide_figure(_status(demo_con, "cycle", "en"))
    assert (fig.layout.width, fig.layout.height) == (SLIDE_WIDTH, SLIDE_HEIGHT) == (1280, 720)
    assert fig.layout.title.text == "Current implementation status by cycle, per source"
    assert (fig.layout.title.font.size, fig.layout.title.yref, fig.layout.title.y) == (
        TITLE_PX,
        "container",
        1 - 24 / 720,
    )
    # The legend: horizontal, under the title, in pixels of the image; six statuses take two rows.
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.xref, legend.yanchor) == ("h", "container", "container", "top")
    assert legend.y == pytest.approx(1 - (24 + TITLE_PX * LINE + 10) / 720)
    # Title, two legend rows, the panels' titles: then the plot.
    assert fig.layout.margin.t == round(24 + TITLE_PX * LINE + 10 + 2 * 2 * TEXT_PX + 6 + 19 * LINE + 8) == 181
    # One axis title under the three panels, a tick label's height under the plot.
    x_titles = [a for a in fig.layout.annotations if a.name == "x_title"]
    assert [(a.text, a.font.size, a.y, a.yanchor) for a in x_titles] == [
        ("Share of assessed recommendations", AXIS_TITLE_PX, 0, "top")
    ]
    assert x_titles[0].yshift == -(TEXT_PX * LINE + 8 + 2)
    assert [ax.title.text for ax in fig.select_xaxes()] == [None, None, None]
    # ONE source line: the UN documents and who assessed, at the bottom, starting at the image's padding.
    (note,) = _note(fig)
    assert note.text == (
        "Source: A/HRC/14/10 and Add.1; A/HRC/28/10; A/HRC/43/10 and Add.1; cycle 4: UPR WG session 48, report"
        " symbol not stated; assessments: Ministry of<br>Justice (2025-09-30); NGO Coalition of Kazakhstan on the UPR"
        " (2025-11-15); Human Rights Commissioner (2024-06-30) (demo data)"
    )
    assert note.font.size == 14 and "#" not in note.text  # the largest size at which it fits two lines
    bottom = fig.layout.margin.b
    assert bottom == round(PAD + 2 * 14 * LINE + 12 + TEXT_PX * LINE + 8 + AXIS_TITLE_PX * LINE + 6)
    plot = 720 - fig.layout.margin.t - bottom
    assert note.y == pytest.approx(-(bottom - PAD - 2 * 14 * LINE) / plot)
    assert note.xshift == -(fig.layout.margin.l - PAD)
    # Every row labelled, in the dashboard's order, in type at least as large as the text.
    assert list(fig.layout.yaxis.tickvals) == ["Cycle 1 (2010)", "Cycle 2 (2014)", "Cycle 3 (2019)", "Cycle 4 (2025)"]
    assert fig.layout.yaxis.tickfont.size == TEXT_PX
    assert fig.layout.meta["slide"] is True


def test_long_russian_theme_labels_are_all_drawn_and_fit(demo_con):
    dashboard = _status(demo_con, "theme", "ru")
    fig = slide_figure(dashboard)
    themes = list(dashboard.layout.yaxis.categoryarray)
    assert list(fig.layout.yaxis.tickvals) == themes == list(fig.layout.yaxis.ticktext)  # none left out
    assert len(themes) == 27
    plot = 720 - fig.layout.margin.t - fig.layout.margin.b
    size = fig.layout.yaxis.tickfont.size
    assert size == 13 and size * 1.25 <= plot / len(themes) + 1  # each label fits its row
    longest = max(len(x) for x in themes)
    assert fig.layout.margin.l >= PAD + longest * size * 0.6  # the margin holds the longest label
    assert fig.layout.yaxis.automargin is True  # and plotly may widen it, never cut it
    # The dashboard's own figure is unchanged.
    assert dashboard.layout.width is None and len(_note(dashboard)) == 1


def test_short_rows_wrap_long_labels_on_two_lines(demo_con):
    source = chart_source(connection_fetch(demo_con), Filters(), "ru", prefix=False)
    fig = slide_figure(charts.regional_groups_chart(queries.regional_group_counts(demo_con, Filters()), "ru", source))
    assert list(fig.data[0].y) == [
        "Группа государств Латинской<br>Америки и Карибского бассейна",
        "Группа африканских государств",
        "Группа восточноевропейских<br>государств",
        "Группа западноевропейских и<br>других государств",
        "Группа азиатско-тихоокеанских<br>государств",
    ]
    (note,) = _note(fig)
    assert "<br>" not in note.text and note.font.size == NOTE_PX  # documents only: one line at full size
    assert note.text == (
        "Источник: A/HRC/14/10 и Add.1; A/HRC/28/10; A/HRC/43/10 и Add.1; "
        "цикл 4: 48-я сессия РГ УПО, символ доклада не указан (демо-данные)"
    )
    assert fig.layout.uniformtext.minsize == 13  # labels outside thin bars stay readable


def test_a_legend_with_a_title_and_long_names_gets_its_rows(demo_con):
    fig = slide_figure(charts.top_states_chart(queries.state_counts(demo_con, Filters()), "kk", "src", 15))
    # Title on its own row, then five group names too long for two to a row: six rows.
    assert fig.layout.legend.title.side == "top left"
    assert fig.layout.margin.t == round(24 + TITLE_PX * LINE + 10 + 6 * 2 * TEXT_PX + 6)


def test_a_chart_without_a_note_takes_the_given_source_and_a_title_wraps():
    import plotly.graph_objects as go

    long = "Доля выполненных рекомендаций по оценке источников, по циклам и по каждому из трёх источников оценок"
    fig = slide_figure(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), title=long, source="Источник: A/HRC/43/10")
    assert fig.layout.title.text.count("<br>") == 1
    assert [a.text for a in _note(fig)] == ["Источник: A/HRC/43/10"]
    assert fig.layout.margin.t == round(24 + 2 * TITLE_PX * LINE + 10)


def _white_edge(png: bytes, px: int) -> bool:
    image = Image.open(io.BytesIO(png)).convert("L")
    w, h = image.size
    strips = [(0, 0, w, px), (0, h - px, w, h), (0, 0, px, h), (w - px, 0, w, h)]
    return all(image.crop(box).getextrema()[0] >= 250 for box in strips)


@needs_browser
def test_every_language_renders_at_slide_size_with_nothing_at_the_edges(demo_con):
    figs = [slide_figure(_status(demo_con, by, lang)) for lang in ("ru", "en", "kk") for by in ("cycle", "theme")]
    # A title on two lines (Kazakh), long row labels, a titled legend of long names.
    change = queries.theme_change(demo_con, Filters(), 3, 4)
    figs.append(slide_figure(charts.theme_change_chart(change, "kk", "src", "3-цикл (2019)", "4-цикл (2025)")))
    figs.append(slide_figure(charts.top_states_chart(queries.state_counts(demo_con, Filters()), "ru", "src", 15)))
    assert figs[6].layout.title.text.count("<br>") == 1
    with images.Renderer() as renderer:
        pngs = renderer.render_many(figs, "png", images.PNG_SCALE)
        svg = renderer.svg(figs[0])
    assert {Image.open(io.BytesIO(p)).size for p in pngs} == {(2560, 1440)}
    # Nothing runs into the outer 16 px (8 CSS px) of the image: no cut title, label, legend or note.
    assert [_white_edge(p, 16) for p in pngs] == [True] * 8
    assert b'width="1280"' in svg and "Источник: A/HRC/14/10 и Add.1".encode() in svg
    assert t("status.axis_share", "ru").encode() in svg

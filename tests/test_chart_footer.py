"""Dashboard charts: the title at the top, the legend in rows under it, the source note a fixed number
of pixels under the plot's axis, wrapped to a phone's width; cycles on two-line ticks."""

from __future__ import annotations

import plotly.graph_objects as go

from upr.charts.core import (
    NOTE_WIDTH,
    cycle_comparison,
    estimate_legend_rows,
    finish,
    implemented_by_source,
    narrow,
    side_by_side,
    wrap_text,
)
from upr.filters import Filters
from upr.i18n import t
from upr.queries import cycle_overview, implemented_share


def _note(fig: go.Figure) -> go.layout.Annotation:
    return next(a for a in fig.layout.annotations if a.name == "source_note")


def test_a_short_note_stays_on_one_line_under_the_axis_title():
    fig = finish(go.Figure(go.Bar(x=[1], y=[1])), "Title", "src", "en", x="x", y="y")
    note = _note(fig)
    assert note.text == t("common.source_note", "en", source="src")
    # Tick labels (18) and their gap (8), the axis title (22), the note (14) and the edge (14).
    assert fig.layout.margin.b == 18 + 8 + 22 + 14 + 14 == 76
    assert (note.y, note.yanchor, note.yshift) == (-0.001, "top", -(76 - 8 - 14))
    assert (note.x, note.xshift) == (0, -(60 - 8))  # from the image's left edge, not the plot's
    # One trace: no legend; the title alone above the plot.
    assert fig.layout.margin.t == 14 + 22 + 8
    assert (fig.layout.title.yref, fig.layout.title.y, fig.layout.title.yanchor) == ("container", 1 - 12 / 420, "top")


def test_a_long_note_wraps_to_a_phone_s_width_and_the_margin_grows_by_a_line_each():
    source = "A/HRC/14/10 and Add.1; A/HRC/28/10; A/HRC/43/10 and Add.1; cycle 4: UPR WG session 48"
    fig = finish(go.Figure(go.Bar(x=[1], y=[1])), "Title", source, "en", x="x", y="y")
    lines = _note(fig).text.split("<br>")
    assert " ".join(lines) == t("common.source_note", "en", source=source)
    assert len(lines) == 2 and all(len(line) <= NOTE_WIDTH == 55 for line in lines)
    assert fig.layout.margin.b == 18 + 8 + 22 + 2 * 14 + 14
    assert _note(fig).yshift == -(fig.layout.margin.b - 8 - 2 * 14)


def test_wrap_text_breaks_at_spaces_only():
    assert wrap_text("Trafficking in persons and forced labour", 16) == "Trafficking in<br>persons and<br>forced labour"
    assert wrap_text("Antidiscriminationlegislation now", 10) == "Antidiscriminationlegislation<br>now"


def test_the_legend_goes_under_the_title_in_the_rows_a_phone_needs():
    fig = go.Figure()
    for name in ("Government", "NGOs", "Ombudsman (NHRI)"):
        fig.add_bar(x=[1], y=[1], name=name)
    # 10, 4 and 16 characters: more than 300 px in a row, and the widest (168 px) fits once: a row each.
    assert estimate_legend_rows(fig) == 3
    finish(fig, "Title", "src", "en", x="x", y="y")
    legend = fig.layout.legend
    assert (legend.orientation, legend.xref, legend.yref, legend.yanchor) == ("h", "container", "container", "top")
    assert legend.y == 1 - (14 + 22 + 4) / 420
    assert fig.layout.margin.t == 14 + 22 + 8 + 3 * 26 + 6


def test_narrow_wraps_a_long_title_and_grows_the_figure_by_its_lines():
    title = "Дереккөздердің бағалауы бойынша орындалған ұсыныстардың үлесі"
    fig = finish(go.Figure(go.Bar(x=[1], y=[1])), title, "src", "kk", x="x", y="y")
    plot = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    narrow(fig)
    assert fig.layout.title.text == "Дереккөздердің бағалауы бойынша<br>орындалған ұсыныстардың үлесі"
    assert (fig.layout.margin.t, fig.layout.height) == (14 + 2 * 22 + 8, 420 + 22)
    assert fig.layout.height - fig.layout.margin.t - fig.layout.margin.b == plot  # the plot keeps its height
    short = narrow(finish(go.Figure(go.Bar(x=[1], y=[1])), "Short", "src", "kk"))
    assert (short.layout.title.text, short.layout.margin.t, short.layout.height) == ("Short", 44, 420)


def test_side_by_side_plots_start_at_the_same_height_and_are_as_tall(demo_con):
    cycles = cycle_overview(demo_con, Filters())
    left = cycle_comparison(cycles, "ru", "src")
    right = implemented_by_source(implemented_share(demo_con, Filters()), cycles, "ru", "A/HRC/43/10 " * 12)
    side_by_side(left, right)
    assert left.layout.margin.t == right.layout.margin.t == 14 + 2 * 22 + 8 + 3 * 26 + 6
    plots = [fig.layout.height - fig.layout.margin.t - fig.layout.margin.b for fig in (left, right)]
    assert plots[0] == plots[1]
    # Cycles on two lines, so four fit a phone without turning sideways.
    assert list(left.layout.xaxis.ticktext) == [
        "Цикл 1<br>(2010)",
        "Цикл 2<br>(2014)",
        "Цикл 3<br>(2019)",
        "Цикл 4<br>(2025)",
    ]
    assert list(left.layout.xaxis.tickvals) == list(left.data[0].x)
    assert left.layout.margin.b == 2 * 18 + 8 + 22 + 14 + 14

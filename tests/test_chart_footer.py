"""The source note under every chart: placed in pixels under the plot, and wrapped when long."""

from __future__ import annotations

import plotly.graph_objects as go

from upr.charts.core import NOTE_WIDTH, finish, narrow, side_by_side, wrap_text
from upr.i18n import t


def _note(fig: go.Figure) -> go.layout.Annotation:
    return next(a for a in fig.layout.annotations if a.name == "source_note")


def test_a_short_note_stays_on_one_line():
    fig = finish(go.Figure(go.Bar(x=[1], y=[1])), "Title", "src", "en", x="x", y="y")
    assert _note(fig).text == t("common.source_note", "en", source="src")
    assert fig.layout.margin.b == 52 + 34  # axis title, then the note; one trace: no legend


def test_a_long_note_wraps_and_the_margin_grows_by_a_line_each():
    source = "project database, imports #1 demo: Kazakhstan, cycles 1–4; #2 ngo-coalition-statuses-2024.xlsx"
    fig = finish(go.Figure(go.Bar(x=[1], y=[1])), "Title", source, "en", x="x", y="y")
    note = _note(fig)
    lines = note.text.split("<br>")
    assert " ".join(lines) == t("common.source_note", "en", source=source)
    assert len(lines) == 2 and all(len(line) <= NOTE_WIDTH for line in lines)
    assert note.align == "left"
    assert fig.layout.margin.b == 52 + 34 + 14
    plot = 420 - 60 - fig.layout.margin.b
    assert note.y == -(fig.layout.margin.b - 26 - 14) / plot  # the note's first line where it always was


def test_wrap_text_breaks_at_spaces_only():
    assert wrap_text("Trafficking in persons and forced labour", 16) == "Trafficking in<br>persons and<br>forced labour"
    assert wrap_text("Antidiscriminationlegislation now", 10) == "Antidiscriminationlegislation<br>now"


def test_narrow_wraps_a_long_title_and_grows_the_figure_by_its_lines():
    title = "Дереккөздердің бағалауы бойынша орындалған ұсыныстардың үлесі"
    fig = finish(go.Figure(go.Bar(x=[1], y=[1])), title, "src", "kk", x="x", y="y")
    note_y = _note(fig).y
    narrow(fig)
    assert fig.layout.title.text == "Дереккөздердің бағалауы бойынша орындалған<br>ұсыныстардың үлесі"
    assert (fig.layout.margin.t, fig.layout.height) == (60 + 22, 420 + 22)
    assert _note(fig).y == note_y  # the plot keeps its height, so the note keeps its place
    short = narrow(finish(go.Figure(go.Bar(x=[1], y=[1])), "Short", "src", "kk"))
    assert (short.layout.title.text, short.layout.margin.t, short.layout.height) == ("Short", 60, 420)


def test_side_by_side_charts_line_up():
    long = finish(
        go.Figure(go.Bar(x=[1], y=[1])), "Дереккөздердің бағалауы бойынша орындалған ұсыныстардың үлесі", "s", "kk"
    )
    short = finish(go.Figure(go.Bar(x=[1], y=[1])), "Short", "s", "kk")
    side_by_side(short, long)
    assert (short.layout.height, short.layout.margin.t) == (long.layout.height, long.layout.margin.t) == (442, 82)
    assert short.layout.title.text == "Short"

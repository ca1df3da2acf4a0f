"""Chart builders: data in, plotly Figure out. Pure, so tests can check traces, labels and totals.

One colour per response, status and source across every page, from the Okabe–Ito palette,
which stays distinguishable for colour-blind viewers.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from upr.i18n import t
from upr.percent import percent
from upr.vocab import RESPONSE_CODES, SOURCE_KIND_CODES, STATUS_CODES, label

RESPONSE_COLOURS = {"supported": "#0072B2", "supported_in_part": "#56B4E9", "noted": "#E69F00", "pending": "#999999"}
STATUS_COLOURS = {
    "implemented": "#009E73",
    "partially_implemented": "#F0E442",
    "in_progress": "#56B4E9",
    "formally_implemented": "#CC79A7",
    "no_progress": "#E69F00",
    "not_implemented": "#D55E00",
    "not_assessed": "#BBBBBB",
}
SOURCE_COLOURS = {"government": "#0072B2", "ngo": "#D55E00", "nhri": "#009E73", "un": "#999999"}
FONT = "Inter, Segoe UI, Arial, sans-serif"


def cycle_label(cycle: int, year: object, lang: str) -> str:
    """'Cycle 4 (2025)', or 'Cycle 4' when the year is not known."""
    if year is None or pd.isna(year):
        return f"{t('common.cycle', lang)} {cycle}"
    return t("common.cycle_label", lang, cycle=cycle, year=int(year))


# Characters of the source note per line: a phone 390 pixels wide (a chart of about 360) fits about 55.
NOTE_WIDTH = 55
TITLE_LINE, LEGEND_ROW, TICK_LINE, NOTE_LINE = 22, 26, 18, 14  # pixels per line of each, at the dashboard's sizes


def wrap_text(text: str, width: int) -> str:
    """`text` broken into lines of about `width` characters at spaces (plotly's <br>)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _legend_shown(fig: go.Figure) -> bool:
    flags = [getattr(tr, "showlegend", False) for tr in fig.data]  # treemaps have no legend at all
    return fig.layout.showlegend is not False and (
        sum(f is not False for f in flags) > 1 or any(f is True for f in flags)
    )


def estimate_legend_rows(fig: go.Figure, width: float = 300, char: float = 8.0) -> int:
    """Rows the horizontal legend takes on a chart `width` pixels wide (a phone's, by default): one
    when every item fits; else plotly lines items up in columns as wide as the widest one."""
    names, seen = [], set()
    for tr in fig.data:
        key = getattr(tr, "legendgroup", None) or tr.name
        if getattr(tr, "showlegend", None) is False or not getattr(tr, "name", None) or key in seen:
            continue
        seen.add(key)
        names.append(str(tr.name))
    if not names:
        return 1
    items = [len(n) * char + 40 for n in names]
    per_row = len(items) if sum(items) <= width else max(int(width // max(items)), 1)
    return -(-len(items) // per_row)


def stack_top(fig: go.Figure, legend_rows: int | None = None) -> go.Figure:
    """The title at the top, the legend in rows of its own under it, then the plot, in pixels.

    On a phone the legend wraps to more rows than on a laptop: it grows downwards and plotly moves
    the plot down (its margin grows for a legend outside the plot), so it never covers the data.
    """
    height = fig.layout.height or 420
    meta = dict(fig.layout.meta or {})
    rows = legend_rows if legend_rows is not None else int(meta.get("legend_rows", 0))
    title = str(fig.layout.title.text or "")
    title_h = (title.count("<br>") + 1) * TITLE_LINE if title else 0
    top = 14 + title_h + 8 + rows * LEGEND_ROW + (6 if rows else 0)
    extra = int(meta.get("top_extra", 0))
    fig.update_layout(
        title={
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            # Plotly anchors a title of several lines by its last line: the lines before it go above.
            "y": 1 - (12 + title.count("<br>") * TITLE_LINE) / height,
            "yanchor": "top",
            "yref": "container",
        },
        margin={"t": top + extra},
        meta=meta | {"legend_rows": rows},
    )
    if rows:
        fig.update_layout(
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "xref": "container",
                "y": 1 - (14 + title_h + 4) / height,
                "yanchor": "top",
                "yref": "container",
            }
        )
    return fig


def narrow(fig: go.Figure, width: int = 40) -> go.Figure:
    """For a chart drawn in half a page (or on a phone): a long title goes on two or more lines.

    The figure grows by the new lines, so that the plot keeps its height."""
    title = str(fig.layout.title.text or "")
    wrapped = wrap_text(title.replace("<br>", " "), width)
    extra = wrapped.count("<br>") - title.count("<br>")
    if extra > 0:
        height = fig.layout.height or 420
        fig.update_layout(title_text=wrapped, height=height + TITLE_LINE * extra)
        stack_top(fig)
    return fig


def side_by_side(*figs: go.Figure) -> tuple[go.Figure, ...]:
    """Charts drawn next to each other: each narrow(), then their plots as tall as the tallest and
    starting at the same height (extra room above the shorter ones), so that they line up."""
    for fig in figs:
        narrow(fig)

    def margin(fig: go.Figure, side: str) -> int:
        return getattr(fig.layout.margin, side) or 0  # a chart with no data sets no margins

    def plot(fig: go.Figure) -> int:
        return (fig.layout.height or 420) - margin(fig, "t") - margin(fig, "b")

    top, tallest = max(margin(fig, "t") for fig in figs), max(plot(fig) for fig in figs)
    for fig in figs:
        meta = dict(fig.layout.meta or {})
        gap = top - margin(fig, "t")
        fig.update_layout(
            height=top + tallest + margin(fig, "b"), meta=meta | {"top_extra": int(meta.get("top_extra", 0)) + gap}
        )
        stack_top(fig)
    return figs


def _tick_lines(fig: go.Figure) -> int:
    """Lines of the x axis's tick labels (two for cycle labels: 'Цикл 4<br>(2025)')."""
    ticks = [str(x) for ax in fig.select_xaxes() for x in (ax.ticktext or ())]
    return max([1, *(x.count("<br>") + 1 for x in ticks)])


def place_footer(
    fig: go.Figure,
    *,
    legend: bool = True,
    axis: bool = True,
    legend_rows: int | None = None,
    bottom: int | None = None,
    below: int | None = None,
) -> go.Figure:
    """The legend under the title (stack_top), the source note a fixed number of pixels under the
    plot's tick labels and axis title, whatever the figure's height or width.

    The note is placed in pixels from the plot's bottom edge (an annotation's `yshift`), so it keeps
    its place when plotly grows a margin; it starts at the image's left edge.
    """
    titles = [str(ax.title.text or "") for ax in fig.select_xaxes() if ax.title.text]
    title_lines = max((x.count("<br>") + 1 for x in titles), default=1)
    below_axis = (TICK_LINE * _tick_lines(fig) + 8 + 22 * title_lines) if axis else 6
    if below is not None:  # what else lies under the plot (a map's colour scale), in pixels
        below_axis = below
    notes = [a for a in fig.layout.annotations if a.name == "source_note"]
    note_lines = max((str(a.text).count("<br>") + 1 for a in notes), default=0)
    if bottom is None:
        bottom = below_axis + NOTE_LINE * note_lines + 14
    left = fig.layout.margin.l if fig.layout.margin.l is not None else 60
    fig.update_layout(margin={"b": bottom})
    stack_top(fig, (legend_rows if legend_rows is not None else estimate_legend_rows(fig)) if legend else 0)
    for note in notes:
        # y just under the plot (a note is what lies below it); the offset in pixels, robust to any height.
        note.update(y=-0.001, yshift=-(bottom - 8 - NOTE_LINE * note_lines), yanchor="top", x=0, xshift=-(left - 8))
    return fig


def finish(
    fig: go.Figure, title: str, source: str, lang: str, *, x: str | None = None, y: str | None = None, height: int = 420
) -> go.Figure:
    """Title, axis labels and the source note every chart carries; the legend under the title,
    the note under the plot."""
    fig.update_layout(
        title={"text": title},
        font={"family": FONT, "size": 14},
        height=height,
        margin={"l": 60, "r": 20},
        plot_bgcolor="white",
    )
    if x is not None:
        fig.update_xaxes(title_text=wrap_text(x, 40))  # a phone's width
    if y is not None:
        fig.update_yaxes(title_text=y, gridcolor="#e5e5e5")
    fig.add_annotation(
        name="source_note",
        # A long note on a narrow chart ran off its right edge: it goes on as many lines as it needs.
        text=wrap_text(t("common.source_note", lang, source=source), NOTE_WIDTH),
        align="left",
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        font={"size": 11, "color": "#555"},
    )
    fig.update_layout(meta={"source": source})
    return place_footer(fig, legend=_legend_shown(fig), axis=x is not None, legend_rows=estimate_legend_rows(fig))


ROW_LABEL_CHARS, ROW_LABEL_PX = 30, 12  # row labels of horizontal charts: up to 30 characters a line, 12 px


def row_labels(
    fig: go.Figure, labels: list[str], *, titled: bool = True, chars: int = ROW_LABEL_CHARS, px: int = ROW_LABEL_PX
) -> go.Figure:
    """Long row labels on two lines, in a left margin sized for them: on a phone a label on one line
    took the whole width (and was cut), the plot and the source note with it.

    The labels stay the data's (clicks and tests read them); only what is drawn is wrapped.
    """
    labels = [str(x) for x in labels]
    if not labels:
        return fig
    drawn = [wrap_text(x, chars) for x in labels]
    longest = max(len(line) for x in drawn for line in x.split("<br>"))
    fig.update_yaxes(tickmode="array", tickvals=labels, ticktext=drawn, automargin=False, tickfont={"size": px})
    left = 12 + round(longest * px * 0.6) + (28 if titled else 0)
    for ax in fig.select_xaxes():
        if ax.title.text:  # centred under a plot that is narrow on a phone: short lines
            ax.title.text = wrap_text(str(ax.title.text).replace("<br>", " "), 26)
    return fig.update_layout(margin={"l": left})


def cycle_ticks(fig: go.Figure, labels: list[str]) -> None:
    """Cycle labels on two lines under a vertical bar chart ('Цикл 4' over '(2025)'): four fit a
    phone's width without turning sideways into the axis title."""
    fig.update_xaxes(tickmode="array", tickvals=labels, ticktext=[lab.replace(" (", "<br>(") for lab in labels])


def empty_figure(message: str) -> go.Figure:
    """A figure that says why it is empty instead of drawing an empty axis."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=240, plot_bgcolor="white")
    return fig


def cycle_comparison(df: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Recommendations per cycle, stacked by response. `df` is queries.cycle_overview()."""
    if df.empty:
        return empty_figure(t("common.no_data", lang, why=t("common.no_data_filters", lang)))
    xs = [cycle_label(c, y, lang) for c, y in zip(df["cycle"], df["year"])]
    fig = go.Figure()
    for code in RESPONSE_CODES:
        if code not in df or not df[code].any():
            continue
        fig.add_bar(
            x=xs,
            y=df[code],
            name=label("response", code, lang),
            marker_color=RESPONSE_COLOURS[code],
            customdata=[[int(c), code] for c in df["cycle"]],
            hovertemplate="%{x}<br>%{fullData.name}: %{y}<extra></extra>",
        )
    fig.add_scatter(
        x=xs,
        y=df["recommendations"],
        mode="text",
        text=[f"<b>{n}</b>" for n in df["recommendations"]],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(range=[0, df["recommendations"].max() * 1.15])
    cycle_ticks(fig, xs)
    return finish(
        fig, t("overview.chart_cycles", lang), source, lang, x=t("common.cycle", lang), y=t("common.count", lang)
    )


def supported_share(df: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Supported share per cycle, in percent. `df` is queries.cycle_overview()."""
    if df.empty:
        return empty_figure(t("common.no_data", lang, why=t("common.no_data_filters", lang)))
    xs = [cycle_label(c, y, lang) for c, y in zip(df["cycle"], df["year"])]
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=df["supported_pct"],
            marker_color=RESPONSE_COLOURS["supported"],
            text=[f"{percent(s, n)}%" for s, n in zip(df["supported"], df["recommendations"])],
            textposition="outside",
            customdata=[[int(c), "supported"] for c in df["cycle"]],
            name=label("response", "supported", lang),
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 110], ticksuffix="%")
    cycle_ticks(fig, xs)
    return finish(
        fig, t("overview.chart_supported", lang), source, lang, x=t("common.cycle", lang), y=t("common.share", lang)
    )


def implemented_by_source(df: pd.DataFrame, cycles: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Share implemented per cycle, one bar per assessment source. `df` is queries.implemented_share()."""
    if df.empty:
        return empty_figure(t("common.no_data", lang, why=t("overview.no_assessments", lang)))
    years = dict(zip(cycles["cycle"], cycles["year"])) if not cycles.empty else {}
    fig = go.Figure()
    for kind in SOURCE_KIND_CODES:
        part = df[df["source_kind"] == kind]
        if part.empty:
            continue
        fig.add_bar(
            x=[cycle_label(c, years.get(c), lang) for c in part["cycle"]],
            y=part["implemented_pct"],
            name=label("source_kind", kind, lang),
            marker_color=SOURCE_COLOURS[kind],
            text=[f"{percent(i, a)}%" for i, a in zip(part["implemented"], part["assessed"])],
            textposition="outside",
            customdata=[[int(c), kind, int(a)] for c, a in zip(part["cycle"], part["assessed"])],
            hovertemplate="%{x}<br>%{fullData.name}: %{y:.1f}% (n=%{customdata[2]})<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 110], ticksuffix="%")
    cycle_ticks(fig, [cycle_label(c, years.get(c), lang) for c in sorted(set(df["cycle"]))])
    # Three bars a cycle are thin on a phone: a label that would shrink below 10 px is left out (hover has it).
    fig.update_layout(uniformtext={"minsize": 10, "mode": "hide"})
    fig = finish(
        fig,
        t("overview.chart_implemented", lang),
        source,
        lang,
        x=t("common.cycle", lang),
        # On two lines: a short plot (a phone's) is not as tall as the title on one.
        y=wrap_text(t("overview.implemented_axis", lang), 16),
    )
    # The axis title on up to three lines and the ticks («100%») take about 96 pixels: a margin set that
    # wide is one plotly does not grow when drawing, so the source note stays at the chart's left edge.
    return _left_margin(fig, 96)


def _left_margin(fig: go.Figure, left: int) -> go.Figure:
    """A left margin of `left` pixels, with the source note kept at the chart's left edge."""
    fig.update_layout(margin={"l": left})
    for note in fig.layout.annotations:
        if note.name == "source_note":
            note.xshift = -(left - 8)
    return fig


def status_colours() -> dict[str, str]:
    """Status code → colour, for pages that build their own legends."""
    return {code: STATUS_COLOURS[code] for code in STATUS_CODES}

"""Chart builders: data in, plotly Figure out. Pure, so tests can check traces, labels and totals.

One colour per response, status and source across every page, from the Okabe–Ito palette,
which stays distinguishable for colour-blind viewers.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from upr.i18n import t
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


# Characters of the source note per line: a half-width chart on a laptop screen fits about 70.
NOTE_WIDTH = 60


def wrap_text(text: str, width: int) -> str:
    """`text` broken into lines of about `width` characters at spaces (plotly's <br>)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def narrow(fig: go.Figure, width: int = 45) -> go.Figure:
    """For a chart drawn in half a page: a long title goes on two or more lines.

    The figure grows by the new lines, so that the plot, and the legend and note placed under it
    in pixels (place_footer), stay as they were.
    """
    title = str(fig.layout.title.text or "")
    wrapped = wrap_text(title, width)
    extra = wrapped.count("<br>")
    if extra:
        top = fig.layout.margin.t if fig.layout.margin.t is not None else 60
        height = fig.layout.height or 420
        fig.update_layout(title_text=wrapped, margin={"t": top + 22 * extra}, height=height + 22 * extra)
    return fig


def side_by_side(*figs: go.Figure) -> tuple[go.Figure, ...]:
    """Charts drawn next to each other: each narrow(), then all as tall as the tallest (extra room
    above the plot), so that their plots line up."""
    for fig in figs:
        narrow(fig)
    tallest = max((fig.layout.height or 420) for fig in figs)
    for fig in figs:
        gap = tallest - (fig.layout.height or 420)
        if gap:
            top = fig.layout.margin.t if fig.layout.margin.t is not None else 60
            fig.update_layout(margin={"t": top + gap}, height=tallest)
    return figs


def place_footer(
    fig: go.Figure, *, legend: bool = True, axis: bool = True, legend_rows: int = 1, bottom: int | None = None
) -> go.Figure:
    """Put the legend and the source note a fixed number of pixels under the plot, whatever its height.

    Plotly places them in fractions of the plot's height, which drift off a tall chart; this converts
    pixel offsets into those fractions for the figure's own height and margins.
    """
    height = fig.layout.height or 420
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 60
    below_axis = 52 if axis else 6
    notes = [a for a in fig.layout.annotations if a.name == "source_note"]
    extra_lines = max((str(a.text).count("<br>") for a in notes), default=0)
    if bottom is None:
        bottom = below_axis + (26 * legend_rows if legend else 0) + 34
    bottom += 14 * extra_lines
    plot = max(height - top - bottom, 100)
    fig.update_layout(margin={"b": bottom})
    if legend:
        fig.update_layout(legend={"orientation": "h", "x": 0, "y": -below_axis / plot, "yanchor": "top"})
    for note in notes:
        note.update(y=-(bottom - 26 - 14 * extra_lines) / plot, yanchor="top")
    return fig


def finish(
    fig: go.Figure, title: str, source: str, lang: str, *, x: str | None = None, y: str | None = None, height: int = 420
) -> go.Figure:
    """Title, axis labels and the source note every chart carries, the legend and note under the plot."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14},
        height=height,
        margin={"l": 60, "r": 20, "t": 60},
        plot_bgcolor="white",
    )
    if x is not None:
        fig.update_xaxes(title_text=x)
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
    flags = [getattr(tr, "showlegend", False) for tr in fig.data]  # treemaps have no legend at all
    legend = sum(f is not False for f in flags) > 1 or any(f is True for f in flags)
    return place_footer(fig, legend=legend, axis=x is not None)


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
            text=[f"{v:.0f}%" for v in df["supported_pct"]],
            textposition="outside",
            customdata=[[int(c), "supported"] for c in df["cycle"]],
            name=label("response", "supported", lang),
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 110], ticksuffix="%")
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
            text=[f"{v:.0f}%" for v in part["implemented_pct"]],
            textposition="outside",
            customdata=[[int(c), kind, int(a)] for c, a in zip(part["cycle"], part["assessed"])],
            hovertemplate="%{x}<br>%{fullData.name}: %{y:.1f}% (n=%{customdata[2]})<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 110], ticksuffix="%")
    return finish(
        fig,
        t("overview.chart_implemented", lang),
        source,
        lang,
        x=t("common.cycle", lang),
        y=t("overview.implemented_axis", lang),
    )


def status_colours() -> dict[str, str]:
    """Status code → colour, for pages that build their own legends."""
    return {code: STATUS_COLOURS[code] for code in STATUS_CODES}

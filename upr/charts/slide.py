"""A dashboard chart laid out for a slide: 16:9, its title with room above the plot, the legend in a
row of its own under the title, axis titles clear of the tick labels and of each other, long row
labels on two lines (or the margin grown for them), and ONE source line at the bottom.

Everything is placed in pixels of the slide, not in fractions of the plot: the title and legend
from the top of the image, the axis title and the source line from the bottom of the plot. The
figure on the dashboard is not changed: `slide_figure` lays out a copy.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from upr.charts.core import FONT, wrap_text

__all__ = [
    "AXIS_TITLE_PX",
    "NOTE_PX",
    "SLIDE_HEIGHT",
    "SLIDE_WIDTH",
    "TEXT_PX",
    "TITLE_PX",
    "slide_figure",
]

SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720  # CSS pixels, 16:9; the PNG is drawn at twice this
TITLE_PX, TEXT_PX, AXIS_TITLE_PX, NOTE_PX, PANEL_TITLE_PX = 28, 18, 18, 15, 19
PAD = 24  # pixels of white round the edge of the image
CHAR = 0.6  # a character's average width, in font sizes (Inter/Arial, Latin and Cyrillic)
LINE = 1.3  # a line's height, in font sizes
LEGEND_SYMBOL = 46  # pixels of a legend item besides its text: the symbol and the gaps
MIN_NOTE_PX = 12  # the source line's smallest type
MIN_TICK_PX = 11  # row labels never smaller than this
LABEL_CHARS = 30  # a row label longer than this goes on two lines, where the rows have room
DARK, NOTE_COLOUR = "#1a1a1a", "#333333"
_NO_AXES = ("treemap", "pie", "choropleth", "sunburst")


def _plain(text: object) -> str:
    return " ".join(str(text or "").replace("<br>", " ").split())


def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def _chars(width_px: float, font_px: float) -> int:
    return max(int(width_px / (font_px * CHAR)), 10)


def _legend_items(fig: go.Figure) -> list[str]:
    """The names the legend shows (one per legend group), as plotly decides to show a legend at all."""
    if fig.layout.showlegend is False:
        return []
    traces = [tr for tr in fig.data if tr.type not in ("treemap", "heatmap", "choropleth", "pie")]
    flags = [getattr(tr, "showlegend", None) for tr in traces]
    if not (sum(f is not False for f in flags) > 1 or any(f is True for f in flags)):
        return []
    names, seen = [], set()
    for tr, flag in zip(traces, flags):
        key = getattr(tr, "legendgroup", None) or tr.name
        if flag is False or not tr.name or key in seen:
            continue
        seen.add(key)
        names.append(str(tr.name))
    return names


def _legend_rows(names: list[str], title: str, width: float) -> int:
    """How many rows plotly's horizontal legend takes at TEXT_PX across `width` pixels: one row when
    every item fits in it; else plotly lines the items up in columns as wide as the widest item.
    The title has a row of its own."""
    items = [len(name) * TEXT_PX * CHAR + LEGEND_SYMBOL for name in names]
    per_row = len(items) if sum(items) <= width else max(int(width // max(items)), 1)
    return (1 if title else 0) + math.ceil(len(items) / per_row)


def _category_axes(fig: go.Figure) -> dict[str, list[str]]:
    """Each y axis with categories (horizontal bars, heatmap rows): its labels in order."""
    out: dict[str, list[str]] = {}
    for tr in fig.data:
        horizontal_bar = tr.type == "bar" and tr.orientation == "h"
        if not (horizontal_bar or tr.type == "heatmap" or tr.type == "scatter") or tr.y is None:
            continue
        labels = [y for y in tr.y if isinstance(y, str)]
        if labels:
            axis = "yaxis" + (tr.yaxis[1:] if tr.yaxis and tr.yaxis != "y" else "")
            known = out.setdefault(axis, [])
            known += [y for y in labels if y not in known]
    return out


def _row_layout(fig: go.Figure, plot_height: float) -> tuple[dict[str, str], float, int]:
    """Long row labels on two lines where each row has room for two, else on one line in a smaller
    font if the rows are tight: (label → label as drawn, tick size, longest line's characters)."""
    axes = _category_axes(fig)
    # Panels side by side share their rows: one list of every panel's labels, in the order shown.
    labels: list[str] = []
    for name, found in axes.items():
        order = fig.layout[name].categoryarray
        for y in [*(order or ()), *found]:
            if isinstance(y, str) and y not in labels:
                labels.append(y)
    if not labels:
        return {}, float(TEXT_PX), 0
    per_row = plot_height / len(labels)
    size = min(float(TEXT_PX), max(MIN_TICK_PX, round(per_row / 1.25)))
    two_lines = per_row >= 2 * LINE * size
    mapping = {y: (wrap_text(y, LABEL_CHARS) if two_lines and len(y) > LABEL_CHARS else y) for y in labels}
    return mapping, size, max(max(len(part) for part in v.split("<br>")) for v in mapping.values())


def _apply_rows(fig: go.Figure, mapping: dict[str, str]) -> None:
    """The row labels as _row_layout() drew them, every one named (plotly leaves out every other
    label when it thinks they are tight)."""
    if not mapping:
        return
    for tr in fig.data:
        if tr.y is not None and any(isinstance(y, str) and y in mapping for y in tr.y):
            tr.y = [mapping.get(y, y) if isinstance(y, str) else y for y in tr.y]
    for name in _category_axes(fig):
        ax = fig.layout[name]
        if ax.categoryarray is not None:
            ax.categoryarray = [mapping.get(y, y) for y in ax.categoryarray]
        ax.update(tickmode="array", tickvals=list(mapping.values()), ticktext=list(mapping.values()))


def _x_tick_lines(fig: go.Figure) -> int:
    lines = max([1, *(_lines(str(x)) for ax in fig.select_xaxes() for x in (ax.ticktext or ()))])
    for tr in fig.data:
        if tr.x is not None and tr.type in ("bar", "heatmap", "scatter"):
            lines = max([lines, *(_lines(x) for x in tr.x if isinstance(x, str))])
    return lines


def _note_lines(source: str, width: float) -> tuple[int, str]:
    """The source line's type size and text: one line at the largest size that fits it on one, else
    two lines at the largest size that fits two (never below MIN_NOTE_PX)."""
    if not source:
        return NOTE_PX, ""
    sizes = range(NOTE_PX, MIN_NOTE_PX - 1, -1)
    for most in (1, 2):
        for px in sizes:
            text = wrap_text(source, _chars(width, px))
            if _lines(text) <= most:
                return px, text
    return MIN_NOTE_PX, wrap_text(source, _chars(width, MIN_NOTE_PX))


def slide_figure(
    fig: go.Figure,
    *,
    title: str | None = None,
    source: str | None = None,
    width: int = SLIDE_WIDTH,
    height: int = SLIDE_HEIGHT,
) -> go.Figure:
    """A copy of a dashboard figure laid out for a 16:9 slide (1280×720 CSS pixels by default).

    `title` defaults to the figure's own, `source` to its source note (the whole line as shown,
    e.g. 'Источник: A/HRC/43/10 и Add.1'); both in the reader's language already.
    """
    fig = go.Figure(fig)
    notes = [a for a in fig.layout.annotations if a.name == "source_note"]
    source = _plain(source if source is not None else (notes[0].text if notes else ""))
    title = _plain(title if title is not None else fig.layout.title.text)
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != "source_note"]
    has_axes = bool(fig.data) and any(tr.type not in _NO_AXES for tr in fig.data)
    colorbar = any(tr.type in ("heatmap", "choropleth") and tr.showscale is not False for tr in fig.data)

    # From the bottom: the source line, the axis title, the tick labels.
    note_px, note_text = _note_lines(source, width - 2 * PAD)
    note_h = _lines(note_text) * note_px * LINE
    tick_h = (_x_tick_lines(fig) * TEXT_PX * LINE + 8) if has_axes else 0
    x_titles = [a for a in fig.layout.annotations if a.name == "x_title"]
    axis_titled = has_axes and (bool(x_titles) or any(ax.title.text for ax in fig.select_xaxes()))
    axis_h = AXIS_TITLE_PX * LINE + 6 if axis_titled else 0
    bottom = round(PAD + note_h + 12 + tick_h + axis_h)
    y_titled = has_axes and any(ax.title.text for ax in fig.select_yaxes())
    right = PAD + (110 if colorbar else 16)

    def left_for(longest: int, tick_px: float) -> float:
        left = PAD + (longest * tick_px * CHAR + 12 if longest else (60 if has_axes else 0))
        return left + (AXIS_TITLE_PX * LINE + 8 if y_titled else 0)

    # From the top: the title, the legend's rows, the panels' titles, then the plot.
    title_text = wrap_text(title, _chars(width - 2 * PAD, TITLE_PX)) if title else ""
    top = PAD + _lines(title_text) * TITLE_PX * LINE + 10
    legend_y = top
    names = _legend_items(fig)
    legend_title = _plain(fig.layout.legend.title.text) if fig.layout.legend.title.text else ""
    panel_titles = [
        a for a in fig.layout.annotations if a.yref == "paper" and a.y is not None and a.y >= 0.99 and a.name is None
    ]
    panels_h = PANEL_TITLE_PX * LINE + 8 if panel_titles else 0
    if names:
        top += _legend_rows(names, legend_title, width - 2 * PAD) * TEXT_PX * 2 + 6  # rows two font sizes apart
    top += panels_h
    top = round(top)
    plot_h = height - top - bottom
    mapping, tick_px, longest = _row_layout(fig, plot_h) if has_axes else ({}, TEXT_PX, 0)
    left = round(left_for(longest, tick_px))
    _apply_rows(fig, mapping)

    fig.update_layout(
        width=width,
        height=height,
        font={"family": FONT, "size": TEXT_PX, "color": DARK},
        title={
            "text": title_text,
            "font": {"size": TITLE_PX, "color": DARK},
            "x": PAD / width,
            "xanchor": "left",
            "xref": "container",
            # Plotly anchors a title of several lines by its last line: the lines before it go above.
            "y": 1 - (PAD + title_text.count("<br>") * TITLE_PX * LINE) / height,
            "yanchor": "top",
            "yref": "container",
        },
        margin={"t": round(top), "b": round(bottom), "l": left, "r": right, "pad": 4},
        paper_bgcolor="white",
        plot_bgcolor="white",
        meta={**(fig.layout.meta or {}), "slide": True, "source_line": note_text},
    )
    if names:
        fig.update_layout(
            showlegend=True,
            legend={
                "orientation": "h",
                "x": PAD / width,
                "xanchor": "left",
                "xref": "container",
                "y": 1 - legend_y / height,
                "yanchor": "top",
                "yref": "container",
                "font": {"size": TEXT_PX, "color": DARK},
                "title": {"font": {"size": TEXT_PX}, "side": "top left"},
                "bgcolor": "rgba(0,0,0,0)",
            },
        )
    for ann in panel_titles:
        ann.font = {"size": PANEL_TITLE_PX, "color": DARK}
    if has_axes:
        ticks = {"size": TEXT_PX, "color": DARK}
        fig.update_xaxes(tickfont=ticks, title={"font": {"size": AXIS_TITLE_PX, "color": DARK}, "standoff": 8})
        fig.update_yaxes(
            tickfont={"size": tick_px, "color": DARK},
            title={"font": {"size": AXIS_TITLE_PX, "color": DARK}, "standoff": 8},
            automargin=True,
        )
        gridded = not any(tr.type == "heatmap" for tr in fig.data)  # a heatmap's gaps would show the grid
        for ax in [*fig.select_xaxes(), *fig.select_yaxes()]:
            if gridded and ax.gridcolor is None and ax.showgrid is not False:
                ax.gridcolor = "#e5e5e5"  # the default template's white grid would vanish on white
        for ann in x_titles:
            ann.update(font={"size": AXIS_TITLE_PX, "color": DARK}, y=0, yanchor="top", yshift=-(tick_h + 2))
    for tr in fig.data:
        if tr.type in ("bar", "scatter", "heatmap"):
            tr.textfont = {"size": TEXT_PX - 2}
        elif tr.type == "treemap":
            tr.textfont = {"size": TEXT_PX}
            tr.pathbar = {"visible": False}  # an empty bar over the tiles on a picture nobody can click
            tr.root = {"color": "white"}
            tr.marker.pad = {"t": 0, "l": 0, "r": 0, "b": 0}
        if tr.type in ("heatmap", "choropleth") and tr.showscale is not False:
            tr.colorbar.update(title={"font": {"size": TEXT_PX - 2}}, tickfont={"size": TEXT_PX - 2})
            # On a slide the scale stands beside the plot (the dashboard puts a map's under it, for phones).
            tr.colorbar.update(orientation="v", x=1.02, xanchor="left", y=0.5, yanchor="middle", len=1, thickness=14)
            tr.colorbar.title.side = "right"
    if fig.layout.uniformtext.minsize:
        fig.update_layout(uniformtext={"minsize": 12, "mode": "hide"})
    elif any(tr.type == "bar" and tr.textposition == "outside" for tr in fig.data):
        # Plotly shrinks a label outside a thin bar to the bar's thickness: keep it readable.
        fig.update_layout(uniformtext={"minsize": 13, "mode": "show"})
    if note_text:
        plot = max(plot_h, 1)
        fig.add_annotation(
            name="source_note",
            text=note_text,
            align="left",
            showarrow=False,
            xref="paper",
            x=0,
            xanchor="left",
            # The plot's left edge, moved back to the image's padding: the line starts at the left.
            xshift=-(left - PAD),
            yref="paper",
            y=-(bottom - PAD - note_h) / plot,
            yanchor="top",
            font={"size": note_px, "color": NOTE_COLOUR},
        )
    return fig

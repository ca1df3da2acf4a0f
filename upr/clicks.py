"""What a click on a chart's bar or cell opens in the Explorer: the filters that select exactly the
recommendations the clicked piece counts.

Each function takes the clicked point (as Plotly reports it, with the trace's `customdata`) and
the filters the chart was drawn with, and returns filter values for ui.filters.set_filters(); the
filters not named stay as they are, so the Explorer keeps every restriction the chart had. A
status is always the current status by that source (the Status page's definition), narrowed for
the clicked source only: a status already chosen for another source stays.
"""

from __future__ import annotations

import dataclasses

import plotly.graph_objects as go

from upr.filters import NO_THEME, Filters

__all__ = ["apply", "clickable_cells", "implemented_bar", "status_bar", "status_cell"]


def _left_out(f: Filters, source: str, status: str) -> bool:
    """Whether the sidebar's status filter leaves out `status` by `source` (so its piece counts nothing)."""
    chosen = [s for s in f.status if s.split(":", 1)[0] == source]
    return bool(chosen) and f"{source}:{status}" not in chosen


def status_bar(point: dict, f: Filters, by: str) -> dict:
    """A segment of the Status page's bars (upr.charts.status_bars): one source's status in one cycle
    or theme. customdata is [cycle or theme code, source kind, status, count, total of the bar]."""
    key, source, status = point["customdata"][:3]
    if _left_out(f, source, status):
        return {}
    values: dict = {"sources": [source], "status": list(f.with_status(source, status))}
    if by == "cycle":
        values["cycles"] = [int(key)]
    else:  # "" is the bar of the recommendations with no canonical theme
        values["themes"] = [key or NO_THEME]
    return values


def status_cell(point: dict, f: Filters, a: str, b: str) -> dict:
    """A cell of the disagreement matrix (upr.charts.status_matrix_heatmap): source a's status × b's.
    customdata is [status by a, status by b]. A cell of a status the sidebar's status filter
    leaves out counts nothing and opens nothing."""
    status_a, status_b = point["customdata"][:2]
    if _left_out(f, a, status_a) or _left_out(f, b, status_b):
        return {}
    keep = [s for s in f.status if s.split(":", 1)[0] not in (a, b)]
    return {"sources": [a, b], "status": [*keep, f"{a}:{status_a}", f"{b}:{status_b}"]}


def implemented_bar(point: dict, f: Filters) -> dict:
    """A bar of the Overview's «implemented by source» chart (upr.charts.implemented_by_source): the
    recommendations of one cycle that one source finds implemented. customdata is [cycle, source, assessed].
    With the sidebar's status filter leaving «implemented» out for that source, the bar is 0% and opens nothing."""
    cycle, source = point["customdata"][:2]
    if _left_out(f, source, "implemented"):
        return {}
    return {"cycles": [int(cycle)], "sources": [source], "status": list(f.with_status(source, "implemented"))}


def clickable_cells(fig: go.Figure) -> go.Figure:
    """A copy of a heatmap figure whose cells can be clicked: plotly.js selects no heatmap cell, so
    an invisible marker over each cell carries its customdata (and its count, last) and its hover;
    the heatmap itself no longer answers the pointer. A figure with no heatmap is returned as it is."""
    heat = next((t for t in fig.data if t.type == "heatmap"), None)
    if heat is None:
        return fig
    out = go.Figure(fig)
    xs, ys, data = [], [], []
    for i, (y, row) in enumerate(zip(heat.y, heat.z)):
        for j, (x, n) in enumerate(zip(heat.x, row)):
            xs.append(x)
            ys.append(y)
            data.append([*heat.customdata[i][j], n])
    out.update_traces(hoverinfo="skip", selector={"type": "heatmap"})
    out.update_layout(hoverdistance=60)  # the pointer anywhere over a cell finds its marker
    out.add_scatter(
        x=xs,
        y=ys,
        mode="markers",
        marker={"symbol": "square", "size": 40, "opacity": 0},
        customdata=data,
        hovertemplate=heat.hovertemplate.replace("%{z}", "%{customdata[2]}"),
        showlegend=False,
    )
    return out


def apply(f: Filters, values: dict) -> Filters:
    """The filters the Explorer runs with after the click (what set_filters() makes of the sidebar)."""
    return dataclasses.replace(f, **{k: v if k == "sur" else tuple(v) for k, v in values.items()})

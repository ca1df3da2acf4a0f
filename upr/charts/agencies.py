"""Status of recommendations by responsible agency: one horizontal stacked bar per agency and source."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from upr.agencies import load_agencies
from upr.charts.core import STATUS_COLOURS
from upr.i18n import t
from upr.vocab import STATUS_CODES, label


def status_by_agency_figure(df: pd.DataFrame, source: str, lang: str) -> go.Figure:
    """Bars of recommendations per agency (abbreviation) by current status of `source`; counts on hover."""
    names = {a.code: a for a in load_agencies()}
    part = df[df["source_kind"] == source]
    totals = part.groupby("agency")["n"].sum().sort_values()
    fig = go.Figure()
    for status in STATUS_CODES:
        rows = part[part["status"] == status].set_index("agency")["n"]
        fig.add_bar(
            y=[names[a].abbr(lang) if a in names else a for a in totals.index],
            x=[int(rows.get(a, 0)) for a in totals.index],
            orientation="h",
            name=label("status", status, lang),
            marker_color=STATUS_COLOURS.get(status),
            customdata=[[names[a].name(lang) if a in names else a, int(totals[a])] for a in totals.index],
            hovertemplate="%{customdata[0]}: %{x} / %{customdata[1]}<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(
        barmode="stack",
        title=t("plan.chart_by_agency", lang, source=label("source_kind", source, lang)),
        xaxis_title=t("plan.axis_recommendations", lang),
        height=max(320, 28 * len(totals) + 160),
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10},
    )
    return fig

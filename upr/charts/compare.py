"""Chart builders for the Cycle comparison, Themes and Recommending States pages.

Clickable traces carry `customdata` (and treemap tiles an `id`) that the pages turn into Explorer
filters.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from upr.charts.core import empty_figure, finish, narrow, place_footer, row_labels, wrap_text
from upr.i18n import t
from upr.vocab import REGIONAL_GROUPS, label

# One colour per UN regional group (Okabe–Ito), the same on every chart; grey for no group.
REGIONAL_COLOURS = {
    "african": "#E69F00",
    "asia_pacific": "#009E73",
    "eeg": "#56B4E9",
    "grulac": "#CC79A7",
    "weog": "#0072B2",
}
NO_GROUP_COLOUR = "#999999"
GREW_COLOUR, SHRANK_COLOUR, SAME_COLOUR = "#0072B2", "#D55E00", "#BBBBBB"
CYCLE_A_COLOUR, CYCLE_B_COLOUR = "#56B4E9", "#0072B2"
NO_THEME_ID = "__none__"

__all__ = [
    "CYCLE_A_COLOUR",
    "CYCLE_B_COLOUR",
    "GREW_COLOUR",
    "NO_GROUP_COLOUR",
    "NO_THEME_ID",
    "REGIONAL_COLOURS",
    "SAME_COLOUR",
    "SHRANK_COLOUR",
    "regional_group_label",
    "regional_groups_chart",
    "returning_states_chart",
    "states_choropleth",
    "theme_change_chart",
    "theme_cycle_heatmap",
    "theme_treemap",
    "top_states_chart",
]


def _no_data(lang: str, why: str = "common.no_data_filters") -> go.Figure:
    return empty_figure(t("common.no_data", lang, why=t(why, lang)))


def regional_group_label(code: object, lang: str) -> str:
    """The group's label; 'no regional group' for a State without one or an unresolved name."""
    if not isinstance(code, str) or not code:
        return t("states.group_unknown", lang)
    return label("regional_group", code, lang)


def _rows_height(n: int, base: int = 160, per_row: int = 24) -> int:
    return max(360, base + per_row * n)


# --- Cycle comparison ------------------------------------------------------------------------


def theme_change_chart(df: pd.DataFrame, lang: str, source: str, label_a: str, label_b: str) -> go.Figure:
    """Diverging bars: change in recommendations per theme from cycle A to cycle B, largest growth
    on top. `df` is queries.theme_change(); customdata is [theme code]."""
    if df.empty:
        return _no_data(lang)
    df = df.sort_values(["change", "n_b"], kind="stable")
    names = df[f"label_{lang}"].tolist()
    colours = [GREW_COLOUR if c > 0 else SHRANK_COLOUR if c < 0 else SAME_COLOUR for c in df["change"]]
    fig = go.Figure(
        go.Bar(
            x=df["change"],
            y=names,
            orientation="h",
            marker_color=colours,
            text=[f"{c:+d}" for c in df["change"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[[code, int(a), int(b)] for code, a, b in zip(df["code"], df["n_a"], df["n_b"])],
            hovertemplate=f"%{{y}}<br>{label_a}: %{{customdata[1]}} → {label_b}: %{{customdata[2]}}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=names)
    fig.update_xaxes(zeroline=True, zerolinecolor="#444", zerolinewidth=1, gridcolor="#e5e5e5")
    fig = finish(
        fig,
        t("cycles.chart_theme_change", lang, a=label_a, b=label_b),
        source,
        lang,
        x=t("cycles.axis_change", lang, a=label_a, b=label_b),
        y=t("common.theme", lang),
        height=_rows_height(len(df), 160, 32),
    )
    return place_footer(narrow(row_labels(fig, names)), legend=False)


def returning_states_chart(
    df: pd.DataFrame, lang: str, source: str, label_a: str, label_b: str, top: int = 20
) -> go.Figure:
    """States that recommended in both cycles: recommendations in each, for the `top` States with
    most. `df` is queries.returning_states(); customdata is [iso3]."""
    both = df[df["presence"] == "both"] if not df.empty else df
    if both.empty:
        return _no_data(lang, "cycles.no_returning")
    both = (
        both.assign(total=both["n_a"] + both["n_b"])
        .sort_values(["total", "name_en"], ascending=[False, True])
        .head(top)
    )
    names = both[f"name_{lang}"].tolist()
    fig = go.Figure()
    # Horizontal grouped bars stack the first trace lowest: add B first so that A reads on top.
    for col, name, colour in (("n_b", label_b, CYCLE_B_COLOUR), ("n_a", label_a, CYCLE_A_COLOUR)):
        fig.add_bar(
            x=both[col],
            y=names,
            orientation="h",
            name=name,
            marker_color=colour,
            text=both[col],
            textposition="outside",
            cliponaxis=False,
            customdata=[[iso3] for iso3 in both["iso3"]],
            hovertemplate="%{y}<br>%{fullData.name}: %{x}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
    fig.update_xaxes(gridcolor="#e5e5e5")
    fig = finish(
        fig,
        t("cycles.chart_returning", lang, n=len(both)),
        source,
        lang,
        x=t("common.count", lang),
        y=t("states.axis_state", lang),
        height=_rows_height(2 * len(both), 200, 16),
    )
    fig = place_footer(narrow(row_labels(fig, names)), legend=True)
    fig.update_layout(legend_traceorder="reversed")
    return fig


# --- Themes ----------------------------------------------------------------------------------


def theme_treemap(df: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Recommendations per canonical theme as a treemap; recommendations with no canonical theme as
    one grey tile. `df` is queries.theme_distribution(); each tile's id is its theme code."""
    if df.empty:
        return _no_data(lang)
    themed = df[df["code"].notna()]
    ids = [c if isinstance(c, str) else NO_THEME_ID for c in df["code"]]
    labels = [t("themes.no_theme", lang) if i == NO_THEME_ID else name for i, name in zip(ids, df[f"label_{lang}"])]
    top = max(int(themed["n"].max()), 1) if not themed.empty else 1
    # A sequential blue by size, starting light enough that black text stays readable.
    # The grey "no theme" tile may outnumber every theme (a State known from a UN report only has no
    # theme at all): its shade is not used, but must stay inside the scale.
    shades = sample_colorscale("Blues", [0.25 + 0.55 * min(n / top, 1) for n in df["n"]])
    colours = [NO_GROUP_COLOUR if i == NO_THEME_ID else c for i, c in zip(ids, shades)]
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            # Long names on a few short lines fit narrow tiles at a readable size.
            text=[wrap_text(label, 16) for label in labels],
            parents=[""] * len(ids),
            values=df["n"],
            branchvalues="total",
            marker={"colors": colours},
            customdata=[[i] for i in ids],
            texttemplate="%{text}<br><b>%{value}</b>",
            hovertemplate="%{label}: %{value}<extra></extra>",
            tiling={"pad": 2},
            sort=True,
        )
    )
    fig = finish(fig, t("themes.chart_treemap", lang), source, lang, height=520)
    # A label too small to read is left out (the tile still shows its theme and count on hover).
    fig.update_layout(margin={"l": 10, "r": 10}, uniformtext={"minsize": 10, "mode": "hide"})
    return place_footer(narrow(fig), axis=False, legend=False)


def theme_cycle_heatmap(df: pd.DataFrame, cycles: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Recommendations per theme (rows, in the theme list's order) and cycle (columns), the count
    written in each cell. `df` is queries.theme_cycle_matrix(), `cycles` has cycle and year.

    Streamlit cannot report clicks on heatmap cells, so an invisible marker sits on each cell and
    carries customdata [theme code, cycle]."""
    if df.empty:
        return _no_data(lang)
    from upr.charts.core import cycle_label

    years = dict(zip(cycles["cycle"], cycles["year"])) if not cycles.empty else {}
    cycle_nums = sorted(int(c) for c in df["cycle"].unique())
    themes = df.drop_duplicates("code").sort_values("sort")
    codes, names = themes["code"].tolist(), themes[f"label_{lang}"].tolist()
    xs = [cycle_label(c, years.get(c), lang) for c in cycle_nums]
    counts = {(c, int(y)): int(n) for c, y, n in zip(df["code"], df["cycle"], df["n"])}
    z = [[counts.get((code, c), 0) for c in cycle_nums] for code in codes]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=xs,
            y=names,
            colorscale="Blues",
            texttemplate="%{z}",
            hoverinfo="skip",
            # Every cell says its count: no colour scale beside the plot, which took a phone's width from it.
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    cells = [
        (code, name, c, x, counts.get((code, c), 0)) for code, name in zip(codes, names) for c, x in zip(cycle_nums, xs)
    ]
    fig.add_scatter(
        x=[cell[3] for cell in cells],
        y=[cell[1] for cell in cells],
        mode="markers",
        marker={"size": 22, "symbol": "square", "opacity": 0},
        showlegend=False,
        customdata=[[cell[0], cell[2], cell[4]] for cell in cells],
        hovertemplate="%{y}<br>%{x}: %{customdata[2]}<extra></extra>",
    )
    # Fixed ranges: the invisible markers would otherwise pad the axes with empty space.
    fig.update_yaxes(range=[len(codes) - 0.5, -0.5], showgrid=False, zeroline=False)
    fig.update_xaxes(range=[-0.5, len(xs) - 0.5], showgrid=False, zeroline=False)
    # The cycle's number over its year: narrow enough for a column of a phone's heatmap.
    fig.update_xaxes(
        tickmode="array",
        tickvals=xs,
        ticktext=[f"{c}<br>{int(years[c])}" if c in years and pd.notna(years[c]) else str(c) for c in cycle_nums],
    )
    fig = finish(
        fig,
        t("themes.chart_heatmap", lang),
        source,
        lang,
        x=t("common.cycle", lang),
        y=t("common.theme", lang),
        height=_rows_height(len(codes), 200, 32),
    )
    return place_footer(narrow(row_labels(fig, names, chars=26, px=11)), legend=False)


# --- Recommending States ---------------------------------------------------------------------


def top_states_chart(df: pd.DataFrame, lang: str, source: str, n: int = 15) -> go.Figure:
    """The `n` States that made most recommendations, coloured by UN regional group. `df` is
    queries.state_counts(); customdata is [iso3]."""
    if df.empty:
        return _no_data(lang)
    top = df.head(n)
    names = top[f"name_{lang}"].tolist()
    fig = go.Figure()
    for code in [g.code for g in REGIONAL_GROUPS] + [None]:
        part = top[top["regional_group"] == code] if code else top[top["regional_group"].isna()]
        if part.empty:
            continue
        fig.add_bar(
            x=part["recommendations"],
            y=part[f"name_{lang}"],
            orientation="h",
            name=regional_group_label(code, lang),
            marker_color=REGIONAL_COLOURS.get(code or "", NO_GROUP_COLOUR),
            text=part["recommendations"],
            textposition="outside",
            cliponaxis=False,
            customdata=[[iso3, float(p)] for iso3, p in zip(part["iso3"], part["supported_pct"])],
            hovertemplate="%{y}: %{x}<br>" + t("states.hover_supported", lang) + "<extra>%{fullData.name}</extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
    fig.update_xaxes(gridcolor="#e5e5e5")
    fig = finish(
        fig,
        t("states.chart_top", lang, n=len(top)),
        source,
        lang,
        x=t("common.count", lang),
        y=t("states.axis_state", lang),
        height=_rows_height(len(top), 220, 30),
    )
    fig = narrow(row_labels(fig, names))
    # Group names are long: their legend, titled, in rows under the chart's title (one name a row on a phone).
    # In smaller type: the longest name fits a phone's width.
    fig.update_layout(
        legend={"title": {"text": t("states.axis_group", lang), "side": "top left"}, "font": {"size": 11}}
    )
    return place_footer(fig, legend=True, legend_rows=4)


def states_choropleth(df: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """World map: recommendations per recommending State, by ISO3. `df` is queries.state_counts()."""
    if df.empty:
        return _no_data(lang)
    fig = go.Figure(
        go.Choropleth(
            locations=df["iso3"],
            locationmode="ISO-3",
            z=df["recommendations"],
            text=df[f"name_{lang}"],
            colorscale="Blues",
            marker_line_color="#888",
            marker_line_width=0.4,
            # Under the map, not beside it: on a phone a scale beside the map left it a third of the width.
            colorbar={
                "title": {"text": t("common.count", lang), "side": "top"},
                "orientation": "h",
                "thickness": 10,
                "len": 0.8,
                "x": 0.5,
                "xanchor": "center",
                "y": -0.02,
                "yanchor": "top",
            },
            hovertemplate="%{text}: %{z}<extra></extra>",
        )
    )
    fig.update_geos(
        showframe=False,
        showcoastlines=False,
        showcountries=True,
        countrycolor="#ccc",
        showland=True,
        landcolor="#f2f2f2",
        projection_type="natural earth",
        # Said outright: the image export otherwise centred the map on the Pacific.
        projection_rotation={"lon": 0},
        center={"lon": 0},
        lonaxis_range=[-180, 180],
        lataxis_range=[-58, 85],  # no Antarctica: it makes no recommendations
    )
    fig = finish(fig, t("states.chart_map", lang), source, lang, height=480)
    fig.update_layout(margin={"l": 10, "r": 10})
    return place_footer(narrow(fig), axis=False, legend=False, below=64)


def regional_groups_chart(df: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Recommendations per UN regional group of the recommending State, with each group's
    supported share written on its bar. `df` is queries.regional_group_counts()."""
    if df.empty:
        return _no_data(lang)
    df = df.sort_values("recommendations")
    names = [regional_group_label(g, lang) for g in df["regional_group"]]
    colours = [REGIONAL_COLOURS.get(g if isinstance(g, str) else "", NO_GROUP_COLOUR) for g in df["regional_group"]]
    fig = go.Figure(
        go.Bar(
            x=df["recommendations"],
            y=names,
            orientation="h",
            marker_color=colours,
            showlegend=False,
            text=[
                t("states.bar_text", lang, n=int(n), pct=f"{p:.0f}")
                for n, p in zip(df["recommendations"], df["supported_pct"])
            ],
            textposition="outside",
            cliponaxis=False,
            customdata=[[g if isinstance(g, str) else "", int(p)] for g, p in zip(df["regional_group"], df["pairs"])],
            hovertemplate="%{y}: %{x}<br>" + t("states.hover_pairs", lang) + "<extra></extra>",
        )
    )
    fig.update_xaxes(gridcolor="#e5e5e5", range=[0, df["recommendations"].max() * 1.45])
    fig = finish(
        fig,
        t("states.chart_groups", lang),
        source,
        lang,
        x=t("common.count", lang),
        y=t("states.axis_group", lang),
        height=_rows_height(len(df), 220, 40),
    )
    return place_footer(narrow(row_labels(fig, names)), legend=False)

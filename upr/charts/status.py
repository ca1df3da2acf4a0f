"""Charts of the Implementation status page: status per source (100% bars), the disagreement matrix,
status over time. Data in (the frames of upr.queries.status), plotly Figure out.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from upr.charts.core import (
    STATUS_COLOURS,
    _legend_shown,
    cycle_label,
    empty_figure,
    finish,
    place_footer,
    row_labels,
    wrap_text,
)
from upr.i18n import t
from upr.vocab import SOURCE_KIND_CODES, STATUS_CODES, label

__all__ = [
    "shared_x_title",
    "status_bars",
    "status_category_labels",
    "status_matrix_heatmap",
    "status_timeline_chart",
]

_BAR_HEIGHT = 34  # pixels per category row, so long theme lists stay legible


def _sources_in(df: pd.DataFrame) -> list[str]:
    found = set(df["source_kind"])
    return [k for k in SOURCE_KIND_CODES if k in found] + sorted(found - set(SOURCE_KIND_CODES))


def _statuses_in(*columns: pd.Series) -> list[str]:
    found = set().union(*(set(c.dropna()) for c in columns))
    return [s for s in STATUS_CODES if s in found] + sorted(found - set(STATUS_CODES))


def _footer(fig: go.Figure, height: int, panels: bool = True) -> None:
    """The legend under the title, the panels' titles under it, the note under the shared axis title."""
    meta = dict(fig.layout.meta or {})
    fig.update_layout(height=height, meta=meta | {"top_extra": 26 if panels else 0})
    place_footer(fig, legend=_legend_shown(fig), legend_rows=2)


def shared_x_title(fig: go.Figure, text: str) -> None:
    """One axis title centred under every panel, a fixed number of pixels under the tick labels
    (one title per panel ran into its neighbours and off the right edge)."""
    fig.add_annotation(
        name="x_title",
        text=text,
        showarrow=False,
        xref="paper",
        x=0.5,
        xanchor="center",
        yref="paper",
        y=0,
        yanchor="top",
        yshift=-24,
        font={"size": 14},
    )


def status_category_labels(df: pd.DataFrame, by: str, lang: str) -> dict[object, str]:
    """Category key → label for the frames of status_by_cycle (by="cycle") or status_by_theme (by="theme")."""
    if by == "cycle":
        years = df.groupby("cycle")["year"].first()
        return {int(c): cycle_label(int(c), y, lang) for c, y in years.items()}
    first = df.drop_duplicates("theme").sort_values(["sort", "theme"])
    col = f"label_{lang}"
    return {
        th: (lab if isinstance(lab, str) and lab else t("status.no_theme", lang))
        for th, lab in zip(first["theme"], first[col] if col in first else first["label_en"])
    }


def status_bars(df: pd.DataFrame, by: str, lang: str, source: str) -> go.Figure:
    """Current status per source, as 100% stacked horizontal bars: one panel per source, one bar per category.

    `df` is queries.status_by_cycle() (by="cycle") or status_by_theme() (by="theme"). Each bar
    segment carries customdata [category key, source kind, status, count, total of the bar].
    """
    if df.empty:
        return empty_figure(t("common.no_data", lang, why=t("status.why_no_assessments", lang)))
    key = "cycle" if by == "cycle" else "theme"
    labels = status_category_labels(df, by, lang)
    order = list(labels)
    sources = _sources_in(df)
    statuses = _statuses_in(df["status"])
    totals = df.groupby([key, "source_kind"])["n"].sum()
    fig = make_subplots(
        rows=1,
        cols=len(sources),
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=[label("source_kind", s, lang) for s in sources],
    )
    shown: set[str] = set()
    for col, src in enumerate(sources, start=1):
        part = df[df["source_kind"] == src]
        for status in statuses:
            cells = part[part["status"] == status].set_index(key)["n"]
            keys = [k for k in order if k in cells.index]
            if not keys:
                continue
            counts = [int(cells[k]) for k in keys]
            tot = [int(totals[(k, src)]) for k in keys]
            pct = [100.0 * n / d for n, d in zip(counts, tot)]
            fig.add_bar(
                x=pct,
                y=[labels[k] for k in keys],
                orientation="h",
                row=1,
                col=col,
                name=label("status", status, lang),
                legendgroup=status,
                showlegend=status not in shown,
                marker_color=STATUS_COLOURS.get(status, "#777777"),
                text=[f"{p:.0f}%" if p >= 7 else "" for p in pct],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                customdata=[[k if by != "cycle" else int(k), src, status, n, d] for k, n, d in zip(keys, counts, tot)],
                hovertemplate="%{y}<br>%{fullData.name}: %{customdata[3]} / %{customdata[4]} (%{x:.0f}%)<extra></extra>",
            )
            shown.add(status)
    fig.update_layout(barmode="stack", bargap=0.25, uniformtext={"minsize": 10, "mode": "hide"})
    # No 0/100 ticks: side by side, one panel's 100% would run into the next one's 0%.
    fig.update_xaxes(range=[0, 100], tickvals=[25, 50, 75], ticktext=["25%", "50%", "75%"], gridcolor="#e5e5e5")
    fig.update_yaxes(categoryorder="array", categoryarray=[labels[k] for k in order], autorange="reversed")
    height = max(380, 190 + _BAR_HEIGHT * len(order))
    title = t("status.chart_by_cycle" if by == "cycle" else "status.chart_by_theme", lang)
    finish(fig, title, source, lang, x=None, y=None, height=height)
    shared_x_title(fig, t("status.axis_share", lang))
    fig.update_yaxes(title_text=t("common.cycle" if by == "cycle" else "common.theme", lang), row=1, col=1)
    row_labels(fig, [labels[k] for k in order])
    _footer(fig, height)
    return fig


def status_matrix_heatmap(df: pd.DataFrame, a: str, b: str, lang: str, source: str) -> go.Figure:
    """Source a's current status (rows) × source b's (columns): exact counts; the diagonal (agreement) outlined.

    `df` is queries.status_matrix(). Both axes list the same statuses so the diagonal means agreement.
    """
    if df.empty:
        return empty_figure(
            t(
                "common.no_data",
                lang,
                why=t("status.why_no_pairs", lang, a=label("source_kind", a, lang), b=label("source_kind", b, lang)),
            )
        )
    statuses = _statuses_in(df["status_a"], df["status_b"])
    cells = {(r.status_a, r.status_b): int(r.n) for r in df.itertuples()}
    z = [[cells.get((sa, sb), 0) for sb in statuses] for sa in statuses]
    names = [label("status", s, lang) for s in statuses]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[wrap_text(nm, 14) for nm in names],
            y=names,
            colorscale=[[0, "#ffffff"], [1, "#0072B2"]],
            zmin=0,
            text=[[str(v) if v else "" for v in row] for row in z],
            texttemplate="%{text}",
            textfont={"size": 14},
            customdata=[[[sa, sb] for sb in statuses] for sa in statuses],
            hovertemplate=(
                f"{label('source_kind', a, lang)}: %{{y}}<br>{label('source_kind', b, lang)}: %{{x}}"
                "<br>%{z}<extra></extra>"
            ),
            colorbar={"title": {"text": t("common.count", lang), "side": "right"}, "thickness": 12},
            xgap=2,
            ygap=2,
        )
    )
    for i in range(len(statuses)):
        fig.add_shape(
            type="rect", x0=i - 0.5, x1=i + 0.5, y0=i - 0.5, y1=i + 0.5, line={"color": "#333333", "width": 2}
        )
    fig.update_yaxes(autorange="reversed")
    n = sum(cells.values())
    height = max(420, 260 + 48 * len(statuses))
    finish(
        fig,
        t("status.chart_matrix", lang, a=label("source_kind", a, lang), b=label("source_kind", b, lang), n=n),
        source,
        lang,
        x=t("status.axis_assessment_by", lang, source=label("source_kind", b, lang)),
        y=t("status.axis_assessment_by", lang, source=label("source_kind", a, lang)),
        height=height,
    )
    fig.update_yaxes(gridcolor=None, showgrid=False)
    fig.update_layout(margin={"l": 200})
    _footer(fig, height, panels=False)
    return fig


def status_timeline_chart(df: pd.DataFrame, lang: str, source: str) -> go.Figure:
    """Per source, the number of recommendations in each status at each assessment date (stacked areas).

    `df` is queries.status_timeline(); one panel per source, x = assessment date.
    """
    if df.empty:
        return empty_figure(t("common.no_data", lang, why=t("status.why_no_assessments", lang)))
    sources = _sources_in(df)
    statuses = _statuses_in(df["status"])
    # Each source on its own scale: an ombudsman assessing 40 recommendations next to a government
    # assessing 700 would otherwise be a flat line.
    fig = make_subplots(
        rows=1,
        cols=len(sources),
        shared_yaxes=False,
        horizontal_spacing=0.06,
        subplot_titles=[label("source_kind", s, lang) for s in sources],
    )
    shown: set[str] = set()
    for col, src in enumerate(sources, start=1):
        part = df[df["source_kind"] == src]
        for status in statuses:
            line = part[part["status"] == status].sort_values("as_of")
            if line.empty or not line["n"].any():
                continue
            fig.add_scatter(
                x=line["as_of"],
                y=line["n"],
                mode="lines+markers",
                stackgroup=f"s{col}",
                row=1,
                col=col,
                name=label("status", status, lang),
                legendgroup=status,
                showlegend=status not in shown,
                line={"color": STATUS_COLOURS.get(status, "#777777"), "width": 1},
                fillcolor=STATUS_COLOURS.get(status, "#777777"),
                hovertemplate="%{x|%Y-%m-%d}<br>%{fullData.name}: %{y}<extra></extra>",
            )
            shown.add(status)
    # One time range for every panel, so dates line up and a source with one date still has a readable axis.
    first, last = pd.Timestamp(df["as_of"].min()), pd.Timestamp(df["as_of"].max())
    pad = max((last - first) * 0.04, pd.Timedelta(days=60))
    fig.update_xaxes(range=[first - pad, last + pad], type="date")
    height = 460
    finish(fig, t("status.chart_timeline", lang), source, lang, height=height)
    fig.update_xaxes(gridcolor="#e5e5e5")
    shared_x_title(fig, t("status.axis_date", lang))
    fig.update_yaxes(title_text=t("common.count", lang), row=1, col=1, gridcolor="#e5e5e5")
    _footer(fig, height)
    return fig

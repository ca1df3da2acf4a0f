"""What each slide's native PowerPoint chart shows: categories, series and their colours, as data.

A `ChartSpec` is built from the same query frames as the slide's plotly figure (never from the
figure), so that the PPTX's chart data are the app's own figures; `upr.pptx_deck` turns it into
an editable PowerPoint chart. PowerPoint has no treemap: the themes slide is a bar chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from upr.charts import (
    NO_GROUP_COLOUR,
    REGIONAL_COLOURS,
    RESPONSE_COLOURS,
    STATUS_COLOURS,
    cycle_label,
    regional_group_label,
)
from upr.i18n import t
from upr.vocab import REGIONAL_GROUPS, RESPONSE_CODES, SOURCE_KIND_CODES, STATUS_CODES, label

# python-pptx chart types by name (kept as strings so that this module needs no python-pptx).
COLUMN_STACKED, COLUMN, BAR, BAR_STACKED, BAR_STACKED_100 = (
    "column_stacked",
    "column",
    "bar",
    "bar_stacked",
    "bar_stacked_100",
)
THEME_COLOUR = "#0072B2"

__all__ = [
    "BAR",
    "BAR_STACKED",
    "BAR_STACKED_100",
    "COLUMN",
    "COLUMN_STACKED",
    "ChartSpec",
    "Series",
    "cycles_chart",
    "recurring_chart",
    "states_chart",
    "status_chart",
    "supported_chart",
    "themes_chart",
]


@dataclass(frozen=True)
class Series:
    """One series: its name (the legend's), one value per category (None: no bar), its fill colour."""

    name: str
    values: tuple[float | None, ...]
    colour: str


@dataclass(frozen=True)
class ChartSpec:
    """A native chart: `kind` (one of the constants above), its title, categories, series.

    `categories` are labels, or (group, label) pairs for two-level categories (the status
    chart: source, then cycle). `total` is drawn as a label above each stacked column.
    Data labels show each value in `number_format`; a segment smaller than `min_label_share`
    of its bar has none (it would not fit).
    """

    kind: str
    title: str
    categories: tuple[str, ...] | tuple[tuple[str, str], ...]
    series: tuple[Series, ...]
    number_format: str = "0"
    value_title: str | None = None
    category_title: str | None = None
    total: Series | None = None
    min_label_share: float = 0.0
    legend: bool = True


def _when(cycle: int, year: object, lang: str) -> str:
    """'2025', or 'Cycle 4' when the year is not known."""
    return str(int(year)) if year is not None and pd.notna(year) else f"{t('common.cycle', lang)} {int(cycle)}"


def cycles_chart(cycles: pd.DataFrame, lang: str) -> ChartSpec | None:
    """Recommendations per cycle, stacked by response, the total above each column (queries.cycle_overview)."""
    if cycles.empty:
        return None
    cats = tuple(cycle_label(int(c), y, lang) for c, y in zip(cycles["cycle"], cycles["year"]))
    series = tuple(
        Series(label("response", code, lang), tuple(int(v) for v in cycles[code]), RESPONSE_COLOURS[code])
        for code in RESPONSE_CODES
        if code in cycles and cycles[code].any()
    )
    total = Series(t("present.total", lang), tuple(int(v) for v in cycles["recommendations"]), "#1A1A1A")
    return ChartSpec(
        COLUMN_STACKED,
        t("overview.chart_cycles", lang),
        cats,
        series,
        value_title=t("common.count", lang),
        total=total,
        min_label_share=0.06,
    )


def supported_chart(cycles: pd.DataFrame, lang: str) -> ChartSpec | None:
    """The supported share per cycle, in percent (queries.cycle_overview's supported_pct)."""
    if cycles.empty:
        return None
    cats = tuple(cycle_label(int(c), y, lang) for c, y in zip(cycles["cycle"], cycles["year"]))
    values = tuple(float(v) for v in cycles["supported_pct"])
    return ChartSpec(
        COLUMN,
        t("overview.chart_supported", lang),
        cats,
        (Series(label("response", "supported", lang), values, RESPONSE_COLOURS["supported"]),),
        number_format='0"%"',
        value_title=t("common.share", lang),
        legend=False,
    )


def _theme_counts(df: pd.DataFrame, lang: str, title: str, colour: str) -> ChartSpec | None:
    """One bar per theme (`label_<lang>`, count `n`), in the frame's order; None when empty."""
    if df.empty:
        return None
    return ChartSpec(
        BAR,
        title,
        tuple(str(v) for v in df[f"label_{lang}"]),
        (Series(t("common.count", lang), tuple(int(v) for v in df["n"]), colour),),
        legend=False,
    )


def themes_chart(themed: pd.DataFrame, lang: str, title: str) -> ChartSpec | None:
    """Recommendations per theme, largest first (queries.theme_distribution, themed rows only)."""
    return _theme_counts(themed, lang, title, THEME_COLOUR)


def status_chart(status: pd.DataFrame, lang: str) -> ChartSpec | None:
    """Current status per source and cycle, as 100% stacked bars of counts (queries.status_by_cycle).

    Categories are 'source · year', sources in their usual order, cycles in time order;
    one series per status found, its value the number of recommendations (None where none).
    """
    if status.empty:
        return None
    found = set(status["source_kind"])
    sources = [k for k in SOURCE_KIND_CODES if k in found] + sorted(found - set(SOURCE_KIND_CODES))
    statuses = [s for s in STATUS_CODES if s in set(status["status"])]
    years = status.groupby("cycle")["year"].first()
    cells = status.groupby(["source_kind", "cycle", "status"])["n"].sum()
    bars = [
        (src, int(c)) for src in sources for c in sorted(status.loc[status["source_kind"] == src, "cycle"].unique())
    ]
    series = tuple(
        Series(
            label("status", st, lang),
            tuple(int(cells[(src, c, st)]) if (src, c, st) in cells.index else None for src, c in bars),
            STATUS_COLOURS.get(st, "#777777"),
        )
        for st in statuses
    )
    # 'Ombudsman · 2019', not 'Ombudsman (NHRI) · 2019': a label that wraps makes PowerPoint skip every other one.
    short = {src: label("source_kind", src, lang).split(" (")[0] for src in sources}
    cats = tuple(f"{short[src]} · {_when(c, years.get(c), lang)}" for src, c in bars)
    return ChartSpec(
        BAR_STACKED_100,
        t("status.chart_by_cycle", lang),
        cats,
        series,
        min_label_share=0.07,  # the axis's ticks say "%": no axis title, room for every bar's label
    )


def states_chart(counts: pd.DataFrame, lang: str, title: str) -> ChartSpec | None:
    """The States that made most recommendations (queries.state_counts, top rows), one series per
    UN regional group so that the legend names the groups; a State has a value in its group's only."""
    if counts.empty:
        return None
    groups = [g.code for g in REGIONAL_GROUPS if (counts["regional_group"] == g.code).any()]
    if counts["regional_group"].isna().any():
        groups.append(None)
    series = []
    for code in groups:
        mine = counts["regional_group"].isna() if code is None else counts["regional_group"] == code
        series.append(
            Series(
                regional_group_label(code, lang),
                tuple(int(n) if m else None for n, m in zip(counts["recommendations"], mine)),
                REGIONAL_COLOURS.get(code or "", NO_GROUP_COLOUR),
            )
        )
    return ChartSpec(BAR_STACKED, title, tuple(str(v) for v in counts[f"name_{lang}"]), tuple(series))


def recurring_chart(counts: pd.DataFrame, lang: str, title: str) -> ChartSpec | None:
    """Recurring recommendations per theme, largest first: `counts` has the theme's label_<lang> and n."""
    return _theme_counts(counts, lang, title, RESPONSE_COLOURS["supported"])

"""The presenter's deck: which slides exist, each slide's chart and headline, the PPTX, the shared link.

A slide is one chart of the dashboards (built by `upr.charts` from `upr.queries`, never rebuilt
here) in large type, under a headline computed from the same data. `fetch(name, *args)` runs
`upr.queries.<name>` — cached through `ui.data.query` in the app, straight on a connection in
tests and benchmarks (`connection_fetch`) — so this module stays free of Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from upr import charts, citations, queries
from upr import slide_charts as native
from upr.charts.slide import slide_figure
from upr.deck_state import DECK_KEYS, SLIDE_KEYS, Deck, deck_link
from upr.filters import Filters
from upr.i18n import t
from upr.insights import overview_takeaways
from upr.percent import percent

Fetch = Callable[..., Any]

# Sized for a projector: 20 px ticks, 30 px chart titles. The PPTX image is drawn at this width,
# so that 20 px on a 13.33-inch slide still reads as ~14 pt.
SCREEN_HEIGHT = 600
PREVIEW_WIDTH = 1000  # the Presentation page's column on a laptop; pictures are drawn wider, never narrower
IMAGE_WIDTH, IMAGE_HEIGHT = 1280, 600
TOP_STATES, TOP_RECURRING_THEMES, TOP_THEMES = 10, 10, 8

__all__ = [
    "DECK_KEYS",
    "IMAGE_HEIGHT",
    "IMAGE_WIDTH",
    "SLIDE_KEYS",
    "Deck",
    "Slide",
    "build_deck",
    "build_pptx",
    "build_slide",
    "connection_fetch",
    "deck_link",
    "deck_pptx",
    "deck_source",
    "recurring_chart",
    "slide_name",
    "slide_sources",
]


@dataclass(frozen=True)
class Slide:
    """One slide: its kind, the headline computed from the data, and its chart in large type."""

    key: str
    headline: str
    figure: go.Figure = field(compare=False)
    chart: native.ChartSpec | None = None  # the same figures as a native PowerPoint chart (None: no data)
    source: str = ""  # one line: 'Source: A/HRC/14/10 and Add.1; …'
    notes: str = ""  # the full source, for the speaker notes


def slide_name(key: str, lang: str) -> str:
    """The slide kind's name for the presenter's menu ('Cycle comparison', …)."""
    return t(f"present.slide_{key}", lang)


def connection_fetch(con: duckdb.DuckDBPyConnection) -> Fetch:
    """A `fetch` that runs the queries straight on `con` (tests, benchmarks, the command line)."""
    return lambda name, *args: getattr(queries, name)(con, *args)


# --- source notes -----------------------------------------------------------------------------


def slide_sources(key: str, src: citations.Sources, lang: str) -> tuple[str, str]:
    """A slide's source: one line for its foot and the full text (upr.citations) for its speaker notes.

    The foot names each cycle's Working Group report (or its session, when the symbol is not
    stated) and, on the status slide, the date of the latest assessment: 'Source: A/HRC/14/10;
    A/HRC/28/10; A/HRC/43/10; UPR WG session 48 (demo data)'. Addenda, assessing organisations and
    their dates are in the notes, which a one-line foot has no room for.
    """
    assessments = key == "status"
    docs = []
    for c in src.cycles:
        if c.report:
            docs.append(c.report)
        elif c.session:
            docs.append(t("present.foot_session", lang, session=c.session))
        else:
            docs.append(t("present.foot_cycle", lang, cycle=c.cycle))
    text = "; ".join(docs) or t("cite.none", lang)
    if assessments and src.assessors:
        latest = max(a.latest for a in src.assessors)
        text += t("present.foot_assessed", lang, date=citations.format_date(latest, lang))
    if src.demo:
        text += f" ({t('cite.demo', lang)})"
    return t("common.source_note", lang, source=text), citations.full_citation(src, lang, assessments=assessments)


def deck_source(fetch: Fetch, f: Filters, lang: str) -> str:
    """The one-line source of a deck of the filters' recommendations (documents and assessments)."""
    return citations.chart_source(fetch, f, lang, assessments=True)


# --- the slides -------------------------------------------------------------------------------


def _when(cycle: int, year: object, lang: str) -> str:
    """'2025', or 'cycle 4' when the year is not known (the wording of upr.insights)."""
    if year is not None and pd.notna(year):
        return str(int(year))
    return f"{t('common.cycle', lang).lower()} {int(cycle)}"


def _plain_title(fig: go.Figure) -> str:
    """The figure's title as plain text for a PowerPoint chart: plotly's line breaks and tags dropped."""
    return " ".join(re.sub(r"<[^>]+>", " ", str(fig.layout.title.text or "")).split())


def _no_data(lang: str, why: str = "common.no_data_filters") -> go.Figure:
    return charts.empty_figure(t("common.no_data", lang, why=t(why, lang)))


def recurring_counts(pairs: pd.DataFrame, lang: str, top: int) -> pd.DataFrame:
    """Recurring pairs per canonical theme, the `top` themes, largest first: theme_code, label_<lang>, n."""
    col = f"label_{lang}"
    return (
        pairs.groupby(["theme_code", col], sort=False)
        .size()
        .reset_index(name="n")
        .sort_values(["n", col], ascending=[False, True])
        .head(top)
    )


def recurring_chart(pairs: pd.DataFrame, lang: str, source: str, label_a: str, label_b: str, top: int) -> go.Figure:
    """Recommendations of cycle B that repeat one of cycle A, per canonical theme (the `top` themes).

    `pairs` is queries.recurring_recommendations(); customdata is [theme code]."""
    if pairs.empty:
        return _no_data(lang, "cycles.recurring_none")
    col = f"label_{lang}"
    counts = recurring_counts(pairs, lang, top)
    names = counts[col].tolist()
    fig = go.Figure(
        go.Bar(
            x=counts["n"],
            y=names,
            orientation="h",
            marker_color=charts.RESPONSE_COLOURS["supported"],
            text=counts["n"],
            textposition="outside",
            cliponaxis=False,
            customdata=[[code] for code in counts["theme_code"]],
            hovertemplate="%{y}: %{x}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
    fig.update_xaxes(gridcolor="#e5e5e5", range=[0, int(counts["n"].max()) * 1.15])
    return charts.finish(
        fig,
        t("present.chart_recurring", lang, a=label_a, b=label_b, n=len(names)),
        source,
        lang,
        x=t("common.count", lang),
        y=t("common.theme", lang),
    )


Built = tuple[str, go.Figure, native.ChartSpec | None]


def _cycles_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> Built:
    cycles = fetch("cycle_overview", f)
    fig, spec = charts.cycle_comparison(cycles, lang, source), native.cycles_chart(cycles, lang)
    if cycles.empty:
        return t("present.head_empty", lang), fig, spec
    return overview_takeaways(cycles, cycles.iloc[0:0], lang)[0], fig, spec


def _supported_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> Built:
    cycles = fetch("cycle_overview", f)
    fig, spec = charts.supported_share(cycles, lang, source), native.supported_chart(cycles, lang)
    if cycles.empty:
        return t("present.head_empty", lang), fig, spec
    first, last = cycles.iloc[0], cycles.iloc[-1]
    if len(cycles) == 1:
        head = t(
            "present.head_supported_one",
            lang,
            pct=percent(last["supported"], last["recommendations"]),
            n=int(last["recommendations"]),
            when=_when(last["cycle"], last["year"], lang),
        )
    else:
        head = t(
            "present.head_supported",
            lang,
            first=percent(first["supported"], first["recommendations"]),
            first_when=_when(first["cycle"], first["year"], lang),
            last=percent(last["supported"], last["recommendations"]),
            last_when=_when(last["cycle"], last["year"], lang),
        )
    return head, fig, spec


def _themes_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> Built:
    dist = fetch("theme_distribution", f)
    themed = dist[dist["code"].notna()] if not dist.empty else dist
    # On a projector only the largest tiles are readable: the slide shows the TOP_THEMES largest
    # themes (and says so in the chart's title); the Themes page has them all.
    fig = charts.theme_treemap(themed.head(TOP_THEMES), lang, source)
    if len(themed) > TOP_THEMES:
        fig.layout.title.text = t("present.chart_top_themes", lang, n=TOP_THEMES, total=len(themed))
    spec = native.themes_chart(themed.head(TOP_THEMES), lang, _plain_title(fig))
    if themed.empty:
        return t("present.head_empty", lang), fig, spec
    total = int(fetch("cycle_overview", f)["recommendations"].sum())
    lead = themed.iloc[0]
    head = t(
        "present.head_themes",
        lang,
        theme=lead[f"label_{lang}"],
        n=int(lead["n"]),
        total=total,
        pct=round(100 * int(lead["n"]) / total) if total else 0,
    )
    return head, fig, spec


def _status_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> Built:
    status = fetch("status_by_cycle", f)
    fig, spec = charts.status_bars(status, "cycle", lang, source), native.status_chart(status, lang)
    implemented = fetch("implemented_share", f)
    cycles = fetch("cycle_overview", f)
    if implemented.empty or cycles.empty:
        return t("present.head_status_none", lang), fig, spec
    # The Overview's second takeaway: the latest cycle, as government and NGOs see it.
    takeaways = overview_takeaways(cycles, implemented, lang)
    return (takeaways[1] if len(takeaways) > 1 else t("present.head_status_none", lang)), fig, spec


def _states_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> Built:
    counts = fetch("state_counts", f)
    fig = charts.top_states_chart(counts, lang, source, TOP_STATES)
    spec = native.states_chart(counts.head(TOP_STATES), lang, _plain_title(fig))
    if counts.empty:
        return t("present.head_empty", lang), fig, spec
    totals = fetch("recommending_totals", f).iloc[0]
    lead = counts.iloc[0]
    head = t(
        "present.head_states",
        lang,
        states=int(totals["states"]),
        state=lead[f"name_{lang}"],
        n=int(lead["recommendations"]),
    )
    return head, fig, spec


def _recurring_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> Built:
    cycles = fetch("cycle_overview", f)
    if len(cycles) < 2:
        return t("present.head_recurring_one", lang), _no_data(lang, "present.why_two_cycles"), None
    prev, last = cycles.iloc[-2], cycles.iloc[-1]
    a, b = int(prev["cycle"]), int(last["cycle"])
    pairs = fetch("recurring_recommendations", f, a, b, lang)
    label_a, label_b = charts.cycle_label(a, prev["year"], lang), charts.cycle_label(b, last["year"], lang)
    fig = recurring_chart(pairs, lang, source, label_a, label_b, TOP_RECURRING_THEMES)
    spec = (
        native.recurring_chart(recurring_counts(pairs, lang, TOP_RECURRING_THEMES), lang, _plain_title(fig))
        if not pairs.empty
        else None
    )
    head = t(
        "present.head_recurring",
        lang,
        n=len(pairs),
        total=int(last["recommendations"]),
        pct=round(100 * len(pairs) / int(last["recommendations"])),
        when=_when(b, last["year"], lang),
        prev_when=_when(a, prev["year"], lang),
    )
    return head, fig, spec


_BUILDERS: dict[str, Callable[[Fetch, Filters, str, str], Built]] = {
    "cycles": _cycles_slide,
    "supported": _supported_slide,
    "themes": _themes_slide,
    "status": _status_slide,
    "states": _states_slide,
    "recurring": _recurring_slide,
}


def build_slide(key: str, fetch: Fetch, f: Filters, lang: str, src: citations.Sources | None = None) -> Slide:
    """One slide of kind `key` (one of SLIDE_KEYS) for the filters, in `lang`, in large type.

    `src` is what the filters' recommendations cite (upr.citations.gather); read when not given.
    """
    if key not in _BUILDERS:
        raise ValueError(f"unknown slide {key!r}; expected one of {', '.join(SLIDE_KEYS)}")
    if src is None:
        src = citations.gather(fetch, f)
    source, notes = slide_sources(key, src, lang)
    note = citations.short_citation(src, lang, assessments=key == "status", prefix=False)
    headline, fig, chart = _BUILDERS[key](fetch, f, lang, note)
    # The same layout as the chart images (upr.charts.slide): title, legend, panels and axis titles each
    # given room; the slide prints its source under it, so none is drawn inside.
    return Slide(
        key, headline, slide_figure(fig, source="", width=PREVIEW_WIDTH, height=SCREEN_HEIGHT), chart, source, notes
    )


def build_deck(keys: Sequence[str], fetch: Fetch, f: Filters, lang: str) -> list[Slide]:
    """The slides of `keys`, in that order."""
    src = citations.gather(fetch, f)
    return [build_slide(k, fetch, f, lang, src) for k in keys]


# --- PPTX -------------------------------------------------------------------------------------


def build_pptx(slides: Sequence[Slide], lang: str, images: Sequence[bytes] | None = None) -> bytes:
    """The 16:9 PPTX of `slides` (upr.pptx_deck): native PowerPoint charts, or pictures when `images` are given."""
    from upr.pptx_deck import build_pptx as build

    return build(slides, lang, images)


def deck_pptx(slides: Sequence[Slide], lang: str, pictures: bool = False, renderer: Any = None) -> bytes:
    """The PPTX of `slides` with native charts, or (`pictures`) with each chart drawn as a PNG.

    Pictures need a browser (upr.images.Renderer): pass an open `renderer` to reuse it; otherwise one
    is opened for this deck and closed after. Raises upr.images.BrowserNotFound when none is installed.
    """
    if not pictures:
        return build_pptx(slides, lang)
    from upr.images import PNG_SCALE, Renderer

    def render(r: Any) -> list[bytes]:
        figs = [go.Figure(s.figure).update_layout(width=IMAGE_WIDTH, height=IMAGE_HEIGHT) for s in slides]
        return r.render_many(figs, "png", PNG_SCALE)

    if renderer is not None:
        images = render(renderer)
    else:
        with Renderer() as r:
            images = render(r)
    return build_pptx(slides, lang, images)

"""The presenter's deck: which slides exist, each slide's chart and headline, the PPTX, the shared link.

A slide is one chart of the dashboards (built by `upr.charts` from `upr.queries`, never rebuilt
here) in large type, under a headline computed from the same data. `fetch(name, *args)` runs
`upr.queries.<name>` — cached through `ui.data.query` in the app, straight on a connection in
tests and benchmarks (`connection_fetch`) — so this module stays free of Streamlit.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from upr import charts, queries
from upr.filters import Filters
from upr.i18n import DEFAULT_LANG, LANGS, t
from upr.insights import overview_takeaways

Fetch = Callable[..., Any]

SLIDE_KEYS: tuple[str, ...] = ("cycles", "supported", "themes", "status", "states", "recurring")
# Sized for a projector: 20 px ticks, 30 px chart titles. The PPTX image is drawn at this width,
# so that 20 px on a 13.33-inch slide still reads as ~14 pt.
SCREEN_HEIGHT = 600
IMAGE_WIDTH, IMAGE_HEIGHT = 1280, 600
TITLE_PX, TEXT_PX, AXIS_TITLE_PX, NOTE_PX = 30, 20, 22, 22
TOP_STATES, TOP_RECURRING_THEMES, TOP_THEMES = 10, 12, 8
DECK_KEYS = ("slides", "slide", "lang", "show")  # URL parameters of the deck (the rest are filters)

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
    "imports_note",
    "presentation_style",
    "recurring_chart",
    "slide_name",
    "source_text",
]


@dataclass(frozen=True)
class Slide:
    """One slide: its kind, the headline computed from the data, and its chart in large type."""

    key: str
    headline: str
    figure: go.Figure = field(compare=False)


def slide_name(key: str, lang: str) -> str:
    """The slide kind's name for the presenter's menu ('Cycle comparison', …)."""
    return t(f"present.slide_{key}", lang)


def connection_fetch(con: duckdb.DuckDBPyConnection) -> Fetch:
    """A `fetch` that runs the queries straight on `con` (tests, benchmarks, the command line)."""
    return lambda name, *args: getattr(queries, name)(con, *args)


# --- source notes -----------------------------------------------------------------------------


def imports_note(imports: pd.DataFrame, lang: str) -> str:
    """Which imports the figures come from (the note under every chart): `imports` is queries.imports_in_force()."""
    if imports.empty:
        return "—"
    names = "; ".join(f"#{i} {n}" for i, n in zip(imports["id"], imports["file_name"]))
    return t("common.source_db", lang, imports=names)


def source_text(imports: pd.DataFrame, reviews: pd.DataFrame, cycles: Iterable[int], lang: str, demo: bool) -> str:
    """The deck's source note: the imports in force and the UN documents of the shown cycles.

    `reviews` is queries.reviews(sur); a review with no recorded report symbol is named by cycle.
    """
    shown = set(cycles)
    docs = []
    for row in reviews.itertuples():
        if shown and int(row.cycle) not in shown:
            continue
        name = charts.cycle_label(int(row.cycle), row.year, lang)
        symbol = row.report_symbol if isinstance(row.report_symbol, str) and row.report_symbol else None
        docs.append(f"{name}: {symbol}" if symbol else name)
    text = t("present.source", lang, data=imports_note(imports, lang), documents="; ".join(docs) or "—")
    return f"{text} {t('present.source_demo', lang)}" if demo else text


def deck_source(fetch: Fetch, f: Filters, lang: str) -> str:
    """source_text() for the filters' State and cycles, from the database."""
    return source_text(
        fetch("imports_in_force"), fetch("reviews", f.sur), fetch("selected_cycles", f), lang, bool(fetch("is_demo"))
    )


# --- large type -------------------------------------------------------------------------------


def presentation_style(fig: go.Figure, *, height: int = SCREEN_HEIGHT, width: int | None = None) -> go.Figure:
    """A copy of a dashboard figure restyled to be read from the back of a room.

    Large type everywhere; the source note drawn under the chart is dropped (the slide prints
    its own, larger); a horizontal legend moves to a fixed number of pixels under the axis.
    """
    fig = go.Figure(fig)
    notes = [a for a in fig.layout.annotations if a.yref == "paper" and a.y is not None and a.y < 0]
    fig.layout.annotations = [a for a in fig.layout.annotations if a not in notes]
    for ann in fig.layout.annotations:
        ann.font.size = NOTE_PX if (ann.font.size or 0) < 20 else ann.font.size
    has_axes = any(tr.type not in ("treemap", "pie", "choropleth") for tr in fig.data)
    horizontal = fig.layout.legend.orientation == "h" and any(tr.showlegend is not False for tr in fig.data)
    top = 80
    bottom = (95 if has_axes else 10) + (45 if horizontal and has_axes else 0)
    fig.update_layout(
        height=height,
        width=width,
        font={"size": TEXT_PX},
        title={"font": {"size": TITLE_PX}, "y": 1 - 22 / height, "yanchor": "top", "yref": "container"},
        legend={"font": {"size": TEXT_PX}, "title": {"font": {"size": TEXT_PX}}},
        margin={"t": top, "b": bottom, "l": 20 if not has_axes else None},
        meta={"presentation": True},
    )
    if horizontal and has_axes:
        plot = max(height - top - bottom, 100)
        fig.update_layout(legend={"orientation": "h", "x": 0, "y": -95 / plot, "yanchor": "top"})
    fig.update_xaxes(tickfont={"size": TEXT_PX}, title={"font": {"size": AXIS_TITLE_PX}}, automargin=True)
    fig.update_yaxes(tickfont={"size": TEXT_PX}, title={"font": {"size": AXIS_TITLE_PX}}, automargin=True)
    for trace in fig.data:
        if trace.type in ("bar", "scatter", "treemap", "heatmap"):
            trace.textfont = {"size": TEXT_PX + (4 if trace.type == "treemap" else 0)}
    if fig.layout.uniformtext.minsize:
        fig.update_layout(uniformtext={"minsize": TEXT_PX - 4})
    return fig


# --- the slides -------------------------------------------------------------------------------


def _when(cycle: int, year: object, lang: str) -> str:
    """'2025', or 'cycle 4' when the year is not known (the wording of upr.insights)."""
    if year is not None and pd.notna(year):
        return str(int(year))
    return f"{t('common.cycle', lang).lower()} {int(cycle)}"


def _no_data(lang: str, why: str = "common.no_data_filters") -> go.Figure:
    return charts.empty_figure(t("common.no_data", lang, why=t(why, lang)))


def recurring_chart(pairs: pd.DataFrame, lang: str, source: str, label_a: str, label_b: str, top: int) -> go.Figure:
    """Recommendations of cycle B that repeat one of cycle A, per canonical theme (the `top` themes).

    `pairs` is queries.recurring_recommendations(); customdata is [theme code]."""
    if pairs.empty:
        return _no_data(lang, "cycles.recurring_none")
    col = f"label_{lang}"
    counts = (
        pairs.groupby(["theme_code", col], sort=False)
        .size()
        .reset_index(name="n")
        .sort_values(["n", col], ascending=[False, True])
        .head(top)
    )
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


def _cycles_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> tuple[str, go.Figure]:
    cycles = fetch("cycle_overview", f)
    if cycles.empty:
        return t("present.head_empty", lang), charts.cycle_comparison(cycles, lang, source)
    first = overview_takeaways(cycles, cycles.iloc[0:0], lang)[0]
    return first, charts.cycle_comparison(cycles, lang, source)


def _supported_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> tuple[str, go.Figure]:
    cycles = fetch("cycle_overview", f)
    fig = charts.supported_share(cycles, lang, source)
    if cycles.empty:
        return t("present.head_empty", lang), fig
    first, last = cycles.iloc[0], cycles.iloc[-1]
    if len(cycles) == 1:
        head = t(
            "present.head_supported_one",
            lang,
            pct=round(last["supported_pct"]),
            n=int(last["recommendations"]),
            when=_when(last["cycle"], last["year"], lang),
        )
    else:
        head = t(
            "present.head_supported",
            lang,
            first=round(first["supported_pct"]),
            first_when=_when(first["cycle"], first["year"], lang),
            last=round(last["supported_pct"]),
            last_when=_when(last["cycle"], last["year"], lang),
        )
    return head, fig


def _themes_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> tuple[str, go.Figure]:
    dist = fetch("theme_distribution", f)
    themed = dist[dist["code"].notna()] if not dist.empty else dist
    # On a projector only the largest tiles are readable: the slide shows the TOP_THEMES largest
    # themes (and says so in the chart's title); the Themes page has them all.
    fig = charts.theme_treemap(themed.head(TOP_THEMES), lang, source)
    if len(themed) > TOP_THEMES:
        fig.layout.title.text = t("present.chart_top_themes", lang, n=TOP_THEMES, total=len(themed))
    if themed.empty:
        return t("present.head_empty", lang), fig
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
    return head, fig


def _status_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> tuple[str, go.Figure]:
    fig = charts.status_bars(fetch("status_by_cycle", f), "cycle", lang, source)
    implemented = fetch("implemented_share", f)
    cycles = fetch("cycle_overview", f)
    if implemented.empty or cycles.empty:
        return t("present.head_status_none", lang), fig
    # The Overview's second takeaway: the latest cycle, as government and NGOs see it.
    return overview_takeaways(cycles, implemented, lang)[1], fig


def _states_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> tuple[str, go.Figure]:
    counts = fetch("state_counts", f)
    fig = charts.top_states_chart(counts, lang, source, TOP_STATES)
    if counts.empty:
        return t("present.head_empty", lang), fig
    totals = fetch("recommending_totals", f).iloc[0]
    lead = counts.iloc[0]
    head = t(
        "present.head_states",
        lang,
        states=int(totals["states"]),
        state=lead[f"name_{lang}"],
        n=int(lead["recommendations"]),
    )
    return head, fig


def _recurring_slide(fetch: Fetch, f: Filters, lang: str, source: str) -> tuple[str, go.Figure]:
    cycles = fetch("cycle_overview", f)
    if len(cycles) < 2:
        return t("present.head_recurring_one", lang), _no_data(lang, "present.why_two_cycles")
    prev, last = cycles.iloc[-2], cycles.iloc[-1]
    a, b = int(prev["cycle"]), int(last["cycle"])
    pairs = fetch("recurring_recommendations", f, a, b, lang)
    label_a, label_b = charts.cycle_label(a, prev["year"], lang), charts.cycle_label(b, last["year"], lang)
    fig = recurring_chart(pairs, lang, source, label_a, label_b, TOP_RECURRING_THEMES)
    head = t(
        "present.head_recurring",
        lang,
        n=len(pairs),
        total=int(last["recommendations"]),
        pct=round(100 * len(pairs) / int(last["recommendations"])),
        when=_when(b, last["year"], lang),
        prev_when=_when(a, prev["year"], lang),
    )
    return head, fig


_BUILDERS: dict[str, Callable[[Fetch, Filters, str, str], tuple[str, go.Figure]]] = {
    "cycles": _cycles_slide,
    "supported": _supported_slide,
    "themes": _themes_slide,
    "status": _status_slide,
    "states": _states_slide,
    "recurring": _recurring_slide,
}


def build_slide(key: str, fetch: Fetch, f: Filters, lang: str, source: str | None = None) -> Slide:
    """One slide of kind `key` (one of SLIDE_KEYS) for the filters, in `lang`, in large type.

    `source` is the note the dashboard charts carry (imports_note); fetched when not given.
    """
    if key not in _BUILDERS:
        raise ValueError(f"unknown slide {key!r}; expected one of {', '.join(SLIDE_KEYS)}")
    if source is None:
        source = imports_note(fetch("imports_in_force"), lang)
    headline, fig = _BUILDERS[key](fetch, f, lang, source)
    return Slide(key, headline, presentation_style(fig))


def build_deck(keys: Sequence[str], fetch: Fetch, f: Filters, lang: str) -> list[Slide]:
    """The slides of `keys`, in that order."""
    source = imports_note(fetch("imports_in_force"), lang)
    return [build_slide(k, fetch, f, lang, source) for k in keys]


# --- PPTX -------------------------------------------------------------------------------------

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # 16:9
_MARGIN_IN = 0.5


def build_pptx(slides: Sequence[Slide], images: Sequence[bytes], source: str, lang: str) -> bytes:
    """A 16:9 PPTX: per slide, the headline as its title, the chart image, and the source note.

    `images` are the slides' charts as PNG, in order (see deck_pptx).
    """
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    if len(images) != len(slides):
        raise ValueError(f"{len(slides)} slides but {len(images)} images")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    prs.core_properties.title = t("present.pptx_title", lang)
    prs.core_properties.language = lang
    layout = prs.slide_layouts[5]  # "Title Only": the headline is the slide's real title (outline, screen readers)
    inner_w = SLIDE_W_IN - 2 * _MARGIN_IN
    box_top, box_h = 1.45, 5.35  # the picture's box, between the title and the source note
    for number, (slide, png) in enumerate(zip(slides, images), start=1):
        page = prs.slides.add_slide(layout)
        title = page.shapes.title
        title.left, title.top, title.width, title.height = (
            Inches(_MARGIN_IN),
            Inches(0.3),
            Inches(inner_w),
            Inches(1.1),
        )
        title.text = slide.headline
        frame = title.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for para in frame.paragraphs:
            para.alignment = PP_ALIGN.LEFT
            para.font.size = Pt(28 if len(slide.headline) <= 80 else 24)
            para.font.bold = True
        px_w, px_h = _png_size(png)
        scale = min(inner_w / px_w, box_h / px_h)
        w, h = px_w * scale, px_h * scale
        page.shapes.add_picture(
            io.BytesIO(png), Inches((SLIDE_W_IN - w) / 2), Inches(box_top + (box_h - h) / 2), Inches(w), Inches(h)
        )
        note = page.shapes.add_textbox(Inches(_MARGIN_IN), Inches(6.9), Inches(inner_w), Inches(0.5))
        note.text_frame.word_wrap = True
        para = note.text_frame.paragraphs[0]
        para.text = f"{number}/{len(slides)} · {source}"
        para.font.size = Pt(11)
        para.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        page.notes_slide.notes_text_frame.text = f"{slide_name(slide.key, lang)}. {source}"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR), without decoding the image."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def deck_pptx(slides: Sequence[Slide], source: str, lang: str, renderer: Any = None) -> bytes:
    """Render every slide's chart with one browser (upr.images.Renderer) and build the PPTX.

    Pass an open `renderer` to reuse it; otherwise one is opened for this deck and closed after.
    Raises upr.images.BrowserNotFound when no browser is installed.
    """
    from upr.images import PNG_SCALE, Renderer

    def render(r: Any) -> list[bytes]:
        figs = [go.Figure(s.figure).update_layout(width=IMAGE_WIDTH, height=IMAGE_HEIGHT) for s in slides]
        return r.render_many(figs, "png", PNG_SCALE)

    if renderer is not None:
        images = render(renderer)
    else:
        with Renderer() as r:
            images = render(r)
    return build_pptx(slides, images, source, lang)


# --- the shared link --------------------------------------------------------------------------


@dataclass(frozen=True)
class Deck:
    """What a link to the deck carries: the slides in order, the current one, the language, the filters."""

    slides: tuple[str, ...] = SLIDE_KEYS
    current: int = 0  # index into slides
    lang: str = DEFAULT_LANG
    filters: Filters = field(default_factory=Filters)
    show: bool = False  # open in the presenter view

    def to_query(self) -> dict[str, str]:
        """URL query parameters: slides (comma-joined), slide (1-based), lang, show, and the filters."""
        out = {"slides": ",".join(self.slides), "slide": str(self.current + 1), "lang": self.lang}
        if self.show:
            out["show"] = "1"
        return out | self.filters.to_query()

    @classmethod
    def from_query(cls, query: Mapping[str, str], default_sur: str = "KAZ") -> Deck:
        """The deck a link describes; unknown slides are dropped, the slide number is clamped."""
        wanted = [s for s in str(query.get("slides", "")).split(",") if s in SLIDE_KEYS]
        slides = tuple(dict.fromkeys(wanted)) or SLIDE_KEYS
        number = str(query.get("slide", "1"))
        current = min(max(int(number) - 1, 0), len(slides) - 1) if number.isdigit() else 0
        lang = str(query.get("lang", DEFAULT_LANG))
        rest = {k: str(v) for k, v in query.items() if k not in DECK_KEYS}
        return cls(
            slides=slides,
            current=current,
            lang=lang if lang in LANGS else DEFAULT_LANG,
            filters=Filters.from_query(rest, default_sur),
            show=str(query.get("show", "")) in ("1", "true"),
        )


def deck_link(base_url: str, deck: Deck) -> str:
    """The address that reopens `deck`: `base_url` is the presentation page's URL without a query."""
    from urllib.parse import urlencode

    return f"{base_url}?{urlencode(deck.to_query(), safe=',')}"

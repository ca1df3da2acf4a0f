"""The global sidebar filters. They live in app.py's run so they persist across pages, and are
mirrored in the URL query string so that a copied link reopens the same view."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.data import query
from ui.lang import tr
from upr.demo_i18n import demo_text
from upr.filters import NO_THEME, Filters
from upr.vocab import RESPONSE_CODES, SOURCE_KIND_CODES, STATUS_CODES, label

KEYS = {  # Filters field -> widget key
    "sur": "filters_sur",
    "cycles": "filters_cycles",
    "themes": "filters_themes",
    "responses": "filters_responses",
    "sources": "filters_sources",
    "states": "filters_states",
    "groups": "filters_groups",
    "agencies": "filters_agencies",
    "plans": "filters_plans",
    "status": "filters_status",
}
_INIT = "filters_initialised"


def _init_from_url(default_sur: str) -> None:
    """On a session's first run, take the filters from the URL."""
    if st.session_state.get(_INIT):
        return
    f = Filters.from_query(dict(st.query_params), default_sur)
    for name, key in KEYS.items():
        value = getattr(f, name)
        if key not in st.session_state:
            st.session_state[key] = value if name == "sur" else list(value)
    st.session_state[_INIT] = True


def set_filters(**values: object) -> None:
    """Set filter widgets programmatically (click-through from a chart), before switching page."""
    for name, value in values.items():
        st.session_state[KEYS[name]] = value if name == "sur" else list(value)  # type: ignore[arg-type]


def reset() -> None:
    for name, key in KEYS.items():
        if name != "sur":
            st.session_state[key] = []


def sidebar_filters(lang: str) -> tuple[Filters, Callable[[DeltaGenerator], None]]:
    """What is chosen in the sidebar's filters, and the function that draws them (into a container
    of the sidebar).

    The shell draws them after the page (ui.shell.run_shell): a browser meeting the page for the
    first time has the page's figures on screen before it builds the ten filter widgets. What a
    filter holds is its widget's state, set before the run (a click, a callback, the URL), so the
    page can be given it before the widgets are drawn. A filter's options are read before the page
    only when something is chosen in it (to drop what the data no longer offers); otherwise when
    the filters are drawn, after the page, so that the page's own queries come first.
    """
    surs = query("states_under_review")
    default_sur = surs["iso3"].iloc[0] if not surs.empty else "KAZ"
    _init_from_url(default_sur)
    name_col = f"name_{lang}"
    names = dict(zip(surs["iso3"], surs[name_col]))
    if names and st.session_state.get(KEYS["sur"]) not in names:
        st.session_state[KEYS["sur"]] = default_sur
    sur = st.session_state.get(KEYS["sur"], default_sur)
    boxes = _boxes(sur, lang)
    for name in boxes:
        # Drop values the current data no longer offers (e.g. from an old link), instead of failing.
        key = KEYS[name]
        if st.session_state.get(key):
            options = boxes[name]()[1]
            st.session_state[key] = [v for v in st.session_state[key] if v in options]
    f = Filters(
        sur=sur,
        **{name: tuple(st.session_state.get(KEYS[name], [])) for name in KEYS if name != "sur"},
    )
    _write_url(f)

    def draw(sidebar: DeltaGenerator) -> None:
        sidebar.subheader(tr("common.filters"))
        if len(names) > 1:
            sidebar.selectbox(tr("common.filter_sur"), list(names), key=KEYS["sur"], format_func=names.get)
        for name, box in boxes.items():
            title, options, fmt, help_text = box()
            _multiselect(sidebar, name, title, options, fmt, help_text)
        sidebar.button(tr("common.filter_reset"), key="filters_reset", on_click=reset)

    return f, draw


# A filter's title, its options, how an option reads, and a help text.
Box = tuple[str, list, Callable[[object], object], "str | None"]


def _boxes(sur: str, lang: str) -> dict[str, Callable[[], Box]]:
    """Each filter of State `sur`'s pages, in the sidebar's order: a function reading its options
    (its queries run when first called)."""
    name_col = f"name_{lang}"

    def cycles() -> Box:
        from upr.charts import cycle_label

        reviews = query("reviews", sur)
        years = dict(zip(reviews["cycle"], reviews["year"]))
        return (
            tr("common.filter_cycles"),
            [int(c) for c in reviews["cycle"]],
            lambda c: cycle_label(c, years.get(c), lang),
            None,
        )

    def themes() -> Box:
        found = query("theme_options", sur)
        tlabels = dict(zip(found["code"], found[f"label_{lang}"]))
        if query("has_unthemed", sur):  # what a click on a chart's «no theme» bar chooses
            tlabels[NO_THEME] = tr("status.no_theme")
        return tr("common.filter_themes"), list(tlabels), tlabels.get, None

    def responses() -> Box:
        return tr("common.filter_responses"), list(RESPONSE_CODES), lambda c: label("response", c, lang), None

    def sources() -> Box:
        return tr("common.filter_sources"), list(SOURCE_KIND_CODES), lambda c: label("source_kind", c, lang), None

    def status() -> Box:
        # The current status by each source that has assessed any of the State's recommendations.
        assessed = query("assessment_sources", Filters(sur=sur))
        return (
            tr("common.filter_status"),
            [f"{src}:{code}" for src in assessed for code in STATUS_CODES],
            lambda token: status_label(token, lang),
            tr("common.filter_status_help"),
        )

    def states() -> Box:
        found = query("recommending_state_options", sur)
        slabels = dict(zip(found["iso3"], found[name_col]))
        return tr("common.filter_states"), sorted(slabels, key=slabels.get), slabels.get, None

    def groups() -> Box:
        found = query("group_options", sur)
        glabels = dict(zip(found["code"], found[f"label_{lang}"]))
        return tr("common.filter_groups"), list(glabels), glabels.get, None

    def agencies() -> Box:
        found = query("agency_options", sur)
        alabels = dict(zip(found["code"], found[f"name_{lang}"]))
        return tr("common.filter_agencies"), list(alabels), alabels.get, None

    def plans() -> Box:
        found = query("plan_options", sur)
        # An illustrative plan's name is the demo's own text, in the reader's language.
        plabels = {
            str(i): demo_text(n, lang) if ill else n
            for i, n, ill in zip(found["id"], found["name"], found["illustrative"])
        }
        return tr("common.filter_plans"), list(plabels), plabels.get, None

    return {
        name: functools.cache(box)
        for name, box in (
            ("cycles", cycles),
            ("themes", themes),
            ("responses", responses),
            ("sources", sources),
            ("status", status),
            ("states", states),
            ("groups", groups),
            ("agencies", agencies),
            ("plans", plans),
        )
    }


def status_label(token: str, lang: str) -> str:
    """A status token as people read it: "ngo:not_implemented" is «НПО: Не выполнена»."""
    source, _, status = token.partition(":")
    return f"{label('source_kind', source, lang)}: {label('status', status, lang)}"


def _multiselect(container, name: str, title: str, options: list, fmt, help: str | None = None) -> None:  # noqa: A002
    key = KEYS[name]
    container.multiselect(
        title, options, key=key, format_func=lambda v: fmt(v) or str(v), placeholder=tr("common.all"), help=help
    )


def _write_url(f: Filters) -> None:
    wanted = f.to_query()
    for old in [k for k in st.query_params if k.startswith("status_")]:  # an older link's status_ngo=...
        del st.query_params[old]
    for name in KEYS:
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]

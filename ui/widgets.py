"""Pieces every page uses: the demo banner, charts with click-through, the empty-result message."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from ui.data import query
from ui.exports import chart_downloads
from ui.filters import set_filters
from ui.lang import tr
from ui.nav import EXPLORER
from ui.serve import WARM_UP_HEADER

# The world map outline is served by the app itself (static/topojson), not fetched from cdn.plot.ly.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "topojsonURL": "app/static/topojson/",
}
GOTO_EXPLORER = "_goto_explorer"
# Longer than a browser on its first visit takes to fetch the metric cards' code from this server.
FIRST_PAINT_PAUSE_S = 0.4


def demo_banner() -> None:
    """Say plainly that the data is the demo, for as long as it is."""
    if query("is_demo"):
        st.info(tr("common.demo_banner"), icon=":material/info:")


def first_paint_pause(page: str) -> None:
    """Once per browser session and page, pause before the charts so the browser draws the rest
    first, and load the charts' code meanwhile (once the figures are on screen).

    A browser fetches each kind of element's code the first time it meets one: a few kB for the
    metric cards, 4.7 MB of Plotly for a chart, which then keeps it busy for about a second. If a
    chart arrives before the cards are on screen, nothing shows until the charts are drawn: at
    100,000 recommendations 13 of 36 cold starts showed the Overview after 3.7-4.7 s instead of
    about 3 s (none of 27 with the pause). Later runs (the code is loaded) and AppTest (no
    browser, no headers) do not pause.
    """
    key = f"_first_paint_done_{page}"
    if key in st.session_state or not st.context.headers:
        return
    st.session_state[key] = True
    if st.context.headers.get(WARM_UP_HEADER):
        return  # the server's own visit at start (ui.serve): no browser to draw anything
    _preload_chart_code()
    time.sleep(FIRST_PAINT_PAUSE_S)


_PLOTLY_JS = sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
# The chart code (4.7 MB, about a second of the browser's time to run) is loaded while the server
# pauses, once the figures sent before it are on screen (their count unchanged for 0.1 s; after
# 2 s at the latest), from the address Streamlit's own bundle loads it from: the charts, when they
# arrive, find it ready. Running it sooner would hold up the figures still being drawn.
_PRELOAD_JS = """<script>(() => {{
  const main = document.querySelector('script[type=module][src*="/static/js/index."]');
  if (!main) return;
  const href = new URL("{name}", main.src).href;
  const t0 = Date.now();
  let seen = 0, since = t0;
  const load = () => import(href).catch(() => {{}});
  (function wait() {{
    const now = Date.now(), drawn = document.querySelectorAll("[data-testid=stMetricValue]").length;
    if (drawn !== seen) [seen, since] = [drawn, now];
    if ((drawn > 0 && now - since >= 100) || now - t0 > 2000) requestAnimationFrame(() => setTimeout(load, 0));
    else setTimeout(wait, 20);
  }})();
}})();</script>"""


def _preload_chart_code() -> None:
    # At the sidebar's foot: an element of no height still takes a gap, which the page's next run
    # (without it) would take away under the reader's eyes.
    if _PLOTLY_JS:
        st.sidebar.html(_PRELOAD_JS.format(name=_PLOTLY_JS[-1].name), unsafe_allow_javascript=True)


def chart(fig: go.Figure, key: str, to_filters: Callable[[dict], dict] | None = None) -> None:
    """Draw a figure, with PNG/SVG downloads under it; when `to_filters` is given, a click on a bar
    opens the Explorer filtered to it.

    `to_filters` turns the clicked point (with its customdata) into filter values for set_filters().
    The filters are set in the selection callback, which runs before the script, because the
    sidebar's widgets cannot be changed once drawn in a run; the page is switched after drawing.
    """
    if to_filters is None:
        st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch")
        chart_downloads(fig, key)
        return

    def on_select() -> None:
        event = st.session_state.get(key)
        points = (event or {}).get("selection", {}).get("points", []) if event else []
        values = to_filters(points[0]) if points else None
        if values:
            set_filters(**values)
            st.session_state[GOTO_EXPLORER] = True

    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch", on_select=on_select, selection_mode="points")
    chart_downloads(fig, key)
    if st.session_state.get(GOTO_EXPLORER):
        st.session_state.pop(GOTO_EXPLORER)
        st.switch_page(EXPLORER)


def md_escape(text: str) -> str:
    """`text` with Markdown punctuation escaped, so a name from a file or an account shows as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def no_data(why_key: str = "common.no_data_filters") -> None:
    """An empty result says why."""
    st.warning(tr("common.no_data", why=tr(why_key)), icon=":material/filter_alt_off:")

"""Pieces every page uses: the demo banner, charts with click-through, the empty-result message."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from ui.data import query
from ui.filters import set_filters
from ui.lang import tr
from ui.nav import EXPLORER

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def demo_banner() -> None:
    """Say plainly that the data is the demo, for as long as it is."""
    if query("is_demo"):
        st.info(tr("common.demo_banner"), icon=":material/info:")


def chart(fig: go.Figure, key: str, to_filters: Callable[[dict], dict] | None = None) -> None:
    """Draw a figure; when `to_filters` is given, a click on a bar opens the Explorer filtered to it.

    `to_filters` turns the clicked point (with its customdata) into filter values for set_filters().
    """
    if to_filters is None:
        st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch")
        return
    event = st.plotly_chart(
        fig, key=key, config=PLOTLY_CONFIG, width="stretch", on_select="rerun", selection_mode="points"
    )
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points:
        values = to_filters(points[0])
        if values:
            set_filters(**values)
            st.switch_page(EXPLORER)


def no_data(why_key: str = "common.no_data_filters") -> None:
    """An empty result says why."""
    st.warning(tr("common.no_data", why=tr(why_key)), icon=":material/filter_alt_off:")

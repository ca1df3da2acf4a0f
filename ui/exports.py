"""Take-away buttons: a chart as PNG (2×) or SVG, the presenter's deck as PPTX.

Images are drawn only when a button is clicked (Streamlit calls `data` then, on its own thread):
rendering goes through a headless browser and costs a fraction of a second per image, far too
much to pay on every rerun.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from ui.lang import tr
from upr import images

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def file_stem(key: str) -> str:
    """A safe file name from a widget key: 'overview_cycles' → 'upr_overview_cycles'."""
    return "upr_" + re.sub(r"[^A-Za-z0-9_-]+", "_", key).strip("_")


def browser_missing_note() -> bool:
    """Say clearly that images cannot be made here, when no browser is installed; True if so."""
    if images.browser_available():
        return False
    st.caption(tr("present.no_browser"))
    return True


def chart_downloads(fig: go.Figure, key: str) -> None:
    """A small 'Download image' popover under a chart: PNG at 2× and SVG, rendered on click."""
    with st.popover(tr("present.download_image"), icon=":material/image:", type="tertiary"):
        if browser_missing_note():
            return
        st.caption(tr("present.image_help"))
        png, svg = st.columns(2)
        stem = file_stem(key)
        png.download_button(
            tr("present.png"),
            data=lambda: images.to_png(fig),
            file_name=f"{stem}.png",
            mime="image/png",
            key=f"{key}_dl_png",
            on_click="ignore",
            icon=":material/download:",
        )
        svg.download_button(
            tr("present.svg"),
            data=lambda: images.to_svg(fig),
            file_name=f"{stem}.svg",
            mime="image/svg+xml",
            key=f"{key}_dl_svg",
            on_click="ignore",
            icon=":material/download:",
        )


def pptx_download(build: Callable[[], bytes], key: str, file_name: str, disabled: bool = False) -> None:
    """A download button for a deck built by `build()` when clicked (one browser for every chart)."""
    if browser_missing_note():
        disabled = True
    st.download_button(
        tr("present.pptx"),
        data=build,
        file_name=file_name,
        mime=PPTX_MIME,
        key=key,
        on_click="ignore",
        icon=":material/slideshow:",
        disabled=disabled,
    )

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


def slide_source(fig: go.Figure) -> str | None:
    """The source line of a chart's image: its own note, or, for a chart drawn without one, what the
    sidebar's filters select (the UN documents and the assessments), in the reader's language."""
    if any(a.name == "source_note" for a in fig.layout.annotations):
        return None
    from ui.data import source_note
    from ui.lang import current
    from upr.i18n import t

    lang, f = current(), st.session_state.get("filters")
    return t("common.source_note", lang, source=source_note(f, lang, True)) if f is not None else None


def chart_downloads(fig: go.Figure, key: str) -> None:
    """A small 'Download image' popover under a chart: PNG at 2× and SVG, rendered on click, laid
    out for a slide (upr.images.slide_figure: 16:9, the title, one source line)."""
    with st.popover(tr("present.download_image"), icon=":material/image:", type="tertiary"):
        if browser_missing_note():
            return
        st.caption(tr("export.image_help"))
        png, svg = st.columns(2)
        stem = file_stem(key)
        source = slide_source(fig)
        png.download_button(
            tr("present.png"),
            data=lambda: images.slide_png(fig, source=source),
            file_name=f"{stem}.png",
            mime="image/png",
            key=f"{key}_dl_png",
            on_click="ignore",
            icon=":material/download:",
        )
        svg.download_button(
            tr("present.svg"),
            data=lambda: images.slide_svg(fig, source=source),
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

"""The app shell every page runs inside: language, global filters, navigation, demo banner."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ui.filters import sidebar_filters
from ui.lang import language_switch, tr
from ui.nav import PAGES
from ui.widgets import demo_banner

ICON = str(Path(__file__).resolve().parent / "assets" / "icon.png")


def run_shell() -> None:
    """What app.py does on every run: the sidebar, then the chosen page."""
    lang = language_switch()
    st.session_state["filters"] = sidebar_filters(lang)
    sections: dict[str, list] = {}
    for p in PAGES:
        sections.setdefault(tr(p.section), []).append(
            st.Page(p.file, title=tr(p.key), icon=p.icon, url_path=p.url_path, default=p.url_path == "overview")
        )
    page = st.navigation(sections)
    demo_banner()
    page.run()


def ensure_shell() -> None:
    """First line of every page.

    On a freshly started server whose first visitor opens a page's own address, Streamlit runs
    that page file alone (its legacy `pages/` folder mode) until some run calls st.navigation.
    Switch that mode off and rerun, so app.py, its sidebar and its navigation run as always.
    (Only for a session the shell never ran in: Streamlit's AppTest re-runs a page alone too.)
    """
    if PagesManager.uses_pages_directory and "filters" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()

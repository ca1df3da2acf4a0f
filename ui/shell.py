"""The app shell every page runs inside: language, global filters, navigation, demo banner."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ui.database_wait import database_ready
from ui.filters import sidebar_filters
from ui.lang import language_switch, tr
from ui.nav import navigation_sections
from ui.page_end import PageDone, page_in_shell
from ui.widgets import demo_banner

ICON = str(Path(__file__).resolve().parent / "assets" / "icon.png")


def run_shell() -> None:
    """What app.py does on every run: the language, the chosen page, then the sidebar's filters.

    The filters' values are known before the page runs; their widgets are drawn after it (also
    when the page stops early or fails), so that a browser draws the page's figures first, in
    their place under the language (a container kept for them; what a page adds to the sidebar
    comes below).
    """
    lang = language_switch()
    database_ready()  # waits (saying so) while an import on the command line holds the database
    st.session_state["filters"], draw_filters = sidebar_filters(lang)
    filters_box = st.sidebar.container()
    page = st.navigation(navigation_sections(tr))
    if page.url_path == PRESENT_URL and presenter_view_open():
        hide_chrome()
    else:
        demo_banner()
    try:
        with page_in_shell():
            page.run()
    except PageDone:
        pass  # the page ended early (ui.page_end.stop_page)
    finally:
        draw_filters(filters_box)


PRESENT_URL = "present"
SHOW_KEY = "present_show"  # the presentation page's presenter view is open (also ?show=1 in the URL)
_CHROME_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding-top: 1rem !important; padding-bottom: 0.5rem !important; max-width: 100% !important;
}
[tabindex="-1"]:focus { outline: none !important; }
</style>"""


def presenter_view_open() -> bool:
    """Whether the presentation page shows its full-screen view: its own state, or ?show=1 on a first visit."""
    if SHOW_KEY not in st.session_state:
        st.session_state[SHOW_KEY] = st.query_params.get("show") in ("1", "true")
    return bool(st.session_state[SHOW_KEY])


def hide_chrome() -> None:
    """No sidebar, header, toolbar or menu: the presenter's slide has the whole window.

    The sidebar still runs (hidden), so the language and filters of the link keep applying.
    """
    st.html(_CHROME_CSS)


def ensure_shell() -> None:
    """First line of every page.

    On a freshly started server whose first visitor opens a page's own address, Streamlit runs
    that page file alone (its legacy `pages/` folder mode) until some run calls st.navigation.
    Switch that mode off and rerun, so app.py, its sidebar and its navigation run as always.
    (Only for a session the shell never ran in: Streamlit's AppTest re-runs a page alone too.)
    The mode is one flag for the whole server: when a crowd opens a page's address at once,
    every session's first run may have started the page alone before the first of them switched
    the flag off, so a session the shell never ran in reruns whatever the flag says now.
    """
    if "filters" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()

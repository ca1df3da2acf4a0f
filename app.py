"""Entry point: page config, language, global filters, navigation."""

import streamlit as st

from ui.filters import sidebar_filters
from ui.lang import language_switch, tr
from ui.nav import PAGES
from ui.widgets import demo_banner

st.set_page_config(page_title="UPR tracker", page_icon=":material/balance:", layout="wide")

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

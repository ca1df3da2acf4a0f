"""Entry point: page config, then the shell (language, global filters, navigation)."""

import streamlit as st

from ui.shell import ICON, run_shell

# A local icon: a material-symbol icon would be fetched from Google's servers by every browser.
st.set_page_config(page_title="UPR tracker", page_icon=ICON, layout="wide")
run_shell()

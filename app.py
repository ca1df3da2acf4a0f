"""Entry point: page config, then the shell (language, global filters, navigation)."""

import streamlit as st

from ui.shell import run_shell

st.set_page_config(page_title="UPR tracker", page_icon=":material/balance:", layout="wide")
run_shell()

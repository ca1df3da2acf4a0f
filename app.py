"""Entry point: page config, then the shell (language, global filters, navigation)."""

import streamlit as st

from ui.builtin_texts import localise_builtins
from ui.lang import current
from ui.shell import ICON, run_shell
from upr.i18n import t

# A local icon: a material-symbol icon would be fetched from Google's servers by every browser.
st.set_page_config(page_title=t("common.app_title", current()), page_icon=ICON, layout="wide")
localise_builtins(current())
run_shell()

"""The interface language: chosen in the sidebar, Russian by default, kept in the URL."""

from __future__ import annotations

import streamlit as st

from upr.i18n import DEFAULT_LANG, LANG_NAMES, LANGS
from upr.i18n import t as _t

KEY = "app_lang"  # the selectbox
_KEPT = "_lang"  # a plain copy: Streamlit drops a widget's state on some page switches


def current() -> str:
    """The language of this session."""
    if _KEPT not in st.session_state:
        wanted = st.session_state.get(KEY) or st.query_params.get("lang", DEFAULT_LANG)
        st.session_state[_KEPT] = wanted if wanted in LANGS else DEFAULT_LANG
    return st.session_state[_KEPT]


def tr(key: str, **kwargs: object) -> str:
    """Translate `key` into the session's language."""
    return _t(key, current(), **kwargs)


def _keep() -> None:
    st.session_state[_KEPT] = st.session_state[KEY]


def language_switch() -> str:
    """The sidebar language selector; returns the chosen language."""
    lang = current()
    if st.session_state.get(KEY) != lang:
        st.session_state[KEY] = lang
    st.sidebar.selectbox(_t("common.language", lang), LANGS, key=KEY, format_func=LANG_NAMES.get, on_change=_keep)
    lang = st.session_state[_KEPT]
    if lang == DEFAULT_LANG:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
    return lang

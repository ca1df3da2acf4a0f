"""The interface language: chosen in the sidebar, Russian by default, kept in the URL."""

from __future__ import annotations

import streamlit as st

from upr.i18n import DEFAULT_LANG, LANG_NAMES, LANGS
from upr.i18n import t as _t

KEY = "app_lang"


def current() -> str:
    """The language of this session."""
    if KEY not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANG)
        st.session_state[KEY] = wanted if wanted in LANGS else DEFAULT_LANG
    return st.session_state[KEY]


def tr(key: str, **kwargs: object) -> str:
    """Translate `key` into the session's language."""
    return _t(key, current(), **kwargs)


def language_switch() -> str:
    """The sidebar language selector; returns the chosen language."""
    current()
    st.sidebar.selectbox(_t("common.language", st.session_state[KEY]), LANGS, key=KEY, format_func=LANG_NAMES.get)
    lang = st.session_state[KEY]
    if lang == DEFAULT_LANG:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
    return lang

"""Themes: the thematic distribution, themes by cycle, and the recommendations of one theme."""

import streamlit as st

from ui import figures
from ui.data import query
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.shell import ensure_shell
from ui.widgets import chart, no_data
from upr import charts
from upr.vocab import label

ensure_shell()

lang = current()
f = st.session_state["filters"]
st.title(tr("themes.title"))
st.caption(tr("themes.intro"))

dist = query("theme_distribution", f)
if dist.empty:
    no_data()
    stop_page()
cycles = query("cycle_overview", f)
no_theme = int(dist.loc[dist["code"].isna(), "n"].sum())

st.caption(
    tr("themes.treemap_caption", tiles=int(dist["n"].sum()), recs=int(cycles["recommendations"].sum()))
    + " "
    + (tr("themes.no_theme_caption", none=no_theme) if no_theme else tr("themes.all_themed"))
)
st.caption(tr("themes.click_treemap"))
# A click on the grey "no theme" tile has no Explorer filter to open.
chart(
    figures.theme_treemap(f, lang),
    "themes_treemap",
    lambda p: {"themes": [p["id"]]} if p.get("id") not in (None, "", charts.NO_THEME_ID) else {},
)

matrix = query("theme_cycle_matrix", f)
if not matrix.empty:
    st.caption(tr("themes.click_heatmap"))
    chart(
        figures.theme_heatmap(f, lang),
        "themes_heatmap",
        lambda p: {"themes": [p["customdata"][0]], "cycles": [int(p["customdata"][1])]} if p.get("customdata") else {},
    )

st.subheader(tr("themes.drill"))
names = {c: n for c, n in zip(dist["code"], dist[f"label_{lang}"]) if isinstance(c, str)}
options = sorted(names, key=names.get) + ([""] if no_theme else [])
if st.session_state.get("themes_pick") not in options:
    st.session_state["themes_pick"] = dist["code"].iloc[0] if isinstance(dist["code"].iloc[0], str) else ""
pick = st.selectbox(
    tr("themes.pick"), options, key="themes_pick", format_func=lambda c: names.get(c) or tr("themes.no_theme")
)
recs = query("theme_recommendations", f, pick, lang)
st.markdown(tr("themes.drill_count", theme=names.get(pick) or tr("themes.no_theme"), n=len(recs)))
st.dataframe(
    recs.assign(response=[label("response", r, lang) for r in recs["response"]]),
    hide_index=True,
    width="stretch",
    column_config={
        "id": tr("themes.col_id"),
        "cycle": tr("themes.col_cycle"),
        "ref": tr("themes.col_ref"),
        "text": st.column_config.TextColumn(tr("themes.col_text"), width="large"),
        "response": tr("themes.col_response"),
        "source_themes": tr("themes.col_source_themes"),
    },
)

"""Recommending States: who made the recommendations, where they are, their regional groups."""

import streamlit as st

from ui import figures
from ui.data import query
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.shell import ensure_shell
from ui.widgets import chart, md_escape, no_data
from upr.vocab import label

ensure_shell()

lang = current()
f = st.session_state["filters"]
st.title(tr("states.title"))
st.caption(tr("states.intro"))

counts = query("state_counts", f)
unresolved = query("unresolved_states", f)
if counts.empty and unresolved.empty:
    no_data()
    stop_page()
totals = query("recommending_totals", f).iloc[0]
st.markdown(
    tr("states.total", states=int(totals["states"]), recs=int(totals["recommendations"]), pairs=int(totals["pairs"]))
)
if unresolved.empty:
    st.caption(tr("states.unresolved_none"))
else:
    st.warning(
        tr(
            "states.unresolved",
            names=len(unresolved),
            n=int(unresolved["recommendations"].sum()),
            # State names as files wrote them: text, never Markdown.
            labels="; ".join(
                f"{md_escape(s)} ({n})" for s, n in zip(unresolved["source_label"], unresolved["recommendations"])
            ),
        )
    )

top_n = st.number_input(tr("states.topn"), min_value=5, max_value=200, value=15, step=5, key="states_topn")
st.caption(tr("states.click_hint"))
chart(
    figures.top_states(f, lang, int(top_n)),
    "states_top",
    lambda p: {"states": [p["customdata"][0]]} if p.get("customdata") else {},
)

views = {"map": "states.view_map", "groups": "states.view_groups"}
if st.session_state.get("states_view") not in views:
    st.session_state["states_view"] = "map"
view = st.segmented_control(tr("states.view"), list(views), key="states_view", format_func=lambda v: tr(views[v]))
if view == "map":
    chart(figures.states_map(f, lang), "states_map")
else:
    st.caption(tr("states.groups_caption"))
    chart(figures.regional_groups(f, lang), "states_groups")

if counts.empty:
    stop_page()
st.subheader(tr("states.drill"))
names = dict(zip(counts["iso3"], counts[f"name_{lang}"]))
options = sorted(names, key=names.get)
if st.session_state.get("states_pick") not in options:
    st.session_state["states_pick"] = counts["iso3"].iloc[0]
pick = st.selectbox(tr("states.pick"), options, key="states_pick", format_func=names.get)
recs = query("state_recommendations", f, pick, lang)
st.markdown(tr("states.drill_count", state=md_escape(names[pick]), n=len(recs)))
st.dataframe(
    recs.assign(response=[label("response", r, lang) for r in recs["response"]]).drop(columns="id"),
    hide_index=True,
    width="stretch",
    column_config={
        "cycle": tr("states.col_cycle"),
        "ref": tr("states.col_ref"),
        "text": st.column_config.TextColumn(tr("states.col_text"), width="large"),
        "response": tr("states.col_response"),
        "themes": tr("states.col_themes"),
    },
)

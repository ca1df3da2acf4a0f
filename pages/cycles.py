"""Cycle comparison: two cycles side by side — counts, supported share, themes, States, recurrences."""

import streamlit as st

from ui import figures
from ui.data import query
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.shell import ensure_shell
from ui.widgets import chart, no_data
from upr import charts
from upr.queries.compare import RECUR_THRESHOLD
from upr.vocab import label

ensure_shell()

lang = current()
f = st.session_state["filters"]
st.title(tr("cycles.title"))
st.caption(tr("cycles.intro"))

reviews = query("reviews", f.sur)
years = dict(zip(reviews["cycle"], reviews["year"]))
options = [int(c) for c in reviews["cycle"]]
if len(f.cycles) >= 2:
    options = [c for c in options if c in f.cycles]
elif len(f.cycles) == 1:
    st.caption(tr("cycles.sidebar_cycles"))
if len(options) < 2:
    st.info(tr("cycles.need_two"))
    stop_page()


def name(c: int) -> str:
    return charts.cycle_label(c, years.get(c), lang)


for key, default in (("cycles_a", options[-2]), ("cycles_b", options[-1])):
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
left, right = st.columns(2)
a = left.selectbox(tr("cycles.pick_a"), options, key="cycles_a", format_func=name)
b = right.selectbox(tr("cycles.pick_b"), options, key="cycles_b", format_func=name)
if a == b:
    st.warning(tr("cycles.same_cycle"))
    stop_page()
label_a, label_b = name(a), name(b)

summary = query("cycle_pair_summary", f, a, b)
if summary["recommendations"].sum() == 0:
    no_data()
    stop_page()
ra, rb = summary.iloc[0], summary.iloc[1]
for col, row, prev in zip(st.columns(2), (ra, rb), (None, ra)):
    with col, st.container(border=True):
        st.markdown(f"**{name(int(row['cycle']))}**")
        m1, m2, m3 = st.columns(3)
        m1.metric(
            tr("cycles.metric_recs"),
            f"{int(row['recommendations'])}",
            None if prev is None else f"{int(row['recommendations'] - prev['recommendations']):+d}",
        )
        pct = row["supported_pct"]
        delta = None
        if prev is not None and pct == pct and prev["supported_pct"] == prev["supported_pct"]:
            delta = tr("cycles.delta_pp", delta=f"{pct - prev['supported_pct']:+.1f}")
        m2.metric(tr("cycles.metric_supported"), "—" if pct != pct else f"{pct:.0f}%", delta)
        m3.metric(
            tr("cycles.metric_states"),
            f"{int(row['states'])}",
            None if prev is None else f"{int(row['states'] - prev['states']):+d}",
        )

views = {
    "themes": "cycles.view_themes",
    "states": "cycles.view_states",
    "recurring": "cycles.view_recurring",
    "every": "cycles.view_every",
}
if st.session_state.get("cycles_view") not in views:
    st.session_state["cycles_view"] = "themes"
view = st.segmented_control(tr("cycles.view"), list(views), key="cycles_view", format_func=lambda v: tr(views[v]))

if view == "themes":
    st.caption(tr("cycles.themes_caption"))
    chart(
        figures.theme_change(f, a, b, lang, label_a, label_b),
        "cycles_theme_change",
        lambda p: {"themes": [p["customdata"][0]], "cycles": [a, b]},
    )

elif view == "states":
    states = query("returning_states", f, a, b)
    counts = states["presence"].value_counts() if not states.empty else {}
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("cycles.states_both"), int(counts.get("both", 0)))
    c2.metric(tr("cycles.states_new", b=label_b), int(counts.get("new", 0)))
    c3.metric(tr("cycles.states_dropped", a=label_a), int(counts.get("dropped", 0)))
    st.caption(tr("cycles.states_caption"))
    chart(
        figures.returning_states(f, a, b, lang, label_a, label_b),
        "cycles_states",
        lambda p: {"states": [p["customdata"][0]], "cycles": [a, b]},
    )
    for presence, title, col in (("new", "cycles.list_new", "n_b"), ("dropped", "cycles.list_dropped", "n_a")):
        part = states[states["presence"] == presence]
        if part.empty:
            continue
        with st.expander(f"{tr(title)} ({len(part)})"):
            st.dataframe(
                part.assign(group=[charts.regional_group_label(g, lang) for g in part["regional_group"]])[
                    [f"name_{lang}", "group", col]
                ],
                hide_index=True,
                width="stretch",
                column_config={
                    f"name_{lang}": tr("cycles.col_state"),
                    "group": tr("cycles.col_group"),
                    col: tr("cycles.col_count"),
                },
            )

elif view == "recurring":
    pairs = query("recurring_recommendations", f, a, b, lang)
    if pairs.empty:
        no_data("cycles.recurring_none")
    else:
        st.markdown(
            tr(
                "cycles.recurring_intro",
                n=len(pairs),
                total=int(rb["recommendations"]),
                a=label_a,
                b=label_b,
                threshold=RECUR_THRESHOLD,
            )
        )
        by_theme = pairs.groupby(f"label_{lang}", sort=False).size()
        themes = [""] + list(by_theme.index)
        pick = st.selectbox(
            tr("cycles.recurring_pick"),
            themes,
            key="cycles_recurring_theme",
            format_func=lambda v: f"{v} ({by_theme[v]})" if v else tr("cycles.recurring_all"),
        )
        shown = pairs if not pick else pairs[pairs[f"label_{lang}"] == pick]
        table = shown.assign(
            response_a=[label("response", r, lang) for r in shown["response_a"]],
            response_b=[label("response", r, lang) for r in shown["response_b"]],
            score=shown["score"].round(0).astype(int),
        )
        st.dataframe(
            table[["ref_a", "text_a", "response_a", "ref_b", "text_b", "response_b", "score", f"label_{lang}"]],
            hide_index=True,
            width="stretch",
            column_config={
                f"label_{lang}": tr("cycles.col_theme"),
                "score": tr("cycles.col_score"),
                # Narrow refs and wide texts, so that both texts fit side by side.
                "ref_a": st.column_config.TextColumn(tr("cycles.col_ref", cycle=label_a), width="small"),
                "text_a": st.column_config.TextColumn(tr("cycles.col_text", cycle=label_a), width="medium"),
                "response_a": tr("cycles.col_response", cycle=label_a),
                "ref_b": st.column_config.TextColumn(tr("cycles.col_ref", cycle=label_b), width="small"),
                "text_b": st.column_config.TextColumn(tr("cycles.col_text", cycle=label_b), width="medium"),
                "response_b": tr("cycles.col_response", cycle=label_b),
            },
        )

else:
    every = query("themes_in_every_cycle", f)
    counted = [c for c in every.columns if c.startswith("n_")]
    cycle_names = {c: name(int(c[2:])) for c in counted}
    if every.empty:
        no_data("cycles.every_none")
    else:
        st.markdown(tr("cycles.every_intro", cycles=", ".join(cycle_names.values())))
        st.dataframe(
            every[[f"label_{lang}", *counted]],
            hide_index=True,
            width="stretch",
            column_config={f"label_{lang}": tr("cycles.col_theme"), **cycle_names},
        )

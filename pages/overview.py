"""Overview: per-cycle headline cards, the cycle comparison, implementation by source, takeaways."""

import streamlit as st

from ui import figures
from ui.data import query
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.shell import ensure_shell
from ui.widgets import chart, first_paint_pause, no_data
from upr import charts, clicks
from upr.percent import percent
from upr.vocab import label

ensure_shell()

lang = current()
f = st.session_state["filters"]
st.title(tr("overview.title"))
st.caption(tr("overview.intro"))

cycles = query("cycle_overview", f)
if cycles.empty:
    no_data()
    stop_page()
implemented = query("implemented_share", f)

cols = st.columns(len(cycles))
for col, row in zip(cols, cycles.itertuples()):
    with col, st.container(border=True):
        st.markdown(f"**{charts.cycle_label(row.cycle, row.year, lang)}**")
        st.metric(
            tr("overview.card_recs"),
            f"{row.recommendations}",
            help=f"{row.report_symbol}" if isinstance(row.report_symbol, str) else None,
        )
        st.markdown(
            tr(
                "overview.card_supported",
                n=row.supported,
                total=row.recommendations,
                pct=percent(row.supported, row.recommendations),
            )
        )
        part = implemented[implemented["cycle"] == row.cycle]
        if part.empty:
            st.caption(tr("overview.card_not_assessed"))
        for imp in part.itertuples():
            st.caption(
                tr(
                    "overview.card_implemented",
                    source=label("source_kind", imp.source_kind, lang),
                    pct=percent(imp.implemented, imp.assessed),
                )
            )
            st.caption(
                tr(
                    "overview.card_counts",
                    implemented=imp.implemented,
                    assessed=imp.assessed,
                    total=row.recommendations,
                )
            )

st.subheader(tr("overview.takeaways"))
for line in figures.overview_lines(f, lang):
    st.markdown(f"- {line}")

first_paint_pause("overview")
st.caption(tr("overview.click_hint"))
by_cycle, by_source = figures.overview(f, lang)
left, right = st.columns(2)
with left:
    chart(
        by_cycle,
        "overview_cycles",
        lambda p: {"cycles": [p["customdata"][0]], "responses": [p["customdata"][1]]},
    )
with right:
    chart(
        by_source,
        "overview_implemented",
        lambda p: clicks.implemented_bar(p, f),  # that cycle's recommendations the source finds implemented
    )

"""Implementation status: each source's current assessments side by side, where they disagree, and over time."""

import streamlit as st

from ui import figures
from ui.data import query
from ui.lang import current, tr
from ui.nav import EXPLORER
from ui.page_end import stop_page
from ui.shell import ensure_shell
from ui.widgets import chart, no_data
from upr import clicks
from upr.demo_i18n import demo_text
from upr.i18n import t
from upr.vocab import label

ensure_shell()

lang = current()
f = st.session_state["filters"]
st.title(tr("status.title"))
st.caption(tr("status.intro"))

if query("explorer_count", f) == 0:
    no_data()
    stop_page()
sources = query("assessment_sources", f)
if not sources:
    no_data("status.why_no_assessments")
    stop_page()
VIEWS = ("compare", "disagree", "timeline")
view = (
    st.segmented_control(
        tr("status.view"),
        VIEWS,
        format_func=lambda v: t(f"status.view_{v}", lang),
        key="status_view",
        default="compare",
    )
    or "compare"
)


if view == "compare":
    by = (
        st.segmented_control(
            tr("status.by"),
            ("cycle", "theme"),
            format_func=lambda v: t(f"status.by_{v}", lang),
            key="status_by",
            default="cycle",
        )
        or "cycle"
    )
    st.caption(tr("status.click_hint"))
    # A segment opens the Explorer with exactly its recommendations: that cycle or theme, that
    # source's current status (upr.clicks).
    chart(figures.status_bars(f, by, lang), f"status_bars_{by}", lambda p: clicks.status_bar(p, f, by))

elif view == "disagree":
    if len(sources) < 2:
        no_data("status.why_one_source")
        stop_page()
    left, right = st.columns(2)
    a = left.selectbox(
        tr("status.source_a"),
        sources,
        key="status_a",
        index=sources.index("government") if "government" in sources else 0,
        format_func=lambda s: label("source_kind", s, lang),
    )
    others = [s for s in sources if s != a]
    b = right.selectbox(
        tr("status.source_b"),
        others,
        key="status_b",
        index=others.index("ngo") if "ngo" in others else 0,
        format_func=lambda s: label("source_kind", s, lang),
    )
    chart(
        clicks.clickable_cells(figures.status_matrix(f, a, b, lang)),
        "status_matrix",
        lambda p: clicks.status_cell(p, f, a, b),
    )
    st.caption(tr("status.matrix_hint"))

    st.subheader(tr("status.gap_title"))
    gaps = query("status_disagreements", f, lang, a, b, 50)
    if gaps.empty:
        st.info(tr("status.gap_none", a=label("source_kind", a, lang), b=label("source_kind", b, lang)))
    else:
        st.caption(
            tr(
                "status.gap_caption",
                shown=len(gaps),
                total=int(gaps["differing"].iloc[0]),
                a=label("source_kind", a, lang),
                b=label("source_kind", b, lang),
            )
        )
        name_a, name_b = label("source_kind", a, lang), label("source_kind", b, lang)
        shown = gaps.assign(
            status_a=[label("status", s, lang) for s in gaps["status_a"]],
            status_b=[label("status", s, lang) for s in gaps["status_b"]],
            comment_a=[demo_text(c, lang) for c in gaps["comment_a"]],  # the demo's own comments in `lang`
            comment_b=[demo_text(c, lang) for c in gaps["comment_b"]],
        )[["id", "ref", "text", "gap", "status_a", "as_of_a", "comment_a", "status_b", "as_of_b", "comment_b"]]
        event = st.dataframe(
            shown,
            hide_index=True,
            key="status_gaps",
            on_select="rerun",
            selection_mode="single-row",
            column_config={
                "id": tr("status.col_id"),
                "ref": tr("status.col_ref"),
                "text": st.column_config.TextColumn(tr("status.col_text"), width="large"),
                "gap": st.column_config.NumberColumn(tr("status.col_gap"), help=tr("status.gap_help")),
                "status_a": tr("status.col_status", source=name_a),
                "as_of_a": st.column_config.DateColumn(tr("status.col_as_of", source=name_a), format="YYYY-MM-DD"),
                "comment_a": tr("status.col_comment", source=name_a),
                "status_b": tr("status.col_status", source=name_b),
                "as_of_b": st.column_config.DateColumn(tr("status.col_as_of", source=name_b), format="YYYY-MM-DD"),
                "comment_b": tr("status.col_comment", source=name_b),
            },
        )
        st.caption(tr("status.gap_open_hint"))
        rows = event.selection.rows if event else []
        if rows:
            st.session_state["explorer_open_rec"] = str(gaps["id"].iloc[rows[0]])
            st.switch_page(EXPLORER)

else:
    timeline = query("status_timeline", f)
    if not timeline.empty and timeline.groupby("source_kind")["as_of"].nunique().max() < 2:
        st.info(tr("status.timeline_one_date"))
    chart(figures.status_timeline(f, lang), "status_timeline")
    st.caption(tr("status.timeline_hint"))

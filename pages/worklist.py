"""What to report next: supported recommendations of a cycle whose government assessment is missing
or older than a date, by agency and plan item, with counts; as xlsx and as a DOCX draft."""

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from ui.data import query
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.shell import ensure_shell
from ui.widgets import no_data
from upr.charts import cycle_label
from upr.demo_i18n import demo_text
from upr.i18n import t
from upr.worklist import work_list_counts, work_list_docx, work_list_table, work_list_xlsx

ensure_shell()

lang = current()
f = st.session_state["filters"]
st.title(tr("worklist.title"))
st.caption(tr("worklist.intro"))

reviews = query("reviews", f.sur)
cycles = sorted(int(c) for c in reviews["cycle"]) if not reviews.empty else []
if not cycles:
    no_data()
    stop_page()
left, right = st.columns(2)
years = dict(zip(reviews["cycle"].astype(int), reviews["year"]))
cycle = left.selectbox(
    tr("worklist.cycle"), cycles[::-1], key="worklist_cycle", format_func=lambda c: cycle_label(c, years.get(c), lang)
)
before = right.date_input(tr("worklist.before"), value=date.today(), key="worklist_before", format="DD.MM.YYYY")

rows = query("work_list", f, cycle, before, lang)
rows = rows.assign(comment=[demo_text(c, lang) for c in rows["comment"]])  # the demo's comments in `lang`
supported = query("supported_count", f, cycle)
missing = int(rows["gov_status"].isna().sum()) if not rows.empty else 0
st.markdown(
    tr(
        "worklist.headline",
        n=len(rows),
        supported=supported,
        cycle=cycle,
        missing=missing,
        older=len(rows) - missing,
        before=before.strftime("%d.%m.%Y"),
    )
)
if rows.empty:
    st.success(tr("worklist.none"), icon=":material/check_circle:")
    stop_page()

by = (
    st.segmented_control(
        tr("worklist.group"),
        ("agency", "item"),
        format_func=lambda v: t(f"worklist.group_{v}", lang),
        key="worklist_group",
        default="agency",
    )
    or "agency"
)
st.dataframe(work_list_counts(rows, by, lang), hide_index=True, key="worklist_counts")
st.dataframe(work_list_table(rows, lang), hide_index=True, width="stretch", key="worklist_rows")

plans = query("plan_options", f.sur)
plan_id = next((int(p) for p in f.plans if str(p).isdigit()), int(plans["id"].iloc[0]) if not plans.empty else None)
sections = query("plan_sections", plan_id) if plan_id is not None else pd.DataFrame(columns=["number", "title"])
if plan_id is not None and bool(plans.loc[plans["id"] == plan_id, "illustrative"].any()):  # the demo's plan
    sections = sections.assign(title=[demo_text(v, lang) for v in sections["title"]])
docx_by = (
    st.segmented_control(
        tr("worklist.docx_by"),
        ("theme", "section"),
        format_func=lambda v: t(f"worklist.docx_by_{v}", lang),
        key="worklist_docx_by",
        default="theme",
    )
    or "theme"
)
stamp = f"{f.sur}-{cycle}-{before.isoformat()}"
c1, c2 = st.columns(2)
# The files are made when their button is clicked, not on every run of the page: building both
# took about a second of the server for each visitor.
c1.download_button(
    tr("worklist.download_xlsx"),
    partial(work_list_xlsx, rows, lang),
    file_name=f"upr-worklist-{stamp}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="worklist_xlsx",
)
c2.download_button(
    tr("worklist.download_docx"),
    partial(
        work_list_docx,
        rows,
        lang,
        cycle=cycle,
        before=before,
        supported=supported,
        by=docx_by,
        sections=dict(zip(sections["number"].astype(int), sections["title"])),
    ),
    file_name=f"upr-report-{stamp}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    key="worklist_docx",
)

"""The implementation plan: progress of each section and item from the latest government and NGO
assessments of the recommendations it cites, overdue items, and what each agency answers for."""

from datetime import date

import pandas as pd
import streamlit as st

from ui.data import query
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.shell import ensure_shell
from ui.widgets import chart, no_data
from upr.agencies import load_agencies
from upr.charts.agencies import status_by_agency_figure
from upr.demo_i18n import demo_text
from upr.i18n import t
from upr.vocab import label

ensure_shell()

lang = current()
f = st.session_state["filters"]
st.title(tr("plan.title"))
st.caption(tr("plan.intro"))

plans = query("plan_options", f.sur)
if plans.empty:
    st.info(tr("plan.no_plans"), icon=":material/info:")
    stop_page()
ids = [int(i) for i in plans["id"]]
# An illustrative plan's texts are the demo's own, shown in the reader's language; a real plan's as written.
names = {i: demo_text(n, lang) if ill else n for i, n, ill in zip(ids, plans["name"], plans["illustrative"])}
chosen = [int(p) for p in f.plans if str(p).isdigit() and int(p) in names]
plan_id = st.selectbox(tr("plan.choose"), chosen or ids, key="plan_plan", format_func=names.get)
row = plans[plans["id"] == plan_id].iloc[0]
illustrative = bool(row["illustrative"])


def shown(value: object) -> object:
    return demo_text(value, lang) if illustrative else value


if illustrative:
    st.warning(tr("plan.illustrative"), icon=":material/info:")
if isinstance(row["act"], str):
    st.caption(shown(row["act"]))

today = date.today()
agencies = {a.code: a for a in load_agencies()}


def abbr(code: str) -> str:
    return agencies[code].abbr(lang) if code in agencies else code


def out_of(done: int, total: int) -> str:
    return tr("plan.out_of", done=done, total=total)


items = query("plan_items", f, plan_id, today)
if items.empty:
    no_data()
    stop_page()
sections = query("plan_progress", f, plan_id, today)

overdue = int(items["overdue"].sum())
recs = int(sections["recs"].sum())
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("plan.metric_sections"), len(sections))
c2.metric(tr("plan.metric_items"), len(items))
c3.metric(tr("plan.metric_overdue"), out_of(overdue, len(items)))
c4.metric(tr("plan.metric_recs"), recs)
gov, ngo = int(sections["gov_implemented"].sum()), int(sections["ngo_implemented"].sum())
st.markdown(tr("plan.headline", gov=out_of(gov, recs), ngo=out_of(ngo, recs)))

VIEWS = ("sections", "items", "overdue", "agencies", "chart", "indicators", "coalition")
view = (
    st.segmented_control(
        tr("plan.view"), VIEWS, format_func=lambda v: t(f"plan.view_{v}", lang), key="plan_view", default="sections"
    )
    or "sections"
)


def share(done: pd.Series, total: pd.Series) -> pd.Series:
    return (100 * done / total.where(total > 0)).round(0).fillna(0)


def progress_columns() -> dict:
    return {
        "gov_pct": st.column_config.ProgressColumn(tr("plan.col_gov_pct"), min_value=0, max_value=100, format="%d%%"),
        "ngo_pct": st.column_config.ProgressColumn(tr("plan.col_ngo_pct"), min_value=0, max_value=100, format="%d%%"),
    }


if view == "sections":
    table = pd.DataFrame(
        {
            tr("plan.col_section"): [f"{n}. {shown(title)}" for n, title in zip(sections["number"], sections["title"])],
            tr("plan.col_items"): sections["items"],
            tr("plan.col_overdue"): [out_of(o, i) for o, i in zip(sections["overdue"], sections["items"])],
            tr("plan.col_recs"): sections["recs"],
            tr("plan.col_gov"): [out_of(d, n) for d, n in zip(sections["gov_implemented"], sections["recs"])],
            "gov_pct": share(sections["gov_implemented"], sections["recs"]),
            tr("plan.col_ngo"): [out_of(d, n) for d, n in zip(sections["ngo_implemented"], sections["recs"])],
            "ngo_pct": share(sections["ngo_implemented"], sections["recs"]),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", column_config=progress_columns(), key="plan_sections")

elif view in ("items", "overdue"):
    rows = items[items["overdue"]] if view == "overdue" else items
    if rows.empty:
        st.success(tr("plan.none_overdue"), icon=":material/check_circle:")
        stop_page()
    table = pd.DataFrame(
        {
            tr("plan.col_number"): rows["number"],
            tr("plan.col_section"): rows["section"],
            tr("plan.col_measure"): [shown(v) for v in rows["measure"]],
            tr("plan.col_form"): [shown(v) for v in rows["completion_form"]],
            tr("plan.col_agencies"): [
                ", ".join(abbr(a) for a in (x if x is not None else [])) for x in rows["agencies"]
            ],
            tr("plan.col_deadline"): [shown(v) for v in rows["deadline_text"]],
            tr("plan.col_recs"): rows["recs"],
            tr("plan.col_gov"): [out_of(d, n) for d, n in zip(rows["gov_implemented"], rows["recs"])],
            "gov_pct": share(rows["gov_implemented"], rows["recs"]),
            tr("plan.col_ngo"): [out_of(d, n) for d, n in zip(rows["ngo_implemented"], rows["recs"])],
            "ngo_pct": share(rows["ngo_implemented"], rows["recs"]),
            tr("plan.col_overdue"): [tr("plan.yes") if o else "" for o in rows["overdue"]],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", column_config=progress_columns(), key=f"plan_{view}")

elif view == "agencies":
    resp = query("agency_responsibilities", f, plan_id, today)
    table = pd.DataFrame(
        {
            tr("plan.col_agency"): [agencies[a].name(lang) if a in agencies else a for a in resp["agency"]],
            tr("plan.col_abbr"): [abbr(a) for a in resp["agency"]],
            tr("plan.col_lead"): resp["lead"],
            tr("plan.col_co"): resp["co"],
            tr("plan.col_overdue_lead"): [out_of(o, n) for o, n in zip(resp["overdue"], resp["lead"])],
            tr("plan.col_recs"): resp["recs"],
            tr("plan.col_gov"): [out_of(d, n) for d, n in zip(resp["gov_implemented"], resp["recs"])],
            tr("plan.col_ngo"): [out_of(d, n) for d, n in zip(resp["ngo_implemented"], resp["recs"])],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="plan_agencies")

elif view == "chart":
    df = query("status_by_agency", f)
    sources = [s for s in ("government", "ngo", "nhri", "un") if s in set(df["source_kind"])]
    if not sources:
        no_data("status.why_no_assessments")
        stop_page()
    source = st.segmented_control(
        tr("plan.source"),
        sources,
        format_func=lambda s: label("source_kind", s, lang),
        key="plan_source",
        default=sources[0],
    )
    chart(status_by_agency_figure(df, source or sources[0], lang), "plan_status_by_agency")

elif view == "coalition":
    groups = query("coalition_groups", lang)
    if groups.empty:
        st.info(tr("plan.no_groups"), icon=":material/info:")
        stop_page()
    table = pd.DataFrame(
        {
            tr("plan.col_group"): groups["name"],
            tr("plan.col_lead_ngo"): groups["lead_organisation"],
            tr("plan.col_themes"): groups["themes"],
        }
    )
    st.caption(groups["coalition"].iloc[0])
    st.dataframe(table, hide_index=True, width="stretch", key="plan_coalition")

else:
    ind = query("plan_indicators", plan_id)
    if ind.empty:
        st.info(tr("plan.no_indicators"), icon=":material/info:")
        stop_page()
    table = pd.DataFrame(
        {
            tr("plan.col_number"): ind["item"],
            tr("plan.col_indicator"): ind[f"name_{lang}"],
            tr("plan.col_period"): ind["period"],
            tr("plan.col_value"): ind["value"],
            tr("plan.col_source"): ind["source"],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="plan_indicators")

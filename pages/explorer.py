"""Explorer: search and filter every recommendation, page through them, export, and open one in full.

The search text and the open recommendation are kept in the URL (`q`, `rec`) next to the sidebar
filters, so a copied link reopens the same view.
"""

import dataclasses
import math

import pandas as pd
import streamlit as st

from ui import search_index
from ui.data import query
from ui.filters import KEYS as FILTER_KEYS
from ui.filters import status_label
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.shell import ensure_shell
from ui.widgets import md_escape, no_data
from upr.agencies import display_name
from upr.charts import cycle_label
from upr.demo_i18n import demo_text
from upr.export import to_csv_bytes, to_xlsx_bytes
from upr.i18n import LANG_NAMES, cite, t
from upr.search import marked
from upr.vocab import label

ensure_shell()

PAGE_SIZE = 50
lang = current()
base = st.session_state["filters"]

# Kept outside the widget keys too: Streamlit drops a widget's state while another page is shown.
for key, kept, url in (("explorer_q", "explorer_q_kept", "q"), ("explorer_rec", "explorer_rec_kept", "rec")):
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(kept, st.query_params.get(url) or ("" if url == "q" else None))
opened = st.session_state.pop("explorer_open_rec", None)  # handed over by another page's "open" action
if opened:
    st.session_state["explorer_rec"] = opened

st.title(tr("explorer.title"))
q = st.text_input(
    tr("explorer.search"),
    key="explorer_q",
    placeholder=tr("explorer.search_placeholder"),
    help=tr("explorer.search_help"),
)
f = dataclasses.replace(base, q=q.strip())
st.session_state["explorer_q_kept"] = q
if f.q and (waiting := search_index.pending(f.sur)):  # an upload's index still follows (ui.search_index)
    st.caption(tr("explorer.index_pending", n=f"{waiting:,}".replace(",", "\u202f")))
if f.status:  # a status chosen in the sidebar or by a click on a chart: said here, where the rows are
    said, clear = st.columns([3, 2], vertical_alignment="center")
    said.caption(tr("explorer.status_active", statuses="; ".join(status_label(s, lang) for s in f.status)))
    clear.button(
        tr("explorer.status_clear"),
        key="explorer_status_clear",
        icon=":material/filter_alt_off:",
        on_click=lambda: st.session_state.__setitem__(FILTER_KEYS["status"], []),
    )


def mark(text: str) -> str:
    """`text` escaped for Markdown, the words matching the search highlighted."""
    return marked(text, f.q, md_escape, lambda s: f":orange-background[**{s}**]")


def show_matches(rows: pd.DataFrame) -> None:
    """The page's rows with the words that matched the search highlighted: the text in the reader's
    language, or, when the match is in another language only, that text; and the matching theme names."""
    texts = query("explorer_texts", tuple(str(i) for i in rows["id"]))
    lines = []
    for row in rows.itertuples():
        text = row.text if isinstance(row.text, str) else ""
        shown, tag = mark(text), ""
        if ":orange-background[" not in shown:
            for other in texts[texts["rec_id"] == row.id].itertuples():
                candidate = mark(other.text)
                if ":orange-background[" in candidate:
                    shown, tag = candidate, f":gray-badge[{LANG_NAMES.get(other.lang, other.lang)}] "
                    break
        line = f"- **{md_escape(str(row.ref if isinstance(row.ref, str) else row.id))}** · {tag}{shown}"
        themes = mark(row.themes) if isinstance(row.themes, str) else ""
        if ":orange-background[" in themes:
            line += f" · _{tr('explorer.match_themes')}_: {themes}"
        lines.append(line)
    with st.expander(tr("explorer.matches"), expanded=True):
        st.markdown("\n".join(lines))


def fmt_label(code: object) -> str:
    """A format code (upr_info, wg_report, …) in words, or the code when there are none."""
    text = tr(f"explorer.format_{code}")
    return str(code) if text == f"explorer.format_{code}" else text


def display_frame(rows: pd.DataFrame, sources: list[str], lang: str) -> pd.DataFrame:
    """The table as people read it (labels in `lang`, headers translated); pure, so the export thread can use it."""
    out = pd.DataFrame(
        {
            t("explorer.col_id", lang): rows["id"],
            t("explorer.col_cycle", lang): rows["cycle"],
            t("explorer.col_ref", lang): rows["ref"],
            t("explorer.col_text", lang): rows["text"],
            t("explorer.col_states", lang): rows["states"],
            t("explorer.col_response", lang): [
                label("response", r, lang) if isinstance(r, str) else "" for r in rows["response"]
            ],
            t("explorer.col_themes", lang): rows["themes"],
            t("explorer.col_agency", lang): rows["agency"],
            t("explorer.col_plan_item", lang): rows["plan_item"],
        }
    )
    for s in sources:
        col = f"status_{s}"
        if col in rows:
            out[t("explorer.col_status", lang, source=label("source_kind", s, lang))] = [
                label("status", v, lang) if isinstance(v, str) else "" for v in rows[col]
            ]
    return out


page_ids: list[str] = []
total = query("explorer_count", f)
sources = query("assessment_sources", f)
if total == 0:
    no_data("explorer.why_no_match" if f.q else "common.no_data_filters")
else:
    pages = math.ceil(total / PAGE_SIZE)
    if st.session_state.get("explorer_seen_filters") != f:  # a new selection starts at its first page
        st.session_state["explorer_page"] = 1
        st.session_state["explorer_seen_filters"] = f
    st.session_state["explorer_page"] = min(max(int(st.session_state.get("explorer_page", 1)), 1), pages)
    rows = query("explorer_rows", f, lang, st.session_state["explorer_page"] - 1, PAGE_SIZE)
    page = st.session_state["explorer_page"]
    st.caption(
        tr(
            "explorer.showing",
            first=(page - 1) * PAGE_SIZE + 1,
            last=(page - 1) * PAGE_SIZE + len(rows),
            total=f"{total:,}".replace(",", "\u202f"),
        )
    )
    table = display_frame(rows, sources, lang)
    event = st.dataframe(
        table,
        hide_index=True,
        key="explorer_table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={t("explorer.col_text", lang): st.column_config.TextColumn(width="large")},
    )
    picked = event.selection.rows if event else []
    if picked and st.session_state.get("explorer_table_seen") != (page, picked[0], f):
        st.session_state["explorer_table_seen"] = (page, picked[0], f)
        st.session_state["explorer_rec"] = str(rows["id"].iloc[picked[0]])
    nav, xlsx, csv, _ = st.columns([1, 1, 1, 2], vertical_alignment="bottom")
    nav.number_input(tr("explorer.page", pages=pages), min_value=1, max_value=pages, step=1, key="explorer_page")

    def export_frame() -> pd.DataFrame:
        # Runs when the button is clicked, on another thread: only pure helpers and the cached query.
        return display_frame(query("explorer_rows", f, lang, None), sources, lang)

    xlsx.download_button(
        tr("explorer.export_xlsx"),
        data=lambda: to_xlsx_bytes(export_frame(), "recommendations"),
        file_name="upr_recommendations.xlsx",
        key="explorer_xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        help=tr("explorer.export_help", total=total),
    )
    csv.download_button(
        tr("explorer.export_csv"),
        data=lambda: to_csv_bytes(export_frame()),
        file_name="upr_recommendations.csv",
        mime="text/csv",
        key="explorer_csv",
        on_click="ignore",
        icon=":material/download:",
        help=tr("explorer.export_help", total=total),
    )
    page_ids = [str(i) for i in rows["id"]]
    if f.q:
        show_matches(rows)

# --- one recommendation in full --------------------------------------------------------------
st.divider()
st.subheader(tr("explorer.detail"))
chosen = st.session_state.get("explorer_rec")
options = page_ids
if chosen and chosen not in options:
    options = [chosen, *options]
rec = st.selectbox(
    tr("explorer.detail_pick"),
    options,
    key="explorer_rec",
    index=None,
    accept_new_options=True,
    placeholder=tr("explorer.detail_placeholder"),
)
st.session_state["explorer_rec_kept"] = rec

# The URL mirrors the search and the open recommendation (the sidebar writes the filters).
for name, value in (("q", f.q), ("rec", rec)):
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]

if not rec:
    st.caption(tr("explorer.detail_hint"))
    stop_page()
d = query("recommendation_detail", rec)
if d["rec"].empty:
    st.warning(tr("explorer.detail_unknown", id=md_escape(rec)), icon=":material/search_off:")  # ?rec= is text
    stop_page()

r = d["rec"].iloc[0]
name_col = f"name_{lang}"
# Texts from files are shown as text: every value below is escaped before it meets Markdown.
st.markdown(
    f"### {md_escape(r['ref'] if isinstance(r['ref'], str) else r['id'])} · "
    f"{cycle_label(int(r['cycle']), r['year'], lang)} · {md_escape(r[f'sur_{lang}'] or r['sur_en'])}"
)
facts = [tr("explorer.fact_id", id=md_escape(r["id"]))]
if isinstance(r["report_symbol"], str):
    facts.append(tr("explorer.fact_report", symbol=md_escape(r["report_symbol"])))
if not pd.isna(r["session"]):
    facts.append(tr("explorer.fact_session", session=int(r["session"])))
st.caption(" · ".join(facts))

left, right = st.columns(2)
with left:
    st.markdown(
        f"**{tr('explorer.col_response')}:** "
        + (label("response", r["response"], lang) if isinstance(r["response"], str) else "—")
    )
    if isinstance(r["response_source"], str):
        st.caption(tr("explorer.response_source", source=fmt_label(r["response_source"])))
    if isinstance(r["response_cite"], str):
        st.caption(tr("explorer.response_cite", cite=md_escape(cite(r["response_cite"], lang))))
    for reply in d["replies"].itertuples():
        st.markdown(f"**{tr('explorer.state_reply')}:** {md_escape(str(reply.comment))}")
        if isinstance(reply.cite, str) and reply.cite != r["response_cite"]:
            st.caption(md_escape(cite(reply.cite, lang)))
    if not pd.isna(r["action_category"]):
        st.markdown(f"**{tr('explorer.action')}:** {int(r['action_category'])}")
    if isinstance(r["agency"], str):
        st.markdown(f"**{tr('explorer.agency')}:** {md_escape(str(display_name(r['agency'], lang)))}")
with right:
    states = d["states"]
    st.markdown(f"**{tr('explorer.col_states')}**")
    if states.empty:
        st.caption("—")
    for s in states.itertuples():
        name = getattr(s, name_col) if isinstance(getattr(s, name_col), str) else s.source_label
        group = label("regional_group", s.regional_group, lang) if isinstance(s.regional_group, str) else ""
        st.markdown(
            f"- {md_escape(name)}"
            + (f" — {group}" if group else "")
            + (
                f" · {tr('explorer.as_written', label=md_escape(s.source_label))}"
                if s.source_label != s.name_en
                else ""
            )
        )

st.markdown(f"**{tr('explorer.texts')}**")
for row in d["texts"].itertuples():
    tag = f"{LANG_NAMES.get(row.lang, row.lang)}" + (f" · {tr('explorer.original')}" if row.is_original else "")
    st.markdown(f":gray-badge[{tag}] {mark(row.text) if f.q else md_escape(row.text)}")


def small_table(frame: pd.DataFrame, columns: dict[str, str], empty_key: str = "explorer.none") -> None:
    """A compact table with translated headers, or a dash when there is nothing."""
    if frame.empty:
        st.caption(tr(empty_key))
        return
    shown = frame[list(columns)].copy()
    for c in shown.columns:  # an empty text cell stays empty (Streamlit writes «None», in English)
        if shown[c].dtype == object:
            shown[c] = shown[c].where(shown[c].notna(), "")
    st.dataframe(shown.rename(columns=columns), hide_index=True)


left, right = st.columns(2)
with left:
    st.markdown(f"**{tr('explorer.col_themes')}**")
    themes = d["themes"].assign(
        canonical=[lab if isinstance(lab, str) else tr("explorer.unmapped") for lab in d["themes"][f"label_{lang}"]],
        source=[fmt_label(s) for s in d["themes"]["source"]],
    )
    small_table(
        themes,
        {
            "canonical": tr("explorer.canonical"),
            "source_label": tr("explorer.source_label"),
            "source": tr("explorer.source"),
        },
    )
    st.markdown(f"**{tr('explorer.groups')}**")
    groups = d["groups"].assign(
        canonical=[lab if isinstance(lab, str) else tr("explorer.unmapped") for lab in d["groups"][f"label_{lang}"]],
        source=[fmt_label(s) for s in d["groups"]["source"]],
    )
    small_table(
        groups,
        {
            "canonical": tr("explorer.canonical"),
            "source_label": tr("explorer.source_label"),
            "source": tr("explorer.source"),
        },
    )
with right:
    st.markdown(f"**{tr('explorer.sdgs')}**")
    st.markdown(md_escape(", ".join(dict.fromkeys(d["sdgs"]["sdg"]))) or "—")
    st.markdown(f"**{tr('explorer.sources')}**")
    srcs = d["sources"].assign(
        format=[fmt_label(s) for s in d["sources"]["format"]],
        file_name=[demo_text(n, lang) for n in d["sources"]["file_name"]],  # the demo's own name in `lang`
    )
    small_table(
        srcs,
        {
            "import_id": tr("explorer.import"),
            "file_name": tr("explorer.file"),
            "format": tr("explorer.format"),
            "row_number": tr("explorer.row"),
            "ref": tr("explorer.col_ref"),
            "response_raw": tr("explorer.response_raw"),
            "document_symbol": tr("explorer.document"),
        },
    )

st.markdown(f"**{tr('explorer.conflicts')}**")
conf = d["conflicts"]
if not conf.empty:

    def value(v: object, field: str) -> str:
        return label("response", v, lang) if field == "response" and isinstance(v, str) else str(v or "—")

    conf = conf.assign(
        kept_value=[value(v, fl) for v, fl in zip(conf["kept_value"], conf["field"])],
        other_value=[value(v, fl) for v, fl in zip(conf["other_value"], conf["field"])],
        kept_source=[fmt_label(s) for s in conf["kept_source"]],
        other_source=[fmt_label(s) for s in conf["other_source"]],
    )
small_table(
    conf,
    {
        "field": tr("explorer.field"),
        "kept_value": tr("explorer.kept_value"),
        "kept_source": tr("explorer.kept_source"),
        "other_value": tr("explorer.other_value"),
        "other_source": tr("explorer.other_source"),
        "import_id": tr("explorer.import"),
    },
    "explorer.no_conflicts",
)

st.markdown(f"**{tr('explorer.history', n=len(d['assessments']))}**")
hist = d["assessments"]
hist = hist.assign(
    source_kind=[label("source_kind", s, lang) for s in hist["source_kind"]],
    status=[label("status", s, lang) for s in hist["status"]],
    organisation=[display_name(o, lang) for o in hist["organisation"]],  # a ministry in `lang`
    comment=[demo_text(c, lang) for c in hist["comment"]],  # the demo's own comments in `lang`
)
hist = hist.assign(as_of=[d.date() if not pd.isna(d) else None for d in pd.to_datetime(hist["as_of"])])
small_table(
    hist,
    {
        "as_of": tr("explorer.as_of"),
        "source_kind": tr("explorer.source"),
        "organisation": tr("explorer.organisation"),
        "status": tr("explorer.status"),
        "comment": tr("explorer.comment"),
        "evidence": tr("explorer.evidence"),
        "import_id": tr("explorer.import"),
    },
    "explorer.no_assessments",
)

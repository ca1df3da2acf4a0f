"""Source conflicts: every disagreement between sources recorded on import, for the State under review."""

import streamlit as st

from ui.data import query
from ui.lang import current, tr
from ui.nav import EXPLORER
from ui.page_end import stop_page
from ui.shell import ensure_shell
from upr.vocab import label

ensure_shell()

lang = current()
f = st.session_state["filters"]
st.title(tr("conflicts.title"))
st.caption(tr("conflicts.intro"))


def fmt_label(code: object) -> str:
    """A format code (upr_info, wg_report, …) in words, or the code when there are none."""
    text = tr(f"explorer.format_{code}")
    return str(code) if text == f"explorer.format_{code}" else text


def field_label(field: str) -> str:
    text = tr(f"conflicts.field_{field}")
    return field if text == f"conflicts.field_{field}" else text


def value_label(value: object, field: str) -> str:
    if field == "response" and isinstance(value, str):
        return label("response", value, lang)
    return "—" if value is None else str(value)


found = query("conflict_list", f, lang)
if found.empty:
    st.success(tr("conflicts.none"), icon=":material/check_circle:")
    stop_page()

counts = query("conflict_counts", f)
cols = st.columns(min(len(counts) + 1, 5))
cols[0].metric(tr("conflicts.total"), int(counts["n"].sum()))
for col, row in zip(cols[1:], counts.itertuples()):
    col.metric(tr("conflicts.by_field", field=field_label(row.field)), int(row.n))

shown = found.assign(
    field=[field_label(x) for x in found["field"]],
    kept_value=[value_label(v, x) for v, x in zip(found["kept_value"], found["field"])],
    other_value=[value_label(v, x) for v, x in zip(found["other_value"], found["field"])],
    kept_source=[fmt_label(s) for s in found["kept_source"]],
    other_source=[fmt_label(s) for s in found["other_source"]],
)
columns = {
    "rec_id": tr("conflicts.col_rec"),
    "cycle": tr("conflicts.col_cycle"),
    "ref": tr("conflicts.col_ref"),
    "field": tr("conflicts.col_field"),
    "kept_value": tr("conflicts.col_kept_value"),
    "kept_source": tr("conflicts.col_kept_source"),
    "other_value": tr("conflicts.col_other_value"),
    "other_source": tr("conflicts.col_other_source"),
    "file_name": tr("conflicts.col_import"),
    "text": tr("conflicts.col_text"),
}
st.dataframe(
    shown[list(columns)].rename(columns=columns),
    hide_index=True,
    key="conflicts_table",
    column_config={tr("conflicts.col_text"): st.column_config.TextColumn(width="large")},
)

left, right = st.columns([3, 1], vertical_alignment="bottom")
ids = list(dict.fromkeys(found["rec_id"]))
texts = dict(zip(found["rec_id"], found["text"]))
rec = left.selectbox(
    tr("conflicts.pick"), ids, key="conflicts_rec", format_func=lambda i: f"{i} — {str(texts.get(i) or '')[:90]}"
)
if right.button(tr("conflicts.open"), key="conflicts_open", icon=":material/open_in_new:") and rec:
    st.session_state["explorer_open_rec"] = rec
    st.switch_page(EXPLORER)

"""Import history: every import with its counts; admins download originals and revert imports."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from etl.importer import stored_original
from etl.revert import RevertRefused, import_history, revert_import
from ui.auth import account_bar, current_account, login_box
from ui.data import run_locked
from ui.lang import current, tr
from ui.shell import ensure_shell
from ui.widgets import md_escape
from upr.accounts import can_revert

ensure_shell()

lang = current()
st.title(tr("history.title"))
st.caption(tr("history.intro"))
account = current_account()
if account is not None:
    account_bar(account, lang)

history = run_locked(import_history, write=False)


def _state(row: pd.Series) -> str:
    if pd.isna(row["reverted_at"]):
        return tr("history.in_force")
    return tr("history.reverted", when=f"{row['reverted_at']:%Y-%m-%d %H:%M}", who=row["reverted_by"] or "—")


if history.empty:
    st.info(tr("history.empty"))
else:
    # The state next to the file, so it stays in view on narrow screens; figures after.
    table = pd.DataFrame(
        {
            tr("history.col_id"): history["id"],
            tr("history.col_when"): history["imported_at"],
            tr("history.col_who"): history["who"],
            tr("history.col_file"): history["file_name"],
            tr("history.col_state"): history.apply(_state, axis=1),
            tr("history.col_added"): history["added"],
            tr("history.col_updated"): history["updated"],
            tr("history.col_unchanged"): history["unchanged"],
            tr("history.col_rejected"): history["rejected"],
            tr("history.col_format"): history["format"],
            tr("history.col_rows"): history["rows_read"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="history_table",
        column_config={tr("history.col_when"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )

if not can_revert(account):
    st.caption(tr("history.admin_only"))
    if account is None:
        login_box()
    st.stop()

st.subheader(tr("history.admin_title"))
if history.empty:
    st.stop()
rows = {int(r.id): r for r in history.itertuples(index=False)}
chosen = st.selectbox(
    tr("history.select_import"),
    list(rows),
    key="history_import",
    format_func=lambda i: f"#{i} · {rows[i].file_name} · {rows[i].who} · {rows[i].imported_at:%Y-%m-%d}",
)
row = rows[chosen]
original = stored_original(row.sha256, Path(row.file_name).suffix)
if original.exists():
    st.download_button(
        tr("history.download_original"),
        data=partial(original.read_bytes),
        file_name=row.file_name,
        key="history_download",
        icon=":material/download:",
        on_click="ignore",
    )
else:
    st.caption(tr("history.original_missing"))

st.markdown(f"**{tr('history.revert_title')}**")
result = st.session_state.pop("history_result", None)
if result:
    kind, text = result
    (st.success if kind == "ok" else st.error)(text)
if not pd.isna(row.reverted_at):
    st.caption(tr("history.revert_already", id=chosen))
    st.stop()
st.caption(tr("history.revert_help"))
sure = st.checkbox(tr("history.revert_confirm", id=chosen, file=md_escape(row.file_name)), key="history_revert_confirm")


def _revert(import_id: int) -> None:
    try:
        report = run_locked(revert_import, import_id, who=account.name)
    except RevertRefused as exc:
        key = {"blocked": "history.revert_blocked", "missing": "history.revert_missing"}.get(
            exc.reason, "history.revert_already"
        )
        st.session_state["history_result"] = (
            "error",
            tr(key, id=import_id, blocking=exc.blocking_import, file=md_escape(exc.blocking_file or "")),
        )
        return
    st.session_state["history_result"] = (
        "ok",
        tr("history.revert_done", id=import_id, deleted=report.total_deleted, restored=sum(report.restored.values())),
    )
    st.session_state["history_revert_confirm"] = False


st.button(
    tr("history.revert_button", id=chosen),
    key="history_revert",
    type="primary",
    disabled=not sure,
    on_click=_revert,
    args=(chosen,),
    icon=":material/undo:",
)

"""Import history: every import with its counts and, row by row, what it changed; admins download
originals and revert any import, editors undo their own organisation's latest upload."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from etl.changes import UndoRefused, latest_own_import, undo_own_import
from etl.importer import stored_original
from etl.revert import RevertRefused, revert_import
from ui import figures
from ui.auth import account_bar, current_account, login_box
from ui.data import run_locked
from ui.history_view import known_accounts, who_label
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.search_index import refresh_later
from ui.shell import ensure_shell
from ui.widgets import md_escape
from upr.accounts import can_revert
from upr.demo_i18n import demo_text

ensure_shell()

lang = current()
st.title(tr("history.title"))
st.caption(tr("history.intro"))
account = current_account()
if account is not None:
    account_bar(account, lang)
is_admin = can_revert(account)


# The list is the same for everyone (shared by every session until the next write); which import
# is this account's latest is read for this session alone.
history, organisations, history_only = figures.import_list()
own_latest = (
    None
    if account is None or account.is_admin
    else run_locked(latest_own_import, account.organisation or "", write=False)
)
accounts = {} if is_admin else known_accounts()


def _who(row: pd.Series) -> str:
    # Account names are for administrators; everyone else sees whose data it is.
    return row["who"] if is_admin else who_label(row["who"], organisations.get(int(row["id"])), lang, accounts)


def _state(row: pd.Series) -> str:
    if pd.isna(row["reverted_at"]):
        return tr("history.in_force")
    by = row["reverted_by"] or "—"
    return tr(
        "history.reverted",
        when=f"{row['reverted_at']:%Y-%m-%d %H:%M}",
        who=by if is_admin else who_label(by, None, lang, accounts),
    )


if history.empty:
    st.info(tr("history.empty"))
    stop_page()


def shown_file(name: str) -> str:
    """A file's name as imported; the demo's own name in the reader's language."""
    return str(demo_text(name, lang))


def format_name(code: str) -> str:
    """A format code (upr_info, wg_report, demo, …) in words of the catalog, else the code."""
    key = f"explorer.format_{code}"
    return code if tr(key) == key else tr(key)


# The state next to the file, so it stays in view on narrow screens; figures after.
table = pd.DataFrame(
    {
        tr("history.col_id"): history["id"],
        tr("history.col_when"): history["imported_at"],
        tr("history.col_who"): history.apply(_who, axis=1),
        tr("history.col_file"): [shown_file(n) for n in history["file_name"]],
        tr("history.col_state"): history.apply(_state, axis=1),
        tr("history.col_added"): history["added"],
        tr("history.col_updated"): history["updated"],
        tr("history.col_history"): [history_only.get(int(i), 0) for i in history["id"]],
        tr("history.col_unchanged"): history["unchanged"],
        tr("history.col_rejected"): history["rejected"],
        tr("history.col_format"): [format_name(f) for f in history["format"]],
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

# --- one import: what it changed ------------------------------------------------------------------
st.subheader(tr("history.changes_title"))
rows = {int(r.id): r for r in history.itertuples(index=False)}
chosen = st.selectbox(
    tr("history.select_import"),
    list(rows),
    key="history_import",
    format_func=lambda i: f"#{i} · {shown_file(rows[i].file_name)} · {rows[i].imported_at:%Y-%m-%d}",
)
row = rows[chosen]
if pd.isna(row.reverted_at):
    assessments, recommendations = figures.import_changes(chosen, lang)
    for frame in (assessments, recommendations):
        if not frame.empty:
            st.dataframe(frame, hide_index=True, width="stretch")
    if assessments.empty and recommendations.empty:
        st.caption(tr("history.changes_none"))
else:
    st.caption(tr("history.changes_reverted", id=chosen))

# --- undoing it -----------------------------------------------------------------------------------
result = st.session_state.pop("history_result", None)  # what the last revert did, whoever may act now
if result:
    kind, text = result
    (st.success if kind == "ok" else st.error)(text)
may_undo = is_admin or (account is not None and own_latest == chosen)
if not may_undo:
    if account is None:
        st.caption(tr("history.admin_only"))
        login_box()
    elif not is_admin:
        latest = f"#{own_latest}" if own_latest else "—"
        st.caption(tr("history.editor_only_latest", organisation=md_escape(account.organisation or ""), latest=latest))
    stop_page()

if is_admin:
    st.subheader(tr("history.admin_title"))
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
if not pd.isna(row.reverted_at):
    st.caption(tr("history.revert_already", id=chosen))
    stop_page()
st.caption(
    tr("history.revert_help")
    if is_admin
    else tr("history.undo_help", organisation=md_escape(account.organisation or ""))
)
sure = st.checkbox(
    tr("history.revert_confirm", id=chosen, file=md_escape(shown_file(row.file_name))), key="history_revert_confirm"
)


def _revert(import_id: int) -> None:
    """Revert as the account signed in *now* may: re-read, not the one that drew the button."""
    acct = current_account()
    try:
        if can_revert(acct):
            report = run_locked(revert_import, import_id, who=acct.name, index=False)
        elif acct is not None and acct.organisation:
            report = run_locked(undo_own_import, import_id, acct.organisation, acct.name, index=False)
        else:
            st.session_state["history_result"] = ("error", tr("history.undo_refused", id=import_id))
            return
    except UndoRefused:
        st.session_state["history_result"] = ("error", tr("history.undo_refused", id=import_id))
        return
    except RevertRefused as exc:
        key = {"blocked": "history.revert_blocked", "missing": "history.revert_missing"}.get(
            exc.reason, "history.revert_already"
        )
        st.session_state["history_result"] = (
            "error",
            tr(key, id=import_id, blocking=exc.blocking_import, file=md_escape(exc.blocking_file or "")),
        )
        return
    refresh_later()  # the search index forgets what the import brought, in the background
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

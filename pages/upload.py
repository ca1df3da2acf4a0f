"""Upload: download a pre-filled template, upload it, preview what would change, confirm."""

from __future__ import annotations

import re
import shutil
import tempfile
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from etl.detect import read_any
from etl.importer import import_file
from etl.template_xlsx import assessment_template
from ui.auth import account_bar, current_account, login_box
from ui.data import query, run_locked
from ui.lang import current, tr
from ui.shell import ensure_shell
from ui.widgets import md_escape
from upr.accounts import allowed_organisation, upload_refusals
from upr.charts import cycle_label
from upr.config import MAX_UPLOAD_BYTES
from upr.filters import Filters
from upr.vocab import label

ensure_shell()

ACCEPTED = ["xlsx", "xls", "csv", "txt", "json", "docx", "pdf"]
PREVIEW = "upload_preview"  # session key: the dry run of the file in the uploader
DONE = "upload_done"  # session key: the committed import of that file

lang = current()
f = st.session_state["filters"]
st.title(tr("upload.title"))
st.caption(tr("upload.intro"))

account = current_account()
if account is None:
    login_box()
    st.stop()
account_bar(account, lang)
org = allowed_organisation(account)
kind = None if account.is_admin else account.source_kind


def _template(sur: str, cycle: int, lang: str, org: str | None, kind: str | None) -> bytes:
    return run_locked(assessment_template, sur, cycle, lang, org, kind, write=False)


# --- 1. the template -------------------------------------------------------------------------
st.subheader(tr("upload.template_title"))
# Every cycle of the State under review, whatever the other sidebar filters say.
reviews = query("cycle_overview", Filters(sur=f.sur))
if reviews.empty:
    st.info(tr("upload.no_cycles"))
else:
    years = dict(zip(reviews["cycle"], reviews["year"]))
    cycles = sorted((int(c) for c in reviews["cycle"]), reverse=True)
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    cycle = left.selectbox(
        tr("upload.template_cycle"),
        cycles,
        key="upload_cycle",
        format_func=lambda c: cycle_label(c, years.get(c), lang),
    )
    right.download_button(
        tr("upload.template_download"),
        data=partial(_template, f.sur, cycle, lang, org, kind),
        file_name=f"upr_assessments_{f.sur}_cycle{cycle}_{lang}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="upload_template",
        icon=":material/download:",
        on_click="ignore",
    )
    count = reviews.loc[reviews["cycle"] == cycle, "recommendations"]
    if not count.empty:
        st.caption(tr("upload.template_caption", count=int(count.iloc[0])))

# --- 2. the upload ---------------------------------------------------------------------------
st.subheader(tr("upload.upload_title"))
st.caption(tr("upload.admin_note") if account.is_admin else tr("upload.editor_note", organisation=md_escape(org or "")))
uploaded = st.file_uploader(tr("upload.file_label"), type=ACCEPTED, key="upload_file")


def _safe_name(name: str) -> str:
    """The uploaded file's own name (shown in the history), without any path or odd characters."""
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^\w.\- ()]+", "_", base)[:120] or "upload"


def _check(uploaded) -> dict:
    """Save the upload to a private folder, check the account's rights, and dry-run the import."""
    folder = Path(tempfile.mkdtemp(prefix="upr-upload-"))
    path = folder / _safe_name(uploaded.name)
    path.write_bytes(uploaded.getbuffer())
    refusals: list = []
    if not account.is_admin:
        batch = read_any(path)
        refusals = upload_refusals(
            account,
            batch.format,
            {a.organisation for a in batch.assessments},
            {a.source_kind for a in batch.assessments},
        )
    report = None
    if not refusals:
        report = run_locked(import_file, path, who=account.name, dry_run=True, allowed_organisation=org, write=False)
    return {"file_id": uploaded.file_id, "path": path, "refusals": refusals, "report": report}


def _confirm() -> None:
    preview = st.session_state.get(PREVIEW)
    if not preview:
        return
    try:
        report = run_locked(import_file, preview["path"], who=account.name, dry_run=False, allowed_organisation=org)
    except Exception as exc:  # shown to the user; the transaction was rolled back
        st.session_state[DONE] = {"file_id": preview["file_id"], "error": f"{type(exc).__name__}: {exc}"}
        return
    shutil.rmtree(preview["path"].parent, ignore_errors=True)
    st.session_state[DONE] = {"file_id": preview["file_id"], "report": report}
    st.session_state.pop(PREVIEW, None)


def _status(code: object) -> str:
    return label("status", code, lang) if isinstance(code, str) else "—"


def _problems_frame(problems: list) -> pd.DataFrame:
    return pd.DataFrame(
        [[p.sheet or "", p.row, p.column or "", p.value or "", p.expected] for p in problems],
        columns=[
            tr("upload.col_sheet"),
            tr("upload.col_row"),
            tr("upload.col_column"),
            tr("upload.col_value"),
            tr("upload.col_expected"),
        ],
    )


def _changes_frame(changes: list[dict], changed: bool) -> pd.DataFrame:
    rows = [c for c in changes if (c["old"] is not None) == changed]
    cols = [tr("upload.col_row"), tr("upload.col_rec"), tr("upload.col_org")]
    cols += [tr("upload.col_old"), tr("upload.col_new")] if changed else [tr("upload.col_new")]
    return pd.DataFrame(
        [
            [c["row"], c["rec_id"], c["organisation"], *([_status(c["old"])] if changed else []), _status(c["new"])]
            for c in rows
        ],
        columns=cols,
    )


def _show_preview(preview: dict) -> None:
    st.subheader(tr("upload.preview_title"))
    for key, params in preview["refusals"]:
        st.error(tr(f"upload.{key}", **{k: md_escape(v) for k, v in params.items()}), icon=":material/block:")
    report = preview["report"]
    if report is None:
        return
    st.caption(tr("upload.preview_format", file=md_escape(report.file), format=report.format, rows=report.rows_read))
    if report.already_imported is not None:
        st.info(tr("upload.already_imported", id=report.already_imported))
        return
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("upload.metric_new"), report.added)
    c2.metric(tr("upload.metric_changed"), report.updated)
    c3.metric(tr("upload.metric_unchanged"), report.unchanged)
    c4.metric(tr("upload.metric_errors"), len(report.errors))
    views = {
        "changed": tr("upload.view_changed"),
        "new": tr("upload.view_new"),
        "errors": tr("upload.view_errors"),
        "warnings": tr("upload.view_warnings"),
    }
    if report.errors:
        st.error(tr("upload.refused", n=len(report.errors)), icon=":material/error:")
    default = "errors" if report.errors else ("changed" if report.updated else "new")
    view = (
        st.segmented_control(tr("upload.view"), list(views), format_func=views.get, key="upload_view", default=default)
        or default
    )
    if view == "errors":
        frame = _problems_frame(report.errors)
    elif view == "warnings":
        frame = _problems_frame(report.warnings)
    else:
        frame = _changes_frame(report.changes, changed=view == "changed")
    if frame.empty:
        st.caption(tr("upload.none_in_view"))
    else:
        st.dataframe(frame, hide_index=True, width="stretch")
    if report.errors:
        return
    if report.added + report.updated == 0:
        st.info(tr("upload.nothing_to_save"))
        return
    st.button(
        tr("upload.confirm"), key="upload_confirm", type="primary", on_click=_confirm, icon=":material/database_upload:"
    )


if uploaded is None:
    st.session_state.pop(PREVIEW, None)
elif uploaded.size > MAX_UPLOAD_BYTES:
    st.error(tr("upload.too_big", size=f"{uploaded.size / 2**20:.1f}", limit=MAX_UPLOAD_BYTES // 2**20))
else:
    done = st.session_state.get(DONE)
    if done and done["file_id"] == uploaded.file_id:
        if "error" in done:
            st.error(tr("upload.failed", error=md_escape(done["error"])))
        else:
            r = done["report"]
            st.success(
                tr("upload.done", id=r.import_id, added=r.added, updated=r.updated, unchanged=r.unchanged),
                icon=":material/check_circle:",
            )
            st.page_link("pages/status.py", label=tr("upload.see_status"), icon=":material/fact_check:")
    else:
        preview = st.session_state.get(PREVIEW)
        if not preview or preview["file_id"] != uploaded.file_id:
            with st.spinner(tr("upload.checking")):
                preview = _check(uploaded)
            st.session_state[PREVIEW] = preview
        _show_preview(preview)

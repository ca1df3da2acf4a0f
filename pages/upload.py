"""Upload: download a pre-filled template, upload it, preview what would change, confirm."""

from __future__ import annotations

import logging
from functools import partial

import streamlit as st

from etl.importer import import_file, sha256_of
from etl.messages import format_name, problem_text
from etl.preview import preview_batch
from etl.readers.plan import plan_template_xlsx
from etl.sandbox import read_isolated
from etl.template_xlsx import assessment_template
from etl.uploads import discard_upload, save_upload
from ui.auth import account_bar, current_account, login_box
from ui.builtin_texts import localise_uploader
from ui.data import query, run_locked
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.search_index import refresh_later
from ui.shell import ensure_shell
from ui.upload_view import problems_frame, rows_frame
from ui.widgets import md_escape
from upr.accounts import allowed_organisation, can_upload, upload_refusals
from upr.charts import cycle_label
from upr.config import MAX_UPLOAD_BYTES
from upr.filters import Filters
from upr.i18n import t
from upr.vocab import label

ensure_shell()
log = logging.getLogger(__name__)

ACCEPTED = ["xlsx", "xls", "csv", "txt", "json", "docx", "pdf"]
PREVIEW = "upload_preview"  # session key: the checked file in the uploader, with its dry run
DONE = "upload_done"  # session key: what became of confirming that file
MAX_ROWS_LISTED = 30

lang = current()
f = st.session_state["filters"]
st.title(tr("upload.title"))
st.caption(tr("upload.intro"))

account = current_account()
if account is None:
    login_box()
    stop_page()
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
    if account.is_admin:  # plans are imported by administrators
        st.download_button(
            tr("upload.plan_template_download"),
            data=partial(plan_template_xlsx, lang, cycle),
            file_name=f"upr_plan_template_cycle{cycle}_{lang}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="upload_plan_template",
            icon=":material/download:",
            on_click="ignore",
        )
        st.caption(tr("upload.plan_template_caption"))

# --- 2. the upload ---------------------------------------------------------------------------
st.subheader(tr("upload.upload_title"))
st.caption(tr("upload.admin_note") if account.is_admin else tr("upload.editor_note", organisation=md_escape(org or "")))
MB = max(1, round(MAX_UPLOAD_BYTES / (1024 * 1024)))  # as .streamlit/config.toml tells the uploader
uploaded = st.file_uploader(
    tr("upload.file_label"), type=ACCEPTED, key="upload_file", help=tr("upload.file_help", mb=MB)
)
# Streamlit writes the uploader's button and size line in English: ours in their place.
localise_uploader(
    "upload_file",
    tr("upload.file_button"),
    tr("upload.file_hint", mb=MB, formats=", ".join(a.upper() for a in ACCEPTED)),
    tr("upload.file_drop"),
)


def _refusals(acct, batch) -> list:
    return upload_refusals(
        acct, batch.format, {a.organisation for a in batch.assessments}, {a.source_kind for a in batch.assessments}
    )


def _check(uploaded) -> dict:
    """Keep the upload in a private folder, read it in a child process under limits, and dry-run it."""
    path = save_upload(uploaded.name, uploaded.getbuffer())
    batch = read_isolated(path)  # a file that hits a limit or crashes its reader comes back as errors
    refusals = [] if account.is_admin else _refusals(account, batch)
    preview, error = None, None
    if not refusals:
        try:
            preview = run_locked(preview_batch, batch, sha256_of(path), org, lang, write=False)
        except Exception as exc:  # the database could not answer: words for the user, details in the log
            log.exception("the preview of %s failed", path.name)
            error = type(exc).__name__
    checked = {"file_id": uploaded.file_id, "path": path, "batch": batch, "refusals": refusals, "preview": preview}
    return checked | ({"error": error} if error else {})


def _confirm() -> None:
    """Save the checked file, as the account signed in *now* may (re-read, not the one of the preview)."""
    checked = st.session_state.get(PREVIEW)
    if not checked:
        return
    acct = current_account()
    refusals = [("refused_viewer", {})] if not can_upload(acct) else _refusals(acct, checked["batch"])
    if refusals:
        st.session_state[DONE] = {"file_id": checked["file_id"], "refusals": refusals}
        return
    try:
        report = run_locked(
            import_file,
            checked["path"],
            who=acct.name,
            allowed_organisation=allowed_organisation(acct),
            batch=checked["batch"],
            index=False,  # the search index follows in the background
        )
    except Exception as exc:  # the transaction was rolled back; the user gets words, the log the details
        log.exception("saving the upload %s failed", checked["path"].name)
        st.session_state[DONE] = {"file_id": checked["file_id"], "error": type(exc).__name__}
        return
    if report.refused:  # the data changed since the preview, or the store is full: nothing was saved
        st.session_state[DONE] = {"file_id": checked["file_id"], "report": report}
        return
    if report.import_id is not None:
        refresh_later()
    discard_upload(checked["path"])
    st.session_state[DONE] = {"file_id": checked["file_id"], "report": report}
    st.session_state.pop(PREVIEW, None)


def _refusal(key: str, params: dict[str, str]) -> None:
    """A refusal for this account, its format and source kinds named in the user's language."""
    shown = dict(params)
    if key == "refused_format":
        shown["format"] = format_name(params["format"], lang)
    if key == "refused_source_kind":
        shown = {k: ", ".join(label("source_kind", c, lang) for c in v.split(", ")) for k, v in params.items()}
    st.error(tr(f"upload.{key}", **{k: md_escape(v) for k, v in shown.items()}), icon=":material/block:")


def _table(frame, key: str, wide: tuple[str, ...]) -> None:
    config = {tr(c): st.column_config.TextColumn(width="large") for c in wide}
    st.dataframe(frame, hide_index=True, width="stretch", key=key, column_config=config)


def _messages(problems: list) -> None:
    """Each distinct message once, in full, with the rows it concerns (the table cuts long texts).

    Everything is escaped: a message carries values from the file, and text from files is text.
    """
    groups: dict[str, list[int]] = {}
    for p in problems:
        groups.setdefault(problem_text(p, lang), []).extend([p.row] if p.row is not None else [])
    lines = []
    for text, rows in groups.items():
        shown = ", ".join(str(r) for r in sorted(set(rows))[:MAX_ROWS_LISTED])
        more = " …" if len(set(rows)) > MAX_ROWS_LISTED else ""
        lines.append(
            f"- {md_escape(text)}" + (f" — {md_escape(tr('upload.rows_listed', rows=shown + more))}" if rows else "")
        )
    st.markdown("\n".join(lines))


def _problems(report) -> None:
    if report.errors:
        st.error(tr("upload.refused", n=len(report.errors)), icon=":material/error:")
        _table(problems_frame(report.errors, lang), "upload_errors", ("upload.col_message",))
        _messages(report.errors)
    if report.warnings:
        st.warning(tr("upload.warnings", n=len(report.warnings)), icon=":material/warning:")
        _table(problems_frame(report.warnings, lang), "upload_warnings", ("upload.col_message",))
        _messages(report.warnings)


def _metrics(report) -> None:
    template = report.format == "template_assessments"
    figures = [("metric_new", report.added), ("metric_changed", report.updated)]
    figures += [("metric_history", report.history_only)] if template else []
    figures += [("metric_unchanged", report.unchanged), ("metric_errors", len(report.errors))]
    for column, (key, value) in zip(st.columns(len(figures)), figures):
        column.metric(tr(f"upload.{key}"), value, help=tr(f"upload.{key}_help"))


def _rows(preview) -> None:
    views = {
        "current": ("new", "changed"),
        "history": ("history",),
        "unchanged": ("unchanged",),
    }
    counts = {v: sum(r.outcome in outs for r in preview.rows) for v, outs in views.items()}
    default = next((v for v, n in counts.items() if n), "current")
    view = (
        st.segmented_control(
            tr("upload.view"),
            list(views),
            format_func=lambda v: t(f"upload.view_{v}", lang, n=counts[v]),
            key="upload_view",
            default=default,
        )
        or default
    )
    frame = rows_frame(preview, views[view], lang)
    if frame.empty:
        st.caption(tr("upload.none_in_view"))
    else:
        _table(frame, "upload_rows", ("upload.col_text", "upload.col_outcome"))


def _show_preview(checked: dict) -> None:
    st.subheader(tr("upload.preview_title"))
    for key, params in checked["refusals"]:
        _refusal(key, params)
    if "error" in checked:
        st.error(tr("upload.failed", error=md_escape(checked["error"])))
        return
    preview = checked["preview"]
    if preview is None:  # refused for this account: nothing more to check
        return
    report = preview.report
    st.caption(
        tr(
            "upload.preview_format",
            file=md_escape(report.file),
            format=md_escape(format_name(report.format, lang)),
            rows=report.rows_read,
        )
    )
    if report.already_imported is not None:
        st.info(tr("upload.already_imported", id=report.already_imported))
        return
    if report.format != "unknown":
        _metrics(report)
    _problems(report)
    if preview.rows:
        _rows(preview)
    if report.errors:
        return
    if report.added + report.updated + report.history_only == 0:
        st.info(tr("upload.nothing_to_save"))
        return
    st.button(
        tr("upload.confirm"), key="upload_confirm", type="primary", on_click=_confirm, icon=":material/database_upload:"
    )


def _show_done(done: dict) -> None:
    for key, params in done.get("refusals", []):
        _refusal(key, params)
    if "error" in done:
        st.error(tr("upload.failed", error=md_escape(done["error"])))
    report = done.get("report")
    if report is None:
        return
    if report.refused:
        st.error(tr("upload.not_saved"), icon=":material/error:")
        _problems(report)
        return
    st.success(
        tr(
            "upload.done",
            id=report.import_id,
            added=report.added,
            updated=report.updated,
            history=report.history_only,
            unchanged=report.unchanged,
        ),
        icon=":material/check_circle:",
    )
    st.page_link("pages/status.py", label=tr("upload.see_status"), icon=":material/fact_check:")


checked = st.session_state.get(PREVIEW)
if uploaded is None:
    if checked:
        discard_upload(checked["path"])
    st.session_state.pop(PREVIEW, None)
elif uploaded.size > MAX_UPLOAD_BYTES:
    st.error(tr("upload.too_big", size=f"{uploaded.size / 2**20:.1f}", limit=MAX_UPLOAD_BYTES // 2**20))
else:
    done = st.session_state.get(DONE)
    if done and done["file_id"] == uploaded.file_id:
        _show_done(done)
    else:
        if not checked or checked["file_id"] != uploaded.file_id:
            if checked:
                discard_upload(checked["path"])
            with st.spinner(tr("upload.checking")):
                checked = _check(uploaded)
            st.session_state[PREVIEW] = checked
        _show_preview(checked)

"""Recognise a file's format from its content (not its name) and read it with the right reader."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from etl.model import Batch, Problem
from etl.tabular import Sheet, UnreadableFile, check_zip_expansion, read_csv, read_workbook
from etl.templates import read_template_sheets
from etl.upr_info import looks_like_upr_info, read_upr_info_sheet

FORMATS_HELP = (
    "one of: our recommendations or assessments template (.xlsx/.csv), a UPR Info export "
    "(.xls/.xlsx/.csv), a UN Working Group report (.pdf/.docx/.txt), a UHRI export (.json/.xlsx), "
    "an OHCHR UPR matrix (.docx)"
)


def sniff_kind(head: bytes) -> str:
    """The container kind from the first bytes: pdf, zip, ole (legacy .xls), json or text."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "text"


def _zip_kind(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _docx_has_matrix_table(path: Path) -> bool:
    """Does any table of the .docx start with the OHCHR matrix header row (either generation)?"""
    from docx import Document

    from etl.matrix import looks_like_matrix

    for table in Document(str(path)).tables:
        for row in table.rows[:3]:
            if looks_like_matrix([c.text for c in row.cells]):
                return True
    return False


def _read_sheets(sheets: list[Sheet], path: Path) -> Batch | None:
    from etl.uhri import looks_like_uhri_headers, read_uhri_xlsx

    for sheet in sheets:
        if looks_like_upr_info(sheet.headers):
            return read_upr_info_sheet(sheet, path.name)
    template = read_template_sheets(sheets, path)
    if template is not None:
        return template
    if path.suffix.lower() in (".xlsx", ".xlsm", "") and any(looks_like_uhri_headers(s.headers) for s in sheets):
        return read_uhri_xlsx(path)
    return None


def _refused(path: Path, problem: Problem) -> Batch:
    return Batch(file=path.name, format="unknown", theme_source="none", problems=[problem])


def read_any(path: Path) -> Batch:
    """Read any supported file into a Batch; an unrecognised or unreadable file gives a Batch with an error."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = sniff_kind(head)
    try:
        if kind == "pdf":
            from etl.wg_report import read_wg_report

            return read_wg_report(path)
        if kind == "zip":
            check_zip_expansion(path)
            zkind = _zip_kind(path)
            if zkind == "docx":
                from etl.matrix import read_matrix_docx
                from etl.wg_report import read_wg_report

                return read_matrix_docx(path) if _docx_has_matrix_table(path) else read_wg_report(path)
            if zkind == "xlsx":
                batch = _read_sheets(read_workbook(path), path)
                if batch is not None:
                    return batch
        elif kind == "ole":
            batch = _read_sheets(read_workbook(path), path)
            if batch is not None:
                return batch
        elif kind == "json":
            from etl.uhri import looks_like_uhri_json, read_uhri_json

            try:
                data = json.loads(path.read_bytes().decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                return _refused(path, Problem(path.name, "valid UTF-8 JSON", value=str(exc)[:120]))
            if looks_like_uhri_json(data):
                return read_uhri_json(path)
        else:
            from etl.wg_report import looks_like_wg_report, looks_like_wg_report_title, parse_wg_report

            raw = path.read_bytes()
            # A report names itself on its first page: decode the whole file only then.
            if looks_like_wg_report_title(raw[:8000].decode("utf-8", errors="ignore")):
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = ""
                if text and looks_like_wg_report(text):
                    return parse_wg_report(text, path.name)
            sheet, _encoding, _sep = read_csv(path, raw)
            batch = _read_sheets([sheet], path)
            if batch is not None:
                return batch
    except UnreadableFile as exc:
        return _refused(path, exc.problem)
    return _refused(path, Problem(path.name, FORMATS_HELP, value="a file of no known format"))

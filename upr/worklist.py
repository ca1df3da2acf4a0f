"""What to report next, as files: the work list as an xlsx table and as a DOCX draft «Информация о
ходе выполнения рекомендаций УПО», every figure counted from the rows given and every
recommendation cited by its paragraph number and UN document."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from upr.agencies import load_agencies
from upr.i18n import t
from upr.vocab import label

COLUMNS = ("ref", "text", "response", "themes", "agency", "plan_item", "gov_status", "gov_as_of", "ngo_status",
           "ngo_as_of", "comment")  # fmt: skip


def _day(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).date().strftime("%d.%m.%Y")


def _status(value: object, lang: str) -> str:
    return label("status", str(value), lang) if isinstance(value, str) else t("worklist.no_assessment", lang)


def _agencies(value: object, lang: str) -> str:
    names = {a.code: a for a in load_agencies()}
    if not isinstance(value, str):
        return ""
    return ", ".join(names[c].abbr(lang) if c in names else c for c in value.split(", "))


def cite(row: pd.Series, lang: str) -> str:
    """«156.65 (A/HRC/59/15)», or the cycle when the report's symbol is not recorded."""
    symbol = row["report_symbol"] if isinstance(row["report_symbol"], str) else None
    where = symbol or t("worklist.cycle_n", lang, cycle=int(row["cycle"]))
    return f"{row['ref']} ({where})"


def work_list_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The work list with the columns of its export, labelled and worded in `lang`."""
    out = pd.DataFrame(
        {
            "ref": [cite(r, lang) for _, r in df.iterrows()],
            "text": df["text"],
            "response": [label("response", str(v), lang) for v in df["response"]],
            "themes": df["themes"].fillna(""),
            "agency": [_agencies(v, lang) for v in df["agency"]],
            "plan_item": df["plan_item"].fillna(""),
            "gov_status": [_status(v, lang) for v in df["gov_status"]],
            "gov_as_of": [_day(v) for v in df["gov_as_of"]],
            "ngo_status": [_status(v, lang) for v in df["ngo_status"]],
            "ngo_as_of": [_day(v) for v in df["ngo_as_of"]],
            "comment": df["comment"].fillna(""),
        }
    )
    return out.rename(columns={c: t(f"worklist.col_{c}", lang) for c in COLUMNS})


def work_list_xlsx(df: pd.DataFrame, lang: str) -> bytes:
    """The work list as an xlsx workbook: one row per recommendation, a frozen header, text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    table = work_list_table(df, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t("worklist.sheet", lang)[:31]
    ws.append(list(table.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in table.itertuples(index=False):
        ws.append([str(v) for v in values])
        for cell in ws[ws.max_row]:
            cell.data_type = "s"  # a comment starting with «=» stays text
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJK", (18, 70, 16, 30, 16, 10, 20, 12, 20, 12, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def work_list_docx(
    df: pd.DataFrame, lang: str, *, cycle: int, before: date, supported: int, by: str, sections: dict[int, str]
) -> bytes:
    """A DOCX draft of the government's information on implementation, grouped by theme or by plan section.

    `supported` is the number of supported recommendations of the cycle the filters select; `sections`
    names the plan's sections by number.
    """
    from docx import Document

    doc = Document()
    doc.add_heading(t("worklist.docx_title", lang), level=0)
    doc.add_paragraph(
        t("worklist.docx_intro", lang, cycle=cycle, n=len(df), supported=supported, before=before.strftime("%d.%m.%Y"))
    )
    missing = int(df["gov_status"].isna().sum())
    doc.add_paragraph(t("worklist.docx_counts", lang, missing=missing, older=len(df) - missing, n=len(df)))
    if by == "section":
        keys = df["plan_section"].astype("Int64")
        order = sorted(keys.dropna().unique()) + ([None] if keys.isna().any() else [])
        groups = [(sections.get(int(k), str(k)) if k is not None else t("worklist.no_section", lang),
                   df[keys == k] if k is not None else df[keys.isna()]) for k in order]  # fmt: skip
    else:
        first = df["themes"].fillna("").str.split("; ").str[0]
        sort = df["theme_sort"].fillna(10**6)
        order = list(dict.fromkeys(first.iloc[sort.argsort(kind="stable")]))
        groups = [(k or t("worklist.no_theme", lang), df[first == k]) for k in order]
    for title, part in groups:
        doc.add_heading(f"{title} ({t('worklist.n_recs', lang, n=len(part))})", level=1)
        for _, row in part.iterrows():
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(cite(row, lang) + ". ").bold = True
            p.add_run(str(row["text"] or ""))
            p.add_run(
                "\n"
                + t(
                    "worklist.docx_line", lang,
                    agency=_agencies(row["agency"], lang) or "—", item=row["plan_item"] if isinstance(row["plan_item"], str) else "—",
                    gov=_status(row["gov_status"], lang), gov_date=_day(row["gov_as_of"]) or "—",
                    ngo=_status(row["ngo_status"], lang), ngo_date=_day(row["ngo_as_of"]) or "—",
                )
            )  # fmt: skip
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def work_list_counts(df: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    """Recommendations of the work list per agency (each agency of a shared one counts it) or per plan item."""
    if by == "agency":
        keys = df["agency"].fillna("").str.split(", ").explode()
        counts = keys.value_counts()
        names = {a.code: a for a in load_agencies()}
        labels = [names[k].name(lang) if k in names else t("worklist.no_agency", lang) for k in counts.index]
    else:
        keys = df["plan_item"].fillna("").str.split(", ").explode()
        counts = keys.value_counts()
        labels = [k or t("worklist.no_item", lang) for k in counts.index]
    return pd.DataFrame({t(f"worklist.group_{by}", lang): labels, t("worklist.col_count", lang): counts.to_numpy()})

"""The work list: a count made by hand, its xlsx and DOCX with the same rows, and its page in each language."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from docx import Document

from tests.test_app import run_app
from upr import queries as q
from upr.filters import Filters
from upr.i18n import LANGS, t
from upr.worklist import work_list_counts, work_list_docx, work_list_xlsx

BEFORE = date(2026, 1, 1)


@pytest.mark.parametrize("lang", LANGS)
def test_exports_hold_the_same_rows(demo_con, lang):
    df = q.work_list(demo_con, Filters(), 4, BEFORE, lang)
    assert len(df) == 259
    wb = openpyxl.load_workbook(io.BytesIO(work_list_xlsx(df, lang)))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == t("worklist.col_ref", lang) and len(rows[0]) == 11
    assert len(rows) - 1 == 259
    assert [r[0].split(" ")[0] for r in rows[1:]] == df["ref"].tolist()
    supported = q.supported_count(demo_con, Filters(), 4)
    for by in ("theme", "section"):
        doc = Document(io.BytesIO(work_list_docx(df, lang, cycle=4, before=BEFORE, supported=supported, by=by,
                                                 sections={i: f"S{i}" for i in range(1, 10)})))  # fmt: skip
        assert doc.paragraphs[0].text == t("worklist.docx_title", lang)
        cited = [p.runs[0].text.split(" ")[0] for p in doc.paragraphs if p.style.name == "List Bullet"]
        assert sorted(cited) == sorted(df["ref"])
        assert "259" in doc.paragraphs[1].text and str(supported) in doc.paragraphs[1].text


def test_counts_by_agency_and_item(demo_con):
    df = q.work_list(demo_con, Filters(), 4, BEFORE, "ru")
    by_item = work_list_counts(df, "item", "ru")
    assert by_item.iloc[:, 1].sum() == df["plan_item"].fillna("").str.split(", ").explode().size
    by_agency = work_list_counts(df, "agency", "ru")
    assert by_agency.iloc[:, 1].sum() >= 259


@pytest.mark.parametrize("lang", LANGS)
def test_work_list_page(app_db, lang):
    at = run_app(lang, "pages/worklist.py", worklist_before=BEFORE)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("worklist.title", lang)
    assert len(at.dataframe[1].value) == 259

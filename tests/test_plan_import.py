"""The plan importer: a plan table in xlsx/csv, headers in ru/en/kk, checked, previewed, imported, reverted."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from etl.demo_plan import SECTIONS, demo_plan
from etl.importer import import_file, read_file
from etl.readers.plan import parse_deadline, split_refs
from etl.revert import revert_import
from upr import db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "plan"
HEADERS = {
    "ru": ["№ п/п", "Наименование мероприятия", "Форма завершения", "Ответственные исполнители", "Срок исполнения",
           "Рекомендации УПО"],
    "kk": ["Р/с №", "Іс-шараның атауы", "Аяқтау нысаны", "Жауапты орындаушылар", "Орындау мерзімі", "ЖМШ ұсынымдары"],
}  # fmt: skip


@pytest.fixture
def dcon(demo_file, tmp_path):
    path = tmp_path / "db.duckdb"
    shutil.copyfile(demo_file, path)
    con = db.connect(path)
    yield con
    con.close()


def write_plan(path: Path, con, lang: str = "ru", bad_agency: int | None = None, bad_rec: int | None = None) -> Path:
    """The demo plan as a government would publish it: 9 section rows, 41 items, references as paragraphs."""
    plan = demo_plan(con)
    abbr = {a: ab for a, ab in con.execute("SELECT code, abbr_ru FROM agency").fetchall()}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["План действий в области прав человека (пример для теста)"])
    ws.append(HEADERS[lang])
    section = None
    for n, item in enumerate(plan.items, start=1):
        if item.section != section:
            section = item.section
            ws.append([f"{section + 1}. {plan.sections[section]}"])
        executors = "; ".join(abbr[c] for c in item.agencies)
        refs = ", ".join(r.split("-", 2)[2] for r in item.refs)
        if n == bad_agency:
            executors += "; Министерство чудес"
        if n == bad_rec:
            refs += ", 156.999"
        ws.append([n, item.measure, item.completion_form, executors, item.deadline_text, refs])
    wb.save(path)
    return path


def test_deadlines_as_written_and_the_day_they_allow():
    assert parse_deadline("IV квартал 2024 года") == ("IV квартал 2024 года", date(2024, 12, 31))
    assert parse_deadline("II квартал 2025 года")[1] == date(2025, 6, 30)
    assert parse_deadline("2025–2026 годы")[1] == date(2026, 12, 31)
    assert parse_deadline("декабрь 2024 года")[1] == date(2024, 12, 31)
    assert parse_deadline("до 01.07.2025")[1] == date(2025, 7, 1)
    assert parse_deadline("Q4 2025")[1] == date(2025, 12, 31)
    assert parse_deadline("2024 жылғы IV тоқсан")[1] == date(2024, 12, 31)
    assert parse_deadline("ежегодно") == ("ежегодно", None)
    assert parse_deadline(None) == (None, None)


def test_references_with_ranges_and_ids():
    assert split_refs("139.12, 139.15–139.17") == ["139.12", "139.15", "139.16", "139.17"]
    assert split_refs("156.2-4; KAZ-3-134.7") == ["156.2", "156.3", "156.4", "KAZ-3-134.7"]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_plan_of_41_items_previews_imports_and_reverts(dcon, tmp_path, lang):
    before = dcon.execute("SELECT count(*) FROM plan_item").fetchall()[0][0]
    path = write_plan(tmp_path / f"plan_{lang}.xlsx", dcon, lang)
    preview = import_file(dcon, path, dry_run=True)
    assert not preview.errors, [str(p) for p in preview.errors]
    assert (preview.format, preview.added) == ("plan", 41)
    assert dcon.execute("SELECT count(*) FROM plan_item").fetchall()[0][0] == before  # a preview writes nothing
    report = import_file(dcon, path)
    assert report.import_id is not None and report.added == 41
    iid = report.import_id
    assert dcon.execute("SELECT count(*) FROM plan_section WHERE import_id = ?", [iid]).fetchall() == [(9,)]
    assert dcon.execute("SELECT count(*) FROM plan_item WHERE import_id = ?", [iid]).fetchall() == [(41,)]
    links = sum(len(i.refs) for i in demo_plan(dcon).items)
    assert dcon.execute("SELECT count(*) FROM plan_item_rec WHERE import_id = ?", [iid]).fetchall() == [(links,)]
    first = dcon.execute(
        "SELECT i.number, i.lead_agency, i.deadline FROM plan_item i WHERE import_id = ? ORDER BY sort LIMIT 1", [iid]
    ).fetchall()
    assert first == [("1", "MIA", date(2024, 12, 31))]
    assert import_file(dcon, path).already_imported == iid  # the same file again changes nothing
    revert_import(dcon, iid, "test")
    for table in ("plan", "plan_section", "plan_item", "plan_item_agency", "plan_item_rec", "rec_agency"):
        assert dcon.execute(f"SELECT count(*) FROM {table} WHERE import_id = ?", [iid]).fetchall() == [(0,)]  # noqa: S608


def test_unknown_agency_and_recommendation_are_both_named(dcon, tmp_path):
    path = write_plan(tmp_path / "plan_bad.xlsx", dcon, bad_agency=3, bad_rec=7)
    report = import_file(dcon, path)
    assert report.import_id is None
    errors = sorted((p.row, p.column, p.value, p.code) for p in report.errors)
    # Row 2 is the header; a section row precedes items 1-5: item n sits on row n + 3.
    assert errors == [
        (6, "Ответственные исполнители", "Министерство чудес", "plan_unknown_agency"),
        (11, "Рекомендации УПО", "156.999", "plan_unknown_rec"),
    ]
    assert dcon.execute("SELECT count(*) FROM plan").fetchall() == [(1,)]  # only the demo's


def test_english_csv_with_cycle_in_header(dcon):
    batch = read_file(FIXTURES / "plan_en.csv")
    assert batch.format == "plan" and not batch.errors
    plan = batch.plan
    assert (plan.name, plan.cycle, plan.sections) == ("Interagency plan (sample)", 4, ["Criminal justice"])
    assert [i.agencies for i in plan.items] == [["GP", "MIA"], ["MJ"]]
    assert plan.items[0].refs == ["156.1", "156.2", "156.3", "156.4"]
    report = import_file(dcon, FIXTURES / "plan_en.csv", dry_run=True)
    assert not report.errors and report.added == 2


def test_cp1251_csv_with_semicolons_names_every_problem(dcon):
    report = import_file(dcon, FIXTURES / "plan_bad_ru.csv")
    assert report.import_id is None
    assert sorted((p.row, p.code, p.value) for p in report.errors) == [
        (3, "plan_unknown_agency", "Министерство чудес"),
        (3, "plan_unknown_rec", "156.999"),
    ]


def test_demo_plan_shape():
    assert len(SECTIONS) == 9
    assert sum(len(items) for _, items in SECTIONS) == 41


def test_upload_reads_a_plan_in_its_child_process():
    from etl.sandbox import read_isolated

    batch = read_isolated(FIXTURES / "plan_en.csv")
    assert batch.format == "plan" and not batch.errors
    assert [i.number for i in batch.plan.items] == ["1", "2"]


@pytest.mark.parametrize("lang", ["ru", "en", "kk"])
def test_template_reads_back_as_a_plan(tmp_path, lang):
    from etl.readers.plan import plan_template_xlsx

    path = tmp_path / f"template_{lang}.xlsx"
    path.write_bytes(plan_template_xlsx(lang, 3))
    batch = read_file(path)
    assert batch.format == "plan" and not batch.errors, [str(p) for p in batch.errors]
    plan = batch.plan
    assert (plan.cycle, len(plan.sections), len(plan.items)) == (3, 1, 1)
    assert plan.items[0].agencies == ["MJ", "GP"]
    assert plan.items[0].refs == ["139.12", "139.15", "139.16", "139.17"]
    assert plan.items[0].deadline == date(2025, 12, 31)

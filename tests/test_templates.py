"""Our two templates: every header language, encoding and separator; every kind of bad file."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from etl.detect import read_any
from etl.importer import import_file
from etl.messages import problem_text
from tests.conftest import FIXTURES

T = FIXTURES / "templates"
ASSESS_RU = ["ID рекомендации", "Тип источника", "Организация", "Статус", "Дата оценки", "Комментарий"]


def snapshot(con) -> dict[str, list]:
    """Every row of every data table, to prove a refused file changed nothing."""
    tables = [
        "import",
        "review",
        "recommendation",
        "rec_text",
        "rec_source",
        "rec_state",
        "rec_theme",
        "rec_group",
        "rec_sdg",
        "organisation",
        "assessment",
        "conflict",
        "rec_change",
        "document",
    ]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}  # noqa: S608


def write_csv(path: Path, rows: list[list], sep: str = ",", encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list], sheet: str = "data") -> Path:
    wb = Workbook()
    wb.active.title = sheet
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.fixture
def recs_con(con):
    report = import_file(con, T / "recommendations_en.csv")
    assert report.added == 4 and not report.errors
    return con


@pytest.mark.parametrize("name", ["recommendations_en.csv", "recommendations_ru.xlsx"])
def test_recommendation_template_reads_in_any_header_language(name):
    batch = read_any(T / name)
    assert batch.format == "template_recommendations"
    assert batch.problems == []
    first = batch.recommendations[0]
    assert (first.rec_id, first.sur, first.cycle, first.session, first.ref) == ("TST-1", "Kazakhstan", 3, 34, "134.1")
    assert first.recommending == ["France", "Norway"]
    assert (first.response, first.action, first.themes, first.sdgs) == ("supported", 5, ["Death penalty"], ["16"])
    last = batch.recommendations[-1]
    assert (last.sur, last.response, last.recommending, last.groups) == (
        "Казахстан",
        "supported",
        ["Кыргызстан"],
        ["Мигранты"],
    )


def test_recommendation_template_loads_with_names_resolved(recs_con):
    rows = recs_con.execute(
        "SELECT r.id, v.sur_iso3, v.cycle, r.ref, r.response, r.action_category, r.agency FROM recommendation r "
        "JOIN review v ON v.id = r.review_id ORDER BY r.id"
    ).fetchall()
    assert rows == [
        ("TST-1", "KAZ", 3, "134.1", "supported", 5, "Ministry of Justice"),
        ("TST-2", "KAZ", 3, "134.2", "supported", 5, None),
        ("TST-3", "KAZ", 3, "135.1", "noted", 5, None),
        ("TST-4", "KAZ", 4, "156.1", "supported", 4, None),
    ]
    states = recs_con.execute("SELECT rec_id, iso3, source_label FROM rec_state ORDER BY ALL").fetchall()
    assert states == [
        ("TST-1", "FRA", "France"),
        ("TST-1", "NOR", "Norway"),
        ("TST-2", "SWE", "Sweden"),
        ("TST-3", "EST", "Estonia"),
        ("TST-4", "KGZ", "Кыргызстан"),
    ]
    themes = recs_con.execute("SELECT rec_id, theme_code, source_label FROM rec_theme ORDER BY ALL").fetchall()
    assert themes == [
        ("TST-1", "death_penalty", "Death penalty"),
        ("TST-2", "women", "Women's rights and gender equality"),
        ("TST-3", "international_instruments", "International instruments"),
        ("TST-4", "migrants_refugees", "Мигранты, беженцы и лица без гражданства"),
    ]
    assert recs_con.execute("SELECT rec_id, sdg, goal FROM rec_sdg ORDER BY ALL").fetchall() == [
        ("TST-1", "16", 16),
        ("TST-2", "5.2", 5),
        ("TST-4", "10.7", 10),
    ]


@pytest.mark.parametrize("name", ["assessments_ru_cp1251.csv", "assessments_ru_bom.csv", "assessments_kk.xlsx"])
def test_assessment_template_any_encoding_separator_language(name, recs_con):
    batch = read_any(T / name)
    assert batch.format == "template_assessments"
    assert batch.problems == []
    got = [(a.rec_id, a.source_kind, a.organisation, a.status, a.as_of) for a in batch.assessments]
    # The blank row is skipped and TST-3 (no status) was not assessed in this file.
    assert got == [
        ("TST-1", "ngo", "Коалиция НПО", "implemented", date(2024, 10, 31)),
        ("TST-2", "ngo", "Коалиция НПО", "partially_implemented", date(2024, 10, 31)),
        ("TST-4", "ngo", "Коалиция НПО", "no_progress", date(2024, 10, 31)),
    ]
    assert batch.assessments[0].evidence == "https://example.org/law"
    assert batch.assessments[2].comment == "=1+1 нет изменений"  # stored as written; neutralised on export
    report = import_file(recs_con, T / name)
    assert (report.added, report.updated, report.unchanged, report.errors) == (3, 0, 0, [])


def test_reimporting_the_same_file_changes_nothing(recs_con):
    import_file(recs_con, T / "assessments_ru_cp1251.csv")
    before = snapshot(recs_con)
    again = import_file(recs_con, T / "assessments_ru_cp1251.csv")
    assert again.already_imported == 2 and again.import_id is None
    assert snapshot(recs_con) == before
    # The same content in another encoding and container is a different file, but nothing new.
    other = import_file(recs_con, T / "assessments_kk.xlsx")
    assert (other.added, other.updated, other.unchanged) == (0, 0, 3)
    after = snapshot(recs_con)
    assert after["assessment"] == before["assessment"]
    recs_again = import_file(recs_con, T / "recommendations_ru.xlsx")
    assert (recs_again.added, recs_again.updated, recs_again.unchanged) == (0, 0, 4)


def test_newer_assessments_grow_the_history_and_the_latest_is_current(recs_con, tmp_path):
    from upr.queries import assessment_summary

    import_file(recs_con, T / "assessments_ru_cp1251.csv")
    newer = write_csv(
        tmp_path / "newer.csv",
        [
            ASSESS_RU,
            ["TST-1", "ngo", "Коалиция НПО", "Выполнена", "2025-06-30", "Закон 2021 года"],
            ["TST-2", "ngo", "Коалиция НПО", "Выполнена", "2025-06-30", "Закон принят"],
            ["TST-4", "ngo", "Коалиция НПО", "Выполняется", "2025-06-30", ""],
        ],
    )
    report = import_file(recs_con, newer)
    # TST-1's comment changed (the old one had evidence), so it is a new assessment too.
    assert (report.added, report.updated, report.unchanged) == (0, 3, 0)
    assert [(c["rec_id"], c["old"], c["new"]) for c in report.changes] == [
        ("TST-1", "implemented", "implemented"),
        ("TST-2", "partially_implemented", "implemented"),
        ("TST-4", "no_progress", "in_progress"),
    ]
    history = recs_con.execute(
        "SELECT rec_id, status, as_of FROM assessment WHERE rec_id = 'TST-2' ORDER BY as_of"
    ).fetchall()
    assert history == [
        ("TST-2", "partially_implemented", date(2024, 10, 31)),
        ("TST-2", "implemented", date(2025, 6, 30)),
    ]
    assert assessment_summary(recs_con) == [
        {"source": "ngo", "organisation": "Коалиция НПО", "statuses": {"implemented": 2, "in_progress": 1}}
    ]


def test_three_bad_cells_are_all_named_and_nothing_changes(recs_con, tmp_path):
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            ASSESS_RU,
            ["TST-1", "НПО", "Коалиция НПО", "Почти готово", "2024-10-31", ""],
            ["TST-2", "НПО", "Коалиция НПО", "Выполнена", "31/13/2024", ""],
            ["TST-4", "Газета", "Коалиция НПО", "Выполнена", "2024-10-31", ""],
        ],
        sep=";",
        encoding="cp1251",
    )
    before = snapshot(recs_con)
    report = import_file(recs_con, bad)
    assert report.refused and report.import_id is None
    assert [(p.row, p.column, p.value) for p in report.errors] == [
        (2, "Статус", "Почти готово"),
        (3, "Дата оценки", "31/13/2024"),
        (4, "Тип источника", "Газета"),
    ]
    assert [p.code for p in report.errors] == ["bad_status", "bad_date", "bad_source_kind"]
    # The allowed values are listed, in the reader's language.
    assert problem_text(report.errors[0], "ru") == (
        "Ожидается один из статусов: «Выполнена», «Выполнена частично», «Выполняется», «Выполнена формально», "
        "«Нет прогресса», «Не выполнена», «Не оценена»."
    )
    assert str(report.errors[2]).startswith("bad.csv, row 4, column «Тип источника»: found «Газета»: Expected one of")
    assert snapshot(recs_con) == before


def test_unknown_recommendation_id_is_refused(recs_con, tmp_path):
    bad = write_csv(
        tmp_path / "unknown.csv", [ASSESS_RU, ["NOPE-1", "ngo", "Коалиция НПО", "Выполнена", "2024-10-31", ""]]
    )
    before = snapshot(recs_con)
    report = import_file(recs_con, bad)
    assert [(p.row, p.column, p.value, p.code) for p in report.errors] == [
        (2, "ID рекомендации", "NOPE-1", "unknown_id")
    ]
    assert snapshot(recs_con) == before


def test_wrong_headers_are_refused_naming_what_was_expected(con, tmp_path):
    bad = write_csv(tmp_path / "headers.csv", [["ID рекомендации", "Статус", "Что-то"], ["TST-1", "Выполнена", "x"]])
    report = import_file(con, bad)
    assert report.refused
    expected = sorted(problem_text(p, "ru") for p in report.errors)
    assert expected == [
        "Нужен столбец «Дата оценки» (или «As of», «Бағалау күні»).",
        "Нужен столбец «Организация» (или «Organisation», «Ұйым»).",
        "Нужен столбец «Тип источника» (или «Source kind», «Дереккөз түрі»).",
    ]
    unknown = write_csv(tmp_path / "unknown.csv", [["Foo", "Bar"], ["1", "2"]])
    report = import_file(con, unknown)
    assert report.refused and "our recommendations or assessments template" in report.errors[0].expected


def test_wrong_types_and_duplicate_ids_in_the_recommendation_template(con, tmp_path):
    header = ["Recommendation ID", "State under review", "Cycle", "Recommendation", "Response", "Action category"]
    bad = write_xlsx(
        tmp_path / "recs.xlsx",
        [
            header,
            ["X-1", "Kazakhstan", 5, "Text one", "Supported", 3],
            ["X-1", "Kazakhstan", 3, "Text two", "Maybe", 9],
            [None, None, None, None, None, None],
            ["X-3", "Narnia", 3, "", "Noted", 2],
        ],
        sheet="Recs",
    )
    report = import_file(con, bad)
    assert [(p.sheet, p.row, p.column, p.value) for p in report.errors] == [
        ("Recs", 2, "Cycle", "5"),
        ("Recs", 3, "Response", "Maybe"),
        ("Recs", 3, "Action category", "9"),
        ("Recs", 3, "Recommendation ID", "X-1"),
        ("Recs", 5, "Recommendation", ""),
    ]
    assert con.execute("SELECT count(*) FROM recommendation").fetchall() == [(0,)]


def test_unknown_state_under_review_is_an_error(con, tmp_path):
    bad = write_csv(
        tmp_path / "narnia.csv", [["State under review", "Cycle", "Recommendation"], ["Narnia", "3", "Do something"]]
    )
    report = import_file(con, bad)
    assert [(p.row, p.column, p.value) for p in report.errors] == [(2, "State under review", "Narnia")]


@pytest.mark.parametrize("content", ["ID;Статус\n".encode("utf-16"), b"\x00\x01\x02garbage"])
def test_wrong_encoding_is_refused(con, tmp_path, content):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    report = import_file(con, bad)
    assert report.refused
    assert [p.code for p in report.errors] == ["csv_binary"]
    assert "CSV UTF-8" in report.errors[0].expected


def test_empty_file_is_refused(con, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = import_file(con, empty)
    assert report.refused and [p.code for p in report.errors] == ["empty_file"]


def test_a_dry_run_changes_nothing_and_uses_no_import_number(recs_con):
    before = snapshot(recs_con)
    preview = import_file(recs_con, T / "assessments_ru_cp1251.csv", dry_run=True)
    assert (preview.added, preview.import_id) == (3, None)
    assert snapshot(recs_con) == before
    real = import_file(recs_con, T / "assessments_ru_cp1251.csv")
    assert real.import_id == 2  # the recommendations were import 1

"""The corpus of bad and hostile files (tests/fixtures/hostile): every one is refused with a located
message in each language, or read correctly; none gives a traceback, changes the database, or makes
the reading process take more than its memory limit; and a reader that runs away is stopped."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from etl.detect import read_any
from etl.importer import import_file
from etl.messages import full_text, problem_text
from etl.sandbox import READ_MEMORY_MB, read_isolated
from tests.conftest import ROOT, fixture_builder
from tests.test_revert import dump
from upr import db
from upr.i18n import LANGS, catalog

hostile = fixture_builder("hostile/build_hostile")
CORPUS = hostile.CORPUS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return hostile.build(tmp_path_factory.mktemp("hostile"))


# Reads every file in the sandbox from a process of its own, so that the peak memory of its
# children is the sandbox's alone (the suite's other children, chromium among them, are not).
_READ_ALL = """
import pickle, resource, sys
from pathlib import Path
from etl.sandbox import read_isolated
names, paths = sys.argv[2::2], sys.argv[3::2]
batches = {name: read_isolated(Path(path)) for name, path in zip(names, paths)}
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
Path(sys.argv[1]).write_bytes(pickle.dumps((batches, peak_kb)))
"""


@pytest.fixture(scope="module")
def read_in_sandbox(corpus, tmp_path_factory):
    """Every file of the corpus read in the sandbox, once: (batches by name, the children's peak kB)."""
    out = tmp_path_factory.mktemp("sandboxed") / "batches.pickle"
    args = [str(a) for name, path in corpus.items() for a in (name, path)]
    subprocess.run([sys.executable, "-c", _READ_ALL, str(out), *args], cwd=ROOT, check=True)
    return pickle.loads(out.read_bytes())  # noqa: S301 - our own file, just written


@pytest.fixture(scope="module")
def isolated(read_in_sandbox):
    return read_in_sandbox[0]


def _expect(batch, name: str) -> None:
    outcome, what = CORPUS[name][1]
    if outcome == "refused":
        assert batch.errors, name
        assert what in [p.code for p in batch.errors], (name, [str(p) for p in batch.problems])
    else:
        assert batch.format == what and not batch.errors, (name, [str(p) for p in batch.problems])


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_file_is_refused_with_its_message_or_read(isolated, name):
    batch = isolated[name]
    _expect(batch, name)
    for p in batch.problems:
        assert p.code and f"problems.{p.code}" in catalog("en") or p.severity == "warning", str(p)
        for lang in LANGS:
            text = full_text(p, lang)
            assert "Traceback" not in text and "/tmp/" not in text and "/work/" not in text, text
            assert "{" not in problem_text(p, lang), (lang, text)  # every parameter filled in


def test_the_corpus_names_every_kind_of_the_audit():
    kinds = {what for _, (_, what) in CORPUS.values()}
    assert {
        "limit_cells",
        "limit_rows",
        "limit_columns",
        "limit_shared_strings",
        "limit_xml_depth",
        "xml_doctype",
        "zip_damaged_part",
        "xml_broken",
        "limit_json_depth",
        "limit_json_number",
        "csv_mixed_separators",
        "formula_without_value",
        "duplicate_column",
        "no_rows",
        "format_missing_columns",
        "format_misspelt_columns",
        "encrypted_workbook",
        "template_assessments",  # a BOM followed by cp1251, read correctly
        "upr_info",  # Latin-1, read correctly
    } <= kinds


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_in_process_reading_gives_the_same_answer(corpus, isolated, name):
    """The checks come before any reader: read in the server's own process, no file gets further."""
    batch = read_any(corpus[name])
    assert [(p.code, p.row, p.column) for p in batch.problems] == [
        (p.code, p.row, p.column) for p in isolated[name].problems
    ]


def test_no_read_took_more_than_its_memory_limit(read_in_sandbox):
    peak_kb = read_in_sandbox[1]
    assert peak_kb < (READ_MEMORY_MB + 300) * 1024  # the limit, plus the interpreter and its libraries


def test_read_correctly_with_a_word_about_how(isolated):
    latin = isolated["latin1.csv"]
    assert latin.all_recommendations()[0].text == "Réformer le système judiciaire."
    assert [p.code for p in latin.problems] == ["note_encoding"]
    assert "Windows-1252" in problem_text(latin.problems[0], "ru")
    bom = isolated["bom_cp1251.csv"]
    assert [(a.organisation, a.status) for a in bom.assessments] == [("Кадыр-Касиет", "implemented")]
    assert [p.code for p in bom.problems] == ["note_bom_mismatch"]


def test_located_messages(isolated):
    (formula, second) = isolated["formulas.xlsx"].errors
    assert (formula.sheet, formula.row, formula.column, formula.value) == (
        "Sheet",
        3,
        "D",
        '=IF(1=1,"Implemented","No progress")',
    )
    assert (second.row, second.value) == (4, "=D2")
    mixed = isolated["mixed_separators.csv"].errors
    assert [(p.row, dict(p.params)) for p in mixed] == [
        (2, {"sep": ";", "other": ","}),
        (3, {"sep": ";", "other": ","}),
    ]
    (dup,) = isolated["duplicated_status.csv"].errors
    assert (dup.row, dup.column, dict(dup.params)) == (1, "Status", {"label": "Status", "first": "D", "second": "F"})
    (crc,) = isolated["bad_crc.xlsx"].errors
    assert dict(crc.params) == {"part": "xl/worksheets/sheet1.xml", "why": "checksum"}
    (misspelt,) = isolated["upr_info_misspelt.csv"].errors
    assert dict(misspelt.params)["fixes"] == "«Reponse» → «Response»"
    assert problem_text(misspelt, "ru").startswith(
        "Похоже, это выгрузка UPR Info (.xls/.xlsx/.csv), но нет столбцов «Response»"
    )
    (dim,) = isolated["dimension_bomb.xlsx"].errors
    assert problem_text(dim, "en") == "The sheet has 1,048,576 rows (as the sheet declares it); the limit is 1,000,000."
    (area,) = isolated["big_area.xlsx"].errors
    assert problem_text(area, "en").startswith("The sheet spans 10,000 × 702 = 7,020,000 cells (rows × columns")


def test_no_refused_file_changes_the_database(corpus, isolated, demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    con = db.connect(demo_copy)
    try:
        before = dump(con)
        for name, path in corpus.items():
            if CORPUS[name][1][0] == "refused":
                report = import_file(con, path, who="boss", batch=isolated[name])
                assert report.refused and report.import_id is None, name
        assert dump(con) == before
        assert not list((tmp_path / "store").glob("**/*"))
    finally:
        con.close()


@pytest.mark.parametrize(
    "reader, code, timeout_s",
    [
        ("tests.hostile_readers:calamine_unguarded", "limit_memory", 60),  # the 512 GB grid, allocated for real
        ("tests.hostile_readers:hoard", "limit_memory", 60),
        ("tests.hostile_readers:loop", "limit_time", 3),
        ("tests.hostile_readers:crash", "reader_crashed", 60),
    ],
)
def test_a_reader_that_runs_away_is_stopped(corpus, reader, code, timeout_s):
    batch = read_isolated(corpus["far_cell.xlsx"], reader=reader, timeout_s=timeout_s)
    assert [p.code for p in batch.errors] == [code]
    assert all("{" not in problem_text(p, lang) for p in batch.errors for lang in LANGS)

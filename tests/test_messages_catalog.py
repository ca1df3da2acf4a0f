"""Every message a reader or the importer gives comes from the `problems` catalog.

Each reader is driven over bad inputs (the hostile corpus and files made here for every format), and
the import of documents that do not fit the database; every problem found must be worded by a catalog
key in Russian and Kazakh, differ from its English wording, name its place (column) in the reader's
language, and leave no English word outside the quotations of the document it speaks of.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

from etl.detect import read_any
from etl.importer import import_file
from etl.messages import _worded, column_text, full_text, problem_text
from etl.model import Problem
from etl.readers.wg_report import parse_wg_report
from tests.conftest import FIXTURES, ROOT, fixture_builder
from tests.test_order_reconcile import write_upr_info
from upr import db
from upr.i18n import catalog

hostile = fixture_builder("hostile/build_hostile")
builder = fixture_builder("build_uhri_matrix")

HEAD = """A/HRC/99/4
Report of the Working Group on the Universal Periodic Review
{sur}
1. The Working Group on the Universal Periodic Review held its twentieth session from 27 October to
7 November 2014. The review of {sur} was held at the 3rd meeting on 28 October 2014.
II. Conclusions and/or recommendations
110. {lead_in}
110.1 Ratify CAT (Chile);
110.2 Ratify CED (Spain).
110.4 Ratify CRPD (Peru); 110.5 Ratify the Convention on migrants (Peru).
111. All conclusions and/or recommendations contained in the present report reflect the position of the
submitting State(s) and/or the State under review.
"""
SUPPORT = "The following recommendations enjoy the support of the State under review:"
ONE_ROW = [[["124.1 Ratify the Convention (Chile);", "Supported", "A12 Acceptance of international norms", ""]]]
MATRIX_TITLE = ["UPR of Kazakhstan (3rd Cycle – 34th session)"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _bad_files(tmp: Path) -> dict[str, Path]:
    """Bad inputs of every format, beyond the hostile corpus: each reader's own complaints."""
    files = {f"hostile/{name}": path for name, path in hostile.build(tmp / "hostile").items()}
    wg = tmp / "wg"
    wg.mkdir()
    files |= {
        "wg/misprinted.txt": FIXTURES / "wg_report" / "layout.txt",
        "wg/plain.txt": FIXTURES / "wg_report" / "cycle1_plain.txt",
        "wg/no_section.txt": _write(wg / "no_section.txt", "Report of the Working Group on the UPR\nNothing.\n"),
        "wg/no_items.txt": _write(
            wg / "no_items.txt",
            "Report of the Working Group on the Universal Periodic Review\nKazakhstan\n"
            "II. Conclusions and/or recommendations\n110. Nothing follows.\n",
        ),
        "wg/two_positions.txt": _write(
            wg / "two_positions.txt",
            HEAD.format(
                sur="Fiji",
                lead_in="Those that enjoy the support of Fiji, and those that did not enjoy the support of Fiji "
                "were noted:",
            ),
        ),
        "wg/no_position.txt": _write(
            wg / "no_position.txt", HEAD.format(sur="Fiji", lead_in="The recommendations below were discussed:")
        ),
        "wg/no_review_sentence.txt": _write(
            wg / "no_review_sentence.txt",
            HEAD.format(sur="Fiji", lead_in=SUPPORT).replace("The review of Fiji was held", "The talk was held"),
        ),
        "wg/misspelt_sur.txt": _write(wg / "misspelt_sur.txt", HEAD.format(sur="Kazakstan", lead_in=SUPPORT)),
        "wg/broken.pdf": wg / "broken.pdf",
    }
    files["wg/broken.pdf"].write_bytes(b"%PDF-1.4 this is not really a PDF")
    add = tmp / "addendum"
    add.mkdir()
    lists = (FIXTURES / "addendum" / "addendum_lists.txt").read_text(encoding="utf-8")
    files |= {
        "addendum/lists.txt": FIXTURES / "addendum" / "addendum_lists.txt",
        "addendum/prose.txt": FIXTURES / "addendum" / "addendum_prose.txt",
        "addendum/twice.txt": _write(
            add / "twice.txt", lists.replace("recommendation 98.20.", "recommendations 98.20 and 98.3.")
        ),
        "addendum/ranges.txt": _write(
            add / "ranges.txt",
            lists.replace("recommendation 98.20.", "recommendations 98.20, 98.25-97.3, 98.40-98.31 and 98.3."),
        ),
        "addendum/no_symbol.txt": _write(add / "no_symbol.txt", re.sub(r"A/HRC/\S+", "", lists)),
    }
    mx = tmp / "matrix"
    mx.mkdir()
    files |= {
        "matrix/cycle2.docx": FIXTURES / "matrix" / "matrix_cycle2.docx",
        "matrix/no_title.docx": builder.write_matrix(
            mx / "no_title.docx", ["Thematic list of recommendations"], builder.CYCLE2_HEADERS, ONE_ROW
        ),
        "matrix/no_cycle.docx": builder.write_matrix(
            mx / "no_cycle.docx", ["UPR of Kazakhstan"], builder.CYCLE2_HEADERS, ONE_ROW
        ),
        "matrix/other_cycle.docx": builder.write_matrix(
            mx / "other_cycle.docx",
            ["UPR of Kazakhstan (3rd Cycle – 20th session)"],
            builder.CYCLE2_HEADERS,
            [[["Ratify the Convention;", "Perhaps", "A12 Acceptance; SDGs: SDG 99", ""]]],
        ),
        "matrix/no_table.docx": builder.write_matrix(
            mx / "no_table.docx", MATRIX_TITLE, ["Name", "Value"], [[["a", "b"]]]
        ),
        "matrix/not_docx.docx": _write(mx / "not_docx.docx", "plain text"),
    }
    uh = tmp / "uhri"
    uh.mkdir()
    record = builder.UHRI_RECORDS[0]
    odd = [
        dict(record, Countries="- Kazakhstan\n- Uzbekistan"),
        dict(record, UprCycle="Cycle 3", UprSession="20th session"),
        dict(record, UprCycle="the last one", UprSession="soon"),
        {k: v for k, v in record.items() if k not in ("UprCycle", "UprSession")},
        dict(record, UprPositions="- Perhaps", Sdgs="- Peace"),
        dict(record, Text=""),
    ]
    files |= {
        "uhri/export.json": FIXTURES / "uhri" / "uhri_export.json",
        "uhri/odd.json": builder.write_uhri_json(uh / "odd.json", odd),
        "uhri/no_body.json": builder.write_uhri_json(
            uh / "no_body.json", [{k: v for k, v in r.items() if k != "Body"} for r in builder.UHRI_RECORDS]
        ),
        "uhri/missing_column.xlsx": builder.write_uhri_xlsx(
            uh / "missing_column.xlsx",
            headers=["Text", "Reccomending Body", "UPR Position", "UPR Session"],
            rows=[["48.5 Ratify (Chile)", "- UPR", "- Supported", "48"]],
        ),
        "uhri/no_body.xlsx": builder.write_uhri_xlsx(
            uh / "no_body.xlsx",
            headers=["Text", "Countries Concerned", "UPR Position", "UPR Session"],
            rows=[["48.5 Ratify (Chile)", "Kazakhstan", "- Supported", "48"]],
        ),
    }
    tpl = tmp / "templates"
    tpl.mkdir()
    files |= {
        "templates/assessments.csv": _write(
            tpl / "assessments.csv",
            "ID рекомендации;Тип источника;Организация;Статус;Дата оценки;Комментарий\n"
            "KAZ-3-134.1;НПО;Кадыр-Касиет;Почти готово;2024-01-01;\n"
            "KAZ-3-134.2;Нечто;Кадыр-Касиет;Выполнена;вчера;\n"
            ";НПО;Кадыр-Касиет;Выполнена;2024-01-01;\n"
            "KAZ-3-134.3;НПО;;Выполнена;2999-12-31;\n"
            "KAZ-3-134.4;НПО;Кадыр-Касиет;Выполнена;2001-01-01;\n"
            "KAZ-3-134.4;НПО;Кадыр-Касиет;Выполнена;2024-01-01;\n"
            ";;;;;комментарий без строки\n",
        ),
        "templates/assessments_in_db.csv": _write(
            tpl / "assessments_in_db.csv",
            "ID рекомендации;Тип источника;Организация;Статус;Дата оценки\n"
            "KAZ-9-1.1;НПО;Коалиция НПО Казахстана по УПО;Выполнена;2024-01-01\n"
            "KAZ-3-134.5;Правительство;Коалиция НПО Казахстана по УПО;Выполнена;2024-01-01\n"
            "KAZ-3-134.6;НПО;Другая организация;Выполнена;2024-01-01\n",
        ),
        "templates/recommendations.csv": _write(
            tpl / "recommendations.csv",
            "Recommendation ID,State under review,Cycle,Session,Recommendation,Response,Action category\n"
            "X1,Kazakhstan,9,200,Do it,Perhaps,7\n"
            "X1,,3,,,,\n",
        ),
        "templates/no_status_column.csv": _write(
            tpl / "no_status_column.csv", "ID рекомендации;Статус;Дата оценки\nKAZ-3-134.1;Выполнена;\n"
        ),
    }
    ui = tmp / "upr_info"
    ui.mkdir()
    files |= {
        "upr_info/messy.csv": FIXTURES / "upr_info" / "upr_info_messy.csv",
        "upr_info/actions.csv": write_upr_info(
            ui / "actions.csv",
            [
                ("Protect journalists", "France", "Accepted", "3", "Justice"),
                ("Protect journalists", "Peru", "Accepted", "5", ""),
            ],
        ),
    }
    return files


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return _bad_files(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="module")
def problems(files, tmp_path_factory, demo_file) -> dict[str, list[Problem]]:
    """The problems of every file as the reader gives them, and those of importing the documents that
    do not fit the database (an addendum before its report, unknown States)."""
    found = {name: read_any(path).problems for name, path in files.items()}
    found["uhri/broken.json (reader)"] = _uhri_json(tmp_path_factory.mktemp("json"))
    found["wg/no_sur"] = parse_wg_report(
        HEAD.format(sur="Fiji", lead_in=SUPPORT)
        .replace("\nFiji\n", "\n")
        .replace("The review of Fiji was held", "A review was held"),
        "x.txt",
    ).problems
    con = db.connect(":memory:")
    import os

    os.environ["UPR_STORE"] = str(tmp_path_factory.mktemp("store"))
    found["import/addendum first"] = import_file(con, FIXTURES / "addendum" / "addendum_lists.txt").problems
    found["import/report"] = import_file(con, FIXTURES / "addendum" / "report_cycle4.txt").problems
    found["import/prose"] = import_file(con, FIXTURES / "addendum" / "addendum_prose.txt").problems
    two = tmp_path_factory.mktemp("two") / "report.txt"
    two.write_text(
        (FIXTURES / "addendum" / "report_cycle1.txt")
        .read_text(encoding="utf-8")
        .replace("10. To close the gender pay gap (Iceland).", "")
        .replace(
            "9. To continue", "91. The following recommendations did not enjoy the support of Uruguay:\n1. To continue"
        )
        .replace("91. All conclusions", "92. All conclusions"),
        encoding="utf-8",
    )
    other = db.connect(":memory:")
    import_file(other, two)
    found["import/bare numbers"] = import_file(other, FIXTURES / "addendum" / "addendum_prose.txt").problems
    from etl.readers.matrix import read_matrix_docx

    demo = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    shutil.copy(demo_file, demo)
    dcon = db.connect(demo)
    found["import/plan"] = import_file(dcon, FIXTURES / "plan" / "plan_bad_ru.csv", dry_run=True).problems
    found["import/assessments"] = import_file(
        dcon,
        files["templates/assessments_in_db.csv"],
        dry_run=True,
        allowed_organisation="Коалиция НПО Казахстана по УПО",
    ).problems
    dcon.close()

    for name in ("matrix/no_table.docx", "matrix/not_docx.docx"):
        found[f"{name} (matrix reader)"] = read_matrix_docx(files[name]).problems
    tmp = tmp_path_factory.mktemp("states")
    rows = [("Abolish the death penalty", "Kyrgystan", "Noted", "5", "Nonsense theme")]
    found["import/unknown sur"] = import_file(con, write_upr_info(tmp / "sur.csv", rows, sur="Kazakstan")).problems
    found["import/unknown state"] = import_file(con, write_upr_info(tmp / "rs.csv", rows)).problems
    return found


def _uhri_json(tmp: Path) -> list[Problem]:
    from etl.readers.uhri import read_uhri_json

    out: list[Problem] = []
    for name, raw in (
        ("broken.json", b'[{"Text": "Ratify",]'),
        ("latin1.json", '[{"Text": "Réformer"}]'.encode("latin-1")),
        ("other.json", json.dumps([{"name": "x"}]).encode()),
        ("numbers.json", b"[1, 2]"),
    ):
        (tmp / name).write_bytes(raw)
        out += read_uhri_json(tmp / name).problems
    out += read_uhri_json(builder.write_uhri_json(tmp / "mixed.json", [builder.UHRI_RECORDS[0], 7])).problems
    return out


# Words of the documents and formats themselves, which stay as they are in every language.
_KEPT = re.compile(
    r"\b(?:UTF|CSV|JSON|XML|PDF|DOCX|UHRI|UPR|SDG|ISO3|KAZ|Body|Excel|Word|DOCTYPE|Windows|Accepted|Supported|Noted|"
    r"Info|A/HRC|Add|KB|MB|xlsx|xls|docx|csv|txt|pdf|json)\b"
)


def _english_left(text: str) -> list[str]:
    """Latin words of four letters or more outside «quotations» and (parentheses): English left untranslated."""
    bare = re.sub(r"«[^«»]*»|\([^()]*\)|\{[^{}]*\}", " ", text)
    return re.findall(r"[A-Za-z]{4,}", _KEPT.sub(" ", bare))


def test_every_reader_and_the_importer_say_something(problems):
    """The bad inputs reach the readers' complaints: each format gives its own."""
    codes = {p.code for ps in problems.values() for p in ps}
    assert {
        "wg_no_section", "wg_no_items", "wg_misprinted_ref", "wg_next_ref", "wg_no_position", "wg_several_positions",
        "wg_no_sur", "wg_two_items", "document_unreadable", "report_no_review_sentence", "report_sur_from_title",
        "addendum_count_differs", "addendum_answered_differently", "addendum_unclear_replies",
        "addendum_range_paragraphs", "addendum_range_order", "addendum_waits", "addendum_no_such_rec",
        "addendum_bare_number", "matrix_no_sur", "matrix_no_cycle", "session_other_cycle", "matrix_no_table",
        "matrix_assessments_skipped", "matrix_no_states", "matrix_no_ref", "bad_position", "bad_sdg",
        "docx_unreadable", "missing_text", "uhri_several_sur", "uhri_bad_cycle", "uhri_bad_session",
        "uhri_no_cycle", "uhri_other_bodies", "uhri_no_body_field", "uhri_no_body_column", "uhri_missing_sur",
        "uhri_not_export", "uhri_not_object", "json_broken", "json_not_utf8", "upr_info_response_differs",
        "upr_info_action_differs", "worded_upr_info_response", "bad_action", "worded_session", "missing_sur",
        "bad_status", "bad_source_kind", "bad_date", "missing_id", "missing_org", "future_date", "early_date",
        "duplicate_row", "missing_id_status", "unknown_id", "kind_mismatch", "other_org", "bad_cycle", "bad_session",
        "bad_response", "duplicate_id", "missing_column", "plan_unknown_agency", "plan_unknown_rec",
    } <= codes  # fmt: skip
    worded = {p.expected for ps in problems.values() for p in ps if p.code is None}
    assert any(e.startswith("a State under review known to the UN list") for e in worded)
    assert any(e.startswith("a State known to the UN list; kept as written") for e in worded)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_message_is_worded_in_the_users_language(problems, lang):
    for name, found in problems.items():
        for p in found:
            if p.code is None:  # an older message recognised by its English wording
                assert _worded(p.expected, lang) is not None, (name, str(p))
            else:
                assert f"problems.{p.code}" in catalog(lang), (name, p.code)
            text, english = problem_text(p, lang), problem_text(p, "en")
            assert text != english, (name, lang, text)
            assert "{" not in text and "Traceback" not in text, (name, text)
            assert not _english_left(text), (name, lang, text, _english_left(text))
            legacy = p.code is None and p.column in ("State under review", "Recommending States")
            if dict(p.params).get("column_key") or legacy:
                assert column_text(p, lang) != column_text(p, "en"), (name, p.column)
            assert full_text(p, lang).startswith(p.file), (name, full_text(p, lang))


def test_a_located_message_in_russian_and_kazakh(problems):
    (twice,) = [p for p in problems["addendum/twice.txt"] if p.code == "addendum_answered_differently"]
    assert full_text(twice, "ru") == (
        "twice.txt, строка 42, столбец «рекомендация»: найдено «98.3»: На эту рекомендацию дано два разных ответа: "
        "«Поддержана» в строке 23 и «Принята к сведению» здесь. Она остаётся без ответа."
    )
    assert full_text(twice, "kk").startswith("twice.txt, 42-жол, «ұсыныс» бағаны: табылғаны «98.3»: ")
    misprinted = problems["wg/misprinted.txt"][0]
    assert full_text(misprinted, "ru") == (
        "layout.txt, столбец «номер рекомендации»: найдено «125.5.»: Номер, похоже, напечатан с ошибкой: "
        "прочитано как рекомендация 124.5."
    )


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_catalog_of_problems_is_translated(lang):
    """Every message of the catalog differs from its English wording and leaves no English word out of
    its quotations (a key only the hostile files or a full disk reach is checked here too)."""
    en = {k: v for k, v in catalog("en").items() if k.startswith("problems.")}
    own = catalog(lang)
    for key, english in en.items():
        assert own.get(key), key
        if key.startswith("problems.fmt_") or key in ("problems.col_session",):
            continue  # a format's name may be its own (UHRI), «сессия» is «session»
        assert own[key] != english, (lang, key)
        assert not _english_left(own[key]), (lang, key, _english_left(own[key]))


_CODE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")


def test_every_code_in_the_source_is_a_catalog_key():
    """The codes the readers and the loader pass as string literals (problem(file, "code"), bad(…, "code"))
    are keys of the catalog; and no reader builds a Problem from English text of its own."""
    keys = {k.removeprefix("problems.") for k in catalog("en") if k.startswith("problems.")}
    sources = [*ROOT.joinpath("etl").glob("*.py"), *ROOT.joinpath("etl", "readers").glob("*.py")]
    missing, raw = [], []
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("problem", "bad", "warn", "_refused", "_id_problem"):
                # Of the call's snake_case literals (a code, and maybe a field's name), one is a key.
                literals = [
                    c.value
                    for arg in node.args
                    for c in ast.walk(arg)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str) and _CODE.match(c.value)
                ]
                if literals and not set(literals) & keys:
                    missing.append((path.name, node.lineno, literals))
            if name == "Problem" and path.name not in ("resolve.py", "bulk.py", "messages.py"):
                raw.append((path.name, node.lineno))
    assert missing == [] and raw == []

"""The OHCHR UPR matrix reader and its text helpers, on .docx fixtures of our own making."""

from __future__ import annotations

import pytest

from etl.messages import problem_text
from etl.readers.matrix import looks_like_matrix, parse_title, read_matrix_docx
from etl.readers.ohchr import parse_cycle, parse_sdg, parse_session, split_recommending, split_ref
from tests.conftest import FIXTURES, fixture_builder

MATRIX = FIXTURES / "matrix"


builder = fixture_builder("build_uhri_matrix")
ONE_ROW = [
    [
        [
            "124.1 Ratify the Convention (Chile);",
            "Supported",
            "A12 Acceptance of international norms",
            "",
        ]
    ]
]


def _problems(batch) -> list[tuple]:
    return [(p.severity, p.sheet, p.row, p.column, p.value) for p in batch.problems]


# -- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("124.17 Ratify the OP (Mexico);", ("124.17", "Ratify the OP (Mexico);")),
        ("124.17. Ratify", ("124.17", "Ratify")),
        ("124.17.Ratify", ("124.17", "Ratify")),
        ("95.1 To ratify", ("95.1", "To ratify")),
        ("4.The Committee recommends", (None, "4.The Committee recommends")),
        ("2030 Agenda", (None, "2030 Agenda")),
        ("124.17", (None, "124.17")),
    ],
)
def test_split_ref(text, expected):
    assert split_ref(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ratify the OP (Mexico);", ("Ratify the OP", ["Mexico"])),
        (
            "Consider ratifying … (Slovenia) (Spain)",
            ("Consider ratifying …", ["Slovenia", "Spain"]),
        ),
        (
            "Ratify the OP-CAT (OPCAT) (Denmark);",
            ("Ratify the OP-CAT (OPCAT)", ["Denmark"]),
        ),
        (
            "Comply with the principles (Paris Principles) (Germany);",
            ("Comply with the principles (Paris Principles)", ["Germany"]),
        ),
        (
            "Cooperate (Iran (Islamic Republic of)) (Bolivia (Plurinational State of));",
            (
                "Cooperate",
                ["Iran (Islamic Republic of)", "Bolivia (Plurinational State of)"],
            ),
        ),
        (
            "To consider ratifying (Slovenia)/ratify (Republic of Korea) the Optional Protocol (Chile);",
            (
                "To consider ratifying (Slovenia)/ratify (Republic of Korea) the Optional Protocol",
                ["Slovenia", "Republic of Korea", "Chile"],
            ),
        ),
        ("Adopt the plan (2020-2024);", ("Adopt the plan (2020-2024)", [])),
        (
            "Adopt the plan (Holy See; Chile).",
            ("Adopt the plan", ["Holy See", "Chile"]),
        ),
    ],
)
def test_split_recommending(text, expected):
    assert split_recommending(text) == expected


def test_split_recommending_with_known_states_takes_only_those():
    assert split_recommending("Ratify the Protocol (Mexico);", known=["Chile"]) == (
        "Ratify the Protocol (Mexico)",
        [],
    )
    assert split_recommending("Ratify it (Peru) (Chile);", known=["chile", "Peru"]) == (
        "Ratify it",
        ["Peru", "Chile"],
    )


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("SDG 5 - gender equality", "5"),
        ("5.3", "5.3"),
        ("Goal 5 - Gender equality", "5"),
        ("16.2 - Protect children from abuse", "16.2"),
        ("- 1.4 - Equal rights to economic resources", "1.4"),
        ("5.a", "5.a"),
        ("SDG5", "5"),
        ("SDG target 16.9", "16.9"),
        ("Goal 18", None),
        ("not applicable", None),
    ],
)
def test_parse_sdg(label, expected):
    assert parse_sdg(label) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4th cycle", 4),
        ("Cycle 4", 4),
        ("4", 4),
        (4, 4),
        ("Fourth cycle", 4),
        ("- 3rd Cycle", 3),
        ("cycle", None),
        ("", None),
    ],
)
def test_parse_cycle(value, expected):
    assert parse_cycle(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("48", 48),
        ("48th session", 48),
        ("- 48 Session", 48),
        ("Session 20", 20),
        (48.0, 48),
        ("n/a", None),
    ],
)
def test_parse_session(value, expected):
    assert parse_session(value) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["UPR of Kazakhstan (3rd Cycle – 34th session)"], ("Kazakhstan", 3, 34)),
        (
            ["UPR of Bolivia (Plurinational State of) (4th Cycle - 48th session)"],
            ("Bolivia (Plurinational State of)", 4, 48),
        ),
        (
            ["Universal Periodic Review of Kazakhstan – Third cycle"],
            ("Kazakhstan", 3, None),
        ),
        (
            ["UPR of Kazakhstan", "Thematic list of recommendations", "34th session"],
            ("Kazakhstan", 3, 34),
        ),
        (["Thematic list of recommendations"], (None, None, None)),
    ],
)
def test_parse_title(lines, expected):
    info = parse_title(lines)
    assert (info.sur, info.cycle, info.session) == expected


def test_looks_like_matrix():
    assert looks_like_matrix(builder.CYCLE2_HEADERS)
    assert looks_like_matrix(builder.CYCLE4_HEADERS)
    assert looks_like_matrix(["RECOMMENDATION", "Position", "Full  list of themes"])
    assert not looks_like_matrix(["Recommendation", "Position", "Themes"])  # could be anyone's sheet
    assert not looks_like_matrix(builder.UHRI_XLSX_HEADERS)
    assert not looks_like_matrix(["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response"])


# -- cycle 2-3 layout --------------------------------------------------------------------------


def test_cycle2_matrix():
    batch = read_matrix_docx(MATRIX / "matrix_cycle2.docx")
    assert (batch.file, batch.format, batch.theme_source) == (
        "matrix_cycle2.docx",
        "matrix",
        "matrix",
    )
    doc = batch.document
    assert (doc.title, doc.sur, doc.cycle, doc.session) == (
        "UPR of Kazakhstan (2nd Cycle – 20th session)", "Kazakhstan", 2, 20,
    )  # fmt: skip
    assert batch.rows_read == 5
    recs = batch.recommendations
    assert [(r.sheet, r.row) for r in recs] == [
        ("table 1", 3),
        ("table 1", 4),
        ("table 1", 7),
        ("table 2", 3),
    ]
    assert [r.ref for r in recs] == ["124.1", "124.2", "126.3", "124.5"]
    assert [r.text for r in recs] == [
        "Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
        "Consider ratifying the Optional Protocol to the Convention against Torture (OPCAT)",
        (
            "To consider ratifying (Slovenia)/ratify (Republic of Korea) the International Convention "
            "for the Protection of All Persons from Enforced Disappearance"
        ),
        "Continue its efforts to ensure access to justice",
    ]
    assert [r.recommending for r in recs] == [
        ["Portugal"],
        ["Slovenia", "Spain"],
        ["Slovenia", "Republic of Korea", "Chile"],
        [],
    ]
    assert [r.response for r in recs] == [
        "supported",
        "noted",
        "supported_in_part",
        "supported",
    ]
    assert recs[2].response_raw == "Supported/Noted"
    # "Source of position" with the symbol alone: the citation is the symbol.
    assert [r.response_cite for r in recs] == ["A/HRC/28/10/Add.1", None, None, None]
    assert [r.themes for r in recs] == [
        ["A12 Acceptance of international norms"],
        ["A12 Acceptance of international norms"],  # from the theme heading: its cell is empty
        [
            "D25 Prohibition of torture and cruel, inhuman or degrading treatment",
            "D26 Conditions of detention",
        ],
        ["B51 Right to an effective remedy"],
    ]
    assert [r.groups for r in recs] == [
        ["general"],
        [],
        ["persons deprived of their liberty"],
        [],
    ]
    assert all(r.sdgs == [] for r in recs)
    assert {(r.sur, r.cycle, r.session) for r in recs} == {("Kazakhstan", 2, 20)}


def test_cycle2_matrix_problems():
    batch = read_matrix_docx(MATRIX / "matrix_cycle2.docx")
    assert _problems(batch) == [
        ("error", "table 1", 8, "Recommendation", None),
        (
            "warning",
            "table 2",
            3,
            "Recommendation",
            "124.5 Continue its efforts to ensure access to justice",
        ),
        (
            "warning",
            None,
            None,
            "Assessment/comments on level of implementation",
            "table 1 row 4, table 1 row 7",
        ),
    ]
    assert [p.code for p in batch.problems] == ["missing_text", "matrix_no_states", "matrix_assessments_skipped"]
    assert problem_text(batch.problems[2], "ru") == (
        "Матрица не содержит оценок (их загружают шаблоном оценок): комментарии в 2 ячейках этого столбца "
        "не импортированы."
    )


# -- cycle 4 layout ----------------------------------------------------------------------------


def test_cycle4_matrix_title_in_page_header():
    batch = read_matrix_docx(MATRIX / "matrix_cycle4.docx")
    doc = batch.document
    assert (doc.title, doc.sur, doc.cycle, doc.session) == (
        "UPR of Kazakhstan (4th Cycle – 48th session)", "Kazakhstan", 4, 48,
    )  # fmt: skip
    recs = batch.recommendations
    assert batch.rows_read == 4
    assert [r.ref for r in recs] == ["48.12", "48.13", "48.40", "48.41"]
    assert recs[0].text == (
        "Consider ratifying the Second Optional Protocol to the International Covenant on Civil and "
        "Political Rights, aiming at the abolition of the death penalty"
    )
    assert [r.recommending for r in recs] == [
        ["Slovenia", "Spain"],
        ["Iran (Islamic Republic of)"],
        ["Canada", "Netherlands (Kingdom of the)"],
        ["Sweden"],
    ]
    assert [r.response for r in recs] == [
        "supported",
        "noted",
        "supported_in_part",
        None,
    ]
    assert recs[3].response_raw == "Under consideration"
    assert [r.themes for r in recs] == [
        ["Ratification of & accession to international instruments", "Death penalty"],
        ["Ratification of & accession to international instruments"],
        ["Equality & non-discrimination"],
        ["Women's rights", "Participation in public affairs"],
    ]
    assert [r.groups for r in recs] == [
        ["General"],
        [],
        ["Women & girls", "Lesbian, gay, bisexual, transgender and intersex persons"],
        [],
    ]
    assert [r.sdgs for r in recs] == [["16"], ["16.3", "5"], ["5.1", "10"], []]
    assert _problems(batch) == [
        (
            "warning",
            "table 1",
            7,
            "Position of the State under review",
            "Under consideration",
        ),
        ("warning", "table 1", 7, "Relevant SDGs", "not applicable"),
    ]


# -- documents that cannot be placed in a review ----------------------------------------------


def test_matrix_without_title_is_an_error(tmp_path):
    path = builder.write_matrix(
        tmp_path / "m.docx",
        ["Thematic list of recommendations"],
        builder.CYCLE2_HEADERS,
        ONE_ROW,
    )
    batch = read_matrix_docx(path)
    assert [r.ref for r in batch.recommendations] == ["124.1"]
    assert batch.recommendations[0].sur == ""
    assert len(batch.errors) == 1
    assert batch.errors[0].value == "Thematic list of recommendations"
    assert batch.errors[0].code == "matrix_no_sur"
    assert problem_text(batch.errors[0], "kk") == (
        "Құжат тақырыбында шолудағы мемлекет табылмады (мысалы, «UPR of Kazakhstan (3rd Cycle – 34th session)»): "
        "онсыз матрицаны шолуға жатқызу мүмкін емес."
    )


def test_matrix_without_cycle_is_an_error(tmp_path):
    path = builder.write_matrix(tmp_path / "m.docx", ["UPR of Kazakhstan"], builder.CYCLE2_HEADERS, ONE_ROW)
    batch = read_matrix_docx(path)
    assert batch.document.sur == "Kazakhstan"
    assert [p.expected for p in batch.errors] == [
        "The cycle or session was not found in the document title, e.g. «UPR of Kazakhstan (3rd Cycle – 34th "
        "session)»: without it the matrix cannot be placed in a review."
    ]


def test_matrix_session_of_another_cycle_is_a_warning(tmp_path):
    path = builder.write_matrix(
        tmp_path / "m.docx",
        ["UPR of Kazakhstan (3rd Cycle – 20th session)"],
        builder.CYCLE2_HEADERS,
        ONE_ROW,
    )
    batch = read_matrix_docx(path)
    assert batch.errors == []
    assert [(p.severity, p.expected) for p in batch.problems] == [
        ("warning", "Session 20 belongs to cycle 2, not to cycle 3.")
    ]
    assert problem_text(batch.problems[0], "ru") == "Сессия 20 относится к 2-му циклу, а не к 3-му."


def test_matrix_title_after_the_table_is_not_the_title(tmp_path):
    path = builder.write_matrix(tmp_path / "m.docx", [], builder.CYCLE2_HEADERS, ONE_ROW)
    from docx import Document

    doc = Document(str(path))
    doc.add_paragraph("Adopted at the 34th session")
    doc.save(str(path))
    batch = read_matrix_docx(path)
    assert (batch.document.sur, batch.document.session) == (None, None)
    assert len(batch.errors) == 1


def test_docx_without_a_matrix_table(tmp_path):
    path = builder.write_matrix(
        tmp_path / "m.docx",
        ["UPR of Kazakhstan (3rd Cycle – 34th session)"],
        ["Name", "Value"],
        [[["a", "b"]]],
    )
    batch = read_matrix_docx(path)
    assert batch.recommendations == []
    assert len(batch.errors) == 1
    assert (batch.errors[0].code, dict(batch.errors[0].params)) == ("matrix_no_table", {"n": 1})


def test_not_a_docx(tmp_path):
    path = tmp_path / "m.docx"
    path.write_bytes(b"plain text, not a Word document")
    batch = read_matrix_docx(path)
    assert batch.recommendations == []
    assert [(p.severity, p.code, dict(p.params)) for p in batch.problems] == [("error", "docx_unreadable", {})]


def test_headings_unmerged_and_carried_into_the_next_table(tmp_path):
    tables = [
        [
            ["A41 Constitutional and legislative framework", "", "", ""],
            ["124.7 Adopt the law (Chile);", "Supported", "", ""],
        ],
        [["124.8 Amend the code (Peru);", "Noted", "", ""]],
    ]
    path = builder.write_matrix(
        tmp_path / "m.docx",
        ["UPR of Kazakhstan (2nd Cycle – 20th session)"],
        builder.CYCLE2_HEADERS,
        tables,
    )
    batch = read_matrix_docx(path)
    assert [(r.ref, r.themes) for r in batch.recommendations] == [
        ("124.7", ["A41 Constitutional and legislative framework"]),
        ("124.8", ["A41 Constitutional and legislative framework"]),
    ]
    assert batch.problems == []


def test_title_in_a_layout_table(tmp_path):
    from docx import Document

    path = builder.write_matrix(tmp_path / "m.docx", [], builder.CYCLE2_HEADERS, ONE_ROW)
    doc = Document(str(path))
    layout = doc.add_table(rows=1, cols=1)
    layout.cell(0, 0).text = "UPR of Kazakhstan (3rd Cycle – 34th session)"
    doc.element.body.insert(0, layout._tbl)  # before the matrix
    doc.save(str(path))
    batch = read_matrix_docx(path)
    assert (batch.document.sur, batch.document.cycle, batch.document.session) == (
        "Kazakhstan",
        3,
        34,
    )
    assert batch.recommendations[0].sheet == "table 2"
    assert batch.problems == []

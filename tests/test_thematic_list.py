"""OHCHR's thematic lists of recommendations as published for each cycle: the variants of their
cells on .docx files of our own making, then Slovenia's published lists of cycles 2 and 4, alone
and with the Working Group report, through the importer and `summary --format json`."""

from __future__ import annotations

import json
import re

import pytest

from etl.__main__ import main as cli
from etl.importer import import_file
from etl.readers.matrix import read_matrix_docx
from etl.readers.ohchr import normalise_cite, split_recommending, split_source_of_position, split_themes
from tests.conftest import fixture_builder, real_file
from upr import db
from upr.queries import review_summary

builder = fixture_builder("build_uhri_matrix")
CYCLE4_HEADER = "UPR of Kazakhstan (4th Cycle - 48th Session)\t\t\tThematic list of recommendations*\t\t\t\tPage 1 of 2"


@pytest.fixture(autouse=True)
def _own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))


# -- the cells' conventions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "cite"),
    [
        ("A/HRC/28/15/Add.1 - Para. 3", "A/HRC/28/15/Add.1, para. 3"),
        ("A/HRC/59/15/Add.1 - Para.3", "A/HRC/59/15/Add.1, para. 3"),
        ("A/HRC/59/15/Add.1 - Para 12", "A/HRC/59/15/Add.1, para. 12"),
        ("A/HRC/28/15/Add.1, para. 3 - Para. 3", "A/HRC/28/15/Add.1, para. 3"),
        ("A/HRC/59/15/Add.1 - Para.3vv", "A/HRC/59/15/Add.1, para. 3"),
        ("A/HRC/28/10/Add.1", "A/HRC/28/10/Add.1"),
        ("A/HRC/28/10/Add.1 - Para.", "A/HRC/28/10/Add.1"),
        ("a/hrc/43/15 /add. 1 - paras. 3-5", "A/HRC/43/15/Add.1, paras. 3–5"),
        ("Para. 7", "para. 7"),
        ("", None),
    ],
)
def test_normalise_cite(note, cite):
    assert normalise_cite(note) == cite


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "124.1 Ratify it (Chile); \nSource of position: A/HRC/28/10/Add.1 - Para. 3",
            ("124.1 Ratify it (Chile);", "A/HRC/28/10/Add.1, para. 3"),
        ),
        (
            "124.1 Ratify it (Chile); Source of Position: A/HRC/28/10/Add.1 - Para.3",
            ("124.1 Ratify it (Chile);", "A/HRC/28/10/Add.1, para. 3"),
        ),
        (
            "124.1 Ratify it (Chile);\nSouce of postion A/HRC/28/10/Add.1",
            ("124.1 Ratify it (Chile);", "A/HRC/28/10/Add.1"),
        ),
        ("124.1 Ratify it (Chile);\nSource of position:", ("124.1 Ratify it (Chile);", None)),
        ("Find the source of possible funding (Chile)", ("Find the source of possible funding (Chile)", None)),
    ],
)
def test_split_source_of_position(cell, expected):
    assert split_source_of_position(cell) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ratify the OP (Portugal, Slovakia);", ("Ratify the OP", ["Portugal", "Slovakia"])),
        (
            "Ratify ICRMW (Senegal, Sierra Leone, Venezuela (Bolivarian Republic of),Peru, Uruguay);",
            ("Ratify ICRMW", ["Senegal", "Sierra Leone", "Venezuela (Bolivarian Republic of)", "Peru", "Uruguay"]),
        ),
        (
            "Ensure it (Egypt); continue it (Peru);take measures (Azerbaijan);",
            ("Ensure it (Egypt); continue it (Peru);take measures", ["Egypt", "Peru", "Azerbaijan"]),
        ),
        (
            "Help the Roma (the former Yugoslav Republic of Macedonia);",
            ("Help the Roma", ["the former Yugoslav Republic of Macedonia"]),
        ),
        ("Help (Macedonia, the former Yugoslav Republic of)", ("Help", ["Macedonia, the former Yugoslav Republic of"])),
        ("Ratify the OP (ICRMW); and report (Chile)", ("Ratify the OP (ICRMW); and report", ["Chile"])),
    ],
)
def test_split_recommending_of_the_lists(text, expected):
    assert split_recommending(text) == expected


def test_split_themes_keeps_sdgs_and_groups_out_of_the_themes():
    cycle3 = [
        "A41 Constitutional and legislative framework",
        "S16 SDG 16 - peace, justice and strong institutions",
        "SDGs:",
        "- 16.3 - Promote the rule of law",
        "- SDG 5 - gender equality",
        "Affected persons:",
        "- general",
    ]
    assert split_themes(cycle3) == (
        ["A41 Constitutional and legislative framework"],
        ["general"],
        [
            "S16 SDG 16 - peace, justice and strong institutions",
            "16.3 - Promote the rule of law",
            "SDG 5 - gender equality",
        ],
    )
    cycle4 = ["- Right to education", "Groups of Persons: ", "- Children", "- Public officials"]
    assert split_themes(cycle4) == (["Right to education"], ["Children", "Public officials"], [])
    f31 = "F31 Children: definition; general principles; protection"  # ";" inside a theme's name
    assert split_themes([f31, "Affected persons: women; girls"]) == ([f31], ["women", "girls"], [])


# -- whole lists -------------------------------------------------------------------------------

CYCLE2_TABLES = [
    [
        "Theme: A12 Acceptance of international norms",
        [
            "124.3. Ratify the Optional Protocol on a communications procedure (Portugal, Slovakia);"
            "\nSource of position: A/HRC/28/10/Add.1 - Para. 3",
            "Supported",
            "A12 Acceptance of international norms\nAffected persons:\n- children",
            "\n",
        ],
        [
            "124.16 Ratify the Migrant Workers Convention (Senegal, Venezuela (Bolivarian Republic of),Peru);"
            "\nSource of position: A/HRC/28/10/Add.1 - Para 5",
            "Noted",
            "A12 Acceptance of international norms\nG4 Migrants\nAffected persons:\n- migrants",
            "",
        ],
        "Theme: A45 National Human Rights Institution (NHRI) ",
        [
            "124.2 Bring the Ombudsman in line with the Paris Principles (Egypt); give it resources (Peru);"
            "widen its mandate (Azerbaijan); \nSource of Position: A/HRC/28/10/Add.1, para. 3 - Para. 3",
            "Supported",
            "A45 National Human Rights Institution (NHRI)\nAffected persons: ",
            "",
        ],
        "Theme: G1 Members of minorities",
        [
            "124.1 Improve the situation of the Roma community (the former Yugoslav Republic of Macedonia);"
            "\nSource of Position: A/HRC/28/10/Add.1 - Para.4vv",
            "Supported",
            "G1 Members of minorities\nAffected persons:\n- minorities/ racial, ethnic, linguistic, religious or "
            "descent-based groups",
            "",
        ],
        [
            "124.40 Protect the minority languages (Italy)\nSource of position: A/HRC/28/10/Add.1",
            "Supported",
            "G1 Members of minorities",
            "",
        ],
        ["124.41 Count the minorities in the census (Serbia).", "Noted", "G1 Members of minorities", ""],
        "Theme: A42 Institutions & policies - General",
        [
            "124.2 Bring the Ombudsman in line with the Paris Principles (Egypt); give it resources (Peru);"
            "widen its mandate (Azerbaijan); \nSource of Position: A/HRC/28/10/Add.1, para. 3 - Para. 3",
            "Supported",
            "A42 Institutions & policies - General\nA45 National Human Rights Institution (NHRI)",
            "",
        ],
    ]
]


def _cycle2(tmp_path):
    header = "UPR of Kazakhstan (2nd Cycle – 20th session)\t\t\tThematic list of recommendations \t\t\t\tPage 15 of 27"
    return builder.write_matrix(tmp_path / "list2.docx", [], builder.CYCLE2_HEADERS, CYCLE2_TABLES, header)


def test_cycle2_list_variants(tmp_path):
    batch = read_matrix_docx(_cycle2(tmp_path))
    doc = batch.document
    assert (doc.title, doc.sur, doc.cycle, doc.session) == (
        "UPR of Kazakhstan (2nd Cycle – 20th session)", "Kazakhstan", 2, 20,
    )  # fmt: skip
    assert batch.rows_read == 7
    recs = batch.recommendations
    # In the list's own order (by theme), each paragraph once: 124.2 stands under two themes.
    assert [r.ref for r in recs] == ["124.3", "124.16", "124.2", "124.1", "124.40", "124.41"]
    assert [r.recommending for r in recs] == [
        ["Portugal", "Slovakia"],
        ["Senegal", "Venezuela (Bolivarian Republic of)", "Peru"],
        ["Egypt", "Peru", "Azerbaijan"],
        ["the former Yugoslav Republic of Macedonia"],
        ["Italy"],
        ["Serbia"],
    ]
    assert recs[2].text == (
        "Bring the Ombudsman in line with the Paris Principles (Egypt); give it resources (Peru);widen its mandate"
    )
    assert [(r.response, r.response_cite) for r in recs] == [
        ("supported", "A/HRC/28/10/Add.1, para. 3"),
        ("noted", "A/HRC/28/10/Add.1, para. 5"),
        ("supported", "A/HRC/28/10/Add.1, para. 3"),
        ("supported", "A/HRC/28/10/Add.1, para. 4"),
        ("supported", "A/HRC/28/10/Add.1"),
        ("noted", None),
    ]
    assert recs[2].themes == ["A45 National Human Rights Institution (NHRI)", "A42 Institutions & policies - General"]
    assert [r.groups for r in recs[:4]] == [
        ["children"],
        ["migrants"],
        [],
        ["minorities/ racial, ethnic, linguistic, religious or descent-based groups"],
    ]
    assert recs[1].themes == ["A12 Acceptance of international norms", "G4 Migrants"]
    assert all(r.sdgs == [] for r in recs)
    assert batch.problems == []


def test_parts_of_one_paragraph_answered_differently(tmp_path):
    tables = [
        [
            ["124.9 Adopt the law (Chile);", "Supported", "A41 Constitutional and legislative framework", ""],
            ["124.9 repeal the old code (Peru);", "Noted", "D51 Administration of justice & fair trial", ""],
        ]
    ]
    batch = read_matrix_docx(
        builder.write_matrix(
            tmp_path / "m.docx", ["UPR of Kazakhstan (2nd Cycle – 20th session)"], builder.CYCLE2_HEADERS, tables
        )
    )
    (rec,) = batch.recommendations
    assert (rec.text, rec.recommending) == ("Adopt the law (Chile); repeal the old code", ["Chile", "Peru"])
    assert (rec.response, rec.response_raw) == ("supported_in_part", "Supported/Noted")
    assert [(p.severity, p.row, p.value, p.code, dict(p.params)) for p in batch.problems] == [
        ("warning", 3, "Noted", "matrix_parts_differ", {"ref": "124.9", "first": "Supported", "first_row": 2})
    ]


CYCLE3_TABLES = [
    [
        "Theme: A41 Constitutional and legislative framework",
        [
            "139.7 Harmonize the laws with the treaties (Djibouti);\nSource of position: A/HRC/43/10/Add.1 - Para. 8",
            "Supported",
            "A41 Constitutional and legislative framework\nS16 SDG 16 - peace, justice and strong institutions\n"
            "SDGs:\n- 16.3 - Promote the rule of law\n- SDG 5 - gender equality\nAffected persons:\n- general\n- women",
            "",
        ],
        [
            "139.2 Ratify the Statute (Estonia);\nSource of position: A/HRC/43/10/Add.1 - Para. 9",
            "Noted",
            "A12 Acceptance of international norms\nSDGs: 16.a; not an SDG\nAffected persons: general",
            "",
        ],
    ]
]


def test_cycle3_list_sdgs_and_groups_in_the_themes_column(tmp_path):
    path = builder.write_matrix(
        tmp_path / "list3.docx", ["UPR of Kazakhstan (3rd Cycle – 34th session)"], builder.CYCLE2_HEADERS, CYCLE3_TABLES
    )
    batch = read_matrix_docx(path)
    recs = batch.recommendations
    assert [(r.ref, r.themes, r.groups, r.sdgs) for r in recs] == [
        ("139.7", ["A41 Constitutional and legislative framework"], ["general", "women"], ["16", "16.3", "5"]),
        ("139.2", ["A12 Acceptance of international norms"], ["general"], ["16.a"]),
    ]
    assert [r.response_cite for r in recs] == ["A/HRC/43/10/Add.1, para. 8", "A/HRC/43/10/Add.1, para. 9"]
    assert [(p.severity, p.row, p.column, p.value) for p in batch.problems] == [
        ("warning", 4, "Full list of themes", "not an SDG")
    ]


CYCLE4_TABLES = [
    [
        "Theme: Equality & non-discrimination",
        [
            "48.40 Adopt a comprehensive anti-discrimination law (Canada) (Kingdom of the Netherlands);\n"
            "Source of Position: A/HRC/59/9/Add.1 - Para.3",
            "Supported",
            "- Equality & non-discrimination\n- Migrants\nGroups of Persons: \n- Migrants\n- Public officials",
            "- 10 - REDUCED INEQUALITIES\n- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS",
        ],
        "Theme: Ratification of & accession to international instruments",
        [
            "48.12 Ratify the Second Optional Protocol (Slovenia) (Spain);\nSource of Position: A/HRC/59/9/Add.1 - Para.5",
            "Noted",
            "- Ratification of & accession to international instruments\n- Death penalty\nGroups of Persons: \n"
            "- Persons deprived of their liberty & detainees\n- Public officials",
            "- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS",
        ],
        [
            "48.7 Ratify the Optional Protocol on a communications procedure (Malawi);\n"
            "Source of Position: A/HRC/59/9/Add.1 - Para.3",
            "Supported",
            "- Ratification of & accession to international instruments\nGroups of Persons: \n- Children",
            "",
        ],
    ]
]


def _cycle4(tmp_path):
    return builder.write_matrix(tmp_path / "list4.docx", [], builder.CYCLE4_HEADERS, CYCLE4_TABLES, CYCLE4_HEADER)


def test_cycle4_list_sdgs_in_their_own_column(tmp_path):
    batch = read_matrix_docx(_cycle4(tmp_path))
    assert batch.document.title == "UPR of Kazakhstan (4th Cycle - 48th Session)"
    assert [(r.ref, r.themes, r.groups, r.sdgs, r.response_cite) for r in batch.recommendations] == [
        (
            "48.40",
            ["Equality & non-discrimination", "Migrants"],
            ["Migrants", "Public officials"],
            ["10", "16"],
            "A/HRC/59/9/Add.1, para. 3",
        ),
        (
            "48.12",
            ["Ratification of & accession to international instruments", "Death penalty"],
            ["Persons deprived of their liberty & detainees", "Public officials"],
            ["16"],
            "A/HRC/59/9/Add.1, para. 5",
        ),
        (
            "48.7",
            ["Ratification of & accession to international instruments"],
            ["Children"],
            [],
            "A/HRC/59/9/Add.1, para. 3",
        ),
    ]
    assert batch.problems == []


REPORT_48 = """Report of the Working Group on the Universal Periodic Review
Kazakhstan
Introduction
1. The Working Group on the Universal Periodic Review held its forty-eighth session from 20 to 31 January
2025. The review of Kazakhstan was held at the 5th meeting on 23 January 2025.
II. Conclusions and/or recommendations
48. The following recommendations will be examined by Kazakhstan, which will provide responses in due time:
48.7 Ratify the Optional Protocol on a communications procedure (Malawi);
48.12 Ratify the Second Optional Protocol (Slovenia) (Spain);
48.40 Adopt a comprehensive anti-discrimination law (Canada) (Kingdom of the Netherlands).
49. All conclusions and/or recommendations contained in the present report reflect the position of the
submitting State(s) and/or the State under review.
"""


def _figures(con) -> dict:
    (row,) = review_summary(con)
    return {k: row[k] for k in ("recommendations", "pairs", "themed", "with_sdg", "responses")}


@pytest.mark.parametrize("order", [("list",), ("report", "list"), ("list", "report")])
def test_cycle4_list_imported_alone_or_with_the_report(con, tmp_path, order):
    report = tmp_path / "report.txt"
    report.write_text(REPORT_48, encoding="utf-8")
    files = {"list": _cycle4(tmp_path), "report": report}
    for key in order:
        assert not import_file(con, files[key]).errors
    assert _figures(con) == {
        "recommendations": 3,
        "pairs": 5,
        "themed": 3,
        "with_sdg": 2,
        "responses": {"supported": 2, "noted": 1},
    }
    # The list's answer outranks the report's "will be examined", and keeps its citation.
    assert con.execute(
        "SELECT ref, response, response_source, response_cite FROM recommendation ORDER BY ref"
    ).fetchall() == [
        ("48.12", "noted", "matrix", "A/HRC/59/9/Add.1, para. 5"),
        ("48.40", "supported", "matrix", "A/HRC/59/9/Add.1, para. 3"),
        ("48.7", "supported", "matrix", "A/HRC/59/9/Add.1, para. 3"),
    ]
    assert con.execute(
        "SELECT format, count(*), count(response_cite) FROM rec_source GROUP BY ALL ORDER BY format"
    ).fetchall() == [("matrix", 3, 3)] + ([("wg_report", 3, 0)] if "report" in order else [])
    labels = [r[0] for r in con.execute("SELECT source_label FROM rec_theme ORDER BY ALL").fetchall()]
    assert labels == [
        "Death penalty",
        "Equality & non-discrimination",
        "Migrants",
        "Ratification of & accession to international instruments",
        "Ratification of & accession to international instruments",
    ]


def test_summary_json_counts_themed_and_sdgs(tmp_path, capsys):
    path = tmp_path / "upr.duckdb"
    con = db.connect(path)
    import_file(con, _cycle4(tmp_path))
    con.execute("DELETE FROM rec_sdg WHERE rec_id = (SELECT id FROM recommendation WHERE ref = '48.40')")
    con.execute(
        "UPDATE rec_theme SET theme_code = NULL WHERE rec_id = (SELECT id FROM recommendation WHERE ref = '48.7')"
    )
    con.close()
    assert cli(["summary", "--db", str(path), "--format", "json"]) == 0
    (review,) = json.loads(capsys.readouterr().out)
    assert review == {
        "state": "Kazakhstan",
        "cycle": 4,
        "recommendations": 3,
        "pairs": 5,
        "themed": 2,
        "with_sdg": 1,
        "responses": {"supported": 2, "noted": 1},
    }
    assert cli(["summary", "--db", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["Kazakhstan", "4", "3", "5", "supported", "2,", "noted", "1"]
    assert lines[3].split()[:7] == ["Themes", "and", "SDGs", "cycle", "recs", "themed", "SDG"]
    assert lines[4].split() == ["Kazakhstan", "4", "3", "2", "1", "67%", "themed,", "33%", "with", "an", "SDG"]


def test_merged_recommendations_are_not_counted(con, tmp_path):
    import_file(con, _cycle4(tmp_path))
    con.execute("UPDATE recommendation SET merged_into = 'KAZ-4-48.40' WHERE ref = '48.7'")
    assert _figures(con) == {
        "recommendations": 2,
        "pairs": 4,
        "themed": 2,
        "with_sdg": 2,
        "responses": {"supported": 1, "noted": 1},
    }


# -- Slovenia's published lists ---------------------------------------------------------------

SLOVENIA = {
    2: ("UPR20__Slovenia_ThematicListRecommendations_E.docx", "A-HRC-28-15_WG-report_cycle2.pdf"),
    4: ("upr48-slovenia-thematic-list-of-recommendatio.docx", "A-HRC-59-15_WG-report_cycle4.pdf"),
}
# What the lists give, read from the documents cell by cell: every cycle-4 row names SDGs; the
# cycle-2 list has none; the positions cite paragraphs 3, 4 (supported) and 5 (noted) of Add.1.
EXPECTED = {
    2: (163, 180, 163, 0, {"supported": 142, "noted": 21}),
    4: (254, 262, 254, 254, {"supported": 217, "noted": 37}),
}
CITES = {
    2: {"A/HRC/28/15/Add.1, para. 3": 69, "A/HRC/28/15/Add.1, para. 4": 73, "A/HRC/28/15/Add.1, para. 5": 21},
    4: {"A/HRC/59/15/Add.1, para. 3": 172, "A/HRC/59/15/Add.1, para. 4": 45, "A/HRC/59/15/Add.1, para. 5": 37},
}


def _group_only_labels() -> set[str]:
    """OHCHR's labels of affected groups that are no theme of its lists ("Public officials")."""
    import csv

    from upr.themes import DATA_DIR

    def labels(name: str) -> set[str]:
        with (DATA_DIR / name).open(encoding="utf-8") as fh:
            return {r["label"].casefold() for r in csv.DictReader(fh) if r["source"] in ("uhri", "matrix")}

    return labels("group_map.csv") - labels("theme_map.csv")


@pytest.mark.parametrize("cycle", [2, 4])
@pytest.mark.parametrize("with_report", [None, "before", "after"])
def test_real_slovenia_lists(con, cycle, with_report):
    list_name, report_name = SLOVENIA[cycle]
    files = [real_file("slovenia", list_name)]
    if with_report:
        report = real_file("slovenia", report_name)
        files.insert(0 if with_report == "before" else 1, report)
    for path in files:
        assert not import_file(con, path).errors
    (row,) = review_summary(con)
    assert (row["cycle"], row["session"]) == (cycle, {2: 20, 4: 48}[cycle])
    assert (row["recommendations"], row["pairs"], row["themed"], row["with_sdg"], row["responses"]) == EXPECTED[cycle]
    cites = dict(con.execute("SELECT response_cite, count(*) FROM recommendation GROUP BY ALL").fetchall())
    assert cites == CITES[cycle]
    # Matched by paragraph: every recommendation has its one paragraph and, with the report, both sources.
    assert con.execute(
        "SELECT count(DISTINCT ref), count(*) FILTER (WHERE id LIKE '%~%'), min(n), max(n) FROM recommendation "
        "JOIN (SELECT rec_id, count(DISTINCT format) AS n FROM rec_source GROUP BY rec_id) ON rec_id = id"
    ).fetchall() == [(EXPECTED[cycle][0], 0, 2 if with_report else 1, 2 if with_report else 1)]
    themes = {r[0] for r in con.execute("SELECT DISTINCT source_label FROM rec_theme").fetchall()}
    assert not [t for t in themes if re.match(r"(?i)(?:s\d+\s+)?sdg|goal\b|\d{1,2}(?:\.\w+)?\s*-", t)]
    assert not {t.casefold() for t in themes} & _group_only_labels()
    assert con.execute("SELECT count(*) FROM rec_theme WHERE theme_code IS NULL").fetchall() == [(0,)]

"""The UHRI export readers, JSON and xlsx, on fixtures of our own making."""

from __future__ import annotations

import json

import pytest

from etl.messages import problem_text
from etl.readers.uhri import (
    looks_like_uhri_headers,
    looks_like_uhri_json,
    read_uhri_json,
    read_uhri_xlsx,
)
from tests.conftest import FIXTURES, fixture_builder

UHRI = FIXTURES / "uhri"


builder = fixture_builder("build_uhri_matrix")


def _problems(batch) -> list[tuple]:
    return [(p.severity, p.sheet, p.row, p.column, p.value) for p in batch.problems]


# -- recognition -------------------------------------------------------------------------------


def test_recognises_uhri_json_list_and_wrapped():
    records = json.loads((UHRI / "uhri_export.json").read_text("utf-8-sig"))
    assert looks_like_uhri_json(records)
    assert looks_like_uhri_json({"count": 11, "data": records})
    assert looks_like_uhri_json({"result": {"items": records}})


@pytest.mark.parametrize(
    "data",
    [
        [],
        "text",
        {"To": "Kazakhstan", "Text": "Ratify", "Response": "Accepted"},
        [{"SuR": "Kazakhstan", "Recommendation": "Ratify", "Response": "Accepted"}],
        [{"Text": "Ratify", "Themes": "- Death penalty"}],  # Text and themes alone are not enough
    ],
)
def test_does_not_recognise_other_json(data):
    assert not looks_like_uhri_json(data)


def test_recognises_uhri_headers():
    assert looks_like_uhri_headers(builder.UHRI_XLSX_HEADERS)
    assert looks_like_uhri_headers(["TEXT", " countries  concerned", "Recomending body", "UPR  Position"])
    assert looks_like_uhri_headers(["Country", "Body", "Text", "Symbol"])


@pytest.mark.parametrize(
    "headers",
    [
        [
            "SuR",
            "Rgrp",
            "Org",
            "Recommendation",
            "RS",
            "Rgrp",
            "Org",
            "Response",
            "Action",
            "Issue",
            "Session",
        ],
        [
            "To",
            "To-Rgrp",
            "To-Org",
            "Text",
            "From",
            "From-Rgrp",
            "From-Org",
            "Response",
            "Action",
            "Issue",
            "Session",
        ],
        builder.CYCLE2_HEADERS,
        builder.CYCLE4_HEADERS,
        ["Text", "Themes", "Sdgs", "Position"],
    ],
)
def test_does_not_recognise_other_headers(headers):
    assert not looks_like_uhri_headers(headers)


# -- JSON --------------------------------------------------------------------------------------


def test_json_fixture_upr_rows():
    batch = read_uhri_json(UHRI / "uhri_export.json")
    assert (batch.file, batch.format, batch.theme_source) == (
        "uhri_export.json",
        "uhri",
        "uhri",
    )
    assert batch.rows_read == 11
    recs = batch.recommendations
    assert [r.row for r in recs] == [1, 2, 3, 4, 5, 11]
    assert [r.ref for r in recs] == [
        "124.17",
        "126.4",
        "124.19",
        "125.3",
        None,
        "124.40",
    ]
    assert {r.sur for r in recs} == {"Kazakhstan"}
    assert [r.text for r in recs] == [
        "Ratify the Optional Protocol to the Convention against Torture",
        "Consider abolishing the death penalty & ratify the Second Optional Protocol",
        "Strengthen measures against domestic violence, including by criminalizing it",
        (
            "To consider ratifying (Slovenia)/ratify (Republic of Korea) the International "
            "Convention for the Protection of All Persons from Enforced Disappearance"
        ),
        "Adopt a comprehensive anti-discrimination law",
        "Protect human rights defenders and journalists",
    ]
    assert [r.recommending for r in recs] == [
        ["Mexico"],
        ["Slovenia", "Spain"],
        ["Norway"],
        ["Slovenia", "Republic of Korea"],
        ["Uruguay"],
        ["Czech Republic"],
    ]
    assert [r.response for r in recs] == [
        "supported",
        "noted",
        "supported_in_part",
        "supported",
        "pending",
        None,
    ]
    assert [r.response_raw for r in recs] == [
        "Supported", "Noted", "Supported/Noted", "Supported", None, "Under consideration",
    ]  # fmt: skip
    assert [(r.cycle, r.session) for r in recs] == [
        (2, 20),
        (2, 20),
        (2, 20),
        (2, None),
        (2, 20),
        (2, 20),
    ]
    assert recs[0].themes == [
        "Ratification of & accession to international instruments",
        "Torture & other cruel, inhuman or degrading treatment or punishment",
    ]
    assert recs[1].themes == [
        "Death penalty",
        "Ratification of & accession to international instruments",
    ]
    assert recs[2].themes == ["Domestic violence", "Sexual & gender-based violence"]
    assert [r.groups for r in recs] == [
        ["General"],
        ["Persons deprived of their liberty"],
        ["Women & girls", "Children"],
        [],
        [],
        ["Human rights defenders"],
    ]
    assert [r.sdgs for r in recs] == [["16.10"], ["16"], ["5.2", "5.a"], [], [], []]
    assert batch.document.symbol == "A/HRC/28/10"
    assert (batch.document.sur, batch.document.cycle, batch.document.session) == (
        "Kazakhstan",
        2,
        20,
    )


def test_json_fixture_problems():
    batch = read_uhri_json(UHRI / "uhri_export.json")
    assert _problems(batch) == [
        ("error", None, 6, "Text", ""),
        ("error", None, 7, "Countries", ""),
        ("warning", None, 11, "UprPositions", "Under consideration"),
        ("warning", None, 11, "Sdgs", "Peace"),
        ("warning", None, None, "Body", "CRC ×2, CEDAW ×1"),
    ]
    assert problem_text(batch.problems[-1], "ru") == (
        "Импортируются только строки УПО (Body «UPR»): 3 строки других механизмов пропущены."
    )
    assert len(batch.errors) == 2
    assert str(batch.problems[0]) == (
        "uhri_export.json, row 6, column «Text»: found «»: The text of the recommendation is missing."
    )


def test_json_all_mechanisms_when_asked():
    batch = read_uhri_json(UHRI / "uhri_export.json", upr_only=False)
    assert batch.rows_read == 11
    assert [r.row for r in batch.recommendations] == [1, 2, 3, 4, 5, 8, 9, 10, 11]
    crc = batch.recommendations[5]
    assert crc.text == "21.The Committee recommends that the State party ensure birth registration for all children."
    assert (crc.ref, crc.recommending, crc.response, crc.cycle) == (
        None,
        [],
        "pending",
        None,
    )
    assert not any("skipped" in (p.value or "") for p in batch.problems)
    assert batch.document is None  # rows of several documents


def test_json_wrapped_in_an_object_with_camel_case_keys(tmp_path):
    records = json.loads((UHRI / "uhri_export.json").read_text("utf-8-sig"))[:2]
    renamed = [{k[0].lower() + k[1:]: v for k, v in r.items()} for r in records]
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"total": 2, "value": renamed}), "utf-8")
    batch = read_uhri_json(path)
    assert [r.ref for r in batch.recommendations] == ["124.17", "126.4"]
    assert batch.recommendations[1].recommending == ["Slovenia", "Spain"]
    assert batch.problems == []


def test_json_position_per_state_is_split(tmp_path):
    record = dict(builder.UHRI_RECORDS[1], UprPositions=["Supported", "Noted"])
    path = builder.write_uhri_json(tmp_path / "x.json", [record])
    rec = read_uhri_json(path).recommendations[0]
    assert (rec.response, rec.response_raw) == ("supported_in_part", "Supported/Noted")


def test_json_sdgs_and_groups_among_the_themes_are_no_themes(tmp_path):
    record = dict(
        builder.UHRI_RECORDS[0],
        Text="124.17 Ratify the OP (Mexico);\nSource of position: A/HRC/28/10/Add.1 - Para. 7",
        Themes="- Death penalty\n- SDG 16 - peace, justice and strong institutions\n- Affected persons: women; children",
    )
    batch = read_uhri_json(builder.write_uhri_json(tmp_path / "x.json", [record]))
    (rec,) = batch.recommendations
    assert (rec.text, rec.recommending) == ("Ratify the OP", ["Mexico"])
    assert (rec.themes, rec.groups, rec.sdgs) == (["Death penalty"], ["General", "women", "children"], ["16.10", "16"])
    assert rec.response_cite == "A/HRC/28/10/Add.1, para. 7"
    assert batch.problems == []


def test_json_several_states_under_review_is_an_error(tmp_path):
    record = dict(builder.UHRI_RECORDS[0], Countries="- Kazakhstan\n- Uzbekistan")
    batch = read_uhri_json(builder.write_uhri_json(tmp_path / "x.json", [record]))
    assert batch.recommendations == []
    assert _problems(batch) == [("error", None, 1, "Countries", "Kazakhstan; Uzbekistan")]


def test_json_cycle_and_session_disagree(tmp_path):
    record = dict(builder.UHRI_RECORDS[0], UprCycle="Cycle 3", UprSession="20th session")
    batch = read_uhri_json(builder.write_uhri_json(tmp_path / "x.json", [record]))
    assert batch.recommendations[0].cycle == 3
    assert [(p.severity, p.column, p.expected) for p in batch.problems] == [
        (
            "warning",
            "UprSession",
            "Session 20 belongs to cycle 2, not to cycle 3.",
        )
    ]


def test_json_without_body_takes_upr_rows_by_their_upr_fields(tmp_path):
    records = [{k: v for k, v in r.items() if k != "Body"} for r in builder.UHRI_RECORDS]
    batch = read_uhri_json(builder.write_uhri_json(tmp_path / "x.json", records))
    # the treaty-body rows have no position, recommending State, cycle or session
    assert [r.row for r in batch.recommendations] == [1, 2, 3, 4, 5, 11]
    assert batch.problems[0].severity == "warning"
    assert batch.problems[0].column == "Body"
    assert (batch.problems[-1].value, dict(batch.problems[-1].params)) == ("— ×3", {"n": 3})


def test_invalid_json_is_one_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"Text": "Ratify",]', "utf-8")
    batch = read_uhri_json(path)
    assert batch.recommendations == []
    assert _problems(batch) == [
        (
            "error",
            None,
            None,
            None,
            None,
        )
    ]
    assert dict(batch.problems[0].params) == {
        "line": 1,
        "col": 20,
        "why": "Expecting property name enclosed in double quotes",
    }


def test_json_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps([{"name": "x", "value": 1}]), "utf-8")
    batch = read_uhri_json(path)
    assert len(batch.errors) == 1
    assert batch.errors[0].expected.startswith(
        "This is not a UHRI export: a list of records with the fields «AffectedPersons», «Annotation"
    )
    assert batch.errors[0].value == "name, value"


# -- xlsx --------------------------------------------------------------------------------------


def test_xlsx_fixture():
    batch = read_uhri_xlsx(UHRI / "uhri_export.xlsx")
    assert (batch.format, batch.theme_source, batch.rows_read) == ("uhri", "uhri", 5)
    recs = batch.recommendations
    assert [(r.row, r.sheet) for r in recs] == [
        (2, "Export"),
        (3, "Export"),
        (5, "Export"),
    ]
    assert [r.ref for r in recs] == ["48.12", "48.40", "48.77"]
    assert [r.text for r in recs] == [
        "Consider ratifying the Second Optional Protocol to the International Covenant on Civil and Political Rights",
        "Adopt a comprehensive law against discrimination",
        "Guarantee the freedom of peaceful assembly",
    ]
    assert [r.recommending for r in recs] == [
        ["Slovenia", "Spain"],
        ["Canada", "Netherlands (Kingdom of the)"],
        ["Iran (Islamic Republic of)"],
    ]
    assert [r.response for r in recs] == ["supported", "supported_in_part", "noted"]
    assert {(r.sur, r.cycle, r.session) for r in recs} == {("Kazakhstan", 4, 48)}
    assert recs[0].themes == [
        "Ratification of & accession to international instruments",
        "Death penalty",
    ]
    assert recs[1].groups == [
        "Women & girls",
        "Lesbian, gay, bisexual, transgender and intersex persons",
    ]
    assert [r.sdgs for r in recs] == [["16.3"], ["5.1", "10.3"], []]
    assert _problems(batch) == [
        ("error", "Export", 7, "Countries Concerned", ""),
        ("warning", "Export", None, "Reccomending Body", "CRC ×1"),
    ]
    assert batch.document.symbol == "A/HRC/59/9"


def test_xlsx_headers_tolerated_and_title_row_above(tmp_path):
    headers = [
        " text ", "COUNTRIES  CONCERNED", "Recomending Body", "Document symbol", "themes",
        "Affected persons", "SDGs", "Document Publication Date", "UPR Recommending States",
        "UPR position", "Type", "OHCHR Annotation ID", "UPR session", "Regions Concerned",
        "Recommending Regions", "Date of publication on UHRI",
    ]  # fmt: skip
    path = builder.write_uhri_xlsx(tmp_path / "x.xlsx", headers=headers, title_rows=1)
    batch = read_uhri_xlsx(path)
    assert [r.ref for r in batch.recommendations] == ["48.12", "48.40", "48.77"]
    assert [r.row for r in batch.recommendations] == [3, 4, 6]
    assert batch.recommendations[2].recommending == ["Iran (Islamic Republic of)"]
    assert [(p.severity, p.row, p.column) for p in batch.problems] == [
        ("error", 8, "COUNTRIES  CONCERNED"),
        ("warning", None, "Recomending Body"),
    ]


def test_xlsx_plausible_other_headers(tmp_path):
    headers = [
        "State under Review",
        "Body",
        "Text",
        "Position",
        "UPR Cycle",
        "UPR Session",
        "SDGs",
        "Themes",
    ]
    rows = [
        ["Kazakhstan", "UPR", "48.5 Ratify the Convention (Chile)", "Noted", "4th cycle", "48th session", "SDG 5 - gender equality", "Death penalty"],
        ["Kazakhstan", "CRC", "Ensure birth registration", "", "", "", "", ""],
    ]  # fmt: skip
    batch = read_uhri_xlsx(builder.write_uhri_xlsx(tmp_path / "x.xlsx", headers=headers, rows=rows))
    (rec,) = batch.recommendations
    assert (rec.ref, rec.text, rec.recommending, rec.response) == (
        "48.5",
        "Ratify the Convention",
        ["Chile"],
        "noted",
    )
    assert (rec.cycle, rec.session, rec.sdgs, rec.themes) == (
        4,
        48,
        ["5"],
        ["Death penalty"],
    )
    assert _problems(batch) == [("warning", "Export", None, "Body", "CRC ×1")]


def test_xlsx_reccomending_body_beside_a_body_column_is_the_recommending_states(
    tmp_path,
):
    headers = [
        "Text",
        "Countries",
        "Body",
        "Reccomending Body",
        "UPR Position",
        "UPR Session",
    ]
    rows = [
        [
            "48.5 Ratify the Convention",
            "- Kazakhstan",
            "- UPR",
            "- Chile\n- Peru",
            "- Supported",
            "48",
        ]
    ]
    (rec,) = read_uhri_xlsx(builder.write_uhri_xlsx(tmp_path / "x.xlsx", headers=headers, rows=rows)).recommendations
    assert (rec.text, rec.recommending) == ("Ratify the Convention", ["Chile", "Peru"])


def test_xlsx_missing_required_column(tmp_path):
    headers = ["Text", "Reccomending Body", "UPR Position", "UPR Session"]
    rows = [["48.5 Ratify (Chile)", "- UPR", "- Supported", "48"]]
    batch = read_uhri_xlsx(builder.write_uhri_xlsx(tmp_path / "x.xlsx", headers=headers, rows=rows))
    assert batch.recommendations == []
    assert len(batch.problems) == 1
    problem = batch.problems[0]
    assert (problem.severity, problem.sheet, problem.value) == (
        "error", "Export", "Text, Reccomending Body, UPR Position, UPR Session",
    )  # fmt: skip
    assert problem.expected == (
        "A column with the State under review is needed («Countries», «Countries Concerned», «Country», "
        "«Country Concerned»)."
    )


def test_xlsx_of_another_kind_is_refused(tmp_path):
    headers = [
        "SuR",
        "Rgrp",
        "Org",
        "Recommendation",
        "RS",
        "Rgrp",
        "Org",
        "Response",
        "Action",
        "Issue",
        "Session",
    ]
    batch = read_uhri_xlsx(builder.write_uhri_xlsx(tmp_path / "x.xlsx", headers=headers, rows=[]))
    assert len(batch.errors) == 1
    assert batch.errors[0].code == "uhri_no_header"
    assert batch.errors[0].value.startswith("«Export»: SuR, Rgrp, Org, Recommendation")


def test_damaged_xlsx_is_one_error(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    batch = read_uhri_xlsx(path)
    assert batch.recommendations == []
    assert len(batch.errors) == 1


def test_fixtures_match_their_builder(tmp_path):
    for written in builder.build(tmp_path):
        committed = FIXTURES / written.relative_to(tmp_path)
        assert written.read_bytes() == committed.read_bytes(), committed.name

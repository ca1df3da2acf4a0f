"""The States reference table (data/states.csv, data/state_aliases.csv) and upr.states."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from upr.states import (
    ALIASES_CSV,
    ALIASES_HEADER,
    REGIONAL_GROUP_CODES,
    STATES_CSV,
    STATES_HEADER,
    State,
    StateIndex,
    load_aliases,
    load_states,
    normalise_name,
    parse_regional_group,
)

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "real"
UPR_INFO_CSV = REAL / "upr-info-export" / "upr-info_sessions17-20.csv"
WG_REPORTS = REAL / "un-wg-reports"

STATES = load_states()
CYRILLIC = re.compile(r"^[\u0400-\u04FF][\u0400-\u04FF '’—()-]*$")


def test_headers_are_exact() -> None:
    with STATES_CSV.open(encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == STATES_HEADER
    with ALIASES_CSV.open(encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == ALIASES_HEADER


def test_193_members_and_two_observers() -> None:
    assert len(STATES) == 195
    assert Counter(s.un_status for s in STATES) == {"member": 193, "observer": 2}
    assert sorted(s.iso3 for s in STATES if s.un_status == "observer") == ["PSE", "VAT"]


@pytest.mark.parametrize("field", ["iso3", "iso2", "name_en", "name_ru", "name_kk"])
def test_codes_and_names_are_unique(field: str) -> None:
    values = [getattr(s, field) for s in STATES]
    assert [v for v, n in Counter(values).items() if n > 1] == []


def test_code_shapes() -> None:
    assert [s.iso3 for s in STATES if not re.fullmatch(r"[A-Z]{3}", s.iso3)] == []
    assert [s.iso2 for s in STATES if not re.fullmatch(r"[A-Z]{2}", s.iso2)] == []


def test_every_name_is_filled_and_ru_kk_are_cyrillic() -> None:
    assert [s.iso3 for s in STATES if not s.name_en.strip()] == []
    assert [s.name_ru for s in STATES if not CYRILLIC.match(s.name_ru)] == []
    assert [s.name_kk for s in STATES if not CYRILLIC.match(s.name_kk)] == []


def test_regional_groups() -> None:
    assert {s.regional_group for s in STATES} - {None} <= set(REGIONAL_GROUP_CODES)
    assert [s.iso3 for s in STATES if s.un_status == "member" and not s.regional_group] == []
    members = Counter(s.regional_group for s in STATES if s.un_status == "member")
    assert members == {
        "african": 54,
        "asia_pacific": 54,
        "eeg": 23,
        "grulac": 33,
        "weog": 29,
    }


@pytest.mark.parametrize(
    ("iso3", "group"),
    [
        ("TUR", "weog"),
        ("USA", "weog"),
        ("ISR", "weog"),
        ("KIR", "asia_pacific"),
        ("CYP", "asia_pacific"),
        ("KAZ", "asia_pacific"),
        ("RUS", "eeg"),
        ("PSE", "asia_pacific"),
        ("VAT", None),
    ],
)
def test_groups_of_special_cases(iso3: str, group: str | None) -> None:
    assert StateIndex.default().get(iso3).regional_group == group


def test_state_names_by_language() -> None:
    kaz = StateIndex.default().get("KAZ")
    assert kaz == State("KAZ", "KZ", "Kazakhstan", "Казахстан", "Қазақстан", "asia_pacific", "member")
    assert [kaz.name(lang) for lang in ("en", "ru", "kk", "de")] == [
        "Kazakhstan",
        "Казахстан",
        "Қазақстан",
        "Kazakhstan",
    ]
    rus = StateIndex.default().get("rus")
    assert (rus.name_en, rus.name_ru, rus.name_kk) == (
        "Russian Federation",
        "Российская Федерация",
        "Ресей Федерациясы",
    )


def test_get_unknown_code_raises() -> None:
    with pytest.raises(KeyError, match="XXX"):
        StateIndex.default().get("XXX")


def test_default_index_is_built_once() -> None:
    assert StateIndex.default() is StateIndex.default()


def test_aliases_point_to_known_states_and_are_not_redundant() -> None:
    codes = {s.iso3 for s in STATES}
    aliases = load_aliases()
    assert [a for a, iso3 in aliases if iso3 not in codes] == []
    assert [a for a, n in Counter(a for a, _ in aliases).items() if n > 1] == []
    names = {normalise_name(n) for s in STATES for n in (s.iso3, s.name_en, s.name_ru, s.name_kk)}
    assert [a for a, _ in aliases if normalise_name(a) in names] == []


def test_index_refuses_a_name_shared_by_two_states() -> None:
    a = State("AAA", "AA", "Congo", "Конго", "Конго", "african", "member")
    b = State("BBB", "BB", "Niger", "Нигер", "Нигер", "african", "member")
    with pytest.raises(ValueError, match="matches both AAA and BBB"):
        StateIndex([a, b], [("The Congo", "BBB")])
    with pytest.raises(ValueError, match="unknown ISO3 'CCC'"):
        StateIndex([a, b], [("Somewhere", "CCC")])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("  The   Netherlands ", "netherlands"),
        ("(Mexico);", "mexico"),
        ("Iran (Islamic Republic of)", "iran (islamic republic of)"),
        ("Guinea – Bissau", "guinea-bissau"),
        ("Папуа — Новая Гвинея", "папуа-новая гвинея"),
        ("Соединённые Штаты Америки", "соединенные штаты америки"),
        ("Йемен", "йемен"),
        ("Қазақстан", "қазақстан"),
        ("«Россия»", "россия"),
        ("TÜRKIYE", "turkiye"),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("KAZ", "KAZ"),
        ("kaz", "KAZ"),
        ("Kazakhstan", "KAZ"),
        ("Казахстан", "KAZ"),
        ("Қазақстан", "KAZ"),
        ("Russian Federation", "RUS"),
        ("Russia", "RUS"),
        ("Россия", "RUS"),
        ("Ресей Федерациясы", "RUS"),
        ("Ресей", "RUS"),
        ("Bolivia", "BOL"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("the former Yugoslav Republic of Macedonia", "MKD"),
        ("Macedonia FYR", "MKD"),
        ("Turkey", "TUR"),
        ("Turkiye", "TUR"),
        ("Турция", "TUR"),
        ("Czech Republic", "CZE"),
        ("Iran", "IRN"),
        ("Iran (Islamic republic of)", "IRN"),
        ("Syria", "SYR"),
        ("Venezuela", "VEN"),
        ("Tanzania", "TZA"),
        ("Moldova", "MDA"),
        ("Молдавия", "MDA"),
        ("Laos", "LAO"),
        ("Lao People’s Democratic Republic", "LAO"),
        ("Vietnam", "VNM"),
        ("Viet Nam", "VNM"),
        ("Ivory Coast", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Кот-д'Ивуар", "CIV"),
        ("Cape Verde", "CPV"),
        ("Micronesia", "FSM"),
        ("UK", "GBR"),
        ("United Kingdom", "GBR"),
        ("Great Britain", "GBR"),
        ("Великобритания", "GBR"),
        ("USA", "USA"),
        ("United States", "USA"),
        ("США", "USA"),
        ("АҚШ", "USA"),
        ("South Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("Южная Корея", "KOR"),
        ("North Korea", "PRK"),
        ("DPR Korea", "PRK"),
        ("Democratic People’s Republic of Korea", "PRK"),
        ("Palestine", "PSE"),
        ("State of Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("Holy See (Vatican)", "VAT"),
        ("Brunei", "BRN"),
        ("Burma", "MMR"),
        ("Киргизия", "KGZ"),
        ("Kyrgyzstan", "KGZ"),
        ("Белоруссия", "BLR"),
        ("Туркмения", "TKM"),
        ("Иран", "IRN"),
        ("Сирия", "SYR"),
        ("Republic of Congo", "COG"),
        ("Congo", "COG"),
        ("Democratic Republic of Congo", "COD"),
        ("Bosnia & Herzegovina", "BIH"),
        ("Trinidad & Tobago", "TTO"),
        ("Netherlands", "NLD"),
        ("the Gambia", "GMB"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Dominica", "DMA"),
        ("Dominican Republic", "DOM"),
        ("Guinea", "GIN"),
        ("Papua-Новая Гвинея", None),
        ("Korea", None),
        ("Observer", None),
        ("", None),
        (None, None),
    ],
)
def test_resolve(name: str | None, iso3: str | None) -> None:
    assert StateIndex.default().resolve(name) == iso3


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Africa", "african"),
        ("Asia", "asia_pacific"),
        ("EEG", "eeg"),
        ("GRULAC", "grulac"),
        ("WEOG", "weog"),
        ("Asia-Pacific Group", "asia_pacific"),
        ("Группа восточноевропейских государств", "eeg"),
        ("weog", "weog"),
        ("Observer", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_regional_group(value: str | None, code: str | None) -> None:
    assert parse_regional_group(value) == code


# Real published files: skipped where ../shared is absent.


@pytest.fixture(scope="module")
def upr_info_rows() -> list[dict[str, str]]:
    if not UPR_INFO_CSV.exists():
        pytest.skip("real UPR Info export not available")
    with UPR_INFO_CSV.open(encoding="mac_roman", newline="") as f:
        return list(csv.DictReader(f))


def test_every_upr_info_state_resolves(upr_info_rows: list[dict[str, str]]) -> None:
    index = StateIndex.default()
    spellings = {row[col] for row in upr_info_rows for col in ("To", "From")}
    assert len(spellings) == 166
    assert sorted(s for s in spellings if index.resolve(s) is None) == []


def test_upr_info_regional_groups_agree_with_ours(
    upr_info_rows: list[dict[str, str]],
) -> None:
    index = StateIndex.default()
    disagreements = set()
    for row in upr_info_rows:
        for side in ("To", "From"):
            state = index.get(index.resolve(row[side]) or "")
            group = parse_regional_group(row[f"{side}-Rgrp"])
            # UPR Info files observers under "Observer" rather than under a group.
            if group != state.regional_group and row[f"{side}-Rgrp"] != "Observer":
                disagreements.add((row[side], row[f"{side}-Rgrp"]))
    assert disagreements == set()
    observers = {
        index.resolve(row[side])
        for row in upr_info_rows
        for side in ("To", "From")
        if row[f"{side}-Rgrp"] == "Observer"
    }
    assert observers == {"VAT", "PSE"}


@pytest.fixture(scope="module")
def kazakhstan_2014_text() -> str:
    pdf = WG_REPORTS / "kazakhstan2014.pdf"
    if not pdf.exists():
        pytest.skip("real Working Group report not available")
    from etl.readers.wg_report import extract_text

    return extract_text(pdf)


def test_every_state_of_the_kazakhstan_2014_report_resolves(
    kazakhstan_2014_text: str,
) -> None:
    from etl.readers.wg_report import parse_wg_report

    index = StateIndex.default()
    batch = parse_wg_report(kazakhstan_2014_text, "kazakhstan2014.pdf")
    names = [name for rec in batch.recommendations for name in rec.recommending]
    assert len(names) == 198  # recommendation-State pairs in A/HRC/28/10
    spellings = set(names)
    assert len(spellings) == 72
    assert sorted(s for s in spellings if index.resolve(s) is None) == []
    resolved = Counter(index.resolve(n) for n in names)
    assert (resolved["IRN"], resolved["VEN"], resolved["PRK"], resolved["LAO"]) == (
        4,
        2,
        1,
        1,
    )
    assert (resolved["GBR"], resolved["USA"], resolved["TUR"], resolved["CZE"]) == (
        2,
        3,
        3,
        4,
    )

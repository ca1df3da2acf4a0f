"""The canonical theme and group lists, the source mappings, and UPR Info issue splitting."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from upr.themes import (
    SOURCES,
    MapRow,
    ThemeIndex,
    load_group_map,
    load_groups,
    load_theme_map,
    load_themes,
    normalise,
    resolve_group,
    resolve_theme,
    split_upr_info_issues,
    strip_code,
)

REAL_UPR_INFO_CSV = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "fixtures"
    / "real"
    / "upr-info-export"
    / "upr-info_sessions17-20.csv"
)

# The themes DOMAIN.md says the coalition and a UPR need; each must exist as its own code.
REQUIRED_THEMES = {
    "death_penalty",
    "torture",
    "justice",
    "international_instruments",
    "un_cooperation",
    "nhri",
    "human_rights_defenders",
    "freedom_expression",
    "peaceful_assembly",
    "association",
    "religion",
    "women",
    "children",
    "disability",
    "migrants_refugees",
    "trafficking",
    "labour",
    "health",
    "education",
    "economic_social",
    "environment",
    "minorities_indigenous",
    "lgbti",
    "equality_non_discrimination",
    "liberty_security",
    "right_to_life",
    "human_rights_education",
    "national_framework",
    "general",
}

REQUIRED_GROUPS = {
    "women_girls",
    "children",
    "persons_with_disabilities",
    "migrants",
    "refugees_asylum_seekers",
    "human_rights_defenders",
    "journalists_media",
    "lgbti",
    "minorities",
    "indigenous",
    "older_persons",
    "persons_deprived_of_liberty",
    "youth",
    "rural",
    "persons_living_in_poverty",
    "stateless",
}


def test_theme_codes_unique_snake_case_and_sorted():
    themes = load_themes()
    codes = [t.code for t in themes]
    assert len(codes) == len(set(codes)) == 33
    assert all(c.isascii() and c == c.lower() and " " not in c for c in codes)
    assert REQUIRED_THEMES <= set(codes)
    assert [t.sort for t in themes] == sorted(t.sort for t in themes)
    assert len({t.sort for t in themes}) == len(themes)


def test_group_codes_unique_and_cover_brief():
    codes = [g.code for g in load_groups()]
    assert len(codes) == len(set(codes)) == 27
    assert REQUIRED_GROUPS <= set(codes)


@pytest.mark.parametrize("loader", [load_themes, load_groups])
def test_labels_present_in_every_language(loader):
    for term in loader():
        for lang in ("en", "ru", "kk"):
            assert term.label(lang).strip(), (term.code, lang)
        # Russian and Kazakh labels are in Cyrillic, not left in English.
        assert any("а" <= ch.lower() <= "я" for ch in term.label_ru), term.code
        assert any(ch in "абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі" for ch in term.label_kk.lower())


def test_label_falls_back_to_english_for_unknown_language():
    death = ThemeIndex.default().theme("death_penalty")
    assert death is not None
    assert (
        death.label("ru"),
        death.label("en"),
        death.label("kk"),
        death.label("de"),
    ) == (
        "Смертная казнь",
        "Death penalty",
        "Өлім жазасы",
        "Death penalty",
    )


def test_every_theme_map_target_exists():
    codes = {t.code for t in load_themes()}
    rows = load_theme_map()
    assert {r.source for r in rows} == set(SOURCES)
    assert [r for r in rows if r.code not in codes] == []


def test_every_group_map_target_exists():
    codes = {g.code for g in load_groups()}
    rows = load_group_map()
    assert {r.source for r in rows} == {"uhri", "canonical"}
    assert [r for r in rows if r.code not in codes] == []


@pytest.mark.parametrize(
    ("terms", "rows"),
    [(load_themes, load_theme_map), (load_groups, load_group_map)],
)
def test_canonical_rows_hold_every_label_and_no_synonym_is_ambiguous(terms, rows):
    canonical = [r for r in rows() if r.source == "canonical"]
    present = {(normalise(r.label), r.code) for r in canonical}
    for term in terms():
        for text in (term.label_en, term.label_ru, term.label_kk):
            assert (normalise(text), term.code) in present, (term.code, text)
    targets: dict[str, set[str]] = {}
    for r in canonical:
        targets.setdefault(normalise(r.label), set()).add(r.code)
    assert {k: v for k, v in targets.items() if len(v) > 1} == {}


def test_only_the_combined_upr_info_issue_maps_to_two_themes():
    targets: dict[tuple[str, str], set[str]] = {}
    for r in load_theme_map():
        targets.setdefault((r.source, normalise(r.label)), set()).add(r.code)
    multi = {k: v for k, v in targets.items() if len(v) > 1}
    assert multi == {
        ("upr_info", "freedom of association and peaceful assembly"): {
            "peaceful_assembly",
            "association",
        }
    }


def test_upr_info_map_lists_the_54_issues_of_the_2015_export():
    labels = {r.label for r in load_theme_map() if r.source == "upr_info"}
    assert len(labels) == 54
    assert {
        "Death penalty",
        "Torture and other CID treatment",
        "Women's rights",
        "NHRI",
    } <= labels


@pytest.mark.parametrize(
    ("source", "label", "expected"),
    [
        # UPR Info issues, exact and sloppy.
        ("upr_info", "Death penalty", "death_penalty"),
        ("upr_info", "Torture and other CID treatment", "torture"),
        ("upr_info", "  torture  AND other cid treatment ", "torture"),
        ("upr_info", "Women’s rights", "women"),
        ("upr_info", "Rights of the Child", "children"),
        (
            "upr_info",
            "Freedom of association and peaceful assembly",
            "peaceful_assembly",
        ),
        ("upr_info", "Freedom of opinion and expression", "freedom_expression"),
        ("upr_info", "Freedom of the press", "freedom_expression"),
        ("upr_info", "Justice", "justice"),
        ("upr_info", "NHRI", "nhri"),
        ("upr_info", "Human rights defenders", "human_rights_defenders"),
        ("upr_info", "HIV - Aids", "health"),
        ("upr_info", "Sexual Orientation and Gender Identity", "lgbti"),
        # OHCHR cycle-2 codes, with and without the code, and "&" against "and".
        (
            "matrix",
            "A12 Acceptance of international norms",
            "international_instruments",
        ),
        ("matrix", "Acceptance of international norms", "international_instruments"),
        ("uhri", "A12 Acceptance of international norms", "international_instruments"),
        ("uhri", "D21 Right to life", "right_to_life"),
        ("uhri", "B51 Right to an effective remedy", "justice"),
        (
            "matrix",
            "D25 Prohibition of torture and cruel, inhuman or degrading treatment",
            "torture",
        ),
        ("matrix", "Theme: D51 Administration of justice & fair trial", "justice"),
        ("matrix", "D51 Administration of justice and fair trial", "justice"),
        (
            "matrix",
            "G2 Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)",
            "lgbti",
        ),
        ("matrix", "A45 National Human Rights Institution (NHRI)", "nhri"),
        # Cycles 3 and 4.
        (
            "matrix",
            "Ratification of & accession to international instruments",
            "international_instruments",
        ),
        (
            "uhri",
            "Ratification of and accession to international instruments",
            "international_instruments",
        ),
        ("matrix", "Human rights & the environment", "environment"),
        ("matrix", "Human trafficking & contemporary forms of slavery", "trafficking"),
        ("matrix", "Freedom of thought, conscience & religion", "religion"),
        (
            "matrix",
            "Budget &resources (for human rights implementation)",
            "national_framework",
        ),
        ("uhri", "Conditions of detention", "torture"),
        # Codes we did not see printed still resolve through the canonical labels.
        ("matrix", "D23 Death penalty", "death_penalty"),
        ("uhri", "D44 Right to peaceful assembly", "peaceful_assembly"),
        ("uhri", "D45 Freedom of association", "association"),
        ("uhri", "H1 Human rights defenders", "human_rights_defenders"),
        # Canonical labels and synonyms in every language; unknown sources fall back to them.
        ("canonical", "Смертная казнь", "death_penalty"),
        ("canonical", "Пытки", "torture"),
        ("canonical", "Өлім жазасы", "death_penalty"),
        ("canonical", "death_penalty", "death_penalty"),
        ("template", "Свобода мирных собраний", "peaceful_assembly"),
        ("template", "Права ребенка", "children"),
        ("template", "Права ребёнка", "children"),
        ("template", "Healthy environment and climate", "environment"),
        ("upr_info", "Свобода слова", "freedom_expression"),
        # A label pasted from another source still resolves when every source agrees.
        ("template", "Torture and other CID treatment", "torture"),
    ],
)
def test_resolve_theme(source, label, expected):
    assert resolve_theme(source, label) == expected


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("upr_info", ""),
        ("upr_info", "   "),
        ("matrix", "Zz99 Nothing of the kind"),
        ("template", "Котики"),
    ],
)
def test_resolve_theme_misses(source, label):
    assert resolve_theme(source, label) is None


def test_resolve_themes_gives_both_themes_of_a_combined_issue():
    index = ThemeIndex.default()
    assert index.resolve_themes("upr_info", "Freedom of association and peaceful assembly") == [
        "peaceful_assembly",
        "association",
    ]
    assert index.resolve_themes("upr_info", "Death penalty") == ["death_penalty"]


@pytest.mark.parametrize(
    ("source", "label", "expected"),
    [
        ("uhri", "women & girls", "women_girls"),
        ("uhri", "Women and girls", "women_girls"),
        ("uhri", "children", "children"),
        ("uhri", "persons with disabilities", "persons_with_disabilities"),
        ("uhri", "migrants", "migrants"),
        ("uhri", "Migrants & domestic workers", "migrants"),
        ("uhri", "human rights defenders", "human_rights_defenders"),
        ("uhri", "members of minorities", "minorities"),
        (
            "uhri",
            "minorities/ racial, ethnic, linguistic, religious or descent-based groups",
            "minorities",
        ),
        ("uhri", "Roma, Gypsies, Sinti & Travellers", "minorities"),
        ("uhri", "persons deprived of their liberty", "persons_deprived_of_liberty"),
        (
            "uhri",
            "Persons deprived of their liberty & detainees",
            "persons_deprived_of_liberty",
        ),
        ("uhri", "lesbian, gay, bisexual, transgender and intersex persons", "lgbti"),
        (
            "uhri",
            "lesbian, gay, bisexual, transgender and intersex persons (LGBTI)",
            "lgbti",
        ),
        ("uhri", "refugees & asylum seekers", "refugees_asylum_seekers"),
        ("uhri", "stateless persons", "stateless"),
        ("uhri", "Youth & juveniles", "youth"),
        ("uhri", "older persons", "older_persons"),
        ("uhri", "persons living in rural areas", "rural"),
        ("uhri", "persons living in poverty", "persons_living_in_poverty"),
        ("uhri", "Media", "journalists_media"),
        ("matrix", "Law enforcement / police & prison officials", "law_enforcement"),
        ("canonical", "Женщины и девочки", "women_girls"),
        ("canonical", "Правозащитники", "human_rights_defenders"),
        ("template", "Лица, лишенные свободы", "persons_deprived_of_liberty"),
        ("template", "Мүгедектігі бар адамдар", "persons_with_disabilities"),
    ],
)
def test_resolve_group(source, label, expected):
    assert resolve_group(source, label) == expected


def test_resolve_group_miss():
    assert resolve_group("uhri", "martians") is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("A12 Acceptance of international norms", "Acceptance of international norms"),
        (
            "A3 Inter-State cooperation & development assistance",
            "Inter-State cooperation & development assistance",
        ),
        ("Theme: F41 Persons with disabilities", "Persons with disabilities"),
        ("2.1 Acceptance of international norms", "Acceptance of international norms"),
        (
            "2030 Agenda & other voluntary commitments",
            "2030 Agenda & other voluntary commitments",
        ),
        ("Right to life", "Right to life"),
    ],
)
def test_strip_code(label, expected):
    assert strip_code(label) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Death penalty", ["Death penalty"]),
        (
            "International instruments,Torture and other CID treatment,Women's rights",
            [
                "International instruments",
                "Torture and other CID treatment",
                "Women's rights",
            ],
        ),
        ("Justice, Detention ,  Impunity", ["Justice", "Detention", "Impunity"]),
        ("Labour,,Migrants,", ["Labour", "Migrants"]),
        ("Trafficking,Trafficking", ["Trafficking"]),
        ("", []),
        (None, []),
        # An OHCHR name with a comma pasted into an Issue cell stays whole.
        (
            "Trafficking,Prohibition of slavery, trafficking,Women's rights",
            ["Trafficking", "Prohibition of slavery, trafficking", "Women's rights"],
        ),
        (
            "D25 Prohibition of torture and cruel,inhuman or degrading treatment,Detention",
            [
                "D25 Prohibition of torture and cruel,inhuman or degrading treatment",
                "Detention",
            ],
        ),
        # An unknown issue is kept as written, piece by piece.
        ("Justice,Something new,Labour", ["Justice", "Something new", "Labour"]),
    ],
)
def test_split_upr_info_issues(cell, expected):
    assert split_upr_info_issues(cell) == expected


def test_split_keeps_a_comma_issue_known_to_its_own_map():
    index = ThemeIndex(
        load_themes(),
        load_groups(),
        [
            MapRow(
                "upr_info",
                "Torture and other cruel, inhuman or degrading treatment",
                "torture",
            ),
            MapRow("upr_info", "Women, peace and security", "women"),
            MapRow("upr_info", "Justice", "justice"),
        ],
        [],
    )
    cell = "Women, peace and security,Torture and other cruel, inhuman or degrading treatment,Justice"
    issues = index.split_upr_info_issues(cell)
    assert issues == [
        "Women, peace and security",
        "Torture and other cruel, inhuman or degrading treatment",
        "Justice",
    ]
    assert [index.resolve_theme("upr_info", i) for i in issues] == [
        "women",
        "torture",
        "justice",
    ]


def test_default_index_is_built_once():
    assert ThemeIndex.default() is ThemeIndex.default()


def _real_rows() -> list[dict[str, str]]:
    if not REAL_UPR_INFO_CSV.exists():
        pytest.skip("real fixtures folder ../shared/fixtures/real is absent")
    with open(REAL_UPR_INFO_CSV, encoding="mac_roman", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_issue_of_the_real_upr_info_export_maps_to_a_theme():
    rows = _real_rows()
    assert len(rows) == 7984
    issues = Counter(issue for row in rows for issue in split_upr_info_issues(row["Issue"]))
    assert len(issues) == 54
    assert [i for i in issues if resolve_theme("upr_info", i) is None] == []
    # Splitting on the known list agrees with a plain split: no 2015 issue holds a comma.
    plain = Counter(p for row in rows for p in row["Issue"].split(",") if p)
    assert issues == plain
    assert issues["Women's rights"] == 1635
    assert issues["Death penalty"] == 342


def test_real_kazakhstan_2014_rows_by_theme():
    rows = [r for r in _real_rows() if r["To"] == "Kazakhstan"]
    assert len(rows) == 198
    per_theme = Counter(
        resolve_theme("upr_info", issue) for row in rows for issue in split_upr_info_issues(row["Issue"])
    )
    assert per_theme["death_penalty"] == 14
    assert per_theme["torture"] == 16
    assert per_theme["international_instruments"] == 45
    assert per_theme["peaceful_assembly"] == 12
    assert None not in per_theme

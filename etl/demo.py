"""The built-in demo: Kazakhstan's four UPR cycles with totals from the public record.

Counts and positions follow DOMAIN.md (128; 194 = 143 supported / 51 noted; 245 = 214 / 31;
294 with 259 supported) and the known thematic facts of cycle 3 (16 recommendations on the death
penalty, 8 on torture, 5 on justice). Texts, recommending States, assessments and the cycle-3 day
of review are illustrative; the app says so while it shows only demo data.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date

import duckdb

from etl.demo_texts import TEXTS, VARIANTS
from etl.load import import_batch
from etl.model import Batch, DocumentInfo, RawAssessment, RawRecommendation
from etl.report import ImportReport
from upr.i18n import t as _t

DEMO_VERSION = "kaz-demo-2"
DEMO_FILE = "demo: Kazakhstan, cycles 1–4"
SEED = 2025


@dataclass(frozen=True)
class DemoCycle:
    cycle: int
    session: int
    review_date: date
    symbol: str | None
    total: int
    supported: int
    pairs_extra: int  # recommendations made jointly by two States
    blocks: tuple[tuple[str, int], ...]  # (paragraph, number of items) in order; supported blocks first
    fixed_themes: tuple[tuple[str, int], ...]  # themes whose counts are a matter of record
    addendum: str | None = None  # the addendum's symbol, where the public record states it
    answered_in_addendum: tuple[str, ...] = ()  # the paragraphs whose positions the addendum gave


CYCLES = (
    # Cycle 1: 95.x supported in the report; 97.x "will be examined", answered in the addendum.
    DemoCycle(
        1,
        7,
        date(2010, 2, 12),
        "A/HRC/14/10",
        128,
        121,
        1,
        (("95", 102), ("97", 26)),
        (("death_penalty", 5),),
        addendum="A/HRC/14/10/Add.1",
        answered_in_addendum=("97",),
    ),
    DemoCycle(
        2,
        20,
        date(2014, 10, 30),
        "A/HRC/28/10",
        194,
        143,
        4,
        (("124", 39), ("125", 104), ("126", 51)),
        (("death_penalty", 9),),
    ),
    DemoCycle(
        3,
        34,
        date(2019, 11, 7),
        "A/HRC/43/10",
        245,
        214,
        5,
        (("134", 214), ("135", 31)),
        (("death_penalty", 16), ("torture", 8), ("justice", 5)),
        # The report lists every recommendation as to be examined: the addendum gave every position.
        addendum="A/HRC/43/10/Add.1",
        answered_in_addendum=("134", "135"),
    ),
    DemoCycle(4, 48, date(2025, 1, 23), None, 294, 259, 6, (("156", 259), ("157", 35)), (("death_penalty", 12),)),
)

# Share of the remaining recommendations per theme (weights), the same in every cycle.
THEME_WEIGHTS = {
    "international_instruments": 12,
    "un_cooperation": 5,
    "national_framework": 8,
    "nhri": 4,
    "human_rights_defenders": 3,
    "human_rights_education": 4,
    "equality_non_discrimination": 6,
    "torture": 6,
    "justice": 6,
    "liberty_security": 3,
    "freedom_expression": 7,
    "peaceful_assembly": 4,
    "association": 4,
    "religion": 4,
    "women": 10,
    "children": 8,
    "disability": 6,
    "migrants_refugees": 4,
    "trafficking": 6,
    "labour": 3,
    "health": 4,
    "education": 4,
    "economic_social": 5,
    "environment": 2,
    "minorities_indigenous": 3,
    "lgbti": 2,
}
# Themes that Kazakhstan tends to note rather than support, in order of preference.
NOTED_FIRST = (
    "death_penalty",
    "lgbti",
    "peaceful_assembly",
    "international_instruments",
    "association",
    "religion",
    "freedom_expression",
    "human_rights_defenders",
)

GROUPS = {
    "women": "women_girls",
    "children": "children",
    "disability": "persons_with_disabilities",
    "migrants_refugees": "migrants",
    "human_rights_defenders": "human_rights_defenders",
    "freedom_expression": "journalists_media",
    "torture": "persons_deprived_of_liberty",
    "lgbti": "lgbti",
    "minorities_indigenous": "minorities",
    "economic_social": "persons_living_in_poverty",
}
SDGS = {
    "women": "5",
    "children": "16.2",
    "education": "4",
    "health": "3",
    "justice": "16.3",
    "economic_social": "1",
    "labour": "8",
    "environment": "13",
    "equality_non_discrimination": "10",
    "trafficking": "8.7",
    "disability": "10.2",
    "torture": "16",
    "nhri": "16.a",
}
AGENCIES = {
    "justice": "Ministry of Justice",
    "death_penalty": "Ministry of Justice",
    "torture": "Prosecutor General's Office",
    "international_instruments": "Ministry of Foreign Affairs",
    "un_cooperation": "Ministry of Foreign Affairs",
    "women": "Ministry of Labour and Social Protection",
    "labour": "Ministry of Labour and Social Protection",
    "children": "Ministry of Education",
    "education": "Ministry of Education",
    "health": "Ministry of Health",
    "freedom_expression": "Ministry of Culture and Information",
    "religion": "Ministry of Culture and Information",
    "peaceful_assembly": "Ministry of Internal Affairs",
    "migrants_refugees": "Ministry of Internal Affairs",
    "trafficking": "Ministry of Internal Affairs",
    "liberty_security": "Ministry of Internal Affairs",
}
RECOMMENDERS = {
    "weog": (
        "AUT",
        "BEL",
        "CAN",
        "DNK",
        "FIN",
        "FRA",
        "DEU",
        "ISL",
        "IRL",
        "ITA",
        "NLD",
        "NZL",
        "NOR",
        "PRT",
        "ESP",
        "SWE",
        "CHE",
        "GBR",
        "USA",
        "AUS",
    ),
    "eeg": ("BLR", "CZE", "EST", "GEO", "LVA", "LTU", "POL", "RUS", "SVN", "UKR", "AZE", "ARM", "MNE", "SRB", "MDA"),
    "asia_pacific": (
        "CHN",
        "IND",
        "IDN",
        "JPN",
        "KGZ",
        "TJK",
        "UZB",
        "TKM",
        "PAK",
        "IRN",
        "QAT",
        "SAU",
        "ARE",
        "VNM",
        "PHL",
        "KOR",
        "MYS",
        "THA",
        "LKA",
        "NPL",
        "MNG",
        "KWT",
        "OMN",
        "BHR",
    ),
    "african": ("DZA", "EGY", "NGA", "ZAF", "GMB", "ETH", "KEN", "MAR", "TUN", "SEN", "GHA", "SDN"),
    "grulac": ("ARG", "BOL", "BRA", "CHL", "CUB", "ECU", "MEX", "PRY", "PER", "URY", "VEN", "HND"),
}
# Who tends to recommend what: civil and political rights from the WEOG and the EEG, the rest from all.
ABOLITIONIST_GROUPS = ("weog", "weog", "eeg", "grulac")
ALL_GROUPS = ("weog", "eeg", "asia_pacific", "asia_pacific", "african", "grulac")

GOVERNMENT = "Министерство юстиции Республики Казахстан"
NGO = "Коалиция НПО Казахстана по УПО"
NHRI = "Уполномоченный по правам человека в Республике Казахстан"
# Comments as stored: the demo's catalog texts in Russian, shown in the reader's language (upr.demo_i18n).
COMMENTS = {kind: _t(f"demo.comment_{kind}", "ru") for kind in ("government", "ngo", "nhri", "ngo_noted")}
# status -> weights of what the NGOs say when the government says this (they disagree as in life).
NGO_VIEW = {
    "implemented": {"implemented": 3, "partially_implemented": 4, "formally_implemented": 3, "no_progress": 1},
    "partially_implemented": {
        "partially_implemented": 3,
        "formally_implemented": 2,
        "no_progress": 2,
        "not_implemented": 2,
    },
    "in_progress": {"in_progress": 2, "no_progress": 3, "not_implemented": 3, "partially_implemented": 1},
}
# (cycle, as of, weights) for the government's own assessments of supported recommendations.
GOVERNMENT_ROUNDS = (
    (1, date(2013, 6, 30), {"implemented": 6, "partially_implemented": 2, "in_progress": 2}),
    (2, date(2018, 12, 31), {"implemented": 5, "partially_implemented": 2, "in_progress": 3}),
    (3, date(2022, 6, 30), {"implemented": 3, "partially_implemented": 2, "in_progress": 5}),
    (3, date(2024, 12, 31), {"implemented": 6, "partially_implemented": 2, "in_progress": 2}),
    (4, date(2025, 9, 30), {"implemented": 1, "partially_implemented": 1, "in_progress": 8}),
)
NGO_ROUNDS = {
    (1, date(2013, 6, 30)): date(2013, 10, 15),
    (2, date(2018, 12, 31)): date(2019, 5, 31),
    (3, date(2022, 6, 30)): date(2022, 9, 30),
    (3, date(2024, 12, 31)): date(2024, 10, 31),
    (4, date(2025, 9, 30)): date(2025, 11, 15),
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _themes_for(cycle: DemoCycle, rng: random.Random) -> list[str]:
    """One theme per recommendation: the counts of record, the rest spread by weight."""
    fixed = dict(cycle.fixed_themes)
    rest = cycle.total - sum(fixed.values())
    total_w = sum(w for t, w in THEME_WEIGHTS.items() if t not in fixed)
    counts = {t: rest * w // total_w for t, w in THEME_WEIGHTS.items() if t not in fixed}
    for t in sorted(counts, key=lambda t: -THEME_WEIGHTS[t])[: rest - sum(counts.values())]:
        counts[t] += 1
    counts.update(fixed)
    themes = [t for t, n in counts.items() for _ in range(n)]
    rng.shuffle(themes)
    return themes


def demo_recommendations() -> list[RawRecommendation]:
    """Every demo recommendation, deterministic."""
    from upr.states import StateIndex
    from upr.themes import load_groups, load_themes

    states = StateIndex.default()
    # Labels as a person would write them in our template (English), mapped back to codes on import.
    theme_labels = {t.code: t.label_en for t in load_themes()}
    group_labels = {g.code: g.label_en for g in load_groups()}
    rng = random.Random(SEED)
    recs = []
    for c in CYCLES:
        themes = _themes_for(c, rng)
        # The noted ones: first the themes Kazakhstan tends to note, then at random.
        order = sorted(
            range(c.total),
            key=lambda i: (NOTED_FIRST.index(themes[i]) if themes[i] in NOTED_FIRST else 99, rng.random()),
        )
        noted = set(order[: c.total - c.supported])
        # Supported blocks come first in the report: put supported recommendations there.
        ordered = [i for i in range(c.total) if i not in noted] + sorted(noted)
        refs = [f"{para}.{n}" for para, count in c.blocks for n in range(1, count + 1)]
        joint = set(rng.sample(range(c.total), c.pairs_extra))
        used: dict[str, int] = {}
        for pos, i in enumerate(ordered):
            theme = themes[i]
            bank = TEXTS[theme]
            k = used.get(theme, 0)
            used[theme] = k + 1
            base_en, base_ru = bank[k % len(bank)]
            var_en, var_ru = VARIANTS[(k // len(bank) + c.cycle) % len(VARIANTS)]
            groups = (
                ABOLITIONIST_GROUPS
                if theme in ("death_penalty", "torture", "lgbti", "peaceful_assembly")
                else ALL_GROUPS
            )
            n_states = 2 if i in joint else 1
            recommenders: list[str] = []
            while len(recommenders) < n_states:
                iso3 = rng.choice(RECOMMENDERS[rng.choice(groups)])
                if iso3 not in recommenders:
                    recommenders.append(iso3)
            # Cycle 1 addendum: the "will be examined" block (97.x) was answered later, some noted.
            response = "noted" if i in noted else "supported"
            recs.append(
                RawRecommendation(
                    sur="KAZ",
                    cycle=c.cycle,
                    session=c.session,
                    ref=refs[pos],
                    lang="en",
                    text=f"{base_en}{var_en}",
                    translations={"ru": f"{base_ru}{var_ru}"},
                    response=response,
                    response_raw=response,
                    action=rng.choice((3, 4, 4, 5, 5)),
                    recommending=[states.get(s).name_en for s in recommenders],
                    themes=[theme_labels[theme]],
                    groups=[group_labels[GROUPS[theme]]] if theme in GROUPS else [],
                    sdgs=[SDGS[theme]] if theme in SDGS else [],
                    agency=AGENCIES.get(theme),
                    row=len(recs) + 1,
                )
            )
    return recs


def demo_assessments(recs: list[RawRecommendation]) -> list[RawAssessment]:
    """Government, NGO and ombudsman assessments; the NGOs see less progress than the government."""
    from upr.themes import load_themes

    # The ombudsman follows up on these themes (labels as the demo recommendations carry them).
    nhri_themes = {t.label_en for t in load_themes() if t.code in ("torture", "children", "disability", "justice")}
    rng = random.Random(SEED + 1)
    out: list[RawAssessment] = []
    for cycle, as_of, weights in GOVERNMENT_ROUNDS:
        for rec in recs:
            if rec.cycle != cycle or rec.response != "supported":
                continue
            rec_id = f"KAZ-{cycle}-{rec.ref}"
            gov = _pick(rng, weights)
            out.append(
                RawAssessment(
                    rec_id,
                    "government",
                    GOVERNMENT,
                    gov,
                    as_of,
                    comment=COMMENTS["government"],
                    row=len(out) + 1,
                )
            )
            if rng.random() < 0.8:
                ngo = _pick(rng, NGO_VIEW[gov])
                out.append(
                    RawAssessment(
                        rec_id,
                        "ngo",
                        NGO,
                        ngo,
                        NGO_ROUNDS[(cycle, as_of)],
                        comment=COMMENTS["ngo"],
                        row=len(out) + 1,
                    )
                )
            if cycle == 3 and as_of.year == 2024 and rec.themes[0] in nhri_themes:
                out.append(
                    RawAssessment(
                        rec_id,
                        "nhri",
                        NHRI,
                        _pick(rng, NGO_VIEW[gov]),
                        date(2024, 6, 30),
                        comment=COMMENTS["nhri"],
                        row=len(out) + 1,
                    )
                )
    # NGOs also follow up on some recommendations the government noted.
    for rec in recs:
        if rec.response == "noted" and rec.cycle >= 2 and rng.random() < 0.5:
            out.append(
                RawAssessment(
                    f"KAZ-{rec.cycle}-{rec.ref}",
                    "ngo",
                    NGO,
                    "not_implemented",
                    date({2: 2019, 3: 2024, 4: 2025}[rec.cycle], 10, 31),
                    comment=COMMENTS["ngo_noted"],
                    row=len(out) + 1,
                )
            )
    return out


def demo_batch() -> Batch:
    """The whole demo as one batch."""
    recs = demo_recommendations()
    batch = Batch(
        file=DEMO_FILE,
        format="demo",
        theme_source="canonical",
        rows_read=len(recs),
        recommendations=recs,
        assessments=demo_assessments(recs),
        document=DocumentInfo(title="Demo data (illustrative)", sur="Kazakhstan"),
    )
    return batch


def _demo_reviews(con: duckdb.DuckDBPyConnection) -> None:
    for c in CYCLES:
        con.execute(
            "UPDATE review SET session = ?, review_date = ?, report_symbol = ? WHERE sur_iso3 = 'KAZ' AND cycle = ?",
            [c.session, c.review_date, c.symbol, c.cycle],
        )
        if c.addendum and c.answered_in_addendum:
            # Where the positions were stated, as an import of the addendum would cite it.
            con.execute(
                "UPDATE recommendation SET response_cite = ? WHERE review_id = (SELECT id FROM review "
                "WHERE sur_iso3 = 'KAZ' AND cycle = ?) AND list_contains(?, split_part(ref, '.', 1))",
                [c.addendum, c.cycle, list(c.answered_in_addendum)],
            )


def build_demo(con: duckdb.DuckDBPyConnection) -> ImportReport:
    """Load the demo once (a second call changes nothing)."""
    sha = hashlib.sha256(DEMO_VERSION.encode()).hexdigest()
    report = import_batch(con, demo_batch(), sha256=sha, who="demo")
    if report.import_id is not None:
        _demo_reviews(con)
    from etl.demo_plan import build_demo_plan  # it cites the recommendations just loaded

    build_demo_plan(con)
    return report

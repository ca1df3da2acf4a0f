"""The demo's plan: the shape of the Human Rights and Rule of Law Action Plan of 8 December 2023
(9 sections, 41 items), with illustrative texts (said to be so) in Russian, English and Kazakh, real agency names, deadlines
through 2026, links to demo recommendations of cycles 3 and 4, one indicator from the public
record and the NGO coalition's seven working groups. Part of the demo's import: it stands and is reverted with it.
"""

from __future__ import annotations

from datetime import date

import duckdb

from etl.demo import NGO, NHRI
from etl.plans import PlanBatch, RawPlan, RawPlanItem, load_plan
from etl.readers.plan import parse_deadline
from etl.report import ImportReport
from upr.i18n import t

DEMO_PLAN_FILE = "demo: План действий в области прав человека и верховенства закона (иллюстративный)"

# The demo's own texts are catalog entries (upr/i18n/<lang>/demo.json), stored in Russian as the plan is
# written and shown in the reader's language (upr.demo_i18n): section_<n> and measure_<n> numbered through
# the plan, form_<code>, deadline_<n>. Texts are illustrative.
# Per section: its themes, and its items as (form of completion, executors).
SECTIONS: tuple[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (("women",), (
        ("law", "МВД; МТСЗН; НКДЖСДП"), ("gov_info", "МТСЗН; МИО"), ("order", "МВД"), ("method", "ГП; МНЭ"),
        ("ap_info", "АДГС; НКДЖСДП"),
    )),
    (("children",), (("order", "МП; МВД; МЗ"), ("law", "МП"), ("gov_info", "МП; МНВО"), ("normative", "ВС; ГП"))),
    (("disability",), (("law", "МТСЗН; МЮ"), ("gov_info", "МИО; МТСЗН"), ("order", "МТСЗН; МЗ"), ("order", "МЦРИАП"))),
    (("freedom_expression",), (
        ("law", "МЮ; ГП; МКИ"), ("law", "МКИ; МВД"), ("order", "МКИ; МЦРИАП"), ("law", "МЦРИАП; МКИ"), ("gov_info", "ВС"),
    )),
    (("peaceful_assembly", "association", "civil_society"), (
        ("ap_info", "МВД; МИО"), ("law", "МЮ"), ("order", "МНЭ; МКИ"), ("gov_info", "МКИ"),
    )),
    (("religion",), (("analytic", "МКИ; МЮ"), ("order", "МКИ; АДГС"), ("order", "МКИ"), ("gov_info", "МИО; МКИ"))),
    (("labour", "economic_social"), (
        ("gov_decree", "МНЭ; МТСЗН; МИД"), ("order", "МТСЗН"), ("law", "МТСЗН; МЮ"), ("gov_info", "МВД; МТСЗН; ГП"),
    )),
    (("torture", "justice", "liberty_security", "death_penalty", "right_to_life"), (
        ("order", "ГП"), ("gov_info", "МВД; ГП"), ("law", "УПЧ; МЮ"), ("normative", "ВС; ГП"), ("law", "МЮ"),
        ("order", "МВД; МЗ"), ("law", "МЮ; ГП; МИД"),
    )),
    (("international_instruments", "un_cooperation", "nhri", "human_rights_defenders"), (
        ("law", "МИД; МЮ"), ("gov_info", "МИД; МЮ"), ("report", "МИД; МЮ"), ("law", "УПЧ; МЮ"),
    )),
)  # fmt: skip
DEADLINES = 9  # deadline_1 … deadline_9, given to the items in turn
TORTURE_ITEM = 31  # «Расследование жалоб на пытки органами прокуратуры»: the item the indicator measures


def _ru(key: str) -> str:
    """A text of the demo as stored: in Russian, the language the plan is written in."""
    return t(f"demo.{key}", "ru")


WORKING_GROUPS = (  # (code, name ru/en/kk, lead NGO, themes); lead organisations illustrative
    ("wg_life", "Право на жизнь, свобода и личная неприкосновенность", "Right to life, liberty and security of person",
     "Өмір сүру, бостандық және жеке басының қолсұғылмаушылығы құқығы",
     "Казахстанское международное бюро по правам человека и соблюдению законности",
     ("right_to_life", "death_penalty", "liberty_security")),
    ("wg_torture", "Свобода от пыток", "Freedom from torture", "Азаптаудан азат болу",
     "Коалиция НПО Казахстана против пыток", ("torture", "justice")),
    ("wg_expression", "Свобода выражения мнений", "Freedom of expression", "Пікір білдіру бостандығы",
     "Международный фонд защиты свободы слова «Адил соз»", ("freedom_expression",)),
    ("wg_assembly", "Мирные собрания и объединения", "Peaceful assembly and association", "Бейбіт жиналыстар және бірлестіктер",
     "Правовой медиацентр", ("peaceful_assembly", "association", "human_rights_defenders")),
    ("wg_women_children", "Права женщин и детей", "Rights of women and children", "Әйелдер мен балалардың құқықтары",
     "Союз кризисных центров Казахстана", ("women", "children")),
    ("wg_disability", "Права лиц с инвалидностью и пожилых людей", "Rights of persons with disabilities and older persons",
     "Мүгедектігі бар адамдар мен егде адамдардың құқықтары", "Общественное объединение «Шырак»", ("disability",)),
    ("wg_migrants_env", "Мигранты, беженцы и здоровая окружающая среда", "Migrants, refugees and a healthy environment",
     "Көші-қонушылар, босқындар және қолайлы қоршаған орта", "Общественный фонд «Сана сезим»",
     ("migrants_refugees", "environment")),
)  # fmt: skip


def _pools(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Supported demo recommendations of cycles 3 and 4 by theme, cycle 3 first, in paragraph order."""
    rows = con.execute(
        """
        SELECT DISTINCT t.theme_code, r.id, v.cycle, r.ref FROM recommendation r
        JOIN review v ON v.id = r.review_id JOIN rec_theme t ON t.rec_id = r.id
        WHERE v.sur_iso3 = 'KAZ' AND v.cycle IN (3, 4) AND r.response = 'supported' AND r.merged_into IS NULL
        ORDER BY 1, 3, string_split(r.ref, '.')[1]::INT, string_split(r.ref, '.')[2]::INT
        """
    ).fetchall()
    pools: dict[str, list[str]] = {}
    for theme, rec_id, _, _ in rows:
        pools.setdefault(theme, []).append(rec_id)
    return pools


def demo_plan(con: duckdb.DuckDBPyConnection) -> RawPlan:
    """The illustrative plan, its items citing demo recommendations of the sections' themes."""
    pools = _pools(con)
    plan = RawPlan(
        name=_ru("plan_name"),
        act=_ru("plan_act"),
        adopted=date(2023, 12, 8),
        period=(2024, 2026),
        illustrative=True,
        refs_column="Рекомендации УПО",
    )
    number = 0
    for s, (themes, items) in enumerate(SECTIONS):
        plan.sections.append(_ru(f"section_{s + 1}"))
        pool = [r for theme in themes for r in pools.get(theme, [])]
        by_cycle = [[r for r in pool if r.startswith("KAZ-3-")], [r for r in pool if r.startswith("KAZ-4-")]]
        for k, (form, executors) in enumerate(items):
            number += 1
            refs = [r for cycle in by_cycle for r in cycle[k :: len(items)][:2]]
            text, deadline = parse_deadline(_ru(f"deadline_{(number - 1) % DEADLINES + 1}"))
            plan.items.append(
                RawPlanItem(
                    number=str(number), measure=_ru(f"measure_{number}"), section=s, completion_form=_ru(f"form_{form}"),
                    agencies=[_CODES[a] for a in executors.split("; ")], deadline_text=text, deadline=deadline,
                    expected_result=_ru("plan_expected_result"), refs=refs, row=number,
                )
            )  # fmt: skip
    return plan


def _codes() -> dict[str, str]:
    from upr.agencies import load_agencies

    return {a.abbr_ru: a.code for a in load_agencies()}


_CODES = _codes()


def build_demo_plan(con: duckdb.DuckDBPyConnection) -> int:
    """Add the demo plan, its indicator and the coalition's working groups to the demo's own import, so
    that they stand and go with it; once (again: nothing changes). The number of plan items added."""
    found = con.execute("SELECT max(id) FROM import WHERE format = 'demo' AND reverted_at IS NULL").fetchall()
    import_id = found[0][0]
    if import_id is None or con.execute("SELECT count(*) FROM plan WHERE import_id = ?", [import_id]).fetchall()[0][0]:
        return 0
    plan = demo_plan(con)
    batch = PlanBatch(DEMO_PLAN_FILE, "plan", "canonical", rows_read=len(plan.items), plan=plan)
    report = ImportReport(batch.file, batch.format, "")
    con.execute("BEGIN TRANSACTION")
    try:
        load_plan(con, batch, report, import_id)
        _extras(con, import_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return report.added


def _extras(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    item = con.execute(
        "SELECT id FROM plan_item WHERE import_id = ? AND measure = ?", [import_id, _ru(f"measure_{TORTURE_ITEM}")]
    ).fetchall()[0][0]
    con.execute(
        "INSERT INTO indicator VALUES (nextval('indicator_id_seq'), ?, ?, ?, 'persons', ?, NULL, ?)",
        ["Число лиц, привлечённых к уголовной ответственности за пытки", "Persons prosecuted for torture",
         "Азаптау үшін қылмыстық жауапкершілікке тартылған адамдар саны", item, import_id],
    )  # fmt: skip
    con.execute(
        "INSERT INTO indicator_value SELECT max(id), DATE '2023-12-31', '2023', 42, ?, ? FROM indicator",
        [NHRI, import_id],
    )
    con.execute(
        "INSERT INTO org_group VALUES ('coalition', NULL, ?, 'NGO Coalition of Kazakhstan on the UPR', "
        "'Қазақстанның ЖМШ жөніндегі ҮЕҰ коалициясы', ?, ?)",
        [NGO, NGO, import_id],
    )
    for code, ru, en, kk, lead, themes in WORKING_GROUPS:
        con.execute("INSERT INTO org_group VALUES (?, 'coalition', ?, ?, ?, ?, ?)", [code, ru, en, kk, lead, import_id])
        con.execute("INSERT INTO org_group_member VALUES (?, ?, ?)", [code, lead, import_id])
        con.executemany("INSERT INTO org_group_theme VALUES (?, ?, ?)", [[code, t, import_id] for t in themes])

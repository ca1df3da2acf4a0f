"""The demo's plan: the shape of the Human Rights and Rule of Law Action Plan of 8 December 2023
(9 sections, 41 items), with illustrative texts (said to be so), real agency names, deadlines
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

DEMO_PLAN_FILE = "demo: План действий в области прав человека и верховенства закона (иллюстративный)"

# (section title, its themes, its items: (measure, form of completion, executors)). Texts are illustrative.
SECTIONS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str, str], ...]], ...] = (
    ("Гендерное равенство и противодействие бытовому насилию", ("women",), (
        ("Совершенствование законодательства о профилактике бытового насилия", "Проект закона", "МВД; МТСЗН; НКДЖСДП"),
        ("Расширение сети кризисных центров для пострадавших от насилия", "Информация в Правительство", "МТСЗН; МИО"),
        ("Обучение сотрудников полиции работе с пострадавшими от бытового насилия", "Приказ", "МВД"),
        ("Сбор данных о насилии в отношении женщин в разбивке по полу и возрасту", "Методика", "ГП; МНЭ"),
        ("Повышение представленности женщин на руководящих должностях", "Информация в Администрацию Президента", "АДГС; НКДЖСДП"),
    )),
    ("Права ребёнка", ("children",), (
        ("Создание системы раннего выявления насилия в отношении детей", "Приказ", "МП; МВД; МЗ"),
        ("Развитие семейных форм устройства детей-сирот", "Проект закона", "МП"),
        ("Обеспечение доступа детей с особыми потребностями к инклюзивному образованию", "Информация в Правительство", "МП; МНВО"),
        ("Ювенальная юстиция: специализированные составы судов по делам несовершеннолетних", "Нормативное постановление", "ВС; ГП"),
    )),
    ("Права лиц с инвалидностью и пожилых людей", ("disability",), (
        ("Приведение законодательства в соответствие с Конвенцией о правах инвалидов", "Проект закона", "МТСЗН; МЮ"),
        ("Доступность объектов и услуг для лиц с инвалидностью", "Информация в Правительство", "МИО; МТСЗН"),
        ("Развитие услуг по уходу за пожилыми людьми", "Приказ", "МТСЗН; МЗ"),
        ("Цифровые государственные услуги, доступные для лиц с инвалидностью", "Приказ", "МЦРИАП"),
    )),
    ("Свобода выражения мнений и доступ к информации", ("freedom_expression",), (
        ("Декриминализация распространения заведомо ложной информации", "Проект закона", "МЮ; ГП; МКИ"),
        ("Защита журналистов при исполнении профессиональных обязанностей", "Проект закона", "МКИ; МВД"),
        ("Совершенствование доступа к информации государственных органов", "Приказ", "МКИ; МЦРИАП"),
        ("Прозрачные правила ограничения доступа к интернет-ресурсам", "Проект закона", "МЦРИАП; МКИ"),
        ("Обучение судей стандартам свободы выражения", "Информация в Правительство", "ВС"),
    )),
    ("Свобода мирных собраний и объединений", ("peaceful_assembly", "association", "civil_society"), (
        ("Уведомительный порядок проведения мирных собраний на практике", "Информация в Администрацию Президента", "МВД; МИО"),
        ("Упрощение регистрации некоммерческих организаций", "Проект закона", "МЮ"),
        ("Пересмотр отчётности НКО о получении иностранных средств", "Приказ", "МНЭ; МКИ"),
        ("Диалоговые площадки государственных органов с гражданским обществом", "Информация в Правительство", "МКИ"),
    )),
    ("Свобода совести и вероисповедания", ("religion",), (
        ("Анализ практики регистрации религиозных объединений", "Аналитическая записка", "МКИ; МЮ"),
        ("Обучение государственных служащих основам религиоведения", "Приказ", "МКИ; АДГС"),
        ("Совершенствование порядка религиоведческой экспертизы", "Приказ", "МКИ"),
        ("Межконфессиональный диалог на местном уровне", "Информация в Правительство", "МИО; МКИ"),
    )),
    ("Трудовые права и бизнес и права человека", ("labour", "economic_social"), (
        ("Национальный план по бизнесу и правам человека", "Постановление Правительства", "МНЭ; МТСЗН; МИД"),
        ("Укрепление трудовой инспекции", "Приказ", "МТСЗН"),
        ("Свобода создания профессиональных союзов", "Проект закона", "МТСЗН; МЮ"),
        ("Противодействие принудительному труду и торговле людьми", "Информация в Правительство", "МВД; МТСЗН; ГП"),
    )),
    ("Уголовное правосудие и искоренение пыток", ("torture", "justice", "liberty_security", "death_penalty", "right_to_life"), (
        ("Расследование жалоб на пытки органами прокуратуры", "Приказ", "ГП"),
        ("Видеонаблюдение во всех местах содержания под стражей", "Информация в Правительство", "МВД; ГП"),
        ("Расширение полномочий национального превентивного механизма", "Проект закона", "УПЧ; МЮ"),
        ("Снижение применения содержания под стражей как меры пресечения", "Нормативное постановление", "ВС; ГП"),
        ("Развитие системы бесплатной юридической помощи", "Проект закона", "МЮ"),
        ("Медицинское обслуживание в учреждениях уголовно-исполнительной системы", "Приказ", "МВД; МЗ"),
        ("Приведение уголовного законодательства в соответствие со Вторым факультативным протоколом", "Проект закона", "МЮ; ГП; МИД"),
    )),
    ("Взаимодействие с механизмами ООН по правам человека", ("international_instruments", "un_cooperation", "nhri", "human_rights_defenders"), (
        ("Ратификация международных договоров по правам человека", "Проект закона", "МИД; МЮ"),
        ("Своевременное представление докладов договорным органам", "Информация в Правительство", "МИД; МЮ"),
        ("Промежуточный доклад по выполнению рекомендаций УПО", "Доклад", "МИД; МЮ"),
        ("Укрепление независимости Уполномоченного по правам человека", "Проект закона", "УПЧ; МЮ"),
    )),
)  # fmt: skip
DEADLINES = (
    "IV квартал 2024 года",
    "II квартал 2025 года",
    "декабрь 2024 года",
    "ежегодно",
    "2025–2026 годы",
    "IV квартал 2025 года",
    "I квартал 2026 года",
    "IV квартал 2026 года",
    "III квартал 2024 года",
)
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
        name="План действий в области прав человека и верховенства закона (иллюстративный пример)",
        act="Указ Президента Республики Казахстан от 08.12.2023 (тексты пунктов иллюстративны)",
        adopted=date(2023, 12, 8),
        period=(2024, 2026),
        illustrative=True,
        refs_column="Рекомендации УПО",
    )
    number = 0
    for s, (title, themes, items) in enumerate(SECTIONS):
        plan.sections.append(title)
        pool = [r for theme in themes for r in pools.get(theme, [])]
        by_cycle = [[r for r in pool if r.startswith("KAZ-3-")], [r for r in pool if r.startswith("KAZ-4-")]]
        for k, (measure, form, executors) in enumerate(items):
            number += 1
            refs = [r for cycle in by_cycle for r in cycle[k :: len(items)][:2]]
            text, deadline = parse_deadline(DEADLINES[(number - 1) % len(DEADLINES)])
            plan.items.append(
                RawPlanItem(
                    number=str(number), measure=measure, section=s, completion_form=form,
                    agencies=[_CODES[a] for a in executors.split("; ")], deadline_text=text, deadline=deadline,
                    expected_result="Иллюстративный пример ожидаемого результата", refs=refs, row=number,
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
        "SELECT id FROM plan_item WHERE import_id = ? AND measure LIKE 'Расследование жалоб на пытки%'", [import_id]
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

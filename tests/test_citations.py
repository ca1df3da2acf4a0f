"""Source notes cite the UN documents and the assessing organisations, never import numbers or file names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from etl.importer import import_file
from upr.citations import (
    Assessor,
    CycleDocuments,
    Sources,
    chart_source,
    full_citation,
    gather,
    notes_source,
    short_citation,
)
from upr.filters import Filters
from upr.queries.citations import un_symbols
from upr.slides import connection_fetch

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "addendum"

GOV = "Министерство юстиции Республики Казахстан"
NGO = "Коалиция НПО Казахстана по УПО"
NHRI = "Уполномоченный по правам человека в Республике Казахстан"


def test_symbols_are_read_from_citations():
    assert un_symbols("A/HRC/55/12/Add.1, para. 2") == ["A/HRC/55/12/Add.1"]
    assert un_symbols("Source of position: A/HRC/43/15/Add.1 - Para. 3") == ["A/HRC/43/15/Add.1"]
    assert un_symbols("A/HRC/43/10") == ["A/HRC/43/10"]
    assert un_symbols("demo: Kazakhstan, cycles 1–4") == []
    assert un_symbols(None) == []


def test_the_demo_cites_what_the_public_record_states(demo_con):
    src = gather(connection_fetch(demo_con), Filters())
    assert src.demo is True
    assert src.cycles == (
        CycleDocuments(1, 7, date(2010, 2, 12), "A/HRC/14/10", ("A/HRC/14/10/Add.1",)),
        CycleDocuments(2, 20, date(2014, 10, 30), "A/HRC/28/10", ()),
        CycleDocuments(3, 34, date(2019, 11, 7), "A/HRC/43/10", ("A/HRC/43/10/Add.1",)),
        CycleDocuments(4, 48, date(2025, 1, 23), None, ()),
    )
    assert [(a.source_kind, a.organisation, a.latest) for a in src.assessors] == [
        ("government", GOV, date(2025, 9, 30)),
        ("ngo", NGO, date(2025, 11, 15)),
        ("nhri", NHRI, date(2024, 6, 30)),
    ]


def test_the_demo_short_line_in_three_languages(demo_con):
    fetch = connection_fetch(demo_con)
    f = Filters()
    assert chart_source(fetch, f, "ru") == (
        "Источник: A/HRC/14/10 и Add.1; A/HRC/28/10; A/HRC/43/10 и Add.1; "
        "цикл 4: 48-я сессия РГ УПО, символ доклада не указан (демо-данные)"
    )
    assert chart_source(fetch, f, "en") == (
        "Source: A/HRC/14/10 and Add.1; A/HRC/28/10; A/HRC/43/10 and Add.1; "
        "cycle 4: UPR WG session 48, report symbol not stated (demo data)"
    )
    assert chart_source(fetch, f, "kk") == (
        "Дереккөз: A/HRC/14/10 және Add.1; A/HRC/28/10; A/HRC/43/10 және Add.1; "
        "4-цикл: ЖМШ ЖТ 48-сессиясы, баяндаманың таңбасы көрсетілмеген (демо-деректер)"
    )
    # Cycles 3 and 4, the NGOs only: their organisation and the date of their latest assessment.
    ngo = Filters(cycles=(3, 4), sources=("ngo",))
    assert chart_source(fetch, ngo, "ru", assessments=True, prefix=False) == (
        "A/HRC/43/10 и Add.1; цикл 4: 48-я сессия РГ УПО, символ доклада не указан; "
        f"оценки: {NGO} (15.11.2025) (демо-данные)"
    )
    # In English and Kazakh the coalition and the ministry are named in the reader's language.
    assert chart_source(fetch, ngo, "kk", assessments=True, prefix=False).endswith(
        "бағалаулар: Қазақстанның ЖМШ жөніндегі ҮЕҰ коалициясы (15.11.2025) (демо-деректер)"
    )
    gov = Filters(cycles=(3,), sources=("government",))
    assert chart_source(fetch, gov, "en", assessments=True, prefix=False) == (
        "A/HRC/43/10 and Add.1; assessments: Ministry of Justice (2024-12-31) (demo data)"
    )
    for lang in ("ru", "en", "kk"):
        text = chart_source(fetch, f, lang, assessments=True) + notes_source(fetch, f, lang, assessments=True)
        assert "#1" not in text and "demo: Kazakhstan" not in text and "import" not in text.lower()


def test_the_demo_speaker_notes(demo_con):
    fetch = connection_fetch(demo_con)
    assert notes_source(fetch, Filters(cycles=(2, 3)), "en", assessments=True).split("\n") == [
        "Sources:",
        "Cycle 2 (2014): report of the Working Group on the UPR A/HRC/28/10; Working Group session 20, "
        "review of 2014-10-30; the addendum's symbol is not stated",
        "Cycle 3 (2019): report of the Working Group on the UPR A/HRC/43/10; Working Group session 34, "
        "review of 2019-11-07; addendum (the State's replies) A/HRC/43/10/Add.1",
        "Assessments of implementation (the latest assessment of each recommendation counts):",
        # As counted by hand: each recommendation's latest assessment by each source, cycles 2 and 3.
        # Named in the reader's language: the ministry and the ombudsman as shipped agencies, the
        # coalition by the names its plan import stored.
        "Ministry of Justice (Government): 357 recommendations, 2018-12-31–2024-12-31",
        "NGO Coalition of Kazakhstan on the UPR (NGOs): 380 recommendations, 2019-05-31–2024-10-31",
        "Human Rights Commissioner (Ombudsman (NHRI)): 39 recommendations, 2024-06-30",
        "Demo data: totals follow the public record; texts, recommending States and assessments are illustrative.",
    ]


def test_an_imported_report_and_addendum_are_cited_by_their_symbols(con, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    fetch = connection_fetch(con)
    f = Filters(sur="URY")
    import_file(con, FIXTURES / "report_cycle4.txt")
    # The report alone: its symbol, and no addendum yet.
    assert short_citation(gather(fetch, f), "ru") == "Источник: A/HRC/55/12"
    assert notes_source(fetch, f, "ru").split("\n") == [
        "Источники:",
        "Цикл 4 (2023): доклад Рабочей группы по УПО A/HRC/55/12; 44-я сессия Рабочей группы, обзор 10.11.2023; "
        "символ добавления не указан",
    ]
    import_file(con, FIXTURES / "addendum_lists.txt")
    assert short_citation(gather(fetch, f), "en") == "Source: A/HRC/55/12 and Add.1"
    assert notes_source(fetch, f, "kk").split("\n") == [
        "Дереккөздер:",
        "4-цикл (2023): ЖМШ жөніндегі Жұмыс тобының баяндамасы A/HRC/55/12; Жұмыс тобының 44-сессиясы, "
        "шолу 10.11.2023; қосымша (мемлекеттің жауаптары) A/HRC/55/12/Add.1",
    ]


def test_an_addendum_before_its_report_is_cited_without_inventing_the_report(con, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    import_file(con, FIXTURES / "addendum_lists.txt")
    # No recommendation yet: nothing of Uruguay is shown, so nothing is cited.
    assert gather(connection_fetch(con), Filters(sur="URY")).cycles == ()
    assert short_citation(gather(connection_fetch(con), Filters(sur="URY")), "en") == "Source: no UN documents stated"


def test_unknown_symbols_are_said_to_be_unknown():
    src = Sources(
        cycles=(
            CycleDocuments(4, None, None, None, ("A/HRC/59/15/Add.1",)),
            CycleDocuments(2, 20, None, "A/HRC/28/10", ("A/HRC/28/10/Add.2", "A/HRC/WG.6/20/KAZ/1")),
        ),
        assessors=(Assessor("ngo", "Coalition", date(2024, 1, 31), date(2024, 1, 31), 3),),
    )
    assert short_citation(src, "ru", assessments=True) == (
        "Источник: цикл 4: символ доклада не указан, A/HRC/59/15/Add.1; A/HRC/28/10 и Add.2; "
        "оценки: Coalition (31.01.2024)"
    )
    assert full_citation(src, "ru", assessments=True).split("\n") == [
        "Источники:",
        "Цикл 4: символ доклада Рабочей группы не указан; добавление (ответы государства) A/HRC/59/15/Add.1",
        "Цикл 2: доклад Рабочей группы по УПО A/HRC/28/10; 20-я сессия Рабочей группы; "
        "добавление (ответы государства) A/HRC/28/10/Add.2; также цитируются: A/HRC/WG.6/20/KAZ/1",
        "Оценки выполнения (учтена последняя оценка каждой рекомендации):",
        "Coalition (НПО): 3 рекомендации, 31.01.2024",
    ]
    assert short_citation(Sources(), "en", prefix=False) == "no UN documents stated"

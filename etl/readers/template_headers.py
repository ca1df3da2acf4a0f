"""The headers of our own templates, in English, Russian and Kazakh, and the fields they stand for.

Reading accepts every label of a field (and the field's code itself); the templates we write use
the first label of their language (`TEMPLATE_HEADERS`, `REC_TEMPLATE_HEADERS`). The assessments
template also carries reference columns (`REFERENCE_HEADERS`) that help an editor and that
reading ignores.
"""

from __future__ import annotations

# field -> header labels in en, ru, kk (the first English one is what our templates write)
REC_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("Recommendation ID", "ID", "ID рекомендации", "Ұсыныс ID", "Идентификатор"),
    "sur": ("State under review", "Государство", "Государство под обзором", "Шолудағы мемлекет", "Мемлекет"),
    "cycle": ("Cycle", "Цикл", "Цикл"),
    "session": ("Session", "Сессия", "Сессия"),
    "ref": ("Paragraph", "Пункт", "Тармақ", "Paragraph reference"),
    "text": ("Recommendation", "Text", "Текст рекомендации", "Рекомендация", "Ұсыныс мәтіні", "Ұсыныс"),
    "lang": ("Language", "Язык", "Тіл"),
    "recommending": (
        "Recommending States",
        "Recommending State",
        "Рекомендующие государства",
        "Рекомендующее государство",
        "Ұсыныс берген мемлекеттер",
    ),
    "response": ("Response", "Position", "Позиция", "Ответ", "Позиция государства", "Жауап", "Ұстаным"),
    "action": ("Action category", "Action", "Категория действия", "Әрекет санаты"),
    "themes": ("Themes", "Theme", "Темы", "Тема", "Тақырыптар", "Тақырып"),
    "groups": ("Affected groups", "Затронутые группы", "Қатысты топтар"),
    "sdgs": ("SDGs", "SDG", "ЦУР", "ТДМ"),
    "agency": ("Responsible agency", "Ответственный орган", "Жауапты орган"),
}
REC_REQUIRED = ("sur", "cycle", "text")

ASSESS_FIELDS: dict[str, tuple[str, ...]] = {
    "id": REC_FIELDS["id"],
    "text": REC_FIELDS["text"],
    "source_kind": ("Source kind", "Source", "Тип источника", "Источник", "Дереккөз түрі"),
    "organisation": ("Organisation", "Organization", "Организация", "Ұйым"),
    "status": ("Status", "Implementation status", "Статус", "Статус выполнения", "Мәртебе", "Орындалу мәртебесі"),
    "as_of": ("As of", "Assessment date", "Дата оценки", "Дата", "Бағалау күні", "Күні"),
    "comment": ("Comment", "Комментарий", "Түсініктеме"),
    "evidence": ("Evidence", "Источник сведений", "Подтверждение", "Дәлел"),
}
ASSESS_REQUIRED = ("id", "source_kind", "organisation", "status", "as_of")

# The headers our downloadable templates write, per UI language (all are accepted on import).
TEMPLATE_HEADERS: dict[str, dict[str, str]] = {
    "en": {
        "id": "Recommendation ID",
        "text": "Recommendation",
        "source_kind": "Source kind",
        "organisation": "Organisation",
        "status": "Status",
        "as_of": "As of",
        "comment": "Comment",
        "evidence": "Evidence",
    },
    "ru": {
        "id": "ID рекомендации",
        "text": "Текст рекомендации",
        "source_kind": "Тип источника",
        "organisation": "Организация",
        "status": "Статус",
        "as_of": "Дата оценки",
        "comment": "Комментарий",
        "evidence": "Подтверждение",
    },
    "kk": {
        "id": "Ұсыныс ID",
        "text": "Ұсыныс мәтіні",
        "source_kind": "Дереккөз түрі",
        "organisation": "Ұйым",
        "status": "Мәртебе",
        "as_of": "Бағалау күні",
        "comment": "Түсініктеме",
        "evidence": "Дәлел",
    },
}
REC_TEMPLATE_HEADERS: dict[str, dict[str, str]] = {
    "en": {
        "id": "Recommendation ID",
        "sur": "State under review",
        "cycle": "Cycle",
        "session": "Session",
        "ref": "Paragraph",
        "text": "Recommendation",
        "lang": "Language",
        "recommending": "Recommending States",
        "response": "Response",
        "action": "Action category",
        "themes": "Themes",
        "groups": "Affected groups",
        "sdgs": "SDGs",
        "agency": "Responsible agency",
    },
    "ru": {
        "id": "ID рекомендации",
        "sur": "Государство под обзором",
        "cycle": "Цикл",
        "session": "Сессия",
        "ref": "Пункт",
        "text": "Текст рекомендации",
        "lang": "Язык",
        "recommending": "Рекомендующие государства",
        "response": "Позиция",
        "action": "Категория действия",
        "themes": "Темы",
        "groups": "Затронутые группы",
        "sdgs": "ЦУР",
        "agency": "Ответственный орган",
    },
    "kk": {
        "id": "Ұсыныс ID",
        "sur": "Шолудағы мемлекет",
        "cycle": "Цикл",
        "session": "Сессия",
        "ref": "Тармақ",
        "text": "Ұсыныс мәтіні",
        "lang": "Тіл",
        "recommending": "Ұсыныс берген мемлекеттер",
        "response": "Жауап",
        "action": "Әрекет санаты",
        "themes": "Тақырыптар",
        "groups": "Қатысты топтар",
        "sdgs": "ТДМ",
        "agency": "Жауапты орган",
    },
}
# Columns of the assessments template that show what is known and are not read back.
REFERENCE_HEADERS: dict[str, dict[str, str]] = {
    "en": {
        "recommending": "Recommending States",
        "response": "Response of the State",
        "themes": "Themes",
        "gov_status": "Government: status",
        "gov_as_of": "Government: date",
        "own_status": "Your last status",
        "own_as_of": "Your last date",
    },
    "ru": {
        "recommending": "Рекомендующие государства",
        "response": "Позиция государства",
        "themes": "Темы",
        "gov_status": "Правительство: статус",
        "gov_as_of": "Правительство: дата",
        "own_status": "Ваш последний статус",
        "own_as_of": "Дата вашей последней оценки",
    },
    "kk": {
        "recommending": "Ұсыныс берген мемлекеттер",
        "response": "Мемлекеттің жауабы",
        "themes": "Тақырыптар",
        "gov_status": "Үкімет: мәртебе",
        "gov_as_of": "Үкімет: күні",
        "own_status": "Соңғы мәртебеңіз",
        "own_as_of": "Соңғы бағалау күніңіз",
    },
}

"""The controlled vocabularies of DOMAIN.md: one code each, a label in every UI language.

Kazakh labels marked in data/REVIEW_KK.md await a native speaker's review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGS = ("ru", "en", "kk")


@dataclass(frozen=True)
class Term:
    code: str
    en: str
    ru: str
    kk: str

    def label(self, lang: str) -> str:
        return getattr(self, lang if lang in LANGS else "en")


RESPONSES: tuple[Term, ...] = (
    Term("supported", "Supported", "Поддержана", "Қолдау тапты"),
    Term("supported_in_part", "Supported in part", "Поддержана частично", "Ішінара қолдау тапты"),
    Term("noted", "Noted", "Принята к сведению", "Назарға алынды"),
    Term("pending", "No response yet", "Ответ не дан", "Жауап берілмеген"),
)

STATUSES: tuple[Term, ...] = (
    Term("implemented", "Implemented", "Выполнена", "Орындалды"),
    Term("partially_implemented", "Partially implemented", "Выполнена частично", "Ішінара орындалды"),
    Term("in_progress", "In progress", "Выполняется", "Орындалуда"),
    Term("formally_implemented", "Implemented formally only", "Выполнена формально", "Формалды түрде орындалды"),
    Term("no_progress", "No progress", "Нет прогресса", "Ілгерілеу жоқ"),
    Term("not_implemented", "Not implemented", "Не выполнена", "Орындалмады"),
    Term("not_assessed", "Not assessed", "Не оценена", "Бағаланбады"),
)

SOURCE_KINDS: tuple[Term, ...] = (
    Term("government", "Government", "Правительство", "Үкімет"),
    Term("ngo", "NGOs", "НПО", "ҮЕҰ"),
    Term("nhri", "Ombudsman (NHRI)", "Омбудсмен (НПЗУ)", "Омбудсмен (ҰАҚИ)"),
    Term("un", "United Nations", "ООН", "БҰҰ"),
)

REGIONAL_GROUPS: tuple[Term, ...] = (
    Term("african", "African Group", "Группа африканских государств", "Африка мемлекеттері тобы"),
    Term(
        "asia_pacific",
        "Asia-Pacific Group",
        "Группа азиатско-тихоокеанских государств",
        "Азия-Тынық мұхиты мемлекеттері тобы",
    ),
    Term("eeg", "Eastern European Group", "Группа восточноевропейских государств", "Шығыс Еуропа мемлекеттері тобы"),
    Term(
        "grulac",
        "Latin American and Caribbean Group",
        "Группа государств Латинской Америки и Карибского бассейна",
        "Латын Америкасы және Кариб бассейні мемлекеттері тобы",
    ),
    Term(
        "weog",
        "Western European and Others Group",
        "Группа западноевропейских и других государств",
        "Батыс Еуропа және басқа мемлекеттер тобы",
    ),
)

VOCABULARIES: dict[str, tuple[Term, ...]] = {
    "response": RESPONSES,
    "status": STATUSES,
    "source_kind": SOURCE_KINDS,
    "regional_group": REGIONAL_GROUPS,
}

RESPONSE_CODES = tuple(t.code for t in RESPONSES)
STATUS_CODES = tuple(t.code for t in STATUSES)
SOURCE_KIND_CODES = tuple(t.code for t in SOURCE_KINDS)


def label(kind: str, code: str | None, lang: str) -> str:
    """The label of `code` in vocabulary `kind`, in `lang`; the code itself when unknown."""
    for term in VOCABULARIES[kind]:
        if term.code == code:
            return term.label(lang)
    return code or ""


def _norm(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value.strip().lower().replace("ё", "е"))


def _index(terms: tuple[Term, ...], extra: dict[str, str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for t in terms:
        for word in (t.code, t.en, t.ru, t.kk):
            index[_norm(word)] = t.code
    index.update({_norm(k): v for k, v in extra.items()})
    return index


_RESPONSE_INDEX = _index(
    RESPONSES,
    {
        "accepted": "supported",
        "accept": "supported",
        "support": "supported",
        "enjoys the support": "supported",
        "rejected": "noted",
        "not supported": "noted",
        "note": "noted",
        "supported/noted": "supported_in_part",
        "partially supported": "supported_in_part",
        "supported in part": "supported_in_part",
        "accepted/noted": "supported_in_part",
        "поддержано": "supported",
        "поддержать": "supported",
        "принята": "supported",
        "принято к сведению": "noted",
        "отклонена": "noted",
        "частично поддержана": "supported_in_part",
        "pending": "pending",
        "no response": "pending",
        "will be examined": "pending",
        "ожидается": "pending",
    },
)

_STATUS_INDEX = _index(
    STATUSES,
    {
        "fully implemented": "implemented",
        "partially": "partially_implemented",
        "partly implemented": "partially_implemented",
        "ongoing": "in_progress",
        "in process": "in_progress",
        "в процессе": "in_progress",
        "formally implemented": "formally_implemented",
        "implemented formally": "formally_implemented",
        "выполнена формально": "formally_implemented",
        "не выполнено": "not_implemented",
        "выполнено": "implemented",
        "выполнено частично": "partially_implemented",
        "частично выполнена": "partially_implemented",
        "не оценено": "not_assessed",
    },
)

_SOURCE_INDEX = _index(
    SOURCE_KINDS,
    {
        "gov": "government",
        "state": "government",
        "ministry": "government",
        "государство": "government",
        "министерство": "government",
        "нпо": "ngo",
        "нко": "ngo",
        "ngos": "ngo",
        "civil society": "ngo",
        "омбудсмен": "nhri",
        "ombudsman": "nhri",
        "уполномоченный по правам человека": "nhri",
        "un": "un",
        "оон": "un",
    },
)


def parse_response(value: object) -> str | None:
    """Map a source's wording of a response ("Accepted", "Поддержана", "Supported/Noted") to its code."""
    if value is None:
        return None
    return _RESPONSE_INDEX.get(_norm(str(value)))


def parse_status(value: object) -> str | None:
    """Map an implementation status in any UI language (or its code) to its code."""
    if value is None:
        return None
    return _STATUS_INDEX.get(_norm(str(value)))


def parse_source_kind(value: object) -> str | None:
    """Map an assessment source kind in any UI language (or its code) to its code."""
    if value is None:
        return None
    return _SOURCE_INDEX.get(_norm(str(value)))


CYCLE_SESSIONS = {1: (1, 12), 2: (13, 26), 3: (27, 40), 4: (41, 54)}
_CYCLE_OF_SESSION = {s: c for c, (first, last) in CYCLE_SESSIONS.items() for s in range(first, last + 1)}


def cycle_of_session(session: int) -> int | None:
    """The UPR cycle a Working Group session belongs to (1-12 → 1, 13-26 → 2, 27-40 → 3, 41-54 → 4)."""
    return _CYCLE_OF_SESSION.get(session)

"""Our own import templates: recommendations and implementation assessments.

Headers may be in Russian, English or Kazakh (or the field codes themselves). Every problem in
the file is collected; the loader refuses a file with any error.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from etl.model import Batch, Problem, RawAssessment, RawRecommendation
from etl.readers.base import Probe, Reader
from etl.tabular import Sheet, cell_text
from upr.vocab import parse_response, parse_source_kind, parse_status

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

LIST_SPLIT = re.compile(r"\s*[;\n]\s*")


def _norm_header(h: str) -> str:
    return re.sub(r"[\s_*]+", " ", str(h).strip().lower().replace("ё", "е")).strip(" :")


def _header_index(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index = {}
    for field, labels in fields.items():
        index[_norm_header(field)] = field
        for lab in labels:
            index[_norm_header(lab)] = field
    return index


REC_INDEX = _header_index(REC_FIELDS)
ASSESS_INDEX = _header_index(ASSESS_FIELDS)


def match_headers(headers: list[str], index: dict[str, str]) -> dict[str, int]:
    """Map field -> column position for the headers we recognise."""
    found: dict[str, int] = {}
    for pos, h in enumerate(headers):
        field = index.get(_norm_header(h))
        if field and field not in found:
            found[field] = pos
    return found


def looks_like_recommendations(headers: list[str]) -> bool:
    """Does this header row belong to our recommendations template?"""
    f = match_headers(headers, REC_INDEX)
    return {"sur", "text", "cycle"} <= f.keys() and "status" not in match_headers(headers, ASSESS_INDEX)


def looks_like_assessments(headers: list[str]) -> bool:
    """Does this header row belong to our assessments template?"""
    f = match_headers(headers, ASSESS_INDEX)
    return {"id", "status"} <= f.keys()


def _split_list(value: object) -> list[str]:
    text = cell_text(value)
    return [p for p in LIST_SPLIT.split(text) if p] if text else []


def parse_date(value: object) -> date | None:
    """A date from a spreadsheet cell: a real date, ISO `2024-05-31`, or `31.05.2024`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _int_in(value: object, low: int, high: int) -> int | None:
    text = cell_text(value)
    try:
        number = float(text)
    except ValueError:
        return None
    if not number.is_integer() or not low <= number <= high:
        return None
    return int(number)


def _column_label(sheet: Sheet, pos: int) -> str:
    return sheet.headers[pos] if pos < len(sheet.headers) else f"#{pos + 1}"


def _missing_headers(
    file: str, sheet: Sheet, found: dict[str, int], required: tuple[str, ...], fields: dict
) -> list[Problem]:
    return [
        Problem(
            file,
            f"a column «{fields[f][0]}» (or «{fields[f][2]}»)",
            sheet=sheet.name,
            row=sheet.header_row,
            column=None,
            value=", ".join(h for h in sheet.headers if h) or "no headers",
        )
        for f in required
        if f not in found
    ]


def _blank(cells: list[object]) -> bool:
    return all(cell_text(c) == "" for c in cells)


def read_recommendations_sheet(sheet: Sheet, file: str) -> Batch:
    """Read our recommendations template (one sheet) into a Batch, collecting every problem."""
    batch = Batch(file=file, format="template_recommendations", theme_source="canonical")
    found = match_headers(sheet.headers, REC_INDEX)
    batch.problems += _missing_headers(file, sheet, found, REC_REQUIRED, REC_FIELDS)
    if batch.problems:
        return batch
    seen_ids: dict[str, int] = {}

    def get(cells: list[object], field: str) -> object:
        pos = found.get(field)
        return cells[pos] if pos is not None and pos < len(cells) else None

    for rownum, cells in sheet.rows:
        if _blank(cells):
            continue
        batch.rows_read += 1

        def bad(field: str, expected: str, value: object, rownum: int = rownum) -> None:
            batch.problems.append(
                Problem(
                    file,
                    expected,
                    sheet=sheet.name,
                    row=rownum,
                    column=_column_label(sheet, found[field]),
                    value=cell_text(value),
                )
            )

        sur, text = cell_text(get(cells, "sur")), cell_text(get(cells, "text"))
        if not sur:
            bad("sur", "the State under review", sur)
        if not text:
            bad("text", "the text of the recommendation", text)
        cycle = _int_in(get(cells, "cycle"), 1, 4)
        if cycle is None:
            bad("cycle", "a cycle number 1–4", get(cells, "cycle"))
        session = None
        if "session" in found and cell_text(get(cells, "session")):
            session = _int_in(get(cells, "session"), 1, 99)
            if session is None:
                bad("session", "a Working Group session number", get(cells, "session"))
        response = None
        raw_response = cell_text(get(cells, "response"))
        if raw_response:
            response = parse_response(raw_response)
            if response is None:
                bad("response", "Supported, Supported in part, Noted or Pending (in any UI language)", raw_response)
        action = None
        if cell_text(get(cells, "action")):
            action = _int_in(get(cells, "action"), 1, 5)
            if action is None:
                bad("action", "an action category 1–5", get(cells, "action"))
        rec_id = cell_text(get(cells, "id")) or None
        if rec_id:
            if rec_id in seen_ids:
                bad("id", f"a unique ID (already used in row {seen_ids[rec_id]})", rec_id)
            seen_ids.setdefault(rec_id, rownum)
        lang = (cell_text(get(cells, "lang")) or "en").lower()
        batch.recommendations.append(
            RawRecommendation(
                sur=sur,
                text=text,
                cycle=cycle,
                session=session,
                ref=cell_text(get(cells, "ref")) or None,
                lang=lang,
                response=response,
                response_raw=raw_response or None,
                action=action,
                recommending=_split_list(get(cells, "recommending")),
                themes=_split_list(get(cells, "themes")),
                groups=_split_list(get(cells, "groups")),
                sdgs=_split_list(get(cells, "sdgs")),
                agency=cell_text(get(cells, "agency")) or None,
                rec_id=rec_id,
                row=rownum,
                sheet=sheet.name,
            )
        )
    return batch


def read_assessments_sheet(sheet: Sheet, file: str) -> Batch:
    """Read our assessments template (one sheet) into a Batch, collecting every problem.

    Rows with an ID but no status are recommendations the organisation did not assess: they are
    skipped, as a pre-filled template has a row for every recommendation.
    """
    batch = Batch(file=file, format="template_assessments", theme_source="canonical")
    found = match_headers(sheet.headers, ASSESS_INDEX)
    batch.problems += _missing_headers(file, sheet, found, ASSESS_REQUIRED, ASSESS_FIELDS)
    if batch.problems:
        return batch
    seen: dict[tuple[str, str, str], int] = {}

    def get(cells: list[object], field: str) -> object:
        pos = found.get(field)
        return cells[pos] if pos is not None and pos < len(cells) else None

    for rownum, cells in sheet.rows:
        if _blank(cells):
            continue
        batch.rows_read += 1

        def bad(field: str, expected: str, value: object, rownum: int = rownum) -> None:
            batch.problems.append(
                Problem(
                    file,
                    expected,
                    sheet=sheet.name,
                    row=rownum,
                    column=_column_label(sheet, found[field]),
                    value=cell_text(value),
                )
            )

        rec_id = cell_text(get(cells, "id"))
        raw_status = cell_text(get(cells, "status"))
        if not raw_status:
            if not rec_id:
                bad("id", "a recommendation ID and a status", "")
            continue  # not assessed in this file
        status = parse_status(raw_status)
        if status is None:
            bad("status", "an implementation status such as «Выполнена» / «Implemented» / «Орындалды»", raw_status)
        if not rec_id:
            bad("id", "the recommendation ID (as in the downloaded template)", rec_id)
        kind_raw = cell_text(get(cells, "source_kind"))
        kind = parse_source_kind(kind_raw)
        if kind is None:
            bad("source_kind", "government, ngo, nhri or un (in any UI language)", kind_raw)
        org = cell_text(get(cells, "organisation"))
        if not org:
            bad("organisation", "the name of the assessing organisation", org)
        as_of = parse_date(get(cells, "as_of"))
        if as_of is None:
            bad("as_of", "a date such as 2024-05-31 or 31.05.2024", get(cells, "as_of"))
        key = (rec_id, kind or "", org)
        if rec_id and key in seen:
            bad("id", f"one assessment per recommendation and organisation (already in row {seen[key]})", rec_id)
        seen.setdefault(key, rownum)
        if status and rec_id and kind and org and as_of:
            batch.assessments.append(
                RawAssessment(
                    rec_id=rec_id,
                    source_kind=kind,
                    organisation=org,
                    status=status,
                    as_of=as_of,
                    comment=cell_text(get(cells, "comment")) or None,
                    evidence=cell_text(get(cells, "evidence")) or None,
                    row=rownum,
                    sheet=sheet.name,
                )
            )
    return batch


def read_template_sheets(sheets: list[Sheet], path: Path) -> Batch | None:
    """Find the data sheet of one of our templates among `sheets` and read it; None if neither."""
    for sheet in sheets:
        if looks_like_assessments(sheet.headers):
            return read_assessments_sheet(sheet, path.name)
        if looks_like_recommendations(sheet.headers):
            return read_recommendations_sheet(sheet, path.name)
    return None


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


def _accepts(probe: Probe) -> bool:
    return any(looks_like_assessments(s.headers) or looks_like_recommendations(s.headers) for s in probe.sheets())


def _read(probe: Probe) -> Batch:
    batch = read_template_sheets(probe.sheets(), probe.path)
    assert batch is not None  # _accepts found a template sheet
    return batch


READER = Reader(
    "templates",
    frozenset({"xlsx", "ole", "text"}),
    _accepts,
    _read,
    "our recommendations or assessments template (.xlsx/.csv)",
)

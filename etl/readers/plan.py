"""A national implementation plan as Kazakh government plans are published: a table
«№ п/п | Наименование мероприятия | Форма завершения | Ответственные исполнители | Срок исполнения»
(headers in ru, en or kk), plus a column of the UPR recommendations each item implements
(«139.12, 139.15–139.17», or ids like KAZ-4-156.3).

Lines above the header give the plan's name (and its adopting act); a row with a single filled cell
is a section heading. The cycle the paragraph numbers belong to is said in the recommendations
column's header («Рекомендации УПО (4 цикл)»); without it a number must belong to one cycle only.
Agencies resolve from names or abbreviations; every unknown one is an error with its row and column.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime

from etl.messages import problem
from etl.model import Problem
from etl.plans import PlanBatch, RawPlan, RawPlanItem
from etl.readers.base import Probe, Reader
from etl.tabular import Sheet
from upr.agencies import agency_index, agency_key

FIELDS: dict[str, tuple[str, ...]] = {
    "number": ("№ п/п", "№", "№ пп", "no", "no.", "number", "item", "р/с №", "№ р/с", "реттік №"),
    "measure": ("наименование мероприятия", "мероприятие", "measure", "action", "іс-шараның атауы", "іс-шара"),
    "form": ("форма завершения", "form of completion", "аяқтау нысаны"),
    "agencies": (
        "ответственные исполнители", "ответственный исполнитель", "responsible agencies", "responsible executors",
        "responsible", "жауапты орындаушылар", "жауапты орындаушы",
    ),
    "deadline": ("срок исполнения", "сроки исполнения", "deadline", "орындау мерзімі"),
    "result": ("ожидаемый результат", "expected result", "күтілетін нәтиже"),
}  # fmt: skip
REFS_PREFIXES = (
    "рекомендации упо",
    "рекомендации",
    "upr recommendations",
    "recommendations",
    "жмш ұсынымдары",
    "ұсынымдар",
)
REQUIRED = ("number", "measure", "agencies", "deadline")


def _norm(text: object) -> str:
    return " ".join(str(text or "").lower().replace("ё", "е").replace("*", " ").split()).strip(" :")


_INDEX = {_norm(label): f for f, labels in FIELDS.items() for label in labels}


def match_plan_headers(cells: list[object]) -> tuple[dict[str, int], int | None]:
    """(field -> column, the recommendations column or None) of a header row."""
    found: dict[str, int] = {}
    refs = None
    for pos, cell in enumerate(cells):
        key = _norm(cell)
        f = _INDEX.get(key)
        if f and f not in found:
            found[f] = pos
        elif refs is None and key.startswith(REFS_PREFIXES):
            refs = pos
    return found, refs


def _header_row(sheet: Sheet) -> tuple[int, list[object]] | None:
    """The row (index among the sheet's rows; -1 for the sheet's own header) holding the plan's headers."""
    candidates = [(-1, list(sheet.headers)), *((i, list(cells)) for i, (_, cells) in enumerate(sheet.head(15)))]
    for i, cells in candidates:
        found, _ = match_plan_headers(cells)
        if {"measure", "agencies", "deadline"} <= found.keys():
            return i, cells
    return None


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8, "сентябр": 9,
    "октябр": 10, "ноябр": 11, "декабр": 12, "january": 1, "february": 2, "march": 3, "april": 4, "may": 5,
    "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip


def parse_deadline(value: object) -> tuple[str | None, date | None]:
    """(the deadline as written, the last day it allows where the text gives one).

    «IV квартал 2024 года» → 2024-12-31; «2025–2026 годы» → 2026-12-31; «декабрь 2025» → 2025-12-31;
    «31.12.2024» → that day; «ежегодно» (annually), «постоянно» → no date.
    """
    if value is None or str(value).strip() == "":
        return None, None
    if isinstance(value, datetime):
        return value.date().strftime("%d.%m.%Y"), value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y"), value
    text = " ".join(str(value).split())
    low = text.lower()
    m = re.search(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", low)
    if m:
        try:
            return text, date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return text, None
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", low)]
    if not years:
        return text, None
    year = max(years)
    m = re.search(
        r"\b(iv|iii|ii|i)\b\s*(квартал|тоқсан|quarter)|(?:q|кв\.?\s*)([1-4])\b|\b([1-4])\s*(?:-?й\s*)?квартал", low
    )
    if m:
        quarter = ROMAN[m.group(1)] if m.group(1) else int(m.group(3) or m.group(4))
        month = quarter * 3
        return text, date(year, month, monthrange(year, month)[1])
    for stem, month in MONTHS.items():
        if re.search(rf"\b{stem}\w*\s+{year}", low) and len(stem) > 2 or re.search(rf"\bма[йя]\s+{year}", low):
            month = 5 if stem == "ма" else month
            return text, date(year, month, monthrange(year, month)[1])
    return text, date(year, 12, 31)


def split_refs(value: object) -> list[str]:
    """Recommendation references as written, ranges expanded: «139.15–139.17» and «139.15-17» give three."""
    out: list[str] = []
    for part in re.split(r"[,;\n]+", str(value or "")):
        part = part.strip().rstrip(".")
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\.(\d+)\s*[-–—]\s*(?:(\d+)\.)?(\d+)", part)
        if m and (m.group(3) is None or m.group(3) == m.group(1)) and int(m.group(2)) <= int(m.group(4)):
            out.extend(f"{m.group(1)}.{n}" for n in range(int(m.group(2)), int(m.group(4)) + 1))
        else:
            out.append(part)
    return out


def split_agencies(value: object, index: dict[str, str]) -> tuple[list[str], list[str]]:
    """(agency codes in order, names not recognised) of an executors cell."""
    codes: list[str] = []
    unknown: list[str] = []
    for chunk in re.split(r"[;\n]+", str(value or "")):
        chunk = chunk.strip(" ,.")
        if not chunk:
            continue
        code = index.get(agency_key(chunk))
        parts = [chunk] if code else [p.strip(" .") for p in chunk.split(",") if p.strip(" .")]
        for part in parts:
            code = index.get(agency_key(part))
            if code is None:
                unknown.append(part)
            elif code not in codes:
                codes.append(code)
    return codes, unknown


def _cycle_of(header: str) -> int | None:
    m = re.search(r"([1-4])\s*[-‑]?\s*(?:й\s*)?(?:цикл|cycle)|(?:цикл|cycle)\w*\s*([1-4])", header.lower())
    return int(m.group(1) or m.group(2)) if m else None


def _detect_lang(cells: list[object]) -> str:
    text = " ".join(str(c or "") for c in cells)
    if re.search(r"[әғқңөұүһі]", text.lower()):
        return "kk"
    return "ru" if re.search(r"[а-я]", text.lower()) else "en"


def read_plan_sheet(sheet: Sheet, file: str) -> PlanBatch:
    """Read one plan table; every problem of the file is collected, none stops the reading."""
    found_header = _header_row(sheet)
    assert found_header is not None
    start, header = found_header
    found, refs_col = match_plan_headers(header)
    problems: list[Problem] = []
    rows = sheet.rows
    header_row = sheet.header_row if start < 0 else rows[start][0]
    above = [str(c).strip() for c in sheet.headers if str(c or "").strip()] if start >= 0 else []
    for _, cells in rows[: max(start, 0)]:
        above.extend(str(c).strip() for c in cells if str(c or "").strip())
    plan = RawPlan(name=above[0] if above else file.rsplit(".", 1)[0], lang=_detect_lang(header))
    plan.act = above[1] if len(above) > 1 else None
    if plan.act and (m := re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", plan.act)):
        plan.adopted = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for f in REQUIRED:
        if f not in found:
            problems.append(problem(file, "plan_missing_column", sheet=sheet.name, row=header_row, label=FIELDS[f][0]))
    if refs_col is None:
        problems.append(
            problem(file, "plan_missing_column", sheet=sheet.name, row=header_row, label="Рекомендации УПО")
        )
    else:
        plan.refs_column = str(header[refs_col]).strip()
        plan.cycle = _cycle_of(plan.refs_column)
    index = agency_index()

    def cell(cells: list[object], f: str | None = None, pos: int | None = None) -> str:
        pos = found.get(f) if pos is None else pos
        value = cells[pos] if pos is not None and pos < len(cells) else None
        return "" if value is None else str(value).strip()

    def column(f: str) -> str:
        return str(header[found[f]]).strip()

    for number, cells in rows[start + 1 :]:
        filled = [c for c in cells if str(c or "").strip()]
        if not filled:
            continue
        if len(filled) == 1:  # a section heading across the table
            plan.sections.append(
                re.sub(r"^(раздел|section|бөлім)?\s*\d+[.)]?\s*", "", str(filled[0]).strip(), flags=re.I)
            )
            continue
        item = RawPlanItem(
            number=cell(cells, "number"), measure=cell(cells, "measure"), row=number, sheet=sheet.name,
            section=len(plan.sections) - 1 if plan.sections else None,
            completion_form=cell(cells, "form") or None, expected_result=cell(cells, "result") or None,
        )  # fmt: skip
        if isinstance(item.number, str) and item.number.endswith(".0"):
            item.number = item.number[:-2]
        if not item.measure and "measure" in found:
            problems.append(problem(file, "plan_no_measure", sheet=sheet.name, row=number, column=column("measure")))
        if "agencies" in found:
            raw = cell(cells, "agencies")
            item.agencies, unknown = split_agencies(raw, index)
            for name in unknown:
                problems.append(
                    problem(file, "plan_unknown_agency", sheet=sheet.name, row=number, column=column("agencies"),
                            value=name, name=name)
                )  # fmt: skip
            if not raw:
                problems.append(
                    problem(file, "plan_no_agency", sheet=sheet.name, row=number, column=column("agencies"))
                )
        if "deadline" in found:
            pos = found["deadline"]
            item.deadline_text, item.deadline = parse_deadline(cells[pos] if pos < len(cells) else None)
        if refs_col is not None:
            item.refs = split_refs(cell(cells, pos=refs_col))
        plan.items.append(item)
    if not plan.items:
        problems.append(problem(file, "plan_no_items", sheet=sheet.name))
    years = [i.deadline.year for i in plan.items if i.deadline]
    if years:
        plan.period = (min([plan.adopted.year] if plan.adopted else years), max(years))
    return PlanBatch(file, "plan", "canonical", rows_read=len(plan.items), problems=problems, plan=plan)


def _plan_sheet(probe: Probe) -> Sheet | None:
    for sheet in probe.sheets():
        if _header_row(sheet) is not None:
            return sheet
    return None


def _accepts(probe: Probe) -> bool:
    return _plan_sheet(probe) is not None


def _read(probe: Probe) -> PlanBatch:
    sheet = _plan_sheet(probe)
    assert sheet is not None
    return read_plan_sheet(sheet, probe.name)


READER = Reader("plan", frozenset({"xlsx", "ole", "text"}), _accepts, _read, "an implementation plan (.xlsx/.csv)")


TEMPLATE_HEADERS = {
    "ru": ("№ п/п", "Наименование мероприятия", "Форма завершения", "Ответственные исполнители", "Срок исполнения",
           "Ожидаемый результат", "Рекомендации УПО ({cycle} цикл)"),
    "en": ("No.", "Measure", "Form of completion", "Responsible agencies", "Deadline", "Expected result",
           "UPR recommendations (cycle {cycle})"),
    "kk": ("Р/с №", "Іс-шараның атауы", "Аяқтау нысаны", "Жауапты орындаушылар", "Орындау мерзімі",
           "Күтілетін нәтиже", "ЖМШ ұсынымдары ({cycle} цикл)"),
}  # fmt: skip
_TEMPLATE_EXAMPLE = {
    "ru": ("Название плана", "1. Раздел плана", ("1", "Мероприятие", "Проект закона", "МЮ; ГП", "IV квартал 2025 года",
           "Ожидаемый результат", "139.12, 139.15–139.17")),
    "en": ("Plan name", "1. Plan section", ("1", "Measure", "Draft law", "MoJ; PGO", "Q4 2025", "Expected result",
           "139.12, 139.15-139.17")),
    "kk": ("Жоспардың атауы", "1. Жоспар бөлімі", ("1", "Іс-шара", "Заң жобасы", "ӘМ; БП", "2025 жылғы IV тоқсан",
           "Күтілетін нәтиже", "139.12, 139.15–139.17")),
}  # fmt: skip


def plan_template_xlsx(lang: str, cycle: int) -> bytes:
    """An empty plan in the published layout, headers in `lang`, with one example section and item to replace."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    name, section, item = _TEMPLATE_EXAMPLE[lang]
    wb = Workbook()
    ws = wb.active
    ws.append([name])
    ws.append([h.format(cycle=cycle) for h in TEMPLATE_HEADERS[lang]])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    ws.append([section])
    ws.append(list(item))
    for col, width in zip("ABCDEFG", (8, 60, 22, 30, 22, 40, 28)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

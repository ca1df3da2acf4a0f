"""Government agencies responsible for recommendations: the shipped list, and finding one by name."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from upr import config


@dataclass(frozen=True)
class Agency:
    code: str
    name_ru: str
    name_en: str
    name_kk: str
    abbr_ru: str
    abbr_en: str
    abbr_kk: str
    aliases: str
    sort: int

    def name(self, lang: str) -> str:
        return getattr(self, f"name_{lang}", self.name_en)

    def abbr(self, lang: str) -> str:
        return getattr(self, f"abbr_{lang}", self.abbr_en) or self.name(lang)

    def spellings(self) -> list[str]:
        """Every name and abbreviation it is written as, in every language."""
        names = [self.name_ru, self.name_en, self.name_kk, self.abbr_ru, self.abbr_en, self.abbr_kk]
        return [n for n in [*names, *self.aliases.split(";")] if n.strip()]


def load_agencies() -> list[Agency]:
    """The agencies of data/agencies.csv, in the file's order."""
    with (config.DATA_DIR / "agencies.csv").open(encoding="utf-8", newline="") as fh:
        return [
            Agency(
                r["code"], r["name_ru"], r["name_en"], r["name_kk"],
                r["abbr_ru"], r["abbr_en"], r["abbr_kk"], r.get("aliases") or "", i,
            )
            for i, r in enumerate(csv.DictReader(fh))
        ]  # fmt: skip


def agency_key(name: str) -> str:
    """A name as compared: case, «ё», quotes, dots and spacing ignored; «Республики Казахстан» dropped."""
    key = name.casefold().replace("ё", "е")
    key = re.sub(r"[«»\"'.,()]", " ", key)
    key = re.sub(
        r"\b(республики казахстан|рк|of the republic of kazakhstan|of kazakhstan|қазақстан республикасының|қр)\b",
        " ",
        key,
    )
    return " ".join(key.split())


def agency_index(agencies: list[Agency] | None = None) -> dict[str, str]:
    """Every spelling's key -> agency code."""
    index: dict[str, str] = {}
    for a in agencies if agencies is not None else load_agencies():
        for spelling in a.spellings():
            index.setdefault(agency_key(spelling), a.code)
    return index


@cache
def _shipped() -> tuple[dict[str, Agency], dict[str, str]]:
    agencies = load_agencies()
    return {a.code: a for a in agencies}, agency_index(agencies)


def find_agency(written: str) -> Agency | None:
    """The shipped agency a name as written refers to (its name or abbreviation in any language, or an
    alias; case, quotes and «of the Republic of Kazakhstan» ignored), else None."""
    by_code, index = _shipped()
    code = index.get(agency_key(written))
    return by_code.get(code) if code else None


def agency_name(code: str, lang: str) -> str:
    """The name in `lang` of the shipped agency with this code, else the code itself."""
    agency = _shipped()[0].get(code)
    return agency.name(lang) if agency else code


def display_name(written: object, lang: str) -> object:
    """A responsible agency as a file wrote it (recommendation.agency), in the reader's language: the
    name in `lang` of the agency it refers to; several agencies separated by «;» each so; a name that
    is no shipped agency as written. Anything that is not text (None, NaN) is returned unchanged."""
    if not isinstance(written, str) or not written.strip():
        return written
    whole = find_agency(written)
    if whole is not None:
        return whole.name(lang)
    parts = [p.strip() for p in written.split(";")]
    if len(parts) == 1:
        return written
    return "; ".join(a.name(lang) if (a := find_agency(p)) else p for p in parts if p)

"""UHRI export headers and JSON keys: every spelling met for each field, and the check that a
header row or a record is a UHRI export's."""

from __future__ import annotations

import re

JSON_FIELDS = (
    "AffectedPersons",
    "AnnotationId",
    "AnnotationType",
    "Body",
    "Countries",
    "DocumentId",
    "PublicationDate",
    "PublicationDateOnUhri",
    "Regions",
    "Sdgs",
    "Symbol",
    "Text",
    "Themes",
    "UprCycle",
    "UprPositions",
    "UprRecommendingCountry",
    "UprRecommendingRegions",
    "UprSession",
)

# Every spelling met for each field, JSON and spreadsheet alike; matched after field_key().
ALIASES: dict[str, tuple[str, ...]] = {
    "Text": ("Text", "Recommendation text", "Annotation text"),
    "Countries": (
        "Countries", "Countries Concerned", "Country", "Country Concerned", "States Concerned",
        "State under Review", "States under Review", "SuR",
    ),
    "Body": ("Body", "Reccomending Body", "Mechanism", "Recommending Mechanism"),
    "UprRecommendingCountry": (
        "UprRecommendingCountry", "UPR Reccomending States", "UPR Recommending State",
        "UPR Recommending Country", "UPR Recommending Countries", "Recommending States",
        "Recommending State", "Recommending State(s)", "Recommending Country",
        "UprRecommendingStates",
    ),
    "UprPositions": ("UprPositions", "UPR Position", "UprPosition", "Position", "Positions"),
    "Themes": ("Themes", "Theme"),
    "AffectedPersons": ("AffectedPersons", "Affected Persons", "Persons Affected", "Affected Groups"),
    "Sdgs": ("Sdgs", "SDG", "Sustainable Development Goals"),
    "UprCycle": ("UprCycle", "UPR Cycle", "Cycle"),
    "UprSession": ("UprSession", "UPR Session", "Session"),
    "Symbol": ("Symbol", "Document Symbol"),
    "AnnotationType": ("AnnotationType", "Annotation Type", "Type"),
    "AnnotationId": ("AnnotationId", "OHCHR Annotation Id", "Annotation Id"),
    "DocumentId": ("DocumentId", "Document Id"),
    "PublicationDate": ("PublicationDate", "Document Publication Date", "Publication Date"),
    "PublicationDateOnUhri": ("PublicationDateOnUhri", "Date of publication on UHRI"),
    "Regions": ("Regions", "Regions Concerned"),
    "UprRecommendingRegions": ("UprRecommendingRegions", "Recommending Regions"),
    "Paragraph": ("Paragraph", "Paragraph number", "Para"),
}  # fmt: skip

# Headers (and JSON keys) only a UHRI export has, as field_key() spells them; two of them besides
# Text make a UHRI export. Generic ones ("Position", "Session", "Themes") do not count.
_UHRI_MARKERS = {
    "affectedpersons", "annotationid", "annotationtype", "body", "countriesconcerned",
    "dateofpublicationonuhri", "documentid", "documentpublicationdate", "documentsymbol",
    "ohchrannotationid", "publicationdate", "publicationdateonuhri", "recommendingbody",
    "recommendingregions", "regions", "regionsconcerned", "symbol", "uprcycle", "uprposition",
    "uprpositions", "uprrecommendingcountry", "uprrecommendingregions", "uprrecommendingstates",
    "uprsession",
}  # fmt: skip


def field_key(name: object) -> str:
    key = re.sub(r"[^a-z0-9]", "", str(name).casefold())
    # OHCHR's own spellings: Reccomending, Recomending, Reccommending.
    return re.sub(r"rec+om+end", "recommend", key)


FIELD_OF = {field_key(alias): field for field, aliases in ALIASES.items() for alias in aliases}


def field_map(names: list[str]) -> dict[str, int]:
    """Canonical field → position of the header/key that carries it (first one wins)."""
    found: dict[str, int] = {}
    for i, name in enumerate(names):
        field = FIELD_OF.get(field_key(name))
        if field is None:
            continue
        # "Reccomending Body" is the mechanism; only beside a real Body column can it be the
        # recommending States.
        if field == "Body" and field_key(name) == "recommendingbody" and any(field_key(n) == "body" for n in names):
            field = "UprRecommendingCountry"
        found.setdefault(field, i)
    return found


def looks_like_uhri_headers(headers: list[str]) -> bool:
    """Whether spreadsheet headers are a UHRI export's: Text plus two UHRI-only columns."""
    return looks_uhri([str(h) for h in headers])


def looks_uhri(names: list[str]) -> bool:
    keys = {field_key(n) for n in names}
    return "Text" in field_map(names) and len(_UHRI_MARKERS & keys) >= 2

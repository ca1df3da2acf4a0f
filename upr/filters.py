"""The global filters every page applies, and the one SQL fragment that applies them."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields

from upr.search import query_terms, query_words

# The theme filter's value for "no canonical theme" (the Themes page's grey tile has the same id).
NO_THEME = "__none__"
_STATUS_TOKEN = re.compile(r"[a-z_]+:[a-z_]+")


@dataclass(frozen=True)
class Filters:
    """What the user chose in the sidebar (empty tuple = no restriction).

    `sources` restricts which assessment sources are counted; it does not hide recommendations.
    """

    sur: str = "KAZ"
    cycles: tuple[int, ...] = ()
    themes: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()  # responsible agency codes (agency.code)
    plans: tuple[str, ...] = ()  # plan ids, as text (they travel in the URL)
    # Current implementation status per source, as "source:status" ("ngo:not_implemented"): a
    # recommendation is kept when, for each source named, that source's latest assessment of it
    # has one of the statuses named for it (several statuses of one source: any of them).
    status: tuple[str, ...] = ()
    q: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())  # page-specific, e.g. (("status_ngo", "implemented"),)

    def params(self) -> dict[str, object]:
        """Named parameters for FILTERED_RECS."""
        return {
            "sur": self.sur,
            "cycles": list(self.cycles),
            "themes": list(self.themes),
            "responses": list(self.responses),
            "states": list(self.states),
            "groups": list(self.groups),
            "agencies": list(self.agencies),
            "plans": [int(p) for p in self.plans if str(p).isdigit()],
            "status": list(self.status),
            "status_kinds": sorted({s.split(":", 1)[0] for s in self.status}),
            "q": self.q.strip(),
            "q_terms": query_terms(self.q),
            "q_words": query_words(self.q),
        }

    def with_status(self, source: str, status: str) -> tuple[str, ...]:
        """The status filter with `source` narrowed to `status`, the other sources' choices kept."""
        return (*(s for s in self.status if s.split(":", 1)[0] != source), f"{source}:{status}")

    def to_query(self) -> dict[str, str]:
        """The filters as URL query parameters (comma-joined lists), omitting defaults."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "extra":
                out.update({k: v for k, v in value})
            elif isinstance(value, tuple) and value:
                out[f.name] = ",".join(str(v) for v in value)
            elif isinstance(value, str) and value and value != f.default:
                out[f.name] = value
        return out

    @classmethod
    def from_query(cls, query: dict[str, str], default_sur: str = "KAZ") -> Filters:
        """Filters from URL query parameters; unknown keys go to `extra`.

        The status filter is `status=ngo:not_implemented,government:implemented`; the older form of
        one parameter per source (`status_ngo=not_implemented`) is read too.
        """

        def items(key: str) -> tuple[str, ...]:
            return tuple(v for v in str(query.get(key, "")).split(",") if v)

        legacy = {k: v for k, v in query.items() if k.startswith("status_") and len(k) > 7}
        known = {f.name for f in fields(cls)} | set(legacy)
        status = [s for s in items("status") if _STATUS_TOKEN.fullmatch(s)]
        for key, value in sorted(legacy.items()):
            status += [f"{key[7:]}:{v}" for v in str(value).split(",") if v]
        cycles = tuple(int(c) for c in items("cycles") if c.isdigit())
        return cls(
            sur=str(query.get("sur") or default_sur),
            cycles=cycles,
            themes=items("themes"),
            responses=items("responses"),
            sources=items("sources"),
            states=items("states"),
            groups=items("groups"),
            agencies=items("agencies"),
            plans=items("plans"),
            status=tuple(dict.fromkeys(status)),
            q=str(query.get("q", "")),
            extra=tuple(sorted((k, str(v)) for k, v in query.items() if k not in known)),
        )

    def as_dict(self) -> dict:
        return asdict(self)


# One clause per optional filter; an unused filter's clause is dropped before the query runs
# (see prune()), because DuckDB evaluates `len($x) = 0 OR EXISTS (...)` in full even when empty.
_CLAUSES: dict[str, str] = {
    "cycles": "\n      AND (len($cycles) = 0 OR list_contains($cycles, v.cycle))",
    "responses": "\n      AND (len($responses) = 0 OR list_contains($responses, coalesce(r.response, 'pending')))",
    # NO_THEME among the themes: the recommendations with no canonical theme too.
    "themes": """
      AND (len($themes) = 0 OR EXISTS (
            SELECT 1 FROM rec_theme x WHERE x.rec_id = r.id AND list_contains($themes, x.theme_code))
          OR (list_contains($themes, '__none__') AND NOT EXISTS (
            SELECT 1 FROM rec_theme x WHERE x.rec_id = r.id AND x.theme_code IS NOT NULL)))""",
    "states": """
      AND (len($states) = 0 OR EXISTS (
            SELECT 1 FROM rec_state x WHERE x.rec_id = r.id AND list_contains($states, x.iso3)))""",
    "groups": """
      AND (len($groups) = 0 OR EXISTS (
            SELECT 1 FROM rec_group x WHERE x.rec_id = r.id AND list_contains($groups, x.group_code)))""",
    # The responsible agency: the lead agency of a plan item citing it, else the one set directly
    # on the recommendation (its name or abbreviation in any language, or a known alias).
    "agencies": """
      AND (len($agencies) = 0 OR EXISTS (
            SELECT 1 FROM rec_agency x WHERE x.rec_id = r.id AND list_contains($agencies, x.agency_code))
          OR (NOT EXISTS (SELECT 1 FROM rec_agency x WHERE x.rec_id = r.id) AND EXISTS (
            SELECT 1 FROM agency a WHERE list_contains($agencies, a.code) AND (r.agency IN (
                a.name_en, a.name_ru, a.name_kk, a.abbr_en, a.abbr_ru, a.abbr_kk)
                OR list_contains(string_split(a.aliases, ';'), r.agency)))))""",
    "plans": """
      AND (len($plans) = 0 OR EXISTS (
            SELECT 1 FROM plan_item_rec x JOIN plan_item i ON i.id = x.item_id
            WHERE x.rec_id = r.id AND list_contains($plans, i.plan_id)))""",
    # The current status by each source named (upr.queries.core.CURRENT_BY_SOURCE's order).
    "status": """
      AND (len($status) = 0 OR r.id IN (
            SELECT rec_id FROM (
                SELECT a.rec_id, a.source_kind, a.status,
                       row_number() OVER (PARTITION BY a.rec_id, a.source_kind ORDER BY a.as_of DESC, a.id DESC) AS n
                FROM assessment a WHERE list_contains($status_kinds, a.source_kind)
            ) WHERE n = 1 AND list_contains($status, source_kind || ':' || status)
            GROUP BY rec_id HAVING count(*) = len($status_kinds)))""",
    # The search (upr.search): the paragraph or ID, the text as typed, or every word in some form
    # (a word's start, its stem, a theme named by it) among the recommendation's keys. A
    # recommendation waiting for its keys (an upload commits before its index follows; its row
    # holds its texts, upr.search.mark_pending) is found when each word, as typed, is in its texts.
    "q": """
      AND ($q = '' OR r.ref = $q OR r.id = $q
          OR EXISTS (SELECT 1 FROM rec_text x WHERE x.rec_id = r.id AND contains(lower(x.text), lower($q)))
          OR r.id IN (SELECT s.rec_id FROM rec_search s WHERE s.sur_iso3 = $sur AND CASE WHEN s.sig = ''
                THEN len($q_words) > 0 AND list_bool_and(list_transform($q_words, lambda w: contains(s.keys, w)))
                ELSE list_bool_and(list_transform($q_terms,
                    lambda w: list_bool_or(list_transform(w, lambda k: contains(s.keys, k))))) END))""",
}

# The recommendations the filters select; every page's query builds on it.
FILTERED_RECS = (
    """
    SELECT r.id, r.review_id, v.cycle, r.response, r.ref, r.action_category
    FROM recommendation r JOIN review v ON v.id = r.review_id
    WHERE v.sur_iso3 = $sur AND r.merged_into IS NULL"""
    + "".join(_CLAUSES.values())
    + "\n"
)


def prune(sql: str, params: object) -> tuple[str, object]:
    """The query without the clauses of filters that are not set, and only the parameters it uses.

    The results are the same as running `sql` as written; it is only faster (about 10 ms less per
    query at 100,000 recommendations).
    """
    if not isinstance(params, dict):
        return sql, params
    for name, clause in _CLAUSES.items():
        if name in params and not params[name]:
            sql = sql.replace(clause, "")
    return sql, {k: v for k, v in params.items() if f"${k}" in sql}


def run(con, sql: str, params: object = None):  # noqa: ANN201 - a DuckDB connection and its result
    """con.execute(sql, params) after prune()."""
    if params is None:
        return con.execute(sql)
    return con.execute(*prune(sql, params))

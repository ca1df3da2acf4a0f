"""National implementation plans: what a plan file gives, and writing it into the database.

A reader (etl.readers.plan) turns a plan table into a :class:`RawPlan`, agencies already resolved
against data/agencies.csv; the loader resolves the recommendations each item cites (paragraph
numbers of the plan's cycle, or our ids) against the database, and writes the plan, its sections,
items, executors and links in the import's transaction. A cited recommendation that is not in the
database is an error naming the row and column, collected for the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import duckdb

from etl.messages import problem
from etl.model import Batch, Problem
from etl.report import ImportReport

REC_ID = re.compile(r"^([A-Z]{3})-([1-4])-(.+)$")


@dataclass
class RawPlanItem:
    """One row of a plan table, as written (agencies as codes, recommendations as written)."""

    number: str
    measure: str
    section: int | None = None  # index into RawPlan.sections
    completion_form: str | None = None
    agencies: list[str] = field(default_factory=list)  # agency codes; the first is the lead
    deadline_text: str | None = None
    deadline: date | None = None
    expected_result: str | None = None
    refs: list[str] = field(default_factory=list)  # "139.12", "KAZ-4-156.3"
    row: int | None = None
    sheet: str | None = None


@dataclass
class RawPlan:
    """A plan as a file gives it."""

    name: str
    sur: str = "KAZ"
    cycle: int | None = None
    act: str | None = None
    adopted: date | None = None
    period: tuple[int, int] | None = None
    lang: str = "ru"
    illustrative: bool = False
    sections: list[str] = field(default_factory=list)
    items: list[RawPlanItem] = field(default_factory=list)
    refs_column: str = ""  # the file's header of the recommendations column, for messages


@dataclass
class PlanBatch(Batch):
    """A batch that brings a plan."""

    plan: RawPlan | None = None


def _rec_lookup(con: duckdb.DuckDBPyConnection, sur: str) -> dict[tuple[int, str], str]:
    """(cycle, paragraph) -> recommendation id, of the State's recommendations in force."""
    rows = con.execute(
        """
        SELECT v.cycle, r.ref, coalesce(r.merged_into, r.id)
        FROM recommendation r JOIN review v ON v.id = r.review_id
        WHERE v.sur_iso3 = ? AND r.ref IS NOT NULL
        """,
        [sur],
    ).fetchall()
    return {(c, ref): rec_id for c, ref, rec_id in rows}


def resolve_ref(ref: str, cycle: int | None, lookup: dict[tuple[int, str], str], sur: str) -> str | list[int] | None:
    """The recommendation `ref` names; a list of cycles when a bare paragraph is in several; None if unknown."""
    m = REC_ID.match(ref)
    if m:
        if m.group(1) != sur:
            return None
        return lookup.get((int(m.group(2)), m.group(3)))
    if cycle is not None:
        return lookup.get((cycle, ref))
    cycles = sorted(c for c, r in lookup if r == ref)
    if len(cycles) == 1:
        return lookup[(cycles[0], ref)]
    return cycles or None


def _links(con: duckdb.DuckDBPyConnection, plan: RawPlan) -> list[list[tuple[object, str]]]:
    lookup = _rec_lookup(con, plan.sur)
    return [[(resolve_ref(ref, plan.cycle, lookup, plan.sur), ref) for ref in item.refs] for item in plan.items]


def unresolved_refs(con: duckdb.DuckDBPyConnection, batch: PlanBatch) -> list[Problem]:
    """An error for every recommendation the plan cites that the database does not hold, with its row and column."""
    plan = batch.plan
    assert plan is not None
    out = []
    for item, links in zip(plan.items, _links(con, plan)):
        for rec_id, ref in links:
            if isinstance(rec_id, str):
                continue
            code = "plan_ambiguous_rec" if isinstance(rec_id, list) else "plan_unknown_rec"
            cycles = ", ".join(str(c) for c in rec_id) if isinstance(rec_id, list) else ""
            out.append(
                problem(
                    batch.file, code, sheet=item.sheet, row=item.row, column=plan.refs_column, value=ref,
                    ref=ref, cycle=plan.cycle or "—", cycles=cycles,
                )
            )  # fmt: skip
    return out


def load_plan(con: duckdb.DuckDBPyConnection, batch: PlanBatch, report: ImportReport, import_id: int) -> None:
    """Write the batch's plan inside the caller's transaction (its references checked by unresolved_refs)."""
    plan = batch.plan
    assert plan is not None
    links = [[(r, w) for r, w in found if isinstance(r, str)] for found in _links(con, plan)]
    plan_id = con.execute("SELECT nextval('plan_id_seq')").fetchall()[0][0]
    period = plan.period or (None, None)
    con.execute(
        "INSERT INTO plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [plan_id, plan.sur, plan.name, plan.act, plan.adopted, period[0], period[1], plan.cycle, plan.lang,
         plan.illustrative, import_id],
    )  # fmt: skip
    section_ids = []
    for number, title in enumerate(plan.sections, start=1):
        section_id = con.execute("SELECT nextval('plan_section_id_seq')").fetchall()[0][0]
        con.execute("INSERT INTO plan_section VALUES (?, ?, ?, ?, ?)", [section_id, plan_id, number, title, import_id])
        section_ids.append(section_id)
    for sort, (item, found) in enumerate(zip(plan.items, links), start=1):
        item_id = con.execute("SELECT nextval('plan_item_id_seq')").fetchall()[0][0]
        con.execute(
            "INSERT INTO plan_item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [item_id, plan_id, None if item.section is None else section_ids[item.section], item.number, sort,
             item.measure, item.completion_form, item.agencies[0] if item.agencies else None, item.deadline_text,
             item.deadline, item.expected_result, item.row, import_id],
        )  # fmt: skip
        con.executemany(
            "INSERT INTO plan_item_agency VALUES (?, ?, ?, ?, ?)",
            [[item_id, code, "lead" if i == 0 else "co", i, import_id] for i, code in enumerate(item.agencies)],
        )
        seen = dict(found)  # one link per recommendation, with the first reference that named it
        con.executemany(
            "INSERT INTO plan_item_rec VALUES (?, ?, ?, ?)", [[item_id, r, w, import_id] for r, w in seen.items()]
        )
        if item.agencies:
            con.executemany(
                "INSERT INTO rec_agency VALUES (?, ?, 'plan', ?, ?)",
                [[r, item.agencies[0], item_id, import_id] for r in seen],
            )
        report.added += 1

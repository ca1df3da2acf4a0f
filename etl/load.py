"""Write a Batch into the database in one transaction, reconciling it with what is there.

Recommendations from several sources of the same review are matched (State under review, cycle,
paragraph reference, then text similarity) so that the UN report, the UPR Info export and the
OHCHR files yield one set of recommendations. The report's position wins; every disagreement is
recorded in `conflict`. Assessments are only ever added: history grows, the latest is current.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd
import pyarrow as pa
from rapidfuzz import fuzz

from etl.model import Batch, Problem, RawAssessment, make_rec_id, text_key
from etl.resolve import CachedIndexes, Resolved, resolve_recommendation

# Whose word on a response wins when two sources disagree: the UN's own documents first.
RESPONSE_PRIORITY = {
    "wg_report": 5,
    "matrix": 4,
    "uhri": 3,
    "template_recommendations": 3,
    "demo": 3,
    "upr_info": 1,
}
MATCH_THRESHOLD = 88  # rapidfuzz ratio (0-100) on normalised texts


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), in figures a user can check."""

    file: str
    format: str
    sha256: str
    rows_read: int = 0
    added: int = 0
    updated: int = 0  # recommendations merged with new information, or assessments changed
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    import_id: int | None = None
    already_imported: int | None = None  # id of an earlier import of the very same file
    conflicts: int = 0
    changes: list[dict] = field(default_factory=list)  # assessments: old → new, for previews

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "import_id": self.import_id,
            "already_imported": self.already_imported,
            "rows_read": self.rows_read,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "conflicts": self.conflicts,
            "errors": [str(p) for p in self.errors],
            "warnings": [str(p) for p in self.warnings],
        }


def _execute(con, sql: str, params: dict[str, object]) -> None:
    """Execute with just the named parameters the statement uses (DuckDB refuses extra ones)."""
    con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})


def _arrow(**columns: object) -> pa.Table:
    """An Arrow table from Python lists (strings become Arrow strings, None becomes null)."""
    return pa.table(
        {name: col if isinstance(col, pa.Array) else pa.array(col, pa.string()) for name, col in columns.items()}
    )


def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    con.register("_bulk_rows", frame)
    try:
        cols = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _bulk_rows")  # noqa: S608 - names are ours
    finally:
        con.unregister("_bulk_rows")


def find_import_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    """The id of a live (not reverted) import of the same file content, if any."""
    row = con.execute(
        "SELECT id FROM import WHERE sha256 = ? AND reverted_at IS NULL ORDER BY id LIMIT 1", [sha256]
    ).fetchall()
    return row[0][0] if row else None


def import_batch(
    con: duckdb.DuckDBPyConnection,
    batch: Batch,
    *,
    sha256: str,
    who: str = "cli",
    dry_run: bool = False,
    allowed_organisation: str | None = None,
) -> ImportReport:
    """Load one batch in one transaction (or only compute what it would do, with dry_run).

    A batch with any error changes nothing. `allowed_organisation`, when given, is the only
    organisation whose assessments this import may add (an organisation editor's upload).
    """
    report = ImportReport(batch.file, batch.format, sha256, rows_read=batch.rows_read, problems=list(batch.problems))
    previous = find_import_by_sha(con, sha256)
    if previous is not None:
        report.already_imported = previous
        report.unchanged = len(batch.table or batch.recommendations) + len(batch.assessments)
        return report
    if report.errors:
        report.rejected = len({(p.sheet, p.row) for p in report.errors})
        return report
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = con.execute("SELECT nextval('import_id_seq')").fetchall()[0][0]
        if batch.table is not None and not _load_new_table(con, batch, report, import_id):
            # Some of its reviews already hold recommendations: reconcile one by one.
            batch.recommendations = batch.table.records()
        if batch.recommendations:
            _load_recommendations(con, batch, report, import_id)
        if batch.assessments:
            _load_assessments(con, batch, report, import_id, allowed_organisation)
        if report.errors or dry_run:
            con.execute("ROLLBACK")
            report.rejected = len({(p.sheet, p.row) for p in report.errors})
            return report
        con.execute(
            "INSERT INTO import VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                import_id,
                batch.file,
                sha256,
                batch.format,
                who,
                datetime.now(),
                report.rows_read,
                report.added,
                report.updated,
                report.unchanged,
                report.rejected,
                json.dumps({"warnings": [str(p) for p in report.warnings]}, ensure_ascii=False),
            ],
        )
        con.execute("COMMIT")
        report.import_id = import_id
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return report


# --- recommendations -------------------------------------------------------------------------


@dataclass
class _Existing:
    id: str
    ref: str | None
    response: str | None
    response_source: str | None
    action: int | None
    key: str
    states: set[str]
    theme_keys: set[tuple[str, str]]
    group_keys: set[tuple[str, str]]
    sdgs: set[str]
    formats: set[str]


def _get_reviews(
    con, keys: list[tuple[str, int]], batch: Batch, sessions: dict[tuple[str, int], int | None], import_id: int
) -> dict[tuple[str, int], int]:
    """Review ids for (State, cycle) pairs, creating the missing ones; fills session, date, symbol if unknown."""
    doc = batch.document
    review_date = doc.review_date if doc else None
    symbol = doc.symbol if doc and batch.format == "wg_report" else None
    wanted = {k: (sessions.get(k) or (doc.session if doc else None)) for k in keys}
    found = {
        (iso3, cycle): (rid, session, rdate, rsym)
        for rid, iso3, cycle, session, rdate, rsym in con.execute(
            "SELECT id, sur_iso3, cycle, session, review_date, report_symbol FROM review"
        ).fetchall()
        if (iso3, cycle) in wanted
    }
    ids: dict[tuple[str, int], int] = {}
    for key, (rid, session, rdate, rsym) in found.items():
        ids[key] = rid
        fill = (session is None and wanted[key]) or (rdate is None and review_date) or (rsym is None and symbol)
        if fill:
            # Kept so that reverting this import restores the review exactly.
            old = json.dumps([session, rdate.isoformat() if rdate else None, rsym])
            con.execute("INSERT INTO rec_change VALUES (?, ?, 'review', ?)", [import_id, f"review:{rid}", old])
            con.execute(
                "UPDATE review SET session = coalesce(session, ?), review_date = coalesce(review_date, ?), "
                "report_symbol = coalesce(report_symbol, ?) WHERE id = ?",
                [wanted[key], review_date, symbol, rid],
            )
    missing = [k for k in keys if k not in found]
    if missing:
        new_ids = [
            r[0] for r in con.execute("SELECT nextval('review_id_seq') FROM range(?)", [len(missing)]).fetchall()
        ]
        rows = [
            (rid, iso3, cycle, wanted[(iso3, cycle)], review_date, symbol)
            for rid, (iso3, cycle) in zip(new_ids, missing)
        ]
        _bulk_insert(con, "review", ["id", "sur_iso3", "cycle", "session", "review_date", "report_symbol"], rows)
        ids.update(dict(zip(missing, new_ids)))
    return ids


def _existing_recs(con, review_ids: list[int]) -> dict[int, list[_Existing]]:
    """What the database already holds for these reviews, grouped by review.

    Flat queries grouped here in Python: DuckDB's nested list aggregates were ten times slower at
    100,000 recommendations.
    """
    if not review_ids:
        return {}
    params = {"ids": review_ids}
    scope = "rec_id IN (SELECT id FROM recommendation WHERE list_contains($ids, review_id))"
    recs: dict[str, _Existing] = {}
    out: dict[int, list[_Existing]] = {}
    for review_id, rec_id, ref, response, source, action, text in con.execute(
        "SELECT r.review_id, r.id, r.ref, r.response, r.response_source, r.action_category, t.text "
        "FROM recommendation r JOIN rec_text t ON t.rec_id = r.id AND t.is_original "
        "WHERE list_contains($ids, r.review_id) ORDER BY r.id",
        params,
    ).fetchall():
        e = _Existing(rec_id, ref, response, source, action, text_key(text), set(), set(), set(), set(), set())
        recs[rec_id] = e
        out.setdefault(review_id, []).append(e)
    for rec_id, value in con.execute(
        f"SELECT rec_id, coalesce(iso3, source_label) FROM rec_state WHERE {scope}", params
    ).fetchall():
        recs[rec_id].states.add(value)
    for rec_id, source, label in con.execute(
        f"SELECT rec_id, source, source_label FROM rec_theme WHERE {scope}", params
    ).fetchall():
        recs[rec_id].theme_keys.add((source, label))
    for rec_id, source, label in con.execute(
        f"SELECT rec_id, source, source_label FROM rec_group WHERE {scope}", params
    ).fetchall():
        recs[rec_id].group_keys.add((source, label))
    for rec_id, sdg in con.execute(f"SELECT rec_id, sdg FROM rec_sdg WHERE {scope}", params).fetchall():
        recs[rec_id].sdgs.add(sdg)
    for rec_id, fmt in con.execute(f"SELECT DISTINCT rec_id, format FROM rec_source WHERE {scope}", params).fetchall():
        recs[rec_id].formats.add(fmt)
    return out


class _Writer:
    """Rows to insert, gathered per table and written in bulk at the end."""

    def __init__(self, import_id: int, document_id: int | None, fmt: str, theme_source: str):
        self.import_id, self.document_id, self.fmt, self.theme_source = import_id, document_id, fmt, theme_source
        self.recs: list[tuple] = []
        self.texts: list[tuple] = []
        self.sources: list[tuple] = []
        self.states: list[tuple] = []
        self.themes: list[tuple] = []
        self.groups: list[tuple] = []
        self.sdgs: list[tuple] = []

    def source(self, rec_id: str, r: Resolved) -> None:
        self.sources.append(
            (
                rec_id,
                self.import_id,
                self.document_id,
                self.fmt,
                r.raw.row,
                r.raw.ref,
                r.raw.response,
                r.raw.response_raw,
            )
        )

    def attributes(self, rec_id: str, r: Resolved, existing: _Existing | None, with_states: bool) -> bool:
        """Add the themes, groups, SDGs (and States) the recommendation does not have yet."""
        added = False
        if with_states:
            for iso3, label in r.states:
                if existing is None or (iso3 or label) not in existing.states:
                    self.states.append((rec_id, iso3, label, self.import_id))
                    added = True
                    if existing is not None:
                        existing.states.add(iso3 or label)
        for code, label in r.themes:
            if existing is None or (self.theme_source, label) not in existing.theme_keys:
                self.themes.append((rec_id, code, self.theme_source, label, self.import_id))
                added = True
                if existing is not None:
                    existing.theme_keys.add((self.theme_source, label))
        for code, label in r.groups:
            if existing is None or (self.theme_source, label) not in existing.group_keys:
                self.groups.append((rec_id, code, self.theme_source, label, self.import_id))
                added = True
                if existing is not None:
                    existing.group_keys.add((self.theme_source, label))
        for sdg, goal in r.sdgs:
            if existing is None or sdg not in existing.sdgs:
                self.sdgs.append((rec_id, sdg, goal, self.theme_source, self.import_id))
                added = True
                if existing is not None:
                    existing.sdgs.add(sdg)
        return added

    def flush(self, con) -> None:
        _bulk_insert(
            con,
            "recommendation",
            ["id", "review_id", "ref", "response", "response_source", "action_category", "agency", "import_id"],
            self.recs,
        )
        _bulk_insert(con, "rec_text", ["rec_id", "lang", "text", "is_original", "import_id"], self.texts)
        _bulk_insert(
            con,
            "rec_source",
            ["rec_id", "import_id", "document_id", "format", "row_number", "ref", "response", "response_raw"],
            self.sources,
        )
        _bulk_insert(con, "rec_state", ["rec_id", "iso3", "source_label", "import_id"], self.states)
        _bulk_insert(con, "rec_theme", ["rec_id", "theme_code", "source", "source_label", "import_id"], self.themes)
        _bulk_insert(con, "rec_group", ["rec_id", "group_code", "source", "source_label", "import_id"], self.groups)
        _bulk_insert(con, "rec_sdg", ["rec_id", "sdg", "goal", "source", "import_id"], self.sdgs)


def _load_recommendations(con, batch: Batch, report: ImportReport, import_id: int) -> None:
    indexes = CachedIndexes()
    resolved: list[Resolved] = []
    for raw in batch.recommendations:
        if raw.cycle is None:
            report.problems.append(
                Problem(batch.file, "the review's cycle 1–4", sheet=raw.sheet, row=raw.row, column="Cycle", value=None)
            )
            continue
        result = resolve_recommendation(raw, batch.file, batch.theme_source, indexes)
        if isinstance(result, list):
            report.problems += result
        else:
            report.problems += result.problems
            resolved.append(result)
    if report.errors:
        return
    document_id = None
    if batch.document is not None:
        document_id = con.execute("SELECT nextval('document_id_seq')").fetchall()[0][0]
        con.execute(
            "INSERT INTO document VALUES (?, ?, ?, ?, ?)",
            [document_id, batch.document.symbol, batch.document.title, batch.format, import_id],
        )
    writer = _Writer(import_id, document_id, batch.format, batch.theme_source)
    # Ids already taken, so that a new recommendation never reuses one.
    new_ids = {r[0] for r in con.execute("SELECT id FROM recommendation").fetchall()}
    by_review: dict[tuple[str, int], list[Resolved]] = {}
    for r in resolved:
        by_review.setdefault((r.sur_iso3, r.raw.cycle), []).append(r)
    review_ids = _get_reviews(
        con, list(by_review), batch, {k: v[0].raw.session for k, v in by_review.items()}, import_id
    )
    existing = _existing_recs(con, list(review_ids.values())) if new_ids else {}
    for (iso3, cycle), items in by_review.items():
        review_id = review_ids[(iso3, cycle)]
        _reconcile(
            con, items, existing.get(review_id, []), review_id, iso3, cycle, batch, report, writer, import_id, new_ids
        )
    writer.flush(con)


def _load_new_table(con, batch: Batch, report: ImportReport, import_id: int) -> bool:
    """Load a columnar batch whose reviews hold no recommendations yet, in bulk; False if some do.

    Writes exactly the rows the general path would (a test compares the two), without an object
    per recommendation: a world-scale UPR Info export has 100,000 rows.
    """
    t = batch.table
    indexes = CachedIndexes()
    sur_iso3 = {name: indexes.resolve(name) for name in set(t.sur)}
    if None in sur_iso3.values():
        for name, row in zip(t.sur, t.row):
            if sur_iso3[name] is None:
                report.problems.append(
                    Problem(
                        batch.file,
                        "a State under review known to the UN list (name in en/ru/kk or ISO3)",
                        sheet=t.sheet,
                        row=row,
                        column="State under review",
                        value=name,
                    )
                )
        return True
    iso3s = [sur_iso3[name] for name in t.sur]
    keys = set(zip(iso3s, t.cycle))
    filled = set(
        con.execute(
            "SELECT DISTINCT v.sur_iso3, v.cycle FROM review v JOIN recommendation r ON r.review_id = v.id"
        ).fetchall()
    )
    if keys & filled:
        return False
    sessions: dict[tuple[str, int], int | None] = {}
    for key, session in zip(zip(iso3s, t.cycle), t.session):
        sessions.setdefault(key, session)
    review_ids = _get_reviews(con, list(dict.fromkeys(zip(iso3s, t.cycle))), batch, sessions, import_id)
    taken = {r[0] for r in con.execute("SELECT id FROM recommendation").fetchall()}
    fmt, source = batch.format, batch.theme_source

    def warn(row: int, column: str, value: str, expected: str) -> None:
        report.problems.append(
            Problem(batch.file, expected, sheet=t.sheet, row=row, column=column, value=value, severity="warning")
        )

    ids: list[str] = []
    for iso3, cycle, text, key in zip(iso3s, t.cycle, t.text, t.key):
        rec_id = base = make_rec_id(iso3, cycle, None, text, key)
        n = 1
        while rec_id in taken:
            n += 1
            rec_id = f"{base}~{n}"
        taken.add(rec_id)
        ids.append(rec_id)
    state_ids, state_iso3, state_labels = [], [], []
    theme_ids, theme_codes, theme_labels = [], [], []
    for rec_id, row, named, labels in zip(ids, t.row, t.recommending, t.themes):
        for state, label in indexes.states_of(tuple(named)):
            state_ids.append(rec_id)
            state_iso3.append(state)
            state_labels.append(label)
            if state is None:
                warn(row, "Recommending States", label, "a State known to the UN list; kept as written")
        for code, label in indexes.themes_of(source, labels):
            theme_ids.append(rec_id)
            theme_codes.append(code)
            theme_labels.append(label)
            if code is None:
                warn(row, "Themes", label, "a theme the project can map; kept with its own label")
    recs = _arrow(
        id=ids,
        review_id=pa.array([review_ids[k] for k in zip(iso3s, t.cycle)], pa.int32()),
        response=t.response,
        action=pa.array(t.action, pa.int32()),
        text=t.text,
        row=pa.array(t.row, pa.int32()),
        response_raw=t.response_raw,
    )
    params = {"import_id": import_id, "fmt": fmt, "source": source}
    con.register("_bulk_recs", recs)
    try:
        # The same rows _insert_new() writes for a new recommendation without a paragraph number.
        _execute(
            con,
            "INSERT INTO recommendation SELECT id, review_id, NULL, response, "
            "CASE WHEN response IS NOT NULL THEN $fmt END, action, NULL, $import_id FROM _bulk_recs",
            params,
        )
        _execute(con, "INSERT INTO rec_text SELECT id, 'en', text, true, $import_id FROM _bulk_recs", params)
        _execute(
            con,
            "INSERT INTO rec_source SELECT id, $import_id, NULL, $fmt, row, NULL, response, response_raw "
            "FROM _bulk_recs",
            params,
        )
    finally:
        con.unregister("_bulk_recs")
    for table, frame, select in (
        (
            "rec_state",
            _arrow(rec_id=state_ids, iso3=state_iso3, label=state_labels),
            "SELECT rec_id, iso3, label, $import_id FROM _bulk_links",
        ),
        (
            "rec_theme",
            _arrow(rec_id=theme_ids, code=theme_codes, label=theme_labels),
            "SELECT rec_id, code, $source, label, $import_id FROM _bulk_links",
        ),
    ):
        con.register("_bulk_links", frame)
        try:
            _execute(con, f"INSERT INTO {table} {select}", params)  # noqa: S608 - names are ours
        finally:
            con.unregister("_bulk_links")
    report.added += len(ids)
    return True


def _candidates(
    r: Resolved, existing: list[_Existing], by_key: dict[str, list[_Existing]]
) -> list[tuple[float, _Existing]]:
    key = text_key(r.raw.text)
    exact = by_key.get(key)
    if exact:
        return [(100.0, e) for e in exact]
    scored = [(fuzz.ratio(key, e.key, score_cutoff=MATCH_THRESHOLD), e) for e in existing]
    scored = [(s, e) for s, e in scored if s >= MATCH_THRESHOLD]
    if not scored:
        return []
    best = max(s for s, _ in scored)
    return [(s, e) for s, e in scored if s >= best - 2]


def _reconcile(
    con,
    items: list[Resolved],
    existing: list[_Existing],
    review_id: int,
    iso3: str,
    cycle: int,
    batch: Batch,
    report: ImportReport,
    writer: _Writer,
    import_id: int,
    new_ids: set[str],
) -> None:
    by_id = {e.id: e for e in existing}
    by_ref = {e.ref: e for e in existing if e.ref}
    by_key: dict[str, list[_Existing]] = {}
    for e in existing:
        by_key.setdefault(e.key, []).append(e)
    claimed: set[str] = set()
    unnumbered = {e.id for e in existing if not e.ref}
    for r in items:
        raw = r.raw
        target = by_id.get(raw.rec_id) if raw.rec_id else None
        if target is None and raw.ref:
            target = by_ref.get(raw.ref)
        if target is not None:
            claimed.add(target.id)
            _merge(con, target, r, batch, report, writer, import_id, authoritative=bool(raw.ref))
            continue
        cands = _candidates(r, existing, by_key) if existing else []
        own_states = {s[0] or s[1] for s in r.states}
        overlap = [(s, e) for s, e in cands if e.states & own_states]
        cands = overlap or cands
        if raw.ref:
            # A numbered recommendation takes over one unnumbered match (from UPR Info, say).
            free = [e for _, e in sorted(cands, key=lambda c: -c[0]) if not e.ref and e.id not in claimed]
            if free:
                target = free[0]
                claimed.add(target.id)
                _take_over(con, target, r, writer, import_id)
                by_ref[raw.ref] = target
                _merge(con, target, r, batch, report, writer, import_id, authoritative=True, counted=True)
                continue
            inherit = next((e for _, e in cands if e.id in unnumbered), None)
            _insert_new(r, review_id, iso3, cycle, batch, report, writer, import_id, new_ids, inherit, con)
            continue
        if cands:
            changed = False
            for _, e in cands:
                changed |= _merge(
                    con,
                    e,
                    r,
                    batch,
                    report,
                    writer,
                    import_id,
                    authoritative=False,
                    counted=True,
                    with_states=not e.ref,
                )
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
            continue
        _insert_new(r, review_id, iso3, cycle, batch, report, writer, import_id, new_ids, None, con)


def _insert_new(
    r: Resolved,
    review_id: int,
    iso3: str,
    cycle: int,
    batch: Batch,
    report: ImportReport,
    writer: _Writer,
    import_id: int,
    new_ids: set[str],
    inherit: _Existing | None,
    con,
) -> None:
    raw = r.raw
    rec_id = raw.rec_id or make_rec_id(iso3, cycle, raw.ref, raw.text)
    base, n = rec_id, 1
    while rec_id in new_ids:
        n += 1
        rec_id = f"{base}~{n}"
    new_ids.add(rec_id)
    action = raw.action if raw.action is not None else (inherit.action if inherit else None)
    response, response_source = raw.response, batch.format if raw.response else None
    if inherit is not None:
        response, response_source = _inherited_response(
            con, rec_id, inherit, response, response_source, batch, report, import_id
        )
    writer.recs.append((rec_id, review_id, raw.ref, response, response_source, action, raw.agency, import_id))
    writer.texts.append((rec_id, raw.lang, raw.text, True, import_id))
    for lang, text in raw.translations.items():
        if lang != raw.lang:
            writer.texts.append((rec_id, lang, text, False, import_id))
    writer.source(rec_id, r)
    writer.attributes(rec_id, r, None, with_states=True)
    if inherit is not None:
        # Same text as an unnumbered recommendation another number already took: share its themes.
        # The copies belong to this import, so that reverting it removes them.
        con.execute(
            "INSERT INTO rec_theme SELECT ?, theme_code, source, source_label, ? FROM rec_theme "
            "WHERE rec_id = ? AND source <> ?",
            [rec_id, import_id, inherit.id, batch.theme_source],
        )
        con.execute(
            "INSERT INTO rec_source SELECT ?, ?, document_id, format, row_number, ref, response, "
            "response_raw FROM rec_source WHERE rec_id = ? AND format <> ?",
            [rec_id, import_id, inherit.id, batch.format],
        )
    report.added += 1


def _inherited_response(
    con,
    rec_id: str,
    inherit: _Existing,
    response: str | None,
    source: str | None,
    batch: Batch,
    report: ImportReport,
    import_id: int,
) -> tuple[str | None, str | None]:
    """The response of a new numbered recommendation whose text another source gave unnumbered.

    Same rules as a merge: a pending answer takes the other source's answer; two answers that differ
    are a conflict, and the higher-priority source's answer stays in force.
    """
    others = con.execute(
        "SELECT DISTINCT format, response FROM rec_source WHERE rec_id = ? AND format <> ? "
        "AND response IS NOT NULL AND response <> 'pending' ORDER BY format",
        [inherit.id, batch.format],
    ).fetchall()
    for fmt, other in others:
        if other == response:
            continue
        if response in (None, "pending"):
            response, source = other, fmt
            continue
        wins = RESPONSE_PRIORITY.get(batch.format, 2) > RESPONSE_PRIORITY.get(fmt, 0)
        kept, kept_src, lost, lost_src = (response, source, other, fmt) if wins else (other, fmt, response, source)
        con.execute(
            "INSERT INTO conflict VALUES (nextval('conflict_id_seq'), ?, 'response', ?, ?, ?, ?, ?)",
            [rec_id, kept, kept_src, lost, lost_src, import_id],
        )
        report.conflicts += 1
        response, source = kept, kept_src
    return response, source


def _record_change(con, import_id: int, rec_id: str, field: str, old: object) -> None:
    con.execute(
        "INSERT INTO rec_change VALUES (?, ?, ?, ?)", [import_id, rec_id, field, None if old is None else str(old)]
    )


def _take_over(con, target: _Existing, r: Resolved, writer: _Writer, import_id: int) -> None:
    """A numbered source (the report) claims an unnumbered recommendation: its number, text and States win."""
    raw = r.raw
    _record_change(con, import_id, target.id, "ref", target.ref)
    con.execute("UPDATE recommendation SET ref = ? WHERE id = ?", [raw.ref, target.id])
    target.ref = raw.ref
    found = con.execute("SELECT text, lang FROM rec_text WHERE rec_id = ? AND is_original", [target.id]).fetchall()
    old_text = found[0] if found else None
    if old_text and old_text[0] != raw.text:
        _record_change(con, import_id, target.id, "text", json.dumps(list(old_text), ensure_ascii=False))
        con.execute(
            "UPDATE rec_text SET text = ?, lang = ? WHERE rec_id = ? AND is_original", [raw.text, raw.lang, target.id]
        )
    own = {s[0] or s[1] for s in r.states}
    if own and own != target.states:
        _record_change(
            con,
            import_id,
            target.id,
            "states",
            json.dumps(
                con.execute(
                    "SELECT iso3, source_label, import_id FROM rec_state WHERE rec_id = ?", [target.id]
                ).fetchall(),
                ensure_ascii=False,
            ),
        )
        con.execute("DELETE FROM rec_state WHERE rec_id = ?", [target.id])
        target.states = set()


def _merge(
    con,
    target: _Existing,
    r: Resolved,
    batch: Batch,
    report: ImportReport,
    writer: _Writer,
    import_id: int,
    *,
    authoritative: bool,
    counted: bool = False,
    with_states: bool = True,
) -> bool:
    """Add what this source knows to an existing recommendation; record disagreements. True if changed."""
    raw = r.raw
    changed = False
    new_resp, old_resp = raw.response, target.response
    if new_resp and new_resp != old_resp:
        prio_new = RESPONSE_PRIORITY.get(batch.format, 2)
        prio_old = RESPONSE_PRIORITY.get(target.response_source or "", 0)
        answered_new, answered_old = new_resp != "pending", old_resp not in (None, "pending")
        if answered_old and answered_new:
            wins = prio_new > prio_old
            kept, other = (new_resp, target.response_source) if wins else (old_resp, batch.format)
            con.execute(
                "INSERT INTO conflict VALUES (nextval('conflict_id_seq'), ?, 'response', ?, ?, ?, ?, ?)",
                [
                    target.id,
                    kept,
                    batch.format if wins else target.response_source,
                    old_resp if wins else new_resp,
                    other,
                    import_id,
                ],
            )
            report.conflicts += 1
        else:
            wins = answered_new or old_resp is None
        if wins:
            _record_change(con, import_id, target.id, "response", json.dumps([old_resp, target.response_source]))
            con.execute(
                "UPDATE recommendation SET response = ?, response_source = ? WHERE id = ?",
                [new_resp, batch.format, target.id],
            )
            target.response, target.response_source = new_resp, batch.format
            changed = True
    if raw.action is not None and target.action is None:
        _record_change(con, import_id, target.id, "action_category", None)
        con.execute("UPDATE recommendation SET action_category = ? WHERE id = ?", [raw.action, target.id])
        target.action = raw.action
        changed = True
    if writer.attributes(target.id, r, target, with_states=with_states):
        changed = True
    if batch.format not in target.formats:
        writer.source(target.id, r)
        target.formats.add(batch.format)
        changed = True
    if not counted:
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    elif authoritative:
        report.updated += 1
    return changed


# --- assessments -----------------------------------------------------------------------------


def _load_assessments(
    con, batch: Batch, report: ImportReport, import_id: int, allowed_organisation: str | None
) -> None:
    ids = sorted({a.rec_id for a in batch.assessments})
    known = {r[0] for r in con.execute("SELECT id FROM recommendation WHERE list_contains(?, id)", [ids]).fetchall()}
    orgs = dict(con.execute("SELECT name, source_kind FROM organisation").fetchall())
    current = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            """
            SELECT rec_id, organisation, status, comment, evidence, as_of FROM (
                SELECT *, row_number() OVER (PARTITION BY rec_id, organisation ORDER BY as_of DESC, id DESC) AS n
                FROM assessment WHERE list_contains(?, rec_id)) WHERE n = 1
            """,
            [ids],
        ).fetchall()
    }
    rows, new_orgs = [], {}
    for a in batch.assessments:

        def bad(column: str, value: str, expected: str, a: RawAssessment = a) -> None:
            report.problems.append(Problem(batch.file, expected, sheet=a.sheet, row=a.row, column=column, value=value))

        if a.rec_id not in known:
            bad("Recommendation ID", a.rec_id, "the ID of a recommendation in the database (download a fresh template)")
            continue
        if allowed_organisation is not None and a.organisation != allowed_organisation:
            bad("Organisation", a.organisation, f"your own organisation «{allowed_organisation}»")
            continue
        kind = orgs.get(a.organisation) or new_orgs.get(a.organisation)
        if kind is None:
            new_orgs[a.organisation] = a.source_kind
        elif kind != a.source_kind:
            bad("Source kind", a.source_kind, f"«{kind}», the kind already recorded for {a.organisation}")
            continue
        prev = current.get((a.rec_id, a.organisation))
        if prev is not None and prev[:3] == (a.status, a.comment, a.evidence):
            report.unchanged += 1
            continue
        if prev is None:
            report.added += 1
        else:
            report.updated += 1
        report.changes.append(
            {
                "rec_id": a.rec_id,
                "organisation": a.organisation,
                "row": a.row,
                "old": prev[0] if prev else None,
                "new": a.status,
            }
        )
        rows.append(
            (a.rec_id, a.source_kind, a.organisation, a.status, a.as_of, a.comment, a.evidence, import_id, a.row)
        )
    if report.errors:
        return
    for name, kind in new_orgs.items():
        con.execute("INSERT INTO organisation VALUES (?, ?, ?)", [name, kind, import_id])
    if rows:
        frame = pd.DataFrame(
            rows,
            columns=[
                "rec_id",
                "source_kind",
                "organisation",
                "status",
                "as_of",
                "comment",
                "evidence",
                "import_id",
                "row_number",
            ],
            dtype=object,
        )
        con.register("_bulk_rows", frame)
        try:
            con.execute(
                "INSERT INTO assessment SELECT nextval('assessment_id_seq'), rec_id, source_kind, organisation, "
                "status, CAST(as_of AS DATE), comment, evidence, import_id, row_number FROM _bulk_rows"
            )
        finally:
            con.unregister("_bulk_rows")

"""A recommendation with every row that hangs off it, read from the database and written back as a whole.

Reconciliation works on these objects in memory and then writes only what changed: rows an import
merely adds carry its import number (revert deletes them); anything else it changes, deletes or
renames is first kept in `rec_change` as a snapshot of the rows it had (field `snapshot`, the old
rows as JSON) or as a rename (field `rename`, old id → new id), so that revert restores them exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from etl.reviews import bulk_insert

# Tables whose rows are part of what a recommendation says; rewritten by reconciliation.
CONTENT_TABLES = ("rec_text", "rec_source", "rec_state", "rec_theme", "rec_group", "rec_sdg", "conflict")
# What makes two rows of a table the same fact about a recommendation (added once).
ROW_KEYS = {
    "rec_text": ("lang",),
    "rec_source": ("format", "ref", "response", "response_cite"),
    "rec_state": ("state",),  # iso3, or the label as written when unresolved
    "rec_theme": ("source", "source_label"),
    "rec_group": ("source", "source_label"),
    "rec_sdg": ("sdg",),
    "conflict": ("field", "kept_value", "kept_source", "other_value", "other_source"),
}


class Layout:
    """The columns of the recommendation tables, as this database has them, and the tables that only
    point at a recommendation (assessments, rec_change, any later table with a `rec_id`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        found: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
            "ORDER BY table_name, ordinal_position"
        ).fetchall():
            found.setdefault(table, []).append(column)
        self.columns = {t: found[t] for t in ("recommendation", *CONTENT_TABLES)}
        self.pos = {t: {c: k for k, c in enumerate(cols)} for t, cols in self.columns.items()}
        self.pointing = sorted(t for t, cols in found.items() if "rec_id" in cols and t not in CONTENT_TABLES)
        self._keys = {t: [self.pos[t][c] for c in ROW_KEYS[t]] for t in CONTENT_TABLES if t != "rec_state"}
        self._state = (self.pos["rec_state"]["iso3"], self.pos["rec_state"]["source_label"])

    def row(self, table: str, **values: object) -> tuple:
        """A row of `table` in its column order; columns not given are NULL."""
        return tuple(map(values.get, self.columns[table]))

    def key(self, table: str, row: tuple) -> tuple:
        """What makes the row the same fact as another (ROW_KEYS)."""
        if table == "rec_state":
            return (row[self._state[0]] or row[self._state[1]],)
        return tuple([row[k] for k in self._keys[table]])


@dataclass(eq=False, slots=True)
class Rec:
    """One recommendation: its row (by column) and its rows in every content table."""

    fields: dict[str, object]
    rows: dict[str, list[tuple]]
    # As read (None when new in this import): the row's values in column order, and the rows of each
    # table (lists shared with `rows` until one is changed).
    before: tuple[tuple, dict[str, list[tuple]]] | None = None
    deleted: bool = False
    sources_changed: bool = False  # a source was added: the response in force must be settled again
    folded_into: str | None = None  # deleted by folding into this one: what pointed at it follows
    _keys: dict[str, set] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.fields["id"]

    @property
    def ref(self) -> str | None:
        return self.fields["ref"]

    def changed_fields(self) -> bool:
        """Whether its row differs from the row as read (True when new)."""
        return self.before is None or tuple(self.fields.values()) != self.before[0]

    def keys(self, layout: Layout, table: str) -> set:
        if table not in self._keys:
            self._keys[table] = {layout.key(table, r) for r in self.rows[table]}
        return self._keys[table]

    def add(self, layout: Layout, table: str, row: tuple) -> bool:
        """Add the row (made its own) unless the recommendation already states the same fact; True if added."""
        row = _with_id(layout, table, row, self.id)
        key = layout.key(table, row)
        keys = self.keys(layout, table)
        if key in keys:
            return False
        keys.add(key)
        if self.before is not None and self.rows[table] is self.before[1][table]:
            self.rows[table] = list(self.rows[table])  # the rows as read stay as they were
        self.rows[table].append(row)
        if table == "rec_source":
            self.sources_changed = True
        return True

    def remove(self, layout: Layout, table: str, rows: list[tuple]) -> None:
        gone = set(map(id, rows))
        self.rows[table] = [r for r in self.rows[table] if id(r) not in gone]
        self._keys.pop(table, None)


def load_recs(con: duckdb.DuckDBPyConnection, layout: Layout, review_ids: list[int]) -> dict[int, list[Rec]]:
    """Every recommendation of these reviews (parts folded into an item too), grouped by review, by id."""
    if not review_ids:
        return {}
    cols = layout.columns["recommendation"]
    recs: dict[str, Rec] = {}
    out: dict[int, list[Rec]] = {}
    review_at = cols.index("review_id")
    # A joined table of review ids: list_contains() over hundreds of ids costs more than the rows.
    con.register("_reviews", pa.table({"id": pa.array(review_ids, pa.int64())}))
    try:
        for values in con.execute(
            "SELECT * FROM recommendation WHERE review_id IN (SELECT id FROM _reviews) ORDER BY id"
        ).fetchall():
            rows = {t: [] for t in CONTENT_TABLES}
            rec = Rec(dict(zip(cols, values)), rows, (values, dict(rows)))
            recs[values[0]] = rec
            out.setdefault(values[review_at], []).append(rec)
        if not recs:
            return out
        scope = "SELECT id FROM recommendation WHERE review_id IN (SELECT id FROM _reviews)"
        for table in CONTENT_TABLES:
            at = layout.pos[table]["rec_id"]
            order = " ORDER BY id" if table == "conflict" else ""
            lists = {rec_id: rec.rows[table] for rec_id, rec in recs.items()}
            for row in con.execute(f"SELECT * FROM {table} WHERE rec_id IN ({scope}){order}").fetchall():  # noqa: S608
                lists[row[at]].append(row)
    finally:
        con.unregister("_reviews")
    return out


def _snapshot(layout: Layout, parts: dict[str, list[tuple]]) -> str:
    return json.dumps(
        {t: {"columns": layout.columns[t], "rows": [list(r) for r in rows]} for t, rows in parts.items()},
        ensure_ascii=False,
        default=str,
    )


def _with_id(layout: Layout, table: str, row: tuple, rec_id: str) -> tuple:
    k = layout.pos[table]["rec_id"]
    return row if row[k] == rec_id else (*row[:k], rec_id, *row[k + 1 :])


@dataclass
class Writes:
    """What one import writes, gathered table by table and written in bulk."""

    delete: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in ("recommendation", *CONTENT_TABLES)})
    insert: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in ("recommendation", *CONTENT_TABLES)})
    renames: list[tuple[str, str]] = field(default_factory=list)
    changes: list[tuple] = field(default_factory=list)  # rec_change rows


def plan_writes(layout: Layout, recs: list[Rec], import_id: int, writes: Writes) -> list[Rec]:
    """Add what `recs` need written to `writes`; the recommendations that changed in any way."""
    changed = []
    rec_cols = layout.columns["recommendation"]
    for rec in recs:
        if rec.before is None:
            if not rec.deleted:
                writes.insert["recommendation"].append(tuple(rec.fields[c] for c in rec_cols))
                for table in CONTENT_TABLES:
                    writes.insert[table] += [_with_id(layout, table, r, rec.id) for r in rec.rows[table]]
                changed.append(rec)
            continue
        values, rows = rec.before
        fields = dict(zip(rec_cols, values))
        # One this import made (read again after a hook of the same import) goes with it: nothing to keep.
        own = fields["import_id"] == import_id
        if rec.deleted:
            everything = {"recommendation": [tuple(fields[c] for c in rec_cols)]}
            everything.update({t: _earlier(layout, t, rows[t], import_id) for t in CONTENT_TABLES if rows[t]})
            if not own:
                writes.changes.append((import_id, rec.id, "snapshot", _snapshot(layout, everything)))
            for table in ("recommendation", *CONTENT_TABLES):
                writes.delete[table].append(rec.id)
            if rec.folded_into and not own:
                writes.renames.append((rec.id, rec.folded_into))
                writes.changes.append((import_id, rec.id, "rename", rec.folded_into))
            changed.append(rec)
            continue
        kept: dict[str, list[tuple]] = {}
        moved = rec.changed_fields()
        if moved:
            kept["recommendation"] = [tuple(fields[c] for c in rec_cols)]
            writes.delete["recommendation"].append(rec.id)
            writes.insert["recommendation"].append(tuple(rec.fields[c] for c in rec_cols))
        for table in CONTENT_TABLES:
            old, new = rows[table], rec.rows[table]
            if old is new or old == new:
                continue
            extra = Counter(new)
            extra.subtract(Counter(old))
            at = layout.pos[table]["import_id"]
            if all(n >= 0 for n in extra.values()) and all(r[at] == import_id for r in extra.elements()):
                writes.insert[table] += list(extra.elements())
            else:
                kept[table] = _earlier(layout, table, old, import_id)
                writes.delete[table].append(rec.id)
                writes.insert[table] += new
        if moved or any(rows[t] is not rec.rows[t] and rows[t] != rec.rows[t] for t in CONTENT_TABLES):
            changed.append(rec)
        if kept and not own:
            writes.changes.append((import_id, rec.id, "snapshot", _snapshot(layout, kept)))
    return changed


def _earlier(layout: Layout, table: str, rows: list[tuple], import_id: int) -> list[tuple]:
    """The rows earlier imports wrote: what a revert puts back (this import's own rows go with it)."""
    at = layout.pos[table]["import_id"]
    return [r for r in rows if r[at] != import_id]


def apply_writes(con: duckdb.DuckDBPyConnection, layout: Layout, writes: Writes, import_id: int) -> int:
    """Write `writes`: deletions, renames of what pointed at folded recommendations, then inserts.
    New conflicts (id NULL) take their ids from the sequence here. Returns the conflicts added."""
    for table, ids in writes.delete.items():
        if ids:
            column = "id" if table == "recommendation" else "rec_id"
            con.register("_gone", pa.table({"id": pa.array(ids, pa.string())}))
            try:
                con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM _gone)")  # noqa: S608
            finally:
                con.unregister("_gone")
    if writes.renames:
        rename_pointers(con, layout, writes.renames, import_id)
    conflicts = writes.insert["conflict"]
    fresh = [k for k, r in enumerate(conflicts) if r[layout.pos["conflict"]["id"]] is None]
    if fresh:
        ids = [r[0] for r in con.execute("SELECT nextval('conflict_id_seq') FROM range(?)", [len(fresh)]).fetchall()]
        at = layout.pos["conflict"]["id"]
        for k, new_id in zip(fresh, ids):
            row = conflicts[k]
            conflicts[k] = (*row[:at], new_id, *row[at + 1 :])
    for table in ("recommendation", *CONTENT_TABLES):
        bulk_insert(con, table, layout.columns[table], writes.insert[table])
    bulk_insert(con, "rec_change", ["import_id", "rec_id", "field", "old_value"], writes.changes)
    return len(fresh)


def rename_pointers(
    con: duckdb.DuckDBPyConnection, layout: Layout, renames: list[tuple[str, str]], import_id: int
) -> None:
    """What points at an old id (assessments, earlier imports' rec_change, parts) points at the new one.

    The rec_change rows of `import_id` itself keep the old id: they say what it was.
    """
    frame = pd.DataFrame(renames, columns=["old", "new"])
    con.register("_renames", frame)
    try:
        for table in layout.pointing:
            keep = " AND t.import_id <> $import_id" if table == "rec_change" else ""
            con.execute(
                f"UPDATE {table} AS t SET rec_id = m.new FROM _renames m WHERE t.rec_id = m.old{keep}",  # noqa: S608
                {"import_id": import_id} if keep else {},
            )
        con.execute("UPDATE recommendation AS t SET merged_into = m.new FROM _renames m WHERE t.merged_into = m.old")
    finally:
        con.unregister("_renames")


def restore_snapshot(con: duckdb.DuckDBPyConnection, rec_id: str, snapshot: str) -> None:
    """Put back the rows a snapshot kept, replacing what the recommendation has in those tables now."""
    for table, saved in json.loads(snapshot).items():
        column = "id" if table == "recommendation" else "rec_id"
        con.execute(f"DELETE FROM {table} WHERE {column} = ?", [rec_id])  # noqa: S608
        bulk_insert(con, table, saved["columns"], [tuple(r) for r in saved["rows"]])

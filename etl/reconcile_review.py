"""One review's recommendations in memory: an import's recommendations merged into them by rules that
give the same result whatever the order of the files.

- A numbered recommendation (the report's `124.17`) is the same as the one of its number.
- A new numbered item claims every unnumbered recommendation whose match (etl.reconcile_match) it
  is, as if it had come first: one that is the same text is folded into it (its rows and all that
  pointed at it follow the report's id, which is the id the report alone gives); one that is a part
  of it stays, pointing at it (`merged_into`), its themes and answers copied to it.
- An unnumbered recommendation (UPR Info's) goes where its match says; otherwise to the unnumbered
  recommendation of the same text, or a new one.
- States: a numbered recommendation has its numbered sources' States; an unnumbered one, its own.
  Texts: the highest-priority numbered source's. Themes, groups, SDGs and sources: the union.
  Action category: the highest given. Response and conflicts: etl.reconcile_settle, from the sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from etl.model import Batch, make_rec_id, text_key
from etl.reconcile_match import MATCH_THRESHOLD, SAME_MARGIN, ItemIndex, item_keys
from etl.reconcile_rows import Layout, Rec
from etl.reconcile_settle import apply_settled, priority
from etl.resolve import Resolved

COPIED = ("rec_theme", "rec_group", "rec_sdg", "rec_source")  # what a part or a folded rec gives its item


@dataclass
class Context:
    """What every review of one import shares."""

    layout: Layout
    batch: Batch
    import_id: int
    document_id: int | None
    formats: dict[int, str]  # import number → format, this import's included
    taken: set[str]  # recommendation ids in use


def _states(layout: Layout, rec: Rec) -> frozenset[str]:
    return frozenset(layout.key("rec_state", r)[0] for r in rec.rows["rec_state"])


def _original(layout: Layout, rec: Rec) -> tuple | None:
    at = layout.pos["rec_text"]["is_original"]
    return next((r for r in rec.rows["rec_text"] if r[at]), None)


class ReviewRecs:
    """The recommendations of one review, and the import's recommendations merged into them."""

    def __init__(self, ctx: Context, recs: list[Rec], review_id: int, iso3: str, cycle: int):
        self.ctx, self.review_id, self.iso3, self.cycle = ctx, review_id, iso3, cycle
        self.recs: dict[str, Rec] = {r.id: r for r in recs}
        self.keys: dict[str, str] = {}  # rec id → text key of its original text
        self.touched: dict[str, Rec] = {}
        self.outcome: list[tuple[str, list[Rec]]] = []  # per incoming recommendation: (kind, recs)
        self._index: tuple[ItemIndex, list[Rec]] | None = None
        self._by_ref: dict[str, Rec] | None = None
        self._parts_of: dict[str, list[Rec]] | None = None
        self._held: tuple[dict[str, list[Rec]], list[Rec], list[str]] | None = None

    # --- what the review holds --------------------------------------------------------------

    def _key(self, rec: Rec) -> str:
        if rec.id not in self.keys:
            original = _original(self.ctx.layout, rec)
            self.keys[rec.id] = text_key(original[self.ctx.layout.pos["rec_text"]["text"]]) if original else ""
        return self.keys[rec.id]

    def _live(self) -> list[Rec]:
        return [r for r in self.recs.values() if not r.deleted and r.fields["merged_into"] is None]

    def _items(self) -> tuple[ItemIndex, list[Rec]]:
        if self._index is None:
            layout = self.ctx.layout
            items = sorted((r for r in self._live() if r.ref), key=lambda r: r.id)
            text_at, label_at = layout.pos["rec_text"]["text"], layout.pos["rec_state"]["source_label"]
            keys = []
            for rec in items:
                original = _original(layout, rec)
                labels = [s[label_at] for s in rec.rows["rec_state"]]
                keys.append(item_keys(original[text_at] if original else "", labels, _states(layout, rec)))
            self._index = (ItemIndex(keys), items)
        return self._index

    def _numbered(self, ref: str) -> Rec | None:
        if self._by_ref is None:
            self._by_ref = {}
            for rec in self._live():
                if rec.ref:
                    self._by_ref.setdefault(rec.ref, rec)
        return self._by_ref.get(ref)

    def _held_recs(self) -> tuple[dict[str, list[Rec]], list[Rec], list[str]]:
        """Unnumbered recommendations held before this import: by text key, and those not parts of an item."""
        if self._held is None:
            held = [x for x in self.recs.values() if not x.deleted and not x.ref and x.before is not None]
            by_key: dict[str, list[Rec]] = {}
            for rec in held:
                by_key.setdefault(self._key(rec), []).append(rec)
            free = [x for x in held if x.fields["merged_into"] is None]
            self._held = (by_key, free, [self._key(x) for x in free])
        return self._held

    def _parts(self) -> dict[str, list[Rec]]:
        """The parts folded into each item, by the item's id."""
        if self._parts_of is None:
            self._parts_of = {}
            for rec in self.recs.values():
                if rec.fields["merged_into"] is not None and not rec.deleted:
                    self._parts_of.setdefault(rec.fields["merged_into"], []).append(rec)
        return self._parts_of

    def _touch(self, rec: Rec) -> Rec:
        self.touched[rec.id] = rec
        return rec

    # --- rows an incoming recommendation brings -------------------------------------------------

    def _rows_of(self, r: Resolved) -> dict[str, list[tuple]]:
        ctx, raw = self.ctx, r.raw
        row, x, vocabulary = ctx.layout.row, ctx.import_id, ctx.batch.theme_source
        texts = [row("rec_text", lang=raw.lang, text=raw.text, is_original=True, import_id=x)]
        texts += [
            row("rec_text", lang=lang, text=text, is_original=False, import_id=x)
            for lang, text in raw.translations.items()
            if lang != raw.lang
        ]
        return {
            "rec_text": texts,
            "rec_source": [
                row(
                    "rec_source",
                    import_id=x,
                    document_id=ctx.document_id,
                    format=ctx.batch.format,
                    row_number=raw.row,
                    ref=raw.ref,
                    response=raw.response,
                    response_raw=raw.response_raw,
                    response_cite=raw.response_cite,
                )
            ],
            "rec_state": [row("rec_state", iso3=iso3, source_label=label, import_id=x) for iso3, label in r.states],
            "rec_theme": [
                row("rec_theme", theme_code=code, source=vocabulary, source_label=label, import_id=x)
                for code, label in r.themes
            ],
            "rec_group": [
                row("rec_group", group_code=code, source=vocabulary, source_label=label, import_id=x)
                for code, label in r.groups
            ],
            "rec_sdg": [row("rec_sdg", sdg=sdg, goal=goal, source=vocabulary, import_id=x) for sdg, goal in r.sdgs],
        }

    def _add_rows(self, rec: Rec, rows: dict[str, list[tuple]], tables: tuple[str, ...]) -> None:
        for table in tables:
            for one in rows.get(table, ()):
                rec.add(self.ctx.layout, table, one)

    @staticmethod
    def _fields(rec: Rec, action: int | None, agency: str | None) -> None:
        if action is not None and (rec.fields["action_category"] is None or action > rec.fields["action_category"]):
            rec.fields["action_category"] = action
        if agency and not rec.fields["agency"]:
            rec.fields["agency"] = agency

    def _new_id(self, r: Resolved) -> str:
        raw = r.raw
        rec_id = raw.rec_id or make_rec_id(self.iso3, self.cycle, raw.ref, raw.text)
        base, n = rec_id, 1
        while rec_id in self.ctx.taken:
            n += 1
            rec_id = f"{base}~{n}"
        self.ctx.taken.add(rec_id)
        return rec_id

    def _create(self, r: Resolved) -> Rec:
        raw = r.raw
        rec = Rec(
            {c: None for c in self.ctx.layout.columns["recommendation"]},
            {t: [] for t in self.ctx.layout.columns if t != "recommendation"},
        )
        rec.fields.update(
            id=self._new_id(r),
            review_id=self.review_id,
            ref=raw.ref,
            action_category=raw.action,
            agency=raw.agency,
            import_id=self.ctx.import_id,
        )
        self._add_rows(rec, self._rows_of(r), ("rec_text", "rec_source", "rec_state", *COPIED[:3]))
        self.recs[rec.id] = rec
        if rec.ref:
            self._index = None
            if self._by_ref is not None:
                self._by_ref.setdefault(rec.ref, rec)
        return self._touch(rec)

    # --- merging ----------------------------------------------------------------------------

    def _merge_numbered(self, rec: Rec, r: Resolved) -> None:
        """Another numbered source of the same item: its States join, its text wins if it ranks higher."""
        layout, rows = self.ctx.layout, self._rows_of(r)
        original, pos = _original(layout, rec), layout.pos["rec_text"]
        texts = rows.pop("rec_text")
        if original is None or priority(self.ctx.batch.format) > priority(
            self.ctx.formats.get(original[pos["import_id"]])
        ):
            if original is None or original[pos["text"]] != r.raw.text or original[pos["lang"]] != r.raw.lang:
                lang = r.raw.lang
                rec.remove(
                    layout, "rec_text", [t for t in rec.rows["rec_text"] if t is original or t[pos["lang"]] == lang]
                )
                rec.add(layout, "rec_text", texts[0])
                self.keys.pop(rec.id, None)
        self._add_rows(rec, {"rec_text": texts[1:], **rows}, ("rec_text", "rec_state", *COPIED))
        self._fields(rec, r.raw.action, r.raw.agency)
        self._index = None  # its text or States may have changed
        self._touch(rec)

    def _holds(self, rec: Rec, r: Resolved) -> bool:
        """Whether `rec` states already all that `r` brings as an unnumbered source (a file read again)."""
        layout, raw, vocabulary = self.ctx.layout, r.raw, self.ctx.batch.theme_source
        action, agency = rec.fields["action_category"], rec.fields["agency"]
        if (raw.action is not None and (action is None or raw.action > action)) or (raw.agency and not agency):
            return False
        if (self.ctx.batch.format, raw.ref, raw.response, raw.response_cite) not in rec.keys(layout, "rec_source"):
            return False
        wanted = (
            ("rec_state", [(iso3 or label,) for iso3, label in r.states]),
            ("rec_theme", [(vocabulary, label) for _, label in r.themes]),
            ("rec_group", [(vocabulary, label) for _, label in r.groups]),
            ("rec_sdg", [(sdg,) for sdg, _ in r.sdgs]),
            ("rec_text", [(lang,) for lang in raw.translations if lang != raw.lang]),
        )
        return all(not keys or set(keys) <= rec.keys(layout, table) for table, keys in wanted)

    def _merge_unnumbered(self, rec: Rec, r: Resolved) -> None:
        """Another source of an unnumbered recommendation: everything joins, the first text stays."""
        if self._holds(rec, r):
            return
        rows = self._rows_of(r)
        rows["rec_text"] = rows["rec_text"][1:]  # translations only
        self._add_rows(rec, rows, ("rec_text", "rec_state", *COPIED))
        self._fields(rec, r.raw.action, r.raw.agency)
        self._touch(rec)
        self._to_item(rec, rows, r.raw.action)

    def _into_item(self, item: Rec, rows: dict[str, list[tuple]], action: int | None) -> None:
        """What an unnumbered recommendation (or a part) gives the numbered item it belongs to."""
        self._add_rows(item, rows, COPIED)
        self._fields(item, action, None)
        self._touch(item)

    def _to_item(self, part: Rec, rows: dict[str, list[tuple]], action: int | None) -> None:
        target = part.fields["merged_into"]
        if target and target in self.recs:
            self._into_item(self.recs[target], rows, action)

    def _fold(self, rec: Rec, targets: list[Rec]) -> None:
        """An unnumbered recommendation is the same as these numbered items: it becomes them."""
        for target in targets:
            self._into_item(target, rec.rows, rec.fields["action_category"])
        primary = targets[0]
        self._fields(primary, None, rec.fields["agency"])
        for table in ("rec_text", "conflict"):
            for one in rec.rows[table]:
                if table == "conflict" or not one[self.ctx.layout.pos["rec_text"]["is_original"]]:
                    primary.add(self.ctx.layout, table, one)
        for other in self._parts().pop(rec.id, []):
            other.fields["merged_into"] = primary.id
            self._parts().setdefault(primary.id, []).append(other)
            self._touch(other)
        rec.deleted, rec.folded_into = True, primary.id
        self._touch(rec)

    def _absorb(self, part: Rec, item: Rec) -> None:
        part.fields["merged_into"] = item.id
        self._parts().setdefault(item.id, []).append(part)
        self._into_item(item, part.rows, part.fields["action_category"])
        self._touch(part)

    # --- an import's recommendations ------------------------------------------------------------

    def take(self, items: list[Resolved]) -> None:
        """Merge the import's recommendations of this review, numbered ones first."""
        numbered = [r for r in items if r.raw.ref or r.raw.rec_id]
        created = []
        for r in numbered:
            target = self.recs.get(r.raw.rec_id) if r.raw.rec_id else None
            if (target is None or target.deleted) and r.raw.ref:
                target = self._numbered(r.raw.ref)
            if target is not None:
                self._merge_numbered(target, r)
                self.outcome.append(("merged", [target]))
            else:
                rec = self._create(r)
                created.append(rec)
                self.outcome.append(("added", [rec]))
        if created:
            self._claim(created)
        for r in items:
            if not (r.raw.ref or r.raw.rec_id):
                self._take_unnumbered(r)

    def _claim(self, created: list[Rec]) -> None:
        """New items take the recommendations already held that are theirs, as if they had come first."""
        held = [x for x in self._live() if not x.ref and x.before is not None]
        if not held:
            return
        index, items = self._items()
        claimed: set[str] = set()
        for rec in held:
            match = index.match(self._key(rec), _states(self.ctx.layout, rec))
            if match is None:
                continue
            targets = [items[n] for n in match.targets]
            if match.kind == "same":
                self._fold(rec, targets)
            else:
                self._absorb(rec, targets[0])
            claimed.update(t.id for t in targets)
        for k, (kind, recs) in enumerate(self.outcome):
            if kind == "added" and recs[0].id in claimed:
                self.outcome[k] = ("claimed", recs)

    def _take_unnumbered(self, r: Resolved) -> None:
        key = text_key(r.raw.text)
        states = frozenset(iso3 or label for iso3, label in r.states)
        index, items = self._items()
        match = index.match(key, states)
        if match is not None and match.kind == "same":
            targets = [items[n] for n in match.targets]
            rows = self._rows_of(r)
            for target in targets:
                self._into_item(target, rows, r.raw.action)
            self.outcome.append(("merged", targets))
            return
        by_key, free, free_keys = self._held_recs()
        same = [x for x in by_key.get(key, ()) if not x.deleted]
        if match is not None:
            item = items[match.targets[0]]
            part = same[0] if same else None
            if part is None:
                part = self._create(r)
                self.outcome.append(("added", [part]))
            else:
                self._merge_unnumbered(part, r)
                self.outcome.append(("merged", [part]))
            if part.fields["merged_into"] is None:
                self._absorb(part, item)
            return
        targets = same or self._similar(key, states, free, free_keys)
        for target in targets:
            self._merge_unnumbered(target, r)
        self.outcome.append(("merged", targets) if targets else ("added", [self._create(r)]))

    def _similar(self, key: str, states: frozenset[str], held: list[Rec], keys: list[str]) -> list[Rec]:
        """Unnumbered recommendations held, not parts, whose text is nearly this one (its States' first)."""
        if not held or not key:
            return []
        found = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=MATCH_THRESHOLD, limit=None)
        scored = {n: s for _, s, n in found if not held[n].deleted and held[n].fields["merged_into"] is None}
        own = {n: s for n, s in scored.items() if _states(self.ctx.layout, held[n]) & states}
        pool = own or scored
        if not pool:
            return []
        best = max(pool.values())
        return [held[n] for n in sorted(pool) if pool[n] >= best - SAME_MARGIN]

    def settle(self) -> list[Rec]:
        """Set the response in force and the conflicts of every recommendation touched; return them."""
        for rec in self.touched.values():
            # The response follows the sources: settled again where they changed, as read otherwise.
            if not rec.deleted and (rec.sources_changed or rec.changed_fields()):
                apply_settled(self.ctx.layout, rec, self.ctx.import_id)
        return list(self.touched.values())

"""Recognise a file's format from its content (not its name) and read it with the right reader.

Whatever a file holds, `read_any` gives a Batch: a file that fails a check of etl.guard, that no
reader recognises, or that makes a reader fail comes back with located problems worded by the
catalog (etl.messages), never with a traceback. A file that reads as nothing to import is refused
too, so that no import of nothing is recorded.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

from etl.guard import UnreadableFile
from etl.messages import problem
from etl.model import Batch, Problem
from etl.readers import Probe, registry

log = logging.getLogger(__name__)


def _refused(path: Path, problems: list[Problem]) -> Batch:
    return Batch(file=path.name, format="unknown", theme_source="none", problems=problems)


def _error_text(exc: BaseException, path: Path) -> str:
    """An exception's type and message for a user: no traceback, no path of the server."""
    text = f"{type(exc).__name__}: {exc}".replace(str(path), path.name).replace(str(path.parent), "…")
    return text[:160]


def _known_headers() -> list[tuple[str, list[str]]]:
    """(format, its headers) for the formats recognised by their header row, in every spelling."""
    from etl.readers.templates import REC_TEMPLATE_HEADERS, TEMPLATE_HEADERS

    known: list[tuple[str, list[str]]] = []
    try:
        from etl.readers.upr_info import CSV_HEADERS, XLS_HEADERS

        known += [("upr_info", list(dict.fromkeys(XLS_HEADERS))), ("upr_info", CSV_HEADERS)]
    except ImportError:
        pass
    for lang in ("en", "ru", "kk"):
        heads = TEMPLATE_HEADERS[lang]
        known.append(("template_assessments", [heads[f] for f in ("id", "source_kind", "organisation", "status")]))
        recs = REC_TEMPLATE_HEADERS[lang]
        known.append(("template_recommendations", [recs[f] for f in ("sur", "cycle", "text")]))
    return known


def _norm(header: object) -> str:
    return " ".join(str(header).strip().lower().split())


def nearest_format(probe: Probe) -> Problem | None:
    """For a table no reader accepts: the known format its header row comes closest to, and what it lacks."""
    if probe.kind not in ("text", "xlsx", "ole"):
        return None
    try:
        sheets = probe.sheets()
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 - a table that cannot be read has no header to compare
        return None
    best: tuple[float, str, list[str], Problem | None] = (0.0, "", [], None)
    for sheet in sheets:
        found = [h for h in sheet.headers if str(h).strip()]
        have = {_norm(h) for h in found}
        for fmt, wanted in _known_headers():
            missing = [h for h in wanted if _norm(h) not in have]
            share = 1 - len(missing) / len(wanted)
            if not missing or share < 0.5 or share <= best[0]:
                continue
            unmatched = [h for h in found if _norm(h) not in {_norm(w) for w in wanted}]
            fixes = []
            for h in missing:
                close = difflib.get_close_matches(h.lower(), [u.lower() for u in unmatched], n=1, cutoff=0.75)
                if close:
                    typed = next(u for u in unmatched if u.lower() == close[0])
                    fixes.append(f"«{typed}» → «{h}»")
            params = {
                "format": fmt,
                "missing": ", ".join(f"«{h}»" for h in missing),
                "found": ", ".join(f"«{h}»" for h in found[:20]),
            }
            code = "format_misspelt_columns" if fixes else "format_missing_columns"
            if fixes:
                params["fixes"] = "; ".join(fixes)
            found_problem = problem(probe.name, code, sheet=sheet.name, row=sheet.header_row, **params)
            best = (share, fmt, missing, found_problem)
    return best[3]


def _nothing_to_import(batch: Batch) -> bool:
    table = batch.table is not None and len(batch.table) > 0
    plan = getattr(batch, "plan", None) is not None and bool(batch.plan.items)
    return not (batch.recommendations or batch.assessments or batch.responses or table or plan)


def _finish(batch: Batch, probe: Probe) -> Batch:
    """Add what the checks found (formula cells, a guessed encoding); refuse a file of nothing."""
    notes = probe.read_notes()
    if notes:
        batch.problems = [*notes, *batch.problems]
    if not batch.errors and _nothing_to_import(batch):
        code = "no_statuses" if batch.format == "template_assessments" and batch.rows_read else "no_rows"
        batch.problems.append(problem(batch.file, code, format=batch.format, rows=batch.rows_read))
    return batch


def read_any(path: Path) -> Batch:
    """Read any supported file into a Batch; a file that cannot be imported gives a Batch of located errors."""
    try:
        probe = Probe.open(path)
    except UnreadableFile as exc:
        return _refused(path, exc.problems)
    except OSError as exc:
        return _refused(path, [problem(path.name, "reader_failed", format="unknown", error=_error_text(exc, path))])
    if probe.kind == "zip":
        return _refused(path, [problem(path.name, "zip_not_office")])
    failed: list[tuple[str, BaseException]] = []
    try:
        for reader in registry():
            if probe.kind not in reader.kinds:
                continue
            try:
                accepted = reader.accepts(probe)
            except (UnreadableFile, MemoryError):
                raise
            except Exception as exc:  # noqa: BLE001 - one reader's check failing must not stop the others
                log.warning("the check of reader %s failed on %s", reader.name, path.name, exc_info=True)
                failed.append((reader.name, exc))
                continue
            if not accepted:
                continue
            try:
                batch = reader.read(probe)
            except (UnreadableFile, MemoryError):
                raise
            except Exception as exc:  # noqa: BLE001 - any reader's failure becomes a message, never a traceback
                log.warning("reader %s failed on %s", reader.name, path.name, exc_info=True)
                return _refused(
                    path, [problem(path.name, "reader_failed", format=reader.name, error=_error_text(exc, path))]
                )
            return _finish(batch, probe)
        near = nearest_format(probe)
    except UnreadableFile as exc:
        return _refused(path, exc.problems)
    if near is not None:
        return _refused(path, [near])
    if failed:
        name, exc = failed[0]
        return _refused(path, [problem(path.name, "reader_failed", format=name, error=_error_text(exc, path))])
    return _refused(path, [problem(path.name, "unknown_format", readers=",".join(r.name for r in registry()))])

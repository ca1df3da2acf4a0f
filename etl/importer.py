"""Import a file end to end: read it, keep the original, load it, report.

No import is committed without its original: the original is put in the content-addressed store
first, and taken out again when the import is refused or fails. A store or a disk that is full
gives a located message, never a half-kept file.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.detect import read_any
from etl.load import import_batch
from etl.messages import problem
from etl.model import Batch
from etl.report import ImportReport
from upr import config


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_original(sha256: str, suffix: str = "") -> Path:
    """Where the original of an import is kept, content-addressed."""
    return config.store_dir() / sha256[:2] / f"{sha256}{suffix.lower()}"


def keep_original(path: Path, sha256: str) -> Path:
    """Copy the imported file into the content-addressed store (once); no `.part` is left on failure."""
    target = stored_original(sha256, path.suffix)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        try:
            shutil.copyfile(path, tmp)
            tmp.replace(target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return target


def read_file(path: Path, *, isolate: bool = False) -> Batch:
    """Read `path` into a Batch: in a child process under time and memory limits when `isolate`."""
    if isolate:
        from etl.sandbox import read_isolated

        return read_isolated(path)
    return read_any(path)


def _refused(batch: Batch, sha: str, code: str, why: str) -> ImportReport:
    report = ImportReport(batch.file, batch.format, sha, rows_read=batch.rows_read, problems=list(batch.problems))
    report.problems.append(problem(batch.file, code, why=why))
    return report


def _discard(kept: Path | None) -> None:
    """Take an original back out of the store (and its folder, when that leaves it empty)."""
    if kept is None:
        return
    kept.unlink(missing_ok=True)
    try:
        kept.parent.rmdir()
    except OSError:
        pass  # other originals share the folder


def _why(exc: OSError) -> str:
    return "ENOSPC" if exc.errno == errno.ENOSPC else (exc.strerror or type(exc).__name__)


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    who: str = "cli",
    dry_run: bool = False,
    allowed_organisation: str | None = None,
    batch: Batch | None = None,
    isolate: bool = False,
    index: bool = True,
) -> ImportReport:
    """Read `path` (any supported format), load it in one transaction, and keep the original.

    `batch` is the file already read (the upload page reads it once, isolated, for its preview);
    `isolate` reads it in a child process (etl.sandbox) instead of in this one. With `index` the
    search index is brought up to date after the commit before returning; the app passes False
    and brings it up to date in the background (ui.search_index).
    """
    sha = sha256_of(path)
    if batch is None:
        batch = read_file(path, isolate=isolate)
    # The reader's Arrow scratch is free by now; hand it back before DuckDB allocates its own.
    pa.default_memory_pool().release_unused()
    if not dry_run and batch.format == "template_assessments" and not batch.errors:
        # An upload that would record nothing (every row unchanged) is no import: none is recorded.
        from etl.preview import preview_batch

        would = preview_batch(con, batch, sha, allowed_organisation).report
        if not would.errors and would.already_imported is None and not would.added + would.updated + would.history_only:
            return would
    kept_now: Path | None = None
    if not dry_run and not batch.errors:
        target = stored_original(sha, path.suffix)
        existed = target.exists()
        try:
            keep_original(path, sha)
        except OSError as exc:
            return _refused(batch, sha, "store_full", _why(exc))
        kept_now = None if existed else target
    try:
        report = import_batch(
            con, batch, sha256=sha, who=who, dry_run=dry_run, allowed_organisation=allowed_organisation, index=index
        )
    except (duckdb.IOException, OSError) as exc:  # the disk filled while writing: rolled back
        _discard(kept_now)
        return _refused(batch, sha, "disk_full", str(exc)[:120] if isinstance(exc, duckdb.Error) else _why(exc))
    except BaseException:
        _discard(kept_now)
        raise
    if report.import_id is None:
        _discard(kept_now)  # refused, or already imported: nothing refers to it
    return report

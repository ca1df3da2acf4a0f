"""Import a file end to end: keep the original, read it, load it, report."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.detect import read_any
from etl.load import import_batch
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
    """Copy the imported file into the content-addressed store (once)."""
    target = stored_original(sha256, path.suffix)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, tmp)
        tmp.replace(target)
    return target


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    who: str = "cli",
    dry_run: bool = False,
    allowed_organisation: str | None = None,
) -> ImportReport:
    """Read `path` (any supported format), load it in one transaction, and keep the original."""
    sha = sha256_of(path)
    batch = read_any(path)
    # The reader's Arrow scratch is free by now; hand it back before DuckDB allocates its own.
    pa.default_memory_pool().release_unused()
    report = import_batch(con, batch, sha256=sha, who=who, dry_run=dry_run, allowed_organisation=allowed_organisation)
    if report.import_id is not None:
        keep_original(path, sha)
    return report

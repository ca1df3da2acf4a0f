"""Uploaded files waiting for their owner's confirmation: one private folder each, never left behind.

The upload page keeps the file between its preview and its confirmation; the folder goes as soon as
the file is saved, replaced or dropped, and folders older than a day (a closed tab, a restarted
server) are swept away whenever another upload arrives.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "upr-upload-"
STALE_AFTER_S = 24 * 3600


def safe_name(name: str) -> str:
    """The uploaded file's own name (shown in the history), without any path or odd characters."""
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^\w.\- ()]+", "_", base)[:120] or "upload"


def save_upload(name: str, data: bytes | memoryview) -> Path:
    """Write an upload into a new private folder; returns its path."""
    sweep_stale_uploads()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    path = folder / safe_name(name)
    path.write_bytes(data)
    return path


def discard_upload(path: Path | None) -> None:
    """Remove an upload's folder (nothing happens for a path that is not one of ours)."""
    if path is not None and path.parent.name.startswith(PREFIX):
        shutil.rmtree(path.parent, ignore_errors=True)


def sweep_stale_uploads(max_age_s: float = STALE_AFTER_S) -> int:
    """Remove upload folders older than `max_age_s`; returns how many."""
    removed = 0
    cutoff = time.time() - max_age_s
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed

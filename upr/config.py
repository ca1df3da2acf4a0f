"""Where things are. Every path is anchored on this file, never on the current directory."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
I18N_DIR = Path(__file__).resolve().parent / "i18n"


def db_path() -> Path:
    """The database file: $UPR_DB if set, else data/upr.duckdb."""
    return Path(os.environ.get("UPR_DB", DATA_DIR / "upr.duckdb"))


def store_dir() -> Path:
    """Where uploaded originals are kept, content-addressed: $UPR_STORE or data/store."""
    return Path(os.environ.get("UPR_STORE", DATA_DIR / "store"))


MAX_UPLOAD_BYTES = int(os.environ.get("UPR_MAX_UPLOAD_MB", "50")) * 1024 * 1024

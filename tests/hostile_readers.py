"""Readers that misbehave on purpose, for the tests of etl.sandbox (run in its child process)."""

from __future__ import annotations

import time
from pathlib import Path

from etl.model import Batch


def calamine_unguarded(path: Path) -> Batch:
    """Open a workbook with the spreadsheet library alone, without etl.guard's checks first."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return Batch(file=path.name, format="unknown", theme_source="none")


def hoard(path: Path) -> Batch:
    """Allocate without end, a megabyte at a time."""
    kept = []
    while True:
        kept.append(bytearray(2**20))


def loop(path: Path) -> Batch:
    """Never finish."""
    while True:
        time.sleep(0.1)


def crash(path: Path) -> Batch:
    """Die of a signal, as native code does."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGSEGV)
    return Batch(file=path.name, format="unknown", theme_source="none")

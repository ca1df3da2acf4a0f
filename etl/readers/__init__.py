"""One module per source format, each registered here with the content check that recognises it.

A file is opened once as a :class:`Probe` (its container kind from the first bytes, and its
sheets, text or JSON read on demand and kept); detection is one loop over :data:`READERS`, in
order, and the first reader whose check accepts the probe reads it. A new format is one module
with a `READER` and a line in `_MODULES`.
"""

from __future__ import annotations

import importlib

from etl.readers.base import Probe, Reader

# In the order their checks are tried: documents first (a text file titled as a UN report is
# not read as a table), and of two checks that could both accept, the more specific first.
_MODULES = ("matrix", "addendum", "wg_report", "upr_info", "templates", "uhri")


def _load() -> tuple[Reader, ...]:
    readers = []
    for name in _MODULES:
        try:
            module = importlib.import_module(f"etl.readers.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"etl.readers.{name}":
                raise
            continue
        readers.append(module.READER)
    return tuple(readers)


READERS: tuple[Reader, ...] = _load()

__all__ = ["READERS", "Probe", "Reader"]

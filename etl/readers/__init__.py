"""One module per source format, each registered here with the content check that recognises it.

A file is opened once as a :class:`Probe` (its container kind from the first bytes, and its
sheets, text or JSON read on demand and kept); detection is one loop over :func:`registry`, in
order, and the first reader whose check accepts the probe reads it. A new format is one module
with a `READER` and a line in `_MODULES`.
"""

from __future__ import annotations

import importlib
from functools import cache

from etl.readers.base import Probe, Reader

# In the order their checks are tried: documents first (a text file titled as a UN report is
# not read as a table), and of two checks that could both accept, the more specific first.
_MODULES = ("matrix", "addendum", "wg_report", "plan", "upr_info", "templates", "uhri")


@cache
def registry() -> tuple[Reader, ...]:
    """Every reader, in the order their checks are tried (imported on first use, so that a reader's
    own imports of etl.readers.base never wait on this package)."""
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


__all__ = ["Probe", "Reader", "registry"]

"""A page that has shown all it has to show ends with `stop_page()`, not `st.stop()`.

The shell (ui.shell.run_shell) draws the sidebar's filters after the page. `st.stop()` stops the
whole run: nothing after it, the filters included, would be drawn. `stop_page()` ends only the
page; run alone (Streamlit's AppTest re-runs a page by itself), it is `st.stop()`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import streamlit as st

_shell = threading.local()  # each session's run has its own thread


class PageDone(Exception):  # noqa: N818 - not an error: the page's end
    """Raised by stop_page() inside the shell; the shell catches it."""


@contextmanager
def page_in_shell() -> Iterator[None]:
    """While the shell runs the page: stop_page() ends the page only."""
    _shell.active = True
    try:
        yield
    finally:
        _shell.active = False


def stop_page() -> NoReturn:
    """End the page here (what follows in the run, the sidebar's filters, is still drawn)."""
    if getattr(_shell, "active", False):
        raise PageDone
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop() raises

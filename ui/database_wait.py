"""Open the app's database before any page asks it, saying why when it cannot be opened yet.

A command-line import holds the database file while it writes; the app started (or visited) at
that moment waits for it, and says so, instead of showing an error. A database written by a newer
version of the tool is refused with a message, never opened.
"""

from __future__ import annotations

import time

import streamlit as st

from ui.data import connection
from ui.lang import tr
from upr import db

WAIT_S = 300  # a world-scale import takes a few minutes
POLL_S = 1.0


def database_ready() -> None:
    """Return once the shared connection is open; otherwise wait, saying so, or stop with the reason."""
    note = None
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            connection()
            break
        except db.SchemaTooNew as exc:
            st.error(tr("common.db_too_new", found=exc.found, known=exc.known), icon=":material/block:")
            st.stop()
        except db.DatabaseBusy:
            if time.monotonic() >= deadline:
                st.error(tr("common.db_busy_gave_up", minutes=WAIT_S // 60), icon=":material/error:")
                st.stop()
            if note is None:
                note = st.empty()
                note.info(tr("common.db_busy_waiting"), icon=":material/hourglass_top:")
            time.sleep(POLL_S)
    if note is not None:
        note.empty()

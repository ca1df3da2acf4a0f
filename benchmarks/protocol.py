"""Streamlit's WebSocket protocol, spoken as a browser opening a page speaks it: enough to open a
fresh session, ask for one run of a page and wait until its script has finished.

A browser connects to `/_stcore/stream` (subprotocol "streamlit"), sends one BackMsg
`rerun_script` with its address and locale, and the server answers with ForwardMsgs (the new
session, the page's elements, `script_finished`). One asyncio task per session, so that hundreds
of sessions fit in one process. The protobuf classes are Streamlit's own (`streamlit.proto`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from ui.serve import rerun_request

# A run that ends early for a rerun (st.rerun, st.switch_page) is followed by the next run.
_DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


@dataclass
class SessionResult:
    """What one session saw, times in seconds from the moment the whole crowd set off."""

    connected_s: float | None = None  # the WebSocket was open
    first_element_s: float | None = None  # the first element of the page arrived
    finished_s: float | None = None  # the script finished (script_finished, successfully)
    error: str = ""  # why it did not finish: an exception on the page, a refused connection, a timeout
    dropped: bool = False  # the connection closed before we closed it
    messages: int = 0
    bytes: int = 0
    settled: bool = False  # the session's task has ended (finished and released, or failed)


def _exception_text(msg: ForwardMsg) -> str:
    """The message of an exception element the page drew, or ''."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return ""
    element = msg.delta.new_element
    if element.WhichOneof("type") != "exception":
        return ""
    return f"{element.exception.type}: {element.exception.message}"[:200]


async def open_session(
    base_url: str, page: str, start: float, hold: asyncio.Event, timeout: float, out: SessionResult, query: str = ""
) -> SessionResult:
    """Open one fresh session of `page`, wait for its script to finish, then keep it open until `hold` is set.

    Fills `out` as it goes (so that the crowd can see who has finished while everyone is still
    connected). Keeping every session open until the whole crowd has finished is what a room of
    people does (they stay on the page), and it is what the server's memory has to carry.
    """
    parts = urlsplit(base_url)
    ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path}/_stcore/stream"
    deadline = start + timeout
    try:
        async with connect(
            ws_url,
            subprotocols=["streamlit"],
            additional_headers={"Origin": f"{parts.scheme}://{parts.netloc}"},
            max_size=None,
            open_timeout=timeout,
        ) as ws:
            out.connected_s = time.perf_counter() - start
            await ws.send(rerun_request(base_url, page, query))
            while out.finished_s is None:
                data = await asyncio.wait_for(ws.recv(), max(deadline - time.perf_counter(), 0.001))
                out.messages += 1
                out.bytes += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                kind = msg.WhichOneof("type")
                if kind == "delta" and out.first_element_s is None:
                    out.first_element_s = time.perf_counter() - start
                out.error = out.error or _exception_text(msg)
                if kind == "script_finished" and msg.script_finished in _DONE:
                    out.finished_s = time.perf_counter() - start
            closed = asyncio.ensure_future(ws.wait_closed())
            held = asyncio.ensure_future(hold.wait())
            await asyncio.wait({closed, held}, return_when=asyncio.FIRST_COMPLETED)
            out.dropped = closed.done()
            held.cancel()
            closed.cancel()
    except ConnectionClosed as exc:
        out.dropped = True
        out.error = out.error or f"closed: {exc}"[:200]
    except TimeoutError:
        out.error = out.error or f"no end of script within {timeout:.0f} s"
    except OSError as exc:
        out.error = out.error or f"{type(exc).__name__}: {exc}"[:200]
    out.settled = True
    return out


async def crowd(base_url: str, page: str, n: int, timeout: float = 120.0, linger: float = 2.0) -> list[SessionResult]:
    """`n` fresh sessions of `page`, all set off at the same moment; each is kept open until every
    one has finished (or failed), and `linger` seconds more (a dropped connection shows then too)."""
    hold = asyncio.Event()
    results = [SessionResult() for _ in range(n)]
    start = time.perf_counter()
    tasks = [asyncio.ensure_future(open_session(base_url, page, start, hold, timeout, r)) for r in results]
    while not all(r.settled or r.finished_s is not None for r in results):
        await asyncio.sleep(0.02)
    await asyncio.sleep(linger)
    hold.set()
    await asyncio.gather(*tasks)
    return results

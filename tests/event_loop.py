"""Running a coroutine from a test: in a thread of its own, since the browser tests leave an event
loop running in the main thread (asyncio.run would refuse)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable


def run_apart(make: Callable[[], Awaitable[object]]) -> object:
    """asyncio.run(make()) in a thread of its own; its result."""
    out: list = []
    thread = threading.Thread(target=lambda: out.append(asyncio.run(make())))
    thread.start()
    thread.join(60)
    assert out, "the event loop did not finish"
    return out[0]

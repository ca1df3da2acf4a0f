"""Sign-in failures slow down whoever is guessing, per user name and per address.

After `FREE_TRIES` failures within `WINDOW_S` for a name (or from an address), each further
attempt must wait, twice as long each time, up to `MAX_WAIT_S`: a person who mistyped twice is
not hindered, a script trying thousands of passwords gets a handful an hour. A success clears the
name's failures (not the address's: one address guessing many names stays slowed). The counts live
in the server's memory, for every session of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

FREE_TRIES = 5
WINDOW_S = 15 * 60
BASE_WAIT_S = 30
MAX_WAIT_S = 15 * 60


class SignInThrottle:
    """Failures by name and by address, and how long each must wait before trying again."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < WINDOW_S]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def _wait_for(self, times: list[float], now: float) -> float:
        if len(times) < FREE_TRIES:
            return 0.0
        wait = min(BASE_WAIT_S * 2 ** (len(times) - FREE_TRIES), MAX_WAIT_S)
        return max(0.0, times[-1] + wait - now)

    def wait_seconds(self, name: str, address: str) -> float:
        """How long this name, or this address, must still wait before another attempt (0: may try)."""
        now = self._clock()
        with self._lock:
            return max(
                self._wait_for(self._recent(("name", name.lower()), now), now),
                self._wait_for(self._recent(("address", address), now), now),
            )

    def failed(self, name: str, address: str) -> None:
        """Count a failed attempt against the name and the address."""
        now = self._clock()
        with self._lock:
            for key in (("name", name.lower()), ("address", address)):
                self._failures[key] = [*self._recent(key, now), now][-64:]

    def succeeded(self, name: str) -> None:
        """Clear the name's failures."""
        with self._lock:
            self._failures.pop(("name", name.lower()), None)


SIGN_IN = SignInThrottle()

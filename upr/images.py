"""Figures as images: PNG (2× scale) and SVG, rendered by kaleido 1.x in a headless Chromium.

Kaleido 1.x drives a Chrome it has to find. We look for one ourselves (BROWSER_PATH, then the
usual executable names on PATH, then the usual install paths, Debian's /usr/bin/chromium among
them) and hand kaleido the path, so a machine with only Debian's chromium works out of the box.

Starting the browser costs about two seconds; a figure then takes a fraction of one. A
`Renderer` keeps one browser open for as long as it is open (a whole deck), and `shared()`
keeps one per process for single downloads, closing it after a few idle minutes.

Nothing here needs the network: plotly.js comes from the installed plotly package, MathJax is
off, and world maps read the topojson served by the app (static/topojson/).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from types import TracebackType

import plotly.graph_objects as go

from upr.charts.slide import SLIDE_HEIGHT, SLIDE_WIDTH, slide_figure
from upr.config import ROOT

__all__ = [
    "SLIDE_HEIGHT",
    "SLIDE_WIDTH",
    "BrowserNotFound",
    "ImageExportError",
    "Renderer",
    "browser_available",
    "figure_size",
    "find_browser",
    "shared",
    "slide_figure",
    "slide_png",
    "slide_svg",
    "to_png",
    "to_svg",
]

PNG_SCALE = 2
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1000, 500  # a chart drawn full-width on a laptop screen
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium")
TOPOJSON_DIR = ROOT / "static" / "topojson"
_RENDER_TIMEOUT = 60.0  # seconds for one image; a stuck browser must not hang the app forever
IDLE_CLOSE = 300.0  # seconds the shared renderer's browser stays open with nothing to render


_NO_BROWSER = (
    "No Chrome or Chromium found for image export: install chromium (apt-get install chromium) "
    "or set BROWSER_PATH to a Chrome executable."
)


class BrowserNotFound(RuntimeError):
    """No Chrome or Chromium on this machine: images cannot be rendered (everything else works)."""


class ImageExportError(RuntimeError):
    """The browser was found but rendering failed."""


def find_browser() -> str | None:
    """The path of a Chrome/Chromium executable, or None: $BROWSER_PATH, then PATH, then usual paths."""
    wanted = os.environ.get("BROWSER_PATH")
    if wanted:
        return wanted if _is_exe(wanted) else None
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _PATHS if _is_exe(p)), None)


def _is_exe(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def browser_available() -> bool:
    """True when a browser for image export is installed."""
    return find_browser() is not None


def figure_size(fig: go.Figure) -> tuple[int, int]:
    """The figure's width and height in CSS pixels (its layout's, else the export defaults)."""
    return int(fig.layout.width or DEFAULT_WIDTH), int(fig.layout.height or DEFAULT_HEIGHT)


class Renderer:
    """One headless browser, open from `start()` (or `with`) to `close()`; thread-safe.

    Kaleido's own sync server is one global queue whose answers can cross between threads, and
    Streamlit serves every session from its own thread; so this runs its own event loop in a
    thread and each call waits on its own future.
    """

    def __init__(self, browser: str | None = None) -> None:
        self.browser = browser
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """True while the browser is open."""
        return self._kaleido is not None

    def start(self, wait: bool = True) -> Renderer:
        """Open the browser (no-op when open). Raises BrowserNotFound when there is none.

        With `wait=False` the browser opens in a background thread (its ~2 s start-up overlaps
        whatever the caller does next, e.g. building the slides); the first render waits for it,
        and raises what the start raised.
        """
        if not wait:
            if self.browser is None and find_browser() is None:
                raise BrowserNotFound(_NO_BROWSER)
            threading.Thread(target=self._start_quietly, name="upr-kaleido-start", daemon=True).start()
            return self
        with self._lock:
            if self._kaleido is not None:
                return self
            path = self.browser or find_browser()
            if path is None:
                raise BrowserNotFound(_NO_BROWSER)
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="upr-kaleido", daemon=True)
            thread.start()
            try:
                self._kaleido = self._wait(loop, self._open(path), timeout=_RENDER_TIMEOUT)
            except BaseException:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=5)
                loop.close()
                raise
            self._loop, self._thread = loop, thread
            return self

    def _start_quietly(self) -> None:
        try:
            self.start()
        except Exception:  # noqa: BLE001, S110 - the next render starts again and raises it to its caller
            pass

    @staticmethod
    async def _open(path: str):  # noqa: ANN205 - kaleido.Kaleido, imported late: kaleido is heavy
        import kaleido

        k = kaleido.Kaleido(path=path, mathjax=False, n=1, timeout=_RENDER_TIMEOUT)
        await k.open()
        return k

    @staticmethod
    def _wait(loop: asyncio.AbstractEventLoop, coro: object, timeout: float) -> object:
        future = asyncio.run_coroutine_threadsafe(coro, loop)  # type: ignore[arg-type]
        try:
            return future.result(timeout=timeout)
        except FutureTimeout as exc:
            future.cancel()
            raise ImageExportError(f"the browser did not answer within {timeout:.0f} s") from exc

    def render(self, fig: go.Figure, fmt: str, scale: float = 1) -> bytes:
        """The figure as `fmt` ('png' or 'svg') bytes, at the figure's size times `scale`."""
        return self.render_many([fig], fmt, scale)[0]

    def render_many(self, figs: list[go.Figure], fmt: str, scale: float = 1) -> list[bytes]:
        """Several figures at once: queued together in the browser, so no round trip waits between them."""
        self.start()
        topojson = TOPOJSON_DIR.as_uri() + "/"

        async def all_of() -> list[bytes]:
            jobs = []
            for fig in figs:
                width, height = figure_size(fig)
                opts = {"format": fmt, "width": width, "height": height, "scale": scale}
                jobs.append(self._kaleido.calc_fig(fig, opts=opts, topojson=topojson))  # type: ignore[union-attr]
            return await asyncio.gather(*jobs)

        try:
            out = self._wait(self._loop, all_of(), timeout=_RENDER_TIMEOUT + 5 * len(figs))  # type: ignore[arg-type]
        except ImageExportError:
            raise
        except Exception as exc:  # noqa: BLE001 - kaleido's errors are many and undocumented
            raise ImageExportError(f"rendering {len(figs)} figures as {fmt} failed: {exc}") from exc
        return [b if isinstance(b, bytes) else str(b).encode("utf-8") for b in out]  # type: ignore[union-attr]

    def png(self, fig: go.Figure, scale: float = PNG_SCALE) -> bytes:
        """PNG bytes at `scale` × the figure's size (2× by default, sharp on projectors and slides)."""
        return self.render(fig, "png", scale)

    def svg(self, fig: go.Figure) -> bytes:
        """SVG bytes (UTF-8 XML with an <svg> root)."""
        return self.render(fig, "svg", 1)

    def close(self) -> None:
        """Close the browser and stop the loop's thread (no-op when closed)."""
        with self._lock:
            if self._kaleido is None:
                return
            loop, k = self._loop, self._kaleido
            self._kaleido = None
            try:
                self._wait(loop, k.close(), timeout=15)  # type: ignore[arg-type, union-attr]
            except Exception:  # noqa: BLE001, S110 - closing must not fail the caller; the process ends below anyway
                pass
            loop.call_soon_threadsafe(loop.stop)  # type: ignore[union-attr]
            if self._thread is not None:
                self._thread.join(timeout=5)
            loop.close()  # type: ignore[union-attr]
            self._loop = self._thread = None

    def __enter__(self) -> Renderer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _Shared:
    """The process-wide renderer behind to_png()/to_svg(): opened on first use, closed when idle."""

    def __init__(self) -> None:
        self.renderer = Renderer()
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def touch(self) -> Renderer:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(IDLE_CLOSE, self.renderer.close)
            self._timer.daemon = True
            self._timer.start()
        return self.renderer


_SHARED = _Shared()
# Never leave a Chromium behind when the server stops.
atexit.register(_SHARED.renderer.close)


def shared() -> Renderer:
    """The process-wide renderer (started on first use; its browser closes after IDLE_CLOSE idle seconds)."""
    return _SHARED.touch()


def to_png(fig: go.Figure, scale: float = PNG_SCALE) -> bytes:
    """The figure as PNG at 2× its size, with the shared renderer. Raises BrowserNotFound without a browser."""
    return shared().png(fig, scale)


def to_svg(fig: go.Figure) -> bytes:
    """The figure as SVG, with the shared renderer. Raises BrowserNotFound without a browser."""
    return shared().svg(fig)


def slide_png(fig: go.Figure, *, title: str | None = None, source: str | None = None) -> bytes:
    """A dashboard chart as the PNG a slide takes: 16:9 (2560×1440), its title and one source line."""
    return to_png(slide_figure(fig, title=title, source=source))


def slide_svg(fig: go.Figure, *, title: str | None = None, source: str | None = None) -> bytes:
    """slide_png()'s layout as SVG (1280×720)."""
    return to_svg(slide_figure(fig, title=title, source=source))

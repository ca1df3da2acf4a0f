"""The browser suite's fixtures: one Streamlit server and one headless chromium for the whole session.

The server runs on a free loopback port over its own demo database, file store and accounts
file; chromium is Debian's (`/usr/bin/chromium`), launched headless without network side
traffic. Every test gets a fresh browser context whose console, page errors and requests are
recorded (`Watched`), so a test can assert that nothing failed and nothing left the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("UPR_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
NGO_EDITOR = ("ngo_e2e", "ngo-e2e-password", "Кадыр-Касиет")  # name, password, organisation
ADMIN = ("admin_e2e", "admin-e2e-password")
# Streamlit's frontend probes `<page>/_stcore/health` and `<page>/_stcore/host-config` when a
# page is opened by its own address, gets 404, then finds the server at the root: harmless.
DEEP_LINK_404 = re.compile(r"^/(" + "|".join(re.escape(p.url_path) for p in PAGES) + r")/_stcore/(health|host-config)$")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DEFAULT_PAGE = "overview"  # the url_path of the page ui.shell marks default


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """The running app: its address and the files it uses."""

    url: str
    db: Path
    reference_db: Path  # a copy of the demo taken before start, for expected figures
    store: Path
    accounts: Path
    process: subprocess.Popen = field(repr=False)


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Streamlit server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the Streamlit server did not answer within {timeout} s:\n{log.read_text()}")


def start_server(db: Path, workdir: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str, Path]:
    """Start `streamlit run app.py` on a free loopback port over `db`; returns the process, its URL and log."""
    port = _free_port()
    log = workdir / f"server-{port}.log"
    full_env = os.environ | {
        "UPR_DB": str(db),
        "UPR_STORE": str(workdir / "store"),
        "UPR_ACCOUNTS": str(workdir / "accounts.json"),
    }
    full_env |= env or {}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--global.developmentMode=false",
    ]
    with log.open("w") as fh:
        process = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=fh, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}", log


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server this suite started (it alone: by its own process handle)."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's chromium, or skip the browser suite saying why."""
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements-dev.txt)")
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need chromium at {CHROMIUM} (bash scripts/test.sh installs it with apt)")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on a free loopback port, over its own demo database, store and accounts; stopped at the end."""
    from etl.demo import build_demo
    from upr import accounts as acc
    from upr import db

    work = tmp_path_factory.mktemp("browser-server")
    db_path = work / "upr.duckdb"
    con = db.connect(db_path)
    build_demo(con)
    con.close()
    reference = work / "reference.duckdb"
    shutil.copyfile(db_path, reference)
    accounts = work / "accounts.json"
    name, password, org = NGO_EDITOR
    acc.add_account(acc.make_account(name, "editor", password, organisation=org, source_kind="ngo"), accounts)
    acc.add_account(acc.make_account(ADMIN[0], "admin", ADMIN[1]), accounts)
    process, url, log = start_server(db_path, work)
    try:
        _wait_healthy(url, process, log)
        yield Server(url, db_path, reference, work / "store", accounts, process)
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def browser(chromium_path: Path):
    """One headless chromium for the session, with a fresh user-data directory."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() always uses a new temporary profile: the fresh user-data directory.
        b = p.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Watched:
    """What a browser context saw: console errors, uncaught page errors, failed and external requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that went wrong, except Streamlit's known deep-link 404s."""
        return self.console_errors + self.page_errors + self.failed + self.external


def _harmless(url: str) -> bool:
    return bool(DEEP_LINK_404.match(urlsplit(url).path))


@pytest.fixture
def watched() -> Watched:
    """A fresh record of console errors and requests (filled by the `page` fixture)."""
    return Watched()


@pytest.fixture
def page(browser, server: Server, watched: Watched):
    """A new page in a fresh context (its own session and downloads), watched for errors and outside requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="en-GB")
    context.set_default_timeout(30_000)
    pg = context.new_page()

    def on_console(msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource") and "404" in msg.text and _harmless(where):
            return
        watched.console_errors.append(f"{msg.text} @ {where}")

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            watched.external.append(request.url)

    def on_response(response) -> None:
        if response.status >= 400 and not (response.status == 404 and _harmless(response.url)):
            watched.failed.append(f"{response.status} {response.url}")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: watched.page_errors.append(str(exc)))
    pg.on("request", on_request)
    pg.on("requestfailed", lambda r: watched.failed.append(f"{r.url} {r.failure}"))
    pg.on("response", on_response)
    yield pg
    context.close()


def wait_for_app(pg, timeout: float = 30_000) -> None:
    """Wait until the script has finished running (Streamlit marks its root element)."""
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    # A finished run can still be followed by a rerun it asked for (st.rerun, switch_page):
    # give it a moment, then wait again.
    pg.wait_for_timeout(300)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)


def open_page(pg, server: Server, url_path: str, lang: str = "ru", query: str = "") -> None:
    """Open a page by its own address (a fresh session), in `lang`, and wait for it to render."""
    params = [p for p in ((f"lang={lang}" if lang != "ru" else ""), query) if p]
    # The default page lives at the root (`/overview` opens it too, see ui.nav.navigation_sections).
    path = "" if url_path == DEFAULT_PAGE else url_path
    pg.goto(f"{server.url}/{path}" + ("?" + "&".join(params) if params else ""))
    wait_for_app(pg)


def chart_data(pg, key: str) -> list[dict]:
    """The traces plotly.js drew for the chart with widget key `key`: name, x, y (decoded)."""
    return pg.locator(f".st-key-{key} .js-plotly-plot").evaluate(
        "el => el._fullData.map(t => ({name: t.name, type: t.type,"
        " x: Array.from(t.x || []), y: Array.from(t.y || [])}))"
    )


def screenshot(pg, name: str) -> Path:
    """Save a screenshot of the whole page to test-output/screenshots/<name>.png.

    Streamlit scrolls its main area and sidebar inside the window, so a "full page" screenshot
    would stop at the window's edge: the window is made as tall as the content for the shot.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = pg.viewport_size
    height = pg.evaluate(
        "() => Math.max(...['stMain', 'stSidebarContent'].map("
        "id => document.querySelector(`[data-testid=${id}]`)?.scrollHeight || 0))"
    )
    pg.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 8000)})
    pg.wait_for_timeout(500)  # charts redraw at the new size
    pg.screenshot(path=str(path))
    pg.set_viewport_size(size)
    return path

"""Every page's whole rerun at demo scale, timed in chromium against a running server (used by
`python -m benchmarks.run`; not a test)."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

# JS: press the sidebar's reset button (the filters are already empty, so nothing changes but a
# whole rerun happens: app shell and page) and resolve with the ms until the script has finished.
_RERUN_JS = """
() => new Promise((resolve, reject) => {
    const app = document.querySelector('[data-testid=stApp]');
    const t0 = performance.now();
    // A click that starts no rerun (it can land while the button is being redrawn) is tried
    // again by the caller; it must not hang the benchmark.
    setTimeout(() => { seen.disconnect(); reject(new Error('no rerun within 10 s')); }, 10000);
    // Records keep the old value: a run may start and end between two observer callbacks.
    const seen = new MutationObserver((records) => {
        if (records.some((r) => r.oldValue === 'running')) { seen.disconnect(); resolve(performance.now() - t0); }
    });
    seen.observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
    document.querySelector('.st-key-filters_reset button').click();
})
"""


def browser_reruns(db_path: Path, work: Path, pages: list[str], reps: int = 7) -> list[tuple[str, float, float]]:
    """Each page's whole rerun (app shell and page, warm caches) timed in chromium: (page, median ms, max ms).

    The time runs from the click on the sidebar's reset button to the moment the frontend marks
    the script finished: the server's whole run plus a loopback round trip.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _wait_healthy, start_server, stop_server, wait_for_app

    out = []
    process, url, log = start_server(db_path, work)
    try:
        _wait_healthy(url, process, log)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for path in pages:
                try:
                    page.goto(f"{url}/{'' if path == 'overview' else path}")
                    wait_for_app(page)
                    page.wait_for_selector(".st-key-filters_reset button", timeout=30_000)
                    _rerun(page)  # the first rerun warms what the first run did not
                    times = [_rerun(page) for _ in range(reps)]
                    out.append((path, statistics.median(times), max(times)))
                except Exception as exc:  # one page failing must not lose the others' figures
                    print(f"rerun of {path} not timed: {exc}", file=sys.stderr)
                    out.append((path, float("nan"), float("nan")))
            browser.close()
    finally:
        stop_server(process)
    return out


def _rerun(page, tries: int = 3) -> float:  # noqa: ANN001 - a Playwright page
    """One timed rerun (ms); a click that started none is clicked again, up to `tries` times."""
    for k in range(tries):
        try:
            return page.evaluate(_RERUN_JS)
        except Exception:
            if k == tries - 1:
                raise
            page.wait_for_timeout(500)
    raise AssertionError("unreachable")

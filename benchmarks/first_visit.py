"""The first visit to a cold server, in chromium: how long after the first request the Overview's
figures are on screen and its charts are drawn. Used by `python -m benchmarks.crowd` (over the
demo) and `python -m benchmarks.run` (over each tier's database); not a test.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# The Overview's four metric values are in the DOM, and its two charts are drawn (each plotly
# root holds its drawn SVG).
FIGURES_JS = "() => document.querySelectorAll('[data-testid=stMetricValue]').length >= 4"
CHARTS_JS = (
    "() => { const c = document.querySelectorAll('.js-plotly-plot');"
    " return c.length >= 2 && [...c].every((e) => e.querySelector('.main-svg .plot, .main-svg .barlayer')); }"
)
TARGET_FIGURES_S, TARGET_CHARTS_S = 1.5, 3.0


# Where the first visit's time goes, from the browser's side (seconds after the first request):
PHASES = {
    "html_s": "the page's HTML has arrived",
    "ws_open_s": "Streamlit's code is loaded and running: its WebSocket is open",
    "first_message_s": "the server's first message (the session's script has started)",
    "chart_code_requested_s": "the charts' code (PlotlyChart, 4.7 MB) is asked for",
    "chart_code_loaded_s": "and has arrived",
    "first_chart_message_s": "the first chart's message has arrived",
}


def watch(page) -> dict[str, float]:  # noqa: ANN001 - a Playwright page
    """perf_counter() times of the PHASES of `page`'s first visit, filled in as they happen."""
    marks: dict[str, float] = {}

    def first(key: str) -> None:
        marks.setdefault(key, time.perf_counter())

    def on_frame(frame: bytes | str) -> None:
        first("first_message_s")
        if "first_chart_message_s" in marks or not isinstance(frame, bytes):
            return
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "plotly_chart":
            first("first_chart_message_s")

    def on_ws(ws) -> None:  # noqa: ANN001
        first("ws_open_s")
        ws.on("framereceived", on_frame)

    page.on("response", lambda r: first("html_s") if r.request.resource_type == "document" else None)
    page.on("request", lambda r: first("chart_code_requested_s") if "/PlotlyChart." in r.url else None)
    page.on("requestfinished", lambda r: first("chart_code_loaded_s") if "/PlotlyChart." in r.url else None)
    page.on("websocket", on_ws)
    return marks


def first_visits(db: Path, work: Path, trials: int = 5, visit: list[str] | None = None) -> dict:
    """Start the server (the README's command) over a copy of `db` `trials` times; each time, as soon
    as its health check answers, open the Overview in a fresh chromium context (no cache).

    Returns the medians: seconds from start to a healthy server; from the first request to the
    figures on screen and to the charts drawn (and the same from the server's start); from a
    request in a new tab of the now warm server to its figures; and the server's peak RSS after
    the last trial has also opened every page in `visit`.
    """
    from playwright.sync_api import sync_playwright

    from benchmarks.crowd import RssSampler, start_server, stop_server, wait_healthy
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app

    keys = (
        "health_s",
        "figures_s",
        "charts_s",
        "figures_from_start_s",
        "charts_from_start_s",
        "warm_s",
        "load",
        *PHASES,
    )
    out: dict[str, list[float]] = {k: [] for k in keys}
    rss = 0.0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for trial in range(trials):
            folder = Path(tempfile.mkdtemp(prefix="first-visit-", dir=work))
            shutil.copyfile(db, folder / "upr.duckdb")
            server = start_server(folder / "upr.duckdb", folder)
            try:
                out["health_s"].append(wait_healthy(server))
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                marks = watch(page)
                out["load"].append(os.getloadavg()[0])
                t0 = time.perf_counter()
                page.goto(server.url)
                page.wait_for_function(FIGURES_JS, timeout=120_000, polling=20)
                t1 = time.perf_counter()
                page.wait_for_function(CHARTS_JS, timeout=120_000, polling=20)
                t2 = time.perf_counter()
                out["figures_s"].append(t1 - t0)
                out["charts_s"].append(t2 - t0)
                out["figures_from_start_s"].append(t1 - server.started)
                out["charts_from_start_s"].append(t2 - server.started)
                for phase in PHASES:
                    out[phase].append(marks.get(phase, float("nan")) - t0)
                again = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                t3 = time.perf_counter()
                again.goto(server.url)
                again.wait_for_function(FIGURES_JS, timeout=120_000, polling=20)
                out["warm_s"].append(time.perf_counter() - t3)
                again.context.close()
                if trial == trials - 1:
                    sampler = RssSampler(server.pid)
                    sampler.start()
                    for path in visit or []:
                        page.goto(f"{server.url}/{path}")
                        wait_for_app(page, timeout=300_000)
                    rss = sampler.stop()
                context.close()
            finally:
                stop_server(server)
                shutil.rmtree(folder, ignore_errors=True)
        browser.close()
    result = {k: statistics.median(v) for k, v in out.items()}
    result["worst_figures_s"], result["worst_charts_s"] = max(out["figures_s"]), max(out["charts_s"])
    result["trials"], result["server_rss_mb"] = trials, rss
    return result


def report_lines(r: dict) -> list[str]:
    """The first visit, as Markdown lines."""
    ok = r["figures_s"] <= TARGET_FIGURES_S and r["charts_s"] <= TARGET_CHARTS_S
    lines = [
        "### The first visit",
        "",
        f"A cold server (started with the README's command, {r['trials']} times): as soon as `/_stcore/health` "
        "answers, chromium (headless, already running, a fresh context with no cache) opens the Overview. "
        f"Medians, worst in brackets; the machine's 1-minute load average at the first requests: "
        f"{r.get('load', float('nan')):.2f} (median; 2 cores).",
        "",
        "| health check answers | figures on screen | charts drawn | figures in a new tab, warm server |",
        "|---|---|---|---|",
        f"| {r['health_s']:.2f} s after start | {r['figures_s']:.2f} s ({r['worst_figures_s']:.2f}) after the "
        f"first request ({r['figures_from_start_s']:.2f} s after start) | {r['charts_s']:.2f} s "
        f"({r['worst_charts_s']:.2f}) after the first request ({r['charts_from_start_s']:.2f} s after start) "
        f"| {r['warm_s']:.2f} s |",
        "",
        f"Target: figures within {TARGET_FIGURES_S} s and charts within {TARGET_CHARTS_S:.0f} s of the first "
        f"request: {'met' if ok else '**missed**'}.",
        "",
    ]
    if all(k in r for k in PHASES):
        lines += [
            "Where the time goes, seen from the browser (medians, seconds after the first request): "
            + "; ".join(f"{text} {r[k]:.2f}" for k, text in PHASES.items())
            + f"; the figures are on screen {r['figures_s']:.2f} and the charts drawn {r['charts_s']:.2f}.",
            "",
        ]
    return lines

"""Benchmark, run by hand: `python -m benchmarks.deck [--runs N]`.

Measures building the presenter's 6-slide deck as PPTX from the demo database, and writes the
"deck" section of BENCHMARKS.md:
- cold: query, build the six slides, start a headless Chromium, render six PNGs (2×), write the PPTX;
- warm: the same with the browser already open (the Presentation page opens it in the background
  when it is shown, so this is what a presenter's click costs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.report import replace_section
from upr import db, images, slides
from upr.filters import Filters


def _build(con, renderer: images.Renderer | None) -> tuple[int, dict[str, float]]:
    t0 = time.perf_counter()
    fetch = slides.connection_fetch(con)
    if renderer is None:
        renderer = images.Renderer()
        renderer.start(wait=False)  # the browser starts while the slides are built, as the page does
        own = True
    else:
        own = False
    deck = slides.build_deck(slides.SLIDE_KEYS, fetch, Filters(), "en")
    t1 = time.perf_counter()
    try:
        data = slides.deck_pptx(deck, "en", pictures=True, renderer=renderer)
    finally:
        if own:
            renderer.close()
    t2 = time.perf_counter()
    return len(data), {"slides": t1 - t0, "images+pptx": t2 - t1, "total": t2 - t0}


def main() -> None:
    """Measure, print, and write the section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not images.browser_available():
        raise SystemExit("no Chrome/Chromium installed: the deck cannot be rendered (apt-get install chromium)")
    from etl.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        con = db.connect(path)
        build_demo(con)
        cold = [_build(con, None) for _ in range(args.runs)]
        with images.Renderer() as renderer:
            _build(con, renderer)  # first render loads plotly.js into the tab
            warm = [_build(con, renderer) for _ in range(args.runs)]
        con.close()

    def med(runs: list, part: str) -> float:
        return statistics.median(r[1][part] for r in runs)

    load = os.getloadavg()[0]
    size = cold[0][0] / 1e6
    body = f"""## Presenter's deck (PPTX)

`python -m benchmarks.deck` — {datetime.now():%Y-%m-%d}, {os.cpu_count()} cores, load average {load:.1f} when run.
Six slides of the demo (all kinds), English, 16:9, each chart a {2 * slides.IMAGE_WIDTH}×{2 * slides.IMAGE_HEIGHT} PNG;
the file is {size:.1f} MB. Median of {args.runs} runs (queries uncached: each run builds the slides from the database).

| browser | slides (queries + figures) | images + PPTX | total |
|---|---|---|---|
| cold (started for the deck) | {med(cold, "slides"):.2f} s | {med(cold, "images+pptx"):.2f} s | **{med(cold, "total"):.2f} s** |
| warm (already open) | {med(warm, "slides"):.2f} s | {med(warm, "images+pptx"):.2f} s | **{med(warm, "total"):.2f} s** |

One browser renders all six charts (kaleido 1.x, Debian's chromium); starting it costs about 2 s,
each chart about 0.3 s (kaleido reloads its page between figures). Target: under 5 s.
"""
    print(body)
    replace_section("deck", body)


if __name__ == "__main__":
    main()

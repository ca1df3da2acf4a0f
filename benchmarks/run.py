"""Benchmarks, run by hand (not part of the tests): `python -m benchmarks.run [--rows N]`.

Measures, on this machine, and writes BENCHMARKS.md:
- import of a synthetic UPR Info-style export (CSV and xlsx) into an empty database;
- the real UPR Info export and the real UN report, when ../shared/fixtures/real exists;
- every page's rerun time at demo scale (server side, AppTest, warm cache), median of 5.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.report import BENCHMARKS, replace_section

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "fixtures" / "real"


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}"
    )


def _import_in_subprocess(path: Path, db_path: Path) -> dict:
    """Import in a fresh process, so each figure includes start-up effects and its own peak memory."""
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from upr import db\n"
        "from etl.importer import import_file\n"
        "con = db.connect(sys.argv[2])\n"
        "t = time.perf_counter(); c = time.process_time()\n"
        "r = import_file(con, Path(sys.argv[1]))\n"
        "wall = time.perf_counter() - t; cpu = time.process_time() - c\n"
        "con.close()\n"
        "print(json.dumps({'rows': r.rows_read, 'added': r.added, 'updated': r.updated, 'errors': len(r.errors),"
        " 'wall': wall, 'cpu': cpu, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(db_path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_imports(rows: int, work: Path) -> list[tuple[str, dict, int]]:
    from benchmarks.synth import upr_info_rows, write_csv, write_xlsx

    data = upr_info_rows(rows)
    results = []
    for name, writer in (("synthetic UPR Info CSV", write_csv), ("synthetic UPR Info xlsx", write_xlsx)):
        suffix = ".csv" if "CSV" in name else ".xlsx"
        path = writer(work / f"synthetic{suffix}", data)
        best = None
        for attempt in range(3):
            db_path = work / f"bench{suffix}.{attempt}.duckdb"
            r = _import_in_subprocess(path, db_path)
            if best is None or r["wall"] < best["wall"]:
                best, size = r, db_path.stat().st_size
        results.append((f"{name}, {len(data):,} rows", best, size))
    if REAL.exists():
        for rel in (
            "upr-info-export/upr-info_sessions17-20.csv",
            "upr-info-export/upr-info_sessions17-20.xls",
            "un-wg-reports/kazakhstan2014.pdf",
        ):
            db_path = work / f"real-{Path(rel).name}.duckdb"
            r = _import_in_subprocess(REAL / rel, db_path)
            results.append((f"real file {Path(rel).name}", r, db_path.stat().st_size))
    return results


def bench_pages(work: Path) -> list[tuple[str, float, float]]:
    """Median and max of 5 warm reruns of each page at demo scale, in ms (AppTest, server side)."""
    from streamlit.testing.v1 import AppTest

    from etl.demo import build_demo
    from ui.nav import PAGES
    from upr import db

    db_path = work / "demo.duckdb"
    con = db.connect(db_path)
    build_demo(con)
    con.close()
    os.environ["UPR_DB"] = str(db_path)
    os.environ["UPR_STORE"] = str(work / "store")
    out = []
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["app_lang"] = "ru"
        at.run()
        at.switch_page(page.file)
        at.run()  # warms the caches
        times = []
        for _ in range(5):
            t = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t) * 1000)
        if at.exception:
            raise RuntimeError(f"{page.file}: {at.exception[0].value}")
        out.append((page.file, statistics.median(times), max(times)))
    return out


def write_report(imports, pages, rows: int) -> str:
    lines = [
        "## Imports and page reruns",
        "",
        f"Written by `python -m benchmarks.run --rows {rows}` on {datetime.now():%Y-%m-%d %H:%M}.",
        "",
        f"Machine: {_machine()}.",
        "",
        "### Imports",
        "",
        "Each import runs in a fresh process into an empty database (best of 3 for the synthetic files). "
        "Wall time includes reading, validation, reconciliation and the one transaction that writes.",
        "",
        "| file | rows read | recommendations | wall s | CPU s | rows/s | peak RSS MB | database MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r, size in imports:
        lines.append(
            f"| {name} | {r['rows']:,} | {r['added'] + r['updated']:,} | {r['wall']:.2f} | {r['cpu']:.2f} | "
            f"{r['rows'] / r['wall']:,.0f} | {r['rss_mb']:.0f} | {size / 2**20:.1f} |"
        )
    lines += [
        "",
        "Targets (issue: importers): a 100,000-row UPR Info-style xlsx in under 10 s, the same as CSV in under 2 s.",
        "",
        "### Page reruns at demo scale",
        "",
        "A rerun of each page with warm caches, measured server side through Streamlit's AppTest (the whole "
        "script: app shell, sidebar filters, the page's queries and charts); median and worst of 5. "
        "Target: at most 300 ms.",
        "",
        "| page | median ms | max ms |",
        "|---|---|---|",
    ]
    lines += [f"| {p} | {med:.0f} | {worst:.0f} |" for p, med, worst in pages]
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", default=str(BENCHMARKS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        imports = bench_imports(args.rows, work)
        pages = bench_pages(work)
    report = write_report(imports, pages, args.rows)
    replace_section("imports-pages", report, Path(args.out))
    print(report)
    print(f"peak RSS of the page benchmark: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

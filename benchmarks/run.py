"""Benchmarks, run by hand (not part of the tests): `python -m benchmarks.run [--tiers 100000,1000000]`.

Measures on this machine and writes BENCHMARKS.md (sections "world-scale" and "imports-pages"):
- a synthetic world: 193 States under review × 4 cycles, ~100,000 recommendations (and a
  1,000,000 stress tier), with government, NGO and ombudsman assessments: import throughput
  per format through the project's loader, database size, peak memory;
- every page's server-side query time, p50 and p95, under the default and typical filters;
- the app's cold start to the first rendered page in chromium, and the server's peak memory;
- the same Overview figures computed by plain pandas over the spreadsheet (a naive dashboard);
- the real UPR Info export and UN report imports, when ../shared/fixtures/real exists;
- every page's rerun at demo scale (AppTest, warm caches), including the app shell.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.report import BENCHMARKS, replace_section

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "fixtures" / "real"
TARGET_P95_MS, TARGET_COLD_S, TARGET_XLSX_S, TARGET_CSV_S, TARGET_RSS_MB = 100, 3.0, 10.0, 2.0, 1024
TARGET_P95_1M_MS, TARGET_FIRST_S = 150, (1.5, 3.0)  # reruns at a million; a first visit's figures and charts


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


def _load() -> float:
    """The machine's 1-minute load average (other work on a shared machine skews every timing)."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def bench_world(n_recs: int, work: Path, xlsx: bool, browser: bool, reps: int) -> dict:
    """One tier: generate, import (CSV, and xlsx when asked), add three sources' assessments, time pages."""
    from benchmarks.first_visit import first_visits
    from benchmarks.synth import world_rows, write_csv, write_xlsx
    from benchmarks.world import compare_with_pandas, import_in_subprocess, page_query_times
    from ui.nav import PAGES

    tier: dict = {"n": n_recs, "imports": []}
    folder = work / f"tier{n_recs}"
    folder.mkdir()
    t = time.perf_counter()
    sheet = write_csv(folder / "upr-info-world.csv", world_rows(n_recs))
    tier["generate_s"] = time.perf_counter() - t
    sheets = [sheet]
    db_path = folder / "world.duckdb"
    r = import_in_subprocess(sheet, db_path, folder / "store")
    tier["imports"].append(("UPR Info CSV (recommendations)", r))
    print(f"{n_recs:,}: CSV import {r['wall']:.1f} s, {r['added']:,} recommendations", flush=True)
    if xlsx:
        path = write_xlsx(folder / "upr-info-world.xlsx", world_rows(n_recs))
        sheets.append(path)
        r = import_in_subprocess(path, folder / "world-xlsx.duckdb", folder / "store-xlsx")
        tier["imports"].append(("UPR Info xlsx (recommendations)", r))
        print(f"{n_recs:,}: xlsx import {r['wall']:.1f} s", flush=True)
    from benchmarks.world import write_assessments

    assessments = write_assessments(db_path, folder)
    for kind, path in assessments.items():
        r = import_in_subprocess(path, db_path, folder / "store")
        tier["imports"].append((f"assessments template CSV ({kind})", r))
        print(f"{n_recs:,}: {kind} assessments {r['wall']:.1f} s, {r['added']:,} added", flush=True)
    tier["db_mb"] = db_path.stat().st_size / 2**20
    tier["counts"] = _counts(db_path)
    load = _load()
    tier["pages"], tier["filters"] = page_query_times(db_path, reps)
    tier["load"] = (load, _load())  # the machine's 1-minute load average before and after the page timings
    print(f"{n_recs:,}: page queries timed", flush=True)
    tier["pandas"] = compare_with_pandas(db_path, sheets, assessments)
    if browser:
        visit = [p.url_path for p in PAGES if p.url_path != "overview"]
        tier["server"] = first_visits(db_path, folder, trials=3, visit=visit)
        print(f"{n_recs:,}: cold start {tier['server']}", flush=True)
    return tier


def _counts(db_path: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = ("recommendation", "rec_state", "rec_theme", "rec_text", "assessment", "review")
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}  # noqa: S608
    finally:
        con.close()


def bench_real(work: Path) -> list[tuple[str, dict]]:
    """The real published files, when ../shared/fixtures/real exists."""
    from benchmarks.world import import_in_subprocess

    out = []
    if REAL.exists():
        for rel in (
            "upr-info-export/upr-info_sessions17-20.csv",
            "upr-info-export/upr-info_sessions17-20.xls",
            "un-wg-reports/kazakhstan2014.pdf",
        ):
            name = Path(rel).name
            out.append(
                (f"real file {name}", import_in_subprocess(REAL / rel, work / f"real-{name}.duckdb", work / "s"))
            )
    return out


def bench_demo_reruns(work: Path, reps: int = 5) -> tuple[list[tuple[str, float]], list[tuple[str, float, float]]]:
    """Every page's rerun at demo scale with warm caches: the page script alone, and the whole app.

    AppTest (Streamlit 1.67) re-runs only the page script after an st.navigation app's first run,
    so its rerun misses app.py's shell (language, sidebar filters, navigation, banner): it gives
    the page's own share. The whole rerun is timed in chromium against a real server (from a
    click on the sidebar's reset button, which changes nothing, to the script's end).
    Returns ([(page file, AppTest page-only median ms)], [(url path, browser median ms, max ms)]).
    """
    from streamlit.testing.v1 import AppTest

    from benchmarks.reruns import browser_reruns
    from etl.demo import build_demo
    from ui.nav import PAGES
    from upr import db

    db_path = work / "demo.duckdb"
    con = db.connect(db_path)
    build_demo(con)
    con.close()
    # The server gets its own copy: AppTest's sessions below keep this process's connection open,
    # and DuckDB lets one process at a time hold a database file.
    (work / "browser").mkdir()
    shutil.copyfile(db_path, work / "browser" / "demo.duckdb")
    os.environ["UPR_DB"] = str(db_path)
    os.environ["UPR_STORE"] = str(work / "store")
    os.environ["UPR_ACCOUNTS"] = str(work / "accounts.json")
    pages = []
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["app_lang"] = "ru"
        at.run()
        at.switch_page(page.file)
        at.run()  # warms the caches
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t) * 1000)
        if at.exception:
            raise RuntimeError(f"{page.file}: {at.exception[0].value}")
        pages.append((page.file, statistics.median(times)))
    whole = browser_reruns(work / "browser" / "demo.duckdb", work / "browser", [p.url_path for p in PAGES])
    return pages, whole


# --- the report ------------------------------------------------------------------------------


def _ok(met: bool) -> str:
    return "met" if met else "**missed**"


def world_report(tiers: list[dict], elapsed: float, argv: str) -> str:
    """The "world-scale" section: machine, method, figures, targets."""
    from benchmarks.world import DOWNLOADS, ONCE

    lines = [
        "## World-scale benchmark",
        "",
        f"Written by `{' '.join(filter(None, ['python -m benchmarks.run', argv]))}` on {datetime.now():%Y-%m-%d %H:%M} "
        f"(the whole run took {elapsed / 60:.0f} min). Machine: {_machine()}.",
        "",
        "### Method",
        "",
        "- **Data** (`benchmarks/synth.py:world_rows`, seeded): a UPR Info-style export of every UN member State "
        "(193) under review in each of 4 cycles; reviews grow from cycle to cycle and vary by State (log-normal); "
        "themes (UPR Info issues) Pareto-skewed; a few recommending States make far more recommendations than the "
        "rest (Pareto weights); ~8% of recommendations are made jointly by 2-3 States (one row per State, as "
        "UPR Info exports them); ~75% supported. Then three assessment files in our template's CSV form "
        "(`benchmarks/world.py:write_assessments`): the government assesses 90% of supported recommendations, "
        "NGOs 50% of all, the ombudsman 15%, each with its own status shares.",
        "- **Imports**: each file through the project's loader (`etl.importer.import_file`: detection, "
        "reading, validation, reconciliation, one transaction), in a fresh process, into the tier's "
        "database (the xlsx into an empty one of its own); rows/s counts rows read. The import is timed "
        "as the app runs it: up to its commit (`index=False`), when every page shows its figures; the "
        "word-form search index (`upr.search.refresh_index`) follows, in the app in the background, and "
        "is timed apart (search index s; meanwhile a search finds the new recommendations by their words "
        "as written). Peak RSS is the importing process's, over both.",
        "- **Page queries**: each page's query functions (`upr.queries`, plus the upload template's rows "
        "and the import history), called in the order the page calls them, where the app runs them: a "
        "query of the State under review on that State's slice (`upr/queries/state_slice.py`: its "
        "recommendations and every row referring to them, in memory, built once per State and shared by "
        "every session; after start and after a write it is built in the background 2 s after the State's "
        "first query, which reads the whole database meanwhile), the others on one read-only connection to the "
        "database; with no result cache (what a rerun costs after any change of filter). The slice's "
        "build is a row of its own (not a rerun), and so is the recurring view's preparation of two "
        "cycles' texts for pairing (`upr/queries/similarity.py`: kept for the same texts, whatever the "
        "filters). Seven filter sets "
        "(default, one cycle, the top theme, supported, the top recommending State, NGO assessments "
        "only, a search word) × 5 runs after a warm-up (3 at a million) = 35 (21) samples per page; p50/p95 of "
        "the page's total. The State under review is Kazakhstan (the app's default); pages always show one "
        "State. A page's other views (behind its view switch) and each slide of the presentation are rows of "
        "their own; the downloads (the Explorer's export, the presentation's PPTX, the upload page's "
        "template) are timed too but are not reruns.",
        "- **Cold start**: the app started with the README's run command (`python -m ui.serve`) over the "
        "tier's database; the time until `/_stcore/health` answers, and, from a request sent the moment it "
        "does, until chromium (headless, already running, a fresh context with no cache) shows the "
        "Overview's four metric values and until it has drawn the Overview's two charts; then a new tab on "
        "the warm server, to its metric values; median of 3 starts. The server's peak RSS (VmHWM) is read "
        "after the last start has opened every page.",
        "- **The naive dashboard**: the Overview's figures (per cycle: recommendations, supported %, "
        "each source's implemented %) computed by plain pandas, re-reading the spreadsheet and the "
        "three assessment CSVs on every rerun, as a spreadsheet dashboard without a database does "
        "(median of 5; one run for the xlsx, read by pandas' default engine, openpyxl), against our "
        "two Overview queries without cache; both must give the same figures.",
        "",
    ]
    for tier in tiers:
        c = tier["counts"]
        lines += [
            f"### {c['recommendation']:,} recommendations",
            "",
            f"{c['review']:,} reviews, {c['rec_state']:,} recommendation–State pairs, "
            f"{c['rec_theme']:,} theme links, {c['assessment']:,} assessments; the database file is "
            f"{tier['db_mb']:.0f} MB. Generating the export took {tier['generate_s']:.1f} s.",
            "",
            "| file imported | rows read | added | wall s | CPU s | rows/s | search index s | peak RSS MB |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, r in tier["imports"]:
            lines.append(
                f"| {name} | {r['rows']:,} | {r['added']:,} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                f"{r['rows'] / r['wall']:,.0f} | {r['index']:.1f} | {r['rss_mb']:.0f} |"
                + (f" {r['errors']} errors: {r['first_error']} |" if r["errors"] else "")
            )
        before, after = tier.get("load", (float("nan"), float("nan")))
        lines += [
            "",
            f"Page queries timed with the machine's 1-minute load average at {before:.2f} before and {after:.2f} after "
            "(2 cores).",
            "",
            "| page (its queries per rerun) | p50 ms | p95 ms | slowest query (its worst ms) |",
            "|---|---|---|---|",
        ]
        for pt in tier["pages"]:
            if pt.error:
                lines.append(f"| {pt.page} | — | — | fails: {pt.error} |")
                continue
            name, worst = max(pt.slowest.items(), key=lambda kv: kv[1])
            page = f"{pt.page} (a download, not a rerun)" if pt.page in DOWNLOADS else pt.page
            page = f"{page} (not a rerun)" if pt.page in ONCE else page
            lines.append(f"| {page} | {pt.p(0.5):.1f} | {pt.p(0.95):.1f} | `{name}` ({worst:.0f}) |")
        lines += ["", "The naive dashboard (pandas re-reading the files on every rerun) against our queries:", ""]
        lines += ["| spreadsheet read | pandas ms | our queries ms | ratio | same figures |", "|---|---|---|---|---|"]
        for name, naive, ours, same in tier["pandas"]:
            lines.append(f"| {name} | {naive:,.0f} | {ours:.1f} | {naive / ours:,.0f}× | {'yes' if same else 'NO'} |")
        if "server" in tier:
            s = tier["server"]
            lines += [
                "",
                f"Cold start: the server answers its health check {s['health_s']:.1f} s after it was started; the "
                f"Overview's four figures are on screen {s['figures_s']:.1f} s after the first request "
                f"({s['figures_from_start_s']:.1f} s after start) and its two charts are drawn after "
                f"{s['charts_s']:.1f} s ({s['charts_from_start_s']:.1f} s after start); a new tab on the warm "
                f"server shows the figures after {s['warm_s']:.1f} s. Server peak RSS after opening every page: "
                f"{s['server_rss_mb']:.0f} MB.",
            ]
        lines.append("")
    lines += _targets(tiers)
    return "\n".join(lines)


def _reruns(tier: dict) -> list:
    from benchmarks.world import DOWNLOADS, ONCE

    return [pt for pt in tier["pages"] if not pt.error and pt.page not in DOWNLOADS | ONCE]


def _targets(tiers: list[dict]) -> list[str]:
    tier = next((t for t in tiers if t["n"] == 100_000), None)
    if tier is None:
        return []
    imports = dict(tier["imports"])
    csv_s = imports["UPR Info CSV (recommendations)"]["wall"]
    xlsx = imports.get("UPR Info xlsx (recommendations)")
    worst = max(_reruns(tier), key=lambda pt: pt.p(0.95))
    rss = max([r["rss_mb"] for _, r in tier["imports"]] + [tier.get("server", {}).get("server_rss_mb", 0)])
    lines = ["### Targets", "", "| target | measured | |", "|---|---|---|"]
    lines.append(
        f"| 100k: every page's rerun p95 ≤ {TARGET_P95_MS} ms | worst: {worst.page}, {worst.p(0.95):.0f} ms | "
        f"{_ok(worst.p(0.95) <= TARGET_P95_MS)} |"
    )
    if "server" in tier:
        s = tier["server"]
        lines.append(
            f"| 100k: cold start ≤ {TARGET_COLD_S:.0f} s | the Overview's figures on screen "
            f"{s['figures_from_start_s']:.1f} s after start | {_ok(s['figures_from_start_s'] <= TARGET_COLD_S)} |"
        )
        ok = s["figures_s"] <= TARGET_FIRST_S[0] and s["charts_s"] <= TARGET_FIRST_S[1]
        lines.append(
            f"| 100k: first visit, figures ≤ {TARGET_FIRST_S[0]} s and charts ≤ {TARGET_FIRST_S[1]:.0f} s after "
            f"the first request | {s['figures_s']:.1f} s and {s['charts_s']:.1f} s | {_ok(ok)} |"
        )
    if xlsx:
        lines.append(
            f"| 100k-row xlsx import ≤ {TARGET_XLSX_S:.0f} s | {xlsx['wall']:.1f} s | {_ok(xlsx['wall'] <= TARGET_XLSX_S)} |"
        )
    lines.append(f"| 100k-row CSV import ≤ {TARGET_CSV_S:.0f} s | {csv_s:.1f} s | {_ok(csv_s <= TARGET_CSV_S)} |")
    lines.append(f"| 100k: peak memory ≤ 1 GB | {rss:.0f} MB | {_ok(rss <= TARGET_RSS_MB)} |")
    big = next((t for t in tiers if t["n"] == 1_000_000), None)
    if big is not None:
        worst = max(_reruns(big), key=lambda pt: pt.p(0.95))
        lines.append(
            f"| 1M: every page's rerun p95 ≤ {TARGET_P95_1M_MS} ms | worst: {worst.page}, {worst.p(0.95):.0f} ms | "
            f"{_ok(worst.p(0.95) <= TARGET_P95_1M_MS)} |"
        )
    lines.append("")
    return lines


def demo_report(
    real: list[tuple[str, dict]], pages: list[tuple[str, float]], whole: list[tuple[str, float, float]]
) -> str:
    """The "imports-pages" section: real files' imports and page reruns at demo scale."""
    lines = [
        "## Real files and page reruns at demo scale",
        "",
        f"Written by `python -m benchmarks.run` on {datetime.now():%Y-%m-%d %H:%M}. Machine: {_machine()}.",
        "",
    ]
    if real:
        lines += [
            "Imports of the real published files, each in a fresh process into an empty database (wall s up "
            "to the import's commit, the search index after it timed apart):",
            "",
            "| file | rows read | recommendations | wall s | rows/s | search index s | peak RSS MB | database MB |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, r in real:
            lines.append(
                f"| {name} | {r['rows']:,} | {r['added'] + r['updated']:,} | {r['wall']:.2f} | "
                f"{r['rows'] / r['wall']:,.0f} | {r['index']:.2f} | {r['rss_mb']:.0f} | {r['db_mb']:.1f} |"
            )
        lines.append("")
    lines += [
        "Each page's rerun with warm caches at demo scale (target: at most 300 ms). **Whole rerun**: "
        "timed in chromium against a running server, from a click on the sidebar's reset button "
        "(which changes nothing) to the frontend's mark that the script has finished: app shell "
        "(language, sidebar filters, navigation, demo banner) and page, plus a loopback round trip; "
        "median and worst of 7. **Page script**: the page alone under AppTest, median of 5 — "
        "AppTest re-runs only the page script after an st.navigation app's first run, so this is "
        "the page's share without the shell (the figure this section gave before missed the shell).",
        "",
        "| page | whole rerun, median ms | worst ms | page script ms | |",
        "|---|---|---|---|---|",
    ]
    own = {Path(f).stem: ms for f, ms in pages}
    for path, med, worst in whole:
        verdict = "not timed (see the run's log)" if med != med else _ok(med <= 300)
        lines.append(f"| {path} | {med:.0f} | {worst:.0f} | {own.get(path, float('nan')):.0f} | {verdict} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiers", default="100000,1000000", help="recommendations per tier, comma-separated")
    parser.add_argument("--reps", type=int, default=5, help="timed runs per page and filter set")
    parser.add_argument("--no-browser", action="store_true", help="skip the cold start (needs chromium)")
    parser.add_argument("--out", default=str(BENCHMARKS))
    parser.add_argument(
        "--world-only", action="store_true", help="the tiers alone: no real files, no demo reruns (their section stays)"
    )
    args = parser.parse_args()
    # As the app's server runs (ui.serve): one thread for NumPy's matrix products. NumPy is not
    # imported yet at this point, so the setting takes effect.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    started = time.perf_counter()
    tiers = [int(n) for n in args.tiers.split(",") if n]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.world_only:
            real = bench_real(work)
            pages, whole = bench_demo_reruns(work)  # first: quick, and its figures are not lost to a later failure
        # Excel sheets stop at 1,048,576 rows: the xlsx is written for tiers that fit.
        results = [
            bench_world(
                n, work, xlsx=n * 1.1 < 1_048_576, browser=not args.no_browser, reps=args.reps if n < 500_000 else 3
            )
            for n in tiers
        ]
    argv = " ".join(
        a
        for a in (
            f"--tiers {args.tiers}" if args.tiers != "100000,1000000" else "",
            "--no-browser" if args.no_browser else "",
            "--world-only" if args.world_only else "",
        )
        if a
    )
    demo = "" if args.world_only else demo_report(real, pages, whole)
    if demo:
        replace_section("imports-pages", demo, Path(args.out))
    if results:  # `--tiers ""` measures the demo-scale figures alone
        world = world_report(results, time.perf_counter() - started, argv)
        replace_section("world-scale", world, Path(args.out))
        print(world)
    print(demo)
    print(f"peak RSS of the benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

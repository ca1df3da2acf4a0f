"""The crowd benchmark, run by hand (not a test): `python -m benchmarks.crowd`.

A room full of people opens the same link at the same moment. For each page and each crowd size
N, a fresh server is started over a copy of the demo with the README's run command, left to
become healthy and idle, and then N fresh sessions of the page are opened at once, at the
protocol level (`benchmarks/protocol.py`: each connects to `/_stcore/stream`, asks for one run of
the page and waits for the script to finish), so that hundreds of sessions fit on one machine.
Reported per run: p50/p95/max seconds from the common start to each session's end of script,
failures and dropped connections, the server's CPU time and peak memory, and the machine's load
(the 1-minute load average before the run, and how many cores other processes kept busy during
it). Then the first visit of a browser to a cold server (`benchmarks/first_visit.py`).
Written to BENCHMARKS.md, section "crowd".
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from benchmarks.protocol import SessionResult, crowd
from benchmarks.report import BENCHMARKS, replace_section
from ui.serve import WARM_DONE

ROOT = Path(__file__).resolve().parent.parent
# The README's run command (a test checks that the README says exactly this); the port and the
# address are added so that the benchmark's server does not collide with one already running.
README_RUN = (".venv/bin/python", "-m", "ui.serve")
SIZES = (1, 10, 50, 100, 200)
TICK = os.sysconf("SC_CLK_TCK")


# --- the machine and the server's process ----------------------------------------------------


def load_average() -> float:
    """The 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values[:8]) - idle, sum(values[:8])


def process_ticks(pid: int) -> int:
    """User + system CPU ticks of process `pid` (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(command: tuple[str, ...], port: int) -> list[str]:
    """The README's command with this run's port (`.venv/bin/python` is this Python when there is no .venv)."""
    cmd = list(command)
    if cmd[0].startswith(".venv/"):
        exe = ROOT / cmd[0]
        cmd[0] = str(exe) if exe.exists() else sys.executable
    return [*cmd, f"--server.port={port}", "--server.address=127.0.0.1"]


@dataclass
class Server:
    """A server started for one run, over its own copy of the demo."""

    process: subprocess.Popen
    url: str
    log: Path
    started: float  # perf_counter at start
    health_s: float = float("nan")

    @property
    def pid(self) -> int:
        return self.process.pid


def start_server(db: Path, work: Path, command: tuple[str, ...] = README_RUN) -> Server:
    """Start the app as the README says, over `db` (with its own store and accounts), on a free port."""
    port = _free_port()
    log = work / f"server-{port}.log"
    env = os.environ | {
        "UPR_DB": str(db),
        "UPR_STORE": str(work / "store"),
        "UPR_ACCOUNTS": str(work / "accounts.json"),
    }
    with log.open("w") as fh:
        process = subprocess.Popen(
            server_command(command, port), cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT
        )
    return Server(process, f"http://127.0.0.1:{port}", log, time.perf_counter())


def wait_healthy(server: Server, timeout: float = 60.0) -> float:
    """Seconds from the server's start until `/_stcore/health` answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    server.health_s = time.perf_counter() - server.started
                    return server.health_s
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"no answer from {server.url} within {timeout:.0f} s")


def wait_idle(
    server: Server, quiet: float = 0.05, window: float = 0.5, windows: int = 2, timeout: float = 60.0
) -> float:
    """Wait until the server has used under `quiet` of a core in each of `windows` consecutive
    windows of `window` seconds (its start-up work done); returns the seconds waited."""
    t0, calm = time.perf_counter(), 0
    while time.perf_counter() - t0 < timeout and calm < windows:
        before = process_ticks(server.pid)
        time.sleep(window)
        calm = calm + 1 if (process_ticks(server.pid) - before) / TICK / window < quiet else 0
    return time.perf_counter() - t0


def wait_warm(server: Server, timeout: float = 120.0) -> float:
    """Wait until the server's log says its start-up visit of every page is over (ui.serve); seconds waited."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout and WARM_DONE not in server.log.read_text(errors="replace"):
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log.read_text()[-3000:]}")
        time.sleep(0.1)
    return time.perf_counter() - t0


def stop_server(server: Server) -> None:
    """Stop the server this benchmark started (by its own process handle)."""
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


class RssSampler(threading.Thread):
    """The server's resident memory every 50 ms; `peak_mb` when stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            try:
                self.peak_kb = max(self.peak_kb, _status_kb(self.pid, "VmRSS"))
            except OSError:
                return
            self._done.wait(0.05)

    def stop(self) -> float:
        self._done.set()
        self.join()
        try:  # the kernel's own high-water mark catches a peak between two samples
            self.peak_kb = max(self.peak_kb, _status_kb(self.pid, "VmHWM"))
        except OSError:
            pass
        return self.peak_kb / 1024


# --- one run ---------------------------------------------------------------------------------


@dataclass
class Run:
    """One crowd: N fresh sessions of one page against a fresh, idle server."""

    page: str
    n: int
    sessions: list[SessionResult] = field(default_factory=list)
    wall_s: float = 0.0
    server_cpu_s: float = 0.0
    server_peak_mb: float = 0.0
    client_cpu_s: float = 0.0
    others_cores: float = 0.0  # cores other processes kept busy on average during the run
    load_before: float = 0.0
    health_s: float = 0.0
    at: str = ""  # when the crowd set off (HH:MM)

    def finish_times(self) -> list[float]:
        return sorted(s.finished_s for s in self.sessions if s.finished_s is not None and not s.error)

    def quantile(self, q: float) -> float:
        """Nearest-rank quantile of the finish times, counting a session that never finished as infinite."""
        times = self.finish_times() + [float("inf")] * (self.n - len(self.finish_times()))
        return times[min(len(times) - 1, max(0, math.ceil(q * len(times) - 1e-9) - 1))]

    @property
    def failures(self) -> int:
        return sum(1 for s in self.sessions if s.error or s.finished_s is None)

    @property
    def dropped(self) -> int:
        return sum(1 for s in self.sessions if s.dropped)


def run_crowd(db: Path, work: Path, page: str, n: int, command: tuple[str, ...], timeout: float) -> Run:
    """Start a fresh server over a copy of `db`, wait until it is idle, and send it a crowd of `n`."""
    folder = Path(tempfile.mkdtemp(prefix=f"crowd-{page or 'overview'}-{n}-", dir=work))
    copy = folder / "upr.duckdb"
    shutil.copyfile(db, copy)
    server = start_server(copy, folder, command)
    run = Run(page or "overview", n)
    try:
        run.health_s = wait_healthy(server)
        wait_warm(server)
        wait_idle(server)
        run.load_before = load_average()
        run.at = f"{datetime.now():%H:%M}"
        sampler = RssSampler(server.pid)
        sampler.start()
        cpu0, (busy0, _), own0, t0 = process_ticks(server.pid), machine_ticks(), process_ticks(os.getpid()), time.time()
        run.sessions = asyncio.run(crowd(server.url, page, n, timeout=timeout))
        run.wall_s = time.time() - t0
        cpu1, (busy1, _), own1 = process_ticks(server.pid), machine_ticks(), process_ticks(os.getpid())
        run.server_peak_mb = sampler.stop()
        run.server_cpu_s = (cpu1 - cpu0) / TICK
        run.client_cpu_s = (own1 - own0) / TICK
        others = (busy1 - busy0) - (cpu1 - cpu0) - (own1 - own0)
        run.others_cores = max(others, 0) / TICK / run.wall_s
    finally:
        stop_server(server)
        shutil.rmtree(folder, ignore_errors=True)
    return run


def _server_lost(r: Run) -> bool:
    """The server went away under the run (something outside the benchmark ended it)."""
    return any("ConnectionRefused" in s.error for s in r.sessions)


def crowd_with_retries(db: Path, work: Path, page: str, n: int, timeout: float, tries: int = 3) -> Run:
    """run_crowd, started again (up to `tries` times) when the server exited or vanished under it:
    on a shared machine another process may end it; a crowd the server survived is never rerun."""
    for k in range(tries):
        try:
            r = run_crowd(db, work, page, n, README_RUN, timeout)
        except RuntimeError as exc:
            if k == tries - 1:
                raise
            print(f"{page or 'overview'} × {n}: the server did not last ({str(exc)[:80]}); again", flush=True)
            continue
        if not _server_lost(r) or k == tries - 1:
            return r
        print(f"{page or 'overview'} × {n}: the server vanished during the run; again", flush=True)
    raise AssertionError("unreachable")


def demo_database(work: Path) -> Path:
    """The demo of Kazakhstan's four cycles, built once for every run."""
    from etl.demo import build_demo
    from upr import db

    path = work / "demo.duckdb"
    con = db.connect(path)
    build_demo(con)
    con.execute("CHECKPOINT")
    con.close()
    return path


# --- the report ------------------------------------------------------------------------------


def _s(x: float) -> str:
    return "—" if x == float("inf") else f"{x:.2f}"


def run_line(r: Run) -> str:
    """One row of the crowd table."""
    errors = sorted({s.error for s in r.sessions if s.error})
    note = f" ({errors[0]})" if errors else ""
    return (
        f"| {r.page} | {r.n} | {r.n - r.failures}/{r.n} | {_s(r.quantile(0.5))} | {_s(r.quantile(0.95))} | "
        f"{_s(r.quantile(1.0))} | {r.failures}{note} | {r.dropped} | {r.server_cpu_s:.1f} | "
        f"{r.server_peak_mb:.0f} | {r.load_before:.2f} / {r.others_cores:.2f} | {r.at} |"
    )


COLUMNS = 12  # cells of a row of the crowd table


def kept_rows(section: str, pages: list[str]) -> list[str]:
    """The rows of an earlier crowd table (same columns) for pages other than `pages`."""
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == COLUMNS and cells[1].isdigit() and cells[0] not in pages:
            rows.append(line)
    return rows


def first_visit_block(section: str) -> list[str]:
    """The first-visit part of an earlier crowd section, as lines (none if it has none)."""
    return section.split("### The first visit", 1)[1].strip().splitlines() if "### The first visit" in section else []


def current_section(path: Path) -> str:
    """The crowd section of `path` as it is now ('' if none)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = "<!-- section:crowd -->", "<!-- /section:crowd -->"
    return text.split(start, 1)[1].split(end, 1)[0] if start in text and end in text else ""


def page_order(row: str) -> tuple[int, int]:
    """Sort key of a table row: the navigation's order of pages, then N."""
    from ui.nav import PAGES

    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    order = [p.url_path for p in PAGES]
    return (order.index(cells[0]) if cells[0] in order else len(order), int(cells[1]))


def report(
    runs: list[Run],
    first: dict | list[str] | None,
    argv: str,
    machine: str,
    kept: list[str] | None = None,
) -> str:
    """The "crowd" section of BENCHMARKS.md: this run's rows, with `kept` rows of earlier runs
    (other pages), and the first visit (measured now, or an earlier run's lines)."""
    rows = sorted([run_line(r) for r in runs] + (kept or []), key=page_order)
    lines = [
        "## A room full of people at once",
        "",
        f"Written by `{' '.join(filter(None, ['python -m benchmarks.crowd', argv]))}` on "
        f"{datetime.now():%Y-%m-%d %H:%M}"
        + (" (with the rows of earlier runs for the other pages; each row says when its crowd set off)" if kept else "")
        + f". Machine: {machine}.",
        "",
        "- **Crowd**: for each page and each N, a fresh server is started over a copy of the demo with the "
        f"README's run command (`{' '.join(README_RUN)}`, plus a free port), waits until `/_stcore/health` "
        "answers, the server's log says its start-up visit of every page is over (`ui/serve.py`) and it has "
        "been idle for a second (so every page's shared figures exist, as on a server that has been up a "
        "while), then N fresh sessions of the page set off "
        "at the same moment (`benchmarks/protocol.py`: each opens a WebSocket to `/_stcore/stream`, as a "
        "browser does, asks for one run of the page by its address and waits for the script's end). Times "
        "are seconds from that moment to each session's `script_finished`; a session that never finished "
        "counts as infinitely slow (—). Every session stays connected until all have finished and 2 s "
        "more; a connection the server closed is *dropped*. The client keeps its connections alive as "
        "the `websockets` package does by default (a ping every 20 s, given up after 20 s without an "
        "answer).",
        "- **Server**: its CPU seconds during the run (user + system, all threads) and its peak resident "
        "memory (sampled every 50 ms, and the kernel's high-water mark). **Load**: the 1-minute load "
        "average before the run / how many cores other processes (not the server, not the client) kept "
        "busy on average during it; the machine has 2 cores shared with other work. **At**: the time "
        "(UTC) the crowd set off.",
        "",
        "| page | N | finished | p50 s | p95 s | max s | failures | dropped | server CPU s | server peak MB "
        "| load before / others' cores | at |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]
    if isinstance(first, list):
        lines += ["### The first visit", "", *first, ""]
    elif first:
        from benchmarks.first_visit import report_lines

        lines += report_lines(first)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--pages",
        default="",
        help="url paths, comma-separated ('overview' for the root, 'none' for the first visit alone; default: all)",
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="crowd sizes, comma-separated")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a session may wait for its script")
    parser.add_argument("--no-browser", action="store_true", help="skip the first visit in chromium")
    parser.add_argument("--out", default=str(BENCHMARKS), help="the Markdown file to write ('-': print only)")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the file's rows for the pages not run now (and its first visit with --no-browser)",
    )
    args = parser.parse_args()
    from benchmarks.run import _machine
    from ui.nav import PAGES

    pages = [p for p in args.pages.split(",") if p and p != "none"] if args.pages else [p.url_path for p in PAGES]
    sizes = [int(n) for n in args.sizes.split(",") if n]
    runs: list[Run] = []
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = demo_database(work)
        for page in pages:
            for n in sizes:
                r = crowd_with_retries(db, work, "" if page == "overview" else page, n, args.timeout)
                runs.append(r)
                print(run_line(r), flush=True)
        if not args.no_browser:
            from benchmarks.first_visit import first_visits

            first = first_visits(db, work)
    argv = " ".join(
        a
        for a in (
            f"--pages {args.pages}" if args.pages else "",
            f"--sizes {args.sizes}" if args.sizes != ",".join(map(str, SIZES)) else "",
            "--no-browser" if args.no_browser else "",
            "--merge" if args.merge else "",
        )
        if a
    )
    earlier = current_section(Path(args.out)) if args.merge and args.out != "-" else ""
    kept = kept_rows(earlier, pages) if args.merge else None
    if args.merge and first is None:
        first = first_visit_block(earlier) or None
    text = report(runs, first, argv, _machine(), kept)
    if args.out != "-":
        replace_section("crowd", text, Path(args.out))
    print(text)


if __name__ == "__main__":
    main()

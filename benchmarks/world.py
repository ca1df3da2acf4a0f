"""The world-scale benchmark: every UN member State under review in four cycles, three assessment sources.

`python -m benchmarks.run` calls these; each function measures one thing and returns plain figures.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from etl.readers.templates import TEMPLATE_HEADERS
from upr.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
SUR, SUR_NAME = "KAZ", "Kazakhstan"  # the State the pages show (the app's default State under review)
LANG = "en"

# Each source's status shares (government optimistic, NGOs and the ombudsman less so).
STATUS_SHARES = {
    "government": {
        "implemented": 35,
        "partially_implemented": 25,
        "in_progress": 20,
        "formally_implemented": 5,
        "no_progress": 10,
        "not_implemented": 5,
    },
    "ngo": {
        "implemented": 12,
        "partially_implemented": 25,
        "in_progress": 10,
        "formally_implemented": 15,
        "no_progress": 18,
        "not_implemented": 20,
    },
    "nhri": {
        "implemented": 20,
        "partially_implemented": 30,
        "in_progress": 15,
        "formally_implemented": 10,
        "no_progress": 15,
        "not_implemented": 10,
    },
}
# Who assesses what: the government most supported recommendations, NGOs half of all, the ombudsman a few.
COVERAGE = {"government": (0.9, "supported"), "ngo": (0.5, None), "nhri": (0.15, None)}
AS_OF = {"government": date(2024, 6, 30), "ngo": date(2024, 10, 31), "nhri": date(2024, 12, 10)}
ORGANISATION = {"government": "Government of {sur}", "ngo": "{sur} NGO coalition", "nhri": "Ombudsman of {sur}"}


# --- imports ---------------------------------------------------------------------------------

_IMPORT = """
import json, resource, sys, time
from pathlib import Path
from upr import db
from etl.importer import import_file
from upr.search import refresh_search
con = db.connect(sys.argv[2])
t = time.perf_counter(); c = time.process_time()
r = import_file(con, Path(sys.argv[1]), index=False)
wall = time.perf_counter() - t; cpu = time.process_time() - c
t = time.perf_counter()
refresh_search(con)
index = time.perf_counter() - t
con.execute("CHECKPOINT")
con.close()
print(json.dumps({'rows': r.rows_read, 'added': r.added, 'updated': r.updated, 'errors': len(r.errors),
                  'first_error': str(r.errors[0]) if r.errors else '', 'wall': wall, 'cpu': cpu, 'index': index,
                  'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def import_in_subprocess(path: Path, db_path: Path, store: Path) -> dict:
    """Import `path` into `db_path` through the project's loader, in a fresh process (its own peak RSS).

    As the app does: the import returns at its commit (`wall`, `cpu`), then the search index is
    brought up to date (`index` seconds, timed apart); the peak RSS is the process's, over both."""
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT, str(path), str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"UPR_STORE": str(store)},
    )
    if out.returncode != 0:
        raise RuntimeError(f"import of {path.name} failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["db_mb"] = db_path.stat().st_size / 2**20
    return result


def write_assessments(db_path: Path, work: Path, seed: int = 11) -> dict[str, Path]:
    """Three assessment files in our template's CSV form (English headers), one per source kind.

    Built from the recommendations in `db_path`, with the shares of COVERAGE and STATUS_SHARES.
    """
    rng = random.Random(seed)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        recs = con.execute(
            "SELECT r.id, r.response, s.name_en FROM recommendation r JOIN review v ON v.id = r.review_id "
            "JOIN state s ON s.iso3 = v.sur_iso3 ORDER BY r.id"
        ).fetchall()
    finally:
        con.close()
    headers = TEMPLATE_HEADERS["en"]
    columns = ("id", "text", "source_kind", "organisation", "status", "as_of", "comment", "evidence")
    paths = {}
    for kind, (share, only) in COVERAGE.items():
        statuses, weights = zip(*STATUS_SHARES[kind].items())
        path = work / f"assessments_{kind}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([headers[c] for c in columns])
            as_of = AS_OF[kind].isoformat()
            for rec_id, response, sur in recs:
                if (only and response != only) or rng.random() >= share:
                    continue
                status = rng.choices(statuses, weights)[0]
                writer.writerow([rec_id, "", kind, ORGANISATION[kind].format(sur=sur), status, as_of, "", ""])
        paths[kind] = path
    return paths


# --- page queries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a page's queries are called with, for one filter set."""

    f: Filters
    theme: str | None  # the first theme the Themes page would drill into
    state: str | None  # the first recommending State of the States page
    rec: str | None  # a recommendation the Explorer would open
    lang: str = LANG


Call = Callable[[Context], tuple[str, tuple]]


def _template_rows(con: duckdb.DuckDBPyConnection, sur: str, cycle: int, lang: str) -> pd.DataFrame:
    from etl.template_xlsx import template_rows

    return template_rows(con, sur, cycle, lang, "NGO coalition")


def _import_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    from etl.revert import import_history

    return import_history(con)


EXTRA = {"template_rows": _template_rows, "import_history": _import_history}

# The presentation's source note (upr.slides.deck_source), under every slide.
_DECK_SOURCE: list[Call] = [
    lambda c: ("imports_in_force", ()),
    lambda c: ("reviews", (c.f.sur,)),
    lambda c: ("selected_cycles", (c.f,)),
    lambda c: ("is_demo", ()),
]
# Each kind of slide's queries (upr.slides._BUILDERS); "supported" asks what "cycles" asks.
_SLIDES: dict[str, list[Call]] = {
    "cycles (or supported)": [lambda c: ("cycle_overview", (c.f,))],
    "themes": [lambda c: ("theme_distribution", (c.f,)), lambda c: ("cycle_overview", (c.f,))],
    "status": [
        lambda c: ("status_by_cycle", (c.f,)),
        lambda c: ("implemented_share", (c.f,)),
        lambda c: ("cycle_overview", (c.f,)),
    ],
    "States": [lambda c: ("state_counts", (c.f,)), lambda c: ("recommending_totals", (c.f,))],
    "recurring": [
        lambda c: ("cycle_overview", (c.f,)),
        lambda c: ("recurring_recommendations", (c.f, 3, 4, c.lang)),
    ],
}

# What each page asks for on a rerun with a cold cache, in the order the page does; a page's
# other views (behind its segmented control) are listed as their own rows.
PAGE_QUERIES: dict[str, list[Call]] = {
    "app shell (sidebar, every page)": [
        lambda c: ("states_under_review", ()),
        lambda c: ("reviews", (c.f.sur,)),
        lambda c: ("theme_options", (c.f.sur,)),
        lambda c: ("recommending_state_options", (c.f.sur,)),
        lambda c: ("group_options", (c.f.sur,)),
        lambda c: ("is_demo", ()),
        lambda c: ("imports_in_force", ()),
    ],
    "overview": [lambda c: ("cycle_overview", (c.f,)), lambda c: ("implemented_share", (c.f,))],
    "cycles (themes view)": [
        lambda c: ("reviews", (c.f.sur,)),
        lambda c: ("cycle_pair_summary", (c.f, 3, 4)),
        lambda c: ("theme_change", (c.f, 3, 4)),
    ],
    "cycles · States view": [lambda c: ("returning_states", (c.f, 3, 4))],
    "cycles · recurring view": [lambda c: ("recurring_recommendations", (c.f, 3, 4, c.lang))],
    "cycles · every-cycle view": [lambda c: ("themes_in_every_cycle", (c.f,))],
    "status (by cycle)": [
        lambda c: ("explorer_count", (c.f,)),
        lambda c: ("assessment_sources", (c.f,)),
        lambda c: ("status_by_cycle", (c.f,)),
    ],
    "status · by theme": [lambda c: ("status_by_theme", (c.f,))],
    "status · disagreements": [
        lambda c: ("status_matrix", (c.f, "government", "ngo")),
        lambda c: ("status_disagreements", (c.f, c.lang, "government", "ngo", 50)),
    ],
    "status · over time": [lambda c: ("status_timeline", (c.f,))],
    "themes": [
        lambda c: ("theme_distribution", (c.f,)),
        lambda c: ("cycle_overview", (c.f,)),
        lambda c: ("theme_cycle_matrix", (c.f,)),
        lambda c: ("theme_recommendations", (c.f, c.theme, c.lang)),
    ],
    "states": [
        lambda c: ("state_counts", (c.f,)),
        lambda c: ("unresolved_states", (c.f,)),
        lambda c: ("recommending_totals", (c.f,)),
        lambda c: ("state_recommendations", (c.f, c.state, c.lang)),
    ],
    "states · regional groups view": [lambda c: ("regional_group_counts", (c.f,))],
    "explorer (first 50)": [
        lambda c: ("explorer_count", (c.f,)),
        lambda c: ("assessment_sources", (c.f,)),
        lambda c: ("explorer_rows", (c.f, c.lang, 0, 50)),
    ],
    "explorer · one recommendation": [lambda c: ("recommendation_detail", (c.rec,))],
    "explorer · export (all rows)": [lambda c: ("explorer_rows", (c.f, c.lang, None))],
    "conflicts": [lambda c: ("conflict_list", (c.f, c.lang)), lambda c: ("conflict_counts", (c.f,))],
    # The world has no implementation plan: the plan page asks for the State's plans and says so.
    "plan (no plan imported: its list of plans)": [lambda c: ("plan_options", (c.f.sur,))],
    "worklist (latest cycle, older than today)": [
        lambda c: ("reviews", (c.f.sur,)),
        lambda c: ("work_list", (c.f, 4, date.today(), c.lang)),
        lambda c: ("supported_count", (c.f, 4)),
        lambda c: ("plan_options", (c.f.sur,)),
    ],
    "upload (cycles)": [lambda c: ("cycle_overview", (Filters(sur=c.f.sur),))],
    # Not a rerun: the template's rows are read when its download button is clicked.
    "upload · template download (its rows)": [lambda c: ("template_rows", (c.f.sur, 4, c.lang))],
    "history": [lambda c: ("import_history", ())],
    # The presentation shows one slide per rerun (with the deck's source note); each kind is a view.
    **{f"present · {name} slide": [*_DECK_SOURCE, *calls] for name, calls in _SLIDES.items()},
    # Not a rerun: the PPTX download builds every slide at once (each query once: they are cached).
    "present · PPTX download (every slide)": [
        *_DECK_SOURCE,
        lambda c: ("cycle_overview", (c.f,)),
        lambda c: ("theme_distribution", (c.f,)),
        lambda c: ("status_by_cycle", (c.f,)),
        lambda c: ("implemented_share", (c.f,)),
        lambda c: ("state_counts", (c.f,)),
        lambda c: ("recommending_totals", (c.f,)),
        lambda c: ("recurring_recommendations", (c.f, 3, 4, c.lang)),
    ],
}


# Rows of PAGE_QUERIES that are downloads a user asks for, not what a page runs on each rerun:
# timed and written down, but not held to the per-rerun target.
DOWNLOADS = frozenset(
    {"explorer · export (all rows)", "present · PPTX download (every slide)", "upload · template download (its rows)"}
)
# Work the app does once for every session (per State, after start and after a write), not per rerun.
SLICE_ROW = "the State's slice (built once per State, in the background, after start and after a write)"
PAIRING_ROW = "the recurring view's texts of cycles 3 and 4 prepared for pairing (once per State and write)"
ONCE = frozenset({SLICE_ROW, PAIRING_ROW})


def _run(
    con: duckdb.DuckDBPyConnection, name: str, args: tuple, slices: dict[str, duckdb.DuckDBPyConnection] | None = None
) -> object:
    """queries.<name>(…, *args) where the app runs it: on the State's slice when it reads one State."""
    from upr import queries
    from upr.queries.state_slice import state_of, state_of_recommendation

    fn = EXTRA.get(name) or getattr(queries, name)
    sur = None if slices is None or name in EXTRA else state_of(name, args)
    if slices is not None and name == "recommendation_detail":  # as ui.data: by the recommendation's State
        sur = state_of_recommendation(con, args[0])
        sur = sur if sur in slices else None
    if sur is None:
        return fn(con, *args)
    cur = slices[sur].cursor()  # as ui.data does: a cursor per query
    try:
        return fn(cur, *args)
    finally:
        cur.close()


def pairing_times(part: duckdb.DuckDBPyConnection, reps: int) -> PageTiming:
    """How long the recurring view takes to prepare two cycles' texts for pairing, on the State's slice."""
    from upr.queries import compare, similarity

    timing = PageTiming(PAIRING_ROW)
    for k in range(reps + 1):
        similarity._pairings.clear()
        t = time.perf_counter()
        every = compare._english_texts(part, SUR, 3, 4)
        similarity.pairing_of(every[1], every[0])
        if k:
            timing.samples.append((time.perf_counter() - t) * 1000)
    timing.slowest["pairing_of"] = max(timing.samples)
    return timing


def slice_build_times(con: duckdb.DuckDBPyConnection, reps: int) -> PageTiming:
    """How long the app takes to build the State's slice, `reps` times after a warm-up."""
    from upr.queries.state_slice import build_slice

    timing = PageTiming(SLICE_ROW)
    for k in range(reps + 1):
        t = time.perf_counter()
        build_slice(con.cursor(), SUR).close()
        if k:
            timing.samples.append((time.perf_counter() - t) * 1000)
    timing.slowest["build_slice"] = max(timing.samples)
    return timing


def filter_sets(con: duckdb.DuckDBPyConnection) -> dict[str, Filters]:
    """The default filters and a few a user would pick: a cycle, the top theme, supported, the top State, NGOs, a word."""
    base = Filters(sur=SUR)
    theme = _run(con, "theme_distribution", (base,))["code"].dropna().iloc[0]
    state = _run(con, "state_counts", (base,))["iso3"].iloc[0]
    return {
        "default": base,
        "cycle 4": Filters(sur=SUR, cycles=(4,)),
        f"theme {theme}": Filters(sur=SUR, themes=(theme,)),
        "supported": Filters(sur=SUR, responses=("supported",)),
        f"recommending State {state}": Filters(sur=SUR, states=(state,)),
        "NGO assessments": Filters(sur=SUR, sources=("ngo",)),
        "search 'women'": Filters(sur=SUR, q="women"),
    }


def _context(con: duckdb.DuckDBPyConnection, f: Filters) -> Context:
    dist = _run(con, "theme_distribution", (f,))
    states = _run(con, "state_counts", (f,))
    rows = _run(con, "explorer_rows", (f, LANG, 0, 50))
    return Context(
        f=f,
        theme=dist["code"].iloc[0] if not dist.empty else None,
        state=states["iso3"].iloc[0] if not states.empty else None,
        rec=str(rows["id"].iloc[0]) if not rows.empty else f"{SUR}-4-none",
    )


@dataclass
class PageTiming:
    """One page's query time per rerun (all its queries, cold query cache), in ms."""

    page: str
    samples: list[float] = field(default_factory=list)
    slowest: dict[str, float] = field(default_factory=dict)  # query -> its own worst time, ms
    error: str = ""

    def p(self, q: float) -> float:
        """The q-quantile of the samples (nearest rank)."""
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))] if ordered else float("nan")


def page_query_times(db_path: Path, reps: int = 5) -> tuple[list[PageTiming], dict[str, Filters]]:
    """Time every page's queries on `db_path` under each filter set, `reps` times after one warm-up,
    where the app runs them (a State's queries on its slice); and the slice's own build."""
    from upr.queries.state_slice import build_slice

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        sets = filter_sets(con)
        contexts = [_context(con, f) for f in sets.values()]
        out = [slice_build_times(con, max(reps, 5))]
        slices = {SUR: build_slice(con.cursor(), SUR)}
        out.append(pairing_times(slices[SUR], max(reps, 5)))
        for page, calls in PAGE_QUERIES.items():
            timing = PageTiming(page)
            try:
                for ctx in contexts:
                    planned = [call(ctx) for call in calls]
                    for name, args in planned:  # warm-up: DuckDB's buffers, Python imports
                        _run(con, name, args, slices)
                    for _ in range(reps):
                        total = 0.0
                        for name, args in planned:
                            t = time.perf_counter()
                            _run(con, name, args, slices)
                            ms = (time.perf_counter() - t) * 1000
                            total += ms
                            timing.slowest[name] = max(timing.slowest.get(name, 0.0), ms)
                        timing.samples.append(total)
            except Exception as exc:  # a page that fails is a figure too: say so, go on
                timing.error = f"{type(exc).__name__}: {exc}"[:200]
            out.append(timing)
        return out, sets
    finally:
        con.close()


# --- the naive dashboard ---------------------------------------------------------------------


def _cycle_of_session(sessions: pd.Series) -> pd.Series:
    from upr.vocab import cycle_of_session

    return sessions.map(lambda s: cycle_of_session(int(s)))


def naive_overview(sheet: Path, assessments: dict[str, Path]) -> pd.DataFrame:
    """The Overview's figures as a spreadsheet dashboard computes them: read everything, filter, group.

    Per cycle of SUR: recommendations, supported %, and each source's implemented % (its latest
    assessment of each recommendation).
    """
    if sheet.suffix == ".xlsx":
        frame = pd.read_excel(sheet, sheet_name=0)
        frame = frame.rename(columns={"SuR": "To", "Recommendation": "Text"})
    else:
        frame = pd.read_csv(sheet)
    frame = frame[frame["To"] == SUR_NAME]
    frame = frame.assign(cycle=_cycle_of_session(frame["Session"]))
    recs = frame.drop_duplicates(["cycle", "Session", "Text"])
    out = recs.groupby("cycle").agg(
        recommendations=("Text", "size"), supported=("Response", lambda r: int((r == "Accepted").sum()))
    )
    out["supported_pct"] = (100 * out["supported"] / out["recommendations"]).round(1)
    id_col, status_col, as_of_col = (TEMPLATE_HEADERS["en"][k] for k in ("id", "status", "as_of"))
    for kind, path in assessments.items():
        a = pd.read_csv(path)
        a = a[a[id_col].str.startswith(f"{SUR}-")]
        a = a.sort_values(as_of_col).drop_duplicates(id_col, keep="last")
        a = a.assign(cycle=a[id_col].str.split("-").str[1].astype(int))
        share = a.groupby("cycle")[status_col].agg(lambda s: round(100 * (s == "implemented").sum() / len(s), 1))
        out[f"implemented_pct_{kind}"] = share
    return out.reset_index()


def our_overview(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The same figures from the app's own queries."""
    f = Filters(sur=SUR)
    cycles = _run(con, "cycle_overview", (f,))[["cycle", "recommendations", "supported", "supported_pct"]]
    impl = _run(con, "implemented_share", (f,))
    wide = impl.pivot(index="cycle", columns="source_kind", values="implemented_pct").add_prefix("implemented_pct_")
    return cycles.merge(wide.reset_index(), on="cycle")


def compare_with_pandas(
    db_path: Path, sheets: list[Path], assessments: dict[str, Path], reps: int = 5
) -> list[tuple[str, float, float, bool]]:
    """Per spreadsheet: the naive dashboard's median time per rerun, ours (queries, no cache), and whether they agree."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        ours = our_overview(con)
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            our_overview(con)
            times.append(time.perf_counter() - t)
        ours_ms = statistics.median(times) * 1000
    finally:
        con.close()
    out = []
    for sheet in sheets:
        runs = reps if sheet.suffix == ".csv" else 1  # one read of a big xlsx takes long enough
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            naive = naive_overview(sheet, assessments)
            times.append(time.perf_counter() - t)
        cols = [c for c in ours.columns if c in naive.columns]
        same = ours[cols].reset_index(drop=True).astype(float).equals(naive[cols].reset_index(drop=True).astype(float))
        out.append((sheet.name, statistics.median(times) * 1000, ours_ms, same))
    return out

"""Synthetic world-scale data: UPR Info-style exports of any size, deterministic."""

from __future__ import annotations

import csv
import itertools
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from etl.readers.upr_info import CSV_HEADERS, XLS_HEADERS
from upr.states import load_states
from upr.themes import load_theme_map

# The export's own two header generations, as the importer knows them.
HEADER_CSV, HEADER_XLS = CSV_HEADERS, XLS_HEADERS
RGRP = {"african": "Africa", "asia_pacific": "Asia", "eeg": "EEG", "grulac": "GRULAC", "weog": "WEOG", None: "Observer"}
VERBS = (
    "Continue",
    "Strengthen",
    "Ensure",
    "Adopt",
    "Consider",
    "Ratify",
    "Take measures to",
    "Guarantee",
    "Step up efforts to",
    "Intensify efforts to",
)
OBJECTS = (
    "protect the rights of {g}",
    "combat discrimination against {g}",
    "ensure access to justice for {g}",
    "improve the situation of {g}",
    "allocate resources to programmes for {g}",
    "raise awareness of the rights of {g}",
    "investigate violations against {g}",
)
GROUPS = (
    "women",
    "children",
    "persons with disabilities",
    "migrants",
    "journalists",
    "human rights defenders",
    "minorities",
    "older persons",
    "refugees",
    "detainees",
    "rural communities",
    "indigenous peoples",
)
SESSIONS = {1: (1, 12), 2: (13, 26), 3: (27, 40), 4: (41, 54)}


def upr_info_rows(n_rows: int, seed: int = 7) -> list[list[str]]:
    """About n_rows UPR Info rows (one per recommendation × recommending State): see world_rows."""
    rows = []
    for row in world_rows(n_rows, seed):
        rows.append(row)
        if len(rows) == n_rows:
            break
    return rows


# Recommendations per review grew cycle after cycle (UPR Info: ~80 in cycle 1, ~250 in cycle 4).
CYCLE_WEIGHT = {1: 0.45, 2: 0.85, 3: 1.2, 4: 1.5}


def world_rows(n_recs: int, seed: int = 7) -> Iterator[list[str]]:
    """UPR Info CSV rows of about `n_recs` recommendations: 193 States under review × 4 cycles.

    Realistic shapes, deterministic for a seed: reviews grow from cycle to cycle and vary by
    State (log-normal); themes are Pareto-skewed (a few issues take most recommendations); a
    few recommending States make far more recommendations than the rest (Pareto weights);
    ~8% of recommendations are made jointly by 2-3 States (one row per State); ~75% are
    supported ("Accepted"), the rest noted. Generated lazily, so a million costs no memory.
    """
    rng = random.Random(seed)
    states = [s for s in load_states() if s.un_status == "member"]
    issues = sorted({r.label for r in load_theme_map() if r.source == "upr_info"})
    issue_weights = list(itertools.accumulate(rng.paretovariate(1.0) for _ in issues))
    state_weights = list(itertools.accumulate(rng.paretovariate(1.1) for _ in states))
    size = {(c, s.iso3): CYCLE_WEIGHT[c] * rng.lognormvariate(0, 0.35) for c in CYCLE_WEIGHT for s in states}
    scale = n_recs / sum(size.values())
    k = 0
    for cycle in (1, 2, 3, 4):
        first, last = SESSIONS[cycle]
        for i, sur in enumerate(states):
            session = str(first + i % (last - first + 1))
            sur_cols = [sur.name_en, RGRP[sur.regional_group], ""]
            for _ in range(max(1, round(size[(cycle, sur.iso3)] * scale))):
                k += 1
                text = (
                    f"{rng.choice(VERBS)} to {rng.choice(OBJECTS).format(g=rng.choice(GROUPS))}, "
                    f"in line with its obligations (measure {k})"
                )
                response = "Accepted" if rng.random() < 0.75 else "Noted"
                action = str(rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5)))
                issue = ",".join(
                    sorted(set(rng.choices(issues, cum_weights=issue_weights, k=rng.choice((1, 1, 2, 3)))))
                )
                joint = rng.random()
                makers = 3 if joint < 0.02 else 2 if joint < 0.08 else 1
                for rs in {s.iso3: s for s in rng.choices(states, cum_weights=state_weights, k=makers)}.values():
                    if rs.iso3 == sur.iso3:
                        continue  # a State does not recommend to itself
                    yield [*sur_cols, text, rs.name_en, RGRP[rs.regional_group], "", response, action, issue, session]


def write_csv(path: Path, rows: Iterable[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER_CSV)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: Iterable[list[str]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("UPR Info database export")
    ws.append(HEADER_XLS)
    for row in rows:
        ws.append([int(c) if j in (8, 10) else c for j, c in enumerate(row)])
    wb.save(path)
    return path

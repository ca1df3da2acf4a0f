"""Synthetic world-scale data: UPR Info-style exports of any size, deterministic."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from upr.states import load_states
from upr.themes import load_theme_map

HEADER_CSV = [
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
]
HEADER_XLS = ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue", "Session"]
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
    """About n_rows rows: 193 States under review × 4 cycles, ~8% of recommendations made by several States."""
    rng = random.Random(seed)
    states = [s for s in load_states() if s.un_status == "member"]
    issues = sorted({r.label for r in load_theme_map() if r.source == "upr_info"})
    weights = [rng.paretovariate(1.2) for _ in issues]
    rows: list[list[str]] = []
    per_review = max(1, n_rows // (len(states) * 4))
    k = 0
    for cycle in (1, 2, 3, 4):
        for i, sur in enumerate(states):
            session = SESSIONS[cycle][0] + i % (SESSIONS[cycle][1] - SESSIONS[cycle][0] + 1)
            made = 0
            while made < per_review:
                k += 1
                text = f"{rng.choice(VERBS)} to {rng.choice(OBJECTS).format(g=rng.choice(GROUPS))} (measure {k})"
                response = "Accepted" if rng.random() < 0.75 else "Noted"
                action = str(rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5)))
                issue = ",".join(sorted(set(rng.choices(issues, weights, k=rng.choice((1, 1, 2, 3))))))
                for _ in range(2 if rng.random() < 0.08 else 1):
                    rs = rng.choice(states)
                    rows.append(
                        [
                            sur.name_en,
                            RGRP[sur.regional_group],
                            "",
                            text,
                            rs.name_en,
                            RGRP[rs.regional_group],
                            "",
                            response,
                            action,
                            issue,
                            str(session),
                        ]
                    )
                    made += 1
    return rows[:n_rows]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER_CSV)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("UPR Info database export")
    ws.append(HEADER_XLS)
    for row in rows:
        ws.append([int(c) if j in (8, 10) else c for j, c in enumerate(row)])
    wb.save(path)
    return path

"""BENCHMARKS.md is written by several scripts; each owns the sections between its markers."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"
HEADER = "# Benchmarks\n\nFigures measured on this machine by the scripts in `benchmarks/`; each section says how.\n"


def replace_section(name: str, body: str, path: Path = BENCHMARKS) -> None:
    """Write `body` between `<!-- section:name -->` markers, replacing what was there, keeping the rest."""
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")

"""Recognise a file's format from its content (not its name) and read it with the right reader."""

from __future__ import annotations

from pathlib import Path

from etl.model import Batch, Problem
from etl.readers import READERS, Probe
from etl.tabular import UnreadableFile

FORMATS_HELP = "one of: " + ", ".join(r.describe for r in READERS)


def _refused(path: Path, problem: Problem) -> Batch:
    return Batch(file=path.name, format="unknown", theme_source="none", problems=[problem])


def read_any(path: Path) -> Batch:
    """Read any supported file into a Batch; an unrecognised or unreadable file gives a Batch with an error."""
    probe: Probe | None = None
    try:
        probe = Probe.open(path)
        for reader in READERS:
            if probe.kind in reader.kinds and reader.accepts(probe):
                return reader.read(probe)
    except UnreadableFile as exc:
        return _refused(path, exc.problem)
    except (ValueError, RecursionError) as exc:  # JSON that does not parse or nests without end
        if probe is not None and probe.kind == "json":
            return _refused(path, Problem(path.name, "valid UTF-8 JSON", value=str(exc)[:120]))
        raise
    return _refused(path, Problem(path.name, FORMATS_HELP, value="a file of no known format"))

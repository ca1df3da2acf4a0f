"""What an import did, or would do, in figures a user can check."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.model import Problem


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), in figures a user can check."""

    file: str
    format: str
    sha256: str
    rows_read: int = 0
    added: int = 0
    updated: int = 0  # recommendations merged with new information, or assessments changed (now current)
    history_only: int = 0  # assessments older than the current one: recorded in the history only
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    import_id: int | None = None
    already_imported: int | None = None  # id of an earlier import of the very same file
    conflicts: int = 0
    changes: list[dict] = field(default_factory=list)  # assessments recorded, with their outcome (etl.assessments)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "import_id": self.import_id,
            "already_imported": self.already_imported,
            "rows_read": self.rows_read,
            "added": self.added,
            "updated": self.updated,
            "history_only": self.history_only,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "conflicts": self.conflicts,
            "errors": [str(p) for p in self.errors],
            "warnings": [str(p) for p in self.warnings],
        }

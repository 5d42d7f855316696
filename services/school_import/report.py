"""What an import found and what it did, in a form both the console and the bot can print."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ImportProblem:
    """One thing wrong (or, among warnings, doubtful) in the file, placed as the spreadsheet shows it."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        place = self.sheet
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", {self.column}"
        return f"{place}: {self.reason}"


@dataclass(frozen=True)
class TimetableVersionNote:
    """A version of the timetable the file holds (services.timetable_versions): from when, its lessons,
    what the import did with it, and the version before it, kept for the days before it starts."""

    valid_from: dt.date
    lessons: int
    state: str  # "created": a new version; "replaced": the same date's version rewritten; "unchanged"
    previous: dt.date | None = None  # the version in force the day before; None: none


@dataclass
class ImportReport:
    """Counts per kind of record ("students", "timetable", …); only kinds with a non-zero count appear."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    missing_students: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)
    warnings: list[ImportProblem] = field(default_factory=list)
    timetable_versions: list[TimetableVersionNote] = field(default_factory=list)  # said in the user's language

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())

    def summary_lines(self) -> list[str]:
        if self.problems:
            lines = [f"problems in the file: {len(self.problems)}; nothing was imported:"]
            lines += [f"  {problem}" for problem in self.problems]
        else:
            lines = [
                _counts_line("created", self.created),
                _counts_line("updated", self.updated),
                _counts_line("deleted", self.deleted),
                _counts_line("unchanged", self.unchanged),
            ]
            if self.missing_students:
                lines.append("students not in the file (kept): " + ", ".join(self.missing_students))
        lines += [f"warning: {warning}" for warning in self.warnings]
        return lines


def _counts_line(label: str, counts: dict[str, int]) -> str:
    parts = [f"{kind} {count}" for kind, count in counts.items() if count]
    return f"{label}: " + (", ".join(parts) if parts else "nothing")


class ChangeCounts:
    """Tallies while the import writes; turned into the report's dicts at the end."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.unchanged: Counter[str] = Counter()
        self.deleted: Counter[str] = Counter()

    def changed(self, kind: str) -> tuple[int, int, int]:
        """What has been created, updated and deleted of a kind so far."""
        return self.created[kind], self.updated[kind], self.deleted[kind]

    def fill(self, report: ImportReport) -> None:
        report.created = _non_zero(self.created)
        report.updated = _non_zero(self.updated)
        report.unchanged = _non_zero(self.unchanged)
        report.deleted = _non_zero(self.deleted)


def _non_zero(counts: Counter[str]) -> dict[str, int]:
    return {kind: count for kind, count in counts.items() if count}

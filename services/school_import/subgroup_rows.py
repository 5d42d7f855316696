"""The optional `subgroups` sheet: the rules that need more than one of its rows, or the students sheet.

Each row is one group (подгруппа) of a class in a subject: `class`, `subject`, `subgroup` (its name,
«1», «2» or a word) and `students` (the pupils' ids). Its cells are read in services.school_import.validation.
A pupil is in one group of a class–subject, a group's pupils are pupils of its class, and a class–subject
that is split places every pupil of the class: a pupil in no group would be on no group's journal page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from services.school_import.cells import RowReader, split_list

if TYPE_CHECKING:
    from services.school_import.rows import StudentRow

NO_PUPILS = "a group needs at least one pupil"


def pupil_ids(value: str) -> tuple[str, ...]:
    """'s1, s2' → ('s1', 's2'); a cell of commas alone is as empty as a blank one."""
    ids = split_list(value)
    if not ids:
        raise ValueError(NO_PUPILS)
    return ids


class GroupPlacement:
    """Places each row's pupils in their groups as the rows are read; says where a pupil is misplaced."""

    def __init__(self, students: Iterable[StudentRow]) -> None:
        self._class_of = {student.external_id: student.class_name for student in students}
        # (class, subject) → pupil → (their group, its row)
        self._placed: dict[tuple[str, str], dict[str, tuple[str, int]]] = defaultdict(dict)
        self._first_rows: dict[tuple[str, str], RowReader] = {}

    def place(self, row: RowReader, class_name: str, subject: str, subgroup: str, members: Iterable[str]) -> None:
        """The group's pupils, their ids already checked against the students sheet."""
        known = [member for member in members if member in self._class_of]  # unknown ids are reported already
        others = [member for member in known if self._class_of[member] != class_name]
        if others:
            row.fail(
                "students",
                f"not pupils of {class_name} in the students sheet: "
                + ", ".join(f"{member!r} ({self._class_of[member]})" for member in others),
            )
        placed = self._placed[(class_name, subject)]
        ours = [member for member in known if member not in others]
        twice = [member for member in ours if member in placed]
        if twice:
            row.fail(
                "students",
                "already in another group of this subject: "
                + ", ".join(f"{member!r} (group {placed[member][0]}, row {placed[member][1]})" for member in twice),
            )
        for member in ours:
            placed.setdefault(member, (subgroup, row.number))
        self._first_rows.setdefault((class_name, subject), row)

    def check_everyone_placed(self) -> None:
        """Each split class–subject, on its first row: the pupils of the class in none of its groups."""
        for (class_name, subject), placed in self._placed.items():
            unplaced = [
                student
                for student, class_of in self._class_of.items()
                if class_of == class_name and student not in placed
            ]
            if unplaced:
                self._first_rows[(class_name, subject)].fail(
                    "students",
                    f"pupils of {class_name} in no group of this subject: "
                    + ", ".join(repr(student) for student in unplaced),
                )

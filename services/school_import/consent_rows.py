"""The optional `consents` sheet: personal-data consents signed on paper (regulation 3.2), read cell by cell.

Columns `student`, `parent`, `given`, `date`, `document?`. `parent` is a parent's id, or the pupil's
own id (or `self`, `сам`) for the pupil's own consent from 14. References are to the file's own
students and parents sheets; the rules against the journal are checked in services.school_import.consents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.consent_rules import MAX_DOCUMENT_LENGTH, SELF_WORDS, Statement, parse_given
from services.school_import.cells import RowReader, parse_date

if TYPE_CHECKING:
    from services.school_import.rows import ParentRow, StudentRow

SHEET = "consents"


@dataclass(frozen=True)
class ConsentRow:
    row: int
    student: str  # the pupil's id
    parent: str | None  # the parent's id; None: the pupil's own consent
    statement: Statement


def _given(value: str) -> bool:
    given = parse_given(value)
    if given is None:
        raise ValueError(f"not yes or no: {value!r} (да/нет, given/withdrawn)")
    return given


def read_consent_rows(
    rows: Iterable[RowReader], students: list[StudentRow], parents: list[ParentRow]
) -> list[ConsentRow]:
    """Each row's cells and references to the file's pupils and their parents; repeats are problems."""
    known = {student.external_id for student in students}
    children = {parent.external_id: set(parent.children) for parent in parents}
    seen: dict[object, int] = {}
    found = []
    for row in rows:
        student = row.text("student", 64)
        if student and student not in known:
            row.fail("student", f"unknown student id {student!r}")
        parent = row.text("parent", 64)
        if parent and (parent.casefold() in SELF_WORDS or parent == student):
            parent = None  # the pupil's own
        elif parent and parent not in children:
            row.fail("parent", f"unknown parent id {parent!r}")
        elif parent and student in known and student not in children[parent]:
            row.fail("parent", f"{parent!r} is not a parent of {student!r} in the parents sheet")
        given = row.parsed("given", _given)
        signed_on = row.parsed("date", parse_date)
        document = row.text("document", MAX_DOCUMENT_LENGTH, required=False) or ""
        if row.ok:
            found.append(ConsentRow(row.number, student, parent, Statement(given, signed_on, document)))
            row.unique("date", (student, parent, given, signed_on), seen)
    return found

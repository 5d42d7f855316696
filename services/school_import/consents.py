"""The `consents` sheet against the journal (regulation 3.2); its cells are read in consent_rows.

The rules that depend on what the journal already holds (services.consent_rules) are checked before
anything of the import is written, so a bad row leaves the whole import unwritten. A row that repeats
a statement already recorded changes nothing, so the same file imports twice without effect.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditAction, Consent, Parent, PersonKind, Student
from models.writing import begin_writing
from services.actor import ANONYMOUS
from services.audit import record_changes
from services.consent_rules import Refusal, Signer, Statement, refusal
from services.consent_views import consent_history
from services.consents import CONSENTS_LOCK, statement_state
from services.school_import.consent_rows import SHEET, ConsentRow
from services.school_import.report import ChangeCounts, ImportProblem

if TYPE_CHECKING:
    from services.school_import.rows import StudentRow

IMPORT_REASON = "import"

# The import speaks English like the rest of its report; the chat words the same rules in Fluent.
REASONS = {
    Refusal.FUTURE: ("date", "in the future: a consent is recorded once it is signed"),
    Refusal.AGE_UNKNOWN: ("parent", "the pupil's own consent needs their birth_date in the students sheet"),
    Refusal.TOO_YOUNG: ("parent", "the pupil is under 14 on that date: a parent signs for them"),
    Refusal.BEFORE_LATEST: ("date", "dated before a statement of this person for this pupil already in the journal"),
    Refusal.NOTHING_TO_WITHDRAW: ("given", "withdrawn, but no consent of this person for this pupil stands"),
}


class ConsentImport:
    """Checks the sheet's statements against the journal, then writes the new ones after the school."""

    def __init__(
        self, session: AsyncSession, rows: list[ConsentRow], students: list[StudentRow], *, today: dt.date
    ) -> None:
        self._session = session
        self._rows = rows
        self._birth_dates = {student.external_id: student.birth_date for student in students}
        self._today = today
        self._new: list[ConsentRow] = []
        self._unchanged = 0

    async def check(self) -> list[ImportProblem]:
        """The rows that break a rule, after the statements already recorded; nothing is written."""
        if not self._rows:
            return []
        await begin_writing(self._session, CONSENTS_LOCK)
        recorded = await self._recorded()
        problems = []
        for pair, rows in self._by_pair().items():
            history = list(recorded.get(pair, []))
            for row in sorted(rows, key=lambda r: (r.statement.signed_on, r.row)):
                if row.statement in history:
                    self._unchanged += 1
                    continue
                problem = refusal(
                    history[-1] if history else None,
                    row.statement,
                    today=self._today,
                    own=row.parent is None,
                    birth_date=self._birth_dates.get(row.student),
                )
                if problem is not None:
                    column, reason = REASONS[problem]
                    problems.append(ImportProblem(SHEET, row.row, column, reason))
                    continue
                history.append(row.statement)
                self._new.append(row)
        return sorted(problems, key=lambda problem: problem.row or 0)

    async def write(self, counts: ChangeCounts) -> None:
        """After the school is written: the pupils and parents the rows name all exist."""
        counts.unchanged[SHEET] += self._unchanged
        if not self._new:
            return
        students = await self._ids(Student, {row.student for row in self._new})
        parents = await self._ids(Parent, {row.parent for row in self._new if row.parent is not None})
        added = []
        for row in self._new:
            signer = self._signer(row, students, parents)
            consent = Consent(
                student_id=students[row.student],
                person_kind=signer.kind.value,
                person_id=signer.person_id,
                given=row.statement.given,
                signed_on=row.statement.signed_on,
                document=row.statement.document,
            )
            added.append((signer, consent))
        self._session.add_all([consent for _, consent in added])
        await self._session.flush()
        await record_changes(
            self._session,
            ANONYMOUS,
            [
                {
                    "entity": "consent",
                    "entity_id": consent.id,
                    "action": AuditAction.CREATE.value,
                    "before": None,
                    "after": statement_state(signer, row.statement),
                    "student_id": consent.student_id,
                    "reason": IMPORT_REASON,
                }
                for (signer, consent), row in zip(added, self._new)
            ],
        )
        counts.created[SHEET] += len(added)

    def _by_pair(self) -> dict[tuple[str, str | None], list[ConsentRow]]:
        pairs: dict[tuple[str, str | None], list[ConsentRow]] = defaultdict(list)
        for row in self._rows:
            pairs[(row.student, row.parent)].append(row)
        return pairs

    async def _recorded(self) -> dict[tuple[str, str | None], list[Statement]]:
        """The journal's statements about the sheet's pupils, by the file's ids (pupils new to it have none)."""
        students = await self._ids(Student, {row.student for row in self._rows})
        parents = {
            person_id: external_id
            for external_id, person_id in (
                await self._ids(Parent, {row.parent for row in self._rows if row.parent is not None})
            ).items()
        }
        by_id = {person_id: external_id for external_id, person_id in students.items()}
        recorded: dict[tuple[str, str | None], list[Statement]] = {}
        for (student_id, signer), history in (await consent_history(self._session, list(by_id), dt.date.max)).items():
            if signer.kind == PersonKind.STUDENT:
                recorded[(by_id[student_id], None)] = history
            elif signer.person_id in parents:
                recorded[(by_id[student_id], parents[signer.person_id])] = history
        return recorded

    async def _ids(self, model: type[Student] | type[Parent], external_ids: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(external_ids)):
            found.update(
                (
                    await self._session.execute(select(model.external_id, model.id).where(model.external_id.in_(chunk)))
                ).all()
            )
        return found

    @staticmethod
    def _signer(row: ConsentRow, students: dict[str, int], parents: dict[str, int]) -> Signer:
        if row.parent is None:
            return Signer(PersonKind.STUDENT, students[row.student])
        return Signer(PersonKind.PARENT, parents[row.parent])


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    """IN lists of a bounded length: SQLite caps a statement's parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]

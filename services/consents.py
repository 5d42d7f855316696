"""Recording personal-data consents (regulation 3.2): the class teacher of the pupil's class writes
each statement a parent (or the pupil from 14) signed — a consent or its withdrawal — with its date
and document number. Nothing is changed or deleted; every statement is audited with what stood before.

The administration reads consents (services.consent_views) but does not record them: the class teacher
collects the papers (regulation 3.2). The school import records them from its `consents` sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditAction, Consent, Parent, ParentStudent, PersonKind, Student
from models.writing import begin_writing
from services.actor import Actor
from services.audit import record_change
from services.consent_rules import MAX_DOCUMENT_LENGTH, SELF_WORDS, Refusal, Signer, Statement, refusal
from services.consent_views import consent_history
from services.errors import AccessDenied, NotFound, ValidationFailed

# One name for every consent writer (the chat and the import): consents are written rarely, and one
# lock keeps "read the latest statement, then add the next one" right for any pair at once.
CONSENTS_LOCK = "consents"


@dataclass(frozen=True)
class Recorded:
    student: Student
    signer_name: str
    own: bool
    statement: Statement
    before: Statement | None
    changed: bool  # False: the very same statement was already recorded; nothing written


def ensure_records_consents(actor: Actor, class_id: int | None) -> None:
    """Only the class teacher of the pupil's class records consents; the administration reads them."""
    if class_id is None or class_id not in actor.homeroom_class_ids:
        raise AccessDenied("consent-class-teacher-only")


async def find_signer(session: AsyncSession, student: Student, word: str) -> Signer:
    """The signer a typed word names: a parent by id, or the pupil themself (`сам`, `self`, their own id)."""
    if word.casefold() in SELF_WORDS or word == student.external_id:
        return Signer(PersonKind.STUDENT, student.id)
    parent_id = await session.scalar(select(Parent.id).where(Parent.external_id == word))
    if parent_id is None:
        raise NotFound("consent-unknown-parent", id=word, pupil=student.external_id)
    return Signer(PersonKind.PARENT, parent_id)


async def _signer_name(session: AsyncSession, student: Student, signer: Signer) -> str:
    """Whose signature it is; a parent must be the pupil's parent in the journal (a forged button too)."""
    if signer.kind == PersonKind.STUDENT and signer.person_id == student.id:
        return student.full_name
    parent = await session.get(Parent, signer.person_id) if signer.kind == PersonKind.PARENT else None
    linked = parent is not None and await session.scalar(
        select(exists().where(ParentStudent.parent_id == parent.id, ParentStudent.student_id == student.id))
    )
    if not linked:
        raise ValidationFailed(
            "consent-not-their-parent",
            parent=parent.full_name if parent else "?",
            pupil=student.full_name,
            id=student.external_id,
        )
    return parent.full_name


async def record_consent(
    session: AsyncSession, actor: Actor, *, student_id: int, signer: Signer, statement: Statement, today: dt.date
) -> Recorded:
    """One signed statement about one pupil. Refused, with nothing written, when it breaks a rule."""
    student = await session.get(Student, student_id)
    if student is None:
        raise NotFound("error-student-not-found")
    ensure_records_consents(actor, student.class_id)
    if len(statement.document) > MAX_DOCUMENT_LENGTH:
        raise ValidationFailed("consent-document-too-long", limit=MAX_DOCUMENT_LENGTH)
    signer_name = await _signer_name(session, student, signer)
    await begin_writing(session, CONSENTS_LOCK)
    history = (await consent_history(session, [student.id], dt.date.max)).get((student.id, signer), [])
    before = history[-1] if history else None
    own = signer.kind == PersonKind.STUDENT
    if statement in history:
        return Recorded(student, signer_name, own, statement, before, changed=False)
    problem = refusal(before, statement, today=today, own=own, birth_date=student.birth_date)
    if problem is not None:
        raise ValidationFailed(f"consent-refused-{problem.value}", **_refusal_args(problem, student, before, statement))
    row = Consent(
        student_id=student.id,
        person_kind=signer.kind.value,
        person_id=signer.person_id,
        given=statement.given,
        signed_on=statement.signed_on,
        document=statement.document,
        recorded_by_staff_id=actor.staff_id,
    )
    session.add(row)
    await session.flush()
    record_change(
        session,
        actor,
        entity="consent",
        entity_id=row.id,
        action=AuditAction.CREATE,
        before=statement_state(signer, before),
        after=statement_state(signer, statement),
        student_id=student.id,
    )
    return Recorded(student, signer_name, own, statement, before, changed=True)


def statement_state(signer: Signer, statement: Statement | None) -> dict[str, Any] | None:
    """A statement as the audit trail keeps it."""
    if statement is None:
        return None
    return {
        "signer": signer.kind.value,
        "person_id": signer.person_id,
        "given": statement.given,
        "signed_on": statement.signed_on.isoformat(),
        "document": statement.document,
    }


def _refusal_args(problem: Refusal, student: Student, before: Statement | None, statement: Statement) -> dict[str, Any]:
    args: dict[str, Any] = {
        "date": statement.signed_on.strftime("%d.%m.%Y"),
        "name": student.full_name,
        "id": student.external_id,
    }
    if before is not None:
        args["latest"] = before.signed_on.strftime("%d.%m.%Y")
    return args

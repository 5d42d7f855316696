"""Reading personal-data consents (regulation 3.2): a pupil's card, who is missing in a class, the
school's totals, and the gaps the weekly missing-data report lists.

A pupil's set of documents is complete when the pupil has a parent in the journal, every parent's
consent stands, and from 14 the pupil's own consent stands too (services.consent_rules).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Consent, Parent, ParentStudent, PersonKind, SchoolClass, Student
from services.access import ensure_school_reader
from services.actor import Actor
from services.consent_rules import Signer, Statement, signers_needed, stands
from services.errors import NotFound
from services.homeroom.classes import class_by_id, ensure_reads_class
from services.roster import roster_on
from services.school_years import in_current_year

History = dict[tuple[int, Signer], list[Statement]]  # (pupil id, signer) → statements, oldest first


@dataclass(frozen=True)
class SignerConsent:
    signer: Signer
    full_name: str
    external_id: str
    history: tuple[Statement, ...]  # oldest first

    @property
    def latest(self) -> Statement | None:
        return self.history[-1] if self.history else None

    @property
    def stands(self) -> bool:
        return stands(self.history)

    @property
    def own(self) -> bool:
        return self.signer.kind == PersonKind.STUDENT


@dataclass(frozen=True)
class PupilConsents:
    student_id: int
    number: int | None  # № in the class list; None outside a class view
    full_name: str
    external_id: str
    class_id: int | None
    signers: tuple[SignerConsent, ...]  # parents, then the pupil from 14

    @property
    def no_parent(self) -> bool:
        return not any(not s.own for s in self.signers)

    @property
    def missing(self) -> tuple[SignerConsent, ...]:
        return tuple(s for s in self.signers if not s.stands)

    @property
    def complete(self) -> bool:
        return not self.no_parent and not self.missing


@dataclass(frozen=True)
class ClassConsents:
    class_id: int
    class_name: str
    day: dt.date
    pupils: tuple[PupilConsents, ...]  # by №

    @property
    def complete(self) -> int:
        return sum(pupil.complete for pupil in self.pupils)


@dataclass(frozen=True)
class ClassTotals:
    class_name: str
    pupils: int
    complete: int
    missing: int  # consents that do not stand (never given or withdrawn), counted per signer and pupil
    withdrawn: int  # of them, withdrawn
    no_parent: int  # pupils with no parent in the journal


# --- the history -----------------------------------------------------------------------------


async def consent_history(session: AsyncSession, student_ids: Collection[int] | None, day: dt.date) -> History:
    """Every statement signed by `day` about these pupils (None: the whole school), oldest first."""
    query = (
        select(
            Consent.student_id,
            Consent.person_kind,
            Consent.person_id,
            Consent.given,
            Consent.signed_on,
            Consent.document,
        )
        .where(Consent.signed_on <= day)
        .order_by(Consent.signed_on, Consent.id)
    )
    if student_ids is not None:
        query = query.where(Consent.student_id.in_(student_ids))
    history: History = defaultdict(list)
    for student_id, kind, person_id, given, signed_on, document in await session.execute(query):
        history[(student_id, Signer(PersonKind(kind), person_id))].append(Statement(given, signed_on, document))
    return history


async def _families(session: AsyncSession, student_ids: Collection[int] | None) -> dict[int, list[Parent]]:
    query = select(ParentStudent.student_id, Parent).join(Parent, Parent.id == ParentStudent.parent_id)
    if student_ids is not None:
        query = query.where(ParentStudent.student_id.in_(student_ids))
    families: dict[int, list[Parent]] = defaultdict(list)
    for student_id, parent in await session.execute(query):
        families[student_id].append(parent)
    for parents in families.values():  # as a person reads the list, whatever the database's collation
        parents.sort(key=lambda parent: (parent.full_name.casefold(), parent.id))
    return families


def _pupil(
    student: Student, number: int | None, parents: list[Parent], history: History, day: dt.date
) -> PupilConsents:
    names = {Signer(PersonKind.PARENT, p.id): (p.full_name, p.external_id) for p in parents}
    names[Signer(PersonKind.STUDENT, student.id)] = (student.full_name, student.external_id)
    signers = tuple(
        SignerConsent(signer, *names[signer], tuple(history.get((student.id, signer), ())))
        for signer in signers_needed(student.id, [p.id for p in parents], student.birth_date, day)
    )
    return PupilConsents(student.id, number, student.full_name, student.external_id, student.class_id, signers)


# --- what the chat shows ---------------------------------------------------------------------


async def class_consents(session: AsyncSession, actor: Actor, class_id: int, day: dt.date) -> ClassConsents:
    """Every pupil of the class on `day` with the consents their set needs (class teacher, administration)."""
    ensure_reads_class(actor, class_id)
    school_class = await class_by_id(session, class_id)
    roster = await roster_on(session, class_id, day)
    ids = [entry.student.id for entry in roster]
    families, history = await _families(session, ids), await consent_history(session, ids, day)
    return ClassConsents(
        class_id,
        school_class.name,
        day,
        tuple(
            _pupil(entry.student, entry.number, families.get(entry.student.id, []), history, day) for entry in roster
        ),
    )


async def pupil_consents(session: AsyncSession, actor: Actor, student_id: int, day: dt.date) -> PupilConsents:
    """One pupil's card: each signer with their statements, oldest first."""
    student = await session.get(Student, student_id)
    if student is None:
        raise NotFound("error-student-not-found")
    if student.class_id is None:
        raise NotFound("consent-not-in-a-class", name=student.full_name)
    ensure_reads_class(actor, student.class_id)
    families, history = await _families(session, [student_id]), await consent_history(session, [student_id], day)
    return _pupil(student, None, families.get(student_id, []), history, day)


async def school_totals(session: AsyncSession, actor: Actor, day: dt.date) -> list[ClassTotals]:
    """Per class, in order of grade: pupils, complete sets, consents missing (deputy, director, admin)."""
    ensure_school_reader(actor)
    classes = list(
        await session.scalars(
            select(SchoolClass).where(in_current_year()).order_by(SchoolClass.grade, SchoolClass.name)
        )
    )
    families, history = await _families(session, None), await consent_history(session, None, day)
    totals = []
    for school_class in classes:
        pupils = [
            _pupil(entry.student, entry.number, families.get(entry.student.id, []), history, day)
            for entry in await roster_on(session, school_class.id, day)
        ]
        missing = [signer for pupil in pupils for signer in pupil.missing]
        totals.append(
            ClassTotals(
                school_class.name,
                len(pupils),
                sum(p.complete for p in pupils),
                len(missing),
                sum(1 for signer in missing if signer.latest is not None),
                sum(p.no_parent for p in pupils),
            )
        )
    return totals


# --- what the weekly report reads ------------------------------------------------------------


async def pupils_without_consent(
    session: AsyncSession, parents: Mapping[int, list[int]], student_ids: Collection[int], day: dt.date
) -> set[int]:
    """Of `student_ids` (with their parents' ids), those whose set of consents is not complete on `day`."""
    birth_dates = dict((await session.execute(select(Student.id, Student.birth_date))).all())
    history = await consent_history(session, None, day)
    lacking = set()
    for student_id in student_ids:
        own = parents.get(student_id, [])
        needed = signers_needed(student_id, own, birth_dates.get(student_id), day)
        if not own or not all(stands(history.get((student_id, signer), [])) for signer in needed):
            lacking.add(student_id)
    return lacking

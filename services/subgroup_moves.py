"""Putting pupils into groups (подгруппы) and moving them between groups, each from a date.

A pupil's group in a split class–subject is their models.SubgroupMember row with the latest `since`
not after the date (services.subgroups). A placement or a move only ever adds a row from its date,
so the lessons before it stay the earlier group's pages, with the marks and absences given there:
marks belong to lessons, and nothing here touches them.

The class teacher of the pupil's class, or the administrator, places a pupil who joined a class
with groups (`place_in_group`: from the day they joined it) and moves one between groups from a date
(`move_to_group`). Each write is audited and first takes the pupil's lock for the subject, so two taps
or two class teachers at the same moment take turns: the second reads the first's row and is refused.
The unique key (class, subject, pupil, since) stands behind that for a writer the lock can't see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditAction, SchoolClass, Student, SubgroupMember, utcnow
from models.writing import begin_writing, upsert
from services import movement
from services.actor import Actor
from services.audit import record_change
from services.errors import Listing, ValidationFailed
from services.homeroom.classes import ensure_reads_class
from services.roster import roster_on
from services.school_reference import SchoolReference, school_reference
from services.subgroups import groups_on

AUDIT_ENTITY = "subgroup"


@dataclass(frozen=True)
class SplitSubject:
    """A subject a class is split in, with its groups in order."""

    subject_id: int
    name: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class GroupChange:
    """A group change as written: a first placement has no `from_group`."""

    full_name: str
    external_id: str
    subject: str
    from_group: str | None
    to_group: str
    since: dt.date


@dataclass(frozen=True)
class SubjectGroups:
    """Who is in which group of one split subject on a day, by full name in the class list's order."""

    subject: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    unplaced: tuple[str, ...]


def split_subjects(reference: SchoolReference, class_id: int) -> list[SplitSubject]:
    return [
        SplitSubject(subject.id, subject.name, groups)
        for subject in reference.subjects
        if (groups := reference.groups(class_id, subject.id))
    ]


async def unplaced_subjects(session: AsyncSession, student_id: int) -> list[SplitSubject]:
    """The split subjects of the pupil's class they were never placed in: until then they are in no group.

    No access check: it tells only the school's subject names, to whoever has just enrolled or moved
    the pupil; placing them is for the class teacher of their new class (move_to_group checks).
    """
    class_id = (await session.get_one(Student, student_id)).class_id
    if class_id is None:
        return []
    placed = set(
        await session.scalars(
            select(SubgroupMember.subject_id).where(
                SubgroupMember.student_id == student_id, SubgroupMember.class_id == class_id
            )
        )
    )
    return [
        subject
        for subject in split_subjects(await school_reference(session), class_id)
        if subject.subject_id not in placed
    ]


async def place_in_group(
    session: AsyncSession, actor: Actor, *, student_id: int, subject_id: int, subgroup: str, today: dt.date
) -> GroupChange:
    """A pupil who joined a class with groups, into one of them from the day they joined the class."""
    # (A pupil with no recorded movement at all, from before movements were kept: from today.)
    joined = await movement.last_move_date(session, student_id) or today
    return await move_to_group(
        session, actor, student_id=student_id, subject_id=subject_id, subgroup=subgroup, since=joined, today=today
    )


async def move_to_group(
    session: AsyncSession,
    actor: Actor,
    *,
    student_id: int,
    subject_id: int,
    subgroup: str,
    since: dt.date,
    today: dt.date,
) -> GroupChange:
    """Into `subgroup` of the subject from `since` on (a new row: the group before it keeps its lessons)."""
    student, school_class = await movement.studying_student(session, actor, student_id)
    reference = await school_reference(session)
    subject = _split_subject(reference, school_class, subject_id)
    subgroup = _known_group(subject, school_class, subgroup)
    await _check_date(session, reference, student, school_class, since, today)
    await begin_writing(session, _membership_lock(school_class.id, subject_id, student.id))
    history = list(
        await session.scalars(
            select(SubgroupMember)
            .where(
                SubgroupMember.class_id == school_class.id,
                SubgroupMember.subject_id == subject_id,
                SubgroupMember.student_id == student.id,
            )
            .order_by(SubgroupMember.since, SubgroupMember.id)
        )
    )
    before = _check_change(history, student, subject, subgroup, since)
    row_id = await session.scalar(
        upsert(session, SubgroupMember)
        .values(
            class_id=school_class.id,
            subject_id=subject_id,
            student_id=student.id,
            subgroup=subgroup,
            since=since,
            created_by_staff_id=actor.staff_id,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(
            index_elements=[
                SubgroupMember.class_id,
                SubgroupMember.subject_id,
                SubgroupMember.student_id,
                SubgroupMember.since,
            ]
        )
        .returning(SubgroupMember.id)
    )
    if row_id is None:
        raise ValidationFailed("subgroup-changed-meanwhile", name=student.full_name, subject=subject.name)
    record_change(
        session,
        actor,
        entity=AUDIT_ENTITY,
        entity_id=row_id,
        action=AuditAction.CREATE,
        before=_audited(school_class, subject, before.subgroup, before.since) if before else None,
        after=_audited(school_class, subject, subgroup, since),
        student_id=student.id,
    )
    return GroupChange(
        student.full_name, student.external_id, subject.name, before.subgroup if before else None, subgroup, since
    )


async def class_groups(session: AsyncSession, actor: Actor, class_id: int, day: dt.date) -> list[SubjectGroups]:
    """Each split subject of the class: its groups' pupils on `day`, and who is in none yet."""
    ensure_reads_class(actor, class_id)
    roster = await roster_on(session, class_id, day)
    listing = []
    for subject in split_subjects(await school_reference(session), class_id):
        placed = await groups_on(session, class_id, subject.subject_id, day)
        # The subject's groups first, even empty; a group no longer in the timetable after them, not hidden.
        members: dict[str | None, list[str]] = {group: [] for group in subject.groups}
        for entry in roster:
            members.setdefault(placed.get(entry.student.id), []).append(entry.student.full_name)
        unplaced = members.pop(None, [])
        listing.append(
            SubjectGroups(
                subject.name, tuple((group, tuple(names)) for group, names in members.items()), tuple(unplaced)
            )
        )
    return listing


# --- checks -------------------------------------------------------------------------------------


def _split_subject(reference: SchoolReference, school_class: SchoolClass, subject_id: int) -> SplitSubject:
    subject = reference.subject(subject_id)
    groups = reference.groups(school_class.id, subject_id)
    if subject is None or not groups:
        raise ValidationFailed(
            "subgroup-not-split", cls=school_class.name, subject=subject.name if subject else str(subject_id)
        )
    return SplitSubject(subject.id, subject.name, groups)


def _known_group(subject: SplitSubject, school_class: SchoolClass, typed: str) -> str:
    """The group as the school names it («Девочки» for «девочки»)."""
    found = next((group for group in subject.groups if group.casefold() == typed.strip().casefold()), None)
    if found is None:
        raise ValidationFailed(
            "subgroup-unknown-group",
            group=typed,
            subject=subject.name,
            cls=school_class.name,
            groups=Listing(", ".join(subject.groups)),
        )
    return found


async def _check_date(
    session: AsyncSession,
    reference: SchoolReference,
    student: Student,
    school_class: SchoolClass,
    since: dt.date,
    today: dt.date,
) -> None:
    if since > today:
        raise ValidationFailed("subgroup-future-date", date=_shown(since))
    if not reference.day(since).in_year:
        raise ValidationFailed("subgroup-outside-year", date=_shown(since))
    joined = await movement.last_move_date(session, student.id)
    if joined is not None and since < joined:
        raise ValidationFailed(
            "subgroup-before-joining", name=student.full_name, cls=school_class.name, date=_shown(joined)
        )


def _check_change(
    history: list[SubgroupMember], student: Student, subject: SplitSubject, subgroup: str, since: dt.date
) -> SubgroupMember | None:
    """The pupil's last group row (None: never in a group), which the change may follow.

    Dated changes are told in order: a new one comes after the last, never between or on the same day.
    """
    last = history[-1] if history else None
    if last is None:
        return None
    if last.subgroup == subgroup and since >= last.since:  # a second tap of the same button, too
        raise ValidationFailed(
            "subgroup-same-group", name=student.full_name, subject=subject.name, group=subgroup, date=_shown(last.since)
        )
    if since <= last.since:
        raise ValidationFailed(
            "subgroup-before-last-change",
            name=student.full_name,
            subject=subject.name,
            group=last.subgroup,
            date=_shown(last.since),
        )
    return last


def _membership_lock(class_id: int, subject_id: int, student_id: int) -> str:
    return f"subgroup:{class_id}:{subject_id}:{student_id}"


def _audited(school_class: SchoolClass, subject: SplitSubject, subgroup: str, since: dt.date) -> dict[str, object]:
    """A pupil's group as the audit trail keeps it."""
    return {
        "class_id": school_class.id,
        "subject_id": subject.subject_id,
        "subgroup": subgroup,
        "since": since.isoformat(),
    }


def _shown(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")

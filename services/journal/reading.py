"""A lesson as its teacher sees it, the class list with its marks and attendance, and the history of one
student's entries in it. Whoever may write the lesson may read it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditAction, LessonChangeKind, Staff
from services.actor import Actor
from services.audit import history_of
from services.journal.model import HistoryLine, LessonKey, LessonRow, LessonView
from services.journal.rules import chosen_work_type, class_and_subject, may_write
from services.journal_rows import NO_ROWS, lesson_rows
from services.lessons import LessonSlot, find_slot, lesson_group, next_slot
from services.marking import lesson_rule
from services.school_reference import SchoolReference, school_reference
from services.subgroups import group_label, lesson_roster
from services.timetable_day import no_such_lesson


async def lesson_view(session: AsyncSession, actor: Actor, key: LessonKey) -> LessonView:
    """The class list as in the paper journal (a group's own list, for a group's lesson) with this
    lesson's marks and attendance."""
    reference = await school_reference(session)
    school_class, subject = class_and_subject(reference, key.class_id, key.subject_id)
    slot = await _viewed_slot(session, reference, actor, key)
    await may_write(session, actor, school_class, subject, slot)
    if slot is None:
        raise await no_such_lesson(session, reference, school_class, subject, key.date, key.lesson_no)
    lesson = slot.lesson
    roster = await lesson_roster(session, key.class_id, key.subject_id, slot.subgroup, key.date)
    entries = await lesson_rows(session, slot, [entry.student.id for entry in roster]) if lesson else NO_ROWS
    work_type = chosen_work_type(reference, None, lesson)
    homework_to = (
        None
        if school_class.attendance_only
        else await next_slot(session, key.class_id, key.subject_id, key.date, subgroup=slot.subgroup)
    )
    bell = reference.bells.get(slot.lesson_no)
    rows = [
        LessonRow(
            number=entry.number,
            student_id=entry.student.id,
            name=entry.student.full_name,
            marks=entries.marks_text(entry.student.id),
            code=entries.code(entry.student.id),
            explanation=entries.explanation(entry.student.id),
        )
        for entry in roster
    ]
    return LessonView(
        key=LessonKey(key.class_id, key.subject_id, key.date, slot.lesson_no, slot.subgroup),
        class_name=school_class.name,
        subject=group_label(subject.name, slot.subgroup),
        attendance_only=school_class.attendance_only,
        starts=bell.start if bell else None,
        ends=bell.end if bell else None,
        topic=lesson.topic if lesson else "",
        work_type_id=work_type.id,
        work_type=work_type.name,
        attendance_taken=bool(lesson and lesson.attendance_taken),
        homework_to=homework_to,
        homework=homework_to.lesson.homework if homework_to and homework_to.lesson else "",
        rows=tuple(rows),
        lowest_mark=reference.lowest_mark,
        removable=slot.change == LessonChangeKind.EXTRA or not slot.in_timetable,
        no_marks=lesson_rule(reference, key.class_id, key.subject_id, key.date) is not None,
    )


async def _viewed_slot(
    session: AsyncSession, reference: SchoolReference, actor: Actor, key: LessonKey
) -> LessonSlot | None:
    group = (
        key.subgroup
        if key.subgroup is not None
        else await lesson_group(
            session, reference, actor.staff_id, key.class_id, key.subject_id, key.date, key.lesson_no, None
        )
    )
    return await find_slot(session, key.class_id, key.subject_id, key.date, key.lesson_no, group)


async def student_history(session: AsyncSession, actor: Actor, key: LessonKey, student_id: int) -> list[HistoryLine]:
    """Every change to the student's marks and attendance in this lesson, oldest first."""
    reference = await school_reference(session)
    school_class, subject = class_and_subject(reference, key.class_id, key.subject_id)
    slot = await _viewed_slot(session, reference, actor, key)
    await may_write(session, actor, school_class, subject, slot)
    if slot is None or slot.lesson is None:
        return []
    entries = await history_of(session, student_id=student_id, lesson_id=slot.lesson.id)
    staff_ids = {entry.actor_staff_id for entry in entries if entry.actor_staff_id is not None}
    names = (
        {staff.id: staff.full_name for staff in await session.scalars(select(Staff).where(Staff.id.in_(staff_ids)))}
        if staff_ids
        else {}
    )
    return [
        HistoryLine(
            at=entry.at,
            who=names.get(entry.actor_staff_id or 0, ""),
            entity=entry.entity,
            action=AuditAction(entry.action),
            before=entry.before,
            after=entry.after,
            reason=entry.reason,
        )
        for entry in entries
    ]

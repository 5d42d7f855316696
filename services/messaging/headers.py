"""Who a relayed message is from, as the recipient reads it: the writer's name, the role they write in
and the pupil (or class) it is about. Never a Telegram identity.

MessageHeader.role names the wording (bot.outbound.render): for a family's thread `homeroom`, `teacher`,
`deputy`, `director`, `school` (about the pupil) or `parent`; `pupil` for a pupil writing; and
`to-pupil/<role>`, `to-class/<role>`, `staff/<role>` for a staff member writing to a pupil, to a
class's parents or to a colleague.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ConversationKind, Parent, ParentStudent, SchoolClass, Subject, TeachingAssignment
from services.actor import Actor
from services.messaging.directions import staff_role, student_by_id
from services.notices import MessageHeader
from services.school_reference import school_reference

# The thread's kind → the prefix of a staff member's role in it (a family's thread has none).
STAFF_PREFIX = {
    ConversationKind.FAMILY: "",
    ConversationKind.PUPIL: "to-pupil/",
    ConversationKind.CLASS: "to-class/",
    ConversationKind.STAFF: "staff/",
}


def icon(reply: bool) -> str:
    return "↩️" if reply else "✉️"


async def staff_header(
    session: AsyncSession,
    staff_id: int,
    kind: ConversationKind,
    *,
    student_id: int | None = None,
    class_id: int | None = None,
    reply: bool = False,
) -> MessageHeader:
    """A staff member writing: as the class teacher or a teacher (of which subjects) of the pupil's or
    the class's class, else in their own role (deputy, director, else «school»)."""
    reference = await school_reference(session)
    info = reference.staff.get(staff_id)
    header = MessageHeader("", info.full_name if info else "", icon(reply))
    if student_id is not None:
        student = await student_by_id(session, student_id)
        header = replace(header, student=student.full_name)
        class_id = student.class_id
    role = staff_role(info.roles) if info else "teacher"
    role = "school" if role in ("admin", "teacher") and kind != ConversationKind.STAFF else role
    school_class = await session.get(SchoolClass, class_id) if class_id is not None else None
    if school_class is not None and kind != ConversationKind.STAFF:
        header = replace(header, class_name=school_class.name)
        subjects = list(
            await session.scalars(
                select(Subject.name)
                .join(TeachingAssignment, TeachingAssignment.subject_id == Subject.id)
                .where(TeachingAssignment.staff_id == staff_id, TeachingAssignment.class_id == school_class.id)
                .distinct()
                .order_by(Subject.name)
            )
        )
        if school_class.homeroom_teacher_id == staff_id:
            role = "homeroom"
        elif subjects:
            role, header = "teacher", replace(header, subjects=", ".join(subjects))
    return replace(header, role=STAFF_PREFIX[kind] + role)


async def parent_header(session: AsyncSession, actor: Actor, student_id: int, *, reply: bool = False) -> MessageHeader:
    parent_name = await session.scalar(
        select(Parent.full_name)
        .join(ParentStudent, ParentStudent.parent_id == Parent.id)
        .where(ParentStudent.student_id == student_id, Parent.id.in_(actor.parent_ids))
        .order_by(Parent.id)
        .limit(1)
    )
    student = await student_by_id(session, student_id)
    school_class = await session.get(SchoolClass, student.class_id) if student.class_id else None
    return MessageHeader(
        "parent", parent_name or "", icon(reply), student.full_name, school_class.name if school_class else ""
    )


async def pupil_header(session: AsyncSession, student_id: int, *, reply: bool = False) -> MessageHeader:
    student = await student_by_id(session, student_id)
    school_class = await session.get(SchoolClass, student.class_id) if student.class_id else None
    return MessageHeader(
        "pupil", student.full_name, icon(reply), student.full_name, school_class.name if school_class else ""
    )

"""Fixed class numbers (№ in the class list), kept as in the paper journal.

At the start of the year a class is numbered alphabetically; a student who joins later is written
at the end with the next free number; a student who leaves keeps theirs (nobody else gets it). So
the number a teacher types for a child never changes during the year.

Giving a number reads the class's highest one and writes the next: two enrolments into one class at
once would both read the same highest number. Each writer therefore first takes the class's
numbering lock (models.writing.begin_writing), and the table's unique (class, number) is the last guard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClassNumber
from models.writing import begin_writing


def numbering_lock(class_id: int) -> str:
    return f"class-numbers:{class_id}"


def alphabetical(full_name: str, student_id: int) -> tuple[str, int]:
    """The order of a class list: surname first, as names are written; ё sorts with е."""
    return full_name.casefold().replace("ё", "е"), student_id


async def stored_numbers(session: AsyncSession, class_ids: Iterable[int] | None = None) -> dict[int, dict[int, int]]:
    """Class id → {student id → №}, for the given classes (or all)."""
    query = select(ClassNumber.class_id, ClassNumber.student_id, ClassNumber.number)
    if class_ids is not None:
        query = query.where(ClassNumber.class_id.in_(list(class_ids)))
    numbers: dict[int, dict[int, int]] = {}
    for class_id, student_id, number in await session.execute(query):
        numbers.setdefault(class_id, {})[student_id] = number
    return numbers


def numbered(members: Sequence[tuple[int, str]], stored: dict[int, int]) -> dict[int, int]:
    """Student id → № for a class's (student id, full name) members.

    A member without a stored number (data from before numbers were kept) is listed after the
    highest stored number, alphabetically, so no two students ever share a number.
    """
    numbers = {student_id: stored[student_id] for student_id, _ in members if student_id in stored}
    unnumbered = sorted((m for m in members if m[0] not in stored), key=lambda m: alphabetical(m[1], m[0]))
    last = max(stored.values(), default=0)
    for offset, (student_id, _) in enumerate(unnumbered, start=1):
        numbers[student_id] = last + offset
    return numbers


async def give_numbers(session: AsyncSession, class_id: int, students: Sequence[tuple[int, str]]) -> dict[int, int]:
    """Numbers in the class for these (student id, full name): each keeps the one they had (a student
    coming back), the others get the next free ones at the end, alphabetically among themselves."""
    await begin_writing(session, numbering_lock(class_id))
    stored = (await stored_numbers(session, [class_id])).get(class_id, {})
    newcomers = sorted((s for s in students if s[0] not in stored), key=lambda s: alphabetical(s[1], s[0]))
    last = await session.scalar(select(func.max(ClassNumber.number)).where(ClassNumber.class_id == class_id)) or 0
    for offset, (student_id, _) in enumerate(newcomers, start=1):
        session.add(ClassNumber(class_id=class_id, student_id=student_id, number=last + offset))
        stored[student_id] = last + offset
    await session.flush()
    return {student_id: stored[student_id] for student_id, _ in students}


async def number_from_scratch(session: AsyncSession, class_id: int, students: Sequence[tuple[int, str]]) -> None:
    """The start of a school year: the class's list numbered alphabetically from 1, last year's numbers gone."""
    await begin_writing(session, numbering_lock(class_id))
    await session.execute(delete(ClassNumber).where(ClassNumber.class_id == class_id))
    ordered = sorted(students, key=lambda s: alphabetical(s[1], s[0]))
    session.add_all(
        ClassNumber(class_id=class_id, student_id=student_id, number=number)
        for number, (student_id, _) in enumerate(ordered, start=1)
    )
    await session.flush()

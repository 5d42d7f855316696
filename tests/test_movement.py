"""Movement of students: enrol, move, leave — dated ClassMove rows, the class list by date, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.i18n import get_translator
from models import ClassMove, Mark, MoveKind, Student, StudentStatus
from services import movement
from services.errors import AccessDenied, NotFound, ValidationFailed
from services.roster import roster_on
from tests import homeroom_data as data
from tests.conftest import SCHOOL_TODAY
from tests.people import actor_for

pytestmark = pytest.mark.usefixtures("school")

TODAY = SCHOOL_TODAY  # 26.11.2026
YEAR_START = dt.date(2026, 9, 1)  # the import enrols every student on the first day of the year


async def moves_of(session_maker, external_id: str) -> list[tuple]:
    async with session_maker() as check:
        student = await data.student(check, external_id)
        names = {cid: name for name in ("1А", "5А", "5Б") for cid in [await data.class_id(check, name)]}
        return [
            (m.kind, names.get(m.from_class_id), names.get(m.to_class_id), m.date, m.created_by_staff_id)
            for m in await movement.history(check, student.id)
        ]


async def roster_ids(session, class_name: str, day: dt.date) -> list[tuple[int, str]]:
    return [
        (e.number, e.student.external_id)
        for e in await roster_on(session, await data.class_id(session, class_name), day)
    ]


async def move_count(session) -> int:
    return await session.scalar(select(func.count()).select_from(ClassMove))


# --- each kind ---------------------------------------------------------------------------------


async def test_move_to_another_class_from_a_date(session, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)
    kirill = await data.student(session, "s3")
    earlier = await data.lesson(session, "5А", "Математика", dt.date(2026, 11, 18), 1)
    old_mark = await data.mark(session, earlier, "s3", 4)
    await session.commit()

    done = await movement.move(
        session,
        teacher,
        student_id=kirill.id,
        to_class_id=await data.class_id(session, "5Б"),
        day=dt.date(2026, 11, 20),
        today=TODAY,
    )
    await session.commit()

    assert (done.kind, done.from_class.name, done.to_class.name, done.day) == (
        MoveKind.MOVE,
        "5А",
        "5Б",
        dt.date(2026, 11, 20),
    )
    assert await moves_of(session_maker, "s3") == [
        (MoveKind.ENROL, None, "5А", YEAR_START, None),
        (MoveKind.MOVE, "5А", "5Б", dt.date(2026, 11, 20), teacher.staff_id),
    ]
    async with session_maker() as check:
        student = await data.student(check, "s3")
        assert (student.class_id, student.status) == (await data.class_id(check, "5Б"), StudentStatus.STUDYING)
        assert (await check.get(Mark, old_mark.id)).student_id == student.id  # old marks stay with the student
        assert (3, "s3") in await roster_ids(check, "5А", dt.date(2026, 11, 19))
        assert "s3" not in {sid for _, sid in await roster_ids(check, "5А", dt.date(2026, 11, 20))}
        assert "s3" not in {sid for _, sid in await roster_ids(check, "5Б", dt.date(2026, 11, 19))}
        # Written at the end of 5Б's list, as in a paper journal: nobody else's number moves.
        assert await roster_ids(check, "5Б", dt.date(2026, 11, 20)) == [
            *[(number, sid) for number, sid in await roster_ids(check, "5Б", dt.date(2026, 11, 19))],
            (9, "s3"),
        ]
        assert done.number == 9


async def test_leaving_the_school(session, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)
    alisa = await data.student(session, "s4")

    done = await movement.leave(session, teacher, student_id=alisa.id, day=TODAY, today=TODAY)
    await session.commit()

    assert (done.kind, done.from_class.name, done.to_class) == (MoveKind.LEAVE, "5А", None)
    assert await moves_of(session_maker, "s4") == [
        (MoveKind.ENROL, None, "5А", YEAR_START, None),
        (MoveKind.LEAVE, "5А", None, TODAY, teacher.staff_id),
    ]
    async with session_maker() as check:
        student = await data.student(check, "s4")
        assert (student.class_id, student.status) == (None, StudentStatus.LEFT)
        assert [sid for _, sid in await roster_ids(check, "5А", TODAY - dt.timedelta(days=1))][3] == "s4"
        # Her number stays hers: the others keep theirs, and №4 is nobody's now.
        assert await roster_ids(check, "5А", TODAY) == [
            (1, "s1"),
            (2, "s2"),
            (3, "s3"),
            (5, "s5"),
            (6, "s6"),
            (7, "s7"),
            (8, "s8"),
        ]
        leavers = [
            (e.number, e.student.external_id, e.left_on)
            for e in await roster_on(check, await data.class_id(check, "5А"), TODAY, with_leavers=True)
            if not e.present
        ]
        assert leavers == [(4, "s4", TODAY)]


async def test_enrolling_a_new_student(session, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)

    done = await movement.enrol(
        session,
        teacher,
        class_id=await data.class_id(session, "5А"),
        external_id="s99",
        full_name="  Петров  Пётр Петрович ",
        day=dt.date(2026, 11, 23),
        today=TODAY,
    )
    await session.commit()

    assert (done.kind, done.to_class.name, done.returning, done.full_name, done.number) == (
        MoveKind.ENROL,
        "5А",
        False,
        "Петров Пётр Петрович",
        9,
    )
    assert await moves_of(session_maker, "s99") == [
        (MoveKind.ENROL, None, "5А", dt.date(2026, 11, 23), teacher.staff_id)
    ]
    async with session_maker() as check:
        student = await data.student(check, "s99")
        assert (student.class_id, student.status) == (await data.class_id(check, "5А"), StudentStatus.STUDYING)
        assert (await roster_ids(check, "5А", dt.date(2026, 11, 23)))[-1] == (9, "s99")


async def test_a_new_student_is_not_in_the_class_before_the_enrolment_date(session, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)
    await movement.enrol(
        session,
        teacher,
        class_id=await data.class_id(session, "5А"),
        external_id="s99",
        full_name="Петров Пётр Петрович",
        day=dt.date(2026, 11, 23),
        today=TODAY,
    )
    await session.commit()
    assert "s99" not in {sid for _, sid in await roster_ids(session, "5А", dt.date(2026, 11, 22))}


async def test_a_student_who_left_comes_back(session, session_maker) -> None:
    admin = await actor_for(session_maker, "a1", 1009)
    alisa = await data.student(session, "s4")
    await movement.leave(session, admin, student_id=alisa.id, day=dt.date(2026, 11, 10), today=TODAY)
    await session.commit()

    done = await movement.enrol(
        session,
        admin,
        class_id=await data.class_id(session, "5Б"),
        external_id="s4",
        full_name="",
        day=dt.date(2026, 11, 20),
        today=TODAY,
    )
    await session.commit()

    assert (done.returning, done.to_class.name) == (True, "5Б")
    assert await moves_of(session_maker, "s4") == [
        (MoveKind.ENROL, None, "5А", YEAR_START, None),
        (MoveKind.LEAVE, "5А", None, dt.date(2026, 11, 10), admin.staff_id),
        (MoveKind.ENROL, None, "5Б", dt.date(2026, 11, 20), admin.staff_id),
    ]
    async with session_maker() as check:
        assert (await data.student(check, "s4")).status == StudentStatus.STUDYING
        for day, in_5a, in_5b in (
            ("2026-11-09", True, False),
            ("2026-11-15", False, False),
            ("2026-11-20", False, True),
        ):
            date = dt.date.fromisoformat(day)
            assert (
                "s4" in {s for _, s in await roster_ids(check, "5А", date)},
                "s4" in {s for _, s in await roster_ids(check, "5Б", date)},
            ) == (in_5a, in_5b), day


async def test_returning_with_the_same_name_written_differently(session, session_maker) -> None:
    admin = await actor_for(session_maker, "a1", 1009)
    alisa = await data.student(session, "s4")
    await movement.leave(session, admin, student_id=alisa.id, day=dt.date(2026, 11, 10), today=TODAY)
    done = await movement.enrol(
        session,
        admin,
        class_id=await data.class_id(session, "5А"),
        external_id="s4",
        full_name="горбунова  алиса романовна",
        day=TODAY,
        today=TODAY,
    )
    assert done.returning and done.full_name == "Горбунова Алиса Романовна"


# --- refusals: access --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["t4", "t2", "d1", "dir1"])
async def test_only_the_class_teacher_or_admin_moves_a_student(session, session_maker, who) -> None:
    """t4 leads 5Б, t2 teaches 5А, d1 and dir1 read the school: none of them moves a 5А student."""
    other = await actor_for(session_maker, who, 2001)
    kirill = await data.student(session, "s3")
    class_5a, class_5b = await data.class_id(session, "5А"), await data.class_id(session, "5Б")
    before = await move_count(session)

    with pytest.raises(AccessDenied) as moving:
        await movement.move(session, other, student_id=kirill.id, to_class_id=class_5b, day=TODAY, today=TODAY)
    with pytest.raises(AccessDenied):
        await movement.leave(session, other, student_id=kirill.id, day=TODAY, today=TODAY)
    with pytest.raises(AccessDenied):
        await movement.enrol(
            session, other, class_id=class_5a, external_id="s99", full_name="Петров Пётр", day=TODAY, today=TODAY
        )

    assert moving.value.key == "error-not-your-class"
    assert not session.new and not session.dirty
    assert await move_count(session) == before
    assert (await session.get(Student, kirill.id)).class_id == class_5a


async def test_a_class_teacher_acts_on_their_own_class_only(session, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)
    ivan = await data.student(session, "s9")  # 5Б
    class_5a, class_5b = await data.class_id(session, "5А"), await data.class_id(session, "5Б")

    with pytest.raises(AccessDenied):
        await movement.move(session, teacher, student_id=ivan.id, to_class_id=class_5a, day=TODAY, today=TODAY)
    with pytest.raises(AccessDenied):
        await movement.enrol(
            session, teacher, class_id=class_5b, external_id="s99", full_name="Петров Пётр", day=TODAY, today=TODAY
        )
    assert not session.new and not session.dirty

    admin = await actor_for(session_maker, "a1", 1009)
    done = await movement.move(session, admin, student_id=ivan.id, to_class_id=class_5a, day=TODAY, today=TODAY)
    assert done.to_class.name == "5А"


# --- refusals: bad input and dates ----------------------------------------------------------


async def refused(session, call) -> ValidationFailed | NotFound:
    before = await move_count(session)
    with pytest.raises((ValidationFailed, NotFound)) as error:
        await call
    assert not session.new and not session.dirty, "a refused movement staged a change"
    assert await move_count(session) == before
    return error.value


async def test_bad_input_is_refused_with_its_reason(session, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)
    class_5a = await data.class_id(session, "5А")
    kirill = await data.student(session, "s3")

    error = await refused(session, movement.find_student(session, "s404"))
    assert (error.key, error.args_for_message) == ("movement-unknown-student", {"id": "s404"})
    error = await refused(
        session, movement.move(session, teacher, student_id=kirill.id, to_class_id=class_5a, day=TODAY, today=TODAY)
    )
    assert (error.key, error.args_for_message) == ("movement-same-class", {"name": kirill.full_name, "cls": "5А"})
    error = await refused(
        session,
        movement.enrol(session, teacher, class_id=class_5a, external_id="s3", full_name="", day=TODAY, today=TODAY),
    )
    assert (error.key, error.args_for_message) == ("movement-already-studying", {"id": "s3", "cls": "5А"})
    error = await refused(
        session,
        movement.enrol(
            session, teacher, class_id=class_5a, external_id="s99", full_name="Петров", day=TODAY, today=TODAY
        ),
    )
    assert error.key == "movement-name-needed"
    assert await session.scalar(select(Student).where(Student.external_id == "s99")) is None


async def test_dates_that_would_break_the_history_are_refused(session, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)
    class_5b = await data.class_id(session, "5Б")
    kirill = await data.student(session, "s3")
    lesson = await data.lesson(session, "5А", "Русский язык", dt.date(2026, 11, 19), 2, teacher="t2")
    await data.absence(session, lesson, "s3", "н", teacher="t2")
    await session.commit()

    def move_on(day: dt.date):
        return movement.move(session, teacher, student_id=kirill.id, to_class_id=class_5b, day=day, today=TODAY)

    error = await refused(session, move_on(dt.date(2026, 11, 27)))
    assert (error.key, error.args_for_message) == ("movement-future-date", {"date": "27.11.2026"})
    error = await refused(session, move_on(dt.date(2026, 8, 20)))
    assert (error.key, error.args_for_message) == ("movement-before-history", {"date": "01.09.2026"})
    error = await refused(session, move_on(dt.date(2026, 11, 19)))  # absent in 5А that very day
    assert (error.key, error.args_for_message) == (
        "movement-entries-after",
        {"name": kirill.full_name, "name_gent": "Васильева Кирилла Андреевича", "cls": "5А", "date": "19.11.2026"},
    )
    assert (
        get_translator("ru")
        .refusal(error)
        .startswith("У Васильева Кирилла Андреевича есть отметки или пропуски в 5А начиная с 19.11.2026.")
    )
    assert get_translator("en").refusal(error).startswith("Васильев Кирилл Андреевич has marks or absences in 5А")
    error = await refused(
        session, movement.leave(session, teacher, student_id=kirill.id, day=dt.date(2026, 11, 2), today=TODAY)
    )
    assert error.key == "movement-entries-after"

    done = await move_on(dt.date(2026, 11, 20))  # the day after the last entry is fine
    assert done.day == dt.date(2026, 11, 20)


async def test_a_student_who_left_can_be_neither_moved_nor_left_again(session, session_maker) -> None:
    admin = await actor_for(session_maker, "a1", 1009)
    alisa = await data.student(session, "s4")
    await movement.leave(session, admin, student_id=alisa.id, day=TODAY, today=TODAY)
    await session.commit()

    error = await refused(session, movement.leave(session, admin, student_id=alisa.id, day=TODAY, today=TODAY))
    assert (error.key, error.args_for_message) == ("movement-not-studying", {"id": "s4"})
    error = await refused(
        session,
        movement.move(
            session, admin, student_id=alisa.id, to_class_id=await data.class_id(session, "5Б"), day=TODAY, today=TODAY
        ),
    )
    assert error.key == "movement-not-studying"
    error = await refused(
        session,
        movement.enrol(
            session,
            admin,
            class_id=await data.class_id(session, "5А"),
            external_id="s4",
            full_name="Иванов Иван",
            day=TODAY,
            today=TODAY,
        ),
    )
    assert (error.key, error.args_for_message) == ("movement-id-taken", {"id": "s4"})
    error = await refused(
        session,
        movement.enrol(
            session,
            admin,
            class_id=await data.class_id(session, "5А"),
            external_id="s4",
            full_name="",
            day=TODAY - dt.timedelta(days=1),
            today=TODAY,
        ),
    )
    assert (error.key, error.args_for_message) == ("movement-before-history", {"date": "26.11.2026"})

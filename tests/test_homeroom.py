"""The class teacher's services: the daily record, explanations beside the teacher's code, the class list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import Account, AccountBinding, Attendance, AttendanceCode, AuditEntry, ExplanationProposal, utcnow
from services import movement
from services.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from services.homeroom.class_list import LowAverage, ManyMissed, SignIn, class_list
from services.homeroom.classes import find_class
from services.homeroom.daily_record import daily_record
from services.homeroom.explanations import explain_day, explain_lesson
from tests import homeroom_data as data
from tests.conftest import SCHOOL_TODAY
from tests.homeroom_data import HISTORY, MATH, RUSSIAN
from tests.people import actor_for, bind_account

pytestmark = pytest.mark.usefixtures("school")

TODAY = SCHOOL_TODAY  # Thursday 26.11.2026, second четверть (05.11–28.12)


# --- the daily record ------------------------------------------------------------------------


async def test_daily_record_lists_unexplained_absences_first(session, session_maker) -> None:
    await data.thursday_absences(session)
    teacher = await actor_for(session_maker, "t1", 1001)
    record = await daily_record(session, teacher, await data.class_id(session, "5А"), TODAY)

    assert (record.class_name, record.day, record.class_size) == ("5А", TODAY, 8)
    assert [(s.number, s.full_name, s.unexplained) for s in record.students] == [
        (3, "Васильев Кирилл Андреевич", True),
        (7, "Жуков Матвей Алексеевич", True),
        (1, "Алексеев Артём Игоревич", False),
        (2, "Белова Софья Дмитриевна", False),
        (5, "Дмитриев Егор Олегович", False),
    ]
    zhukov = record.students[1]
    assert [(l.lesson_no, l.subject, l.code, l.explanation) for l in zhukov.lessons] == [
        (1, MATH, AttendanceCode.ABSENT, None),
        (2, RUSSIAN, AttendanceCode.ABSENT, None),
        (3, HISTORY, AttendanceCode.LATE, None),
    ]
    assert record.students[2].lessons[0].explanation == AttendanceCode.EXCUSED
    assert record.absent_count == 4  # s5 was only late


async def test_a_day_without_absences_is_empty(session, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 1001)
    record = await daily_record(session, teacher, await data.class_id(session, "5А"), TODAY)
    assert record.students == () and record.class_size == 8


# --- explanations ------------------------------------------------------------------------------


async def test_one_tap_explains_every_absence_of_the_day_beside_the_teachers_code(session, session_maker) -> None:
    ids = await data.thursday_absences(session)
    teacher = await actor_for(session_maker, "t1", 1001)
    class_5a = await data.class_id(session, "5А")
    zhukov = await data.student(session, "s7")

    done = await explain_day(session, teacher, class_id=class_5a, student_id=zhukov.id, day=TODAY, explanation="уп")
    await session.commit()

    assert (done.student_name, done.explanation, done.changed, done.lessons) == (
        "Жуков Матвей Алексеевич",
        AttendanceCode.EXCUSED,
        2,
        2,
    )
    async with session_maker() as check:
        rows = {
            row.id: row for row in await check.scalars(select(Attendance).where(Attendance.student_id == zhukov.id))
        }
        for key in ("s7 math", "s7 russian"):
            assert (rows[ids[key]].code, rows[ids[key]].explanation) == ("н", "уп")
            assert rows[ids[key]].explained_by_staff_id == teacher.staff_id
        assert (rows[ids["s7 history"]].code, rows[ids["s7 history"]].explanation) == ("оп", None)
        audit = list(await check.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(a.entity, a.entity_id, a.action, a.before, a.after, a.actor_staff_id) for a in audit] == [
        (
            "attendance",
            ids[key],
            "update",
            {"code": "н", "explanation": None},
            {"code": "н", "explanation": "уп"},
            teacher.staff_id,
        )
        for key in ("s7 math", "s7 russian")
    ]
    assert {a.student_id for a in audit} == {zhukov.id}

    record = await daily_record(session, teacher, class_5a, TODAY)
    assert [s.number for s in record.students if s.unexplained] == [3]


async def test_one_lesson_explained_on_its_own_then_changed(session, session_maker) -> None:
    ids = await data.thursday_absences(session)
    teacher = await actor_for(session_maker, "t1", 1001)

    await explain_lesson(session, teacher, attendance_id=ids["s7 russian"], explanation="б")
    await explain_lesson(session, teacher, attendance_id=ids["s7 russian"], explanation="нп")
    again = await explain_lesson(session, teacher, attendance_id=ids["s7 russian"], explanation="нп")
    await session.commit()

    assert again.changed == 0  # the same explanation twice is no change and no audit entry
    async with session_maker() as check:
        math = await check.get(Attendance, ids["s7 math"])
        russian = await check.get(Attendance, ids["s7 russian"])
        assert (math.explanation, russian.code, russian.explanation) == (None, "н", "нп")
        audit = list(await check.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(a.entity_id, a.before["explanation"], a.after["explanation"]) for a in audit] == [
        (ids["s7 russian"], None, "б"),
        (ids["s7 russian"], "б", "нп"),
    ]


async def test_explaining_settles_the_parents_proposal(session, session_maker) -> None:
    ids = await data.thursday_absences(session)
    parent = await bind_account(session, "p8", 5108)  # Жукова, the mother of s7
    pending = ExplanationProposal(attendance_id=ids["s7 math"], account_id=parent.id, proposal="ill")
    other = ExplanationProposal(attendance_id=ids["s3 russian"], account_id=parent.id, proposal="ill")
    session.add_all([pending, other])
    await session.commit()
    teacher = await actor_for(session_maker, "t1", 1001)
    zhukov = await data.student(session, "s7")

    await explain_day(
        session, teacher, class_id=await data.class_id(session, "5А"), student_id=zhukov.id, day=TODAY, explanation="б"
    )
    await session.commit()

    async with session_maker() as check:
        assert (await check.get(ExplanationProposal, pending.id)).resolved_at is not None
        assert (await check.get(ExplanationProposal, other.id)).resolved_at is None


async def test_explaining_what_is_no_absence_is_refused(session, session_maker) -> None:
    ids = await data.thursday_absences(session)
    teacher = await actor_for(session_maker, "t1", 1001)
    class_5a = await data.class_id(session, "5А")

    with pytest.raises(ValidationFailed) as late:
        await explain_lesson(session, teacher, attendance_id=ids["s5 math"], explanation="уп")
    assert (late.value.key, late.value.args_for_message) == ("homeroom-not-absence", {"code": "оп"})
    with pytest.raises(ValidationFailed) as code:
        await explain_lesson(session, teacher, attendance_id=ids["s7 math"], explanation="оп")
    assert code.value.key == "homeroom-bad-explanation"
    belova = await data.student(session, "s2")  # the teacher wrote б: there is no «н» to explain
    with pytest.raises(DomainError) as nothing:
        await explain_day(session, teacher, class_id=class_5a, student_id=belova.id, day=TODAY, explanation="уп")
    assert nothing.value.key == "homeroom-nothing-to-explain"
    with pytest.raises(NotFound):
        await explain_lesson(session, teacher, attendance_id=999_999, explanation="уп")
    assert not session.dirty and not session.new
    assert await session.scalar(select(AuditEntry.id)) is None


@pytest.mark.parametrize("who", ["t4", "t2", "d1", "dir1"])
async def test_only_the_class_teacher_or_admin_explains(session, session_maker, who) -> None:
    """t4 leads 5Б, t2 teaches 5А, d1 and dir1 read the school: none of them explains 5А's absences."""
    ids = await data.thursday_absences(session)
    other = await actor_for(session_maker, who, 2001)
    class_5a = await data.class_id(session, "5А")
    zhukov = await data.student(session, "s7")

    with pytest.raises(AccessDenied) as by_day:
        await explain_day(session, other, class_id=class_5a, student_id=zhukov.id, day=TODAY, explanation="уп")
    with pytest.raises(AccessDenied):
        await explain_lesson(session, other, attendance_id=ids["s7 math"], explanation="уп")
    assert by_day.value.key == "error-not-your-class"
    assert not session.dirty and not session.new
    assert (await session.get(Attendance, ids["s7 math"])).explanation is None


async def test_the_admin_explains_any_class(session, session_maker) -> None:
    ids = await data.thursday_absences(session)
    admin = await actor_for(session_maker, "a1", 2001)
    await explain_lesson(session, admin, attendance_id=ids["s3 russian"], explanation="б")
    row = await session.get(Attendance, ids["s3 russian"])
    assert (row.explanation, row.explained_by_staff_id) == ("б", admin.staff_id)


async def test_who_reads_the_daily_record(session, session_maker) -> None:
    class_5a = await data.class_id(session, "5А")
    for number, reader in enumerate(("d1", "dir1", "a1")):
        actor = await actor_for(session_maker, reader, 3000 + number)
        assert (await daily_record(session, actor, class_5a, TODAY)).class_name == "5А"
    for outsider in ("t4", "t2"):
        actor = await actor_for(session_maker, outsider, 4000 + int(outsider[1]))
        with pytest.raises(AccessDenied):
            await daily_record(session, actor, class_5a, TODAY)
        with pytest.raises(AccessDenied):
            await class_list(session, actor, class_5a, TODAY)


# --- the class list ----------------------------------------------------------------------------


async def test_class_list_shows_parents_and_who_has_signed_in(session, session_maker) -> None:
    await bind_account(session, "s3", 5003)  # the student: signed in
    await bind_account(session, "p3", 5103)  # Васильева: signed in
    blocked = await bind_account(session, "p4", 5104)  # Васильев: signed in, then blocked the bot
    blocked.active = False
    revoked = await bind_account(session, "p5", 5105)  # Горбунова: access revoked
    for binding in await session.scalars(select(AccountBinding).where(AccountBinding.account_id == revoked.id)):
        binding.revoked_at = utcnow()
    both = await bind_account(session, "p1", 5101)  # Алексеева: one blocked account, one working
    second = await bind_account(session, "p1", 5102)
    both.active, second.active = False, True
    await session.commit()
    teacher = await actor_for(session_maker, "t1", 1001)

    listing = await class_list(session, teacher, await data.class_id(session, "5А"), TODAY)

    assert [(e.number, e.external_id) for e in listing.entries] == [(n, f"s{n}") for n in range(1, 9)]
    by_id = {e.external_id: e for e in listing.entries}
    assert by_id["s3"].sign_in is SignIn.ACTIVE and by_id["s4"].sign_in is SignIn.NONE
    assert [(p.full_name, p.sign_in) for p in by_id["s3"].parents] == [
        ("Васильев Андрей Павлович", SignIn.BLOCKED),
        ("Васильева Ирина Сергеевна", SignIn.ACTIVE),
    ]
    assert [(p.full_name, p.sign_in) for p in by_id["s4"].parents] == [("Горбунова Юлия Александровна", SignIn.NONE)]
    assert [(p.full_name, p.sign_in) for p in by_id["s1"].parents] == [("Алексеева Наталья Викторовна", SignIn.ACTIVE)]
    assert listing.period is not None and listing.period.name == "2 четверть"
    assert not any(entry.flagged for entry in listing.entries)
    assert await session.scalar(select(Account.id).where(Account.telegram_id == 5104)) is not None


async def flag_data(session, session_maker) -> None:
    """Ten lessons of 5А held in the second четверть up to today, plus some that must not count.

    Averages (Σ value×weight / Σ weight), hand-computed:
      s1 математика (2×3 + 4 + 3) / 5 = 2.60 → flagged;  русский (5 + 2) / 2 = 3.50
      s2 математика (2 + 4) / 2 = 3.00 (not below 3; a 2 on 27.11 is after today)
         русский (3) / 1 = 3.00 (a removed 2 does not count)
      s3 математика 4 in the period (two 2s in the first четверть do not count)
    Missed lessons (н, б; not оп) of the 10 held:
      s4 н, б, н (+ оп) = 3/10 = 30 % → flagged;  s5 2/10 = 20 % → not (more than 20 % is);
      s6 1/10 (two more in the first четверть);   s8 2/10 (a third is removed);
      s99 enrolled 12.11: 1 of the 4 lessons since = 25 % → flagged.
    """
    days = [dt.date(2026, 11, 9) + dt.timedelta(days=i) for i in range(5)]  # Mon 09.11 … Fri 13.11
    math = [await data.lesson(session, "5А", MATH, day, 1 + i % 2) for i, day in enumerate(days)]
    russian = [await data.lesson(session, "5А", RUSSIAN, day, 2 - i % 2, teacher="t2") for i, day in enumerate(days)]
    after_today = await data.lesson(session, "5А", MATH, dt.date(2026, 11, 27), 1)
    first_quarter = await data.lesson(session, "5А", MATH, dt.date(2026, 10, 20), 1)
    first_quarter_ru = await data.lesson(session, "5А", RUSSIAN, dt.date(2026, 10, 20), 2, teacher="t2")
    await data.mark(session, math[0], "s1", 2, 3.0)
    await data.mark(session, math[1], "s1", 4)
    await data.mark(session, math[2], "s1", 3)
    await data.mark(session, russian[0], "s1", 5, teacher="t2")
    await data.mark(session, russian[1], "s1", 2, teacher="t2")
    await data.mark(session, math[0], "s2", 2)
    await data.mark(session, math[1], "s2", 4)
    await data.mark(session, after_today, "s2", 2)
    await data.mark(session, russian[0], "s2", 3, teacher="t2")
    await data.mark(session, russian[1], "s2", 2, teacher="t2", deleted=True)
    await data.mark(session, math[2], "s3", 4)
    await data.mark(session, first_quarter, "s3", 2)
    await data.mark(session, first_quarter, "s3", 2, slot=2)
    await data.absence(session, math[0], "s4", "н")
    await data.absence(session, russian[0], "s4", "б", teacher="t2")
    await data.absence(session, math[1], "s4", "н")
    await data.absence(session, russian[1], "s4", "оп", teacher="t2")
    await data.absence(session, math[3], "s5", "н")
    await data.absence(session, russian[3], "s5", "н", explanation="уп", teacher="t2")
    await data.absence(session, math[4], "s5", "оп")
    await data.absence(session, after_today, "s5", "н")
    await data.absence(session, math[2], "s6", "н")
    await data.absence(session, first_quarter, "s6", "н")
    await data.absence(session, first_quarter_ru, "s6", "н", teacher="t2")
    await data.absence(session, math[0], "s8", "н")
    await data.absence(session, math[1], "s8", "н")
    removed = await data.absence(session, math[2], "s8", "н")
    removed.deleted_at = utcnow()
    await session.commit()
    admin = await actor_for(session_maker, "a1", 9001)
    await movement.enrol(
        session,
        admin,
        class_id=await data.class_id(session, "5А"),
        external_id="s99",
        full_name="Петров Пётр Петрович",
        day=days[3],
        today=TODAY,
    )
    await data.absence(session, math[4], "s99", "н")
    await session.commit()


async def test_class_list_flags_low_averages_and_many_missed_lessons(session, session_maker) -> None:
    await flag_data(session, session_maker)
    teacher = await actor_for(session_maker, "t1", 1001)

    listing = await class_list(session, teacher, await data.class_id(session, "5А"), TODAY)

    flagged = {e.external_id: (e.low_averages, e.missed) for e in listing.entries if e.flagged}
    assert flagged == {
        "s1": ((LowAverage(MATH, Decimal("2.60")),), None),
        "s4": ((), ManyMissed(3, 10)),
        "s99": ((), ManyMissed(1, 4)),
    }
    assert [e.external_id for e in listing.entries][-1] == "s99"  # Петров comes after Зайцева


async def test_in_the_holidays_the_flags_cover_the_period_just_finished(session, session_maker) -> None:
    """30.12 is in the winter holidays: the second четверть counts, now with the lesson of 27.11 (11 held)."""
    await flag_data(session, session_maker)
    teacher = await actor_for(session_maker, "t1", 1001)

    listing = await class_list(session, teacher, await data.class_id(session, "5А"), dt.date(2026, 12, 30))

    flagged = {e.external_id: (e.low_averages, e.missed) for e in listing.entries if e.flagged}
    assert listing.period is not None and listing.period.name == "2 четверть"
    assert flagged == {
        "s1": ((LowAverage(MATH, Decimal("2.60")),), None),
        "s2": ((LowAverage(MATH, Decimal("2.67")),), None),  # (2 + 4 + 2) / 3
        "s4": ((), ManyMissed(3, 11)),
        "s5": ((), ManyMissed(3, 11)),
    }  # s99: 1 of 5 is 20 %, no longer more than a fifth


async def test_unknown_class_name(session) -> None:
    with pytest.raises(NotFound) as error:
        await find_class(session, "9я")
    assert (error.value.key, error.value.args_for_message) == ("error-class-not-found", {"name": "9Я"})
    assert (await find_class(session, "5a")).name == "5А"

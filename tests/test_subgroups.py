"""Subgroups (issue 10): a group's lesson is a journal page of its own, written only by its teacher.

The demo school on Monday 30.11.2026, 10:00, with 5А's English split in two groups for the test:
group 1 (t4, Волкова) s1–s4, group 2 (t5, Николаев) s5–s8, both at 5А's 3rd lesson (Mon and Fri).
A group's list is numbered within the group: in group 2, № 1 is Дмитриев Егор (s5, № 5 of the class).
p1 is the mother of s1 (group 1), p6 of s5 (group 2).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from bot.outbound.callbacks import OpenLesson
from handlers.teacher.views import Act, LessonAction
from models import (
    DeliveryMode,
    FinalMark,
    Lesson,
    Mark,
    NotificationKind,
    OutboxMessage,
    OverdueEntry,
    SubgroupMember,
    TeachingAssignment,
    TimetableEntry,
)
from scheduler import jobs
from services import preferences
from services.entry_parser import parse_value
from services.errors import DomainError
from services.homeroom.daily_record import daily_record
from services.journal import LessonKey, StudentValue, record_entries, set_homework, set_topic
from services.school_clock import EntryClock
from services.school_reference import school_reference
from tests.delivery_helpers import as_sent
from tests.people import actor_for, signed_in
from tests.test_timetabled_lessons import at, ids

pytestmark = pytest.mark.usefixtures("school")

MOSCOW = ZoneInfo("Europe/Moscow")
MONDAY, FRIDAY, NEXT_DAY = dt.date(2026, 11, 30), dt.date(2026, 11, 27), dt.date(2026, 12, 1)
T1, T4, T5, DEPUTY = 1001, 1004, 1005, 1006
GROUP_1, GROUP_2 = ("s1", "s2", "s3", "s4"), ("s5", "s6", "s7", "s8")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(MONDAY, 10), tick=False)
    return time_machine


async def split_english(session_maker, *, since: dt.date = dt.date(2026, 9, 1)) -> dict[str, int]:
    """5А's English in two groups at the same hours: t4 keeps group 1, t5 gets group 2."""
    known = await ids(session_maker)
    class_id, subject_id = known["5А"], known["Английский язык"]
    async with session_maker() as session:
        await session.execute(delete(SubgroupMember).where(SubgroupMember.class_id == class_id))
        for assignment in await session.scalars(
            select(TeachingAssignment).where(
                TeachingAssignment.class_id == class_id, TeachingAssignment.subject_id == subject_id
            )
        ):
            await session.delete(assignment)
        await session.flush()
        session.add_all(
            [
                TeachingAssignment(staff_id=known["t4"], class_id=class_id, subject_id=subject_id, subgroup="1"),
                TeachingAssignment(staff_id=known["t5"], class_id=class_id, subject_id=subject_id, subgroup="2"),
            ]
        )
        entries = list(
            await session.scalars(
                select(TimetableEntry).where(
                    TimetableEntry.class_id == class_id, TimetableEntry.subject_id == subject_id
                )
            )
        )
        hours = sorted({(entry.weekday, entry.lesson_no, entry.room) for entry in entries})
        for entry in entries:
            await session.delete(entry)
        await session.flush()
        for weekday, lesson_no, room in hours:
            for staff, group in (("t4", "1"), ("t5", "2")):
                session.add(
                    TimetableEntry(
                        class_id=class_id,
                        weekday=weekday,
                        lesson_no=lesson_no,
                        subject_id=subject_id,
                        staff_id=known[staff],
                        room=room,
                        subgroup=group,
                    )
                )
        for group, students in (("1", GROUP_1), ("2", GROUP_2)):
            session.add_all(
                SubgroupMember(
                    class_id=class_id, subject_id=subject_id, student_id=known[student], subgroup=group, since=since
                )
                for student in students
            )
        await session.commit()
    return known


@pytest.fixture
async def known(session_maker, clock):
    return await split_english(session_maker)


@pytest.fixture
async def first(harness, session_maker, known):
    return await signed_in(harness, session_maker, "t4", T4)


@pytest.fixture
async def second(harness, session_maker, known):
    return await signed_in(harness, session_maker, "t5", T5)


def clock_at(moment: dt.datetime) -> EntryClock:
    return EntryClock(
        now=moment.astimezone(dt.timezone.utc), today=moment.date(), grace=dt.timedelta(minutes=15), timezone=MOSCOW
    )


async def group_lessons(session_maker, day: dt.date) -> dict[str, Lesson]:
    async with session_maker() as session:
        return {
            lesson.subgroup: lesson
            for lesson in await session.scalars(select(Lesson).where(Lesson.date == day, Lesson.lesson_no == 3))
        }


async def marks_of(session_maker, known: dict[str, int]) -> dict[tuple[str, str], int]:
    """(student, group of the lesson) → the mark, for 5А's English marks."""
    names = {value: key for key, value in known.items() if key.startswith("s")}
    async with session_maker() as session:
        rows = await session.execute(
            select(Mark.student_id, Lesson.subgroup, Mark.value)
            .join(Lesson, Lesson.id == Mark.lesson_id)
            .where(Mark.deleted_at.is_(None))
        )
        return {(names[student_id], group): value for student_id, group, value in rows}


# --- each teacher writes their own group's page ---------------------------------------------------


async def test_each_group_teacher_marks_their_own_list_numbered_within_the_group(
    first, second, session_maker, known
) -> None:
    [one] = await first.sends("/mark 5А англ 27.11 1:5 2:4")
    assert one.splitlines()[1:3] == ["1. Алексеев Артём — 5", "2. Белова Софья — 4"]
    [two] = await second.sends("/mark 5А англ 27.11 1:3 2:4")
    assert "Английский язык/2" in two.splitlines()[0]
    assert two.splitlines()[1:3] == ["1. Дмитриев Егор — 3", "2. Егорова Виктория — 4"]
    assert await marks_of(session_maker, known) == {("s1", "1"): 5, ("s2", "1"): 4, ("s5", "2"): 3, ("s6", "2"): 4}


async def test_a_number_outside_the_group_is_refused_naming_the_group(second, session_maker, known) -> None:
    [refused] = await second.sends("/mark 5А англ 27.11 5:4")
    assert refused == ("В группе 2 (5А, «Английский язык») на 27.11.2026 нет № 5: в группе 4 ученика, номера с 1 по 4.")
    assert await marks_of(session_maker, known) == {}


async def test_the_other_groups_lesson_is_refused_typed_by_button_and_in_the_service(
    first, session_maker, known
) -> None:
    [typed] = await first.sends("/mark 5А англ/2 27.11 1:5")
    assert typed.startswith("В 5А «Английский язык» идёт по группам, и ваша — 1: урок группы 2 ведёт другой")
    [pressed] = await first.presses(
        LessonAction(
            act=Act.SET,
            class_id=known["5А"],
            subject_id=known["Английский язык"],
            day=FRIDAY.toordinal(),
            lesson_no=3,
            student_id=known["s5"],
            value="5",
            subgroup="2",
        ).pack()
    )
    assert pressed.startswith("В 5А «Английский язык» идёт по группам, и ваша — 1")
    # A pupil of group 2 named by id in group 1's lesson: not on that page.
    actor = await actor_for(session_maker, "t4", 3004)
    async with session_maker() as session:
        with pytest.raises(DomainError) as refused:
            await record_entries(
                session,
                actor,
                LessonKey(known["5А"], known["Английский язык"], FRIDAY, 3, "1"),
                [StudentValue(known["s5"], parse_value("5"))],
                clock=clock_at(at(MONDAY, 10)),
            )
        assert refused.value.key == "entry-student-not-in-group"
    assert await marks_of(session_maker, known) == {}


async def test_a_teacher_of_both_groups_and_the_deputy_name_the_group(harness, first, session_maker, known) -> None:
    async with session_maker() as session:
        session.add(
            TeachingAssignment(
                staff_id=known["t4"], class_id=known["5А"], subject_id=known["Английский язык"], subgroup="2"
            )
        )
        await session.commit()
    [ambiguous] = await first.sends("/mark 5А англ 27.11 1:5")
    assert ambiguous == (
        "В 5А «Английский язык» идёт по группам (1, 2): укажите группу после предмета, например «Английский язык/1»."
    )
    [named] = await first.sends("/mark 5А англ/2 27.11 1:5")
    assert named.splitlines()[1] == "1. Дмитриев Егор — 5"
    [unknown] = await first.sends("/mark 5А англ/3 27.11 1:5")
    assert unknown == "В 5А по предмету «Английский язык» нет группы «3». Группы: 1, 2."
    [not_split] = await first.sends("/mark 5А матем/1 27.11 1:5")
    assert not_split == "5А не делится на группы по предмету «Математика»: уберите «/1» после предмета."
    deputy = await signed_in(harness, session_maker, "d1", DEPUTY)
    [asked] = await deputy.sends("/mark 5А англ 27.11 2:4 // исправление")
    assert asked.startswith("В 5А «Английский язык» идёт по группам (1, 2)")
    assert await marks_of(session_maker, known) == {("s5", "2"): 5}


async def test_two_group_teachers_write_the_same_hour_at_the_same_moment(session_maker, known) -> None:
    """Both lessons are stored, each with its own topic, homework and marks."""
    moment = clock_at(at(MONDAY, 10))
    english = known["Английский язык"]

    actors = {"1": await actor_for(session_maker, "t4", 3004), "2": await actor_for(session_maker, "t5", 3005)}

    async def write(group: str, topic: str, homework: str, mark: str) -> None:
        actor = actors[group]
        async with session_maker() as session:
            key = LessonKey(known["5А"], english, MONDAY, 3, group)
            await record_entries(
                session,
                actor,
                key,
                [StudentValue(known[GROUP_1[0] if group == "1" else GROUP_2[0]], parse_value(mark))],
                clock=moment,
            )
            await set_topic(session, actor, key, topic, moment)
            await set_homework(session, actor, known["5А"], english, homework, moment, after=MONDAY, subgroup=group)
            await session.commit()

    await asyncio.gather(
        write("1", "Present Simple", "Unit 2 ex. 5", "5"), write("2", "Past Simple", "Unit 3 ex. 7", "3")
    )
    today = await group_lessons(session_maker, MONDAY)
    assert {group: (lesson.topic, lesson.teacher_id) for group, lesson in today.items()} == {
        "1": ("Present Simple", known["t4"]),
        "2": ("Past Simple", known["t5"]),
    }
    async with session_maker() as session:
        due = {
            lesson.subgroup: lesson.homework
            for lesson in await session.scalars(select(Lesson).where(Lesson.date > MONDAY, Lesson.homework != ""))
        }
    assert due == {"1": "Unit 2 ex. 5", "2": "Unit 3 ex. 7"}
    assert await marks_of(session_maker, known) == {("s1", "1"): 5, ("s5", "2"): 3}


async def test_a_groups_homework_reaches_the_groups_families_and_marks_reach_either(
    harness, first, second, session_maker, known
) -> None:
    """p1 is s1's mother (group 1), p6 s5's (group 2); both want homework at once."""
    for parent, telegram_id in (("p1", 2001), ("p6", 2006)):
        actor = await actor_for(session_maker, parent, telegram_id)
        async with session_maker() as session:
            await preferences.set_mode(session, actor, NotificationKind.HOMEWORK, DeliveryMode.INSTANT)
            await session.commit()
    await first.sends("/mark 5А англ 30.11 1:5")
    await second.sends("/mark 5А англ 30.11 1:4")
    await second.sends("/homework 5А англ Unit 3 exercise 7")
    async with session_maker() as session:
        rows = list(await session.scalars(select(OutboxMessage).where(OutboxMessage.kind.in_(("mark", "homework")))))
    assert sorted((row.chat_id, row.kind, row.payload["student_id"]) for row in rows) == [
        (2001, "mark", known["s1"]),
        (2006, "homework", known["s5"]),
        (2006, "mark", known["s5"]),
    ]


# --- the day's accounting: each group's teacher for their own page --------------------------------


async def test_the_second_groups_teacher_is_reminded_though_the_first_groups_lesson_is_filled(
    first, second, session_maker, settings, known
) -> None:
    await first.sends("/mark 5А англ 1:5 2:4")
    await first.sends("/topic 5А англ Present Simple")
    [today] = await second.sends("/today")
    assert "5А · Английский язык/2" in today
    await jobs.teacher_reminder(settings, session_maker, now=at(MONDAY, 16))
    async with session_maker() as session:
        reminders = {
            row.chat_id: as_sent(row)["text"]
            for row in await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder"))
        }
    assert "5А · Английский язык/2" in reminders[T5]
    assert "Английский язык/1" not in reminders.get(T5, "")


async def test_today_shows_the_teacher_their_groups_lesson(first, session_maker, known) -> None:
    [today] = await first.sends("/today")
    assert "5А · Английский язык/1" in today
    async with session_maker() as session:
        reference = await school_reference(session)
        assert reference.groups(known["5А"], known["Английский язык"]) == ("1", "2")


async def test_a_pupil_moved_between_groups_keeps_earlier_marks_and_is_on_the_new_page_after(
    first, second, session_maker, known
) -> None:
    await first.sends("/mark 5А англ 27.11 4:5")  # s4, № 4 of group 1
    async with session_maker() as session:  # s4 goes to group 2 from Monday 30.11
        session.add(
            SubgroupMember(
                class_id=known["5А"],
                subject_id=known["Английский язык"],
                student_id=known["s4"],
                subgroup="2",
                since=MONDAY,
            )
        )
        await session.commit()
    [later] = await second.sends("/mark 5А англ 30.11 1:4")
    assert later.splitlines()[1] == "1. Горбунова Алиса — 4"  # now № 1 of group 2 (class № 4 comes first)
    [earlier] = await first.sends("/mark 5А англ 27.11 4:3")
    assert earlier.splitlines()[1] == "4. Горбунова Алиса — 5 → 3"  # still on group 1's page of 27.11
    [gone] = await first.sends("/mark 5А англ 30.11 4:5")
    assert "в группе 3 ученика" in gone
    assert await marks_of(session_maker, known) == {("s4", "1"): 3, ("s4", "2"): 4}


async def test_a_group_teachers_period_sheet_lists_the_group_and_sets_marks_by_its_numbers(
    first, second, session_maker, known
) -> None:
    await second.sends("/mark 5А англ 27.11 1:5 2:4")
    [sheet] = await second.sends("/period 5А англ")
    names = [line for line in sheet.splitlines() if line[:2].strip().isdigit()]
    assert [line.split()[1] for line in names] == ["Дмитриев", "Егорова", "Жуков", "Зайцева"]
    assert "Алексеев" not in sheet
    [refused] = await second.sends("5:5")
    assert refused == "Ученика №5 в списке нет: номера с 1 по 4."
    answers = await second.sends("1:5")
    assert answers[0] == "№1 Дмитриев Е. О. — 5"
    async with session_maker() as session:
        finals = {
            student_id: value
            for student_id, value in (await session.execute(select(FinalMark.student_id, FinalMark.value))).all()
        }
    assert finals == {known["s5"]: 5}


async def test_the_deadline_records_each_groups_lesson_for_its_teacher_and_the_deputy_reads_both(
    first, second, harness, session_maker, settings, known
) -> None:
    await first.sends("/mark 5А англ 1:5")  # group 1 has marks, but neither group has the rest
    await jobs.marks_deadline(settings, session_maker, now=at(MONDAY, 17))
    async with session_maker() as session:
        overdue = {
            (row.subgroup, row.teacher_id): tuple(row.missing)
            for row in await session.scalars(
                select(OverdueEntry).where(
                    OverdueEntry.subject_id == known["Английский язык"], OverdueEntry.class_id == known["5А"]
                )
            )
        }
    assert overdue == {
        ("1", known["t4"]): ("attendance", "topic", "homework"),
        ("2", known["t5"]): ("attendance", "topic", "marks", "homework"),
    }
    await signed_in(harness, session_maker, "d1", DEPUTY)
    await jobs.deputy_daily(settings, session_maker, now=at(NEXT_DAY, 8))
    async with session_maker() as session:
        [report] = [
            as_sent(row)["text"]
            for row in await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "deputy_report"))
        ]
    lines = report.splitlines()
    assert lines[lines.index("<b>Волкова Татьяна Андреевна</b>") + 2] == (
        "10:30 5А Английский язык/1 — нет: посещаемость, тема, домашнее задание"
    )
    assert lines[lines.index("<b>Николаев Павел Викторович</b>") + 1] == (
        "10:30 5А Английский язык/2 — нет: посещаемость, тема, отметки, домашнее задание"
    )


async def test_the_lesson_screen_lists_the_group_and_the_class_teacher_sees_its_absences(
    second, session_maker, known
) -> None:
    [opened] = await second.presses(
        OpenLesson(
            class_id=known["5А"], subject_id=known["Английский язык"], day=MONDAY.toordinal(), lesson_no=3, subgroup="2"
        ).pack()
    )
    assert opened.splitlines()[0] == "<b>5А · Английский язык/2</b>"
    assert "<pre>1 Дмитриев Егор\n2 Егорова Виктория\n3 Жуков Матвей\n4 Зайцева Дарья</pre>" in opened
    typed, screen = await second.sends("1 5")  # a line typed into the open lesson: the group's own №
    assert typed == "Записано: 1. Дмитриев Егор — 5"
    assert "<pre>1 Дмитриев Егор    5\n2 Егорова Виктория\n3 Жуков Матвей\n4 Зайцева Дарья</pre>" in screen
    [absent] = await second.sends("/mark 5А англ 2:н")
    assert absent.splitlines()[1] == "2. Егорова Виктория — н"
    homeroom = await actor_for(session_maker, "t1", 3001)  # 5А's class teacher
    async with session_maker() as session:
        record = await daily_record(session, homeroom, known["5А"], MONDAY)
    assert [
        (student.full_name, [(lesson.lesson_no, lesson.subject) for lesson in student.lessons])
        for student in record.students
    ] == [("Егорова Виктория Сергеевна", [(3, "Английский язык")])]

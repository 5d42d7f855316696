"""Pupils and parents of a class split into groups see their own group's lessons, teacher and homework.

5А learns English in two groups at the same hours: group 1 with Волкова (t4) in room 21, group 2
with Николаев (t5) in room 32. s1 and s2 are in group 1, s3 in group 2; s4 moves from group 1 to
group 2 on Tuesday 1 December; s5 has been placed in neither yet. Each group's lesson is a journal
row of its own with its own homework (written here directly, as the group teachers' journal would).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import event, select

from models import Account, Lesson, Mark, SubgroupMember, TeachingAssignment, TimetableEntry
from services import family_views
from tests import journal_data as jd
from tests.people import actor_for, signed_in

THU, FRI, MON, TUE = dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 30), dt.date(2026, 12, 1)
TERM_START, MOVED_ON = dt.date(2026, 9, 1), TUE
ENGLISH = "англ"
GROUP_TWO_ROOM = "32"
HOMEWORK = {  # (date, group) → the homework set at that group's English lesson
    (FRI, "1"): "стр. 12, упр. 1 (первая группа)",
    (FRI, "2"): "стр. 40, упр. 7 (вторая группа)",
    (TUE, "1"): "выучить слова (первая группа)",
    (TUE, "2"): "написать письмо (вторая группа)",
}
ENGLISH_HOURS = {FRI: 3, TUE: 5}  # 5А's English lessons those days (services.demo_school)


@pytest.fixture
def on_thursday() -> Iterator[None]:
    with time_machine.travel(dt.datetime.combine(THU, dt.time(10, 0), ZoneInfo("Europe/Moscow")), tick=False):
        yield


@pytest.fixture
async def split_english(school, session_maker) -> None:
    """5А's English split in two groups with their lessons, placements and homework."""
    async with session_maker() as session:
        class_id, english = await jd.class_id(session, "5А"), (await jd.subject(session, ENGLISH)).id
        group_two_teacher = await jd.staff_id(session, "t5")
        await _split(
            session,
            TeachingAssignment,
            class_id,
            english,
            lambda row: TeachingAssignment(
                staff_id=group_two_teacher, class_id=class_id, subject_id=english, subgroup="2"
            ),
        )
        await _split(
            session,
            TimetableEntry,
            class_id,
            english,
            lambda row: TimetableEntry(
                class_id=class_id,
                weekday=row.weekday,
                lesson_no=row.lesson_no,
                subject_id=english,
                staff_id=group_two_teacher,
                room=GROUP_TWO_ROOM,
                subgroup="2",
            ),
        )
        for student, group, since in (
            ("s1", "1", TERM_START),
            ("s2", "1", TERM_START),
            ("s3", "2", TERM_START),
            ("s4", "1", TERM_START),
            ("s4", "2", MOVED_ON),
        ):
            session.add(
                SubgroupMember(
                    class_id=class_id,
                    subject_id=english,
                    student_id=(await jd.student(session, student)).id,
                    subgroup=group,
                    since=since,
                )
            )
        for (day, group), homework in HOMEWORK.items():
            session.add(
                Lesson(
                    class_id=class_id,
                    subject_id=english,
                    date=day,
                    lesson_no=ENGLISH_HOURS[day],
                    subgroup=group,
                    teacher_id=await jd.staff_id(session, "t4" if group == "1" else "t5"),
                    topic=f"тема группы {group}",
                    homework=homework,
                )
            )
        await jd.lesson(session, "5А", "матем", FRI, 2, homework="№ 112")  # the whole class's
        await session.commit()


async def _split(session, model, class_id: int, subject_id: int, group_two) -> None:
    """The class's rows of the subject become group 1's, and each gets a twin of group 2's."""
    for row in list(
        await session.scalars(select(model).where(model.class_id == class_id, model.subject_id == subject_id))
    ):
        row.subgroup = "1"
        session.add(group_two(row))
    await session.flush()  # through the session: the school reference's version moves (models.reference_version)


def friday(schedule: str) -> list[str]:
    """The lines of Friday's timetable in a /schedule answer."""
    block = schedule.split("<b>пт, 27 ноября</b>\n", 1)[1]
    return block.split("</pre>", 1)[0].removeprefix("<pre>").split("\n")


# --- what they see in the chat ---------------------------------------------------------------------


async def test_a_pupil_of_group_one_sees_their_groups_homework_and_teacher(
    split_english, harness, session_maker, on_thursday
) -> None:
    pupil = await signed_in(harness, session_maker, "s1", 2001)
    (homework,) = await pupil.sends("/homework")
    (schedule,) = await pupil.sends("/schedule")

    assert homework == (
        "Домашнее задание · <b>Алексеев Артём Игоревич</b>, 5А\n<b>пт, 27 ноября</b>\n"
        "2. <b>Математика</b>: № 112\n"
        "3. <b>Английский язык</b>: стр. 12, упр. 1 (первая группа)"
    )
    assert friday(schedule)[1:4] == [
        "2 09:25–10:10 Математика                             21",
        "3 10:30–11:15 Английский язык (гр. 1, Волкова Т. А.) 21",
        "4 11:35–12:20 История                                21",
    ]
    assert "вторая группа" not in homework and "Николаев" not in schedule


async def test_a_pupil_who_moved_sees_the_old_groups_homework_before_the_move_and_the_new_ones_after(
    split_english, harness, session_maker, on_thursday
) -> None:
    pupil = await signed_in(harness, session_maker, "s4", 2004)
    (this_week, next_week) = [*await pupil.sends("/homework неделя"), *await pupil.sends("/homework следующая неделя")]
    (schedule,) = await pupil.sends("/schedule следующая неделя")
    week = f"{this_week}\n{next_week}"

    assert (
        "<b>пт, 27 ноября</b>\n2. <b>Математика</b>: № 112\n3. <b>Английский язык</b>: "
        "стр. 12, упр. 1 (первая группа)\n" in week
    )
    assert "<b>вт, 1 декабря</b>\n5. <b>Английский язык</b>: написать письмо (вторая группа)\n" in week
    assert "стр. 40" not in week and "выучить слова" not in week
    assert "3 10:30–11:15 Английский язык (гр. 1, Волкова Т. А.) 21" in friday(*await pupil.sends("/schedule неделя"))
    tuesday = schedule.split("<b>вт, 1 декабря</b>\n", 1)[1].split("</pre>", 1)[0]
    assert "5 12:30–13:15 Английский язык (гр. 2, Николаев П. В.) 32" in tuesday
    assert "Волкова" not in tuesday


async def test_a_parent_of_a_group_two_pupil_sees_group_twos(
    split_english, harness, session_maker, on_thursday
) -> None:
    parent = await signed_in(harness, session_maker, "p3", 2003)  # s3's mother
    (homework,) = await parent.sends("/homework")
    (schedule,) = await parent.sends("/schedule")

    assert homework.endswith(
        "<b>пт, 27 ноября</b>\n2. <b>Математика</b>: № 112\n3. <b>Английский язык</b>: стр. 40, упр. 7 (вторая группа)"
    )
    assert "первая группа" not in homework
    assert "3 10:30–11:15 Английский язык (гр. 2, Николаев П. В.) 32" in friday(schedule)
    assert "Волкова" not in schedule


async def test_a_pupil_in_no_group_sees_the_lesson_marked_and_no_groups_homework(
    split_english, harness, session_maker, on_thursday
) -> None:
    pupil = await signed_in(harness, session_maker, "s5", 2005)
    (homework,) = await pupil.sends("/homework")
    (schedule,) = await pupil.sends("/schedule")

    assert homework.endswith("<b>пт, 27 ноября</b>\n2. <b>Математика</b>: № 112")  # neither group's
    assert "3 10:30–11:15 Английский язык (группа не указана)" in friday(schedule)  # rooms differ: none named
    assert schedule.endswith("Спросите классного руководителя.")
    assert "Волкова" not in schedule and "Николаев" not in schedule


async def test_in_english_the_group_and_its_teacher_are_named_too(
    split_english, harness, session_maker, on_thursday
) -> None:
    pupil = await signed_in(harness, session_maker, "s3", 2003)
    async with session_maker() as session:
        (await session.scalar(select(Account).where(Account.telegram_id == 2003))).language = "en"
        await session.commit()
    (schedule,) = await pupil.sends("/schedule")
    assert "3 10:30–11:15 Английский язык (group 2, Николаев П. В.) 32" in schedule


# --- the services ----------------------------------------------------------------------------------


async def test_grades_keep_the_marks_of_both_groups_a_pupil_was_in(split_english, session_maker) -> None:
    pupil = await actor_for(session_maker, "s4", 2004)
    async with session_maker() as session:
        s4, kind = (await jd.student(session, "s4")).id, await jd.work_type(session, "работа на уроке")
        for day, group, value in ((FRI, "1", 4), (TUE, "2", 5)):  # before the move and after it
            lesson = await session.scalar(select(Lesson).where(Lesson.date == day, Lesson.subgroup == group))
            session.add(
                Mark(
                    lesson_id=lesson.id,
                    student_id=s4,
                    slot=1,
                    value=value,
                    work_type_id=kind.id,
                    weight=kind.weight,
                    author_staff_id=lesson.teacher_id,
                )
            )
        await session.commit()
        detail = await family_views.grades_view(session, pupil, s4, TUE, ENGLISH)
        summary = await family_views.grades_view(session, pupil, s4, TUE)
    assert [(lesson.date, lesson.token) for lesson in detail.subjects[0].lessons] == [(FRI, "4"), (TUE, "5")]
    assert [s.subject for s in summary.subjects].count("Английский язык") == 1  # two groups' teachers, one row


async def test_a_lesson_of_one_group_alone_is_not_on_the_other_groups_timetable(split_english, session_maker) -> None:
    async with session_maker() as session:  # on Mondays group 2 has no English: a free period
        await session.delete(
            await session.scalar(
                select(TimetableEntry).where(
                    TimetableEntry.class_id == await jd.class_id(session, "5А"),
                    TimetableEntry.weekday == MON.isoweekday(),
                    TimetableEntry.subgroup == "2",
                )
            )
        )
        await session.commit()

    async def monday(student: str) -> list[tuple[int, str, str, str]]:
        pupil = await actor_for(session_maker, student, 2000 + int(student[1:]))
        async with session_maker() as session:
            answer = await family_views.schedule_view(session, pupil, (await jd.student(session, student)).id, MON)
        return [(item.lesson_no, item.subject, item.subgroup, item.teacher) for item in answer.days[0].items]

    assert (3, "Английский язык", "1", "Волкова Татьяна Андреевна") in await monday("s1")
    assert [lesson_no for lesson_no, *_ in await monday("s3")] == [1, 2, 4, 5]


async def test_the_week_reads_the_pupils_groups_once(split_english, engine, session_maker) -> None:
    pupil = await actor_for(session_maker, "s4", 2004)
    statements: list[str] = []

    def seen(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    async with session_maker() as session:
        s4 = (await jd.student(session, "s4")).id
        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            await family_views.homework_view(session, pupil, s4, THU, week=0)
            await family_views.schedule_view(session, pupil, s4, THU, week=0)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert sum("subgroup_members" in statement for statement in statements) == 2  # one a view, whatever the days

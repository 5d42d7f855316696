"""Parents and students in the chat: /grades, /attendance, /homework, /schedule, /child — in ru and en."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from bot.text import visible_length
from handlers.family import ChildPick, View
from models import Account, Student
from tests import journal_data as jd
from tests.people import signed_in

NOV = lambda day: dt.date(2026, 11, day)  # noqa: E731 — dates inside the 2nd четверть
NEED_A_PICK = "Чей дневник открыть?"
EN_NOT_YOUR_CHILD = "This is not your child."


def travel(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), ZoneInfo("Europe/Moscow")), tick=False)


@pytest.fixture
def on_school_day() -> Iterator[None]:
    with travel(NOV(26)):  # Thursday
        yield


@pytest.fixture
async def journal(school, session_maker) -> None:
    """s1 (5А; parent p1, who also has s17 in 1А): marks, absences and homework."""
    async with session_maker() as session:
        await jd.add_mark(session, "s1", "матем", NOV(10), 5, "работа на уроке", comment="молодец")
        await jd.add_mark(session, "s1", "матем", NOV(11), 4, "работа на уроке")
        await jd.add_mark(session, "s1", "матем", NOV(16), 3, "контрольная", slot=1)
        await jd.add_mark(session, "s1", "матем", NOV(16), 4, "контрольная", slot=2)
        await jd.add_mark(session, "s1", "русск", NOV(12), 4, "самост", teacher="t2")
        await jd.add_absence(session, "s1", "матем", NOV(17), "н", "уп", lesson_no=1)
        await jd.add_absence(session, "s1", "русск", NOV(18), "оп", lesson_no=2, teacher="t2")
        await jd.lesson(session, "5А", "матем", NOV(27), 2, homework="№ 112 <стр. 40>")
        await session.commit()


async def selected(session_maker, telegram_id: int) -> str | None:
    async with session_maker() as session:
        account = await session.scalar(select(Account).where(Account.telegram_id == telegram_id))
        if account.selected_student_id is None:
            return None
        return (await session.get(Student, account.selected_student_id)).external_id


async def student_id(session_maker, external_id: str) -> int:
    async with session_maker() as session:
        return (await jd.student(session, external_id)).id


# --- choosing the child ------------------------------------------------------------------------


async def test_a_parent_of_two_picks_a_child_once_and_switches_with_child(
    journal, harness, session_maker, on_school_day
) -> None:
    parent = await signed_in(harness, session_maker, "p1", 2001)
    assert await parent.sends("/grades") == [NEED_A_PICK]
    assert parent.button_labels() == ["Алексеев Артём Игоревич · 5А", "Алексеева Полина Игоревна · 1А"]
    assert await selected(session_maker, 2001) is None

    (grades,) = await parent.clicks("Алексеев Артём")
    assert grades.startswith("<b>Алексеев Артём Игоревич</b>, 5А · 2 четверть\n<pre>")
    assert await selected(session_maker, 2001) == "s1"

    (again,) = await parent.sends("/grades")  # remembered: no question this time
    assert again == grades

    assert await parent.sends("/child") == [NEED_A_PICK]
    assert parent.button_labels() == ["✓ Алексеев Артём Игоревич · 5А", "Алексеева Полина Игоревна · 1А"]
    assert await parent.clicks("Алексеева Полина") == [
        "Открыт дневник: Алексеева Полина Игоревна, 1А. Сменить — /child."
    ]
    assert await selected(session_maker, 2001) == "s17"
    assert await parent.sends("/grades") == [
        "<b>Алексеева Полина Игоревна</b>, 1А · 2 четверть\n"
        "В 1 классе отметки не ставятся — только посещаемость: /attendance."
    ]


async def test_a_picked_command_keeps_its_arguments(journal, harness, session_maker, on_school_day) -> None:
    parent = await signed_in(harness, session_maker, "p1", 2001)
    assert await parent.sends("/grades матем") == [NEED_A_PICK]
    (answer,) = await parent.clicks("Алексеев Артём")
    assert answer.startswith("<b>Математика</b>\n<b>Алексеев Артём Игоревич</b>, 5А · 2 четверть")


async def test_a_forged_button_for_another_familys_child_is_refused(
    journal, harness, session_maker, on_school_day
) -> None:
    parent = await signed_in(harness, session_maker, "p1", 2001)
    await parent.sends("/child")
    await parent.clicks("Алексеев Артём")
    stranger = await student_id(session_maker, "s3")
    forged = ChildPick(student_id=stranger, view=View.GRADES, args="").pack()
    assert await parent.presses(forged) == ["Это не ваш ребёнок."]
    assert await selected(session_maker, 2001) == "s1"  # nothing changed
    assert not any("Васильев" in text for text in harness.sent_to(2001))

    pupil = await signed_in(harness, session_maker, "s2", 2002)
    assert await pupil.presses(forged) == ["Ученик видит только свой дневник."]
    assert await selected(session_maker, 2002) is None


async def test_a_student_sees_only_themself(journal, harness, session_maker, on_school_day) -> None:
    pupil = await signed_in(harness, session_maker, "s1", 2002)
    (grades,) = await pupil.sends("/grades")
    assert grades.startswith("<b>Алексеев Артём Игоревич</b>, 5А · 2 четверть")
    assert pupil.button_labels() == []
    assert await pupil.sends("/child") == ["В журнале у вас один ученик: Алексеев Артём Игоревич, 5А."]


async def test_a_student_who_left_is_named_without_a_class(journal, harness, session_maker, on_school_day) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)  # the class teacher of 5А
    assert (await teacher.sends("/leave s1 26.11"))[0].startswith("Записать выбытие")
    assert (await teacher.clicks("Подтвердить"))[0].startswith("Записано выбытие")
    pupil = await signed_in(harness, session_maker, "s1", 2002)

    (grades,) = await pupil.sends("/grades")
    (attendance,) = await pupil.sends("/attendance")

    assert grades.startswith("<b>Алексеев Артём Игоревич</b> · 2 четверть\n")
    assert attendance.startswith("Пропуски · <b>Алексеев Артём Игоревич</b> · 2 четверть\n")


async def test_staff_without_children_are_pointed_elsewhere(school, harness, session_maker, on_school_day) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    assert await teacher.sends("/grades") == [
        "Отметки, пропуски, задания и расписание здесь — для учеников и родителей. "
        "Учителю: /period, заместителю и директору: /journal."
    ]


# --- the views, in Russian ----------------------------------------------------------------------


async def test_grades_in_russian(journal, harness, session_maker, on_school_day) -> None:
    parent = await signed_in(harness, session_maker, "p3", 2003)  # one child, s3: no marks yet
    assert await parent.sends("/grades") == [
        "<b>Васильев Кирилл Андреевич</b>, 5А · 2 четверть\nОтметок за этот период пока нет."
    ]
    pupil = await signed_in(harness, session_maker, "s1", 2002)
    (summary,) = await pupil.sends("/grades")
    # (5 + 4 + 3×3 + 4×3) / (1 + 1 + 3 + 3) = 30 / 8 = 3.75; русский: 4 (самостоятельная, вес 2)
    assert "<pre>Предмет          ср. ≈ итог отметки\n" in summary
    assert "\nМатематика      3,75 4      5 4 3/4\n" in summary
    assert "\nРусский язык    4,00 4      4\n" in summary
    assert "\nИстория\n" in summary

    (detail,) = await pupil.sends("/grades матем")
    assert detail == (
        "<b>Математика</b>\n<b>Алексеев Артём Игоревич</b>, 5А · 2 четверть\n"
        "<pre>Дата  Отм. Вид работы ×вес\n"
        "10.11    5 работа на уроке ×1 — молодец\n"
        "11.11    4 работа на уроке ×1\n"
        "16.11  3/4 контрольная работа ×3</pre>\n"
        "Средний балл: 3,75 (4 отметки).\n"
        "По среднему выходит 4 за период «2 четверть» (ещё не выставлена)."
    )
    (earlier,) = await pupil.sends("/grades 1")
    assert earlier.startswith("<b>Алексеев Артём Игоревич</b>, 5А · 1 четверть\nОтметок за этот период пока нет.")
    (year,) = await pupil.sends("/grades год")
    assert "· 2026/2027 учебный год\n<pre>Предмет         1 2 3 4  ср. ≈ год\n" in year
    assert "\nМатематика              3,75\n" in year
    assert (await pupil.sends("/grades химия"))[0].startswith("Предмета «химия» нет. Предметы: Английский язык, ")


async def test_attendance_homework_and_schedule_in_russian(journal, harness, session_maker, on_school_day) -> None:
    pupil = await signed_in(harness, session_maker, "s1", 2002)
    assert await pupil.sends("/attendance") == [
        "Пропуски · <b>Алексеев Артём Игоревич</b>, 5А · 2 четверть\n"
        "<pre>Дата  Ур. Предмет      Отметка\n"
        "17.11   1 Математика   н → уп\n"
        "18.11   2 Русский язык оп</pre>\n"
        "Пропущено уроков: 1, опозданий: 1. По видам:\n"
        "<pre>н б уп нп оп\n"
        "0 0  1  0  1</pre>\n"
        "н — не был на уроке, б — болел, оп — опоздал; после стрелки — пояснение классного руководителя: "
        "уп — по уважительной причине, нп — без уважительной, б — болел. В итогах пояснение заменяет «н»."
    ]
    assert await pupil.sends("/homework") == [
        "Домашнее задание · <b>Алексеев Артём Игоревич</b>, 5А\n"
        "<b>пт, 27 ноября</b>\n"
        "2. <b>Математика</b>: № 112 &lt;стр. 40&gt;"
    ]
    (week,) = await pupil.sends("/homework неделя")
    assert week.startswith("Домашние задания на неделю") and week.count("Ничего не задано.") == 4
    assert "<b>пн, 23 ноября</b>" in week and "<b>пт, 27 ноября</b>\n2. <b>Математика</b>" in week
    (following,) = await pupil.sends("/homework следующая неделя")
    assert following.startswith("Домашние задания на следующую неделю") and following.count("Ничего не задано.") == 5
    assert "<b>пн, 30 ноября</b>" in following and "<b>пт, 4 декабря</b>" in following
    assert await pupil.sends("/homework завтра") == [
        "Не понял «завтра». Можно так: /homework, /homework неделя, /homework следующая неделя, /schedule, "
        "/schedule неделя (неделя — с понедельника по воскресенье)."
    ]
    (schedule,) = await pupil.sends("/schedule")
    assert schedule.startswith(
        "Расписание · <b>Алексеев Артём Игоревич</b>, 5А\n<b>чт, 26 ноября</b>\n"
        "<pre>1 08:30–09:15 Математика   21\n"
        "2 09:25–10:10 Русский язык 21\n"
    )
    assert "<b>пт, 27 ноября</b>\n<pre>1 08:30–09:15 Русский язык    21\n" in schedule


async def test_on_a_saturday_the_schedule_starts_on_monday(journal, harness, session_maker) -> None:
    with travel(NOV(28)):
        pupil = await signed_in(harness, session_maker, "s1", 2002)
        (schedule,) = await pupil.sends("/schedule")
    assert schedule.split("\n")[1:3] == ["Сегодня уроков нет.", "<b>пн, 30 ноября</b>"]
    assert "<b>вт, 1 декабря</b>" in schedule


async def test_on_a_saturday_the_week_is_still_this_one_as_homework_reads_it(journal, harness, session_maker) -> None:
    with travel(NOV(28)):
        pupil = await signed_in(harness, session_maker, "s1", 2002)
        (schedule,) = await pupil.sends("/schedule неделя")
        (homework,) = await pupil.sends("/homework неделя")
    for answer in (schedule, homework):
        assert "<b>пн, 23 ноября</b>" in answer and "<b>пт, 27 ноября</b>" in answer and "30 ноября" not in answer


# --- the views, in English ----------------------------------------------------------------------


async def test_the_views_in_english(journal, harness, session_maker, on_school_day) -> None:
    parent = await signed_in(harness, session_maker, "p1", 2001)
    async with session_maker() as session:
        account = await session.scalar(select(Account).where(Account.telegram_id == 2001))
        account.language = "en"
        await session.commit()
    assert await parent.sends("/grades") == ["Whose record should I open?"]
    (grades,) = await parent.clicks("Алексеев Артём")
    assert "<pre>Subject          avg ≈ final marks\n" in grades
    assert "\nМатематика      3.75 4       5 4 3/4\n" in grades
    assert grades.endswith(
        "</pre>\navg — the average weighted by the kind of work; ≈ — the mark the average gives; "
        "final — the period mark once set. One subject in detail: /grades матем; another period: "
        "/grades 1, /grades year."
    )
    (detail,) = await parent.sends("/grades матем")
    assert "<pre>Date   Mark Work ×weight\n10 Nov    5 работа на уроке ×1 — молодец\n" in detail
    assert "Average: 3.75 (4 marks)." in detail
    (absences,) = await parent.sends("/attendance")
    assert "Lessons missed: 1, late: 1. By code:" in absences
    assert "17 Nov   1 Математика   н → уп" in absences
    (homework,) = await parent.sends("/homework")
    assert homework == (
        "Homework · <b>Алексеев Артём Игоревич</b>, 5А\n<b>Fri 27 November</b>\n"
        "2. <b>Математика</b>: № 112 &lt;стр. 40&gt;"
    )
    (schedule,) = await parent.sends("/schedule week")
    assert schedule.startswith("Timetable for the week · <b>Алексеев Артём Игоревич</b>, 5А\n<b>Mon 23 November</b>")
    (schedule,) = await parent.sends("/schedule next week")
    assert schedule.startswith("Timetable for next week · <b>Алексеев Артём Игоревич</b>, 5А\n<b>Mon 30 November</b>")
    forged = ChildPick(student_id=await student_id(session_maker, "s3"), view=View.GRADES).pack()
    assert await parent.presses(forged) == [EN_NOT_YOUR_CHILD]


# --- long answers ---------------------------------------------------------------------------------


async def test_a_long_answer_is_split_between_lines_and_tables_stay_whole(
    school, harness, session_maker, on_school_day
) -> None:
    async with session_maker() as session:
        day = dt.date(2026, 11, 5)
        while day <= dt.date(2026, 11, 25):
            for lesson_no in range(1, 7):
                await jd.add_mark(
                    session,
                    "s1",
                    "матем",
                    day,
                    2 + (day.day + lesson_no) % 4,
                    "работа на уроке",
                    lesson_no=lesson_no,
                    comment=f"комментарий учителя к уроку {lesson_no} — подробно",
                )
            day += dt.timedelta(days=1)
        await session.commit()
    pupil = await signed_in(harness, session_maker, "s1", 2002)
    parts = await pupil.sends("/grades матем")
    assert len(parts) >= 3
    for part in parts:
        assert visible_length(part) <= 4096  # as Telegram counts: tags count nothing
        assert part.count("<pre>") == part.count("</pre>") == 1
    rows = [line for part in parts for line in re.sub(r"</?pre>", "", part).split("\n") if "комментарий" in line]
    assert len(rows) == 21 * 6 and all(line.endswith("— подробно") for line in rows)
    assert parts[-1].endswith("(ещё не выставлена).")

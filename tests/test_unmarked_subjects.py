"""Subjects without marks (issue 13, item 2): ОРКСЭ in grade 4 is assessed pass/fail, and a school may
teach grade 2 without marks in its first term (UNMARKED_PERIODS).

The demo school on Thursday 26.11.2026, 10:00 in Moscow, with two more classes imported through the
real importer: 4А (grade 4: ОРКСЭ pass/fail and mathematics with marks, both taught by t5, ОРКСЭ on
Thursdays, mathematics on Fridays, lesson 6) and 2А (grade 2: mathematics with t6 on Thursdays,
lesson 6). 4А's list: 1 Андреев, 2 Борисова, 3 Воробьёв; 2А's: 1 Галкин, 2 Данилова.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import get_translator
from handlers.teacher.views import render_lesson, render_student
from models import Attendance, AuditEntry, FinalMark, Lesson, Mark, Marking, SchoolClass, Subject, TeachingAssignment
from services import final_mark_setting, final_marks, journal
from services.demo_school import MATH, demo_school_sheets
from services.errors import DomainError
from services.grades import current_scope, school_thresholds
from services.journal.model import LessonKey
from services.marking import keep_unmarked_periods
from services.period_figures import class_results
from services.reports.marks_basis import class_marks
from services.reports.request import Basis
from services.school_clock import SchoolClock
from services.school_days import lessons_due
from services.school_import import check_rows, import_rows
from services.school_import.sheets import SheetRows
from tests.conftest import SCHOOL_TODAY
from tests.journal_data import attempt, row_counts
from tests.people import actor_for, signed_in

NOW = dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.timezone.utc)  # Thursday 26.11.2026, 10:00 in Moscow
ORKSE = "ОРКСЭ"
FIRST_TERM_THURSDAY = "01.10"  # a Thursday of the first четверть, 2А's mathematics lesson

SessionMaker = async_sessionmaker[AsyncSession]


def sheets(orkse_marking: str = "pass_fail") -> SheetRows:
    """The demo school with 4А and 2А added."""
    found = demo_school_sheets(SCHOOL_TODAY)
    found["subjects"].append({"name": ORKSE})
    found["classes"] += [{"name": "4А", "grade": "4", "homeroom_teacher": ""}, {"name": "2А", "grade": "2"}]
    found["students"] += [
        {"id": "s41", "full_name": "Андреев Олег Петрович", "class": "4А"},
        {"id": "s42", "full_name": "Борисова Мария Ильинична", "class": "4А"},
        {"id": "s43", "full_name": "Воробьёв Илья Сергеевич", "class": "4А"},
        {"id": "s21a", "full_name": "Галкин Пётр Андреевич", "class": "2А"},
        {"id": "s22a", "full_name": "Данилова Вера Олеговна", "class": "2А"},
    ]
    found["assignments"] += [
        {"teacher": "t5", "class": "4А", "subject": ORKSE, "subgroup": "", "marking": orkse_marking},
        {"teacher": "t5", "class": "4А", "subject": MATH, "subgroup": ""},
        {"teacher": "t6", "class": "2А", "subject": MATH, "subgroup": "", "marking": "marks"},
    ]

    def lesson(class_name: str, day: str, subject: str, teacher: str) -> dict[str, Any]:
        return {"class": class_name, "weekday": day, "lesson_no": "6", "subject": subject, "teacher": teacher}

    found["timetable"] += [
        lesson("4А", "Чт", ORKSE, "t5"),
        lesson("4А", "Пт", MATH, "t5"),
        lesson("2А", "Чт", MATH, "t6"),
    ]
    return found


@pytest.fixture
async def school(session_maker: SessionMaker) -> None:
    async with session_maker() as session:
        report = await import_rows(session, sheets(), today=SCHOOL_TODAY)
        assert report.ok, report.problems
        await session.commit()


pytestmark = pytest.mark.usefixtures("school")


def moscow_clock():
    return SchoolClock(ZoneInfo("Europe/Moscow"), edit_grace=dt.timedelta(minutes=10)).stopped_at(NOW).entry()


def said(error: object, language: str = "ru") -> str:
    assert isinstance(error, DomainError), error
    return get_translator(language).refusal(error)


async def journal_counts(session_maker) -> dict[str, int]:
    return await row_counts(
        session_maker, lessons=Lesson, marks=Mark, attendance=Attendance, **{"final marks": FinalMark}, audit=AuditEntry
    )


async def ids(session_maker: SessionMaker) -> dict[str, int]:
    async with session_maker() as session:
        found = {c.name: c.id for c in await session.scalars(select(SchoolClass))}
        return found | {s.name: s.id for s in await session.scalars(select(Subject))}


# --- the import ----------------------------------------------------------------------------------


async def test_the_import_keeps_the_marking_of_each_class_subject(session_maker) -> None:
    known = await ids(session_maker)
    async with session_maker() as session:
        markings = dict(
            (
                await session.execute(
                    select(Subject.name, TeachingAssignment.marking)
                    .join(Subject, Subject.id == TeachingAssignment.subject_id)
                    .where(TeachingAssignment.class_id == known["4А"])
                )
            ).all()
        )
    assert markings == {ORKSE: Marking.PASS_FAIL.value, MATH: Marking.MARKS.value}


def test_rows_of_one_class_subject_that_disagree_are_a_problem_naming_where() -> None:
    disagreeing = sheets()
    disagreeing["assignments"].append(
        {"teacher": "t3", "class": "4А", "subject": ORKSE, "subgroup": "", "marking": "none"}
    )
    first = (
        disagreeing["assignments"].index(next(row for row in disagreeing["assignments"] if row["subject"] == ORKSE)) + 2
    )
    last = len(disagreeing["assignments"]) + 1

    report = check_rows(disagreeing, today=SCHOOL_TODAY)

    assert [str(problem) for problem in report.problems] == [
        f"assignments, row {last}, marking: 4А ОРКСЭ: none here, pass_fail in row {first}; "
        "every row of a class and subject has the same marking"
    ]


def test_an_unknown_marking_is_a_problem() -> None:
    wrong = sheets(orkse_marking="оценочный")
    row = next(i for i, r in enumerate(wrong["assignments"]) if r["subject"] == ORKSE) + 2

    report = check_rows(wrong, today=SCHOOL_TODAY)

    assert [str(problem) for problem in report.problems] == [
        f"assignments, row {row}, marking: unknown marking 'оценочный' (marks, none, pass_fail)"
    ]


# --- ОРКСЭ in grade 4: lessons ---------------------------------------------------------------------


async def test_orkse_takes_attendance_topic_and_homework(session_maker) -> None:
    t5 = await actor_for(session_maker, "t5", 5005)

    entered = await attempt(session_maker, lambda s: journal.mark_command(s, t5, "4А оркс 1:н 3:оп", moscow_clock()))
    topic = await attempt(session_maker, lambda s: journal.topic_command(s, t5, "4А оркс Добро и зло", moscow_clock()))
    homework = await attempt(
        session_maker, lambda s: journal.homework_command(s, t5, "4А оркс Рассказ о семье", moscow_clock())
    )

    assert not isinstance(entered, DomainError), said(entered)
    assert not isinstance(topic, DomainError), said(topic)
    assert not isinstance(homework, DomainError), said(homework)
    async with session_maker() as session:
        lessons = (
            await session.scalars(
                select(Lesson).where(Lesson.subject_id == (await ids(session_maker))[ORKSE]).order_by(Lesson.date)
            )
        ).all()
        codes = sorted((await session.scalars(select(Attendance.code))).all())
    # the homework goes on the next lesson, where it is due
    assert [(lesson.date, lesson.topic, lesson.homework) for lesson in lessons] == [
        (SCHOOL_TODAY, "Добро и зло", ""),
        (dt.date(2026, 12, 3), "", "Рассказ о семье"),
    ]
    assert codes == ["н", "оп"]
    # Nor do the reminders and /control wait for its marks: the lesson lacks none.
    async with session_maker() as session:
        due = {
            (lesson.class_name, lesson.subject): lesson.missing for lesson in await lessons_due(session, [SCHOOL_TODAY])
        }
    assert due[("4А", ORKSE)] == ()
    assert "marks" in due[("5А", MATH)]


async def test_a_mark_in_orkse_is_refused_with_the_rule_and_nothing_is_written(session_maker) -> None:
    t5 = await actor_for(session_maker, "t5", 5005)
    before = await journal_counts(session_maker)

    refused = await attempt(session_maker, lambda s: journal.mark_command(s, t5, "4А оркс 1:5 2:4", moscow_clock()))

    assert said(refused) == (
        "В 4А «ОРКСЭ» оценивается зачётом: за уроки отметки не ставятся, за четверть и год — «зч» или «нз». "
        "Посещаемость, тему и домашнее задание записывать можно."
    )
    assert said(refused, "en") == (
        "ОРКСЭ in 4А is assessed pass/fail: lessons get no marks, the term and the year “pass” or “fail”. "
        "Attendance, the topic and homework can be recorded."
    )
    assert await journal_counts(session_maker) == before


async def test_the_lesson_screen_offers_attendance_topic_and_homework_but_no_marks(session_maker) -> None:
    t5 = await actor_for(session_maker, "t5", 5005)
    found = await ids(session_maker)
    i18n = get_translator("ru")
    async with session_maker() as session:
        orkse = await journal.lesson_view(session, t5, LessonKey(found["4А"], found[ORKSE], SCHOOL_TODAY))
        andreev = orkse.rows[0].student_id

    text, lesson_keyboard = render_lesson(orkse, i18n)
    _, pupil_keyboard = render_student(orkse, andreev, i18n)

    tools = [button.text for row in lesson_keyboard.inline_keyboard for button in row]
    values = [button.text for row in pupil_keyboard.inline_keyboard for button in row]
    assert "Задание" in tools and "Тема" in tools and "Вид работы" not in tools
    assert {"н", "б", "оп"} <= set(values) and not {"2", "3", "4", "5"} & set(values)
    assert "Значения: н, б, оп, + (был на уроке)" in text and "Вид работы" not in text


async def test_in_the_chat_the_teacher_reads_the_rule(harness, session_maker, time_machine) -> None:
    time_machine.move_to(NOW, tick=False)
    teacher = await signed_in(harness, session_maker, "t5", 5005)
    before = await journal_counts(session_maker)

    [answer] = await teacher.sends("/mark 4А оркс 2:5")

    assert "«ОРКСЭ» оценивается зачётом: за уроки отметки не ставятся" in answer
    assert await journal_counts(session_maker) == before


async def test_a_subject_without_marks_refuses_a_mark_and_a_term_mark(session_maker) -> None:
    async with session_maker() as session:
        report = await import_rows(session, sheets(orkse_marking="none"), today=SCHOOL_TODAY)
        assert report.ok, report.problems
        await session.commit()
    t5 = await actor_for(session_maker, "t5", 5005)
    known = await ids(session_maker)
    before = await journal_counts(session_maker)

    refused = await attempt(session_maker, lambda s: journal.mark_command(s, t5, "4А оркс 1:5", moscow_clock()))
    term = await attempt(session_maker, lambda s: set_term_result(s, t5, known, 1, "зч"))
    async with session_maker() as session:  # /period offers only what takes a term result
        offered = [(taught.class_name, taught.subject) for taught in await final_marks.taught_by(session, t5)]

    assert ("4А", MATH) in offered and ("4А", ORKSE) not in offered
    assert said(refused) == (
        "В 4А «ОРКСЭ» ведётся без отметок (безотметочный предмет): отметки не ставятся. "
        "Посещаемость, тему и домашнее задание записывать можно."
    )
    assert said(term) == "В 4А «ОРКСЭ» ведётся без отметок: отметки за четверть и год не ставятся."
    assert await journal_counts(session_maker) == before


# --- ОРКСЭ in grade 4: the term ---------------------------------------------------------------------


async def set_term_result(session: AsyncSession, actor, known: dict[str, int], number: int, value: str):
    scope = await current_scope(session, SCHOOL_TODAY)
    return await final_mark_setting.set_final_mark(
        session, actor, known["4А"], known[ORKSE], scope, number, value, SCHOOL_TODAY, NOW
    )


async def test_a_pass_is_its_term_result_and_a_number_is_refused(session_maker) -> None:
    t5 = await actor_for(session_maker, "t5", 5005)
    known = await ids(session_maker)

    passed = await attempt(session_maker, lambda s: set_term_result(s, t5, known, 1, "зч"))
    failed = await attempt(session_maker, lambda s: set_term_result(s, t5, known, 2, "не зачтено"))
    before = await journal_counts(session_maker)
    number = await attempt(session_maker, lambda s: set_term_result(s, t5, known, 3, "5"))

    assert (passed.final.label(), failed.final.label(), passed.final.label("en")) == ("зч", "нз", "pass")
    assert said(number) == (
        "В 4А «ОРКСЭ» оценивается зачётом: вместо 5 можно «зч» (зачтено), «нз» (не зачтено), «н/а» или «осв.»."
    )
    assert await journal_counts(session_maker) == before
    async with session_maker() as session:
        specials = sorted((await session.scalars(select(FinalMark.special))).all())
    assert specials == ["fail", "pass"]


async def test_a_pass_is_refused_in_a_subject_with_marks(session_maker) -> None:
    t5 = await actor_for(session_maker, "t5", 5005)
    known = await ids(session_maker)

    async def set_math(session: AsyncSession):
        scope = await current_scope(session, SCHOOL_TODAY)
        return await final_mark_setting.set_final_mark(
            session, t5, known["4А"], known[MATH], scope, 1, "зч", SCHOOL_TODAY, NOW
        )

    refused = await attempt(session_maker, set_math)

    assert said(refused) == (
        "В 4А «Математика» оценивается отметками: «зч» ставится только по предметам с зачётом. "
        "Можно от 2 до 5, «н/а» или «осв.»."
    )


async def test_a_pass_counts_in_no_average_and_no_class_figure(session_maker) -> None:
    """4А's mathematics: 5, 4 and 3 for the term; ОРКСЭ: зч, нз, зч. The class's figures are mathematics'
    alone: a «нз» is no failure, and no «зч» makes a pupil without a number."""
    t5 = await actor_for(session_maker, "t5", 5005)
    known = await ids(session_maker)
    for number, value in ((1, "зч"), (2, "нз"), (3, "зч")):
        await attempt(session_maker, lambda s, n=number, v=value: set_term_result(s, t5, known, n, v))

    async def set_math(session: AsyncSession) -> None:
        scope = await current_scope(session, SCHOOL_TODAY)
        for number, value in ((1, 5), (2, 4), (3, 3)):
            await final_mark_setting.set_final_mark(
                session, t5, known["4А"], known[MATH], scope, number, value, SCHOOL_TODAY, NOW, reason="tests"
            )

    await attempt(session_maker, set_math)

    async with session_maker() as session:
        scope = await current_scope(session, SCHOOL_TODAY)
        fourth = await session.get(SchoolClass, known["4А"])
        marks = await class_marks(session, fourth, scope, Basis.FINAL, await school_thresholds(session))
        figures = marks.figures(marks.column)
        orkse = [marks.cell(student_id, known[ORKSE], marks.column).result for student_id in marks.lists[marks.column]]
        results = (await class_results(session, scope.period.id, scope.start, scope.end))[known["4А"]]

    assert [result.text for result in orkse] == ["зч", "нз", "зч"]
    assert (figures.pupils, figures.failing, figures.not_assessed) == (3, 0, 0)
    assert (str(figures.average), str(figures.success), str(figures.quality)) == ("4.00", "100.0", "66.7")
    assert str(figures.learning) == str(round((100 + 64 + 36) / 3, 1))  # СОУ of the three maths marks
    assert marks.subject_figures(known[ORKSE], marks.column).pupils == 0
    assert (results.students, results.results, results.total, results.quality, results.success) == (3, 3, 12, 2, 3)


# --- grade 2 without marks in the first term (UNMARKED_PERIODS) ---------------------------------------


async def mark_second_grade(session_maker: SessionMaker, t6):
    return await attempt(
        session_maker, lambda s: journal.mark_command(s, t6, f"2А матем {FIRST_TERM_THURSDAY} 1:5", moscow_clock())
    )


async def test_grade_two_is_refused_marks_in_the_first_term_when_the_school_says_so(session_maker) -> None:
    async with session_maker() as session:
        await keep_unmarked_periods(session, "2:1")
        await session.commit()
    t6 = await actor_for(session_maker, "t6", 6006)
    before = await journal_counts(session_maker)

    refused = await mark_second_grade(session_maker, t6)

    assert said(refused) == (
        "В 2А в период «1 четверть» отметки не ставятся: так решила школа для 2-х классов. "
        "Посещаемость, тему и домашнее задание записывать можно."
    )
    assert said(refused, "en") == (
        "2А gets no marks in 1 четверть: the school's rule for grade 2. "
        "Attendance, the topic and homework can be recorded."
    )
    assert await journal_counts(session_maker) == before
    # The second term takes marks as before.
    second_term = await attempt(session_maker, lambda s: journal.mark_command(s, t6, "2А матем 1:5", moscow_clock()))
    assert not isinstance(second_term, DomainError), said(second_term)


async def test_grade_two_takes_marks_in_the_first_term_without_the_setting(session_maker) -> None:
    entered = await mark_second_grade(session_maker, await actor_for(session_maker, "t6", 6006))

    assert not isinstance(entered, DomainError), said(entered)
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Mark)) == 1

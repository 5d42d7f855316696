"""The `keeping` report (контроль ведения ЭЖ): per teacher, class, subject and group, the lessons of the
period and how they were written — on time or late by the 17:00 rule, from the entries' own times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import event

from models import Lesson, LessonChange, LessonChangeKind
from services.journal_fill import Deadline
from services.reports.keeping import build
from services.school_reference import school_reference
from tests import homeroom_data as data
from tests import report_data
from tests.test_scheduler import MSK, at

pytestmark = pytest.mark.usefixtures("school")

THU, FRI, MON, TUE = dt.date(2026, 11, 5), dt.date(2026, 11, 6), dt.date(2026, 11, 9), dt.date(2026, 11, 10)
MATH, HISTORY, ENGLISH = "Математика", "История", "Английский язык"


async def written(
    session, lesson: Lesson, when: dt.datetime, *, marks: dict[str, tuple[int, ...]] | None = None, topic: bool = True
) -> None:
    """Attendance taken, the topic and the marks written at `when`, as the journal stamps them."""
    lesson.attendance_taken, lesson.attendance_taken_at = True, when
    if topic:
        lesson.topic, lesson.topic_at = "Тема урока", when
    for pupil, values in (marks or {}).items():
        for slot, value in enumerate(values, start=1):
            mark = await data.mark(session, lesson, pupil, value, slot=slot, teacher="t1")
            mark.created_at = when
    await session.flush()


async def homework_on(session, lesson: Lesson, when: dt.datetime) -> None:
    """Homework set at the lesson before, written on this one (where it is due)."""
    lesson.homework, lesson.homework_at = "§ 3", when
    await session.flush()


async def fifth_b_first_days(session) -> None:
    """5Б's first three school days of the 2 четверть (Thu 5.11, Fri 6.11, Mon 9.11).

    Mathematics (t1): Thursday written in time; Friday's lesson written on Sunday (late); Monday's
    with attendance only. English group 1 (t4): both lessons written in time, but the homework set on
    Monday written at 18:30. History on Thursday given by t1 instead of d1. The rest: nothing written.
    """
    math_thu = await report_data.page_lesson(session, "5Б", MATH, THU, 5, "t1")
    math_fri = await report_data.page_lesson(session, "5Б", MATH, FRI, 1, "t1")
    math_mon = await report_data.page_lesson(session, "5Б", MATH, MON, 5, "t1")
    await written(session, math_thu, at(THU, 13, 30), marks={"s9": (5,), "s10": (4,)})
    await homework_on(session, math_fri, at(THU, 13, 30))
    await written(session, math_fri, at(dt.date(2026, 11, 8), 12), marks={"s9": (4, 5)})  # Sunday
    await homework_on(session, math_mon, at(dt.date(2026, 11, 8), 12))
    await written(session, math_mon, at(MON, 14), topic=False)

    english_fri = await report_data.page_lesson(session, "5Б", ENGLISH, FRI, 2, "t4", group="1")
    english_mon = await report_data.page_lesson(session, "5Б", ENGLISH, MON, 2, "t4", group="1")
    english_tue = await report_data.page_lesson(session, "5Б", ENGLISH, TUE, 4, "t4", group="1")
    await written(session, english_fri, at(FRI, 10), marks={"s9": (5,), "s10": (4, 4)})
    await homework_on(session, english_mon, at(FRI, 10))
    await written(session, english_mon, at(MON, 10), marks={"s9": (3,), "s10": (5,)})
    await homework_on(session, english_tue, at(MON, 18, 30))

    session.add(
        LessonChange(
            class_id=await data.class_id(session, "5Б"),
            date=THU,
            lesson_no=2,
            kind=LessonChangeKind.SUBSTITUTION,
            slot_subject_id=await data.subject_id(session, HISTORY),
            subject_id=await data.subject_id(session, HISTORY),
            staff_id=await data.staff_id(session, "t1"),
        )
    )
    await session.commit()


async def test_per_teacher_class_subject_and_group(session) -> None:
    await fifth_b_first_days(session)
    request = await report_data.request(session, "keeping", class_name="5Б", today=TUE)
    document = await build(session, request)

    assert (document.kind, document.title, document.about) == ("keeping", "Контроль ведения электронного журнала", "5Б")
    assert document.signatures == ("Заместитель директора по УВР", "Директор")
    (table,) = document.tables
    assert [column.title for column in table.columns] == [
        "Учитель",
        "Класс",
        "Предмет",
        "Уроков",
        "С темой",
        "С д/з",
        "С посещаемостью",
        "С отметками",
        "Вовремя",
        "С опозданием",
        "Не заполнено",
        "Учеников с < 3 отметок",
        "Дней до записи",
    ]
    nothing = (0, 0, 0, 0, 0, 0)  # topic, homework, attendance, marks, on time, late
    assert [tuple(row) for row in table.rows] == [
        # group 1 of the split English: four pupils, s10 alone has three marks
        ("Волкова Татьяна Андреевна", "5Б", "Английский язык/1", 2, 2, 2, 2, 2, 1, 1, 0, 3, Decimal("0.00")),
        # the substitute's lesson: the page's pupils are counted on its own teacher's row
        ("Иванова Мария Петровна", "5Б", "История", 1, *nothing, 1, None, None),
        # Friday's lesson written two days late; Monday's still lacks its topic, marks and homework
        ("Иванова Мария Петровна", "5Б", "Математика", 3, 2, 2, 3, 2, 1, 1, 1, 7, Decimal("0.67")),
        ("Кузнецова Ольга Викторовна", "5Б", "История", 1, *nothing, 1, 8, None),
        ("Николаев Павел Викторович", "5Б", "Физкультура", 3, *nothing, 3, 8, None),
        ("Петров Сергей Иванович", "5Б", "Литература", 2, *nothing, 2, 8, None),
        ("Петров Сергей Иванович", "5Б", "Русский язык", 3, *nothing, 3, 8, None),
        ("Фролова Наталья Сергеевна", "5Б", "Английский язык/2", 2, *nothing, 2, 4, None),
    ]
    assert table.total == ("Итого", "", "", 17, 4, 4, 5, 4, 2, 2, 13, 46, Decimal("0.40"))
    assert "с 05.11.2026 по 09.11.2026" in table.note
    assert document.summary == ("5Б, 2 четверть: 17 уроков, вовремя 2 (11,8 %), с опозданием 2, не заполнено 13",)


async def test_late_is_counted_against_the_schools_own_deadline(session) -> None:
    await fifth_b_first_days(session)
    noon = Deadline(dt.time(12, 0), MSK)  # Thursday's mathematics, written at 13:30, comes late now
    request = await report_data.request(session, "keeping", class_name="5Б", today=TUE, deadline=noon)
    rows = {(row[0], row[2]): row for row in (await build(session, request)).tables[0].rows}
    assert rows[("Иванова Мария Петровна", MATH)][8:11] == (0, 2, 1)  # on time, late, unfilled
    assert "до 12:00 дня урока" in (await build(session, request)).tables[0].note


async def test_the_school_on_its_first_day_and_grade_one_without_marks_or_homework(session) -> None:
    request = await report_data.request(session, "keeping", today=FRI)  # counts Thursday 5.11 only
    document = await build(session, request)

    assert document.about == "Школа"
    (table,) = document.tables
    first_grade = [tuple(row) for row in table.rows if row[1] == "1А"]
    assert first_grade == [
        ("Смирнова Анна Олеговна", "1А", subject, 1, 0, None, 0, None, 0, 0, 1, None, None)
        for subject in ("Литература", "Математика", "Русский язык", "Физкультура")
    ]
    assert len(table.rows) == 4 + 5 + 5  # 1А, 5А and 5Б's Thursday: one row per teacher and subject
    assert table.total[3:5] == (14, 0) and table.total[-2] == 80  # 5А and 5Б: 8 pupils × 5 subjects
    assert document.summary == ("Школа, 2 четверть: 14 уроков, вовремя 0 (0,0 %), с опозданием 0, не заполнено 14",)


async def test_nothing_to_count_before_the_period_has_a_school_day(session) -> None:
    document = await build(session, await report_data.request(session, "keeping", today=THU))
    assert document.tables[0].rows == ()
    assert document.summary == ("Школа, 2 четверть: уроков по расписанию ещё не было",)


def _append(statements: list[str], _conn, _cursor, statement: str, *_args) -> None:
    statements.append(statement)


async def test_a_fixed_number_of_statements_whatever_the_size(session) -> None:
    """The school's report reads what one class's reads: the lessons are counted over plain rows
    (services.journal_fill), the pupils and their marks read school-wide, as /control does."""
    await fifth_b_first_days(session)
    await school_reference(session)  # the school's reference, read once a session whatever the report
    counts = []
    for class_name in ("5Б", None):
        request = await report_data.request(session, "keeping", class_name=class_name, today=TUE)
        statements: list[str] = []
        count = partial(_append, statements)
        event.listen(session.bind.sync_engine, "before_cursor_execute", count)
        try:
            await build(session, request)
        finally:
            event.remove(session.bind.sync_engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 20

"""The family views as services: who may read whom, and what each view holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models import Account, AttendanceCode, FinalMark
from services import family_views
from services.errors import AccessDenied
from services.final_results import FinalResult
from tests import journal_data as jd
from tests.conftest import SCHOOL_TODAY
from tests.people import actor_for
from tests.test_period_marks import add_period_results

THU, FRI, SAT = SCHOOL_TODAY, dt.date(2026, 11, 27), dt.date(2026, 11, 28)
MON, TUE = dt.date(2026, 11, 30), dt.date(2026, 12, 1)

VIEWS = [
    lambda session, actor, sid: family_views.grades_view(session, actor, sid, THU),
    lambda session, actor, sid: family_views.attendance_view(session, actor, sid, THU),
    lambda session, actor, sid: family_views.homework_view(session, actor, sid, THU),
    lambda session, actor, sid: family_views.schedule_view(session, actor, sid, THU, week=0),
]


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", range(len(VIEWS)), ids=["grades", "attendance", "homework", "schedule"])
async def test_a_parent_reads_only_their_own_children(school, session_maker, view: int) -> None:
    parent = await actor_for(session_maker, "p1", 2001)  # s1 (5А) and s17 (1А)
    async with session_maker() as session:
        own, other = (await jd.student(session, "s1")).id, (await jd.student(session, "s3")).id
        answer = await VIEWS[view](session, parent, own)
        assert answer.student.id == own
        with pytest.raises(AccessDenied) as refused:
            await VIEWS[view](session, parent, other)
    assert refused.value.key == "error-not-your-child"


@pytest.mark.parametrize("view", range(len(VIEWS)), ids=["grades", "attendance", "homework", "schedule"])
async def test_a_student_reads_only_themself(school, session_maker, view: int) -> None:
    pupil = await actor_for(session_maker, "s2", 2002)
    async with session_maker() as session:
        me, classmate = (await jd.student(session, "s2")).id, (await jd.student(session, "s3")).id
        assert (await VIEWS[view](session, pupil, me)).student.id == me
        with pytest.raises(AccessDenied) as refused:
            await VIEWS[view](session, pupil, classmate)
    assert refused.value.key == "error-not-you"


async def test_choosing_a_child_is_remembered_and_another_familys_child_is_refused(school, session_maker) -> None:
    parent = await actor_for(session_maker, "p1", 2001)
    async with session_maker() as session:
        s1, s17, s3 = [(await jd.student(session, ext)).id for ext in ("s1", "s17", "s3")]
        assert [s.external_id for s in await family_views.family_students(session, parent)] == ["s1", "s17"]
        assert await family_views.selected_student(session, parent) is None  # two children: ask first

        await family_views.choose_student(session, parent, s17)
        await session.commit()
        assert (await family_views.selected_student(session, parent)).id == s17

        with pytest.raises(AccessDenied) as refused:
            await family_views.choose_student(session, parent, s3)
        assert refused.value.key == "error-not-your-child"
        await session.rollback()
        assert (await session.get(Account, parent.account_id)).selected_student_id == s17
        assert s1 != s17


async def test_one_child_needs_no_choice_and_staff_have_no_family_view(school, session_maker) -> None:
    parent = await actor_for(session_maker, "p3", 2003)  # only s3
    teacher = await actor_for(session_maker, "t1", 3001)
    async with session_maker() as session:
        assert (await family_views.selected_student(session, parent)).external_id == "s3"
        with pytest.raises(Exception) as refused:
            await family_views.selected_student(session, teacher)
    assert refused.value.key == "family-only"


# --- grades --------------------------------------------------------------------------------------


async def test_grades_of_the_period_and_an_earlier_one_with_its_mark(school, session_maker) -> None:
    parent = await actor_for(session_maker, "p3", 2003)
    async with session_maker() as session:
        s3 = await jd.student(session, "s3")
        math = await jd.subject(session, "матем")
        await jd.add_mark(session, "s3", "матем", dt.date(2026, 10, 1), 3, "работа на уроке")
        await jd.add_mark(session, "s3", "матем", dt.date(2026, 10, 2), 4, "работа на уроке")
        await jd.add_mark(session, "s3", "матем", dt.date(2026, 11, 10), 5, "самост", comment="без ошибок")
        await jd.add_mark(session, "s3", "русск", dt.date(2026, 11, 11), 2, "контр", teacher="t2")
        first = await jd.period(session, 1)
        session.add(
            FinalMark(
                student_id=s3.id,
                subject_id=math.id,
                year_id=first.year_id,
                period_id=first.id,
                value=4,
                set_by_staff_id=await jd.staff_id(session, "t1"),
            )
        )
        await session.commit()

        now = await family_views.grades_view(session, parent, s3.id, THU)
        earlier = await family_views.grades_view(session, parent, s3.id, THU, "1")
        detail = await family_views.grades_view(session, parent, s3.id, THU, "матем")

    assert now.scope.name == "2 четверть"
    summary = {s.subject: ([l.token for l in s.lessons], s.average, s.suggested, s.final) for s in now.subjects}
    assert summary["Математика"] == (["5"], Decimal("5.00"), 5, None)
    assert summary["Русский язык"] == (["2"], Decimal("2.00"), 2, None)
    assert summary["История"] == ([], None, None, None)  # taught, no marks yet
    assert set(summary) == {"Английский язык", "История", "Литература", "Математика", "Русский язык", "Физкультура"}

    math_then = next(s for s in earlier.subjects if s.subject == "Математика")
    assert (earlier.scope.name, [l.token for l in math_then.lessons], math_then.average, math_then.final) == (
        "1 четверть",
        ["3", "4"],
        Decimal("3.50"),
        FinalResult(4),
    )

    assert detail.detail and [s.subject for s in detail.subjects] == ["Математика"]
    (lesson,) = detail.subjects[0].lessons
    assert (lesson.date, lesson.work_type, lesson.weight, lesson.comment) == (
        dt.date(2026, 11, 10),
        "самостоятельная работа",
        2.0,
        "без ошибок",
    )


async def test_the_year_shows_period_marks_and_the_year_suggestion(school, session_maker) -> None:
    pupil = await actor_for(session_maker, "s3", 2003)
    await add_period_results(session_maker, {"s3": (5, 4)})
    async with session_maker() as session:
        s3 = await jd.student(session, "s3")
        answer = await family_views.grades_view(session, pupil, s3.id, THU, "год")
    math_year = next(s for s in answer.year if s.subject == "Математика")
    assert answer.scope.is_year
    assert (math_year.period_marks, math_year.suggested, math_year.final) == (
        (FinalResult(5), FinalResult(4), None, None),
        FinalResult(4),  # 4.50 → 4
        None,
    )


async def test_the_first_grade_has_no_marks(school, session_maker) -> None:
    parent = await actor_for(session_maker, "p1", 2001)
    async with session_maker() as session:
        s17 = (await jd.student(session, "s17")).id
        assert (await family_views.grades_view(session, parent, s17, THU)).no_marks_grade
        assert (await family_views.homework_view(session, parent, s17, THU)).no_homework_grade


# --- attendance ----------------------------------------------------------------------------------


async def test_attendance_by_date_with_the_class_teachers_explanation_and_totals(school, session_maker) -> None:
    parent = await actor_for(session_maker, "p3", 2003)
    async with session_maker() as session:
        s3 = (await jd.student(session, "s3")).id
        await jd.add_absence(session, "s3", "русск", dt.date(2026, 11, 12), "н", lesson_no=2, teacher="t2")
        await jd.add_absence(session, "s3", "матем", dt.date(2026, 11, 12), "н", "уп", lesson_no=1)
        await jd.add_absence(session, "s3", "матем", dt.date(2026, 11, 13), "б", lesson_no=1)
        await jd.add_absence(session, "s3", "матем", dt.date(2026, 11, 16), "н", "нп", lesson_no=1)
        await jd.add_absence(session, "s3", "матем", dt.date(2026, 11, 17), "оп", lesson_no=1)
        await jd.add_absence(session, "s3", "матем", dt.date(2026, 11, 18), "н", lesson_no=1, deleted=True)
        await jd.add_absence(session, "s3", "матем", dt.date(2026, 10, 5), "н", lesson_no=1)  # 1st четверть
        await session.commit()
        answer = await family_views.attendance_view(session, parent, s3, THU)
        year = await family_views.attendance_view(session, parent, s3, THU, "год")

    assert [
        (l.date.day, l.lesson_no, l.subject, l.code.value, l.explanation.value if l.explanation else None)
        for l in answer.lines
    ] == [
        (12, 1, "Математика", "н", "уп"),
        (12, 2, "Русский язык", "н", None),
        (13, 1, "Математика", "б", None),
        (16, 1, "Математика", "н", "нп"),
        (17, 1, "Математика", "оп", None),
    ]
    assert {code.value: n for code, n in answer.totals.items()} == {"н": 1, "б": 1, "уп": 1, "нп": 1, "оп": 1}
    assert (answer.missed, answer.late) == (4, 1)
    assert year.totals[AttendanceCode.ABSENT] == 2 and len(year.lines) == 6


# --- homework and the timetable ----------------------------------------------------------------


async def test_homework_for_the_next_school_day_skips_the_weekend_and_holidays(school, session_maker) -> None:
    pupil = await actor_for(session_maker, "s1", 2001)
    async with session_maker() as session:
        s1 = (await jd.student(session, "s1")).id
        await jd.lesson(session, "5А", "матем", FRI, 2, homework="№ 112")
        await jd.lesson(session, "5А", "русск", FRI, 1, teacher="t2", homework="упр. 40")
        await jd.lesson(session, "5Б", "матем", FRI, 1, homework="чужой класс")
        await jd.lesson(session, "5А", "матем", MON, 1, homework="№ 120")
        await jd.lesson(session, "5А", "литер", TUE, 4, teacher="t2", homework="стих")
        await session.commit()

        async def homework(today: dt.date, week: int | None = None) -> list[tuple[dt.date, list[str]]]:
            answer = await family_views.homework_view(session, pupil, s1, today, week=week)
            return [(day.date, [f"{i.lesson_no} {i.subject}: {i.text}" for i in day.items]) for day in answer.days]

        assert await homework(THU) == [(FRI, ["1 Русский язык: упр. 40", "2 Математика: № 112"])]
        assert await homework(FRI) == [(MON, ["1 Математика: № 120"])]
        assert await homework(SAT) == [(MON, ["1 Математика: № 120"])]
        assert [day for day, _ in await homework(FRI, week=1)] == [
            MON,
            TUE,
            dt.date(2026, 12, 2),
            dt.date(2026, 12, 3),
            dt.date(2026, 12, 4),
        ]
        assert (await homework(FRI, week=1))[1] == (TUE, ["4 Литература: стих"])
        # The last day of the 2nd четверть, then the winter holidays: the 3rd begins on Monday 11 January.
        assert [day for day, _ in await homework(dt.date(2026, 12, 28))] == [dt.date(2027, 1, 11)]


async def test_a_week_is_monday_to_sunday_in_homework_and_schedule_alike(school, session_maker) -> None:
    pupil = await actor_for(session_maker, "s1", 2001)
    this_week = [dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25), THU, FRI]
    next_week = [MON, TUE, dt.date(2026, 12, 2), dt.date(2026, 12, 3), dt.date(2026, 12, 4)]
    async with session_maker() as session:
        s1 = (await jd.student(session, "s1")).id
        for today in (THU, SAT, dt.date(2026, 11, 29)):  # a school day, Saturday, Sunday of the same week
            for view in (family_views.homework_view, family_views.schedule_view):
                assert [day.date for day in (await view(session, pupil, s1, today, week=0)).days] == this_week
                assert [day.date for day in (await view(session, pupil, s1, today, week=1)).days] == next_week


async def test_schedule_today_and_the_next_school_day_with_times_and_rooms(school, session_maker) -> None:
    pupil = await actor_for(session_maker, "s1", 2001)
    async with session_maker() as session:
        s1 = (await jd.student(session, "s1")).id

        async def days(today: dt.date, week: int | None = None) -> tuple[list[dt.date], bool]:
            answer = await family_views.schedule_view(session, pupil, s1, today, week=week)
            return [d.date for d in answer.days], answer.today_is_school_day

        assert await days(THU) == ([THU, FRI], True)
        assert await days(FRI) == ([FRI, MON], True)
        assert await days(SAT) == ([MON, TUE], False)
        assert await days(dt.date(2026, 10, 30)) == ([dt.date(2026, 11, 5), dt.date(2026, 11, 6)], False)
        assert (await days(SAT, week=1))[0] == [
            MON,
            TUE,
            dt.date(2026, 12, 2),
            dt.date(2026, 12, 3),
            dt.date(2026, 12, 4),
        ]
        thursday = (await family_views.schedule_view(session, pupil, s1, THU)).days[0]
    assert [
        (i.lesson_no, i.start.strftime("%H:%M"), i.end.strftime("%H:%M"), i.subject, i.room) for i in thursday.items
    ] == [
        (1, "08:30", "09:15", "Математика", "21"),
        (2, "09:25", "10:10", "Русский язык", "21"),
        (3, "10:30", "11:15", "История", "21"),
        (4, "11:35", "12:20", "Литература", "21"),
        (5, "12:30", "13:15", "Физкультура", "спортзал"),
    ]

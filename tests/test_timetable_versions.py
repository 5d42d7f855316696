"""Dated timetables (issue 13, item 1): a timetable imported from a date leaves the days before it read
through the one before.

The demo school (imported on 26.11.2026, its timetable from the year's start, 01.09.2026): 5А's Monday is
1 Математика, 2 Русский язык, 3 Английский язык, 4 Литература (t2), 5 Физкультура. The January
timetable, from Monday 11.01.2027, gives 5А История (d1) as its fourth lesson on Mondays instead.
Monday 14.12.2026 is in the second четверть, Monday 11.01.2027 in the third.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from bot.cli import timetable_version_lines
from models import Lesson, Mark, TimetableEntry
from models.db import create_engine, downgrade_database, upgrade_database
from services.demo_school import HISTORY, LITERATURE, demo_school_sheets
from services.school_days import lessons_due
from services.school_import import import_rows
from services.school_reference import school_reference
from tests.conftest import SCHOOL_TODAY
from tests.people import signed_in

pytestmark = pytest.mark.usefixtures("school")

MOSCOW = ZoneInfo("Europe/Moscow")
YEAR_START, DECEMBER_14, JANUARY_11 = dt.date(2026, 9, 1), dt.date(2026, 12, 14), dt.date(2027, 1, 11)
T2, D1, PUPIL = 1002, 1006, 3001


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=MOSCOW)


def new_timetable(valid_from: str, *, fourth: str = HISTORY, teacher: str = "d1", room: str = "21"):
    """The demo school's file with its timetable from `valid_from`, 5А's Monday 4th lesson changed."""
    sheets = demo_school_sheets(SCHOOL_TODAY)
    for row in sheets["timetable"]:
        row["valid_from"] = valid_from
        if (row["class"], row["weekday"], row["lesson_no"]) == ("5А", "Пн", "4"):
            row.update(subject=fourth, teacher=teacher, room=room)
    if fourth == HISTORY:
        sheets["assignments"].append({"teacher": teacher, "class": "5А", "subject": HISTORY, "subgroup": ""})
        sheets["assignments"] = list({tuple(a.items()): a for a in sheets["assignments"]}.values())
    return sheets


async def imported(session_maker, sheets, today: dt.date = dt.date(2026, 12, 20)):
    async with session_maker() as session:
        report = await import_rows(session, sheets, today=today)
        assert report.ok, report.summary_lines()
        await session.commit()
    return report


async def versions(session_maker) -> dict[dt.date | None, list[tuple]]:
    """valid_from → the version's rows (class, weekday, lesson, subject, teacher, room, group), sorted."""
    async with session_maker() as session:
        found: dict[dt.date | None, list[tuple]] = {}
        for valid_from, *row in await session.execute(
            select(
                TimetableEntry.valid_from,
                TimetableEntry.class_id,
                TimetableEntry.weekday,
                TimetableEntry.lesson_no,
                TimetableEntry.subject_id,
                TimetableEntry.staff_id,
                TimetableEntry.room,
                TimetableEntry.subgroup,
            )
        ):
            found.setdefault(valid_from, []).append(tuple(row))
        return {key: sorted(rows) for key, rows in found.items()}


@pytest.fixture
async def january(session_maker):
    """The January timetable imported before the holidays, while December's is in force."""
    return await imported(session_maker, new_timetable("11.01.2027"))


# --- the import -------------------------------------------------------------------------------------


async def test_a_new_timetable_from_a_date_keeps_the_old_one_for_the_days_before(session_maker) -> None:
    before = await versions(session_maker)
    assert list(before) == [YEAR_START]  # an empty valid_from is the year's start
    report = await imported(session_maker, new_timetable("11.01.2027"))
    after = await versions(session_maker)
    assert after[YEAR_START] == before[YEAR_START]  # December's, untouched
    assert len(after[JANUARY_11]) == len(before[YEAR_START])
    assert [(n.valid_from, n.state, n.previous) for n in report.timetable_versions] == [
        (JANUARY_11, "created", YEAR_START)
    ]
    assert report.created["timetable"] == len(before[YEAR_START]) and "timetable" not in report.deleted


async def test_the_import_report_names_the_version_and_from_when(january) -> None:
    assert [note.lessons for note in january.timetable_versions] == [74]  # the demo school's week
    assert timetable_version_lines(january.timetable_versions, "ru") == [
        "Расписание: новая версия, действует с 11.01.2027 (74 урока в неделю).",
        "Прежнее расписание (с 01.09.2026) остаётся в силе по 10.01.2027 включительно.",
    ]
    assert timetable_version_lines(january.timetable_versions, "en") == [
        "Timetable: a new version, in force from 11.01.2027 (74 lessons a week).",
        "The earlier timetable (from 01.09.2026) stays in force until 10.01.2027 inclusive.",
    ]


async def test_importing_the_same_date_again_replaces_that_version_only(session_maker, january) -> None:
    before = await versions(session_maker)
    again = await imported(session_maker, new_timetable("2027-01-11"))
    assert not again.changed and [n.state for n in again.timetable_versions] == ["unchanged"]
    assert timetable_version_lines(again.timetable_versions, "en") == [
        "Timetable: the version from 11.01.2027 is unchanged."
    ]

    moved = await imported(session_maker, new_timetable("11.01.2027", room="каб. 5"))  # History in another room
    after = await versions(session_maker)
    assert after[YEAR_START] == before[YEAR_START]
    assert [row[:5] for row in after[JANUARY_11]] == [row[:5] for row in before[JANUARY_11]]
    assert "каб. 5" in {row[5] for row in after[JANUARY_11]} and "каб. 5" not in {row[5] for row in before[JANUARY_11]}
    assert [(n.state, n.valid_from) for n in moved.timetable_versions] == [("replaced", JANUARY_11)]
    assert moved.updated == {"timetable": 1}
    assert timetable_version_lines(moved.timetable_versions, "ru") == [
        "Расписание: версия с 11.01.2027 заменена (74 урока в неделю).",
        "Прежнее расписание (с 01.09.2026) остаётся в силе по 10.01.2027 включительно.",
    ]


async def test_a_version_outside_the_year_is_a_problem_and_a_class_left_out_is_warned(session_maker) -> None:
    sheets = new_timetable("11.01.2028")
    async with session_maker() as session:
        report = await import_rows(session, sheets, today=SCHOOL_TODAY)
    assert not report.ok
    assert {(p.sheet, p.column, p.reason) for p in report.problems} == {
        ("timetable", "valid_from", "outside the academic year given by the periods")
    }
    sheets = new_timetable("11.01.2027")
    sheets["timetable"] = [row for row in sheets["timetable"] if row["class"] != "1А"]
    report = await imported(session_maker, sheets)
    assert [str(w) for w in report.warnings] == [
        "timetable, valid_from: 1А had lessons in the timetable from 01.09.2026 and have none in the one "
        "from 11.01.2027: from that day they have no lessons"
    ]


# --- reading each day through its own version -------------------------------------------------------


async def test_today_on_a_december_date_shows_decembers_lessons(harness, session_maker, january, time_machine):
    time_machine.move_to(at(dt.date(2027, 1, 12), 10), tick=False)
    t2 = await signed_in(harness, session_maker, "t2", T2)
    d1 = await signed_in(harness, session_maker, "d1", D1)
    [december] = await t2.sends("/today 14.12")
    assert "<b>4.</b> 11:35–12:20 · 5А · Литература" in december
    [january_day] = await t2.sends("/today 11.01")
    assert "5А · Литература" not in january_day and "<b>2.</b> 09:25–10:10 · 5А · Русский язык" in january_day
    [history_december] = await d1.sends("/today 14.12")
    assert "5А · История" not in history_december
    [history_january] = await d1.sends("/today 11.01")
    assert "<b>4.</b> 11:35–12:20 · 5А · История" in history_january


async def test_entries_are_judged_by_the_timetable_of_their_date(harness, session_maker, january, time_machine):
    time_machine.move_to(at(dt.date(2027, 1, 12), 10), tick=False)
    t2 = await signed_in(harness, session_maker, "t2", T2)
    d1 = await signed_in(harness, session_maker, "d1", D1)
    [december_literature] = await t2.sends("/mark 5А лит 14.12/4 1:5")
    assert "не «Литература»" not in december_literature
    [january_literature] = await t2.sends("/mark 5А лит 11.01/4 1:4")
    assert january_literature.startswith("11.01 у 5А 4-й урок — не «Литература».")
    assert "4 — История" in january_literature
    [december_history] = await d1.sends("/mark 5А истор 14.12/4 1:3")
    assert december_history.startswith("14.12 у 5А 4-й урок — не «История».")
    assert "4 — Литература" in december_history
    [january_history] = await d1.sends("/mark 5А истор 11.01/4 1:5")
    assert "не «История»" not in january_history
    async with session_maker() as session:
        reference = await school_reference(session)
        names = {subject.id: subject.name for subject in reference.subjects}
        written = {
            (names[subject_id], date, value)
            for subject_id, date, value in await session.execute(
                select(Lesson.subject_id, Lesson.date, Mark.value)
                .join(Mark, Mark.lesson_id == Lesson.id)
                .where(Mark.deleted_at.is_(None))
            )
        }
    assert written == {(LITERATURE, DECEMBER_14, 5), (HISTORY, JANUARY_11, 5)}


async def test_deadline_accounting_counts_each_day_by_its_own_timetable(session_maker, january) -> None:
    async with session_maker() as session:
        due = await lessons_due(session, [DECEMBER_14, JANUARY_11])
    fourth_of_5a = {
        (lesson.date, lesson.subject) for lesson in due if (lesson.class_name, lesson.lesson_no) == ("5А", 4)
    }
    assert fourth_of_5a == {(DECEMBER_14, LITERATURE), (JANUARY_11, HISTORY)}
    assert {lesson.date for lesson in due} == {DECEMBER_14, JANUARY_11}


async def test_the_schedule_for_next_week_shows_a_coming_version(harness, session_maker, time_machine) -> None:
    """On Friday 18.12 a timetable from Monday 21.12 is not in force yet; next week shows it."""
    await imported(session_maker, new_timetable("21.12.2026"), today=dt.date(2026, 12, 16))
    time_machine.move_to(at(dt.date(2026, 12, 18), 10), tick=False)
    pupil = await signed_in(harness, session_maker, "s1", PUPIL)
    [schedule] = await pupil.sends("/schedule следующая неделя")
    days = {block.split("</b>")[0]: block for block in schedule.split("<b>")[1:]}
    monday = days["пн, 21 декабря"]
    assert "4 11:35–12:20 История" in monday and "Литература" not in monday
    [today] = await pupil.sends("/schedule")
    assert "пт, 18 декабря" in today and "пн, 21 декабря" in today
    monday_soon = today.split("пн, 21 декабря")[1]
    assert "История" in monday_soon and "Литература" not in monday_soon


# --- the migration ------------------------------------------------------------------------------------


async def test_the_migration_keeps_the_rows_a_journal_has(tmp_path) -> None:
    """Rows from before dated timetables become the version from the year's start, and down again stay."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/before.db")
    try:
        await upgrade_database(engine, "0012")
        async with engine.begin() as connection:
            for statement in (
                "INSERT INTO academic_years (id, name, start, \"end\") VALUES (1, '2026/2027', '2026-09-01', '2027-05-31')",
                "INSERT INTO staff (id, external_id, full_name, active) VALUES (1, 't1', 'Иванова Мария', 1)",
                "INSERT INTO classes (id, name, grade, letter) VALUES (1, '5А', 5, 'А')",
                "INSERT INTO subjects (id, name) VALUES (1, 'Математика')",
                "INSERT INTO timetable (id, class_id, weekday, lesson_no, subject_id, staff_id, room, subgroup)"
                " VALUES (1, 1, 1, 1, 1, 1, '21', ''), (2, 1, 2, 3, 1, 1, '21', '')",
            ):
                await connection.execute(text(statement))
        await upgrade_database(engine, "0013")
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT id, valid_from FROM timetable ORDER BY id"))).all()
        assert [(row[0], str(row[1])) for row in rows] == [(1, "2026-09-01"), (2, "2026-09-01")]
        async with engine.begin() as connection:  # a January version, then down: the latest version stays
            await connection.execute(
                text(
                    "INSERT INTO timetable (id, class_id, weekday, lesson_no, subject_id, staff_id, room, subgroup,"
                    " valid_from) VALUES (3, 1, 1, 1, 1, 1, '22', '', '2027-01-11')"
                )
            )
        await downgrade_database(engine, "0012")
        async with engine.connect() as connection:
            kept = (await connection.execute(text("SELECT id, room FROM timetable ORDER BY id"))).all()
        assert [tuple(row) for row in kept] == [(3, "22")]
        await downgrade_database(engine, "0011")
        await upgrade_database(engine, "0013")
        async with engine.connect() as connection:
            assert await connection.scalar(select(func.count()).select_from(TimetableEntry.__table__)) == 1
    finally:
        await engine.dispose()

"""The move to the next year (issue 13, item 3): the demo school, with a 9th grade, moves to 2027/2028."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy import func, select

from bot import cli
from models import (
    AcademicYear,
    AuditEntry,
    BackupRecord,
    ClassMove,
    ClassNumber,
    FinalMark,
    Lesson,
    Mark,
    Period,
    SchoolClass,
    StaffRole,
    Student,
    StudentStatus,
    TeachingAssignment,
    YearArchive,
)
from models.db import create_engine, downgrade_database, upgrade_database
from models.writing import WriteBusy
from services.actor import ANONYMOUS, Actor
from services.demo_school import bell_rows, demo_school_sheets, holiday_rows, quarter_rows
from services.errors import AccessDenied, DomainError
from services.final_marks import ensure_changes
from services.journal.rules import may_write
from services.new_year import MoveRefused, move_to_next_year, new_year_outlook
from services.roster import roster_on
from services.school_import import import_rows, write_workbook
from services.school_reference import school_reference
from services.school_years import class_named, current_year
from services.term_closing import missing_year_marks
from tests import journal_data as jd
from tests.conftest import SCHOOL_TODAY, make_settings

MOSCOW = ZoneInfo("Europe/Moscow")
MOVE_DAY = dt.date(2027, 8, 28)  # the last days of the summer: the administrator moves the school
NEW_FIRST_GRADE = (("n1", "Яшин Олег Петрович"), ("n2", "Абрамова Вера Ильинична"), ("n3", "Миронов Илья Сергеевич"))
NINTH_GRADE = (("s91", "Широков Антон Павлович"), ("s92", "Осипова Дарья Андреевна"))


@pytest.fixture
async def school(session_maker) -> None:
    await school_with_a_ninth_grade(session_maker)


async def school_with_a_ninth_grade(session_maker) -> None:
    """The demo school of 2026/2027 with a 9А as well: the last grade, which graduates (s91 with a parent, p91)."""
    sheets = demo_school_sheets(SCHOOL_TODAY)
    sheets["classes"].append({"name": "9А", "grade": "9", "homeroom_teacher": "t5"})
    sheets["students"] += [{"id": id_, "full_name": name, "class": "9А"} for id_, name in NINTH_GRADE]
    sheets["parents"].append({"id": "p91", "full_name": "Широкова Елена Викторовна", "children": "s91"})
    async with session_maker() as session:
        report = await import_rows(session, sheets, today=SCHOOL_TODAY)
        assert report.ok, report.problems
        await jd.add_mark(session, "s1", "матем", dt.date(2026, 11, 24), 5)
        await session.commit()


def workbook() -> dict[str, list[dict[str, str]]]:
    """2027/2028: a new 1А of three, a newcomer to 6Б, 5Б's Павлова repeats the year and Орлов leaves;
    6А gets a new class teacher."""
    return {
        "periods": quarter_rows(2027),
        "holidays": holiday_rows(2027),
        "bells": bell_rows(),
        "students": [
            *(
                {"id": id_, "full_name": name, "class": "1А", "birth_date": "2020-05-01"}
                for id_, name in NEW_FIRST_GRADE
            ),
            {"id": "n4", "full_name": "Кудрявцев Роман Олегович", "class": "6Б", "birth_date": "2016-02-03"},
        ],
        "decisions": [{"student": "s16", "decision": "repeat"}, {"student": "s15", "decision": "leave"}],
        "classes": [{"name": "6А", "homeroom_teacher": "t2"}, {"name": "1А", "homeroom_teacher": "t3"}],
        "assignments": [{"teacher": "t1", "class": "6А", "subject": "Математика"}],
        "timetable": [{"class": "6А", "weekday": "Пн", "lesson_no": "1", "subject": "Математика", "teacher": "t1"}],
    }


async def ready_for_the_move(session) -> None:
    """Every term closed, every year mark given, the archive written and today's backup verified."""
    year = await current_year(session)
    await session.execute(sa.update(Period).where(Period.year_id == year.id).values(finals_locked_at=sa.func.now()))
    teacher = await jd.staff_id(session, "t1")
    classes = await session.scalars(select(SchoolClass).where(SchoolClass.year_id == year.id, SchoolClass.grade > 1))
    for school_class in list(classes):
        subjects = set(
            await session.scalars(
                select(TeachingAssignment.subject_id).where(TeachingAssignment.class_id == school_class.id)
            )
        )
        for entry in await roster_on(session, school_class.id, year.end):
            for subject_id in subjects:
                session.add(
                    FinalMark(
                        student_id=entry.student.id,
                        subject_id=subject_id,
                        year_id=year.id,
                        value=4,
                        set_by_staff_id=teacher,
                    )
                )
    session.add(YearArchive(year_id=year.id, manifest_sha256="0" * 64))
    session.add(BackupRecord(path="backup.db", verified=True, created_at=dt.datetime(2027, 8, 28, 7, tzinfo=MOSCOW)))
    await session.commit()


async def move(session):
    return await move_to_next_year(session, workbook(), actor=ANONYMOUS, today=MOVE_DAY, timezone=MOSCOW, last_grade=9)


async def pupils_of(session, class_name: str, year_name: str) -> list[tuple[int, str]]:
    """(№, external id) of the class list in that year."""
    rows = await session.execute(
        select(ClassNumber.number, Student.external_id)
        .join(Student, Student.id == ClassNumber.student_id)
        .join(SchoolClass, SchoolClass.id == ClassNumber.class_id)
        .join(AcademicYear, AcademicYear.id == SchoolClass.year_id)
        .where(SchoolClass.name == class_name, AcademicYear.name == year_name)
        .order_by(ClassNumber.number)
    )
    return [tuple(row) for row in rows]


async def test_each_unmet_precondition_is_named_and_nothing_changes(school, session) -> None:
    with pytest.raises(MoveRefused) as refused:
        await move(session)
    assert [reason.key for reason in refused.value.reasons] == [
        "newyear-open-periods",
        "newyear-year-marks-missing",
        "newyear-no-archive",
        "newyear-no-backup",
    ]
    open_periods, marks = refused.value.reasons[:2]
    assert open_periods.args_for_message["periods"] == "1 четверть, 2 четверть, 3 четверть, 4 четверть"
    assert "5А Математика (8)" in marks.args_for_message["where"]
    await session.rollback()
    assert await session.scalar(select(func.count()).select_from(AcademicYear)) == 1
    # One at a time: with all else ready, a backup of yesterday is not enough.
    await ready_for_the_move(session)
    await session.execute(sa.update(BackupRecord).values(created_at=dt.datetime(2027, 8, 27, 12, tzinfo=MOSCOW)))
    with pytest.raises(MoveRefused) as refused:
        await move(session)
    assert [reason.key for reason in refused.value.reasons] == ["newyear-no-backup"]


async def test_a_full_rollover_of_the_demo_school(school, session_maker) -> None:
    async with session_maker() as session:
        await ready_for_the_move(session)
        assert await missing_year_marks(session, await current_year(session)) == []
        result = await move(session)
        assert result.ok, result.report.problems
        await session.commit()
    assert result.year == "2027/2028"
    assert result.counts["6А"]["promoted"] == 8 and result.counts["9А"]["graduated"] == 2
    assert result.counts["5Б"]["repeating"] == 1 and result.counts["5Б"]["left"] == 1

    async with session_maker() as session:
        # 5А's pupils are in 6А, numbered anew alphabetically (the same order as the demo's list).
        assert await pupils_of(session, "6А", "2027/2028") == [(n, f"s{n}") for n in range(1, 9)]
        six_a = await class_named(session, "6а")
        assert six_a.grade == 6 and six_a.year_id == (await current_year(session)).id
        assert six_a.homeroom_teacher_id == await jd.staff_id(session, "t2")  # the workbook's change
        six_b = await class_named(session, "6Б")
        assert six_b.homeroom_teacher_id == await jd.staff_id(session, "t4")  # kept from 5Б
        assert [ext for _, ext in await pupils_of(session, "6Б", "2027/2028")] == [
            "s10", "s9", "s11", "n4", "s12", "s13", "s14"
        ]  # fmt: skip
        # The new 1А: the newcomers only, alphabetically; last year's first grade is 2А.
        assert await pupils_of(session, "1А", "2027/2028") == [(1, "n2"), (2, "n3"), (3, "n1")]
        assert len(await pupils_of(session, "2А", "2027/2028")) == 8
        # Павлова repeats the year in a 5Б of the new year; Орлов has left.
        assert await pupils_of(session, "5Б", "2027/2028") == [(1, "s16")]
        orlov = await jd.student(session, "s15")
        assert orlov.status == StudentStatus.LEFT and orlov.class_id is None
        # The 9th grade has left as graduates, and there is no 10th grade.
        for external_id, _ in NINTH_GRADE:
            graduate = await jd.student(session, external_id)
            assert graduate.status == StudentStatus.LEFT and graduate.class_id is None
            last_move = await session.scalar(
                select(ClassMove).where(ClassMove.student_id == graduate.id).order_by(ClassMove.id.desc()).limit(1)
            )
            assert (last_move.kind, last_move.note, last_move.date) == ("leave", "выпуск", dt.date(2027, 9, 1))
        assert await class_named(session, "10А") is None
        # The new lessons start empty; last year's classes keep their lists, lessons and marks.
        assert await session.scalar(select(func.count()).select_from(Lesson).where(Lesson.class_id == six_a.id)) == 0
        old_5a = await class_named(
            session, "5А", (await session.scalar(select(AcademicYear.id).where(AcademicYear.name == "2026/2027")))
        )
        assert await pupils_of(session, "5А", "2026/2027") == [(n, f"s{n}") for n in range(1, 9)]
        assert [e.student.external_id for e in await roster_on(session, old_5a.id, dt.date(2027, 5, 26))] == [
            f"s{n}" for n in range(1, 9)
        ]
        marks = await session.scalars(select(Mark.value).join(Lesson).where(Lesson.class_id == old_5a.id))
        assert list(marks) == [5]
        assert (
            await session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "academic_year")
            )
            == 1
        )

        # Last year is read-only: no mark and no term mark in last year's 5А, whoever tries.
        reference = await school_reference(session)
        deputy = Actor(staff_id=await jd.staff_id(session, "d1"), staff_roles=frozenset({StaffRole.DEPUTY}))
        math = await jd.subject(session, "матем")
        with pytest.raises(AccessDenied) as refused:
            await may_write(session, deputy, reference.classes[old_5a.id], math)
        assert refused.value.key == "error-past-year"
        assert refused.value.args_for_message == {"class_name": "5А", "year": "2026/2027"}
        with pytest.raises(AccessDenied) as refused:
            await ensure_changes(session, deputy, old_5a.id, math.id)
        assert refused.value.key == "error-past-year"

        # A second run is refused as already done, and changes nothing.
        with pytest.raises(DomainError) as again:
            await move(session)
        assert again.value.key == "newyear-already-done"
        assert again.value.args_for_message == {"year": "2027/2028"}
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(AcademicYear)) == 2


async def test_newyear_outlook_says_what_is_missing_and_where_each_class_goes(school, session) -> None:
    admin = Actor(staff_id=await jd.staff_id(session, "a1"), staff_roles=frozenset({StaffRole.ADMIN}))
    outlook = await new_year_outlook(session, admin, MOVE_DAY, MOSCOW, last_grade=9)
    assert outlook.year == "2026/2027"
    assert [reason.key for reason in outlook.missing][-2:] == ["newyear-no-archive", "newyear-no-backup"]
    assert [(c.name, c.next_name, c.pupils) for c in outlook.classes] == [
        ("1А", "2А", 8),
        ("5А", "6А", 8),
        ("5Б", "6Б", 8),
        ("9А", None, 2),
    ]
    assert outlook.graduating == 2
    teacher = Actor(staff_id=await jd.staff_id(session, "t1"), staff_roles=frozenset({StaffRole.TEACHER}))
    with pytest.raises(AccessDenied):
        await new_year_outlook(session, teacher, MOVE_DAY, MOSCOW, last_grade=9)


async def test_a_secondary_school_moves_its_ninth_grade_up_and_graduates_nobody_this_year(school, session) -> None:
    """LAST_GRADE, not the highest class there is, says who graduates: a СОШ whose 10th and 11th grades are
    empty this year still moves 9А to 10А."""
    admin = Actor(staff_id=await jd.staff_id(session, "a1"), staff_roles=frozenset({StaffRole.ADMIN}))
    outlook = await new_year_outlook(session, admin, MOVE_DAY, MOSCOW, last_grade=11)
    assert ("9А", "10А", 2) in [(c.name, c.next_name, c.pupils) for c in outlook.classes]
    assert outlook.graduating == 0


async def test_migration_gives_existing_classes_their_year_and_goes_back(tmp_path) -> None:
    """A journal of one year whose classes have no year: 0015 gives them that year, nothing lost."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/populated.db")
    try:
        await upgrade_database(engine, "0012")
        async with engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO academic_years (id, name, start, \"end\") VALUES (7, '2026/2027', '2026-09-01', '2027-05-31')"
                )
            )
            await connection.execute(
                sa.text("INSERT INTO classes (id, name, grade, letter) VALUES (1, '5А', 5, 'А'), (2, '9Б', 9, 'Б')")
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO students (id, external_id, full_name, status, class_id) VALUES (1, 's1', 'Алексеев Артём', 'studying', 1)"
                )
            )
        await upgrade_database(engine, "0015")
        async with engine.connect() as connection:
            rows = (await connection.execute(sa.text("SELECT id, name, year_id FROM classes ORDER BY id"))).all()
            assert [tuple(row) for row in rows] == [(1, "5А", 7), (2, "9Б", 7)]
            assert (await connection.execute(sa.text("SELECT class_id FROM students"))).scalar_one() == 1
        async with engine.begin() as connection:  # the same name in another year is now another class
            await connection.execute(
                sa.text(
                    "INSERT INTO academic_years (id, name, start, \"end\") VALUES (8, '2027/2028', '2027-09-01', '2028-05-31')"
                )
            )
            await connection.execute(
                sa.text("INSERT INTO classes (id, name, grade, letter, year_id) VALUES (3, '5А', 5, 'А', 8)")
            )
            with pytest.raises(sa.exc.IntegrityError):
                async with connection.begin_nested():
                    await connection.execute(
                        sa.text("INSERT INTO classes (id, name, grade, letter, year_id) VALUES (4, '5А', 5, 'А', 8)")
                    )
            await connection.execute(sa.text("DELETE FROM classes WHERE id = 3"))
        await downgrade_database(engine, "0012")
        async with engine.connect() as connection:
            rows = (await connection.execute(sa.text("SELECT id, name, grade, letter FROM classes ORDER BY id"))).all()
            assert [tuple(row) for row in rows] == [(1, "5А", 5, "А"), (2, "9Б", 9, "Б")]
            assert (await connection.execute(sa.text("SELECT class_id FROM students"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def new_year_cli(database_url: str, path) -> int:
    return await cli.cmd_new_year(
        make_settings(database_url, last_grade=9), cli.build_parser().parse_args(["new-year", str(path)])
    )


async def test_the_command_line_refuses_in_one_line_each_then_moves_once(
    school, database_url, session_maker, tmp_path, capsys
) -> None:
    path = tmp_path / "2027.xlsx"
    write_workbook(path, workbook())
    with time_machine.travel(dt.datetime(2027, 8, 28, 10, tzinfo=MOSCOW), tick=False):
        assert await new_year_cli(database_url, path) == 1
        printed = capsys.readouterr()
        assert printed.out == ""
        assert printed.err.splitlines() == [
            "Periods of 2026/2027 still open: 1 четверть, 2 четверть, 3 четверть, 4 четверть.",
            printed.err.splitlines()[1],
            "No archive of the 2026/2027 school year: run the archive command first.",
            "No verified backup made today: run the backup command first.",
        ]
        assert printed.err.splitlines()[1].startswith("Year marks missing: 96 — 5А Английский язык (8), ")
        async with session_maker() as session:
            await ready_for_the_move(session)
        assert await new_year_cli(database_url, path) == 0
        assert "the school has moved to 2027/2028" in capsys.readouterr().out
        assert await new_year_cli(database_url, path) == 1
        assert capsys.readouterr().err == "The move is already done: the 2027/2028 school year exists.\n"


async def test_two_moves_at_once_one_moves_the_other_is_told_it_is_done(
    school, database_url, session_maker, tmp_path, capsys
) -> None:
    """Two terminals (each its own engine, as two processes would be) start the move at the same moment."""
    path = tmp_path / "2027.xlsx"
    write_workbook(path, workbook())
    async with session_maker() as session:
        await ready_for_the_move(session)
    with time_machine.travel(dt.datetime(2027, 8, 28, 10, tzinfo=MOSCOW), tick=False):
        outcomes = await asyncio.gather(new_year_cli(database_url, path), new_year_cli(database_url, path))
    assert sorted(outcomes) == [0, 1]
    printed = capsys.readouterr()
    assert printed.out.count("the school has moved to 2027/2028") == 1
    assert printed.err == "The move is already done: the 2027/2028 school year exists.\n"
    async with session_maker() as session:
        years = (await session.scalars(select(AcademicYear.name).order_by(AcademicYear.start))).all()
        assert years == ["2026/2027", "2027/2028"]
        assert [number for number, _ in await pupils_of(session, "6А", "2027/2028")] == list(range(1, 9))


async def test_a_move_kept_waiting_past_the_write_wait_says_so_in_one_line(tmp_path, monkeypatch, capsys) -> None:
    path = tmp_path / "2027.xlsx"
    write_workbook(path, workbook())

    async def held_by_another_process(*_args) -> None:
        raise WriteBusy("no turn to write within 10 s")

    monkeypatch.setattr(cli, "_move_to_next_year", held_by_another_process)
    assert await new_year_cli(f"sqlite+aiosqlite:///{tmp_path}/journal.db", path) == 1
    assert capsys.readouterr().err == (
        "The journal is busy with another write (perhaps a move under way): nothing was changed. "
        "Run the command again in a minute.\n"
    )

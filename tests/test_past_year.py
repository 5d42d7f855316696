"""After the move to the next year (issue 13, item 3): the old year stays readable and read-only.

Parents and pupils read it with `/grades 2026/27`, the deputy with `/journal 5А 2026/27 …` and the
command line's `report --year`; the administrator's /newyear says what the move still needs and will do.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select

from bot import cli
from models import AcademicYear, Account, AccountBinding, AuditEntry, Lesson, Mark, PersonKind, SchoolClass, Student
from services.errors import AccessDenied, ValidationFailed
from services.final_mark_setting import set_final_mark
from services.grades import scope_by_id
from services.reports.access import targets
from tests import journal_data as jd
from tests.conftest import make_settings
from tests.people import actor_for, signed_in
from tests.test_new_year import MOSCOW, MOVE_DAY, move, ready_for_the_move, school_with_a_ninth_grade

FIRST_WEEK = dt.datetime(2027, 9, 6, 10, 0, tzinfo=MOSCOW)  # Monday of the new year's first week


@pytest.fixture
def settings(database_url: str):
    return make_settings(database_url, last_grade=9)  # a basic school (ОШ): the 9th grade graduates


@pytest.fixture
async def moved(session_maker) -> None:
    """The demo school with marks of 2026/2027 (s4 in 5А, s91 in the 9А that graduates), moved to 2027/2028."""
    await school_with_a_ninth_grade(session_maker)
    async with session_maker() as session:
        await jd.add_mark(session, "s4", "матем", dt.date(2026, 11, 24), 4)
        await jd.add_mark(session, "s91", "матем", dt.date(2026, 11, 24), 3)
        await session.commit()
    async with session_maker() as session:
        await ready_for_the_move(session)
        result = await move(session)
        assert result.ok, result.report.problems
        await session.commit()


async def newcomer_signed_in(harness, session_maker, external_id: str, telegram_id: int):
    """A pupil who came with the new year (ids n…, which tests.people would take for staff)."""
    async with session_maker() as session:
        session.add(account := Account(telegram_id=telegram_id, chat_id=telegram_id))
        await session.flush()
        student = await jd.student(session, external_id)
        session.add(AccountBinding(account_id=account.id, person_kind=PersonKind.STUDENT, person_id=student.id))
        await session.commit()
    return harness.user(telegram_id)


@pytest.fixture
def first_week():
    with time_machine.travel(FIRST_WEEK, tick=False):
        yield


LAST_YEAR_LEGEND = (
    "1–4 — отметки за четверти; ср. — средний балл за год; ≈ — годовая, которая выходит по отметкам за четверти; "
    "год — выставленная."
)


async def test_a_parent_reads_last_year_and_the_pupil_this_year(moved, first_week, harness, session_maker) -> None:
    parent = await signed_in(harness, session_maker, "p5", 5005)  # s4's, in 5А last year and in 6А now
    assert await parent.sends("/grades 2026/27") == [
        "<b>Горбунова Алиса Романовна</b>, 5А · 2026/2027 учебный год\n"
        "<pre>Предмет         1 2 3 4  ср. ≈ год\n"
        "Английский язык                  4\n"
        "История                          4\n"
        "Литература                       4\n"
        "Математика              4,00     4\n"
        "Русский язык                     4\n"
        "Физкультура                      4</pre>\n" + LAST_YEAR_LEGEND
    ]
    # A term of last year, and one subject: the year named with them.
    (term,) = await parent.sends("/grades 2026/27 2")
    assert term.startswith("<b>Горбунова Алиса Романовна</b>, 5А · 2 четверть, 2026/2027 учебный год\n")
    assert "\nМатематика      4,00 4      4\n" in term
    (math,) = await parent.sends("/grades матем 2026/2027")
    assert math.startswith("<b>Горбунова Алиса Романовна</b>, 5А · 2026/2027 учебный год\n<pre>Предмет    1 2 3 4")
    assert "\nМатематика         4,00     4</pre>" in math
    # Today's /grades is the new year's: 6А, and no marks yet; the pupil's own the same.
    new_year = ["<b>Горбунова Алиса Романовна</b>, 6А · 1 четверть\nОтметок за этот период пока нет."]
    assert await parent.sends("/grades") == new_year
    pupil = await signed_in(harness, session_maker, "s4", 5004)
    assert await pupil.sends("/grades") == new_year
    assert (await pupil.sends("/grades 2026/27"))[0].startswith("<b>Горбунова Алиса Романовна</b>, 5А · 2026/2027")


async def test_a_year_without_the_child_is_one_line(moved, first_week, harness, session_maker) -> None:
    parent = await signed_in(harness, session_maker, "p5", 5005)
    assert await parent.sends("/grades 2025/26") == ["В журнале нет 2025/26 учебного года."]
    assert await parent.sends("/grades 2026/28") == ["В журнале нет 2026/28 учебного года."]
    newcomer = await newcomer_signed_in(harness, session_maker, "n1", 5006)  # the new 1А
    assert await newcomer.sends("/grades 2026/27") == [
        "Яшин Олег Петрович: в 2026/2027 учебном году — не в списках классов школы, отметок за этот год нет."
    ]


async def test_a_graduates_parent_reads_the_last_year(moved, first_week, harness, session_maker) -> None:
    parent = await signed_in(harness, session_maker, "p91", 5007)
    (last_year,) = await parent.sends("/grades 2026/27")
    assert last_year.startswith("<b>Широков Антон Павлович</b>, 9А · 2026/2027 учебный год\n")
    assert "\nМатематика         3,00</pre>" in last_year
    # No class now: today's /grades says so without failing.
    assert await parent.sends("/grades") == [
        "<b>Широков Антон Павлович</b> · 1 четверть\nОтметок за этот период пока нет."
    ]


async def test_the_deputy_reads_last_years_journal(moved, first_week, harness, session_maker) -> None:
    deputy = await signed_in(harness, session_maker, "d1", 5008)
    (year,) = await deputy.sends("/journal 5А 2026/27 матем")
    assert year.startswith("<b>5А · Математика</b> · 2026/2027 учебный год\n<pre>№ Ученик          1 2 3 4 ср. ≈ год\n")
    assert "\n4 Горбунова А. Р.                 4\n" in year
    (term,) = await deputy.sends("/journal 5А 2026/27 матем 2")
    assert term.startswith("<b>5А · Математика</b> · 2 четверть, 2026/2027 учебный год\n")
    assert "\n1 Алексеев А. И.  5,00 5      5\n" in term and "\n4 Горбунова А. Р. 4,00 4      4\n" in term
    # A name without a year is this year's class: there is no 5А now, and 6А's page is empty.
    assert await deputy.sends("/journal 5А матем") == ["Класса 5А нет."]
    assert await deputy.sends("/journal 6А 2026/27 матем") == ["Класса 6А нет."]
    (now,) = await deputy.sends("/journal 6А матем")
    assert now.startswith("<b>6А · Математика</b> · 1 четверть\n") and "5,00" not in now
    assert await deputy.sends("/journal 5А 2026/27") == [
        "Страница журнала: /journal 5А матем, другая четверть: /journal 5А матем 1, годовые: /journal 5А матем год, "
        "прошлый учебный год: /journal 5А 2026/27 матем."
    ]


async def report(database_url: str, *args: str) -> int:
    return await cli.cmd_report(make_settings(database_url), cli.build_parser().parse_args(["report", *args]))


async def test_the_report_command_takes_a_past_year(moved, first_week, database_url, tmp_path, capsys) -> None:
    assert await report(database_url, "results", "--class", "5А", "--year", "2026/27", "--out", str(tmp_path)) == 0
    path, *summary = capsys.readouterr().out.splitlines()
    assert path == str(tmp_path / "results_5А_2026-2027-учебный-год.xlsx")
    assert summary[0] == "5А, 2026/2027: успеваемость 100,0 %, качество 100,0 %"
    args = ("subject", "--class", "5А", "--subject", "матем", "--year", "2026/27", "--period", "2")
    assert await report(database_url, *args, "--out", str(tmp_path)) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("5А, Математика, 2 четверть: успеваемость 25,0 %")
    assert await report(database_url, "card", "--student", "s91", "--year", "2026/27", "--out", str(tmp_path)) == 0
    assert "Широков Антон, 9А, 2026/2027" in capsys.readouterr().out
    assert await report(database_url, "results", "--class", "5А", "--out", str(tmp_path)) == 1
    assert capsys.readouterr().err == "There is no class 5А.\n"
    assert await report(database_url, "results", "--year", "2025/26", "--out", str(tmp_path)) == 1
    assert capsys.readouterr().err == "The journal has no school year 2025/26.\n"


# --- /newyear ------------------------------------------------------------------------------------


async def test_newyear_tells_the_administrator_what_is_missing_then_that_all_is_ready(harness, session_maker) -> None:
    await school_with_a_ninth_grade(session_maker)
    with time_machine.travel(dt.datetime.combine(MOVE_DAY, dt.time(10), MOSCOW), tick=False):
        admin = await signed_in(harness, session_maker, "a1", 5009)
        (before,) = await admin.sends("/newyear")
        lines = before.splitlines()
        assert lines[:3] == [
            "<b>Перевод в следующий учебный год</b> · сейчас 2026/2027 учебный год",
            "Перед переводом не хватает (4 условия):",
            "• Не закрыты периоды 2026/2027: 1 четверть, 2 четверть, 3 четверть, 4 четверть.",
        ]
        assert lines[3].startswith("• Нет годовых отметок: 96 — 5А Английский язык (8), ")
        assert lines[4:] == [
            "• Нет архива 2026/2027 учебного года: сначала команда archive.",
            "• Сегодня не было проверенной резервной копии: сначала команда backup.",
            *WHAT_THE_MOVE_DOES,
        ]
        teacher = await signed_in(harness, session_maker, "t1", 5010)
        assert await teacher.sends("/newyear") == ["Это может только администратор журнала."]

        async with session_maker() as session:
            await ready_for_the_move(session)
        (after,) = await admin.sends("/newyear")
        assert after.splitlines() == [
            "<b>Перевод в следующий учебный год</b> · сейчас 2026/2027 учебный год",
            "Всё готово: условия перевода выполнены.",
            *WHAT_THE_MOVE_DOES,
        ]
        async with session_maker() as session:  # /newyear only reads
            assert await session.scalar(select(func.count()).select_from(AcademicYear)) == 1


WHAT_THE_MOVE_DOES = [
    "<b>Что сделает перевод</b>",
    "1А → 2А: 8 учеников",
    "5А → 6А: 8 учеников",
    "5Б → 6Б: 8 учеников",
    "9А — выпуск: 2 ученика",
    "Выпускников всего: 2. Кто остаётся на повторное обучение (repeat) или выбывает (leave) — лист decisions; "
    "новый первый класс и новички — лист students.",
    "Как перевести: подготовьте файл нового года (листы periods, holidays, bells, students, decisions, classes, "
    "assignments, timetable) и выполните на сервере <code>python -m bot new-year ФАЙЛ.xlsx</code>. "
    "Перевод выполняется один раз.",
]


# --- correcting last year ---------------------------------------------------------------------------


async def test_only_the_administrator_corrects_last_year_and_only_with_a_reason(
    moved, first_week, harness, session_maker
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 5011)  # 5А's mathematics teacher last year
    deputy = await signed_in(harness, session_maker, "d1", 5012)
    admin = await signed_in(harness, session_maker, "a1", 5013)
    closed = (
        "5А — класс прошлого учебного года (2026/2027): его журнал закрыт и только читается; "
        "исправить его может только администратор журнала, указав причину."
    )
    # A dated entry goes to the class of that date's year: last year's 5А (there is no 5А this year).
    assert await teacher.sends("/mark 5А матем 24.11.2026/2 4:3") == [closed]
    assert await deputy.sends("/mark 5А матем 24.11.2026/2 4:3") == [closed]
    assert await teacher.sends("/mark 5А матем 4:3") == ["Класса «5А» в школе нет."]

    [asked] = await admin.sends("/mark 5А матем 24.11.2026/2 4:3")
    assert asked.split("\n")[0] == (
        "5А — класс прошлого учебного года (2026/2027): исправление его журнала записывается только с причиной."
    )
    assert await last_years_marks(session_maker) == []  # nothing written yet

    await admin.sends("/mark 5А матем 24.11.2026/2 4:3 // ошибка при переносе с бумажного журнала")

    assert await last_years_marks(session_maker) == [3]
    async with session_maker() as session:
        audit = (await session.scalars(select(AuditEntry).where(AuditEntry.entity == "mark"))).all()
    assert [(entry.reason, entry.actor_staff_id is not None) for entry in audit][-1] == (
        "ошибка при переносе с бумажного журнала",
        True,
    )


async def last_years_marks(session_maker) -> list[int]:
    """s4's marks in last year's 5А, mathematics, 24.11.2026, the 2nd lesson (the timetable's)."""
    async with session_maker() as session:
        return list(
            await session.scalars(
                select(Mark.value)
                .join(Lesson, Lesson.id == Mark.lesson_id)
                .join(SchoolClass, SchoolClass.id == Lesson.class_id)
                .join(Student, Student.id == Mark.student_id)
                .where(
                    SchoolClass.name == "5А",
                    Lesson.date == dt.date(2026, 11, 24),
                    Lesson.lesson_no == 2,
                    Student.external_id == "s4",
                    Mark.deleted_at.is_(None),
                )
            )
        )


async def test_last_years_year_mark_is_the_administrators_to_correct_with_a_reason(moved, session_maker) -> None:
    async with session_maker() as session:
        old_year = await session.scalar(select(AcademicYear).where(AcademicYear.name == "2026/2027"))
        old_5a = await session.scalar(
            select(SchoolClass).where(SchoolClass.name == "5А", SchoolClass.year_id == old_year.id)
        )
        math = await jd.subject(session, "матем")
        year_scope = await scope_by_id(session, old_year.id, None)
        admin = await actor_for(session_maker, "a1", 5014)
        deputy = await actor_for(session_maker, "d1", 5015)
        when = dict(today=dt.date(2027, 9, 6), now=dt.datetime(2027, 9, 6, 7, tzinfo=dt.timezone.utc))

        with pytest.raises(AccessDenied):
            await set_final_mark(session, deputy, old_5a.id, math.id, year_scope, 4, 5, **when, reason="ошибка")
        with pytest.raises(ValidationFailed) as asked:
            await set_final_mark(session, admin, old_5a.id, math.id, year_scope, 4, 5, **when)
        assert asked.value.key == "period-reason-needed"
        row = await set_final_mark(
            session, admin, old_5a.id, math.id, year_scope, 4, 5, **when, reason="решение педсовета"
        )
        await session.commit()
    assert row.final is not None and row.final.value == 5


async def test_the_chat_report_offers_this_years_classes_only(moved, session_maker) -> None:
    """Last year's classes share this year's names: /report's buttons would show 5Б twice, one of them
    last year's, for this year's periods."""
    deputy = await actor_for(session_maker, "d1", 5016)
    async with session_maker() as session:
        offered = [target.name for target in await targets(session, deputy, "results")]
        subjects = [target.name for target in await targets(session, deputy, "subject", within_class=None)]
    assert [name for name in offered if name[0].isdigit() and "класс" not in name] == ["1А", "2А", "5Б", "6А", "6Б"]
    assert len(subjects) == len(set(subjects))


async def test_the_deputy_chooses_last_year_in_the_chat_report(moved, first_week, harness, session_maker) -> None:
    deputy = await signed_in(harness, session_maker, "d1", 5017)
    await deputy.sends("/report")
    assert await deputy.clicks("Итоги успеваемости") == ["Итоги успеваемости: за какой учебный год?"]
    assert deputy.button_labels() == ["2027/2028 (текущий)", "2026/2027"]
    await deputy.clicks("2026/2027")
    # Last year's classes: 5А, and 9А which has left the school since.
    assert [label for label in deputy.button_labels() if label[0].isdigit() and "класс" not in label] == [
        "1А",
        "5А",
        "5Б",
        "9А",
    ]
    assert await deputy.clicks("5А") == ["Итоги успеваемости: за какой период?"]
    assert deputy.button_labels() == ["1 четверть", "2 четверть", "3 четверть", "4 четверть", "Год"]
    await deputy.clicks("Год")
    await deputy.clicks("XLSX")
    [document] = [r for r in harness.session.requests if type(r.method).__name__ == "SendDocument"]
    assert document.method.caption.splitlines()[0] == "5А, 2026/2027: успеваемость 100,0 %, качество 100,0 %"


async def test_last_years_pupils_are_the_cards_a_school_reader_chooses_from(moved, session_maker) -> None:
    deputy = await actor_for(session_maker, "d1", 5018)
    async with session_maker() as session:
        last_year = await session.scalar(select(AcademicYear.id).where(AcademicYear.name == "2026/2027"))
        old_9a = await session.scalar(
            select(SchoolClass.id).where(SchoolClass.name == "9А", SchoolClass.year_id == last_year)
        )
        pupils = await targets(session, deputy, "card", within_class=old_9a, year_id=last_year)
    assert [target.name for target in pupils] == ["Осипова Дарья Андреевна", "Широков Антон Павлович"]
    assert {target.class_id for target in pupils} == {old_9a}

"""Fixed class numbers and confirmed movement (issue 9, items 2 and 10).

The demo school on Thursday 26.11.2026, 10:00: t1 is the class teacher of 5А and teaches its
mathematics (lesson 1). 5А was numbered alphabetically at the import: №1 Алексеев Артём, №2 Белова
Софья, №3 Васильев Кирилл … №8 Зайцева Дарья.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.text import visible_text
from models import Account, ClassMove, ClassNumber, Mark, SchoolClass, Student, StudentStatus
from services import class_numbers, movement
from services.demo_school import demo_school_sheets
from services.school_import import import_rows
from tests import homeroom_data as data
from tests.people import actor_for, signed_in

pytestmark = pytest.mark.usefixtures("school")

MOSCOW = ZoneInfo("Europe/Moscow")
THURSDAY = dt.date(2026, 11, 26)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 10, 0, tzinfo=MOSCOW), tick=False)
    return time_machine


@pytest.fixture
async def teacher(harness, session_maker, clock):
    return await signed_in(harness, session_maker, "t1", 1001)


async def numbers(session_maker, class_name: str) -> dict[int, str]:
    """№ → the student's id, as stored for the class."""
    async with session_maker() as check:
        rows = await check.execute(
            select(ClassNumber.number, Student.external_id)
            .join(Student, Student.id == ClassNumber.student_id)
            .join(SchoolClass, SchoolClass.id == ClassNumber.class_id)
            .where(SchoolClass.name == class_name)
        )
        return dict(rows.all())


async def marks(session_maker) -> list[tuple[str, int]]:
    async with session_maker() as check:
        return list(
            (
                await check.execute(
                    select(Student.external_id, Mark.value)
                    .join(Student, Student.id == Mark.student_id)
                    .where(Mark.deleted_at.is_(None))
                    .order_by(Mark.id)
                )
            ).all()
        )


async def written(session_maker) -> tuple[int, int, int]:
    """Students, class moves and class numbers: what a movement writes."""
    async with session_maker() as check:
        return tuple(
            [await check.scalar(select(func.count()).select_from(model)) for model in (Student, ClassMove, ClassNumber)]
        )


def numbered_rows(text: str, *surnames: str) -> list[list[str]]:
    """The № and surname of the table rows naming these students."""
    return [line.split()[:2] for line in visible_text(text).splitlines() if any(s in line for s in surnames)]


# --- item 2: the numbers a teacher types never shift ------------------------------------------------


async def test_enrolling_and_leaving_mid_year_leave_everyone_s_number_alone(teacher, session_maker) -> None:
    await teacher.sends("/enrol 5А s96 Абрамов Антон Антонович 23.11")
    assert await teacher.clicks("Подтвердить") == [
        "Записано зачисление в 5А с 23.11.2026: Абрамов Антон Антонович (s96), № 9 в списке."
    ]
    await teacher.sends("/leave s2 25.11")
    assert await teacher.clicks("Подтвердить") == ["Записано выбытие из 5А с 25.11.2026: Белова Софья Дмитриевна (s2)."]

    await teacher.sends("/today")
    await teacher.clicks("5А")  # the lesson screen, where a teacher types «1 5» from habit
    answer, *_ = await teacher.sends("1 5")  # the short echo, then the lesson screen edited
    assert answer == "Записано: 1. Алексеев Артём — 5"
    [answer] = await teacher.sends("/mark 5А матем 3:4 9:5")
    assert answer.splitlines()[1:3] == ["3. Васильев Кирилл — 4", "9. Абрамов Антон — 5"]
    assert await marks(session_maker) == [("s1", 5), ("s3", 4), ("s96", 5)]

    # №2 is still Белова's: after the day she left nothing is recorded for her, and nobody else is №2.
    assert await teacher.sends("/mark 5А матем 2:5") == [
        "№ 2 в списке 5А — Белова Софья Дмитриевна: выбыла 25.11.2026, после этой даты записи для неё "
        "не принимаются. Проверьте номер: номера в списке не сдвигаются."
    ]
    assert await marks(session_maker) == [("s1", 5), ("s3", 4), ("s96", 5)]
    assert await numbers(session_maker, "5А") == {
        1: "s1",
        2: "s2",
        3: "s3",
        4: "s4",
        5: "s5",
        6: "s6",
        7: "s7",
        8: "s8",
        9: "s96",
    }


async def test_every_list_the_teacher_types_against_shows_the_same_numbers(teacher, session_maker) -> None:
    await teacher.sends("/enrol 5А s96 Абрамов Антон Антонович 23.11")
    await teacher.clicks("Подтвердить")
    await teacher.sends("/leave s2 25.11")
    await teacher.clicks("Подтвердить")

    [listing] = await teacher.sends("/class students")
    assert "2. Белова Софья Дмитриевна (s2) — выбыла 25.11" in listing
    assert "9. <b>Абрамов Антон Антонович</b> (s96)" in listing
    assert listing.index("1. <b>Алексеев") < listing.index("2. Белова") < listing.index("3. <b>Васильев")
    assert "2. Белова С." not in teacher.button_labels()  # not offered for movement any more

    await teacher.sends("/today")
    [lesson] = await teacher.clicks("5А")
    assert "Белова" not in lesson  # not offered in lessons after she left
    assert numbered_rows(lesson, "Алексеев", "Абрамов") == [["1", "Алексеев"], ["9", "Абрамов"]]

    [sheet] = await teacher.sends("/period 5А матем")
    assert numbered_rows(sheet, "Васильев", "Абрамов") == [["3", "Васильев"], ["9", "Абрамов"]]


async def import_with_a_newcomer_in_5b(session, today: dt.date) -> None:
    """The demo school's file for the year around `today`, with Абрамова Ася (s97) added to 5Б (and to
    group 1 of its English: every pupil of a split class is in a group)."""
    sheets = demo_school_sheets(today)
    sheets["students"].append(
        {"id": "s97", "full_name": "Абрамова Ася Антоновна", "class": "5Б", "birth_date": "2015-05-05"}
    )
    group_one = next(row for row in sheets["subgroups"] if row["subgroup"] == "1")
    group_one["students"] += ", s97"
    report = await import_rows(session, sheets, today=today)
    assert report.ok, report.problems
    await session.commit()


async def test_the_import_numbers_a_new_year_alphabetically_and_a_newcomer_at_the_end(session, session_maker) -> None:
    assert await numbers(session_maker, "5Б") == {  # the first import: alphabetical
        1: "s10",
        2: "s9",
        3: "s11",
        4: "s12",
        5: "s13",
        6: "s14",
        7: "s15",
        8: "s16",
    }

    await import_with_a_newcomer_in_5b(session, THURSDAY)
    assert await numbers(session_maker, "5Б") == {  # the same year: written at the end
        1: "s10",
        2: "s9",
        3: "s11",
        4: "s12",
        5: "s13",
        6: "s14",
        7: "s15",
        8: "s16",
        9: "s97",
    }

    await import_with_a_newcomer_in_5b(session, dt.date(2027, 9, 1))
    assert await numbers(session_maker, "5Б") == {  # a new year: alphabetical again
        1: "s97",
        2: "s10",
        3: "s9",
        4: "s11",
        5: "s12",
        6: "s13",
        7: "s14",
        8: "s15",
        9: "s16",
    }


async def test_two_enrolments_at_once_get_distinct_numbers(session_maker, monkeypatch) -> None:
    """Both enrolments reach the reading of the class's numbers together (when nothing stops the second
    from reading): without the numbering lock both would take №9 and one of them fail."""
    teacher = await actor_for(session_maker, "t1", 1001)
    async with session_maker() as session:
        class_id = await data.class_id(session, "5А")
    read_numbers, arrived = class_numbers.stored_numbers, []

    async def read_when_both_are_there(session, class_ids=None):
        arrived.append(class_ids)
        for _ in range(30):
            if len(arrived) > 1:
                break
            await asyncio.sleep(0.01)
        return await read_numbers(session, class_ids)

    monkeypatch.setattr(class_numbers, "stored_numbers", read_when_both_are_there)

    async def enrol(external_id: str, full_name: str) -> int | None:
        async with session_maker() as session:
            done = await movement.enrol(
                session,
                teacher,
                class_id=class_id,
                external_id=external_id,
                full_name=full_name,
                day=THURSDAY,
                today=THURSDAY,
            )
            await session.commit()
            return done.number

    given = await asyncio.gather(enrol("s97", "Абрамов Антон Антонович"), enrol("s98", "Яшин Ян Янович"))

    assert sorted(given) == [9, 10]
    stored = await numbers(session_maker, "5А")
    assert {stored[9], stored[10]} == {"s97", "s98"} and len(stored) == 10


@pytest.mark.parametrize("name", ["Петров2 Пётр", "<b>Петров</b> Пётр", "Петров Пётр;", "Петров_Пётр Иванович"])
async def test_a_name_that_is_not_a_name_is_refused_and_nothing_written(teacher, session_maker, name) -> None:
    before = await written(session_maker)
    [refusal] = await teacher.sends(f"/enrol 5А s97 {name}")
    assert "могут быть только буквы, пробелы, дефис и апостроф" in refusal
    assert teacher.button_labels() == []
    assert await written(session_maker) == before


async def test_the_import_refuses_a_name_with_digits_or_markup(session, session_maker) -> None:
    before = await written(session_maker)
    sheets = demo_school_sheets(THURSDAY)
    sheets["students"].append({"id": "s97", "full_name": "Абрамов <i>Антон</i>", "class": "5Б", "birth_date": ""})
    sheets["students"].append({"id": "s98", "full_name": "Ученик 12", "class": "5Б", "birth_date": ""})
    report = await import_rows(session, sheets, today=THURSDAY)
    assert [(p.sheet, p.column) for p in report.problems] == [("students", "full_name")] * 2
    assert "only letters, spaces, hyphens and apostrophes" in report.problems[0].reason
    await session.rollback()
    assert await written(session_maker) == before


async def test_names_as_documents_write_them_are_accepted(teacher, session_maker) -> None:
    await teacher.sends("/enrol 5А s97 Салтыков-Щедрин Пётр О'Нил")
    await teacher.clicks("Подтвердить")
    await teacher.sends("/enrol 5А s98 Ёлкина Алёна")
    await teacher.clicks("Подтвердить")
    assert await numbers(session_maker, "5А") == {
        1: "s1",
        2: "s2",
        3: "s3",
        4: "s4",
        5: "s5",
        6: "s6",
        7: "s7",
        8: "s8",
        9: "s97",
        10: "s98",
    }


# --- item 10: typed movement asks first ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "question"),
    [
        (
            "/enrol 5А s97 Абрамов Антон Антонович",
            "Записать зачисление: Абрамов Антон Антонович (s97) в 5А с 26.11.2026? "
            "Ученик получит следующий свободный номер в конце списка.",
        ),
        ("/move s3 5Б", "Записать перевод: Васильев Кирилл Андреевич (s3) из 5А в 5Б с 26.11.2026?"),
        ("/leave s3", "Записать выбытие: Васильев Кирилл Андреевич (s3) из 5А с 26.11.2026?"),
    ],
)
async def test_typed_movement_writes_nothing_until_confirmed(teacher, session_maker, command, question) -> None:
    before = await written(session_maker)

    assert await teacher.sends(command) == [question]
    assert teacher.button_labels() == ["Подтвердить", "Отмена"]
    assert await written(session_maker) == before
    assert await teacher.clicks("Отмена") == ["Отменено, ничего не записано."]
    assert await written(session_maker) == before

    await teacher.sends(command)
    [done] = await teacher.clicks("Подтвердить")
    assert done.startswith("Записан")
    assert await written(session_maker) != before


async def test_a_confirmation_can_be_used_once(teacher, session_maker) -> None:
    await teacher.sends("/enrol 5А s97 Абрамов Антон Антонович")
    await teacher.clicks("Подтвердить")
    before = await written(session_maker)
    assert await teacher.clicks("Подтвердить") == [  # the question's button again
        "Подтверждать нечего: команда устарела. Наберите её ещё раз."
    ]
    assert await written(session_maker) == before


async def test_an_older_enrolment_s_button_confirms_nothing(teacher, session_maker) -> None:
    await teacher.sends("/enrol 5А s97 Абрамов Антон Антонович")
    older = next(b.callback_data for row in teacher.last_markup.inline_keyboard for b in row if b.text == "Подтвердить")
    await teacher.sends("/enrol 5А s98 Яшин Ян Янович")
    before = await written(session_maker)

    assert await teacher.presses(older) == ["Подтверждать нечего: команда устарела. Наберите её ещё раз."]
    assert await written(session_maker) == before
    assert await teacher.clicks("Подтвердить") == [
        "Записано зачисление в 5А с 26.11.2026: Яшин Ян Янович (s98), № 9 в списке."
    ]


# --- item 10: a move across grades is a correction of data ----------------------------------------

GRADE_JUMP = (
    "Перевод из 5А в 1А — больше чем на год обучения, так не переводят. Если класс в данных указан "
    "неверно, это исправит администратор: /move, «Подтвердить исправление данных»."
)


async def test_a_class_teacher_can_t_move_a_fifth_grader_into_the_first(teacher, session_maker) -> None:
    before = await written(session_maker)
    assert await teacher.sends("/move s3 1А") == [GRADE_JUMP]
    await teacher.sends("/class students")
    await teacher.clicks("3. Васильев К.")
    await teacher.clicks("Перевод в другой класс")
    assert await teacher.clicks("в 1А") == [GRADE_JUMP]
    assert await written(session_maker) == before


async def test_a_deputy_can_t_move_students_at_all(harness, session_maker, clock) -> None:
    deputy = await signed_in(harness, session_maker, "d1", 1006)
    before = await written(session_maker)
    assert await deputy.sends("/move s3 1А") == [
        "Зачисление, перевод и выбытие записывают классный руководитель (в своём классе) и администратор."
    ]
    assert await written(session_maker) == before


async def test_the_administrator_records_it_as_a_correction(harness, session_maker, clock) -> None:
    admin = await signed_in(harness, session_maker, "a1", 1009)

    assert await admin.sends("/move s3 1А") == [
        "Это исправление ошибки в данных, а не перевод: Васильев Кирилл Андреевич (s3) из 5А в 1А с 26.11.2026 "
        "(разница больше одного года обучения). Записать как исправление?"
    ]
    assert admin.button_labels() == ["Подтвердить исправление данных", "Отмена"]
    assert await admin.clicks("Подтвердить исправление данных") == [
        "Записан перевод из 5А в 1А с 26.11.2026: Васильев Кирилл Андреевич (s3), № 9 в списке."
    ]

    async with session_maker() as check:
        student = await data.student(check, "s3")
        move = await check.scalar(select(ClassMove).order_by(ClassMove.id.desc()).limit(1))
        assert (student.class_id, student.status) == (await data.class_id(check, "1А"), StudentStatus.STUDYING)
        assert (move.note, move.to_class_id) == ("correction", student.class_id)


async def test_a_plain_move_button_across_grades_is_refused_even_to_the_administrator(
    harness, session, session_maker, clock
) -> None:
    admin = await signed_in(harness, session_maker, "a1", 1009)
    kirill = await data.student(session, "s3")
    before = await written(session_maker)
    forged = f"hrm:move:{kirill.id}:{await data.class_id(session, '1А')}:{THURSDAY.toordinal()}"
    assert await admin.presses(forged) == [
        "Перевод из 5А в 1А — больше чем на год обучения: записать его можно только как исправление данных, "
        "кнопкой «Подтвердить исправление данных»."
    ]
    assert await written(session_maker) == before


async def test_a_student_coming_back_to_the_class_gets_their_own_number_again(session_maker) -> None:
    admin = await actor_for(session_maker, "a1", 1009)
    async with session_maker() as session:
        alisa, class_id = await data.student(session, "s4"), await data.class_id(session, "5А")
        await movement.leave(session, admin, student_id=alisa.id, day=dt.date(2026, 11, 10), today=THURSDAY)
        await movement.enrol(
            session,
            admin,
            class_id=class_id,
            external_id="s97",
            full_name="Яшин Ян Янович",
            day=dt.date(2026, 11, 16),
            today=THURSDAY,
        )
        back = await movement.enrol(
            session, admin, class_id=class_id, external_id="s4", full_name="", day=dt.date(2026, 11, 20), today=THURSDAY
        )
        await session.commit()
    assert back.number == 4
    assert await numbers(session_maker, "5А") == {
        1: "s1",
        2: "s2",
        3: "s3",
        4: "s4",
        5: "s5",
        6: "s6",
        7: "s7",
        8: "s8",
        9: "s97",
    }


async def test_the_class_list_in_english_says_when_a_student_left(harness, session, session_maker, clock) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/leave s4 25.11")
    await teacher.clicks("Подтвердить")
    account = await session.scalar(select(Account).where(Account.telegram_id == 1001))
    account.language = "en"
    await session.commit()

    [listing] = await teacher.sends("/class students")
    assert "4. Горбунова Алиса Романовна (s4) — left on 25.11" in listing

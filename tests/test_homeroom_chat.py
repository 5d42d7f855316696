"""The class teacher in the chat: /class, one-tap explanations, /class students, /enrol, /move, /leave."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from models import Account, Attendance, AuditEntry, ClassMove, MoveKind, SchoolClass, Student, StudentStatus
from tests import homeroom_data as data
from tests.people import bind_account, signed_in

pytestmark = pytest.mark.usefixtures("school")

# Thursday 26.11.2026, mid-morning in Moscow: the demo school's "today".
NOW = dt.datetime(2026, 11, 26, 11, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(NOW, tick=False):
        yield


async def class_moves(session_maker) -> int:
    async with session_maker() as check:
        return await check.scalar(select(func.count()).select_from(ClassMove))


# --- the daily record and explanations ---------------------------------------------------------

THURSDAY_RECORD = "\n".join(
    [
        "<b>5А</b> · пропуски за чт, 26 ноября",
        "Отсутствовали: 4 из 8.",
        "",
        "<b>Без объяснения</b>",
        " 3. Васильев Кирилл Андреевич — 2 Русский язык н",
        " 7. Жуков Матвей Алексеевич — 1 Математика н, 2 Русский язык н, 3 История оп",
        "",
        "<b>Объяснены и опоздания</b>",
        " 1. Алексеев Артём Игоревич — 1 Математика н→уп",
        " 2. Белова Софья Дмитриевна — 3 История б",
        " 5. Дмитриев Егор Олегович — 1 Математика оп",
        "",
        "Кнопки: б — болел, уп — уважительная причина, нп — неуважительная; за весь день. "
        "«по урокам» — отдельно каждый урок.",
    ]
)


async def test_class_teacher_sees_the_day_and_explains_it_with_one_tap(harness, session, session_maker) -> None:
    ids = await data.thursday_absences(session)
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    assert await teacher.sends("/class") == [THURSDAY_RECORD]
    assert teacher.button_labels() == [
        "№3 б",
        "№3 уп",
        "№3 нп",
        "№3 по урокам",
        "№7 б",
        "№7 уп",
        "№7 нп",
        "№7 по урокам",
        "№1 б",
        "№1 уп",
        "№1 нп",
        "№1 по урокам",
    ]

    answers = await teacher.clicks("№7 уп")

    assert answers[-1] == "Записано: Жуков Матвей Алексеевич — уп (уроков: 2)."
    assert " 7. Жуков Матвей Алексеевич — 1 Математика н→уп, 2 Русский язык н→уп, 3 История оп" in answers[0]
    assert answers[0].index("Жуков") > answers[0].index("Объяснены")
    async with session_maker() as check:
        for key in ("s7 math", "s7 russian"):
            row = await check.get(Attendance, ids[key])
            assert (row.code, row.explanation) == ("н", "уп")
        assert await check.scalar(select(func.count()).select_from(AuditEntry)) == 2


async def test_one_lesson_at_a_time(harness, session, session_maker) -> None:
    ids = await data.thursday_absences(session)
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/class")

    assert await teacher.clicks("№7 по урокам") == [
        "\n".join(
            [
                "Жуков Матвей Алексеевич · чт, 26 ноября, по урокам:",
                "1 Математика н",
                "2 Русский язык н",
                "3 История оп",
            ]
        )
    ]
    assert teacher.button_labels() == [
        "1 урок: б",
        "1 урок: уп",
        "1 урок: нп",
        "2 урок: б",
        "2 урок: уп",
        "2 урок: нп",
        "← к пропускам класса",
    ]
    answers = await teacher.clicks("2 урок: б")

    assert answers == [
        "Жуков Матвей Алексеевич · чт, 26 ноября, по урокам:\n1 Математика н\n2 Русский язык н→б\n3 История оп",
        "Записано: Жуков Матвей Алексеевич — б (уроков: 1).",
    ]
    async with session_maker() as check:
        assert (await check.get(Attendance, ids["s7 math"])).explanation is None
        assert (await check.get(Attendance, ids["s7 russian"])).explanation == "б"


async def test_another_day_and_an_empty_day(harness, session, session_maker) -> None:
    await data.thursday_absences(session)
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    wednesday = await teacher.sends("/class 25.11")
    assert wednesday[0].splitlines()[:2] == ["<b>5А</b> · пропуски за ср, 25 ноября", "Отсутствовали: 1 из 8."]
    assert " 4. Горбунова Алиса Романовна — 2 Математика н" in wednesday[0]
    assert await teacher.sends("/class 2026-11-24") == [
        "<b>5А</b> · пропуски за вт, 24 ноября\nПропусков нет. Учеников в классе: 8."
    ]


async def test_refusals_and_bad_input(harness, session, session_maker) -> None:
    ids = await data.thursday_absences(session)
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    assert await teacher.sends("/class 5Б") == ["Это не ваш класс."]
    assert await teacher.sends("/class 9Я") == ["Класса 9Я нет."]
    assert await teacher.sends("/class 5А 5Б") == [
        "Как открыть класс: /class, /class 25.11, /class students или /class 5А 25.11."
    ]
    assert await teacher.sends("/class 31.02") == ["Даты «31.02» не бывает. Пишите 27.11, 27.11.2026 или 2026-11-27."]

    # A forged button of another class's teacher changes nothing.
    other = await signed_in(harness, session_maker, "t4", 1004)
    kirill = await data.student(session, "s3")
    forged = f"hrxd:{await data.class_id(session, '5А')}:{kirill.id}:{data.THURSDAY.toordinal()}:уп"
    assert await other.presses(forged) == ["Это не ваш класс."]
    async with session_maker() as check:
        assert (await check.get(Attendance, ids["s3 russian"])).explanation is None
        assert await check.scalar(select(func.count()).select_from(AuditEntry)) == 0


async def test_the_admin_names_the_class_and_a_plain_teacher_has_none(harness, session, session_maker) -> None:
    await data.thursday_absences(session)
    admin = await signed_in(harness, session_maker, "a1", 1009)
    assert (await admin.sends("/class 5a"))[0] == THURSDAY_RECORD
    assert await admin.sends("/class") == ["Какой класс открыть?"]
    assert admin.button_labels() == ["1А", "5А", "5Б"]
    assert (await admin.clicks("5Б"))[0].startswith("<b>5Б</b> · пропуски за чт, 26 ноября\nОтсутствовали: 1 из 8.")

    deputy = await signed_in(harness, session_maker, "d1", 1006)
    assert (await deputy.sends("/class 5А"))[0] == THURSDAY_RECORD
    assert deputy.last_markup is None  # reading only: no buttons to explain

    plain = await signed_in(harness, session_maker, "t2", 1002)
    assert await plain.sends("/class") == ["У вас нет класса, где вы классный руководитель."]
    assert await plain.sends("/class 5А") == ["Это не ваш класс."]
    parent = await signed_in(harness, session_maker, "p3", 1103)
    assert await parent.sends("/class") == ["Такой команды нет. Список команд — /help."]


async def test_a_teacher_leading_two_classes_picks_one(harness, session, session_maker) -> None:
    await data.thursday_absences(session)
    class_5b = await session.get(SchoolClass, await data.class_id(session, "5Б"))
    class_5b.homeroom_teacher_id = await data.staff_id(session, "t1")
    await session.commit()
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    assert await teacher.sends("/class students") == ["Какой класс открыть?"]
    assert teacher.button_labels() == ["5А", "5Б"]
    listing = await teacher.clicks("5Б")
    assert listing[0].startswith("<b>5Б</b> · список класса на 26.11.2026")
    assert await teacher.sends("/class 5Б") != ["Это не ваш класс."]


ENGLISH_AFTER_EXPLAINING = "\n".join(
    [
        "<b>5А</b> · absences on Thu 26 November",
        "Absent: 4 of 8.",
        "",
        "<b>Not explained</b>",
        " 7. Жуков Матвей Алексеевич — 1 Математика н, 2 Русский язык н, 3 История оп",
        "",
        "<b>Explained, and late arrivals</b>",
        " 1. Алексеев Артём Игоревич — 1 Математика н→уп",
        " 2. Белова Софья Дмитриевна — 3 История б",
        " 3. Васильев Кирилл Андреевич — 2 Русский язык н→нп",
        " 5. Дмитриев Егор Олегович — 1 Математика оп",
        "",
        'Buttons: б — ill, уп — excused, нп — unexcused; for the whole day. "by lesson" — each lesson on its own.',
    ]
)


async def test_in_english(harness, session, session_maker) -> None:
    await data.thursday_absences(session)
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    account = await session.scalar(select(Account).where(Account.telegram_id == 1001))
    account.language = "en"
    await session.commit()

    text = (await teacher.sends("/class"))[0]
    assert text.splitlines()[:5] == [
        "<b>5А</b> · absences on Thu 26 November",
        "Absent: 4 of 8.",
        "",
        "<b>Not explained</b>",
        " 3. Васильев Кирилл Андреевич — 2 Русский язык н",
    ]
    assert await teacher.clicks("№3 нп") == [
        ENGLISH_AFTER_EXPLAINING,
        "Saved: Васильев Кирилл Андреевич — нп (lessons: 1).",
    ]
    assert (await teacher.sends("/leave s4"))[
        0
    ] == "Record leaving: Горбунова Алиса Романовна (s4) left 5А on 26 Nov 2026?"
    assert (await teacher.clicks("Confirm"))[0] == "Left 5А on 26 Nov 2026: Горбунова Алиса Романовна (s4)."


# --- the class list ------------------------------------------------------------------------------


async def test_class_students_shows_parents_sign_in_and_flags(harness, session, session_maker) -> None:
    await data.thursday_absences(session)
    await bind_account(session, "s3", 5003)
    await bind_account(session, "p3", 5103)
    (await bind_account(session, "p4", 5104)).active = False
    math = await data.lesson(session, "5А", data.MATH, dt.date(2026, 11, 23), 1)
    await data.mark(session, math, "s2", 2)
    await session.commit()
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    text = (await teacher.sends("/class students"))[0]

    assert text.splitlines()[:3] == [
        "<b>5А</b> · список класса на 26.11.2026",
        "Средние и пропуски — 2 четверть, по сегодняшний день.",
        "Требуют внимания: 2 (средний ниже 3 по предмету или пропущено больше 20 % уроков).",
    ]
    # Held so far in the четверть: 23.11, 25.11 and three lessons today. Белова: one б of five is 20 %.
    assert "\n\n".join(text.split("\n\n")[1:4]) == "\n".join(
        [
            "1. <b>Алексеев Артём Игоревич</b> (s1) — ▫️ не входил",
            "   родитель: Алексеева Наталья Викторовна, +7 916 101-03-07 — ▫️ не входила",
            "",
            "2. <b>Белова Софья Дмитриевна</b> (s2) — ▫️ не входила",
            "   родитель: Белов Дмитрий Николаевич, +7 916 102-06-14 — ▫️ не входил",
            "   ⚠️ средний ниже 3: Математика — 2,00",
            "",
            "3. <b>Васильев Кирилл Андреевич</b> (s3) — ✅ в журнале",
            "   родитель: Васильев Андрей Павлович — ⛔ заблокировал бота",  # p4 gave no phone
            "   родитель: Васильева Ирина Сергеевна, +7 916 103-09-21 — ✅ в журнале",
        ]
    )
    assert (
        "\n".join(
            [
                "7. <b>Жуков Матвей Алексеевич</b> (s7) — ▫️ не входил",
                "   родитель: Жукова Елена Игоревна — ▫️ не входила",
                "   ⚠️ пропущено 2 из 5 уроков (40 %)",
            ]
        )
        in text
    )
    assert teacher.button_labels()[:2] == ["1. Алексеев А.", "2. Белова С."]
    assert teacher.button_labels()[-1] == "➕ Зачислить ученика"


async def test_class_list_buttons_show_names_as_plain_text(harness, session, session_maker) -> None:
    # Button labels are not HTML: a name with "&" must not turn into "&amp;" on the button.
    student = await session.scalar(select(Student).where(Student.external_id == "s1"))
    student.full_name = "Ли&Ко Артём Игоревич"
    await session.commit()
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    text = (await teacher.sends("/class students"))[0]

    assert "<b>Ли&amp;Ко Артём Игоревич</b>" in text  # the message itself is HTML
    # Renamed, still №1: a number is fixed for the year, whatever the name becomes.
    assert [label for label in teacher.button_labels() if "Ли" in label] == ["1. Ли&Ко А."]


# --- movement by typed commands ----------------------------------------------------------------


async def test_typed_movement_commands(harness, session, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    assert await teacher.sends("/move s3 5Б 20.11") == [
        "Записать перевод: Васильев Кирилл Андреевич (s3) из 5А в 5Б с 20.11.2026?"
    ]
    assert await teacher.clicks("Подтвердить") == [
        "Записан перевод из 5А в 5Б с 20.11.2026: Васильев Кирилл Андреевич (s3), № 9 в списке.\n"
        "В 5Б есть деление на группы: Английский язык. Распределит классный руководитель 5Б (/group); "
        "пока ученик ни в одной группе."  # (5Б's English is split in the demo school)
    ]
    await teacher.sends("/leave s4")
    assert await teacher.clicks("Подтвердить") == [
        "Записано выбытие из 5А с 26.11.2026: Горбунова Алиса Романовна (s4)."
    ]
    assert await teacher.sends("/enrol 5А s99 Петров Пётр Петрович 2026-11-23") == [
        "Записать зачисление: Петров Пётр Петрович (s99) в 5А с 23.11.2026? "
        "Ученик получит следующий свободный номер в конце списка."
    ]
    assert await teacher.clicks("Подтвердить") == [
        "Записано зачисление в 5А с 23.11.2026: Петров Пётр Петрович (s99), № 9 в списке."
    ]
    async with session_maker() as check:
        moves = [
            (m.kind, m.date)
            for m in await check.scalars(select(ClassMove).where(ClassMove.note == "").order_by(ClassMove.id))
        ]
        assert moves == [
            (MoveKind.MOVE, dt.date(2026, 11, 20)),
            (MoveKind.LEAVE, data.THURSDAY),
            (MoveKind.ENROL, dt.date(2026, 11, 23)),
        ]
        assert (await data.student(check, "s4")).status == StudentStatus.LEFT
        assert (await data.student(check, "s99")).class_id == await data.class_id(check, "5А")

    admin = await signed_in(harness, session_maker, "a1", 1009)
    assert await admin.sends("/enrol 5Б s4") == [
        "Записать возвращение: Горбунова Алиса Романовна (s4) в 5Б с 26.11.2026?"
    ]
    assert await admin.clicks("Подтвердить") == [
        "Записано возвращение в 5Б с 26.11.2026: Горбунова Алиса Романовна (s4), № 10 в списке.\n"
        "Осталось распределить по группам: Английский язык. Пока ученик ни в одной группе по этим предметам.",
        "Горбунова Алиса Романовна: в какую группу по предмету «Английский язык» (с 26.11.2026)?",
    ]


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/move s9 5А", "Это не ваш класс."),
        ("/leave s9", "Это не ваш класс."),
        ("/enrol 5Б s99 Петров Пётр", "Это не ваш класс."),
        ("/move s404 5Б", "Ученика с id s404 в журнале нет."),
        ("/move s3 9Я", "Класса 9Я нет."),
        ("/move s3", "Как перевести: /move &lt;id&gt; &lt;класс&gt; [дата], например /move s3 5Б 26.11"),
        ("/leave", "Как записать выбытие: /leave &lt;id&gt; [дата], например /leave s3 26.11"),
        (
            "/enrol 5А",
            "Как зачислить: /enrol &lt;класс&gt; &lt;id&gt; &lt;ФИО&gt; [дата], например /enrol 5А s99 Петров Пётр Петрович 26.11",
        ),
        ("/enrol 5А s99 Петров", "Новому ученику нужны фамилия и имя: /enrol 5А s99 Петров Пётр Петрович"),
        (
            "/move s3 5Б 27.11",
            "Дата 27.11.2026 ещё не наступила: движение записывают в тот день, когда оно произошло, или позже.",
        ),
        ("/move s3 5А", "Васильев Кирилл Андреевич уже учится в 5А."),
    ],
)
async def test_movement_refusals_write_nothing(harness, session_maker, command, answer) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    before = await class_moves(session_maker)

    assert await teacher.sends(command) == [answer]

    assert await class_moves(session_maker) == before
    async with session_maker() as check:
        assert await check.scalar(select(Student).where(Student.external_id == "s99")) is None
        assert (await data.student(check, "s3")).class_id == await data.class_id(check, "5А")


async def test_a_bad_date_in_a_movement(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    before = await class_moves(session_maker)
    assert await teacher.sends("/move s3 5Б 31.02") == [
        "Даты «31.02» не бывает. Пишите 27.11, 27.11.2026 или 2026-11-27."
    ]
    assert await class_moves(session_maker) == before


# --- movement by buttons -------------------------------------------------------------------


async def test_move_from_the_class_list_with_buttons(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/class students")

    assert await teacher.clicks("3. Васильев К.") == [
        "Васильев Кирилл Андреевич (s3), 5А. Что записать?\n"
        "Другая дата: /move s3 &lt;класс&gt; ДД.ММ или /leave s3 ДД.ММ"
    ]
    await teacher.clicks("Перевод в другой класс")
    assert teacher.button_labels() == ["в 1А", "в 5Б", "Отмена"]
    assert await teacher.clicks("в 5Б") == ["Записать перевод: Васильев Кирилл Андреевич (s3) из 5А в 5Б с 26.11.2026?"]
    assert await class_moves(session_maker) == 24  # the import's enrolments only, so far
    assert await teacher.clicks("Подтвердить") == [
        "Записан перевод из 5А в 5Б с 26.11.2026: Васильев Кирилл Андреевич (s3), № 9 в списке.\n"
        "В 5Б есть деление на группы: Английский язык. Распределит классный руководитель 5Б (/group); "
        "пока ученик ни в одной группе."  # (5Б's English is split in the demo school)
    ]
    async with session_maker() as check:
        move = await check.scalar(select(ClassMove).order_by(ClassMove.id.desc()).limit(1))
        assert (move.kind, move.date, move.to_class_id) == (
            MoveKind.MOVE,
            data.THURSDAY,
            await data.class_id(check, "5Б"),
        )


async def test_leaving_by_button_can_be_cancelled(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/class students")
    await teacher.clicks("4. Горбунова А.")

    assert await teacher.clicks("Выбытие из школы") == [
        "Записать выбытие: Горбунова Алиса Романовна (s4) из 5А с 26.11.2026?"
    ]
    assert await teacher.clicks("Отмена") == ["Отменено, ничего не записано."]
    assert await class_moves(session_maker) == 24

    await teacher.sends("/class students")
    await teacher.clicks("4. Горбунова А.")
    await teacher.clicks("Выбытие из школы")
    assert await teacher.clicks("Подтвердить") == [
        "Записано выбытие из 5А с 26.11.2026: Горбунова Алиса Романовна (s4)."
    ]
    async with session_maker() as check:
        assert (await data.student(check, "s4")).status == StudentStatus.LEFT


async def test_enrol_button_explains_the_command(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/class students")
    assert await teacher.clicks("Зачислить ученика") == [
        "\n".join(
            [
                "Зачислить в 5А: /enrol 5А &lt;id&gt; &lt;ФИО&gt; [дата]",
                "например /enrol 5А s99 Петров Пётр Петрович 26.11",
                "Вернуть выбывшего: /enrol 5А &lt;id&gt; [дата]",
            ]
        )
    ]


async def test_a_forged_movement_button_for_another_class_is_refused(harness, session, session_maker) -> None:
    other = await signed_in(harness, session_maker, "t4", 1004)
    kirill = await data.student(session, "s3")
    forged = f"hrm:leave:{kirill.id}:0:{data.THURSDAY.toordinal()}"
    assert await other.presses(forged) == ["Это не ваш класс."]
    async with session_maker() as check:
        assert (await data.student(check, "s3")).status == StudentStatus.STUDYING


async def test_the_helps_dated_examples_are_accepted_on_the_day_they_are_read(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    (help_text,) = await teacher.sends("/help")
    [enrol] = re.findall(r"/enrol 5А s99 Петров Пётр Петрович \d\d\.\d\d", help_text)
    [move] = re.findall(r"/move s3 5Б \d\d\.\d\d", help_text)
    [another_day] = re.findall(r"/class \d\d\.\d\d", help_text)

    assert enrol.endswith(f"{NOW:%d.%m}") and another_day == f"/class {NOW - dt.timedelta(days=1):%d.%m}"
    assert await teacher.sends(move) == [
        f"Записать перевод: Васильев Кирилл Андреевич (s3) из 5А в 5Б с {NOW:%d.%m.%Y}?"
    ]
    assert (await teacher.sends(enrol))[0].startswith(
        f"Записать зачисление: Петров Пётр Петрович (s99) в 5А с {NOW:%d.%m.%Y}?"
    )
    assert "ещё не наступила" not in (await teacher.sends(another_day))[0]

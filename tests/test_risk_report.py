"""The `risk` report (группа риска) and the words that say what a pupil needs to reach «3»."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.outbound.render import render_rows
from models import FinalMark, FinalMarkSpecial, OutboxMessage
from services import movement
from services.channel import RowView
from services.notices import RISK, is_digest
from services.reports.risk import build, listed_from, what_is_needed
from services.reports.risk_notices import queue_risk_notices
from services.reports.wording import leaver, marks_needed, share_text
from tests import homeroom_data as data
from tests import journal_data as jd
from tests import report_data
from tests.people import actor_for, bind_account

MATH_DAYS = [dt.date(2026, 11, day) for day in (9, 10, 11, 12, 13, 16)]  # six lessons held in the 2 четверть
THRESHOLD = Decimal("2.60")
ON_LESSON, TEST = "работа на уроке", "контрольная работа"  # weights 1 and 3


# --- the words ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "value", "words"),
    [
        (1, 5, "нужна ещё одна 5"),
        (2, 4, "нужно ещё две 4"),
        (3, 4, "нужно ещё три 4"),
        (5, 5, "нужно ещё пять 5"),
        (10, 4, "нужно ещё десять 4"),
        (12, 4, "нужно ещё 12 отметок «4»"),
        (21, 5, "нужна ещё 21 отметка «5»"),
        (1, None, "нужна ещё 1 отметка"),
        (2, None, "нужно ещё 2 отметки"),
        (3, None, "нужно ещё 3 отметки"),
    ],
)
def test_marks_needed_agrees_with_its_number(count: int, value: int | None, words: str) -> None:
    assert marks_needed(count, value) == words


def test_leavers_and_shares_as_documents_print_them() -> None:
    day = dt.date(2026, 11, 20)
    assert leaver("Зайцева Дарья Павловна", day) == "Зайцева Дарья Павловна (выбыла 20.11.2026)"
    assert leaver("Жуков Матвей Алексеевич", day) == "Жуков Матвей Алексеевич (выбыл 20.11.2026)"
    assert leaver("Ли Саша", day) == "Ли Саша (дата выбытия 20.11.2026)"
    assert (share_text(2, 17), share_text(0, 0)) == ("11,8 %", "—")


@pytest.mark.parametrize(
    ("marks", "needed"),
    [
        # 13/6 = 2,17: one 4 gives 2,43, two 2,63; one 5 only 2,57 — two of either: the 4s
        ([(2, 1), (2, 1), (2, 1), (2, 1), (2, 1), (3, 1)], "нужно ещё две 4"),
        # a test's «2» weighs 3: 11/5 = 2,20; two 4s (2,71) or one 5 (2,67): the fewer
        ([(2, 3), (2, 1), (3, 1)], "нужна ещё одна 5"),
        ([(2, 1), (2, 1), (3, 1)], "нужна ещё одна 4"),  # 7/3 = 2,33 → 11/4 = 2,75
        ([(2, 1)], "нужно ещё две 4"),  # two marks short, and one 4 would do for the average
        ([(5, 1)], "нужно ещё 2 отметки"),
        ([], "нужно ещё 3 отметки"),
        ([(3, 1), (3, 1), (2, 1)], ""),  # 2,67: nothing needed
    ],
)
def test_what_is_needed_to_reach_three(marks, needed) -> None:
    need = what_is_needed(marks, THRESHOLD)
    assert (need.words if need else "") == needed


def test_the_list_starts_on_the_terms_third_monday() -> None:
    assert listed_from(dt.date(2026, 11, 5)) == dt.date(2026, 11, 16)  # a Thursday: its week is the first
    assert listed_from(dt.date(2026, 9, 1)) == dt.date(2026, 9, 14)
    assert listed_from(dt.date(2026, 11, 16)) == dt.date(2026, 11, 30)


# --- the report -------------------------------------------------------------------------------------


async def fifth_a_mathematics(session, session_maker) -> None:
    """Six mathematics lessons of 5А; the marks and absences each pupil's line is about (see below)."""
    marks = {
        "s1": [(2, ON_LESSON)] * 5 + [(3, ON_LESSON)],
        "s2": [(2, TEST), (2, ON_LESSON), (3, ON_LESSON)],
        "s3": [(5, ON_LESSON)],
        "s4": [],
        "s5": [(4, ON_LESSON)] * 3,
        "s6": [(5, ON_LESSON)] * 3,
        "s7": [(3, ON_LESSON), (3, ON_LESSON), (2, ON_LESSON)],  # 2,67: just safe
        "s8": [],  # leaves before the report: not on the list
    }
    for day in MATH_DAYS:
        await jd.lesson(session, "5А", "матем", day)
    for pupil, given in marks.items():
        for day, (value, work_type) in zip(MATH_DAYS, given):
            await jd.add_mark(session, pupil, "матем", day, value, work_type)
    for day in MATH_DAYS[3:]:
        await jd.add_absence(session, "s5", "матем", day)  # three of six: 50 %
    await jd.add_absence(session, "s6", "матем", MATH_DAYS[5], "оп")  # late is no miss
    await session.commit()
    admin = await actor_for(session_maker, "a1", 4001)
    s8 = await data.student(session, "s8")
    await movement.leave(session, admin, student_id=s8.id, day=dt.date(2026, 11, 20), today=report_data.TODAY)
    await session.commit()


FIFTH_A = [
    # №, pupil, subject, marks, average, missed, held, missed %, forecast, why, what is needed
    (
        1,
        "Алексеев Артём Игоревич",
        "Математика",
        6,
        Decimal("2.17"),
        0,
        6,
        Decimal("0.0"),
        "2",
        "средний балл ниже 2,60",
        "нужно ещё две 4",
    ),
    (
        2,
        "Белова Софья Дмитриевна",
        "Математика",
        3,
        Decimal("2.20"),
        0,
        6,
        Decimal("0.0"),
        "2",
        "средний балл ниже 2,60",
        "нужна ещё одна 5",
    ),
    (
        3,
        "Васильев Кирилл Андреевич",
        "Математика",
        1,
        Decimal("5.00"),
        0,
        6,
        Decimal("0.0"),
        "н/а",
        "меньше 3 отметок",
        "нужно ещё 2 отметки",
    ),
    (
        4,
        "Горбунова Алиса Романовна",
        "Математика",
        0,
        None,
        0,
        6,
        Decimal("0.0"),
        "н/а",
        "меньше 3 отметок",
        "нужно ещё 3 отметки",
    ),
    (
        5,
        "Дмитриев Егор Олегович",
        "Математика",
        3,
        Decimal("4.00"),
        3,
        6,
        Decimal("50.0"),
        None,
        "пропущено больше 30 % уроков",
        None,
    ),
]


@pytest.mark.usefixtures("school")
async def test_a_class_list_with_what_each_needs(session, session_maker) -> None:
    await fifth_a_mathematics(session, session_maker)
    document = await build(session, await report_data.request(session, "risk", class_name="5А"))

    assert (document.kind, document.title, document.about) == ("risk", "Группа риска", "5А")
    assert document.signatures == ("Классный руководитель",)
    (table,) = document.tables
    assert [column.title for column in table.columns] == [
        "№",
        "Ученик",
        "Предмет",
        "Отметок",
        "Средний балл",
        "Пропущено уроков",
        "Проведено уроков",
        "Пропущено, %",
        "Прогноз",
        "Основание",
        "Что нужно для «3»",
    ]
    assert [tuple(row) for row in table.rows] == FIFTH_A
    assert document.summary == (
        "5А, 2 четверть: в группе риска 5 учеников; прогноз «2» — 2, «н/а» — 2, пропусков больше 30 % — 1",
    )


@pytest.mark.usefixtures("school")
async def test_the_school_list_with_a_group_and_grade_one(session, session_maker) -> None:
    await fifth_a_mathematics(session, session_maker)
    # 5Б's English in two groups of four lessons each: s9 (group 1) has two marks and missed two of
    # his group's four lessons — not of eight. Everyone else has three 5s in their group's lessons.
    for group, teacher, pupils in (("1", "t4", ("s9", "s10", "s11", "s12")), ("2", "t6", ("s13", "s14", "s15", "s16"))):
        lessons = [
            await report_data.page_lesson(
                session, "5Б", "Английский язык", day, 2, teacher, group, attendance_taken=True
            )
            for day in MATH_DAYS[:4]
        ]
        for pupil in pupils:
            for lesson in lessons[: 2 if pupil == "s9" else 3]:
                await data.mark(session, lesson, pupil, 5, teacher=teacher)
    for lesson_day in MATH_DAYS[2:4]:
        english = await report_data.page_lesson(session, "5Б", "Английский язык", lesson_day, 2, "t4", "1")
        await data.absence(session, english, "s9", "н", teacher="t4")
    # 1А has no marks: s17 missed two of three lessons, and that is all the list says of 1А.
    for day in MATH_DAYS[:3]:
        await jd.lesson(session, "1А", "матем", day, teacher="t3")
    for day in MATH_DAYS[:2]:
        await jd.add_absence(session, "s17", "матем", day, teacher="t3")
    await session.commit()

    document = await build(session, await report_data.request(session, "risk"))
    assert (document.about, document.signatures) == ("Школа", ("Заместитель директора по УВР",))
    (table,) = document.tables
    assert [column.title for column in table.columns][1:4] == ["Ученик", "Класс", "Предмет"]
    assert [tuple(row) for row in table.rows] == [
        (
            1,
            "Алексеева Полина Игоревна",
            "1А",
            "Математика",
            None,
            None,
            2,
            3,
            Decimal("66.7"),
            None,
            "пропущено больше 30 % уроков",
            None,
        ),
        *((number + 1, pupil, "5А", *rest) for number, pupil, *rest in FIFTH_A),
        (
            7,
            "Григорьев Иван Михайлович",
            "5Б",
            "Английский язык",
            2,
            Decimal("5.00"),
            2,
            4,
            Decimal("50.0"),
            "н/а",
            "меньше 3 отметок; пропущено больше 30 % уроков",
            "нужна ещё 1 отметка",
        ),
    ]
    assert document.summary == (
        "Школа, 2 четверть: в группе риска 7 учеников; прогноз «2» — 2, «н/а» — 3, пропусков больше 30 % — 3",
    )


@pytest.mark.usefixtures("school")
async def test_an_exempt_pupil_is_left_out_of_the_subject(session, session_maker) -> None:
    await fifth_a_mathematics(session, session_maker)
    request = await report_data.request(session, "risk", class_name="5А")
    session.add(
        FinalMark(
            student_id=(await data.student(session, "s4")).id,
            subject_id=await data.subject_id(session, "Математика"),
            year_id=request.scope.year.id,
            period_id=request.scope.period.id,
            special=FinalMarkSpecial.EXEMPT.value,
            set_by_staff_id=await data.staff_id(session, "t1"),
        )
    )
    await session.commit()
    rows = (await build(session, request)).tables[0].rows
    assert [row[1] for row in rows] == [row[1] for row in FIFTH_A if row[1] != "Горбунова Алиса Романовна"]


@pytest.mark.usefixtures("school")
async def test_before_the_third_week_the_list_is_not_made_yet(session, session_maker) -> None:
    await fifth_a_mathematics(session, session_maker)
    early = dt.date(2026, 11, 13)  # the Friday of the term's second week
    document = await build(session, await report_data.request(session, "risk", class_name="5А", today=early))
    (table,) = document.tables
    assert table.rows == ()
    assert table.note == "Список формируется с третьей недели четверти"
    assert document.summary == ("5А, 2 четверть: список формируется с третьей недели четверти (с 16.11.2026)",)


# --- the heads-up in the families' digest ------------------------------------------------------------


async def risk_rows(session) -> list[OutboxMessage]:
    return list(
        await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == RISK).order_by(OutboxMessage.id))
    )


def digest_text(rows: list[OutboxMessage], language: str) -> str:
    """The rows as the delivery worker renders them when the recipient's digest goes, in their language."""
    views = [RowView(row.id, row.kind, row.payload, row.source_id) for row in rows]
    return "\n".join(part.text for part in render_rows(views, language))


@pytest.mark.usefixtures("school")
async def test_the_family_reads_it_in_the_digest_in_their_language(session, session_maker) -> None:
    await fifth_a_mathematics(session, session_maker)
    mother = await bind_account(session, "p1", 2001)  # s1's mother; her marks come at once
    other = await bind_account(session, "p3", 2003)  # s3's mother
    await session.commit()

    assert await queue_risk_notices(session, report_data.TODAY) == 2
    await session.commit()
    rows = await risk_rows(session)
    assert [row.account_id for row in rows] == [mother.id, other.id]
    assert all(is_digest(row.payload) for row in rows)  # a heads-up waits for the digest, whatever the preference
    assert digest_text(rows[:1], "ru") == (
        "🗓 <b>Сводка за день</b>\n\n"
        "⚠️ Алексеев Артём Игоревич: есть риск не выйти на «3» за 2 четверть\n"
        "Математика: средний балл 2,17 — нужно ещё две 4, чтобы выйти на «3»"
    )
    assert "Математика: отметок пока 1 — нужно ещё 2 отметки, чтобы была оценка за период" in digest_text(
        rows[1:], "ru"
    )
    assert digest_text(rows[:1], "en").endswith(
        "⚠️ Алексеев Артём Игоревич may not reach a «3» for 2 четверть\n"
        "Математика: average 2.17 — 2 more 4s are needed to reach a «3»"
    )

    # The job run again before the digest went: the waiting heads-up is replaced, not doubled.
    assert await queue_risk_notices(session, report_data.TODAY) == 0
    await session.commit()
    assert [row.id for row in await risk_rows(session)] == [row.id for row in rows]


@pytest.mark.usefixtures("school")
async def test_no_heads_up_before_the_third_week(session, session_maker) -> None:
    await fifth_a_mathematics(session, session_maker)
    await bind_account(session, "p1", 2001)
    await session.commit()
    assert await queue_risk_notices(session, dt.date(2026, 11, 13)) == 0
    assert await risk_rows(session) == []


@pytest.mark.usefixtures("school")
async def test_the_weekly_job_tells_the_families_once(session, session_maker, settings) -> None:
    from scheduler import jobs

    await fifth_a_mathematics(session, session_maker)
    await bind_account(session, "p1", 2001)
    await bind_account(session, "p3", 2003)
    await session.commit()
    monday = dt.datetime(2026, 11, 30, 9, 0, tzinfo=settings.timezone)

    assert await jobs.risk_heads_up(settings, session_maker, now=monday) == "ok"
    assert await jobs.risk_heads_up(settings, session_maker, now=monday) is None  # claimed: never twice
    assert len(await risk_rows(session)) == 2

"""Only true entries reach the record (issue 9, items 4–6): a correction keeps what the teacher didn't
change, an absent pupil gets no mark, and an absence entered before its lesson is told once it begins.

The demo school on Thursday 26.11.2026; t1 teaches mathematics in 5А (lesson 1, 08:30) and 5Б (lesson 5,
12:30). №3 of 5Б is Ковалёва Анастасия, whose father is p11.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from models import Attendance, AuditEntry, Mark, OutboxMessage, OutboxState, WorkType
from tests.delivery_helpers import deliver
from tests.people import signed_in

pytestmark = pytest.mark.usefixtures("school")

MOSCOW = ZoneInfo("Europe/Moscow")
TEACHER, FATHER = 1001, 2011


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 26, hour, minute, tzinfo=MOSCOW)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(10), tick=False)
    return time_machine


@pytest.fixture
async def teacher(harness, session_maker, clock):
    return await signed_in(harness, session_maker, "t1", TEACHER)


async def record(session_maker) -> dict[str, object]:
    """What the journal holds for 5А's №1 and №3 and what waits to be sent."""
    async with session_maker() as session:
        marks = list(
            await session.execute(
                select(Mark.student_id, Mark.value, WorkType.name, Mark.weight)
                .join(WorkType, WorkType.id == Mark.work_type_id)
                .where(Mark.deleted_at.is_(None))
                .order_by(Mark.id)
            )
        )
        return {
            "marks": [(value, kind, weight) for _, value, kind, weight in marks],
            "absences": list(await session.scalars(select(Attendance.code).where(Attendance.deleted_at.is_(None)))),
            "audit": await session.scalar(select(func.count()).select_from(AuditEntry)),
            "outbox": await session.scalar(select(func.count()).select_from(OutboxMessage)),
        }


async def notices_sent(session_maker) -> None:
    """As if the worker had sent everything: what comes next is news of its own."""
    async with session_maker() as session:
        await session.execute(update(OutboxMessage).values(state=OutboxState.SENT))
        await session.commit()


# --- 4. corrections keep what the teacher didn't change ---------------------------------------------


async def choose_kind_for_new_marks(teacher, kind: str) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    await teacher.clicks("Вид работы")
    await teacher.clicks(kind)


async def test_retyping_the_same_mark_changes_nothing(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 1:5")
    await choose_kind_for_new_marks(teacher, "контрольная")
    before = await record(session_maker)
    [answer] = await teacher.sends("/mark 5А матем 1:5")
    assert answer.splitlines()[1] == "1. Алексеев Артём — 5 (без изменений)"
    assert await record(session_maker) == before  # no audit row, no notice


async def test_a_correction_keeps_the_kind_of_work_chosen_for_new_marks(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 3:2")
    await notices_sent(session_maker)
    await choose_kind_for_new_marks(teacher, "контрольная")
    [answer, _view] = await teacher.sends("3 4, 4 5")
    assert answer == "Записано: 3. Васильев Кирилл — 2 → 4; 4. Горбунова Алиса — 5"
    assert (await record(session_maker))["marks"] == [(4, "работа на уроке", 1.0), (5, "контрольная работа", 3.0)]


async def test_naming_another_kind_of_work_changes_the_kind_and_says_so(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 1:4")
    await notices_sent(session_maker)
    before = await record(session_maker)
    [answer] = await teacher.sends("/mark 5А матем #контр 1:4")
    assert answer.splitlines()[1] == "1. Алексеев Артём — 4 (вид работы: работа на уроке → контрольная работа)"
    after = await record(session_maker)
    assert after["marks"] == [(4, "контрольная работа", 3.0)]
    assert (after["audit"], after["outbox"]) == (before["audit"] + 1, before["outbox"])  # the family's 4 stands
    async with session_maker() as session:
        entry = await session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert (entry.before["work_type"], entry.after["work_type"]) == ("работа на уроке", "контрольная работа")


# --- 5. absence and marks agree ----------------------------------------------------------------

REFUSED = (
    "У № 3 (Васильев Кирилл Андреевич) на этом уроке стоит «н»: отметку не поставить. Если ученик был на "
    "уроке, сначала снимите отсутствие: 3:+ 3:5; если опоздал — 3:оп."
)


async def test_a_mark_for_an_absent_pupil_is_refused_typed_and_by_button(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 3:н")
    before = await record(session_maker)
    assert await teacher.sends("/mark 5А матем 3:4") == [REFUSED]
    await teacher.sends("/today")
    await teacher.clicks("5А")
    assert await teacher.sends("3 4") == [REFUSED]
    await teacher.clicks("3")
    assert await teacher.clicks("4") == [REFUSED]
    assert await record(session_maker) == before
    [answer] = await teacher.sends("/mark 5А матем 3:+ 3:4")  # he was there after all
    assert answer.splitlines()[1] == "3. Васильев Кирилл — 4, н → был на уроке"


async def test_marking_absent_a_pupil_who_has_marks_asks_first(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 1:5")
    before = await record(session_maker)
    [question] = await teacher.sends("/mark 5А матем 1:н")
    assert question == (
        "У № 1 (Алексеев Артём Игоревич) за этот урок уже есть отметка 5. Отметить «н»? Отметка останется."
    )
    assert teacher.button_labels() == ["Да, отметить «н»"]
    assert await record(session_maker) == before
    [answer] = await teacher.clicks("Да, отметить")
    assert answer.splitlines()[1] == "1. Алексеев Артём — н"
    assert (await record(session_maker))["absences"] == ["н"]
    assert await teacher.clicks("Да, отметить") == [
        "Подтверждать нечего: эта запись уже сохранена или устарела. Отправьте её снова."
    ]


async def test_in_the_lesson_view_too_an_absence_over_marks_is_confirmed(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 2:4")
    await teacher.sends("/today")
    await teacher.clicks("5А")
    await teacher.clicks("2")
    [question] = await teacher.clicks("н")
    assert question.startswith("У № 2 (Белова Софья Дмитриевна) за этот урок уже есть отметка 4.")
    assert (await record(session_maker))["absences"] == []
    await teacher.clicks("Да, отметить")
    assert (await record(session_maker))["absences"] == ["н"]


async def test_each_confirmation_confirms_its_own_entry(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 1:5 2:4")
    await teacher.sends("/mark 5А матем 1:н")
    first = teacher.last_markup
    await teacher.sends("/mark 5А матем 2:н")  # a second question before the first is answered
    second = teacher.last_markup

    teacher.last_markup = first  # the first question's button: its entry is no longer the one waiting
    assert await teacher.clicks("Да, отметить") == [
        "Подтверждать нечего: эта запись уже сохранена или устарела. Отправьте её снова."
    ]
    assert (await record(session_maker))["absences"] == []
    teacher.last_markup = second
    [answer] = await teacher.clicks("Да, отметить")
    assert answer.splitlines()[1] == "2. Белова Софья — н"


async def test_a_question_still_waits_after_the_lesson_screen_is_used(teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 1:5")
    await teacher.sends("/today")
    await teacher.clicks("5А")
    screen = teacher.last_markup
    await teacher.sends("/mark 5А матем 1:н")
    question = teacher.last_markup

    teacher.last_markup = screen
    await teacher.clicks("3")  # a pupil's card opened on the lesson screen meanwhile
    teacher.last_markup = question
    [answer] = await teacher.clicks("Да, отметить")
    assert answer.splitlines()[1] == "1. Алексеев Артём — н"
    assert (await record(session_maker))["absences"] == ["н"]


# --- 6. no notice before the lesson ------------------------------------------------------------------


async def test_an_absence_entered_before_the_lesson_is_told_once_it_begins(
    harness, teacher, session_maker, settings, clock
) -> None:
    await signed_in(harness, session_maker, "p11", FATHER)
    clock.move_to(at(8, 26))
    await teacher.sends("/mark 5Б матем 3:н")  # a note from home in the morning; the lesson is at 12:30
    await deliver(harness.bot, session_maker, settings, now=at(9).astimezone(dt.timezone.utc))
    await deliver(harness.bot, session_maker, settings, now=at(12, 30).astimezone(dt.timezone.utc))
    assert harness.sent_to(FATHER) == []
    await deliver(harness.bot, session_maker, settings, now=at(12, 32).astimezone(dt.timezone.utc))
    [told] = harness.sent_to(FATHER)
    assert told.startswith("🚪 Ковалёва Анастасия Ильинична отсутствовал")


async def test_an_absence_taken_back_before_the_lesson_is_never_told(
    harness, teacher, session_maker, settings, clock
) -> None:
    await signed_in(harness, session_maker, "p11", FATHER)
    clock.move_to(at(8, 26))
    await teacher.sends("/mark 5Б матем 3:н")
    await deliver(harness.bot, session_maker, settings, now=at(9).astimezone(dt.timezone.utc))
    clock.move_to(at(9, 40))  # she came after all
    [answer] = await teacher.sends("/mark 5Б матем 3:+ // пришла ко второму уроку")
    assert answer.splitlines()[1] == "3. Ковалёва Анастасия — н → был на уроке"
    await deliver(harness.bot, session_maker, settings, now=at(13).astimezone(dt.timezone.utc))
    assert harness.sent_to(FATHER) == []

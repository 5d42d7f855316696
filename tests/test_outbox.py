"""Families hear about marks and absences: the grace window, preferences, quiet hours and the digest.

A teacher types `/mark` as in the chat; the delivery worker runs at the moments the test moves the
clock to (time-machine); the parent's chat shows what arrived.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select, update

from bot.outbound.callbacks import AbsenceAnswer
from models import Account, Attendance, DeliveryMode, ExplanationProposal, NotificationKind, OutboxMessage, OutboxState
from services import outbox, preferences
from services.actor import load_actor
from services.messaging.absence_answers import propose_explanation
from services.notices import Absence, MarkEntry
from tests.delivery_helpers import account, deliver, outbox_rows, show_last_buttons, update_account
from tests.people import person_id, signed_in

pytestmark = pytest.mark.usefixtures("school")

MSK = ZoneInfo("Europe/Moscow")
# Thursday 26.11.2026 after the first lesson (5А: математика, Иванова М. П. = t1).
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=MSK)
TEACHER, PARENT, STUDENT = 1001, 2001, 3001  # t1; p1 (mother of s1 «Алексеев Артём», № 1 in 5А); s1

NEW_FIVE = "🔔 Новые отметки — Алексеев Артём Игоревич\nМатематика: <b>5</b> — работа на уроке, чт, 26 ноября"
NEW_FOUR = NEW_FIVE.replace("<b>5</b>", "<b>4</b>")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
async def people(harness, session_maker):
    teacher = await signed_in(harness, session_maker, "t1", TEACHER)
    parent = await signed_in(harness, session_maker, "p1", PARENT)
    return teacher, parent


async def run_worker(harness, session_maker, settings):
    await deliver(harness.bot, session_maker, settings)
    return harness.sent_to(PARENT)


async def set_mode(session_maker, telegram_id: int, kind: NotificationKind, mode: DeliveryMode) -> None:
    async with session_maker() as session:
        actor = await load_actor(session, await session.get(Account, (await account(session_maker, telegram_id)).id))
        await preferences.set_mode(session, actor, kind, mode)
        await session.commit()


async def absence_told(harness, session_maker, settings, clock, people) -> None:
    """№ 1 (s1) marked absent, the notice delivered to p1 with its answer buttons to press."""
    teacher, parent = people
    await teacher.sends("/mark 5А матем 1:н")
    clock.shift(dt.timedelta(minutes=2))
    await run_worker(harness, session_maker, settings)
    show_last_buttons(harness, parent)


# --- the grace window ------------------------------------------------------------------------------


async def test_a_correction_within_the_window_sends_one_message_with_the_corrected_mark(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await teacher.sends("/mark 5А матем 1:5")
    assert await run_worker(harness, session_maker, settings) == []  # still inside the window

    clock.shift(dt.timedelta(minutes=2))
    await teacher.sends("/mark 5А матем 1:4")
    clock.shift(dt.timedelta(minutes=3, seconds=1))  # 5 min after the first entry
    assert await run_worker(harness, session_maker, settings) == [NEW_FOUR]

    rows = await outbox_rows(session_maker, PARENT)
    assert [(row.kind, row.state) for row in rows] == [("mark", OutboxState.SENT)]


async def test_a_mark_deleted_within_the_window_is_never_announced(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await teacher.sends("/mark 5А матем 1:5")
    clock.shift(dt.timedelta(minutes=1))
    await teacher.sends("/mark 5А матем 1:-")
    clock.shift(dt.timedelta(minutes=10))
    assert await run_worker(harness, session_maker, settings) == []
    assert [row.state for row in await outbox_rows(session_maker, PARENT)] == [OutboxState.CANCELLED]


async def test_after_the_window_a_correction_says_what_it_was_and_what_it_is(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await teacher.sends("/mark 5А матем 1:5")
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert await run_worker(harness, session_maker, settings) == [NEW_FIVE]

    clock.shift(dt.timedelta(minutes=1))
    await teacher.sends("/mark 5А матем 1:4")
    assert await run_worker(harness, session_maker, settings) == [NEW_FIVE]  # the correction has its own window
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert (await run_worker(harness, session_maker, settings))[1:] == [
        "✏️ Исправлена отметка — Алексеев Артём Игоревич\nМатематика, чт, 26 ноября: было 5 → стало <b>4</b>"
    ]


async def test_a_late_removal_tells_why(harness, session_maker, settings, clock, people) -> None:
    teacher, _ = people
    await teacher.sends("/mark 5А матем 1:5")
    clock.shift(dt.timedelta(minutes=30))  # past the teacher's 10-minute edit grace too: a reason is due
    await run_worker(harness, session_maker, settings)
    await teacher.sends("/mark 5А матем 1:- // поставлена не тому ученику")
    clock.shift(dt.timedelta(minutes=6))
    assert (await run_worker(harness, session_maker, settings))[1:] == [
        "🗑 Удалена отметка — Алексеев Артём Игоревич\nМатематика, чт, 26 ноября: 5\nПричина: поставлена не тому ученику"
    ]


async def test_marks_for_one_child_within_the_window_come_in_one_message(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await teacher.sends("/mark 5А матем 1:5")
    clock.shift(dt.timedelta(minutes=4))
    await teacher.sends("/mark 5А матем 25.11 1:3/4")  # yesterday's lesson, entered late
    clock.shift(dt.timedelta(minutes=4))
    assert await run_worker(harness, session_maker, settings) == []  # the newcomer restarted the window
    clock.shift(dt.timedelta(minutes=1, seconds=1))
    assert await run_worker(harness, session_maker, settings) == [
        NEW_FIVE + "\nМатематика: <b>3/4</b> — работа на уроке, ср, 25 ноября"
    ]


async def test_an_absence_waits_a_minute_and_offers_the_parent_answers(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, parent = people
    await teacher.sends("/mark 5А матем 1:н")
    clock.shift(dt.timedelta(seconds=59))
    assert await run_worker(harness, session_maker, settings) == []
    clock.shift(dt.timedelta(seconds=2))
    assert await run_worker(harness, session_maker, settings) == [
        "🚪 Алексеев Артём Игоревич отсутствовал на уроке\nчт, 26 ноября, 1-й урок (08:30), Математика."
    ]


async def test_an_absence_entered_and_withdrawn_within_the_window_is_never_announced(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await teacher.sends("/mark 5А матем 1:н")
    clock.shift(dt.timedelta(seconds=30))
    await teacher.sends("/mark 5А матем 1:+")
    clock.shift(dt.timedelta(minutes=2))
    assert await run_worker(harness, session_maker, settings) == []


async def test_the_parents_answer_reaches_the_class_teacher_as_a_proposal(
    harness, session_maker, settings, clock, people
) -> None:
    _, parent = people
    await absence_told(harness, session_maker, settings, clock, people)
    assert parent.button_labels() == ["Болел", "Уважительная причина", "Не знаю"]

    assert await parent.clicks("Болел") == ["Спасибо! Передали классному руководителю на подтверждение."]
    async with session_maker() as session:
        proposal = await session.scalar(select(ExplanationProposal))
        attendance = await session.get(Attendance, proposal.attendance_id)
    assert (proposal.proposal, proposal.resolved_at) == ("ill", None)
    assert (attendance.code, attendance.explanation) == ("н", None)  # the record itself is untouched

    await run_worker(harness, session_maker, settings)
    assert harness.sent_to(TEACHER)[-1] == (
        "📝 Алексеева Наталья Викторовна о пропуске: Алексеев Артём Игоревич (5А), чт, 26 ноября, "
        "1-й урок, Математика — «болел».\nЭто предложение родителя; подтвердите объяснение в /class."
    )


async def test_a_girls_absence_and_its_buttons_agree_with_her(harness, session_maker, settings, clock, people) -> None:
    teacher, _ = people
    mother = await signed_in(harness, session_maker, "p2", 2002)  # mother of № 2, Белова Софья Дмитриевна
    await teacher.sends("/mark 5А матем 2:н")
    clock.shift(dt.timedelta(minutes=2))
    await deliver(harness.bot, session_maker, settings)
    assert harness.sent_to(2002) == [
        "🚪 Белова Софья Дмитриевна отсутствовала на уроке\nчт, 26 ноября, 1-й урок (08:30), Математика."
    ]
    assert show_last_buttons(harness, mother) == ["Болела", "Уважительная причина", "Не знаю"]


async def test_a_lateness_asks_the_parent_nothing_and_an_answer_to_it_is_refused(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, parent = people
    await teacher.sends("/mark 5А матем 1:оп")
    clock.shift(dt.timedelta(minutes=2))
    assert await run_worker(harness, session_maker, settings) == [
        "🚪 Алексеев Артём Игоревич опоздал на урок\nчт, 26 ноября, 1-й урок (08:30), Математика."
    ]
    assert show_last_buttons(harness, parent) == []

    async with session_maker() as session:  # a button of an «н» since changed to «оп» is still in the chat
        attendance = await session.scalar(select(Attendance))
    assert await parent.presses(AbsenceAnswer(attendance_id=attendance.id, answer="ill").pack()) == [
        "Объяснять нечего: это не пропуск урока, а опоздание или уже объяснённое отсутствие."
    ]
    async with session_maker() as session:
        assert await session.scalar(select(ExplanationProposal)) is None


async def test_a_second_press_changes_the_answer_and_class_shows_it_to_confirm(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, parent = people
    await absence_told(harness, session_maker, settings, clock, people)
    await parent.clicks("Болел")
    await run_worker(harness, session_maker, settings)  # the class teacher has had the first answer
    told = harness.sent_to(TEACHER)

    assert parent.button_labels() == ["✓ Болел", "Уважительная причина", "Не знаю"]
    assert await parent.clicks("Уважительная") == ["Ответ изменён: классный руководитель увидит новый ответ."]
    assert parent.button_labels() == ["Болел", "✓ Уважительная причина", "Не знаю"]
    assert await parent.clicks("Уважительная") == ["Этот ответ уже передан классному руководителю."]
    await run_worker(harness, session_maker, settings)
    assert harness.sent_to(TEACHER) == told  # no second message to the class teacher
    async with session_maker() as session:
        assert [p.proposal for p in await session.scalars(select(ExplanationProposal))] == ["excused"]

    [record] = await teacher.sends("/class")
    assert " 1. Алексеев Артём Игоревич — 1 Математика н (родители: уважительная причина)" in record
    assert teacher.button_labels()[0] == "№1: 1 урок — уп, как сказали родители"
    again, toast = await teacher.clicks("как сказали родители")
    assert "1 Математика н→уп" in again and "родители:" not in again
    assert toast == "Записано: Алексеев Артём Игоревич — уп (уроков: 1)."
    async with session_maker() as session:
        attendance = await session.scalar(select(Attendance))
        proposal = await session.scalar(select(ExplanationProposal))
    assert (attendance.explanation, proposal.resolved_at is not None) == ("уп", True)
    assert await parent.clicks("Болел") == ["Классный руководитель уже записал причину этого пропуска."]


async def test_class_shows_ill_as_the_parents_said_it_of_a_boy_and_of_a_girl(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, father = people
    mother = await signed_in(harness, session_maker, "p2", 2002)  # mother of № 2, Белова Софья Дмитриевна
    await teacher.sends("/mark 5А матем 1:н 2:н")
    clock.shift(dt.timedelta(minutes=2))
    await run_worker(harness, session_maker, settings)
    show_last_buttons(harness, father)
    show_last_buttons(harness, mother)
    await father.clicks("Болел")
    await mother.clicks("Болела")

    [record] = await teacher.sends("/class")
    assert " 1. Алексеев Артём Игоревич — 1 Математика н (родители: болел)" in record
    assert " 2. Белова Софья Дмитриевна — 1 Математика н (родители: болела)" in record
    [lessons] = await teacher.clicks("№2 по урокам")
    assert lessons.splitlines()[1:] == ["1 Математика н (родители: болела)"]


async def test_a_changed_answer_still_unsent_goes_as_one_message_with_the_new_answer(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, parent = people
    await absence_told(harness, session_maker, settings, clock, people)
    await parent.clicks("Болел")
    await parent.clicks("Не знаю")  # before the worker ran: the waiting message is the one replaced

    await run_worker(harness, session_maker, settings)
    [told] = [text for text in harness.sent_to(TEACHER) if "о пропуске" in text]  # one message, not two
    assert "1-й урок, Математика — «не знаю»." in told


async def test_two_presses_at_once_leave_one_answer_and_one_message(harness, session_maker, clock, people) -> None:
    teacher, _ = people
    await teacher.sends("/mark 5А матем 1:н")
    async with session_maker() as session:
        attendance_id = await session.scalar(select(Attendance.id))
        parent = await load_actor(session, await session.get(Account, (await account(session_maker, PARENT)).id))

    async def press(answer: str) -> None:
        async with session_maker() as session:
            await propose_explanation(session, parent, attendance_id, answer)
            await session.commit()

    await asyncio.gather(press("ill"), press("ill"))
    await asyncio.gather(press("excused"), press("ill"))

    async with session_maker() as session:
        assert len(list(await session.scalars(select(ExplanationProposal)))) == 1
    to_teacher = [
        row for row in await outbox_rows(session_maker, TEACHER) if row.source_entity == "explanation_proposal"
    ]
    assert len([row for row in to_teacher if row.state == OutboxState.PENDING]) == 1


async def test_someone_elses_absence_button_is_refused(harness, session_maker, settings, clock, people) -> None:
    teacher, parent = people
    await teacher.sends("/mark 5А матем 2:н")  # № 2 is not p1's child
    async with session_maker() as session:
        attendance = await session.scalar(select(Attendance))
    assert await parent.presses(AbsenceAnswer(attendance_id=attendance.id, answer="ill").pack()) == [
        "Это не ваш ребёнок."
    ]
    async with session_maker() as session:
        assert await session.scalar(select(ExplanationProposal)) is None


# --- who hears what -----------------------------------------------------------------------------


async def test_marks_switched_off_write_nothing_and_students_hear_only_when_they_ask(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await signed_in(harness, session_maker, "s1", STUDENT)
    await set_mode(session_maker, PARENT, NotificationKind.MARKS, DeliveryMode.OFF)
    await teacher.sends("/mark 5А матем 1:5")
    assert await outbox_rows(session_maker) == []

    await update_account(session_maker, STUDENT, wants_notifications=True)
    await teacher.sends("/mark 5А матем 1:4")
    clock.shift(dt.timedelta(minutes=6))
    await deliver(harness.bot, session_maker, settings)
    assert harness.sent_to(PARENT) == []
    assert harness.sent_to(STUDENT) == [
        "✏️ Исправлена отметка — Алексеев Артём Игоревич\nМатематика, чт, 26 ноября: было 5 → стало <b>4</b>"
    ]


async def test_homework_goes_only_to_families_who_switched_it_on(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await teacher.sends("/homework 5А матем № 12, 14 на стр. 40")
    assert await outbox_rows(session_maker) == []  # homework is off by default

    await set_mode(session_maker, PARENT, NotificationKind.HOMEWORK, DeliveryMode.INSTANT)
    await teacher.sends("/homework 5А матем № 12, 15 на стр. 41")
    await teacher.clicks("Заменить")  # (homework was set: replace it)
    clock.shift(dt.timedelta(minutes=6))
    [text] = await run_worker(harness, session_maker, settings)
    assert text.startswith("📚 Домашнее задание (Алексеев Артём Игоревич): Математика на ")
    assert text.endswith("№ 12, 15 на стр. 41")


# --- quiet hours and the digest -------------------------------------------------------------------


async def test_quiet_hours_hold_marks_until_morning_but_not_absences(harness, session_maker, settings, people) -> None:
    teacher, _ = people
    evening = dt.datetime(2026, 11, 26, 21, 30, tzinfo=MSK)
    with time_machine.travel(evening, tick=False) as traveller:
        await teacher.sends("/mark 5А матем 1:5 2:н")
        await signed_in(harness, session_maker, "p2", 2002)  # mother of № 2
        await teacher.sends("/mark 5А матем 2:н")
        traveller.shift(dt.timedelta(minutes=10))
        assert await run_worker(harness, session_maker, settings) == []
        held = [row for row in await outbox_rows(session_maker, PARENT) if row.state == OutboxState.PENDING]
        assert [row.not_before.astimezone(MSK) for row in held] == [dt.datetime(2026, 11, 27, 8, 0, tzinfo=MSK)]

    with time_machine.travel(dt.datetime(2026, 11, 27, 7, 59, tzinfo=MSK), tick=False) as traveller:
        assert await run_worker(harness, session_maker, settings) == []
        traveller.shift(dt.timedelta(minutes=1))
        assert await run_worker(harness, session_maker, settings) == [NEW_FIVE]


async def test_an_absence_comes_at_once_even_in_quiet_hours(harness, session_maker, settings, people) -> None:
    teacher, _ = people
    with time_machine.travel(dt.datetime(2026, 11, 26, 22, 0, tzinfo=MSK), tick=False) as traveller:
        await teacher.sends("/mark 5А матем 1:н")
        traveller.shift(dt.timedelta(minutes=2))
        assert len(await run_worker(harness, session_maker, settings)) == 1


async def test_the_digest_gathers_the_days_news_at_the_chosen_time(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await set_mode(session_maker, PARENT, NotificationKind.MARKS, DeliveryMode.DIGEST)
    await set_mode(session_maker, PARENT, NotificationKind.ABSENCES, DeliveryMode.DIGEST)
    await teacher.sends("/mark 5А матем 1:5")
    clock.shift(dt.timedelta(hours=2))
    await teacher.sends("/mark 5А матем 25.11 1:оп")
    clock.shift(dt.timedelta(hours=3))  # 15:00
    assert await run_worker(harness, session_maker, settings) == []

    with time_machine.travel(dt.datetime(2026, 11, 26, 19, 0, tzinfo=MSK), tick=False):
        assert await run_worker(harness, session_maker, settings) == [
            "🗓 <b>Сводка за день</b>\n\n" + NEW_FIVE + "\n\n"
            "🚪 Алексеев Артём Игоревич опоздал на урок\nср, 25 ноября, 1-й урок (08:30), Математика."
        ]
        assert {row.state for row in await outbox_rows(session_maker, PARENT)} == {OutboxState.SENT}


async def test_a_digest_inside_quiet_hours_waits_for_the_morning(
    harness, session_maker, settings, clock, people
) -> None:
    teacher, _ = people
    await set_mode(session_maker, PARENT, NotificationKind.MARKS, DeliveryMode.DIGEST)
    await update_account(session_maker, PARENT, digest_time=dt.time(22, 0))
    await teacher.sends("/mark 5А матем 1:5")
    with time_machine.travel(dt.datetime(2026, 11, 26, 22, 0, tzinfo=MSK), tick=False):
        assert await run_worker(harness, session_maker, settings) == []
    with time_machine.travel(dt.datetime(2026, 11, 27, 8, 0, tzinfo=MSK), tick=False):
        assert await run_worker(harness, session_maker, settings) == ["🗓 <b>Сводка за день</b>\n\n" + NEW_FIVE]


async def test_english_speaking_parents_read_english(harness, session_maker, settings, clock, people) -> None:
    teacher, _ = people
    await update_account(session_maker, PARENT, language="en")
    await teacher.sends("/mark 5А матем 1:5")
    clock.shift(dt.timedelta(minutes=6))
    assert await run_worker(harness, session_maker, settings) == [
        "🔔 New marks — Алексеев Артём Игоревич\nМатематика: <b>5</b> — работа на уроке, Thu 26 November"
    ]


# --- the time arithmetic ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "start", "end", "quiet"),
    [
        ("20:59", "21:00", "08:00", False),
        ("21:00", "21:00", "08:00", True),
        ("03:00", "21:00", "08:00", True),
        ("08:00", "21:00", "08:00", False),
        ("13:00", "12:00", "14:00", True),
        ("14:00", "12:00", "14:00", False),
    ],
)
def test_quiet_hours_may_cross_midnight(local: str, start: str, end: str, quiet: bool) -> None:
    t = dt.time.fromisoformat
    assert preferences.in_quiet_hours(t(local), t(start), t(end)) is quiet
    assert preferences.in_quiet_hours(t(local), None, None) is False


def test_quiet_hours_end_in_the_morning_across_a_daylight_saving_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # clocks go back on 25.10.2026
    night = dt.datetime(2026, 10, 24, 23, 0, tzinfo=berlin)
    end = preferences.quiet_hours_end(night, dt.time(21, 0), dt.time(8, 0), berlin)
    assert end.astimezone(berlin) == dt.datetime(2026, 10, 25, 8, 0, tzinfo=berlin)
    assert end - night.astimezone(dt.timezone.utc) == dt.timedelta(hours=10)  # one hour longer that night


async def test_notices_in_bulk_see_each_other(session_maker, people, clock) -> None:
    """notify_families reads in bulk; a second notice about the same student still rewrites the first."""
    async with session_maker() as session:
        student = await person_id(session, "s1")
        base = dict(
            student="Алексеев Артём Игоревич",
            subject="Математика",
            date=dt.date(2026, 11, 26),
            lesson_no=1,
            work_type="работа на уроке",
            comment="",
            reason="",
        )
        key = f"mark:{student}:1"
        await outbox.notify_families(
            session,
            [
                outbox.FamilyNotice(student, MarkEntry(values=(5,), before="", after="5", **base), group_key=key),
                outbox.FamilyNotice(student, MarkEntry(values=(4,), before="5", after="4", **base), group_key=key),
            ],
        )
        await session.commit()
    [row] = await outbox_rows(session_maker, PARENT)
    assert (row.kind, row.state, [item["values"] for item in row.payload["items"]]) == (
        "mark",
        OutboxState.PENDING,
        [[4]],
    )


async def test_a_correction_of_a_row_the_worker_has_just_taken_goes_as_its_own_message(
    session_maker, people, clock
) -> None:
    async with session_maker() as session:
        student = await person_id(session, "s1")
        lesson = dict(
            student="Алексеев Артём Игоревич", subject="Математика", date=dt.date(2026, 11, 26), lesson_no=1, reason=""
        )
        marks = dict(lesson, work_type="работа на уроке", comment="")
        await outbox.notify_family(
            session, student, MarkEntry(values=(5,), before="", after="5", **marks), group_key="mark:s1:1"
        )
        await outbox.notify_family(
            session, student, Absence(code="н", before=None, after="н", **lesson), group_key="absence:s1:1"
        )
        await session.execute(update(OutboxMessage).values(state=OutboxState.SENDING))  # claimed meanwhile
        await outbox.notify_family(
            session, student, MarkEntry(values=(4,), before="5", after="4", **marks), group_key="mark:s1:1"
        )
        await outbox.notify_family(
            session, student, Absence(code=None, before="н", after=None, **lesson), group_key="absence:s1:1"
        )
        await session.commit()
    rows = await outbox_rows(session_maker, PARENT)
    assert [(row.kind, row.state, row.payload.get("before"), row.payload.get("after")) for row in rows] == [
        ("mark", OutboxState.SENDING, None, None),
        ("absence", OutboxState.SENDING, None, "н"),
        ("mark_changed", OutboxState.PENDING, "5", "4"),
        ("absence", OutboxState.PENDING, "н", None),
    ]

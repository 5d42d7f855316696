"""The scheduled jobs, each run at its time on a controllable clock in the school's time zone.

Who gets what, who gets nothing; weekends and holidays skip the lesson jobs; a DST time zone too.
Past 400 lines because every job's story shares the helpers at its top (a filled journal, bound staff, a job run at a time).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from aiogram.methods import SendMessage
from sqlalchemy import delete, func, select, update

from bot.outbound.delivery import deliver_everything_now
from models import (
    Consent,
    ExplanationProposal,
    Holiday,
    JobRun,
    Lesson,
    OutboxMessage,
    OverdueEntry,
    ParentStudent,
    Period,
    PersonKind,
)
from scheduler import jobs
from scheduler.setup import build_scheduler
from services.lessons import lesson_row, next_slot
from tests import homeroom_data as data
from tests.conftest import make_settings
from tests.delivery_helpers import as_sent
from tests.people import bind_account, person_id, signed_in

MSK = ZoneInfo("Europe/Moscow")
THURSDAY = dt.date(2026, 11, 26)
FRIDAY, SATURDAY, MONDAY = dt.date(2026, 11, 27), dt.date(2026, 11, 28), dt.date(2026, 11, 23)
WINTER_HOLIDAY = dt.date(2026, 12, 30)
MATH, RUSSIAN, LITERATURE, HISTORY, PE = "Математика", "Русский язык", "Литература", "История", "Физкультура"
T1, T2, T3, T4, D1, DIR1, A1 = 101, 102, 103, 104, 105, 106, 107  # Telegram ids of the demo staff


def at(day: dt.date, hour: int, minute: int = 0, tz: ZoneInfo = MSK) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


# --- journal helpers -------------------------------------------------------------------------------


async def fill(
    session,
    class_name: str,
    subject: str,
    day: dt.date,
    lesson_no: int,
    teacher: str,
    *,
    marks: bool = True,
    topic: bool = True,
    homework: bool = True,
) -> Lesson:
    """Write the lesson as a teacher would: attendance taken, and optionally topic, a mark, homework.

    Homework set at a lesson is written on the subject's next lesson (where it is due).
    """
    lesson = await data.lesson(session, class_name, subject, day, lesson_no, teacher)
    if topic:
        lesson.topic = "Тема урока"
    if marks:
        await data.mark(session, lesson, _first_student[class_name], 5, teacher=teacher)
    if homework:
        following = await next_slot(session, lesson.class_id, lesson.subject_id, day)
        row = await lesson_row(session, following, await data.staff_id(session, teacher))
        row.homework = "§ 12, № 3"
    await session.flush()
    return lesson


_first_student = {"5А": "s1", "5Б": "s9", "1А": "s17"}


async def thursday_journal(session_maker) -> None:
    """Thursday 26.11: t2 and t3 are done; t1 forgot the marks in 5А and everything in 5Б."""
    async with session_maker() as session:
        for class_name, no in (("5А", 2), ("5Б", 1)):
            await fill(session, class_name, RUSSIAN, THURSDAY, no, "t2")
        for class_name, no in (("5А", 4), ("5Б", 3)):
            await fill(session, class_name, LITERATURE, THURSDAY, no, "t2")
        for no, subject in enumerate((RUSSIAN, MATH, LITERATURE, PE), start=1):
            await fill(session, "1А", subject, THURSDAY, no, "t3", marks=False, homework=False)
        await fill(session, "5А", MATH, THURSDAY, 1, "t1", marks=False)
        await session.commit()


async def bind_staff(session_maker, *people: tuple[str, int]) -> dict[str, int]:
    """Bind demo staff to Telegram ids; returns their account ids."""
    accounts = {}
    async with session_maker() as session:
        for external_id, telegram_id in people:
            accounts[external_id] = (await bind_account(session, external_id, telegram_id)).id
        await session.commit()
    return accounts


async def outbox(session_maker, kind: str | None = None) -> list[OutboxMessage]:
    async with session_maker() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return list(await session.scalars(query))


async def runs(session_maker, job_id: str) -> list[JobRun]:
    async with session_maker() as session:
        return list(await session.scalars(select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.id)))


def scheduled_job(settings, session_maker, job_id: str):
    return build_scheduler(settings, session_maker).get_job(job_id)


async def run_scheduled(settings, session_maker, job_id: str, when: dt.datetime):
    """Travel to `when`, check the scheduler fires the job exactly then, and run it as the scheduler would."""
    job = scheduled_job(settings, session_maker, job_id)
    assert job.trigger.get_next_fire_time(None, when - dt.timedelta(minutes=1)) == when
    with time_machine.travel(when, tick=False):
        return await job.func(**job.kwargs)


# --- 16:00: the teachers' reminder ----------------------------------------------------------------------


async def test_reminder_lists_exactly_what_is_missing_and_disturbs_nobody_else(school, settings, session_maker) -> None:
    await thursday_journal(session_maker)
    accounts = await bind_staff(session_maker, ("t1", T1), ("t2", T2), ("t3", T3))

    outcome = await run_scheduled(settings, session_maker, jobs.TEACHER_REMINDER, at(THURSDAY, 16))

    assert outcome == "ok"
    sent = await outbox(session_maker)
    assert [(row.kind, row.account_id, row.chat_id) for row in sent] == [("reminder", accounts["t1"], T1)]
    text = as_sent(sent[0])["text"]
    assert text.splitlines()[1:3] == [
        "08:30 · 5А · Математика — нет: отметки",
        "12:30 · 5Б · Математика — нет: посещаемость, тема, отметки, домашнее задание",
    ]
    assert "до 17:00" in text and "Русский" not in text
    buttons = [b["text"] for row in as_sent(sent[0])["reply_markup"]["inline_keyboard"] for b in row]
    assert "Урок без отметок · 5А, 1 урок" in buttons and "Урок без отметок · 5Б, 5 урок" in buttons
    assert [(r.covers, r.outcome) for r in await runs(session_maker, jobs.TEACHER_REMINDER)] == [("2026-11-26", "ok")]


async def test_no_marks_button_closes_the_lesson_on_purpose(school, settings, harness, session_maker) -> None:
    await thursday_journal(session_maker)
    teacher = await signed_in(harness, session_maker, "t1", T1)
    await jobs.teacher_reminder(settings, session_maker, now=at(THURSDAY, 16))
    await deliver_everything_now(harness.bot, session_maker, settings)  # the delivery worker sends it
    [sent] = [r.method for r in harness.session.requests if isinstance(r.method, SendMessage) and r.chat_id == T1]
    assert sent.text.startswith("<b>Журнал за чт, 26 ноября</b>: до 17:00 нужно заполнить")
    markup = sent.reply_markup
    teacher.last_markup = markup
    assert teacher.button_labels() == [
        "5А · Математика",
        "Урок без отметок · 5А, 1 урок",
        "5Б · Математика",
        "Урок без отметок · 5Б, 5 урок",
    ]
    opened = await teacher.clicks("5А · Математика")  # the lesson view of the journal
    assert "Математика" in opened[0] and "Алексеев" in opened[0]
    teacher.last_markup = markup

    answers = await teacher.clicks("Урок без отметок · 5А")

    assert answers == [
        "Урок закрыт без отметок: 5А, Математика, чт, 26 ноября, 1 урок. Напоминать об отметках больше не будем."
    ]
    async with session_maker() as session:
        lesson = await data.lesson(session, "5А", MATH, THURSDAY, 1)
        assert lesson.no_marks_on_purpose is True
    # At the deadline the 5А lesson is complete; only 5Б is overdue for t1.
    await jobs.marks_deadline(settings, session_maker, now=at(THURSDAY, 17))
    async with session_maker() as session:
        t1 = await data.staff_id(session, "t1")
        overdue = list(await session.scalars(select(OverdueEntry).where(OverdueEntry.teacher_id == t1)))
    assert [(e.lesson_no, e.missing) for e in overdue] == [(5, ["attendance", "topic", "marks", "homework"])]


async def test_no_marks_button_is_refused_for_someone_elses_lesson(school, settings, harness, session_maker) -> None:
    await thursday_journal(session_maker)
    await signed_in(harness, session_maker, "t1", T1)
    other = await signed_in(harness, session_maker, "t2", T2)
    await jobs.teacher_reminder(settings, session_maker, now=at(THURSDAY, 16))
    [reminder] = await outbox(session_maker, "reminder")
    forged = as_sent(reminder)["reply_markup"]["inline_keyboard"][0][-1]["callback_data"]

    answers = await other.presses(forged)

    assert answers == ["Вы не ведёте этот предмет в этом классе."]
    async with session_maker() as session:
        assert (await data.lesson(session, "5А", MATH, THURSDAY, 1)).no_marks_on_purpose is False


# --- 17:00: the deadline; 08:00: the deputy ---------------------------------------------------------------


async def test_deadline_records_overdue_and_a_later_fill_counts_as_late(school, settings, session_maker) -> None:
    await thursday_journal(session_maker)
    accounts = await bind_staff(session_maker, ("t1", T1), ("d1", D1))

    assert await run_scheduled(settings, session_maker, jobs.MARKS_DEADLINE, at(THURSDAY, 17)) == "ok"

    async with session_maker() as session:
        staff = {await data.staff_id(session, name): name for name in ("t1", "d1", "t5")}
        classes = {await data.class_id(session, name): name for name in ("5А", "5Б")}
        entries = {
            (staff[e.teacher_id], classes[e.class_id], e.lesson_no): e.missing
            for e in await session.scalars(select(OverdueEntry).where(OverdueEntry.date == THURSDAY))
        }
        five_a = await data.class_id(session, "5А")
    everything = ["attendance", "topic", "marks", "homework"]
    assert entries == {  # t2 and t3 (1А) were done; the history and PE teachers wrote nothing
        ("t1", "5А", 1): ["marks"],
        ("t1", "5Б", 5): everything,
        ("d1", "5А", 3): everything,
        ("d1", "5Б", 2): everything,
        ("t5", "5А", 5): everything,
        ("t5", "5Б", 4): everything,
    }
    assert await outbox(session_maker) == []  # the deadline itself tells nobody

    # t1 puts the marks in at 18:00: late, not forgotten.
    async with session_maker() as session:
        await data.mark(session, await data.lesson(session, "5А", MATH, THURSDAY, 1), "s2", 4)
        await session.commit()

    assert await run_scheduled(settings, session_maker, jobs.DEPUTY_REPORT, at(FRIDAY, 8)) == "ok"

    [report] = await outbox(session_maker, "deputy_report")
    assert report.account_id == accounts["d1"]
    text = as_sent(report)["text"]
    assert text.startswith("<b>Контроль журнала за чт, 26 ноября</b>")
    assert "08:30 5А Математика — было: отметки (заполнено позже)" in text
    assert "12:30 5Б Математика — нет: посещаемость, тема, отметки, домашнее задание" in text
    # Week to date (Mon–Thu): t1 had 8 math lessons; one late, seven still missing.
    assert "Иванова М. П.        8      0      1   7" in text.splitlines()
    async with session_maker() as session:
        late = await session.scalar(
            select(OverdueEntry).where(OverdueEntry.class_id == five_a, OverdueEntry.lesson_no == 1)
        )
        assert late.filled_at is not None
    assert (await outbox(session_maker, "reminder")) == []


async def test_deputy_report_on_monday_covers_friday(school, settings, session_maker) -> None:
    await bind_staff(session_maker, ("d1", D1))
    await jobs.marks_deadline(settings, session_maker, now=at(dt.date(2026, 11, 27), 17))

    await jobs.deputy_daily(settings, session_maker, now=at(dt.date(2026, 11, 30), 8))

    [report] = await outbox(session_maker, "deputy_report")
    assert as_sent(report)["text"].startswith("<b>Контроль журнала за пт, 27 ноября</b>")


# --- 15:00 and Monday 09:00: class teachers ---------------------------------------------------------------


async def test_class_teacher_gets_todays_absences_unexplained_first_with_parents_proposals(
    school, settings, session_maker
) -> None:
    accounts = await bind_staff(session_maker, ("t1", T1), ("t4", T4), ("t3", T3))
    async with session_maker() as session:
        math = await data.lesson(session, "5А", MATH, THURSDAY, 1)
        russian = await data.lesson(session, "5А", RUSSIAN, THURSDAY, 2, "t2")
        await data.absence(session, math, "s5", "б")
        first = await data.absence(session, math, "s3", "н")
        await data.absence(session, russian, "s3", "н", teacher="t2")
        parent = await bind_account(session, "p3", 301)
        session.add(ExplanationProposal(attendance_id=first.id, account_id=parent.id, proposal="ill"))
        await session.commit()

    assert await run_scheduled(settings, session_maker, jobs.HOMEROOM_DAILY, at(THURSDAY, 15)) == "ok"

    sent = await outbox(session_maker, "homeroom_daily")
    assert [row.account_id for row in sent] == [accounts["t1"]]  # 5Б and 1А had no absences
    text = as_sent(sent[0])["text"]
    assert text.index("Васильев Кирилл") < text.index("Дмитриев Егор")
    assert " 3. Васильев Кирилл Андреевич — 1 Математика н (родители: болел), 2 Русский язык н" in text
    assert "Родители сообщили" not in text  # shown once, in the record, as /class shows it
    buttons = [b["text"] for row in as_sent(sent[0])["reply_markup"]["inline_keyboard"] for b in row]
    assert "№3 б" in buttons


async def test_monday_missing_data_lists_students_without_parent_sign_in_or_consent(
    school, settings, session_maker
) -> None:
    accounts = await bind_staff(session_maker, ("t1", T1), ("t4", T4))
    async with session_maker() as session:
        await bind_account(session, "p1", 201)  # s1's only parent
        await bind_account(session, "p3", 203)  # s3 has p3 and p4: p4 has not signed in
        s1, s8 = await data.student(session, "s1"), await data.student(session, "s8")
        p1 = await person_id(session, "p1")
        session.add(
            Consent(
                student_id=s1.id, person_kind=PersonKind.PARENT, person_id=p1, given=True, signed_on=dt.date(2026, 9, 1)
            )
        )
        await session.execute(delete(ParentStudent).where(ParentStudent.student_id == s8.id))
        await session.commit()

    assert await run_scheduled(settings, session_maker, jobs.MISSING_DATA, at(MONDAY, 9)) == "ok"

    sent = await outbox(session_maker, "homeroom_missing_data")
    assert sorted(row.account_id for row in sent) == sorted([accounts["t1"], accounts["t4"]])
    text = next(as_sent(row)["text"] for row in sent if row.account_id == accounts["t1"])
    lines = text.splitlines()
    assert "Алексеев Артём" not in text  # parent signed in, consent recorded
    assert "3. Васильев Кирилл Андреевич — родитель не вошёл в журнал, нет согласия на обработку ПДн" in lines
    assert "8. Зайцева Дарья Павловна — не указан родитель, нет согласия на обработку ПДн" in lines


# --- the director, after the period ---------------------------------------------------------------------


async def test_director_gets_the_period_report_on_the_first_school_day_after_it(
    school, settings, session_maker
) -> None:
    accounts = await bind_staff(session_maker, ("dir1", DIR1), ("d1", D1))
    async with session_maker() as session:
        october = await data.lesson(session, "5А", MATH, dt.date(2026, 10, 20), 2)
        await data.mark(session, october, "s1", 5)
        await data.absence(session, october, "s4", "н")
        await session.commit()
    first_school_day = dt.date(2026, 11, 5)  # the period ended on 25.10; autumn holidays to 4.11

    assert await jobs.director_period_report(settings, session_maker, now=at(dt.date(2026, 11, 2), 8)) is None
    assert await run_scheduled(settings, session_maker, jobs.DIRECTOR_REPORT, at(first_school_day, 8)) == "ok"
    assert await jobs.director_period_report(settings, session_maker, now=at(dt.date(2026, 11, 6), 8)) is None

    sent = await outbox(session_maker, "director_report")
    assert [row.account_id for row in sent] == [accounts["dir1"]]
    text = as_sent(sent[0])["text"]
    assert text.startswith("<b>Контроль ведения журнала: 1 четверть</b> (01.09.2026 — 25.10.2026)")
    assert "5А       5,00 100% 100% 1 0  0  0  0" in text.splitlines()
    assert [r.covers for r in await runs(session_maker, jobs.DIRECTOR_REPORT)] == ["period:1"]


# --- weekends and holidays --------------------------------------------------------------------------------


async def test_weekends_and_holidays_skip_the_lesson_jobs(school, settings, session_maker) -> None:
    await bind_staff(session_maker, ("t1", T1), ("d1", D1), ("t3", T3))
    lesson_jobs = (
        (jobs.teacher_reminder, 16),
        (jobs.marks_deadline, 17),
        (jobs.homeroom_daily, 15),
        (jobs.deputy_daily, 8),
    )
    for day in (SATURDAY, WINTER_HOLIDAY):
        for job, hour in lesson_jobs:
            assert await job(settings, session_maker, now=at(day, hour)) == "skipped"

    assert await outbox(session_maker) == []
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(OverdueEntry)) == 0
    # The same jobs on a school day do find work (the test above could not pass by accident).
    assert await jobs.teacher_reminder(settings, session_maker, now=at(THURSDAY, 16)) == "ok"
    assert len(await outbox(session_maker, "reminder")) == 3  # t1, d1 (history) and t3: nothing written yet


async def test_the_day_between_periods_is_not_a_school_day(school, settings, session_maker) -> None:
    await bind_staff(session_maker, ("t1", T1))
    async with session_maker() as session:  # no holiday declared for the gap: the periods alone decide
        await session.execute(delete(Holiday).where(Holiday.start == dt.date(2026, 10, 26)))
        await session.commit()
    assert await jobs.teacher_reminder(settings, session_maker, now=at(dt.date(2026, 10, 27), 16)) == "skipped"
    assert await outbox(session_maker) == []


# --- a time zone with daylight saving time ------------------------------------------------------------------


async def test_reminders_follow_the_school_clock_across_the_end_of_summer_time(
    school, database_url, session_maker
) -> None:
    """Europe/Berlin leaves summer time on Sunday 25.10.2026: 16:00 is 14:00 UTC before, 15:00 UTC after."""
    berlin = ZoneInfo("Europe/Berlin")
    settings = make_settings(database_url, school_timezone="Europe/Berlin")
    async with session_maker() as session:  # a school whose autumn term runs through that week
        await session.execute(delete(Holiday).where(Holiday.start == dt.date(2026, 10, 26)))
        await session.execute(
            update(Period).where(Period.end == dt.date(2026, 10, 25)).values(end=dt.date(2026, 10, 30))
        )
        await session.commit()
    await bind_staff(session_maker, ("t1", T1))
    job = scheduled_job(settings, session_maker, jobs.TEACHER_REMINDER)

    fired, moment, previous = [], dt.datetime(2026, 10, 23, 12, 0, tzinfo=dt.timezone.utc), None
    while (fire := job.trigger.get_next_fire_time(previous, moment)) < dt.datetime(
        2026, 10, 27, tzinfo=dt.timezone.utc
    ):
        with time_machine.travel(fire, tick=False):
            fired.append((fire.astimezone(dt.timezone.utc).strftime("%a %H:%M UTC"), await job.func(**job.kwargs)))
        previous, moment = fire, fire + dt.timedelta(seconds=1)

    assert fired == [
        ("Fri 14:00 UTC", "ok"),
        ("Sat 14:00 UTC", "skipped"),
        ("Sun 15:00 UTC", "skipped"),
        ("Mon 15:00 UTC", "ok"),
    ]
    reminders = await outbox(session_maker, "reminder")
    assert [as_sent(r)["text"].splitlines()[0] for r in reminders] == [
        "<b>Журнал за пт, 23 октября</b>: до 17:00 нужно заполнить",
        "<b>Журнал за пн, 26 октября</b>: до 17:00 нужно заполнить",
    ]
    assert [r.covers for r in await runs(session_maker, jobs.TEACHER_REMINDER)] == [
        "2026-10-23",
        "2026-10-24",
        "2026-10-25",
        "2026-10-26",
    ]
    assert berlin.utcoffset(dt.datetime(2026, 10, 26, 16)) == dt.timedelta(hours=1)


async def test_the_02_00_that_happens_twice_makes_one_copy(school, database_url, session_maker, tmp_path) -> None:
    """On 25.10.2026 Berlin's clocks go from 03:00 back to 02:00: the 02:00 backup fires twice, runs once."""
    settings = make_settings(database_url, school_timezone="Europe/Berlin", backup_dir=tmp_path / "backups")
    job = scheduled_job(settings, session_maker, jobs.BACKUP)
    first = job.trigger.get_next_fire_time(None, dt.datetime(2026, 10, 24, 23, 0, tzinfo=dt.timezone.utc))
    second = job.trigger.get_next_fire_time(first, first + dt.timedelta(seconds=1))
    assert (first.astimezone(dt.timezone.utc).hour, second.astimezone(dt.timezone.utc).hour) == (0, 1)

    outcomes = []
    for fire in (first, second):
        with time_machine.travel(fire, tick=False):
            outcomes.append(await job.func(**job.kwargs))

    assert outcomes == ["ok", None]
    assert len([p for p in (tmp_path / "backups").iterdir() if p.name.startswith("journal-")]) == 1


# --- the scheduler itself ----------------------------------------------------------------------------


async def test_jobs_have_fixed_ids_and_their_times_come_from_the_settings(tmp_path) -> None:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'j.db'}",
        reminder_time="15:45",
        missing_data_time="Пт 08:15",
        school_timezone="Asia/Yekaterinburg",
    )
    scheduler = build_scheduler(settings, session_maker=None)
    wednesday = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Yekaterinburg"))

    found = {job.id: job for job in scheduler.get_jobs()}
    assert sorted(found) == sorted(
        [
            jobs.BACKUP,
            jobs.DEPUTY_REPORT,
            jobs.DIRECTOR_REPORT,
            jobs.HOMEROOM_DAILY,
            jobs.MARKS_DEADLINE,
            jobs.MISSING_DATA,
            jobs.RISK_HEADS_UP,
            jobs.TEACHER_REMINDER,
        ]
    )
    assert all(job.coalesce and job.misfire_grace_time == 3600 for job in found.values())
    next_fire = {job_id: job.trigger.get_next_fire_time(None, wednesday) for job_id, job in found.items()}
    assert next_fire[jobs.TEACHER_REMINDER] == wednesday.replace(hour=15, minute=45)
    assert next_fire[jobs.MISSING_DATA] == dt.datetime(2026, 11, 27, 8, 15, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    assert next_fire[jobs.RISK_HEADS_UP] == next_fire[jobs.MISSING_DATA]
    assert next_fire[jobs.BACKUP] == dt.datetime(2026, 11, 26, 2, 0, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    # Added again under the same ids (a reload), they replace the old jobs rather than adding to them.
    scheduler.start(paused=True)
    try:
        for job in found.values():
            scheduler.add_job(job.func, trigger=job.trigger, id=job.id, replace_existing=True, kwargs=job.kwargs)
        assert len(scheduler.get_jobs()) == 8
    finally:
        scheduler.shutdown(wait=False)

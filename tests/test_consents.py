"""Personal-data consents (issue 9, item 11; regulation 3.2): the class teacher records each parent's
consent (and the pupil's own from 14), a withdrawal stays in the record, the import's `consents`
sheet records them too, and the class list, the weekly missing-data report and the director's totals
read them.

The demo school on Monday 30.11.2026. t1 leads 5А: №1 Алексеев Артём (parent p1), №3 Васильев Кирилл
(parents p3 Васильева Ирина and p4 Васильев Андрей), №8 Зайцева Дарья (p9). t4 leads 5Б.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from handlers.consents import ConsentAsk
from models import AuditEntry, Consent, OutboxMessage, PersonKind, Student
from scheduler import jobs
from services.demo_school import demo_school_sheets
from services.school_import import import_rows
from tests.delivery_helpers import as_sent
from tests.people import person_id, signed_in

pytestmark = pytest.mark.usefixtures("school")

MOSCOW = ZoneInfo("Europe/Moscow")
MONDAY = dt.date(2026, 11, 30)
T1, T2, T4, DIRECTOR, DEPUTY = 1001, 1002, 1004, 1006, 1005


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 30, 10, tzinfo=MOSCOW), tick=False)
    return time_machine


@pytest.fixture
async def t1(harness, session_maker, clock):
    return await signed_in(harness, session_maker, "t1", T1)


async def statements(session_maker, student: str | None = None) -> list[tuple]:
    """(pupil, signer kind, given, date, document) of every consent statement, oldest first."""
    async with session_maker() as session:
        query = (
            select(Student.external_id, Consent.person_kind, Consent.given, Consent.signed_on, Consent.document)
            .join(Student, Student.id == Consent.student_id)
            .order_by(Consent.id)
        )
        if student is not None:
            query = query.where(Student.external_id == student)
        return [tuple(row) for row in await session.execute(query)]


async def written(session_maker) -> tuple[int, int, int]:
    """How many consent statements, audit rows and queued messages the journal holds."""
    async with session_maker() as session:
        return tuple(
            [
                await session.scalar(select(func.count()).select_from(model))
                for model in (Consent, AuditEntry, OutboxMessage)
            ]
        )


def pupil_line(answer: str, number: int) -> str | None:
    return next((line for line in answer.splitlines() if line.startswith(f"{number}. ")), None)


# --- recording ---------------------------------------------------------------------------------


async def test_a_parents_consent_is_recorded_and_the_class_list_shows_who_is_still_missing(t1, session_maker) -> None:
    [before] = await t1.sends("/class consents")
    assert before.splitlines()[:2] == [
        "<b>5А: согласия на обработку ПДн</b> (на 30.11.2026)",
        "Полный комплект согласий: 0 из 8 учеников.",
    ]
    assert pupil_line(before, 3) == (
        "3. Васильев Кирилл Андреевич — Васильев Андрей Павлович: нет записи; Васильева Ирина Сергеевна: нет записи"
    )

    [answer] = await t1.sends("/consent s3 p4 дано 01.09 №15-ПД")
    assert answer == (
        "Записано: Васильев Андрей Павлович — согласие на обработку ПДн (Васильев Кирилл Андреевич) "
        "дано 01.09.2026, документ № 15-ПД."
    )
    assert await statements(session_maker) == [("s3", "parent", True, dt.date(2026, 9, 1), "15-ПД")]
    async with session_maker() as session:
        row = await session.scalar(select(Consent))
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.entity == "consent"))
        assert (row.person_id, row.recorded_by_staff_id) == (
            await person_id(session, "p4"),
            await person_id(session, "t1"),
        )
    assert (entry.entity_id, entry.before, entry.after["given"]) == (row.id, None, True)

    [after] = await t1.sends("/class consents")
    assert pupil_line(after, 3) == "3. Васильев Кирилл Андреевич — Васильева Ирина Сергеевна: нет записи"
    await t1.sends("/consent s3 p3 да 02.09")
    [complete] = await t1.sends("/class consents")
    assert "Полный комплект согласий: 1 из 8 учеников." in complete
    assert pupil_line(complete, 3) is None


async def test_the_same_statement_twice_is_recorded_once(t1, session_maker) -> None:
    await t1.sends("/consent s3 p4 дано 01.09 15")
    before = await written(session_maker)
    [answer] = await t1.sends("/consent s3 p4 дано 01.09 15")
    assert answer.startswith("Это уже записано: Васильев Андрей Павлович") and answer.endswith("Ничего не изменилось.")
    assert await written(session_maker) == before


async def test_a_withdrawal_is_kept_as_history_and_the_pupil_is_missing_again(t1, session_maker) -> None:
    await t1.sends("/consent s1 p1 дано 01.09")
    [answer] = await t1.sends("/consent s1 p1 отозвано 20.11")
    assert answer == (
        "Записано: Алексеева Наталья Викторовна — согласие на обработку ПДн (Алексеев Артём Игоревич) "
        "отозвано 20.11.2026."
    )
    assert await statements(session_maker) == [
        ("s1", "parent", True, dt.date(2026, 9, 1), ""),
        ("s1", "parent", False, dt.date(2026, 11, 20), ""),
    ]
    async with session_maker() as session:
        trail = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.entity == "consent").order_by(AuditEntry.id))
        )
    assert [(e.before and e.before["given"], e.after["given"]) for e in trail] == [(None, True), (True, False)]

    [card] = await t1.sends("/consent s1")
    assert card.splitlines()[:3] == [
        "<b>Согласия на обработку ПДн: Алексеев Артём Игоревич</b> (s1, 5А)",
        "• Алексеева Наталья Викторовна (p1) — отозвано 20.11.2026",
        "  ранее: дано 01.09.2026",
    ]
    [listing] = await t1.sends("/class consents")
    assert pupil_line(listing, 1) == "1. Алексеев Артём Игоревич — Алексеева Наталья Викторовна: отозвано 20.11.2026"


async def test_buttons_ask_for_a_confirmation_and_record_today(t1, session_maker) -> None:
    await t1.sends("/class consents")
    [card] = await t1.clicks("№3 Васильев К. А.")
    assert card.startswith("<b>Согласия на обработку ПДн: Васильев Кирилл Андреевич</b> (s3, 5А)")
    [question] = await t1.clicks("Васильева И. С.: дано сегодня")
    assert question == (
        "Записать в журнал?\nЧьи данные: Васильев Кирилл Андреевич\n"
        "Кто подписал: Васильева Ирина Сергеевна\nСогласие дано 30.11.2026."
    )
    assert await written(session_maker) == (0, 0, 0)
    assert await t1.clicks("Отмена") == ["Отменено, ничего не записано."]
    assert await written(session_maker) == (0, 0, 0)

    await t1.sends("/consent s3")
    await t1.clicks("Васильева И. С.: дано сегодня")
    [done] = await t1.clicks("Записать")
    assert done == (
        "Записано: Васильева Ирина Сергеевна — согласие на обработку ПДн (Васильев Кирилл Андреевич) дано 30.11.2026."
    )
    assert await statements(session_maker) == [("s3", "parent", True, MONDAY, "")]
    await t1.sends("/consent s3")
    assert "↩️ Васильева И. С.: отозвано сегодня" in t1.button_labels()


async def test_a_pupil_of_14_signs_their_own_consent(t1, session_maker) -> None:
    async with session_maker() as session:
        await session.execute(
            update(Student).where(Student.external_id == "s8").values(birth_date=dt.date(2012, 10, 1))
        )
        await session.commit()
    [listing] = await t1.sends("/class consents")
    assert pupil_line(listing, 8) == (
        "8. Зайцева Дарья Павловна — Зайцева Ольга Николаевна: нет записи; собственное согласие ученика: нет записи"
    )
    [refused] = await t1.sends("/consent s8 сама дано 30.09.2026")  # 14 only from 01.10.2026
    assert refused.startswith("На 30.09.2026 ученику s8 ещё нет 14 лет")
    [answer] = await t1.sends("/consent s8 сама дано 01.10")
    assert answer == "Записано: Зайцева Дарья Павловна — собственное согласие на обработку ПДн дано 01.10.2026."
    assert await statements(session_maker) == [("s8", "student", True, dt.date(2026, 10, 1), "")]


async def test_a_double_tap_on_record_writes_one_statement(t1, session_maker) -> None:
    await t1.sends("/consent s3")
    await t1.clicks("Васильева И. С.: дано сегодня")
    answers = await asyncio.gather(t1.clicks("Записать"), t1.clicks("Записать"))
    assert sorted(answer[0].split(":")[0] for answer in answers) == ["Записано", "Это уже записано"]
    assert await statements(session_maker) == [("s3", "parent", True, MONDAY, "")]
    assert (await written(session_maker))[:2] == (1, 1)


async def test_a_withdrawal_and_a_second_withdrawal_at_once_leave_one(t1, session_maker) -> None:
    await t1.sends("/consent s1 p1 дано 01.09")
    answers = await asyncio.gather(
        t1.sends("/consent s1 p1 отозвано 20.11 №7"), t1.sends("/consent s1 p1 отозвано 20.11 №8")
    )
    outcomes = sorted(answer[0].split(" ")[0] for answer in answers)
    assert outcomes == ["Записано:", "Отзывать"]  # whichever came second had nothing left to withdraw
    assert [given for _, _, given, _, _ in await statements(session_maker)] == [True, False]


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "refusal"),
    [
        (
            "/consent s3 p3 дано 01.12",
            "Дата 01.12.2026 ещё не наступила: согласие записывают в день подписания или позже. Укажите дату с документа.",
        ),
        (
            "/consent s3 сам дано 01.09",
            "На 01.09.2026 ученику s3 ещё нет 14 лет: за него согласие подписывает родитель. Запишите согласие родителя: "
            "/consent s3 &lt;id родителя&gt; дано.",
        ),
        (
            "/consent s3 p3 отозвано 01.09",
            "Отзывать нечего: согласие этого человека для ученика s3 не записано или уже отозвано. Если согласие было "
            "дано, сначала запишите его: … дано &lt;дата&gt;.",
        ),
        (
            "/consent s3 p4 дано 01.09",
            "Для этого человека и ученика s3 уже есть запись от 10.09.2026: записи идут по порядку дат, новая не может "
            "быть раньше. Укажите дату 10.09.2026 или позже.",
        ),
        (
            "/consent s3 p1 дано",
            "В журнале Алексеева Наталья Викторовна не значится среди родителей ученика s3 (Васильев Кирилл Андреевич). "
            "Родители ученика и их id — в /consent s3.",
        ),
        (
            "/consent s3 p4 может",
            "Как записать согласие: /consent &lt;id ученика&gt; &lt;id родителя | сам&gt; "
            "дано|отозвано [дата] [№ документа], например /consent s3 p4 дано 01.09 15-ПД. Карточка ученика: /consent s3.",
        ),
    ],
)
async def test_a_statement_that_breaks_a_rule_is_refused_and_nothing_is_written(
    t1, session_maker, line: str, refusal: str
) -> None:
    await t1.sends("/consent s3 p4 дано 10.09")
    before = await written(session_maker)
    assert await t1.sends(line) == [refusal]
    assert await written(session_maker) == before


async def test_only_the_class_teacher_records_and_the_administration_reads(t1, harness, session_maker) -> None:
    other = await signed_in(harness, session_maker, "t4", T4)
    director = await signed_in(harness, session_maker, "dir1", DIRECTOR)
    teacher = await signed_in(harness, session_maker, "t2", T2)
    only = (
        "Согласия на обработку ПДн записывает классный руководитель класса ученика (положение, п. 3.2). "
        "Посмотреть их можно: /class consents &lt;класс&gt;, по школе — /consents."
    )
    assert await other.sends("/consent s1 p1 дано 01.09") == [only]
    assert await director.sends("/consent s1 p1 дано 01.09") == [only]
    forged = ConsentAsk(
        student_id=await _id(session_maker, "s1"),
        kind=PersonKind.PARENT,
        person_id=await _id(session_maker, "p1"),
        given=True,
        day=MONDAY.toordinal(),
        confirmed=True,
    )
    assert await other.presses(forged.pack()) == [html.unescape(only)]  # a button's alert is plain text
    assert await t1.sends("/class consents 5Б") == ["Это не ваш класс."]
    assert await teacher.sends("/class consents 5А") == ["Это не ваш класс."]
    assert await teacher.sends("/consents") == ["Это доступно заместителю директора, директору и администратору."]
    assert await written(session_maker) == (0, 0, 0)

    [seen] = await director.sends("/class consents 5А")
    assert seen.startswith("<b>5А: согласия на обработку ПДн</b>")
    assert director.button_labels() == []  # reading only: no buttons to record
    [card] = await director.sends("/consent s1")
    assert card.startswith("<b>Согласия на обработку ПДн: Алексеев Артём Игоревич</b>")
    assert director.button_labels() == []


async def _id(session_maker, external_id: str) -> int:
    async with session_maker() as session:
        return await person_id(session, external_id)


# --- the director's totals and the weekly report ---------------------------------------------------


async def test_the_director_sees_the_schools_totals(t1, harness, session_maker) -> None:
    await t1.sends("/consent s1 p1 дано 01.09")
    await t1.sends("/consent s2 p2 дано 01.09")
    await t1.sends("/consent s2 p2 отозвано 20.11")
    director = await signed_in(harness, session_maker, "dir1", DIRECTOR)
    [totals] = await director.sends("/consents")
    assert totals.splitlines() == [
        "<b>Согласия на обработку ПДн по школе</b> (на 30.11.2026)",
        "1А: полный комплект — 0 из 8; не хватает согласий: 8",
        "5А: полный комплект — 1 из 8; не хватает согласий: 8, из них отозвано: 1",
        "5Б: полный комплект — 0 из 8; не хватает согласий: 9",
        "<b>Всего по школе</b>: полный комплект — 1 из 24 (4 %); не хватает согласий: 25.",
        "Кого не хватает в классе — /class consents &lt;класс&gt;.",
    ]
    assert await director.sends("/class consents") == ["Какой класс открыть?"]
    [listing] = await director.clicks("5А")
    assert pupil_line(listing, 2) == "2. Белова Софья Дмитриевна — Белов Дмитрий Николаевич: отозвано 20.11.2026"


async def test_the_weekly_report_reads_the_consents(t1, settings, session_maker) -> None:
    await t1.sends("/consent s1 p1 дано 01.09")
    await t1.sends("/consent s3 p3 дано 01.09")  # p4 has not signed yet: s3's set is not complete

    assert await jobs.missing_data(settings, session_maker, now=dt.datetime(2026, 11, 30, 9, tzinfo=MOSCOW)) == "ok"
    async with session_maker() as session:
        [message] = await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "homeroom_missing_data"))
    lines = as_sent(message)["text"].splitlines()
    assert "1. Алексеев Артём Игоревич — родитель не вошёл в журнал" in lines
    assert "3. Васильев Кирилл Андреевич — родитель не вошёл в журнал, нет согласия на обработку ПДн" in lines
    assert "2. Белова Софья Дмитриевна — родитель не вошёл в журнал, нет согласия на обработку ПДн" in lines


# --- the import's consents sheet -------------------------------------------------------------------


def sheets_with_consents(*rows: tuple[str, ...]):
    sheets = demo_school_sheets(MONDAY)
    sheets["consents"] = [dict(zip(("student", "parent", "given", "date", "document"), row)) for row in rows]
    return sheets


async def test_the_consents_sheet_is_imported_and_a_second_import_changes_nothing(t1, session_maker) -> None:
    sheets = sheets_with_consents(
        ("s1", "p1", "да", "2026-09-01", "ПДн-1"),
        ("s3", "p3", "да", "01.09.2026", ""),
        ("s3", "p3", "нет", "2026-11-20", "ПДн-7"),
        ("s3", "p4", "yes", "2026-09-02", ""),
    )
    async with session_maker() as session:
        report = await import_rows(session, sheets, today=MONDAY)
        await session.commit()
    assert report.ok, report.problems
    assert report.created["consents"] == 4
    assert await statements(session_maker, "s3") == [
        ("s3", "parent", True, dt.date(2026, 9, 1), ""),
        ("s3", "parent", False, dt.date(2026, 11, 20), "ПДн-7"),
        ("s3", "parent", True, dt.date(2026, 9, 2), ""),
    ]
    [listing] = await t1.sends("/class consents")
    assert pupil_line(listing, 1) is None
    assert (
        pupil_line(listing, 3) == "3. Васильев Кирилл Андреевич — Васильева Ирина Сергеевна: отозвано 20.11.2026, "
        "документ № ПДн-7"
    )

    before = await written(session_maker)
    async with session_maker() as session:
        again = await import_rows(session, sheets, today=MONDAY)
        await session.commit()
    assert again.ok and "consents" not in again.created and again.unchanged["consents"] == 4
    assert await written(session_maker) == before


async def test_a_bad_consents_sheet_is_refused_by_row_and_nothing_of_the_import_is_written(t1, session_maker) -> None:
    await t1.sends("/consent s4 p5 дано 10.11")
    sheets = sheets_with_consents(
        ("s1", "p1", "да", "2026-09-01", ""),  # row 2: fine on its own
        ("s99", "p1", "да", "2026-09-01", ""),  # row 3: no such pupil
        ("s3", "p1", "да", "2026-09-01", ""),  # row 4: p1 is not s3's parent
        ("s3", "p3", "может", "2026-09-01", ""),  # row 5: neither yes nor no
        ("s3", "p3", "да", "2026-12-01", ""),  # row 6: in the future
        ("s3", "s3", "да", "2026-09-01", ""),  # row 7: s3 is 11
        ("s5", "p6", "нет", "2026-09-01", ""),  # row 8: nothing to withdraw
        ("s4", "p5", "да", "2026-09-01", ""),  # row 9: the journal has a statement of 10.11
    )
    sheets["students"][0]["full_name"] = "Алексеев Артемий Игоревич"  # would be written, were the file good
    before = await written(session_maker)
    async with session_maker() as session:
        report = await import_rows(session, sheets, today=MONDAY)
        await session.rollback()
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [
        ("consents", 3, "student"),
        ("consents", 4, "parent"),
        ("consents", 5, "given"),
    ]
    assert "unknown student id 's99'" in str(report.problems[0])

    del sheets["consents"][1:4]  # the cells now read: the rules against the journal speak
    async with session_maker() as session:
        report = await import_rows(session, sheets, today=MONDAY)
        await session.rollback()
    assert [(p.row, p.column) for p in report.problems] == [(3, "date"), (4, "parent"), (5, "given"), (6, "date")]
    assert report.problems[1].reason == "the pupil is under 14 on that date: a parent signs for them"
    assert await written(session_maker) == before
    async with session_maker() as session:
        assert (
            await session.scalar(select(Student.full_name).where(Student.external_id == "s1"))
            == "Алексеев Артём Игоревич"
        )

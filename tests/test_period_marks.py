"""Period and year marks: /period (suggest, confirm, change one, close) and the read-only /journal."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from models import AuditAction, AuditEntry, FinalMark, Period, Student
from services import final_mark_setting, final_marks, grades
from services.errors import AccessDenied
from services.final_results import FinalResult
from tests import journal_data as jd
from tests.conftest import SCHOOL_TODAY
from tests.people import actor_for, signed_in

NOV = lambda day: dt.date(2026, 11, day)  # noqa: E731 — dates inside the 2nd четверть
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)
NOT_UNDERSTOOD = "Не понял сообщение. Список команд — /help."
BAD_VALUE = "Отметка {value} невозможна: можно от 2 до 5, «н/а» (не аттестован) или «осв.» (освобождён)."
SUGGESTED = {1: 5, 2: 4, 3: 3}  # student id → the suggested mark, as a forged confirmation would claim


@pytest.fixture
def on_school_day() -> Iterator[None]:
    """The chat's clock on the demo school's Thursday."""
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False):
        yield


@pytest.fixture
async def marks(school, session_maker) -> None:
    """5А mathematics, 2nd четверть: s1 4.60 → 5, s2 3.60 → 4, s3 2.60 → 3; nobody else has marks."""
    async with session_maker() as session:
        for student, values in {"s1": [5, 5, 5, 4, 4], "s2": [4, 4, 4, 3, 3], "s3": [3, 3, 3, 2, 2]}.items():
            for lesson_no, value in enumerate(values, start=1):
                await jd.add_mark(session, student, "матем", NOV(10 + lesson_no), value, "работа на уроке")
        await session.commit()


async def finals(session_maker, period_number: int | None = 2) -> dict[str, int]:
    """External id → final mark in 5А mathematics for a period (None: the year)."""
    async with session_maker() as session:
        math = await jd.subject(session, "матем")
        period_id = (await jd.period(session, period_number)).id if period_number else None
        rows = await session.scalars(
            select(FinalMark).where(
                FinalMark.subject_id == math.id,
                FinalMark.period_id == period_id if period_id else FinalMark.period_id.is_(None),
            )
        )
        return {(await session.get(Student, f.student_id)).external_id: f.value for f in rows}


def buttons_under_last(harness, chat_id: int) -> list[str]:
    """Button labels under the very last message sent to the chat (ChatUser keeps the last buttons seen)."""
    method = [r.method for r in harness.session.requests if r.chat_id == chat_id and hasattr(r.method, "text")][-1]
    markup = getattr(method, "reply_markup", None)
    return [b.text for row in markup.inline_keyboard for b in row] if markup else []


async def audit(session_maker) -> list[tuple[str, str, dict | None, dict | None, str]]:
    async with session_maker() as session:
        return [
            (e.entity, e.action, e.before and e.before["value"], e.after and e.after["value"], e.reason)
            for e in await session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "final_mark").order_by(AuditEntry.id)
            )
        ]


# --- in the chat ---------------------------------------------------------------------------------


async def test_teacher_sees_suggestions_confirms_all_and_changes_one(
    marks, harness, session_maker, on_school_day
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    (sheet,) = await teacher.sends("/period 5А матем")
    assert "<b>5А · Математика</b> · 2 четверть" in sheet
    assert "1 Алексеев А. И.  4,60 5         5" in sheet
    assert "2 Белова С. Д.    3,60 4         5" in sheet
    assert "5 Дмитриев Е. О.                 0" in sheet
    assert teacher.button_labels() == ["Подтвердить ≈ (3)"]
    assert await finals(session_maker) == {}  # showing writes nothing

    # The whole class is shown first, with each mark and its average; nothing is set yet.
    (preview,) = await teacher.clicks("Подтвердить")
    assert preview == (
        "Выставить итоговые отметки — 5А · Математика · 2 четверть:\n"
        "№1 Алексеев А. И. — <b>5</b> (ср. 4,60)\n№2 Белова С. Д. — <b>4</b> (ср. 3,60)\n"
        "№3 Васильев К. А. — <b>3</b> (ср. 2,60)\n"
        "Остальные отметки не изменятся. Проверьте список и нажмите «Выставить»."
    )
    assert teacher.button_labels() == ["Выставить (3)", "Отмена"]
    assert await finals(session_maker) == {}

    answers = await teacher.clicks("Выставить")
    assert answers[0] == "Выставлено: 3. Уже были: 0. Без отметок (нечего предложить): 5."
    assert "1 Алексеев А. И.  4,60 5    5    5" in answers[1]
    assert await finals(session_maker) == {"s1": 5, "s2": 4, "s3": 3}

    # 4 against an average of 2,60: only with a reason.
    assert await teacher.sends("3:4") == [
        "№3 Васильев Кирилл Андреевич: отметка 4 отличается от среднего балла 2,60 больше чем на 0,5. "
        "Если она верна, укажите причину: 3:4 // причина."
    ]
    assert await finals(session_maker) == {"s1": 5, "s2": 4, "s3": 3}
    answers = await teacher.sends("3:4 // пересдал контрольную")
    assert answers[0] == "№3 Васильев К. А. — 4"
    assert "3 Васильев К. А.  2,60 3    4    5" in answers[1]
    assert await finals(session_maker) == {"s1": 5, "s2": 4, "s3": 4}
    assert await audit(session_maker) == [
        ("final_mark", AuditAction.CREATE, None, 5, "confirmed suggestion"),
        ("final_mark", AuditAction.CREATE, None, 4, "confirmed suggestion"),
        ("final_mark", AuditAction.CREATE, None, 3, "confirmed suggestion"),
        ("final_mark", AuditAction.UPDATE, 3, 4, "пересдал контрольную"),
    ]


async def test_bad_changes_are_refused_and_change_nothing(marks, harness, session_maker, on_school_day) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    await teacher.sends("/period 5А матем")
    assert await teacher.sends("1:7") == [BAD_VALUE.format(value="7")]
    assert await teacher.sends("9:4") == ["Ученика №9 в списке нет: номера с 1 по 8."]
    # Several at once: one bad item refuses them all.
    assert await teacher.sends("1:5 2:1") == [BAD_VALUE.format(value="1")]
    assert await finals(session_maker) == {}
    assert await audit(session_maker) == []


async def test_hand_set_marks_survive_confirming(marks, harness, session_maker, on_school_day) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    await teacher.sends("/period 5А матем")
    await teacher.sends("1:4, 5:3 // устный зачёт")  # s5 has no marks: the teacher may still set one
    assert teacher.button_labels() == ["Подтвердить ≈ (2)"]
    await teacher.clicks("Подтвердить")
    answers = await teacher.clicks("Выставить")
    assert answers[0] == "Выставлено: 2. Уже были: 2. Без отметок (нечего предложить): 4."
    assert await finals(session_maker) == {"s1": 4, "s2": 4, "s3": 3, "s5": 3}
    assert buttons_under_last(harness, 3001) == []  # nothing left to confirm


async def test_only_the_teacher_of_the_class_subject_and_the_deputy_may_set_marks(
    marks, harness, session_maker, on_school_day
) -> None:
    other = await signed_in(harness, session_maker, "t2", 3002)
    assert await other.sends("/period 5А матем") == ["Вы не ведёте этот предмет в этом классе."]
    director = await signed_in(harness, session_maker, "dir1", 3003)
    (sheet,) = await director.sends("/period 5А матем")
    assert "4,60 5" in sheet and buttons_under_last(harness, 3003) == []
    assert await director.sends("1:5") == [NOT_UNDERSTOOD]  # no sheet open for changes
    assert await finals(session_maker) == {}

    # The services refuse too, whatever the chat shows.
    async with session_maker() as session:
        math = await jd.subject(session, "матем")
        fifth = await jd.class_id(session, "5А")
        scope = await grades.current_scope(session, SCHOOL_TODAY)
        for actor in (
            await actor_for(session_maker, "t2", 4002),
            await actor_for(session_maker, "dir1", 4003),
            await actor_for(session_maker, "p1", 4004),
        ):
            with pytest.raises(AccessDenied):
                await final_mark_setting.confirm_all(
                    session, actor, fifth, math.id, scope, SCHOOL_TODAY, NOW, shown=SUGGESTED
                )
            with pytest.raises(AccessDenied):
                await final_mark_setting.set_final_mark(session, actor, fifth, math.id, scope, 1, 5, SCHOOL_TODAY, NOW)
        deputy = await actor_for(session_maker, "d1", 4005)
        await final_mark_setting.set_final_mark(session, deputy, fifth, math.id, scope, 1, 5, SCHOOL_TODAY, NOW)
        await session.commit()
    assert await finals(session_maker) == {"s1": 5}


async def test_the_teacher_and_the_deputy_set_period_marks_at_the_same_moment(marks, session_maker) -> None:
    """Both are saved one after the other: no error, one mark per student, both in the audit."""
    async with session_maker() as session:
        math, fifth = await jd.subject(session, "матем"), await jd.class_id(session, "5А")
        scope = await grades.current_scope(session, SCHOOL_TODAY)
    teacher, deputy = await actor_for(session_maker, "t1", 4101), await actor_for(session_maker, "d1", 4102)

    async with session_maker() as session:
        shown = {
            row.student_id: row.suggested_mark
            for row in (
                await final_mark_setting.confirmation_sheet(session, teacher, fifth, math.id, scope, SCHOOL_TODAY)
            ).to_confirm
        }

    async def confirm_all() -> None:
        async with session_maker() as session:
            await final_mark_setting.confirm_all(
                session, teacher, fifth, math.id, scope, SCHOOL_TODAY, NOW, shown=shown
            )
            await session.commit()

    async def set_one() -> None:
        async with session_maker() as session:
            await final_mark_setting.set_final_mark(
                session, deputy, fifth, math.id, scope, 1, 4, SCHOOL_TODAY, NOW, reason="по итогам контрольной"
            )
            await session.commit()

    await asyncio.gather(confirm_all(), set_one())
    marks_now = await finals(session_maker)
    assert set(marks_now) == {"s1", "s2", "s3"} and (marks_now["s2"], marks_now["s3"]) == (4, 3)
    async with session_maker() as session:
        s1 = (await jd.student(session, "s1")).id
        entries = list(
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "final_mark", AuditEntry.student_id == s1)
                .order_by(AuditEntry.id)
            )
        )
    # Whichever came first created s1's mark, the other changed or kept it: never a second row.
    assert entries[0].action == AuditAction.CREATE and marks_now["s1"] == (entries[-1].after or {})["value"]


async def test_the_first_grade_has_no_period_marks(school, harness, session_maker, on_school_day) -> None:
    deputy = await signed_in(harness, session_maker, "d1", 3005)
    assert await deputy.sends("/period 1А матем") == ["В 1А отметки не ставятся (1 класс: только посещаемость)."]


async def test_the_deputy_closes_a_period_and_only_a_deputy_with_a_reason_changes_it(
    marks, harness, session_maker, on_school_day
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    deputy = await signed_in(harness, session_maker, "d1", 3005)
    await teacher.sends("/period 5А матем")
    await teacher.clicks("Подтвердить")
    await teacher.clicks("Выставить")

    assert await teacher.sends("/period close 2") == [
        "Закрывает и открывает четверть заместитель директора или директор."
    ]
    with time_machine.travel(dt.datetime(2026, 12, 28, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False):
        await deputy.sends("/period close 2")  # on the term's last day, confirmed (tests/test_term_closing.py)
        assert await deputy.clicks("Закрыть четверть") == [
            "«2 четверть» закрыта: отметки окончательные. Изменения — только заместителем, с причиной."
        ]
    async with session_maker() as session:
        assert (await jd.period(session, 2)).finals_locked_at is not None
        assert (await jd.period(session, 1)).finals_locked_at is None
    assert await deputy.sends("/period close 2") == ["«2 четверть» уже закрыта."]

    (sheet,) = await teacher.sends("/period 5А матем")
    assert "Четверть закрыта: отметки окончательные." in sheet and buttons_under_last(harness, 3001) == []
    assert await teacher.sends("1:4 // пересчёт") == [
        "«2 четверть» закрыта: отметки за неё может изменить только заместитель директора, с причиной."
    ]

    await deputy.sends("/period 5А матем")
    assert await deputy.sends("1:4") == [
        "«2 четверть» закрыта: укажите причину изменения, например 3:4 // ошибка при выставлении."
    ]
    answers = await deputy.sends("1:4 // ошибка в журнале")
    assert answers[0] == "№1 Алексеев А. И. — 4"
    assert await finals(session_maker) == {"s1": 4, "s2": 4, "s3": 3}
    assert (await audit(session_maker))[-1] == ("final_mark", AuditAction.UPDATE, 5, 4, "ошибка в журнале")


async def add_period_results(session_maker, by_student: dict[str, tuple[FinalResult | int | None, ...]]) -> None:
    """5А mathematics results set earlier by t1: per student, each period's in order (None: not set)."""
    async with session_maker() as session:
        math = await jd.subject(session, "матем")
        teacher_id = await jd.staff_id(session, "t1")
        for student, by_period in by_student.items():
            pupil = await jd.student(session, student)
            for number, result in enumerate(by_period, start=1):
                if result is None:
                    continue
                p = await jd.period(session, number)
                result = result if isinstance(result, FinalResult) else FinalResult(result)
                session.add(
                    FinalMark(
                        student_id=pupil.id,
                        subject_id=math.id,
                        year_id=p.year_id,
                        period_id=p.id,
                        **result.columns(),
                        set_by_staff_id=teacher_id,
                    )
                )
        await session.commit()


async def test_year_marks_from_the_period_marks(school, harness, session_maker, on_school_day) -> None:
    await add_period_results(session_maker, {"s1": (5, 4), "s2": (5, 5), "s3": (3, None)})
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    # In November, from the terms so far: nothing is offered, and nothing can be set.
    (sheet,) = await teacher.sends("/period 5А матем год")
    assert "1 Алексеев А. И.  5 4     4,50" in sheet and "4,50 4" not in sheet  # no ≈
    assert "Годовые отметки — после окончания всех четвертей (26.05.2027); до тех пор ≈ не предлагается." in sheet
    assert teacher.button_labels() == []
    assert await teacher.sends("1:5") == [
        "Годовые отметки выставляются, когда закончатся все четверти: последняя заканчивается 26.05.2027."
    ]
    assert await finals(session_maker, None) == {}

    with time_machine.travel(dt.datetime(2027, 5, 26, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False):
        (sheet,) = await teacher.sends("/period 5А матем год")
        assert "<b>5А · Математика</b> · 2026/2027 учебный год" in sheet
        assert "1 Алексеев А. И.  5 4     4,50 4" in sheet  # 4.50 < 4.60 → 4
        assert "2 Белова С. Д.    5 5     5,00 5" in sheet
        assert "3 Васильев К. А.  3       3,00 3" in sheet
        assert "4 Горбунова А. Р.\n" in sheet  # no period marks, no suggestion
        (preview,) = await teacher.clicks("Подтвердить")
        assert "№1 Алексеев А. И. — <b>4</b> (ср. 4,50)" in preview
        await teacher.clicks("Выставить")
    assert await finals(session_maker, None) == {"s1": 4, "s2": 5, "s3": 3}
    assert await finals(session_maker, 2) == {"s1": 4, "s2": 5}  # period marks untouched


# --- /journal: read only -------------------------------------------------------------------------


async def test_deputy_and_director_read_a_journal_page_without_buttons(
    marks, harness, session_maker, on_school_day
) -> None:
    async with session_maker() as session:
        await jd.add_mark(session, "s1", "матем", NOV(16), 3, "контр", slot=1)
        await jd.add_mark(session, "s1", "матем", NOV(16), 4, "контр", slot=2)
        await session.commit()
    for external_id, telegram_id in (("d1", 3005), ("dir1", 3003)):
        reader = await signed_in(harness, session_maker, external_id, telegram_id)
        (page,) = await reader.sends("/journal 5а матем")
        assert "<b>5А · Математика</b> · 2 четверть" in page
        # (5+5+5+4+4 + 3×3 + 4×3) / (5 + 6) = 44/11 = 4.00
        assert "1 Алексеев А. И.  4,00 4      5 5 5 4 4 3/4" in page
        assert "2 Белова С. Д.    3,60 4      4 4 4 3 3" in page
        assert "Подтвердить" not in page and "напишите №:отметка" not in page
        assert buttons_under_last(harness, telegram_id) == []
        assert await reader.sends("3:4") == [NOT_UNDERSTOOD]
    assert await finals(session_maker) == {}
    earlier = await harness.user(3005).sends("/journal 5А матем 1")
    assert "1 четверть" in earlier[0]


async def test_journal_is_for_school_readers_only(marks, harness, session_maker, on_school_day) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    assert await teacher.sends("/journal 5А матем") == ["Такой команды нет. Список команд — /help."]
    async with session_maker() as session:
        scope = await grades.current_scope(session, SCHOOL_TODAY)
        math, fifth = await jd.subject(session, "матем"), await jd.class_id(session, "5А")
        with pytest.raises(AccessDenied):
            await final_marks.journal_page(
                session, await actor_for(session_maker, "t1", 4001), fifth, math.id, scope, SCHOOL_TODAY
            )
        page = await final_marks.journal_page(
            session, await actor_for(session_maker, "dir1", 4003), fifth, math.id, scope, SCHOOL_TODAY
        )
    assert page.can_change is False and [r.suggested_mark for r in page.rows[:3]] == [5, 4, 3]


async def test_unknown_names_get_a_clear_answer(school, harness, session_maker, on_school_day) -> None:
    deputy = await signed_in(harness, session_maker, "d1", 3005)
    assert await deputy.sends("/journal 5А") == [
        "Страница журнала: /journal 5А матем, другая четверть: /journal 5А матем 1, годовые: /journal 5А матем год, "
        "прошлый учебный год: /journal 5А 2026/27 матем."
    ]
    assert (await deputy.sends("/journal 5А химия"))[0].startswith("Предмета «химия» нет. Предметы: Английский язык")
    assert (await deputy.sends("/period 5А матем 9")) == ["Периода 9 нет: в этом учебном году их 4."]
    assert (await deputy.sends("/period close"))[0] == "Какую четверть закрыть? Например: /period close 2."
    async with session_maker() as session:
        assert all(p.finals_locked_at is None for p in await session.scalars(select(Period)))


async def test_a_read_only_page_closes_the_sheet_open_for_changes(marks, harness, session_maker, on_school_day) -> None:
    deputy = await signed_in(harness, session_maker, "d1", 3005)
    await deputy.sends("/period 5А матем")  # open for changes
    await deputy.sends("/journal 5А матем 1")  # then only reading
    assert await deputy.sends("3:4") == [NOT_UNDERSTOOD]
    assert await finals(session_maker) == {} and await finals(session_maker, 1) == {}

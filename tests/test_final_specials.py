"""«н/а» (не аттестован) and «осв.» (освобождён) as period and year results (issue 12): typed by № under the
class sheet like a mark, kept as value NULL and a special, audited, told to the family in words, shown in
the sheets, suggested for the year only where it is plain, and counted in the director's figures as
failing («н/а») or not at all («осв.»)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from bot.i18n import get_translator
from bot.outbound.render import render
from models import AuditAction, AuditEntry, FinalMark, FinalMarkSpecial, Period, Student
from services import final_mark_setting, grades
from services.channel import RowView
from services.control_reports import period_report
from services.errors import DomainError, ValidationFailed
from services.final_results import EXEMPT, NOT_ASSESSED, FinalResult, label_of, parse_final_result
from services.grades import Thresholds, suggest_year_mark
from services.notices import FINAL_MARK, FinalMarkSet, payload_of
from tests import homeroom_data as data
from tests import journal_data as jd
from tests import test_period_marks as period_sheet
from tests.conftest import SCHOOL_TODAY
from tests.people import actor_for, signed_in
from tests.test_final_mark_safeguards import final_mark_notices
from tests.test_period_marks import BAD_VALUE, add_period_results
from tests.test_reports import DEADLINE, DIRECTOR, OCTOBER
from tests.test_scheduler import HISTORY, MATH, RUSSIAN, THURSDAY, at

MOSCOW = ZoneInfo("Europe/Moscow")
TEACHER, PARENT_1, PARENT_3 = 3001, 3101, 3103
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)
marks = period_sheet.marks  # the fixture: 5А mathematics, s1 4,60 → 5, s2 3,60 → 4, s3 2,60 → 3


@pytest.fixture
def thursday() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=MOSCOW), tick=False):
        yield


async def results(session_maker, period_number: int | None = 2) -> dict[str, tuple[int | None, str]]:
    """External id → (value, special) of the 5А mathematics result for a period (None: the year)."""
    async with session_maker() as session:
        math = await jd.subject(session, "матем")
        period_id = (await jd.period(session, period_number)).id if period_number else None
        rows = await session.execute(
            select(Student.external_id, FinalMark.value, FinalMark.special)
            .join(Student, Student.id == FinalMark.student_id)
            .where(
                FinalMark.subject_id == math.id,
                FinalMark.period_id == period_id if period_id else FinalMark.period_id.is_(None),
            )
        )
        return {external_id: (value, special) for external_id, value, special in rows}


async def audit_trail(session_maker) -> list[tuple[str, dict | None, dict | None, str]]:
    """The final-mark audit entries: action, (value, special) before and after, reason."""

    def state(snapshot: dict | None) -> tuple | None:
        return None if snapshot is None else (snapshot["value"], snapshot["special"])

    async with session_maker() as session:
        return [
            (entry.action, state(entry.before), state(entry.after), entry.reason)
            for entry in await session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "final_mark").order_by(AuditEntry.id)
            )
        ]


# --- the value and what a teacher types ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4", FinalResult(4)),
        (" 2 ", FinalResult(2)),
        (5, FinalResult(5)),
        *[(text, NOT_ASSESSED) for text in ("н/а", "Н/А", "на", "н\\а", "н.а.", "na", "n/a", "N/A", "не аттестована")],
        *[(text, EXEMPT) for text in ("осв", "осв.", "Осв.", "освобождён", "освобождена", "освобожден", "exempt")],
    ],
)
def test_what_a_teacher_types_is_read_as_a_result(typed: str | int, expected: FinalResult) -> None:
    assert parse_final_result(typed, lowest=2) == expected


@pytest.mark.parametrize("typed", ["1", "6", "0", "отл", "н", "осв/а", "", "4.5", "-3"])
def test_anything_else_is_refused_with_the_values_allowed(typed: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_final_result(typed, lowest=2)
    assert get_translator("ru").refusal(refused.value) == BAD_VALUE.format(value=typed.strip())
    assert get_translator("en").refusal(refused.value) == (
        f"A mark of {typed.strip()} is not possible: from 2 to 5, “n/a” (not assessed) or “exempt”."
    )


def test_a_school_with_ones_accepts_a_one() -> None:
    assert parse_final_result("1", lowest=1) == FinalResult(1)


def test_a_result_is_a_mark_or_a_special_never_both_nor_neither() -> None:
    for wrong in ({}, {"value": 4, "special": "na"}, {"special": "ill"}):
        with pytest.raises(ValueError):
            FinalResult(**wrong)
    assert [special.value for special in FinalMarkSpecial] == ["na", "exempt", "pass", "fail"]


def test_labels_in_both_languages() -> None:
    assert [label_of(r, "ru") for r in (FinalResult(5), NOT_ASSESSED, EXEMPT, None)] == ["5", "н/а", "осв.", ""]
    assert [label_of(r, "en") for r in (FinalResult(5), NOT_ASSESSED, EXEMPT, None)] == ["5", "n/a", "exempt", ""]


def test_the_year_suggestion_from_periods_with_specials() -> None:
    def year(*periods: FinalResult | None) -> tuple[Decimal | None, FinalResult | None]:
        return suggest_year_mark(periods, Thresholds())

    four, five = FinalResult(4), FinalResult(5)
    # «осв.» is left out of the mean: 4, 5, 5 → 4,67 → 5.
    assert year(EXEMPT, four, five, five) == (Decimal("4.67"), five)
    # Every period with a result «осв.»: the year is «осв.» too.
    assert year(EXEMPT, EXEMPT, None, EXEMPT) == (None, EXEMPT)
    # Any «н/а»: no suggestion, the teacher decides; the mean of the marks is still there to see.
    assert year(five, NOT_ASSESSED, five, five) == (Decimal("5.00"), None)
    assert year(NOT_ASSESSED, EXEMPT) == (None, None)
    assert year(None, None) == (None, None)


# --- in the chat ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("marks")
async def test_a_teacher_sets_na_and_exempt_by_number_and_the_family_is_told_in_words(
    harness, session_maker, thursday
) -> None:
    p1_account = (await actor_for(session_maker, "p1", PARENT_1)).account_id
    teacher = await signed_in(harness, session_maker, "t1", TEACHER)
    await teacher.sends("/period 5А матем")

    # «н/а» against an average of 4,60: a special is no distance from the average, no reason needed.
    answers = await teacher.sends("1:н/а")
    assert answers[0] == "№1 Алексеев А. И. — н/а"
    assert "1 Алексеев А. И.  4,60 5  н/а    5" in answers[1]
    assert await results(session_maker) == {"s1": (None, "na")}
    assert await audit_trail(session_maker) == [(AuditAction.CREATE, None, (None, "na"), "set by hand")]
    assert await final_mark_notices(session_maker) == {
        p1_account: [
            "📘 Итоговая отметка — Алексеев Артём Игоревич\n"
            "Математика, 2 четверть: <b>н/а</b> — не аттестован\nСредний балл: 4,60"
        ]
    }

    # Changed before the family heard: they hear only how it stands now.
    answers = await teacher.sends("1:осв 5:Осв.")
    assert answers[0] == "№1 Алексеев А. И. — осв.\n№5 Дмитриев Е. О. — осв."
    assert "1 Алексеев А. И.  4,60 5 осв.    5\n" in answers[1] and "5 Дмитриев Е. О.         осв.    0\n" in answers[1]
    assert await results(session_maker) == {"s1": (None, "exempt"), "s5": (None, "exempt")}
    assert (await audit_trail(session_maker))[1:] == [
        (AuditAction.UPDATE, (None, "na"), (None, "exempt"), "set by hand"),
        (AuditAction.CREATE, None, (None, "exempt"), "set by hand"),
    ]
    assert (await final_mark_notices(session_maker))[p1_account] == [
        "📘 Итоговая отметка — Алексеев Артём Игоревич\n"
        "Математика, 2 четверть: <b>осв.</b> — освобождён от предмета\nСредний балл: 4,60"
    ]

    # Confirming the class sets the suggested marks of the others, never a special.
    assert teacher.button_labels() == ["Подтвердить ≈ (2)"]
    (preview,) = await teacher.clicks("Подтвердить")
    assert "№1" not in preview and "№2 Белова С. Д. — <b>4</b>" in preview
    await teacher.clicks("Выставить")
    assert await results(session_maker) == {
        "s1": (None, "exempt"),
        "s2": (4, ""),
        "s3": (3, ""),
        "s5": (None, "exempt"),
    }


@pytest.mark.usefixtures("marks")
async def test_a_bad_value_is_refused_with_the_values_allowed_and_changes_nothing(
    harness, session_maker, thursday
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", TEACHER)
    await teacher.sends("/period 5А матем")
    assert await teacher.sends("1:отл") == [BAD_VALUE.format(value="отл")]
    assert await teacher.sends("1:5 2:н/а 3:нет") == [BAD_VALUE.format(value="нет")]
    assert await results(session_maker) == {}
    assert await audit_trail(session_maker) == []
    assert await final_mark_notices(session_maker) == {}


# --- through the service: the locked period ------------------------------------------------------------


@pytest.mark.usefixtures("marks")
async def test_a_closed_period_takes_a_special_only_from_the_deputy_with_a_reason(session_maker) -> None:
    teacher, deputy = await actor_for(session_maker, "t1", 4001), await actor_for(session_maker, "d1", 4005)
    async with session_maker() as session:
        math, fifth = await jd.subject(session, "матем"), await jd.class_id(session, "5А")
        (await jd.period(session, 2)).finals_locked_at = NOW
        await session.commit()
        scope = await grades.current_scope(session, SCHOOL_TODAY)

        async def set_one(actor, typed: str, reason: str = "") -> None:
            await final_mark_setting.set_final_mark(
                session, actor, fifth, math.id, scope, 3, typed, SCHOOL_TODAY, NOW, reason
            )

        with pytest.raises(DomainError) as refused:
            await set_one(teacher, "н/а", "болел")
        assert refused.value.key == "period-locked"
        with pytest.raises(ValidationFailed) as refused:
            await set_one(deputy, "н/а")
        assert refused.value.key == "period-reason-needed"
        await set_one(deputy, "н/а", "пропустил больше половины уроков")
        await session.commit()
    assert await results(session_maker) == {"s3": (None, "na")}
    assert await audit_trail(session_maker) == [
        (AuditAction.CREATE, None, (None, "na"), "пропустил больше половины уроков")
    ]


# --- year marks ------------------------------------------------------------------------------------------


async def test_the_year_sheet_shows_specials_and_leaves_them_to_the_teacher(school, harness, session_maker) -> None:
    await add_period_results(session_maker, {"s1": (5, NOT_ASSESSED), "s2": (EXEMPT, EXEMPT), "s3": (4, EXEMPT)})
    teacher = await signed_in(harness, session_maker, "t1", TEACHER)
    with time_machine.travel(dt.datetime(2027, 5, 26, 10, 0, tzinfo=MOSCOW), tick=False):
        (sheet,) = await teacher.sends("/period 5А матем год")
        # s1: a «н/а» term, no ≈ (the teacher decides); s2: every term «осв.», ≈ «осв.»; s3: «осв.» left out.
        assert "1 Алексеев А. И.     5  н/а     5,00\n" in sheet
        assert "2 Белова С. Д.    осв. осв.          осв.\n" in sheet
        assert "3 Васильев К. А.     4 осв.     4,00    4\n" in sheet
        assert teacher.button_labels() == ["Подтвердить ≈ (1)"]
        (preview,) = await teacher.clicks("Подтвердить")
        assert "№3 Васильев К. А. — <b>4</b> (ср. 4,00)" in preview and "№2" not in preview
        answers = await teacher.clicks("Выставить")
        assert answers[0] == (
            "Выставлено: 1. Уже были: 0. Без отметок (нечего предложить): 5.\n"
            "Не выставлено, потому что за четверть стоит «н/а» или «осв.»: 2 — поставьте сами, например 3:4, 3:н/а или 3:осв."
        )
        assert await results(session_maker, None) == {"s3": (4, "")}  # confirming never sets «осв.»
        assert (await teacher.sends("2:осв."))[0] == "№2 Белова С. Д. — осв."
    assert await results(session_maker, None) == {"s3": (4, ""), "s2": (None, "exempt")}

    # What the family reads: s3's parent, the year's page.
    parent = await signed_in(harness, session_maker, "p3", PARENT_3)
    with time_machine.travel(dt.datetime(2027, 5, 26, 10, 0, tzinfo=MOSCOW), tick=False):
        (grades_page,) = await parent.sends("/grades год")
    assert "Математика      4 осв.         4   4\n" in grades_page


# --- what families read ------------------------------------------------------------------------------------


def test_a_changed_result_is_told_from_the_one_the_family_knew() -> None:
    def told(**fields) -> str:
        notice = FinalMarkSet(student="Белова Софья Дмитриевна", subject="Математика", period="2 четверть", **fields)
        (message,) = render([RowView(1, FINAL_MARK, payload_of(notice), None)], get_translator("ru"))
        return message.text

    assert told(value=3, before_special="na") == (
        "✏️ Изменена итоговая отметка — Белова Софья Дмитриевна\nМатематика, 2 четверть: было н/а → стало <b>3</b>"
    )
    assert told(special="na", before=2) == (
        "✏️ Изменена итоговая отметка — Белова Софья Дмитриевна\n"
        "Математика, 2 четверть: было 2 → стало <b>н/а</b> — не аттестована"
    )
    assert told(special="exempt") == (
        "📘 Итоговая отметка — Белова Софья Дмитриевна\nМатематика, 2 четверть: <b>осв.</b> — освобождена от предмета"
    )
    # A row written before specials existed reads as the mark it held.
    assert told(value=4) == "📘 Итоговая отметка — Белова Софья Дмитриевна\nМатематика, 2 четверть: <b>4</b>"


# --- the director's figures --------------------------------------------------------------------------------


async def test_the_directors_figures_count_na_as_failing_and_leave_exempt_out(school, session_maker) -> None:
    async with session_maker() as session:
        first = await session.scalar(select(Period).order_by(Period.start).limit(1))
        math = await data.lesson(session, "5А", MATH, OCTOBER, 2)
        russian = await data.lesson(session, "5А", RUSSIAN, OCTOBER, 1, "t2")
        for student, value in (("s1", 5), ("s2", 5), ("s3", 3)):
            await data.mark(session, math, student, value)
        await data.mark(session, russian, "s1", 4, teacher="t2")
        await data.mark(session, russian, "s3", 5, teacher="t2")
        history = await data.subject_id(session, HISTORY)
        teacher = await data.staff_id(session, "t1")
        for student, subject_id, result in (
            ("s2", math.subject_id, NOT_ASSESSED),  # marks that suggest a 5: the «н/а» stands, failing
            ("s3", math.subject_id, EXEMPT),  # the 3 is not counted: s3 is left out of mathematics
            ("s4", history, NOT_ASSESSED),  # a result without marks: s4 counts, failing
            ("s5", history, EXEMPT),  # nothing else: s5 has no results at all
        ):
            session.add(
                FinalMark(
                    student_id=(await data.student(session, student)).id,
                    subject_id=subject_id,
                    year_id=first.year_id,
                    period_id=first.id,
                    **result.columns(),
                    set_by_staff_id=teacher,
                    average_hundredths=500,  # far from anything a mark would be: but not a mark
                    reason="",
                )
            )
        await session.commit()

        report = await period_report(session, DIRECTOR, first, THURSDAY, at(THURSDAY, 9), deadline=DEADLINE)

    five_a = next(c for c in report.classes if c.class_name == "5А")
    # Results: s1 [5, 4], s2 [н/а], s3 [5] (mathematics left out), s4 [н/а] → 4 students, the marks 14/3;
    # only 4s and 5s: s1, s3; no 2 and no «н/а»: s1, s3.
    assert five_a.students == 4
    assert five_a.average == pytest.approx(14 / 3)
    assert (five_a.quality, five_a.success) == (0.5, 0.5)
    assert report.far_marks == ()

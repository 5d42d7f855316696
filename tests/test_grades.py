"""Weighted averages and suggested marks, against hand-computed cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import SchoolSettings, Subject
from services import final_marks, grades
from services.errors import ValidationFailed
from services.family_views import grades_view
from services.final_results import FinalResult
from services.grades import Thresholds, suggest_mark, suggest_year_mark, weighted_average
from tests import journal_data as jd
from tests.conftest import SCHOOL_TODAY
from tests.people import actor_for

DEFAULT = Thresholds()
NOV = lambda day: dt.date(2026, 11, day)  # noqa: E731 — dates inside the 2nd четверть


# --- pure arithmetic ------------------------------------------------------------------------------


def test_weighted_average_by_hand() -> None:
    # (5×1 + 4×3 + 3×2) / (1 + 3 + 2) = 23 / 6 = 3.8333…
    assert weighted_average([(5, 1), (4, 3), (3, 2)]) == Decimal("3.83")
    assert suggest_mark(Decimal("3.83"), DEFAULT) == 4
    # Fractional weights: (5×1.5 + 3×0.5) / 2 = 4.5
    assert weighted_average([(5, 1.5), (3, 0.5)]) == Decimal("4.50")


def test_no_marks_no_average_and_no_suggestion() -> None:
    assert weighted_average([]) is None
    assert weighted_average([(5, 0)]) is None
    assert suggest_mark(None, DEFAULT) is None


def _average_of(target: str) -> list[tuple[int, int]]:
    """Marks whose weighted average is exactly `target` (two decimals): lo+1 and lo weighted by hundredths."""
    value = Decimal(target)
    low = int(value)
    hundredths = int((value - low) * 100)
    return [(low + 1, hundredths), (low, 100 - hundredths)]


@pytest.mark.parametrize(
    ("average", "suggested"),
    [("4.60", 5), ("4.59", 4), ("3.60", 4), ("3.59", 3), ("2.60", 3), ("2.59", 2), ("4.99", 5), ("2.00", 2)],
)
def test_thresholds_at_their_exact_boundaries(average: str, suggested: int) -> None:
    computed = weighted_average(_average_of(average))
    assert computed == Decimal(average)
    assert suggest_mark(computed, DEFAULT) == suggested


def test_the_suggestion_follows_the_average_as_shown() -> None:
    # (5×119 + 4×81) / 200 = 4.595, shown as 4.60 — and a shown 4.60 suggests 5.
    average = weighted_average([(5, 119), (4, 81)])
    assert average == Decimal("4.60")
    assert suggest_mark(average, DEFAULT) == 5
    # 4.594 is shown as 4.59 and suggests 4.
    assert suggest_mark(weighted_average([(5, 297), (4, 203)]), DEFAULT) == 4


def test_year_mark_from_the_period_marks() -> None:
    def year(*marks: int | None) -> tuple[Decimal | None, int | None]:
        average, suggested = suggest_year_mark([None if m is None else FinalResult(m) for m in marks], DEFAULT)
        return average, None if suggested is None else suggested.value

    assert year(5, 4, None, 5) == (Decimal("4.67"), 5)
    assert year(5, 5, 4, 4) == (Decimal("4.50"), 4)
    assert year(3, 4, 4, 4) == (Decimal("3.75"), 4)
    assert year(None, None) == (None, None)


# --- through the database -------------------------------------------------------------------------


async def test_weight_is_the_snapshot_and_deleted_marks_do_not_count(school, session_maker) -> None:
    parent = await actor_for(session_maker, "p1", 2001)
    async with session_maker() as session:
        s1 = (await jd.student(session, "s1")).id
        await jd.add_mark(session, "s1", "матем", NOV(10), 5, "контрольная")  # weight 3
        await jd.add_mark(session, "s1", "матем", NOV(11), 3, "работа на уроке")  # weight 1
        await jd.add_mark(session, "s1", "матем", NOV(12), 2, "контрольная", deleted=True)
        await jd.add_mark(session, "s1", "матем", dt.date(2026, 10, 20), 2)  # 1st четверть
        await jd.add_mark(session, "s1", "русск", NOV(12), 2, teacher="t2")  # another subject
        await session.commit()

        answer = await grades_view(session, parent, s1, SCHOOL_TODAY, "матем")
        math = answer.subjects[0]
        assert [lesson.values for lesson in math.lessons] == [(5,), (3,)]
        assert (math.average, math.suggested) == (Decimal("4.50"), 4)  # (5×3 + 3×1) / 4

        (await jd.work_type(session, "контрольная")).weight = 5.0
        await session.commit()
        answer = await grades_view(session, parent, s1, SCHOOL_TODAY, "матем")
        assert answer.subjects[0].average == Decimal("4.50")  # old marks keep the weight they were set with

        await jd.add_mark(session, "s1", "матем", NOV(13), 2, "контрольная")  # now weight 5
        await session.commit()
        answer = await grades_view(session, parent, s1, SCHOOL_TODAY, "матем")
        # (15 + 3 + 2×5) / (3 + 1 + 5) = 28 / 9 = 3.111…
        assert (answer.subjects[0].average, answer.subjects[0].suggested) == (Decimal("3.11"), 3)


async def _class_marks(session, marks: dict[str, list[int]]) -> None:
    for student_ext, values in marks.items():
        for lesson_no, value in enumerate(values, start=1):
            await jd.add_mark(session, student_ext, "матем", NOV(10 + lesson_no), value, "работа на уроке")


async def test_the_class_sheet_at_the_threshold_boundaries(school, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 3001)
    async with session_maker() as session:
        await _class_marks(
            session,
            {
                "s1": [5, 5, 5, 4, 4],  # 23/5 = 4.60 → 5
                "s2": [4, 4, 4, 3, 3],  # 18/5 = 3.60 → 4
                "s3": [3, 3, 3, 2, 2],  # 13/5 = 2.60 → 3
                "s4": [3, 3, 2, 2, 2],  # 12/5 = 2.40 → 2
                "s6": [5, 4, 4, 4, 4],  # 21/5 = 4.20 → 4
            },
        )  # s5: no marks → no suggestion
        await session.commit()
        scope = await grades.current_scope(session, SCHOOL_TODAY)
        math = await jd.subject(session, "матем")
        sheet = await final_marks.load_sheet(
            session, teacher, await jd.class_id(session, "5А"), math.id, scope, SCHOOL_TODAY
        )
    table = [(r.number, r.name.split()[0], r.count, r.average, r.suggested_mark) for r in sheet.rows]
    assert table == [
        (1, "Алексеев", 5, Decimal("4.60"), 5),
        (2, "Белова", 5, Decimal("3.60"), 4),
        (3, "Васильев", 5, Decimal("2.60"), 3),
        (4, "Горбунова", 5, Decimal("2.40"), 2),
        (5, "Дмитриев", 0, None, None),
        (6, "Егорова", 5, Decimal("4.20"), 4),
        (7, "Жуков", 0, None, None),
        (8, "Зайцева", 0, None, None),
    ]


async def test_the_school_sets_its_own_thresholds(school, session_maker) -> None:
    teacher = await actor_for(session_maker, "t1", 3001)
    async with session_maker() as session:
        await _class_marks(session, {"s1": [5, 4], "s2": [4, 3]})  # 4.50 and 3.50
        settings = await session.scalar(select(SchoolSettings))
        settings.threshold_5, settings.threshold_4 = 4.5, 3.5
        await session.commit()
        scope = await grades.current_scope(session, SCHOOL_TODAY)
        math = await jd.subject(session, "матем")
        sheet = await final_marks.load_sheet(
            session, teacher, await jd.class_id(session, "5А"), math.id, scope, SCHOOL_TODAY
        )
    assert [(r.average, r.suggested_mark) for r in sheet.rows[:2]] == [(Decimal("4.50"), 5), (Decimal("3.50"), 4)]


async def test_periods_by_number_name_or_year(school, session) -> None:
    async def named(text: str) -> str | None:
        scope = await grades.scope_from_text(session, text, SCHOOL_TODAY)
        return None if scope is None else scope.name

    assert await named("1") == "1 четверть"
    assert await named("2 четверть") == "2 четверть"
    assert await named("четверть 3") == "3 четверть"
    assert await named("Term 4") == "4 четверть"
    assert await named("год") == "2026/2027"
    assert await named("year") == "2026/2027"
    assert await named("матем") is None
    with pytest.raises(ValidationFailed) as refused:
        await named("7")
    assert refused.value.key == "grades-no-such-period"

    current = await grades.current_scope(session, SCHOOL_TODAY)
    assert (current.name, current.start, current.end) == ("2 четверть", dt.date(2026, 11, 5), dt.date(2026, 12, 28))
    # In the autumn holidays /grades shows the period just finished.
    assert (await grades.current_scope(session, dt.date(2026, 10, 30))).name == "1 четверть"


async def test_subjects_by_prefix_the_class_own_first(school, session) -> None:
    fifth = await jd.class_id(session, "5А")
    session.add(Subject(name="Литературное чтение"))  # taught nowhere in 5А
    await session.flush()

    async def named(text: str, class_id: int | None = fifth) -> str:
        return (await grades.find_subject(session, text, class_id)).name

    assert await named("матем") == "Математика"
    assert await named("рус яз") == "Русский язык"
    assert await named("лит") == "Литература"
    with pytest.raises(ValidationFailed) as refused:
        await named("лит", None)
    assert refused.value.key == "grades-ambiguous-subject"
    with pytest.raises(ValidationFailed) as refused:
        await named("химия")
    assert refused.value.key == "grades-unknown-subject"

    async def split(text: str) -> tuple[str | None, str | None]:
        subject, scope = await grades.subject_and_scope(session, text, fifth, SCHOOL_TODAY, subject_required=False)
        return (subject.name if subject else None, scope.name if scope else None)

    assert await split("матем 1") == ("Математика", "1 четверть")
    assert await split("рус яз 1 четверть") == ("Русский язык", "1 четверть")
    assert await split("англ год") == ("Английский язык", "2026/2027")
    assert await split("год") == (None, "2026/2027")
    assert await split("история") == ("История", None)

"""The figures of the marks reports, worked out by hand: on plain results, and on 7В of tests.report_school
(a pupil with «н/а», one exempt from a subject, a leaver and a newcomer) for REPORT_BASIS final and current."""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple
from decimal import Decimal

from sqlalchemy import select

from models import Lesson, Mark, WorkType
from services import final_results
from services.final_results import NOT_ASSESSED, FinalResult
from services.grades import Thresholds, weighted_average
from services.reports.figures import NOTHING, Figures, Result, forecast_of, group_figures, subject_figures
from services.reports.marks_basis import YEAR, class_marks
from services.reports.request import Basis
from tests.report_school import MATH, PE, RUSSIAN, ReportSchool, make_report_school

NA = Result(NOT_ASSESSED)
EXEMPT = Result(final_results.EXEMPT)


def marks(*values: int) -> list[Result]:
    return [Result(FinalResult(value)) for value in values]


def shares(figures: Figures) -> tuple[Decimal | None, ...]:
    return (figures.success, figures.quality, figures.learning, figures.average)


def counts(figures: Figures) -> tuple[int, ...]:
    """N, аттестовано, отличники, хорошисты, с одной «3», неуспевающие, н/а."""
    return astuple(figures)[:7]


# --- on plain results ---------------------------------------------------------------------------


def test_each_pupil_falls_in_one_group_and_the_shares_follow() -> None:
    figures = group_figures(
        [
            marks(5, 5, 5),  # отличник
            marks(5, 4, 4),  # хорошист
            [*marks(4, 4), EXEMPT],  # хорошист: the exempt subject is left out
            marks(3, 4, 5),  # with one «3»
            marks(3, 3, 5),  # two «3»: in none of the groups, but not failing
            [*marks(5, 5), NA],  # н/а: not certified, failing
            marks(2, 5, 5),  # failing
            marks(1, 4, 4),  # a «1» fails too, and weighs as a «2»
        ]
    )
    assert counts(figures) == (8, 7, 1, 2, 1, 3, 1)
    # успеваемость (8 − 3) / 8 = 62,5 %; качество (1 + 2) / 8 = 37,5 %
    # 23 results: n5 = 3 + 1 + 1 + 1 + 2 + 2 = 10, n4 = 2 + 2 + 1 + 2 = 7, n3 = 1 + 2 = 3, n2 = 2, н/а 1
    # СОУ = (100·10 + 64·7 + 36·3 + 16·2 + 7·1) / 23 = 1595 / 23 = 69,347…
    # средний балл = (15 + 13 + 8 + 12 + 11 + 10 + 12 + 9) / 22 = 90 / 22 = 4,0909…
    assert shares(figures) == (Decimal("62.5"), Decimal("37.5"), Decimal("69.3"), Decimal("4.09"))
    assert not figures.forecast


def test_rounding_is_half_up() -> None:
    # 1 of 8 → 12,5 % exactly; 1 of 16 → 6,25 → 6,3; averages 4,125 → 4,13 and 4,005 → 4,01
    assert group_figures([marks(5)] + [marks(2)] * 7).success == Decimal("12.5")
    assert group_figures([marks(5)] + [marks(3, 3)] * 15).quality == Decimal("6.3")
    assert group_figures([marks(4, 4, 4, 4, 4, 4, 4, 5)]).average == Decimal("4.13")
    assert group_figures([marks(*([4] * 199), 5)]).average == Decimal("4.01")


def test_an_empty_group_has_no_shares() -> None:
    figures = group_figures([])
    assert counts(figures) == (0, 0, 0, 0, 0, 0, 0)
    assert shares(figures) == (None, None, None, None)


def test_a_subject_counts_the_pupils_with_a_mark_or_na_and_leaves_out_the_exempt() -> None:
    figures = subject_figures([*marks(5, 4), EXEMPT, *marks(3), NOTHING, forecast_of(2)])
    # N = 5 (the exempt pupil left out); «5» 1, «4» 1, «3» 1, failing: «н/а» (no marks) and «2»
    assert counts(figures) == (5, 4, 1, 1, 1, 2, 1)
    # успеваемость 3/5 = 60 %, качество 2/5 = 40 %, СОУ (100 + 64 + 36 + 16 + 7) / 5 = 44,6, средний (5+4+3+2)/4 = 3,5
    assert shares(figures) == (Decimal("60.0"), Decimal("40.0"), Decimal("44.6"), Decimal("3.50"))
    assert figures.forecast  # the «2» and the «н/а» are forecasts
    assert subject_figures([EXEMPT]).pupils == 0


# --- 7В of the hand-made school ------------------------------------------------------------------


async def seventh(session, basis: Basis, year: bool = False):
    school: ReportSchool = await make_report_school(session)
    scope = school.scope(None if year else school.first)
    found = await class_marks(session, school.classes["7В"], scope, basis, Thresholds())
    return school, found


async def test_the_first_half_year_on_final_marks(session) -> None:
    school, seventh_b = await seventh(session, Basis.FINAL)
    # On the list at the end: s1, s2, s3, s4 and the newcomer s6 (the leaver s5 is not counted);
    # at the start s1…s5.
    assert [entry.student.external_id for entry in seventh_b.counted] == ["s1", "s2", "s3", "s4", "s6"]
    assert [(e.number, e.left_on is not None) for e in seventh_b.pupils][4] == (5, True)
    assert seventh_b.at_start == 5
    figures = seventh_b.figures(seventh_b.column)
    # s1 5 5 5 отличник; s2 5 4 (PE «осв.») хорошист; s3 3 4 5 with one «3»; s4 «н/а» 4 4;
    # s6 (no finals: forecasts) 4 5 and «н/а» in PE (no marks at all).
    # N 5; with «н/а» s4, s6: аттестовано 5 − 2 = 3; неуспевающие s4, s6
    assert counts(figures) == (5, 3, 1, 1, 1, 2, 2)
    # успеваемость (5 − 2) / 5 = 60 %; качество (1 + 1) / 5 = 40 %
    # 14 results (s2's PE left out): n5 = 3 + 1 + 1 + 1 = 6, n4 = 1 + 1 + 2 + 1 = 5, n3 = 1, н/а 2
    # СОУ = (100·6 + 64·5 + 36·1 + 7·2) / 14 = 970 / 14 = 69,28…; средний (15 + 9 + 12 + 8 + 9) / 12 = 4,416…
    assert shares(figures) == (Decimal("60.0"), Decimal("40.0"), Decimal("69.3"), Decimal("4.42"))
    assert figures.forecast  # s6 has no final marks yet

    s6 = school.pupils["s6"].id
    math = seventh_b.cell(s6, school.subjects[MATH].id, seventh_b.column)
    # (3·1 + 4·2) / 3 = 3,67 → 4, a forecast
    assert (math.result, math.marks, math.average) == (forecast_of(4), 2, Decimal("3.67"))
    assert seventh_b.cell(s6, school.subjects[PE].id, seventh_b.column).result == NOTHING


async def test_the_first_half_year_on_current_marks(session) -> None:
    school, seventh_b = await seventh(session, Basis.CURRENT)
    # The finals give way to the marks: s1's Russian 5, 4 → 4,50 → 4; s4's Mathematics 2, 3×2 → 2,67 → 3.
    # s2 stays exempt in PE. s1 5 4 5 хорошист; s2 5 4 хорошист; s3 3 4 5 and s4 3 4 4 with one «3»;
    # s6 4 5 «н/а» (no PE marks): the only one failing and not certified.
    figures = seventh_b.figures(seventh_b.column)
    assert counts(figures) == (5, 4, 0, 2, 2, 1, 1)
    # успеваемость (5 − 1) / 5 = 80 %; качество (0 + 2) / 5 = 40 %
    # n5 = 2 + 1 + 1 + 1 = 5, n4 = 1 + 1 + 1 + 2 + 1 = 6, n3 = 2, н/а 1
    # СОУ = (500 + 384 + 72 + 7) / 14 = 963 / 14 = 68,78…; средний (14 + 9 + 12 + 11 + 9) / 13 = 4,230…
    assert shares(figures) == (Decimal("80.0"), Decimal("40.0"), Decimal("68.8"), Decimal("4.23"))
    assert figures.forecast
    s1_russian = seventh_b.cell(school.pupils["s1"].id, school.subjects[RUSSIAN].id, seventh_b.column)
    assert (s1_russian.result, s1_russian.average) == (forecast_of(4), Decimal("4.50"))
    s2_pe = seventh_b.cell(school.pupils["s2"].id, school.subjects[PE].id, seventh_b.column)
    assert s2_pe.result == EXEMPT


async def test_per_subject_the_exempt_pupil_is_left_out(session) -> None:
    school, seventh_b = await seventh(session, Basis.FINAL)
    pe = seventh_b.subject_figures(school.subjects[PE].id, seventh_b.column)
    # s1 5, s3 5, s4 4, s6 «н/а» (nothing); s2 exempt: N = 4
    assert counts(pe) == (4, 3, 2, 1, 0, 1, 1)
    # успеваемость 3/4 = 75 %, качество 3/4 = 75 %, СОУ (200 + 64 + 7) / 4 = 67,75 → 67,8, средний 14/3 = 4,67
    assert shares(pe) == (Decimal("75.0"), Decimal("75.0"), Decimal("67.8"), Decimal("4.67"))
    math = seventh_b.subject_figures(school.subjects[MATH].id, seventh_b.column)
    # s1 5, s2 5, s3 3, s4 «н/а», s6 4 (forecast)
    assert counts(math) == (5, 4, 2, 1, 1, 1, 1)
    # СОУ (200 + 64 + 36 + 7) / 5 = 61,4; средний 17 / 4 = 4,25
    assert shares(math) == (Decimal("80.0"), Decimal("60.0"), Decimal("61.4"), Decimal("4.25"))


async def test_the_year_from_year_marks_and_else_from_the_period_results(session) -> None:
    school, seventh_b = await seventh(session, Basis.FINAL, year=True)
    assert seventh_b.column is YEAR
    subjects = [school.subjects[name].id for name in (MATH, RUSSIAN, PE)]
    year = {
        external_id: [seventh_b.cell(school.pupils[external_id].id, s, YEAR).result.text for s in subjects]
        for external_id in ("s1", "s2", "s3", "s4", "s6")
    }
    # s1 has year marks; the others what their two results suggest (services.grades.suggest_year_mark):
    # s2 (5 + 4) / 2 = 4,50 → 4, exempt both times → «осв.»; s3 (3 + 4) / 2 = 3,50 → 3; s4 «н/а» then 3:
    # nothing suggested past a «н/а» → «н/а», (4 + 3) / 2 → 3; s6 the first полугодие's forecasts 4 and 5
    # with the second's 4: 4 and 4,50 → 4, PE only 4.
    assert year == {"s1": [5, 5, 5], "s2": [4, 4, "осв."], "s3": [3, 4, 5], "s4": ["н/а", 3, 4], "s6": [4, 4, 4]}
    figures = seventh_b.figures(YEAR)
    # отличник s1; хорошисты s2, s6; one «3» s3; s4 not assessed, failing
    assert counts(figures) == (5, 4, 1, 2, 1, 1, 1)
    # успеваемость 4/5 = 80 %, качество 3/5 = 60 %; n5 = 3 + 1 = 4, n4 = 2 + 1 + 1 + 3 = 7, n3 = 1 + 1,
    # н/а 1: СОУ (400 + 448 + 72 + 7) / 14 = 66,21…; средний (15 + 8 + 12 + 7 + 12) / 13 = 4,153…
    assert shares(figures) == (Decimal("80.0"), Decimal("60.0"), Decimal("66.2"), Decimal("4.15"))
    # the year's marks: s6's Mathematics 3, 4×2 in the year
    assert seventh_b.cell(school.pupils["s6"].id, subjects[0], YEAR).marks == 2


async def test_the_average_is_exactly_the_journals_whatever_the_weights(session) -> None:
    school = await make_report_school(session)
    seventh_b, pe, s6 = school.classes["7В"], school.subjects[PE], school.pupils["s6"]
    lesson = Lesson(class_id=seventh_b.id, subject_id=pe.id, date=dt.date(2026, 12, 10), lesson_no=3)
    session.add(lesson)
    await session.flush()
    kind = await session.scalar(select(WorkType.id).limit(1))
    # Σ = 2·0,1 + 3·0,1 + 4·0,6 = 2,9 over 0,8: 3,625 exactly, which rounds half up to 3,63. Summed in
    # floats the quotient is a hair below (3,6249999…) and would show 3,62.
    weighted = [(2, 0.1), (3, 0.1), (4, 0.6)]
    for slot, (value, weight) in enumerate(weighted, start=1):
        session.add(
            Mark(
                lesson_id=lesson.id,
                student_id=s6.id,
                slot=slot,
                value=value,
                work_type_id=kind,
                weight=weight,
                author_staff_id=1,
            )
        )
    await session.flush()
    found = await class_marks(session, seventh_b, school.scope(school.first), Basis.FINAL, Thresholds())
    cell = found.cell(s6.id, pe.id, school.first.id)
    assert (cell.marks, cell.average) == (3, weighted_average(weighted)) == (3, Decimal("3.63"))
    assert cell.result == forecast_of(4)  # from 3,60

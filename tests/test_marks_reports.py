"""The marks reports as documents, cell by cell, on the hand-made school of tests.report_school.

7В's figures are worked out in tests/test_report_figures.py; here they reappear in the tables,
with 7Г (g1 5 4 5, g2 3 2 4) and 8А (e1 4 4 5) for a parallel and the school, all final marks
of the first полугодие set.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event, select

from models import ClassNumber, FinalMark, Lesson, Mark, Student, Subject
from services.errors import DomainError
from services.reports.attendance import TALLY_COLUMNS
from services.reports.catalogue import build_document
from services.reports.document import ChartKind, Document, Series
from services.reports.request import Basis, ReportRequest
from tests.report_school import AFTER_YEAR, MATH, PE, RUSSIAN, SCHOOL_NAME, ReportSchool, make_report_school

D = Decimal


@pytest.fixture
async def school(session) -> ReportSchool:
    return await make_report_school(session)


async def report(session, school: ReportSchool, kind: str, *, year: bool = False, **about) -> Document:
    scope = school.scope(None if year else school.first)
    return await build_document(session, ReportRequest(kind, scope, AFTER_YEAR, made_on=AFTER_YEAR, **about))


def column_titles(table) -> list[str]:
    return [column.title for column in table.columns]


# --- results ------------------------------------------------------------------------------------

FIGURE_TITLES = [
    "Аттестовано",
    "Отличники",
    "Хорошисты",
    "С одной «3»",
    "Неуспевающие",
    "Н/а",
    "Успеваемость, %",
    "Качество, %",
    "СОУ, %",
    "Средний балл",
]
# 7В in the first полугодие (tests/test_report_figures.py): 5 at the start (s1–s5), 5 at the end (s5
# gone, s6 come)
SEVENTH_B = ("7В", 5, 5, 3, 1, 1, 1, 2, 2, D("60.0"), D("40.0"), D("69.3"), D("4.42"))
# 7Г: g1 5 4 5 хорошист, g2 3 2 4 failing; СОУ (200 + 128 + 36 + 16) / 6 = 63,33…; средний 23 / 6
SEVENTH_G = ("7Г", 2, 2, 2, 0, 1, 0, 1, 0, D("50.0"), D("50.0"), D("63.3"), D("3.83"))
# 8А: e1 4 4 5; СОУ (128 + 100) / 3 = 76; средний 13 / 3
EIGHTH_A = ("8А", 1, 1, 1, 0, 1, 0, 0, 0, D("100.0"), D("100.0"), D("76.0"), D("4.33"))


async def test_results_of_the_school(session, school) -> None:
    document = await report(session, school, "results")
    assert (document.kind, document.title, document.school, document.about) == (
        "results",
        "Итоги успеваемости",
        SCHOOL_NAME,
        "Школа",
    )
    assert document.scope == "1 полугодие, 2026/2027 учебный год"
    assert document.made_on == AFTER_YEAR
    assert document.signatures == ("Заместитель директора по УВР", "Директор")

    by_class, by_subject = document.tables
    assert column_titles(by_class) == ["Класс", "На начало", "На конец", *FIGURE_TITLES]
    assert by_class.rows == (SEVENTH_B, SEVENTH_G, EIGHTH_A)  # 1А learns without marks: no row
    # All 8 pupils: аттестовано 3 + 2 + 1, отличники 1, хорошисты 1 + 1 + 1, one «3» 1, failing 2 + 1,
    # н/а 2; успеваемость (8 − 3) / 8, качество 4 / 8; СОУ (970 + 380 + 228) / (14 + 6 + 3) = 68,60…;
    # средний (53 + 23 + 13) / (12 + 6 + 3) = 4,238…
    assert by_class.total == ("Итого", 8, 8, 6, 1, 3, 1, 3, 2, D("62.5"), D("50.0"), D("68.6"), D("4.24"))
    assert by_class.note == (
        "Прогноз по текущим отметкам: итоговые отметки выставлены не у всех. 1-е классы: безотметочное обучение"
    )

    assert column_titles(by_subject) == ["Предмет", "Учащихся", *FIGURE_TITLES]
    assert by_subject.rows == (
        # 5 5 3 н/а 4 | 5 3 | 4: СОУ (300 + 128 + 72 + 7) / 8 = 63,375; средний 29 / 7
        ("Математика", 8, 7, 3, 2, 2, 1, 1, D("87.5"), D("62.5"), D("63.4"), D("4.14")),
        # 5 4 4 4 5 | 4 2 | 4: СОУ (200 + 320 + 16) / 8 = 67; средний 32 / 8
        ("Русский язык", 8, 8, 2, 5, 0, 1, 0, D("87.5"), D("87.5"), D("67.0"), D("4.00")),
        # 5 осв. 5 4 н/а | 5 4 | 5: N 7; СОУ (400 + 128 + 7) / 7 = 76,43; средний 28 / 6
        ("Физкультура", 7, 6, 4, 2, 0, 1, 1, D("85.7"), D("85.7"), D("76.4"), D("4.67")),
    )
    assert by_subject.total is None

    # A chart per figure, a line per parallel across the periods so far: 7-е (7В and 7Г: 7 pupils, качество
    # 3 / 7, успеваемость 4 / 7), 8-е (8А)
    quality, success = document.charts
    assert (quality.title, quality.kind, quality.categories, quality.unit, quality.upper) == (
        "Качество знаний, %",
        ChartKind.LINES,
        ("1 полугодие",),
        "%",
        D(100),
    )
    assert quality.series == (Series("7-е классы", (D("42.9"),)), Series("8-е классы", (D("100.0"),)))
    assert success.title == "Успеваемость, %"
    assert success.series == (Series("7-е классы", (D("57.1"),)), Series("8-е классы", (D("100.0"),)))
    assert document.summary == (
        "Школа, 1 полугодие: успеваемость 62,5 %, качество 50,0 %",
        "Отличников 1, неуспевающих 3 (прогноз)",
    )


async def test_results_of_a_parallel(session, school) -> None:
    document = await report(session, school, "results", grade=7)
    assert document.about == "7-е классы"
    by_class, by_subject = document.tables
    assert by_class.rows == (SEVENTH_B, SEVENTH_G)
    # 7 pupils: failing 3; успеваемость 4 / 7 = 57,14…; качество 3 / 7 = 42,86…;
    # СОУ (970 + 380) / 20 = 67,5; средний (53 + 23) / 18 = 4,22…
    assert by_class.total == ("Итого", 7, 7, 5, 1, 2, 1, 3, 2, D("57.1"), D("42.9"), D("67.5"), D("4.22"))
    assert by_class.note == "Прогноз по текущим отметкам: итоговые отметки выставлены не у всех"
    assert [row[:2] for row in by_subject.rows] == [("Математика", 7), ("Русский язык", 7), ("Физкультура", 6)]
    quality, _ = document.charts  # a parallel: a line per class
    assert quality.series == (Series("7В", (D("40.0"),)), Series("7Г", (D("50.0"),)))


async def test_results_of_a_class_for_the_year(session, school) -> None:
    document = await report(session, school, "results", year=True, class_id=school.classes["7В"].id)
    assert (document.about, document.scope) == ("7В", "2026/2027 учебный год")
    by_class, _ = document.tables
    # The year (tests/test_report_figures.py): at the start s1–s5, at the end s1–s4 and s6
    assert by_class.rows == (("7В", 5, 5, 4, 1, 2, 1, 1, 1, D("80.0"), D("60.0"), D("66.2"), D("4.15")),)
    assert by_class.total is None  # one class: its row is the total
    (chart,) = document.charts
    assert (chart.kind, chart.title) == (ChartKind.LINES, "Качество и успеваемость, %")
    # First полугодие: качество 2 / 5, успеваемость 3 / 5. Second: s1 5 5 5, s2 4 4 (осв.), s3 4 4 5,
    # s6 4 4 4 with only «4»–«5»; s4 3 3 4: качество 4 / 5, nobody failing.
    assert chart.categories == ("1 полугодие", "2 полугодие")
    assert chart.series == (
        Series("Качество знаний", (D("40.0"), D("80.0"))),
        Series("Успеваемость", (D("60.0"), D("100.0"))),
    )
    assert document.summary == (
        "7В, 2026/2027: успеваемость 80,0 %, качество 60,0 %",
        "Отличников 1, неуспевающих 1 (прогноз)",
    )


async def test_results_on_current_marks_say_so(session, school) -> None:
    scope = school.scope(school.first)
    request = ReportRequest("results", scope, AFTER_YEAR, class_id=school.classes["7В"].id, basis=Basis.CURRENT)
    document = await build_document(session, request)
    by_class, _ = document.tables
    # tests/test_report_figures.py: on current marks
    assert by_class.rows == (("7В", 5, 5, 4, 0, 2, 2, 1, 1, D("80.0"), D("40.0"), D("68.8"), D("4.23")),)
    assert by_class.note == "По текущим отметкам (REPORT_BASIS=current)"
    assert document.made_on is None


async def test_results_of_a_first_class_only_say_it_has_no_marks(session, school) -> None:
    document = await report(session, school, "results", class_id=school.classes["1А"].id)
    by_class, by_subject = document.tables
    assert (by_class.rows, by_subject.rows, document.charts) == ((), (), ())
    assert by_class.note == "1-е классы: безотметочное обучение"


async def test_results_of_a_class_that_is_gone(session, school) -> None:
    with pytest.raises(DomainError):
        await report(session, school, "results", class_id=10_000)


# --- subject ------------------------------------------------------------------------------------


async def test_subject_report_of_a_class_learning_in_groups(session, school) -> None:
    seventh_b, russian = school.classes["7В"].id, school.subjects[RUSSIAN].id
    document = await report(session, school, "subject", class_id=seventh_b, subject_id=russian)
    assert (document.kind, document.title, document.about) == (
        "subject",
        "Отчёт учителя-предметника",
        "7В, Русский язык",
    )
    assert document.signatures == ("Учитель",)
    figures, pupils, few = document.tables

    assert column_titles(figures) == ["Класс, группа", "Учащихся", *FIGURE_TITLES]
    assert figures.rows == (
        # s1 5, s2 4, s3 4: СОУ (100 + 64·2) / 3 = 76; средний 13 / 3
        ("Группа 1", 3, 3, 1, 2, 0, 0, 0, D("100.0"), D("100.0"), D("76.0"), D("4.33")),
        # s4 4, s6 5 (a forecast): СОУ (64 + 100) / 2 = 82
        ("Группа 2", 2, 2, 1, 1, 0, 0, 0, D("100.0"), D("100.0"), D("82.0"), D("4.50")),
    )
    # the class: СОУ (100·2 + 64·3) / 5 = 78,4; средний 22 / 5
    assert figures.total == ("7В", 5, 5, 2, 3, 0, 0, 0, D("100.0"), D("100.0"), D("78.4"), D("4.40"))
    assert figures.note == "Прогноз по текущим отметкам: итоговые отметки выставлены не у всех"

    assert column_titles(pupils) == ["№", "ФИО", "Группа", "Отметок", "Средний балл", "Итог", "Основание"]
    assert pupils.key_columns == 2
    assert pupils.rows == (  # the leaver s5 (№ 5) is not on the list at the end
        (1, "Андреев Артём Игоревич", "1", 2, D("4.50"), 5, "итоговая"),
        (2, "Борисова Софья Дмитриевна", "1", 3, D("4.33"), 4, "итоговая"),
        (3, "Власов Кирилл Андреевич", "1", 1, D("4.00"), 4, "итоговая"),
        (4, "Глебова Алиса Романовна", "2", 2, D("4.50"), 4, "итоговая"),
        (6, "Егорова Виктория Сергеевна", "2", 2, D("5.00"), 5, "прогноз"),
    )

    assert few.title == "Менее трёх отметок"
    assert few.rows == (
        (1, "Андреев Артём Игоревич", 2),
        (3, "Власов Кирилл Андреевич", 1),
        (4, "Глебова Алиса Романовна", 2),
        (6, "Егорова Виктория Сергеевна", 2),
    )
    assert document.summary == (
        "7В, Русский язык, 1 полугодие: успеваемость 100,0 %, качество 100,0 %",
        "Менее трёх отметок: 4 (прогноз)",
    )


async def test_subject_report_of_a_whole_class(session, school) -> None:
    seventh_b, math = school.classes["7В"].id, school.subjects[MATH].id
    figures, pupils, _ = (await report(session, school, "subject", class_id=seventh_b, subject_id=math)).tables
    assert figures.rows == (("7В", 5, 4, 2, 1, 1, 1, 1, D("80.0"), D("60.0"), D("61.4"), D("4.25")),)
    assert figures.total is None
    assert "Группа" not in column_titles(pupils)
    assert pupils.rows == (
        (1, "Андреев Артём Игоревич", 2, D("5.00"), 5, "итоговая"),
        (2, "Борисова Софья Дмитриевна", 1, D("5.00"), 5, "итоговая"),
        (3, "Власов Кирилл Андреевич", 3, D("3.25"), 3, "итоговая"),  # (4 + 3·2 + 3) / 4
        (4, "Глебова Алиса Романовна", 2, D("2.67"), "н/а", "итоговая"),
        (6, "Егорова Виктория Сергеевна", 2, D("3.67"), 4, "прогноз"),
    )


async def test_a_pupil_exempt_from_the_subject_is_not_short_of_marks(session, school) -> None:
    seventh_b, pe = school.classes["7В"].id, school.subjects[PE].id
    _, pupils, few = (await report(session, school, "subject", class_id=seventh_b, subject_id=pe)).tables
    assert pupils.rows[1] == (2, "Борисова Софья Дмитриевна", 0, None, "осв.", "итоговая")
    assert [row[0] for row in few.rows] == [1, 3, 4, 6]


async def test_subject_report_refuses_a_first_class_and_a_subject_not_taught(session, school) -> None:
    math = school.subjects[MATH].id
    with pytest.raises(DomainError) as refused:
        await report(session, school, "subject", class_id=school.classes["1А"].id, subject_id=math)
    assert refused.value.key == "period-first-grade"
    session.add(Subject(name="Химия"))
    await session.flush()
    chemistry = await session.scalar(select(Subject.id).where(Subject.name == "Химия"))
    with pytest.raises(DomainError) as refused:
        await report(session, school, "subject", class_id=school.classes["7В"].id, subject_id=chemistry)
    assert refused.value.key == "period-subject-not-taught"


# --- summary ------------------------------------------------------------------------------------

NONE = (0,) * 7  # no lessons missed
ABSENCE_TITLES = [column.title for column in TALLY_COLUMNS]  # as the attendance report counts


async def test_summary_of_a_class_for_the_year(session, school) -> None:
    document = await report(session, school, "summary", year=True, class_id=school.classes["7В"].id)
    assert (document.title, document.about, document.signatures) == (
        "Сводная ведомость успеваемости",
        "7В",
        ("Классный руководитель",),
    )
    (table,) = document.tables
    assert table.key_columns == 2
    assert column_titles(table) == [
        "№",
        "ФИО",
        *(
            f"{subject}, {column}"
            for subject in (MATH, RUSSIAN, PE)
            for column in ("1 полугодие", "2 полугодие", "год")
        ),
        *ABSENCE_TITLES,
    ]
    # Final marks as numbers; forecasts (no final set) in brackets: the year's from the two periods,
    # s6's first полугодие from the marks. Absences (services.reports.attendance): s1 н, н (both lessons
    # of 16.09: a full day), б (the only lesson of 07.10: a full day), оп; s3 н→уп (one of two lessons),
    # н→нп (the only lesson of 17.09), н→б; s4's removed.
    assert table.rows == (
        (1, "Андреев Артём Игоревич", 5, 5, 5, 5, 5, 5, 5, 5, 5, 3, 1, 0, 0, 2, 1, 2),
        (2, "Борисова Софья Дмитриевна", 5, 4, "(4)", 4, 4, "(4)", "осв.", "осв.", "(осв.)", *NONE),
        (3, "Власов Кирилл Андреевич", 3, 4, "(3)", 4, 4, "(4)", 5, 5, "(5)", 3, 1, 1, 1, 0, 0, 1),
        (4, "Глебова Алиса Романовна", "н/а", 3, "(н/а)", 4, 3, "(3)", 4, 4, "(4)", *NONE),
        # left in the first полугодие: no result here
        (5, "Дмитриев Егор Олегович (выбыл 01.10.2026)", *([None] * 9), *NONE),
        # came in the first полугодие, its marks forecast; nothing in PE then
        (6, "Егорова Виктория Сергеевна", "(4)", 4, "(4)", "(5)", 4, "(4)", None, 4, "(4)", *NONE),
    )
    assert table.note.startswith(
        "В скобках — прогноз по текущим отметкам: итоговая отметка не выставлена. "
        "Пропуски уроков — с начала учебного года по 31.05.2027. Пропущено уроков — без опозданий"
    )
    (chart,) = document.charts
    assert (chart.kind, chart.categories, chart.upper) == (ChartKind.BARS, (MATH, RUSSIAN, PE), D(5))
    assert chart.series == (
        # 5 5 3 · 4 | 5 4 4 4 5 | 5 (осв.) 5 4 ·
        Series("1 полугодие", (D("4.25"), D("4.40"), D("4.67"))),
        # 5 4 4 3 4 | 5 4 4 3 4 | 5 (осв.) 5 4 4
        Series("2 полугодие", (D("4.00"), D("4.00"), D("4.50"))),
        # 5 4 3 н/а 4 | 5 4 4 3 4 | 5 (осв.) 5 4 4
        Series("Год", (D("4.00"), D("4.00"), D("4.50"))),
    )
    assert document.summary == (
        "7В, 2026/2027: успеваемость 80,0 %, качество 60,0 %",
        "7В, 2026/2027: пропущено 6 уроков, из них по болезни 2, без уважительной причины 1, не объяснено 2",
    )


async def test_summary_of_a_period_shows_the_periods_up_to_it(session, school) -> None:
    document = await report(session, school, "summary", class_id=school.classes["7В"].id)
    (table,) = document.tables
    assert column_titles(table)[2:5] == [f"{MATH}, 1 полугодие", f"{RUSSIAN}, 1 полугодие", f"{PE}, 1 полугодие"]
    # the absences up to the полугодие's end: s1's lateness and s3's «б» came in February
    assert table.rows[0] == (1, "Андреев Артём Игоревич", 5, 5, 5, 3, 1, 0, 0, 2, 0, 2)
    assert table.rows[2] == (3, "Власов Кирилл Андреевич", 3, 4, 5, 2, 0, 1, 1, 0, 0, 1)
    (chart,) = document.charts
    assert chart.series == (Series("1 полугодие", (D("4.25"), D("4.40"), D("4.67"))),)


async def test_summary_of_a_first_class_has_absences_only(session, school) -> None:
    document = await report(session, school, "summary", class_id=school.classes["1А"].id)
    (table,) = document.tables
    assert column_titles(table) == ["№", "ФИО", *ABSENCE_TITLES]
    assert table.rows == ((1, "Ковалёва Анна Ильинична", *NONE),)
    assert table.note.startswith("1-е классы: безотметочное обучение. Пропуски уроков")
    assert document.charts == ()
    assert document.summary[0] == "1А, 1 полугодие: безотметочное обучение"


# --- card ---------------------------------------------------------------------------------------


async def test_card_of_a_pupil_for_the_year(session, school) -> None:
    document = await report(session, school, "card", year=True, student_id=school.pupils["s3"].id)
    assert (document.title, document.about) == ("Табель успеваемости", "Власов Кирилл, 7В")
    assert document.signatures == ("Классный руководитель", "Родитель (законный представитель)")
    results, absences = document.tables
    assert column_titles(results) == ["Предмет", "1 полугодие", "2 полугодие", "Год"]
    assert results.rows == (
        (MATH, 3, 4, "(3)"),  # the year from (3 + 4) / 2 = 3,50
        (RUSSIAN, 4, 4, "(4)"),
        (PE, 5, 5, "(5)"),
    )
    assert results.note == "В скобках — прогноз по текущим отметкам: итоговая отметка не выставлена"
    assert column_titles(absences) == ["Период", *ABSENCE_TITLES]
    # уп and нп in September (17.09 a full day), б in February
    assert absences.rows == (("1 полугодие", 2, 0, 1, 1, 0, 0, 1), ("2 полугодие", 1, 1, 0, 0, 0, 0, 0))
    assert absences.total == ("Всего", 3, 1, 1, 1, 0, 0, 1)
    (chart,) = document.charts
    assert (chart.kind, chart.categories, chart.upper) == (ChartKind.BARS, (MATH, RUSSIAN, PE), D(5))
    # the second полугодие has final marks but no marks in the journal: no averages to draw
    assert chart.series == (Series("1 полугодие", (D("3.25"), D("4.00"), D("5.00"))),)
    assert document.summary == (
        "Власов Кирилл, 7В, 2026/2027: средний балл 4,00",
        "Власов Кирилл, 7В, 2026/2027: пропущено 3 урока, из них по болезни 1, без уважительной причины 1",
    )


async def test_card_of_a_newcomer_shows_the_forecast(session, school) -> None:
    document = await report(session, school, "card", student_id=school.pupils["s6"].id)
    results, absences = document.tables
    assert results.rows == ((MATH, "(4)"), (RUSSIAN, "(5)"), (PE, None))
    assert absences.rows == (("1 полугодие", *NONE),)
    assert document.summary[0] == "Егорова Виктория, 7В, 1 полугодие: средний балл 4,50"


async def test_card_on_current_marks(session, school) -> None:
    scope = school.scope(school.first)
    request = ReportRequest("card", scope, AFTER_YEAR, student_id=school.pupils["s1"].id, basis=Basis.CURRENT)
    results, _ = (await build_document(session, request)).tables
    assert results.rows == ((MATH, 5), (RUSSIAN, 4), (PE, 5))  # Russian 5, 4: 4,50 → 4
    assert results.note == "По текущим отметкам (REPORT_BASIS=current)"


async def test_card_of_a_first_class_pupil_has_absences_only(session, school) -> None:
    document = await report(session, school, "card", student_id=school.pupils["f1"].id)
    (absences,) = document.tables
    assert absences.note.startswith("1-е классы: безотметочное обучение. Пропущено уроков — без опозданий")
    assert document.charts == ()
    assert document.summary[0] == "Ковалёва Анна, 1А, 1 полугодие: безотметочное обучение"


async def test_card_of_nobody(session, school) -> None:
    with pytest.raises(DomainError) as refused:
        await report(session, school, "card", student_id=10_000)
    assert refused.value.key == "error-student-not-found"


# --- the number of statements -------------------------------------------------------------------


async def test_statements_do_not_grow_with_the_pupils(session, school) -> None:
    """A school of a thousand builds its results in about a second only if reading does not go pupil by pupil."""
    statements = []

    def listen(connection, cursor, statement, *rest) -> None:
        statements.append(statement)

    event.listen(session.bind.sync_engine, "before_cursor_execute", listen)
    try:
        await report(session, school, "results", year=True)  # (reads the school's reference once)
        statements.clear()
        await report(session, school, "results", year=True)
        before = len(statements)
        seventh_g = school.classes["7Г"]
        math = await session.scalar(select(Lesson).where(Lesson.class_id == seventh_g.id).limit(1))
        for number in range(3, 13):  # ten more pupils in 7Г, each with a mark and a final mark
            pupil = Student(external_id=f"n{number}", full_name=f"Новиков Пётр {number}", class_id=seventh_g.id)
            session.add(pupil)
            await session.flush()
            session.add(ClassNumber(class_id=seventh_g.id, student_id=pupil.id, number=number))
            session.add(
                Mark(lesson_id=math.id, student_id=pupil.id, value=4, work_type_id=1, weight=1.0, author_staff_id=1)
            )
            session.add(
                FinalMark(
                    student_id=pupil.id,
                    subject_id=math.subject_id,
                    year_id=school.year.id,
                    period_id=school.first.id,
                    value=4,
                    set_by_staff_id=1,
                )
            )
        await session.flush()
        statements.clear()
        document = await report(session, school, "results", year=True)
    finally:
        event.remove(session.bind.sync_engine, "before_cursor_execute", listen)
    assert document.tables[0].rows[1][:3] == ("7Г", 12, 12)
    assert len(statements) == before

"""«Группа риска»: the early-warning list, from the third week of a term, per pupil and subject.

A pupil is on it in a subject when heading for «н/а» (fewer than three marks in the period), for
«2» (the weighted average under the school's threshold for «3», services.grades), or when they
missed more than 30 % of the subject's lessons held (attendance taken; of a split subject, their
own group's). With it goes what they need to reach «3»: the fewest more marks of 4 — or of 5, when
fewer of them do — at weight 1 that lift the average to the threshold («нужно ещё две 4»), or the
marks still missing («нужно ещё 3 отметки»). Grade 1 has no marks: only the absences count there.
Pupils exempt from a subject for the period («осв.») are left out of it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AttendanceCode, FinalMark, FinalMarkSpecial, Lesson, Mark, Marking, Student, Subject
from services.grades import school_thresholds, weighted_average
from services.marking import result_marking
from services.reports.attendance import HeldLesson, read_attendance
from services.reports.document import CellKind, Column, Document, Table
from services.reports.reach import NO_GROUPS, ClassInfo, Reach, class_lists_on, document_of, reach_of, short_scope
from services.reports.request import ReportRequest
from services.reports.wording import day_text, decimal_text, marks_needed
from services.russian import counted
from services.school_reference import school_reference
from services.subgroups import PupilGroups

TITLE = "Группа риска"
SIGNATURES = {True: ("Классный руководитель",), False: ("Заместитель директора по УВР",)}  # one class: its teacher
FROM_WEEK = 3
FEW_MARKS = 3
MISSED_SHARE = Decimal("0.3")
PERCENT = int(MISSED_SHARE * 100)
NOT_YET = "Список формируется с третьей недели четверти"
MOST_MARKS = 50  # more marks than this to reach «3» is no advice anyone can take
Marks = list[tuple[int, float]]  # (value, weight)


def listed_from(period_start: dt.date) -> dt.date:
    """The Monday of the term's third week (its first week is the one it starts in)."""
    return period_start - dt.timedelta(days=period_start.weekday()) + dt.timedelta(weeks=FROM_WEEK - 1)


def fewest_to_reach(marks: Marks, value: int, threshold: Decimal) -> int | None:
    """The fewest more marks of `value` at weight 1 that bring the weighted average (as shown, to
    hundredths) to `threshold`; None beyond MOST_MARKS."""
    for count in range(1, MOST_MARKS + 1):
        average = weighted_average([*marks, *[(value, 1.0)] * count])
        if average is not None and average >= threshold:
            return count
    return None


@dataclass(frozen=True)
class Need:
    """What reaching «3» takes: `count` more marks of `value` (4 or 5), or of any value (None: too few marks)."""

    count: int
    value: int | None = None

    @property
    def words(self) -> str:
        """«нужно ещё две 4», «нужна ещё одна 5», «нужно ещё 3 отметки»."""
        return marks_needed(self.count, self.value)


def what_is_needed(marks: Marks, threshold: Decimal) -> Need | None:
    """The fewest more marks that reach «3» (see the module's docstring); None when nothing is needed."""
    short = max(0, FEW_MARKS - len(marks))
    average = weighted_average(marks)
    if average is None or average >= threshold:
        return Need(short) if short else None
    fours, fives = fewest_to_reach(marks, 4, threshold), fewest_to_reach(marks, 5, threshold)
    if fours is not None and (fives is None or fours <= fives):
        return Need(max(fours, short), 4)
    if fives is not None:
        return Need(max(fives, short), 5)
    return None


@dataclass(frozen=True)
class RiskLine:
    """A pupil on the list in a subject."""

    student_id: int
    student: str
    class_id: int
    class_name: str
    subject_id: int
    subject: str
    marks: int | None  # None in grade 1
    average: Decimal | None
    missed: int
    held: int
    few_marks: bool  # fewer than FEW_MARKS: heading for «н/а»
    low_average: bool  # under the threshold for «3»: heading for «2»
    missed_much: bool  # more than MISSED_SHARE of the lessons held
    need: Need | None  # what it takes to reach «3»; None when nothing does (or in grade 1)

    @property
    def forecast(self) -> str:
        """«н/а», «2», or "" when only the absences put the pupil on the list."""
        return "н/а" if self.few_marks else ("2" if self.low_average else "")

    @property
    def missed_share(self) -> Decimal | None:
        if not self.held:
            return None
        return (Decimal(100) * self.missed / self.held).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- what is read ----------------------------------------------------------------------------------------


@dataclass
class ClassLessons:
    """A class's lessons held (attendance taken), arranged to count each pupil's quickly: the whole
    class's by subject once, the groups' one by one (whose they were depends on the pupil and the date)."""

    whole: Counter[int] = field(default_factory=Counter)  # subject → lessons of the whole class
    groups: list[tuple[dt.date, HeldLesson]] = field(default_factory=list)
    subject_of: dict[int, int] = field(default_factory=dict)  # lesson id → subject

    def add(self, date: dt.date, lesson: HeldLesson) -> None:
        self.subject_of[lesson.id] = lesson.subject_id
        if lesson.subgroup:
            self.groups.append((date, lesson))
        else:
            self.whole[lesson.subject_id] += 1

    def of(self, class_id: int, missed_at: set[int], groups: PupilGroups) -> tuple[Counter[int], Counter[int]]:
        """Subject → the lessons that were the pupil's (the whole class's, their group's, or one they
        are marked absent at), and subject → those of them they missed."""
        held = Counter(self.whole)
        for date, lesson in self.groups:
            if lesson.id in missed_at or groups.is_theirs(class_id, lesson.subject_id, lesson.subgroup, date):
                held[lesson.subject_id] += 1
        missed = Counter(self.subject_of[lesson] for lesson in missed_at if lesson in self.subject_of)
        return held, missed


@dataclass(frozen=True)
class Pupil:
    id: int
    name: str
    school_class: ClassInfo


async def risk_lines(
    session: AsyncSession, reach: Reach, first: dt.date, last: dt.date, period_id: int | None, threshold: Decimal
) -> list[RiskLine]:
    """Everyone on the list in the reach's classes on `last`, by class, name and subject: a fixed
    number of statements, whatever the size of the school."""
    lists = await class_lists_on(session, last)
    class_of = {pupil: info for info in reach.classes for pupil in lists.get(info.id, ())}
    names = dict(
        (await session.execute(select(Student.id, Student.full_name).where(Student.id.in_(list(class_of)))))
        .tuples()
        .all()
    )
    pupils = [Pupil(pupil, names[pupil], info) for pupil, info in class_of.items()]
    facts = await read_attendance(session, reach.ids, first, last)
    held_in = {class_id: ClassLessons() for class_id in reach.ids}
    for (class_id, date), lessons in facts.held.items():
        for lesson in lessons:
            held_in[class_id].add(date, lesson)
    missed_at: dict[int, set[int]] = defaultdict(set)  # pupil → the lessons they missed (late is no miss)
    for absence in facts.absences:
        if absence.reason is not AttendanceCode.LATE:
            missed_at[absence.student_id].add(absence.lesson_id)
    marks = await _marks(session, list(class_of), first, last)
    exempt = await _exempt(session, list(class_of), period_id)
    subjects = dict((await session.execute(select(Subject.id, Subject.name))).tuples().all())
    reference = await school_reference(session)
    period = next((period for period in reference.periods if period.id == period_id), None)
    lines = []
    for pupil in pupils:
        held, missed = held_in[pupil.school_class.id].of(
            pupil.school_class.id, missed_at[pupil.id], facts.groups.get(pupil.id, NO_GROUPS)
        )
        own = marks.get(pupil.id, {})
        for subject_id in set(held) | set(own):
            if (pupil.id, subject_id) in exempt:
                continue
            subject = (subject_id, subjects.get(subject_id, "?"))
            no_marks = result_marking(reference, pupil.school_class.id, subject_id, period) is not Marking.MARKS
            line = _line(
                pupil, subject, own.get(subject_id, []), missed[subject_id], held[subject_id], threshold, no_marks
            )
            if line is not None:
                lines.append(line)
    order = {info.id: index for index, info in enumerate(reach.classes)}  # by grade, then name
    return sorted(lines, key=lambda l: (order[l.class_id], l.student.casefold(), l.subject))


def _line(
    pupil: Pupil,
    subject: tuple[int, str],
    marks: Marks,
    missed: int,
    held: int,
    threshold: Decimal,
    no_marks: bool = False,
) -> RiskLine | None:
    """The pupil's line in the subject, or None when they are not at risk in it; `no_marks`: a subject or
    period without marks, or pass/fail (services.marking), at risk by its absences only."""
    attendance_only = pupil.school_class.attendance_only or no_marks
    if attendance_only:
        marks = []  # grade 1 keeps none (regulation 1.3), nor do subjects without marks
    average = weighted_average(marks)
    few_marks = not attendance_only and len(marks) < FEW_MARKS
    low_average = average is not None and average < threshold
    missed_much = bool(held) and Decimal(missed) > MISSED_SHARE * held
    if not (few_marks or low_average or missed_much):
        return None
    return RiskLine(
        pupil.id,
        pupil.name,
        pupil.school_class.id,
        pupil.school_class.name,
        *subject,
        None if attendance_only else len(marks),
        average,
        missed,
        held,
        few_marks,
        low_average,
        missed_much,
        None if attendance_only else what_is_needed(marks, threshold),
    )


async def _marks(
    session: AsyncSession, student_ids: list[int], first: dt.date, last: dt.date
) -> dict[int, dict[int, Marks]]:
    """Student → subject → their standing marks from `first` to `last`, in whichever class they got them."""
    found: dict[int, dict[int, Marks]] = defaultdict(lambda: defaultdict(list))
    rows = await (await session.connection()).execute(  # plain rows: a term's marks of a school
        select(Mark.student_id, Lesson.subject_id, Mark.value, Mark.weight)
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .where(Mark.student_id.in_(student_ids), Mark.deleted_at.is_(None), Lesson.date >= first, Lesson.date <= last)
    )
    for student_id, subject_id, value, weight in rows:
        found[student_id][subject_id].append((value, weight))
    return found


async def _exempt(session: AsyncSession, student_ids: list[int], period_id: int | None) -> set[tuple[int, int]]:
    """(student, subject) exempt («осв.») for the period."""
    if period_id is None:
        return set()
    rows = await session.execute(
        select(FinalMark.student_id, FinalMark.subject_id).where(
            FinalMark.student_id.in_(student_ids),
            FinalMark.period_id == period_id,
            FinalMark.special == FinalMarkSpecial.EXEMPT.value,
        )
    )
    return set(rows.tuples().all())


# --- the document -------------------------------------------------------------------------------------


async def build(session: AsyncSession, request: ReportRequest) -> Document:
    reach = await reach_of(session, request)
    first, last = request.scope.start, min(request.scope.end, request.today)
    starts = listed_from(first)
    one_class = reach.class_id is not None
    threshold = (await school_thresholds(session)).three
    if request.today < starts:
        lines: list[RiskLine] = []
        note, summary = NOT_YET, f"{_head(reach, request)}: {NOT_YET.lower()} (с {day_text(starts)})"
    else:
        period_id = request.scope.period.id if request.scope.period is not None else None
        lines = await risk_lines(session, reach, first, last, period_id, threshold)
        note = (
            f"В списке: меньше {counted(FEW_MARKS, 'отметка', 'gent')} (прогноз «н/а»), "
            f"средний балл ниже {decimal_text(threshold)} (прогноз «2»), "
            f"пропущено больше {PERCENT} % проведённых уроков предмета. «Что нужно» — сколько ещё отметок "
            "«4» (или «5», если их нужно меньше) с весом 1 поднимут средний балл до «3»."
        )
        summary = summary_line(reach, request, lines)
    table = Table(
        title=TITLE,
        columns=_columns(one_class),
        rows=tuple(
            _cells(number, line, one_class, decimal_text(threshold)) for number, line in enumerate(lines, start=1)
        ),
        key_columns=2,
        note=note,
    )
    return await document_of(
        session, request, reach, title=TITLE, tables=(table,), summary=summary, signatures=SIGNATURES[one_class]
    )


def _columns(one_class: bool) -> tuple[Column, ...]:
    return (
        Column("№", 4, CellKind.INTEGER),
        Column("Ученик", 32),
        *(() if one_class else (Column("Класс", 6),)),
        Column("Предмет", 20),
        Column("Отметок", 8, CellKind.INTEGER),
        Column("Средний балл", 8, CellKind.DECIMAL),
        Column("Пропущено уроков", 10, CellKind.INTEGER),
        Column("Проведено уроков", 10, CellKind.INTEGER),
        Column("Пропущено, %", 9, CellKind.PERCENT),
        Column("Прогноз", 8),
        Column("Основание", 34),
        Column("Что нужно для «3»", 24),
    )


def _reasons(line: RiskLine, threshold: str) -> str:
    """«меньше 3 отметок; средний балл ниже 2,60; пропущено больше 30 % уроков»."""
    reasons = (
        (line.few_marks, f"меньше {counted(FEW_MARKS, 'отметка', 'gent')}"),
        (line.low_average, f"средний балл ниже {threshold}"),
        (line.missed_much, f"пропущено больше {PERCENT} % уроков"),
    )
    return "; ".join(text for applies, text in reasons if applies)


def _cells(number: int, line: RiskLine, one_class: bool, threshold: str) -> tuple:
    return (
        number,
        line.student,
        *(() if one_class else (line.class_name,)),
        line.subject,
        line.marks,
        line.average,
        line.missed,
        line.held,
        line.missed_share,
        line.forecast or None,
        _reasons(line, threshold),
        line.need.words if line.need else None,
    )


def _head(reach: Reach, request: ReportRequest) -> str:
    return f"{reach.about}, {short_scope(request)}"


def summary_line(reach: Reach, request: ReportRequest, lines: list[RiskLine]) -> str:
    """«5А, 2 четверть: в группе риска 3 ученика; прогноз «2» — 2, «н/а» — 1, пропусков больше 30 % — 1»."""
    if not lines:
        return f"{_head(reach, request)}: в группе риска никого нет"
    pupils = len({line.student_id for line in lines})
    forecasts = Counter(line.forecast for line in lines)
    absent = sum(line.missed_much for line in lines)
    return (
        f"{_head(reach, request)}: в группе риска {counted(pupils, 'ученик')}; "
        f"прогноз «2» — {forecasts['2']}, «н/а» — {forecasts['н/а']}, "
        f"пропусков больше {PERCENT} % — {absent}"
    )

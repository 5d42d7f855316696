"""Averages and suggested marks: the arithmetic behind /grades, /period and /journal.

The weighted average is Σ value×weight / Σ weight over the marks that are not deleted, each mark
counted with `Mark.weight` — the work type's weight as it was when the mark was set, so changing a
work type's weight later rewrites no history.

The average is kept to hundredths (rounded half up), exactly as it is shown, and the suggested mark
follows the shown number: an average shown as 4,60 suggests 5 with the default thresholds
(5 from 4.60, 4 from 3.60, 3 from 2.60, else 2 — SchoolSettings). No marks, no suggestion.
The year mark is suggested from the period marks: their plain mean, through the same thresholds
(«н/а» and «осв.» among them: suggest_year_mark).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AcademicYear, FinalMark, Lesson, Mark, Period, SchoolSettings, Subject, TeachingAssignment, WorkType
from services.calendar import periods_of_year
from services.entry_parser import Named, match_names
from services.errors import NotFound, ValidationFailed
from services.final_results import EXEMPT, FinalResult
from services.names import normalize_text_key

HUNDREDTH = Decimal("0.01")
YEAR_WORDS = frozenset({"год", "year", "за год", "годовая", "годовые", "the year"})
# «2», «2 четверть», «четверть 2», «2 четв», «term 2», «q2»: a number, at most one word for a period.
_PERIOD_NUMBER = re.compile(r"^(?:([^\d\s]+)\s*)?(\d{1,2})(?:\s*([^\d\s]+))?$")
PERIOD_WORDS = ("четверть", "полугодие", "триместр", "период", "term", "quarter", "semester", "trimester", "period")


# --- arithmetic --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    five: Decimal = Decimal("4.60")
    four: Decimal = Decimal("3.60")
    three: Decimal = Decimal("2.60")


def _decimal(number: float | int | Decimal) -> Decimal:
    # str() of a float is its shortest exact-looking form: 1.5 → "1.5", not 1.4999…
    return number if isinstance(number, Decimal) else Decimal(str(number))


def weighted_average(marks: Iterable[tuple[int, float]]) -> Decimal | None:
    """Σ value×weight / Σ weight, rounded half up to hundredths; None when there is nothing to average."""
    total = weights = Decimal(0)
    for value, weight in marks:
        w = _decimal(weight)
        total += value * w
        weights += w
    if weights <= 0:
        return None
    return (total / weights).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def suggest_mark(average: Decimal | None, thresholds: Thresholds) -> int | None:
    if average is None:
        return None
    if average >= thresholds.five:
        return 5
    if average >= thresholds.four:
        return 4
    if average >= thresholds.three:
        return 3
    return 2


def suggest_year_mark(
    period_results: Iterable[FinalResult | None], thresholds: Thresholds
) -> tuple[Decimal | None, FinalResult | None]:
    """The plain mean of the period marks that exist, and the year result it suggests.

    With «н/а» and «осв.» among the periods (our choice, issue 12): a period «осв.» is left out of the
    mean, as it is left out of the subject's figures, so «осв., 4, 5, 5» suggests 5 from 4,67; when every
    period with a result is «осв.», the year suggested is «осв.» too. Any «н/а» suggests nothing: whether
    the pupil has made the term up is the teacher's to decide. The mean of the marks is shown all the same.
    """
    results = [result for result in period_results if result is not None]
    average = weighted_average((result.value, 1) for result in results if result.value is not None)
    if any(result.not_assessed for result in results):
        return average, None
    if results and all(result.exempt for result in results):
        return average, EXEMPT
    suggested = suggest_mark(average, thresholds)
    return average, None if suggested is None else FinalResult(suggested)


async def school_thresholds(session: AsyncSession) -> Thresholds:
    settings = await session.scalar(select(SchoolSettings).order_by(SchoolSettings.id).limit(1))
    if settings is None:
        return Thresholds()
    return Thresholds(_decimal(settings.threshold_5), _decimal(settings.threshold_4), _decimal(settings.threshold_3))


async def lowest_mark(session: AsyncSession) -> int:
    """2, or 1 where the school allows a «1»."""
    allow = await session.scalar(select(SchoolSettings.allow_mark_one).order_by(SchoolSettings.id).limit(1))
    return 1 if allow else 2


# --- what the journal holds ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarkRow:
    student_id: int
    subject_id: int
    date: dt.date
    lesson_no: int
    slot: int
    value: int
    weight: float
    work_type: str
    comment: str


def _marks_query():
    return (
        select(
            Mark.student_id,
            Lesson.subject_id,
            Lesson.date,
            Lesson.lesson_no,
            Mark.slot,
            Mark.value,
            Mark.weight,
            WorkType.name,
            Mark.comment,
        )
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .join(WorkType, WorkType.id == Mark.work_type_id)
        .where(Mark.deleted_at.is_(None))
        .order_by(Lesson.date, Lesson.lesson_no, Mark.slot, Mark.id)
    )


async def marks_for_student_in_period(
    session: AsyncSession, student_id: int, start: dt.date, end: dt.date, subject_id: int | None = None
) -> list[MarkRow]:
    """The student's marks between the dates (inclusive) in date order; deleted ones left out."""
    query = _marks_query().where(Mark.student_id == student_id, Lesson.date >= start, Lesson.date <= end)
    if subject_id is not None:
        query = query.where(Lesson.subject_id == subject_id)
    return [MarkRow(*row) for row in await session.execute(query)]


async def marks_for_students_in_subject(
    session: AsyncSession, student_ids: Sequence[int], subject_id: int, start: dt.date, end: dt.date
) -> dict[int, list[MarkRow]]:
    """Each student's marks in one subject, whichever class's lesson they were set in (a moved student keeps them)."""
    by_student: dict[int, list[MarkRow]] = defaultdict(list)
    if not student_ids:
        return by_student
    rows = await session.execute(
        _marks_query().where(
            Mark.student_id.in_(student_ids), Lesson.subject_id == subject_id, Lesson.date >= start, Lesson.date <= end
        )
    )
    for row in rows:
        by_student[row.student_id].append(MarkRow(*row))
    return by_student


async def final_marks_of(
    session: AsyncSession, student_ids: Sequence[int], year_id: int, *, subject_id: int | None = None
) -> dict[tuple[int, int, int | None], FinalMark]:
    """(student, subject, period or None for the year) → the final mark, for one academic year."""
    if not student_ids:
        return {}
    query = select(FinalMark).where(FinalMark.student_id.in_(student_ids), FinalMark.year_id == year_id)
    if subject_id is not None:
        query = query.where(FinalMark.subject_id == subject_id)
    return {(f.student_id, f.subject_id, f.period_id): f for f in await session.scalars(query)}


@dataclass(frozen=True)
class LessonMarks:
    """The marks of one lesson: one, or two for «3/4»."""

    date: dt.date
    values: tuple[int, ...]
    work_type: str
    weight: float
    comment: str

    @property
    def token(self) -> str:
        return "/".join(str(value) for value in self.values)


def group_by_lesson(marks: Sequence[MarkRow]) -> tuple[LessonMarks, ...]:
    """Marks of the same lesson together («3/4»), in the order given."""
    lessons: list[LessonMarks] = []
    previous: tuple[dt.date, int] | None = None
    for mark in marks:
        key = (mark.date, mark.lesson_no)
        if key == previous:
            last = lessons[-1]
            comment = " / ".join(dict.fromkeys(c for c in (last.comment, mark.comment) if c))  # once, if on both
            lessons[-1] = LessonMarks(last.date, (*last.values, mark.value), last.work_type, last.weight, comment)
        else:
            lessons.append(LessonMarks(mark.date, (mark.value,), mark.work_type, mark.weight, mark.comment))
        previous = key
    return tuple(lessons)


# --- periods as people name them -----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A period of an academic year, or the whole year (period None)."""

    year: AcademicYear
    period: Period | None
    periods: tuple[Period, ...]  # all of the year's periods, in order

    @property
    def start(self) -> dt.date:
        return self.period.start if self.period else self.year.start

    @property
    def end(self) -> dt.date:
        return self.period.end if self.period else self.year.end

    @property
    def is_year(self) -> bool:
        return self.period is None

    @property
    def name(self) -> str:
        return self.period.name if self.period else self.year.name


async def _year_around(session: AsyncSession, today: dt.date) -> tuple[AcademicYear, tuple[Period, ...]]:
    """The academic year `today` falls in with its periods (one query); in summer the year just
    finished, before the first year the first one."""
    rows = (
        await session.execute(
            select(AcademicYear, Period)
            .outerjoin(Period, Period.year_id == AcademicYear.id)
            .where(AcademicYear.start <= today, AcademicYear.end >= today)
            .order_by(AcademicYear.start, Period.start)
        )
    ).all()
    if rows:
        year = rows[0][0]
        return year, tuple(period for owner, period in rows if period is not None and owner is year)
    year = await session.scalar(
        select(AcademicYear).where(AcademicYear.start <= today).order_by(AcademicYear.start.desc()).limit(1)
    ) or await session.scalar(select(AcademicYear).order_by(AcademicYear.start).limit(1))
    if year is None:
        raise NotFound("grades-no-year")
    return year, tuple(await periods_of_year(session, year.id))


async def current_scope(session: AsyncSession, today: dt.date) -> Scope:
    """The period `today` is in; in the holidays the one just finished; before the first, the first."""
    year, periods = await _year_around(session, today)
    if not periods:
        raise NotFound("grades-no-periods", year=year.name)
    started = [p for p in periods if p.start <= today]
    return Scope(year, started[-1] if started else periods[0], periods)


async def scope_by_id(session: AsyncSession, year_id: int, period_id: int | None) -> Scope:
    """A scope again from the ids a button or a conversation kept (period None: the year)."""
    year = await session.get(AcademicYear, year_id)
    period = await session.get(Period, period_id) if period_id is not None else None
    if year is None or (period_id is not None and (period is None or period.year_id != year_id)):
        raise NotFound("grades-period-gone")
    return Scope(year, period, tuple(await periods_of_year(session, year.id)))


async def scope_from_text(session: AsyncSession, text: str, today: dt.date) -> Scope | None:
    """«2», «2 четверть», «term 2», «год»/«year» in the academic year around `today`; None if not a period."""
    key = normalize_text_key(text)
    if not key:
        return None
    year, periods = await _year_around(session, today)
    if key in YEAR_WORDS:
        return Scope(year, None, periods)
    exact = [p for p in periods if normalize_text_key(p.name) == key]
    if exact:
        return Scope(year, exact[0], periods)
    number = _PERIOD_NUMBER.match(key)
    if number and _period_words(number.group(1), number.group(3), periods):
        index = int(number.group(2))
        if not 1 <= index <= len(periods):
            raise ValidationFailed("grades-no-such-period", number=index, count=len(periods))
        return Scope(year, periods[index - 1], periods)
    named = match_names(key.split(), [Named(p.id, p.name) for p in periods])
    if len(named) == 1:
        return Scope(year, next(p for p in periods if p.id == named[0].id), periods)
    return None


def _period_words(before: str | None, after: str | None, periods: Sequence[Period]) -> bool:
    """The words around a period's number are (prefixes of) words for a period: «четв», «ч», «term», «q»."""
    if before and after:
        return False
    word = before or after
    if not word:
        return True
    known = set(PERIOD_WORDS) | {w for p in periods for w in normalize_text_key(p.name).split() if not w.isdigit()}
    return word == "q" or any(k.startswith(word) for k in known)


# --- subjects as people name them ----------------------------------------------------------------


async def subjects_of_class(session: AsyncSession, class_id: int | None) -> list[Subject]:
    """The subjects a class is taught (by the teaching assignments), by name."""
    if class_id is None:
        return []
    return list(
        await session.scalars(
            select(Subject)
            .where(Subject.id.in_(select(TeachingAssignment.subject_id).where(TeachingAssignment.class_id == class_id)))
            .order_by(Subject.name)
        )
    )


def subject_candidates(words: Sequence[str], own: Sequence[Subject], everything: Sequence[Subject]) -> list[Named]:
    """Subjects the words name, the class's own first (whole name, else a prefix: «матем», «рус яз»)."""
    found = match_names(words, [Named(s.id, s.name) for s in own])
    return found or match_names(words, [Named(s.id, s.name) for s in everything])


async def find_subject(session: AsyncSession, text: str, class_id: int | None) -> Subject:
    """The one subject `text` names; refuses unknown and ambiguous names with the choices."""
    own = await subjects_of_class(session, class_id)
    everything = list(await session.scalars(select(Subject).order_by(Subject.name)))
    found = subject_candidates(text.split(), own, everything)
    if not found:
        raise ValidationFailed(
            "grades-unknown-subject", name=text, known=", ".join(s.name for s in (own or everything))
        )
    if len(found) > 1:
        raise ValidationFailed(
            "grades-ambiguous-subject", name=text, candidates=", ".join(sorted(n.name for n in found))
        )
    return next(s for s in everything if s.id == found[0].id)


async def subject_and_scope(
    session: AsyncSession, text: str, class_id: int | None, today: dt.date, *, subject_required: bool
) -> tuple[Subject | None, Scope | None]:
    """Split «матем», «матем 2», «рус яз 1 четверть», «год» into a subject and a period (either may be absent).

    A period is read from the end of the text (the shortest tail that names one, and leaves a known
    subject before it); without a subject the whole text may be a period.
    """
    words = text.split()
    if not words:
        return None, None
    if not subject_required:
        whole = await scope_from_text(session, text, today)
        if whole is not None:
            return None, whole
    first_error: ValidationFailed | None = None
    for cut in range(len(words) - 1, 0, -1):
        try:
            scope = await scope_from_text(session, " ".join(words[cut:]), today)
            if scope is None:
                continue
            return await find_subject(session, " ".join(words[:cut]), class_id), scope
        except ValidationFailed as error:
            first_error = first_error or error
    try:
        return await find_subject(session, text, class_id), None
    except ValidationFailed:
        if first_error is not None:
            raise first_error from None
        raise


async def subject_and_scope_in_year(
    session: AsyncSession, text: str, class_id: int | None, year: AcademicYear, *, subject_required: bool
) -> tuple[Subject | None, Scope]:
    """subject_and_scope in a named school year (a past one, for reading): a period is one of that
    year's, and without one the scope is the whole year."""
    subject, scope = await subject_and_scope(session, text, class_id, year.end, subject_required=subject_required)
    return subject, scope or Scope(year, None, tuple(await periods_of_year(session, year.id)))

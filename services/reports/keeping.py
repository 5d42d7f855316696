"""«Контроль ведения электронного журнала» (regulation 3.5, 3.6): per teacher, class and subject (and
group, where the class is split), how the journal's pages of the period were kept.

The lessons are those the 17:00 accounting counts (services.journal_fill.account_lessons): the
timetabled lessons of the period's school days, with substitutions and extra lessons, up to the day
before the report (the report day's lessons may still be written before the deadline). A lesson is
on time when nothing it needs came after the deadline of its day, late when something did (by the
entries' own times, or recorded overdue by the deadline job), and unfilled while it still lacks
something. Everything is counted over plain rows read in a fixed number of statements, however
large the school: the /control report's approach (services.control_reports).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Lesson, Mark
from services.journal_fill import Deadline, account_lessons, late_items, staff_names
from services.reports.document import CellKind, Column, Document, Table
from services.reports.reach import NO_GROUPS, Reach, class_lists_on, document_of, placements, reach_of
from services.reports.request import ReportRequest
from services.reports.risk import FEW_MARKS  # too few marks to assess, as the risk list counts them
from services.reports.wording import day_text, share_text
from services.russian import counted
from services.school_days import ATTENDANCE, HOMEWORK, MARKS, TOPIC, DueLesson, JournalRow, Page

TITLE = "Контроль ведения электронного журнала"
SIGNATURES = ("Заместитель директора по УВР", "Директор")
NO_TEACHER = "—"

COLUMNS = (
    Column("Учитель", 30),
    Column("Класс", 6),
    Column("Предмет", 22),
    Column("Уроков", 7, CellKind.INTEGER),
    Column("С темой", 7, CellKind.INTEGER),
    Column("С д/з", 7, CellKind.INTEGER),
    Column("С посещаемостью", 12, CellKind.INTEGER),
    Column("С отметками", 10, CellKind.INTEGER),
    Column("Вовремя", 8, CellKind.INTEGER),
    Column("С опозданием", 10, CellKind.INTEGER),
    Column("Не заполнено", 10, CellKind.INTEGER),
    Column("Учеников с < 3 отметок", 12, CellKind.INTEGER),
    Column("Дней до записи", 9, CellKind.DECIMAL),
)


@dataclass
class PageFigures:
    """One teacher's lessons on one journal page (class, subject, group)."""

    teacher: str
    class_name: str
    grade: int
    subject: str
    lessons: int = 0
    topic: int = 0
    homework: int = 0
    attendance: int = 0
    marks: int = 0
    on_time: int = 0
    late: int = 0
    unfilled: int = 0
    few_marks: int | None = None  # on the row of the page's own teacher only (see `_few_marks`)
    delays: list[int] = field(default_factory=list)  # days from each lesson to its first entry

    def count(self, lesson: DueLesson, late: bool) -> None:
        self.lessons += 1
        self.topic += TOPIC not in lesson.missing
        self.homework += HOMEWORK not in lesson.missing
        self.attendance += ATTENDANCE not in lesson.missing
        self.marks += MARKS not in lesson.missing
        if lesson.missing:
            self.unfilled += 1
        elif late:
            self.late += 1
        else:
            self.on_time += 1

    @property
    def attendance_only(self) -> bool:
        return self.grade == 1

    def _graded(self, count: int | None) -> int | None:
        """Homework and marks: none in grade 1 (regulation 1.3), so no figure rather than a zero."""
        return None if self.attendance_only else count

    @property
    def cells(self) -> tuple[str | int | Decimal | None, ...]:
        graded = self._graded
        return (
            self.teacher,
            self.class_name,
            self.subject,
            self.lessons,
            self.topic,
            graded(self.homework),
            self.attendance,
            graded(self.marks),
            self.on_time,
            self.late,
            self.unfilled,
            graded(self.few_marks),
            average(self.delays),
        )


def average(days: list[int]) -> Decimal | None:
    if not days:
        return None
    return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def entry_delay(row: JournalRow | None, day: dt.date, deadline: Deadline) -> int | None:
    """Whole days from the lesson's date to its first entry (attendance, topic or marks), in the
    school's time zone; 0 for an entry made on the day or before it (a topic planned ahead)."""
    made = [at for at in (row.attendance_at, row.topic_at, row.marks_at) if at is not None] if row else []
    if not made:
        return None
    return max(0, (min(made).astimezone(deadline.timezone).date() - day).days)


# --- the document ----------------------------------------------------------------------------------------


async def build(session: AsyncSession, request: ReportRequest) -> Document:
    reach = await reach_of(session, request)
    first = request.scope.start
    last = min(request.scope.end, request.today - dt.timedelta(days=1))
    figures = await keeping_figures(session, reach, first, last, request.deadline)
    total = _total(figures)
    table = Table(
        title="Ведение журнала",
        columns=COLUMNS,
        rows=tuple(page.cells for page in figures),
        total=total.cells,
        key_columns=3,
        note=_note(first, last, request.deadline),
    )
    return await document_of(
        session,
        request,
        reach,
        title=TITLE,
        tables=(table,),
        summary=summary_line(reach, request, total),
        signatures=SIGNATURES,
    )


async def keeping_figures(
    session: AsyncSession, reach: Reach, first: dt.date, last: dt.date, deadline: Deadline
) -> list[PageFigures]:
    """Per teacher and journal page, by teacher, then class and subject: the lessons from `first` to `last`."""
    account = await account_lessons(session, first, last)
    overdue = {entry.key for entry in account.entries if entry.date <= last}
    names = await staff_names(session)
    pages: dict[tuple[int | None, Page], PageFigures] = {}
    # page → teacher → (lessons given as timetabled, all lessons given): who the page's own teacher is
    given: dict[Page, Counter[tuple[int | None, bool]]] = defaultdict(Counter)
    for lesson in account.lessons:
        if lesson.class_id not in reach.ids:
            continue
        page = (lesson.class_id, lesson.subject_id, lesson.subgroup)
        figures = pages.get((lesson.teacher_id, page))
        if figures is None:
            teacher = names.get(lesson.teacher_id, NO_TEACHER)  # (None: nobody is timetabled)
            figures = PageFigures(teacher, lesson.class_name, lesson.grade, lesson.subject)
            pages[(lesson.teacher_id, page)] = figures
        figures.count(lesson, late=lesson.key in overdue or bool(late_items(lesson, deadline)))
        delay = entry_delay(lesson.lesson, lesson.date, deadline)
        if delay is not None:
            figures.delays.append(delay)
        given[page][(lesson.teacher_id, lesson.change is None)] += 1
    few = await _few_marks(session, reach, first, last, set(given))
    for page, lessons in given.items():
        pages[(_own_teacher(lessons, pages, page), page)].few_marks = few.get(page, 0)
    return sorted(pages.values(), key=lambda p: (p.teacher.casefold(), p.grade, p.class_name, p.subject))


def _own_teacher(
    lessons: Counter[tuple[int | None, bool]], pages: dict[tuple[int | None, Page], PageFigures], page: Page
) -> int | None:
    """The page's own teacher, whose row counts its pupils with few marks (a substitute's row does not):
    who gave most of its lessons as timetabled, else most of its lessons at all."""
    teachers = {teacher_id for teacher_id, _ in lessons}
    return min(
        teachers,
        key=lambda t: (-lessons[(t, True)], -lessons[(t, True)] - lessons[(t, False)], pages[(t, page)].teacher),
    )


async def _few_marks(
    session: AsyncSession, reach: Reach, first: dt.date, last: dt.date, pages: set[Page]
) -> dict[Page, int]:
    """Page → how many of its pupils (on the list on `last`; of a group, its members then) have fewer
    than three marks in its subject from `first` to `last`, in whichever class they got them."""
    lists = await class_lists_on(session, last)
    groups = await placements(session, reach.ids, last)
    marks = Counter(
        {
            (student_id, subject_id): count
            for student_id, subject_id, count in await session.execute(
                select(Mark.student_id, Lesson.subject_id, func.count())
                .join(Lesson, Lesson.id == Mark.lesson_id)
                .where(Mark.deleted_at.is_(None), Lesson.date >= first, Lesson.date <= last)
                .group_by(Mark.student_id, Lesson.subject_id)
            )
        }
    )
    found: dict[Page, int] = {}
    for class_id, subject_id, subgroup in pages:
        pupils = lists.get(class_id, ())
        if subgroup:
            pupils = [
                pupil
                for pupil in pupils
                if groups.get(pupil, NO_GROUPS).group_on(class_id, subject_id, last) == subgroup
            ]
        found[(class_id, subject_id, subgroup)] = sum(marks[(pupil, subject_id)] < FEW_MARKS for pupil in pupils)
    return found


def _total(figures: list[PageFigures]) -> PageFigures:
    total = PageFigures("Итого", "", 0, "", few_marks=0)
    for page in figures:
        for name in ("lessons", "topic", "attendance", "on_time", "late", "unfilled"):
            setattr(total, name, getattr(total, name) + getattr(page, name))
        if not page.attendance_only:
            total.homework += page.homework
            total.marks += page.marks
            total.few_marks += page.few_marks or 0
        total.delays += page.delays
    return total


def _note(first: dt.date, last: dt.date, deadline: Deadline) -> str:
    return (
        f"Уроки по расписанию (с заменами) с {day_text(first)} по {day_text(last)}. "
        f"«Вовремя» — всё нужное записано до {deadline.time:%H:%M} дня урока. «С отметками» — и уроки, "
        "закрытые без отметок намеренно; «с д/з» — задание к следующему уроку дано. "
        "В 1-х классах отметок и домашних заданий нет (—). «Дней до записи» — от даты урока до первой записи о нём."
    )


def summary_line(reach: Reach, request: ReportRequest, total: PageFigures) -> str:
    """«Школа, 2 четверть: 540 уроков, вовремя 480 (88,9 %), с опозданием 40, не заполнено 20»."""
    head = f"{reach.about}, {request.scope.name}"
    if not total.lessons:
        return f"{head}: уроков по расписанию ещё не было"
    return (
        f"{head}: {counted(total.lessons, 'урок')}, вовремя {total.on_time} "
        f"({share_text(total.on_time, total.lessons)}), с опозданием {total.late}, не заполнено {total.unfilled}"
    )

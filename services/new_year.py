"""The move to the next year (перевод в следующий класс): `python -m bot new-year WORKBOOK` and /newyear.

Refused while the year has open periods or pupils without a year mark, without the year's archive
(the `archive` command) and without a verified backup made today; refused as done once the
workbook's year exists. Then, in the caller's one transaction:

- the new academic year, its periods, holidays and bells, from the workbook;
- every class of the current year promoted into a new class of the new year (5А → 6А, same letter,
  its class teacher kept unless the workbook's classes sheet names another); the last grade of the
  school (LAST_GRADE: 9 for an ОШ, 11 for a СОШ) leaves as graduates («выпуск»); a pupil whose decision is
  `repeat` joins the class of the same name in the new year, one whose decision is `leave` leaves;
- newcomers and the new first grade from the workbook's students sheet;
- every new class list numbered anew alphabetically, and the new year's assignments and timetable.

The workbook's sheets are written by the school import (services.school_import): this module builds
the new year's school file from the journal and the workbook, and lets the import check and write
it. The old year's classes, lessons, marks and class numbers stay as they were: readable, and
read-only (services.school_years).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AcademicYear,
    AuditAction,
    BackupRecord,
    ClassMove,
    MoveKind,
    Period,
    SchoolClass,
    SchoolSettings,
    Staff,
    Student,
    StudentStatus,
    Subject,
    YearArchive,
)
from models.writing import begin_writing
from services.access import ensure_admin
from services.actor import Actor
from services.audit import record_change
from services.errors import DomainError, Listing, NotFound
from services.names import normalize_class_name, normalize_text_key, split_class_name
from services.school_import import ImportProblem, ImportReport, import_rows
from services.school_import.cells import parse_date
from services.school_import.sheets import ROW_NUMBER, SheetRows
from services.school_import.validation import normalize_sheets
from services.school_import.writing import MOVE_NOTE
from services.school_years import current_year
from services.term_closing import missing_year_marks

# The workbook's own sheets; staff and subjects may add new ones to the journal's.
WORKBOOK_SHEETS = frozenset(
    {"periods", "holidays", "bells", "students", "decisions", "classes", "assignments", "timetable", "subgroups"}
)
ADDED_SHEETS = frozenset({"staff", "subjects"})
REPEAT, LEAVE = "repeat", "leave"
PROMOTED_NOTE, REPEAT_NOTE, GRADUATE_NOTE, LEAVE_NOTE = "перевод", "повторное обучение", "выпуск", "выбытие"


class MoveRefused(DomainError):
    """The move's preconditions unmet: each a refusal of its own, one line each."""

    def __init__(self, reasons: list[DomainError]) -> None:
        super().__init__("newyear-refused", count=len(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class ClassOutlook:
    """A class of the current year and what the move does with its pupils."""

    name: str
    next_name: str | None  # None: the last grade, which leaves
    pupils: int


@dataclass(frozen=True)
class NewYearOutlook:
    """/newyear: what is still missing before the move, and what the move will do."""

    year: str
    missing: tuple[DomainError, ...]
    classes: tuple[ClassOutlook, ...]

    @property
    def graduating(self) -> int:
        return sum(c.pupils for c in self.classes if c.next_name is None)


@dataclass
class NewYearResult:
    report: ImportReport
    year: str = ""
    # new class → counts: "promoted", "repeating", "new"; old class → "graduated", "left"
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.ok


@dataclass(frozen=True)
class _Pupil:
    student: Student
    school_class: SchoolClass


# --- what must be there first ------------------------------------------------------------------


async def missing_before_move(
    session: AsyncSession, year: AcademicYear, today: dt.date, timezone: ZoneInfo
) -> list[DomainError]:
    """Every precondition of the move that is unmet, each as a refusal naming what is missing."""
    missing: list[DomainError] = []
    periods = await session.scalars(select(Period).where(Period.year_id == year.id).order_by(Period.start))
    still_open = [period.name for period in periods if period.finals_locked_at is None]
    if still_open:
        missing.append(DomainError("newyear-open-periods", year=year.name, periods=Listing(", ".join(still_open))))
    without_marks = await missing_year_marks(session, year)
    if without_marks:
        where = ", ".join(f"{m.class_name} {m.subject} ({len(m.pupils)})" for m in without_marks)
        count = sum(len(m.pupils) for m in without_marks)
        missing.append(DomainError("newyear-year-marks-missing", count=count, where=Listing(where)))
    if await session.scalar(select(YearArchive.id).where(YearArchive.year_id == year.id).limit(1)) is None:
        missing.append(DomainError("newyear-no-archive", year=year.name))
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=timezone)
    backup = await session.scalar(
        select(BackupRecord.id).where(BackupRecord.verified.is_(True), BackupRecord.created_at >= midnight).limit(1)
    )
    if backup is None:
        missing.append(DomainError("newyear-no-backup"))
    return missing


async def new_year_outlook(
    session: AsyncSession, actor: Actor, today: dt.date, timezone: ZoneInfo, *, last_grade: int
) -> NewYearOutlook:
    """For the administrator: what blocks the move, and where each class's pupils go."""
    ensure_admin(actor)
    year = await _the_year(session)
    pupils = await _pupils(session, year)
    per_class = Counter(p.school_class.name for p in pupils)
    classes = {p.school_class.name: p.school_class for p in pupils}
    outlook = tuple(
        ClassOutlook(name, None if c.grade >= last_grade else _next_name(c), per_class[name])
        for name, c in sorted(classes.items(), key=lambda item: (item[1].grade, item[0]))
    )
    return NewYearOutlook(year.name, tuple(await missing_before_move(session, year, today, timezone)), outlook)


# --- the move ------------------------------------------------------------------------------------


async def move_to_next_year(
    session: AsyncSession, sheets: SheetRows, *, actor: Actor, today: dt.date, timezone: ZoneInfo, last_grade: int
) -> NewYearResult:
    """The move; writes (without committing) only when nothing is refused and the workbook is valid."""
    sheets = normalize_sheets(sheets)
    await _only_move(session)
    year = await _the_year(session)
    new_start = _first_day(sheets)
    if new_start is not None and new_start <= year.end:
        done = await session.scalar(select(AcademicYear.name).where(AcademicYear.start >= new_start).limit(1))
        raise DomainError("newyear-already-done", year=done or year.name)
    missing = await missing_before_move(session, year, today, timezone)
    if missing:
        raise MoveRefused(missing)
    problems = [
        ImportProblem(sheet, None, None, "not a sheet of the new year's workbook")
        for sheet in sheets
        if sheet not in WORKBOOK_SHEETS | ADDED_SHEETS
    ]
    pupils = await _pupils(session, year)
    decisions = _decisions(sheets.get("decisions", []), {p.student.external_id for p in pupils}, problems)
    placed, counts = _place(pupils, decisions, last_grade)
    school = await _school_file(session, sheets, pupils, placed)
    if problems:
        return NewYearResult(ImportReport(problems=problems))
    report = await import_rows(session, school, today=new_start or today)
    result = NewYearResult(report, counts=counts)
    if not report.ok:
        return result
    new_year = await session.scalar(select(AcademicYear).order_by(AcademicYear.start.desc()).limit(1))
    result.year = new_year.name
    for sheet_row in sheets.get("students", []):  # newcomers, the new first grade among them
        counts.setdefault(normalize_class_name(str(sheet_row.get("class", ""))), Counter())["new"] += 1
    await _notes(session, pupils, decisions, new_year.start)
    leaving = [p for p in pupils if p.student.external_id not in placed]
    await _leave(session, leaving, decisions, new_year.start)
    gone = {p.student.external_id for p in leaving}
    report.missing_students = [s for s in report.missing_students if s not in gone]  # they left, as told
    record_change(
        session,
        actor,
        entity="academic_year",
        entity_id=new_year.id,
        action=AuditAction.CREATE,
        before={"year": year.name},
        after={"year": new_year.name, **{name: dict(kinds) for name, kinds in sorted(counts.items())}},
        reason="new-year",
    )
    return result


async def _only_move(session: AsyncSession) -> None:
    """Let no other move run until this one ends: two terminals must not both find the move not done yet.

    PostgreSQL: an advisory lock. SQLite: the write gate keeps out this process's other sessions, but
    another process only from its first write, so the move writes first: the reference version, which it
    moves anyway. A second move waits here, then reads the year the first one made, and is refused.
    """
    await begin_writing(session, "new-year")
    await session.execute(update(SchoolSettings).values(reference_version=SchoolSettings.reference_version + 1))


async def _the_year(session: AsyncSession) -> AcademicYear:
    year = await current_year(session)
    if year is None:
        raise NotFound("grades-no-year")
    return year


async def _pupils(session: AsyncSession, year: AcademicYear) -> list[_Pupil]:
    rows = await session.execute(
        select(Student, SchoolClass)
        .join(SchoolClass, SchoolClass.id == Student.class_id)
        .where(SchoolClass.year_id == year.id, Student.status == StudentStatus.STUDYING.value)
        .order_by(SchoolClass.grade, SchoolClass.name, Student.full_name)
    )
    return [_Pupil(student, school_class) for student, school_class in rows.tuples()]


def _first_day(sheets: SheetRows) -> dt.date | None:
    """The new year's first day, from the periods sheet (None when it cannot be read: the import says why)."""
    starts = []
    for row in sheets.get("periods", []):
        try:
            starts.append(parse_date(str(row.get("start", ""))))
        except ValueError:
            return None
    return min(starts, default=None)


def _next_name(school_class: SchoolClass) -> str:
    return f"{school_class.grade + 1}{school_class.letter}"


def _decisions(rows: list[dict], known: set[str], problems: list[ImportProblem]) -> dict[str, str]:
    """Pupil id → repeat or leave; each bad row is a problem."""
    decisions: dict[str, str] = {}
    for row in rows:
        number, student = row.get(ROW_NUMBER), str(row.get("student", "")).strip()
        decision = str(row.get("decision", "")).strip().lower()
        if student not in known:
            problems.append(ImportProblem("decisions", number, "student", f"no pupil {student!r} studies this year"))
        elif decision not in (REPEAT, LEAVE):
            problems.append(ImportProblem("decisions", number, "decision", f"{decision!r}: repeat or leave"))
        elif student in decisions:
            problems.append(ImportProblem("decisions", number, "student", f"a second decision for {student!r}"))
        else:
            decisions[student] = decision
    return decisions


def _place(
    pupils: list[_Pupil], decisions: dict[str, str], last_grade: int
) -> tuple[dict[str, str], dict[str, Counter[str]]]:
    """Pupil id → their class of the new year (graduates and leavers have none), and the counts."""
    placed: dict[str, str] = {}
    counts: dict[str, Counter[str]] = {}
    for pupil in pupils:
        external_id, school_class = pupil.student.external_id, pupil.school_class
        decision = decisions.get(external_id)
        if decision == LEAVE:
            counts.setdefault(school_class.name, Counter())["left"] += 1
        elif decision == REPEAT:
            placed[external_id] = school_class.name
            counts.setdefault(school_class.name, Counter())["repeating"] += 1
        elif school_class.grade >= last_grade:
            counts.setdefault(school_class.name, Counter())["graduated"] += 1
        else:
            placed[external_id] = _next_name(school_class)
            counts.setdefault(placed[external_id], Counter())["promoted"] += 1
    return placed, counts


async def _school_file(
    session: AsyncSession, sheets: SheetRows, pupils: list[_Pupil], placed: dict[str, str]
) -> SheetRows:
    """The new year as a school file: the workbook's sheets, with the journal's staff, subjects,
    classes and continuing pupils, for the import to check and write."""
    staff = [
        {"id": member.external_id, "full_name": member.full_name, "roles": ", ".join(sorted(member.role_set))}
        for member in await session.scalars(select(Staff).where(Staff.external_id.is_not(None)).order_by(Staff.id))
        if member.roles
    ]
    subjects = [{"name": name} for name in await session.scalars(select(Subject.name).order_by(Subject.name))]
    homerooms = {p.school_class.homeroom_teacher_id for p in pupils} - {None}
    teacher_ids = dict(
        (await session.execute(select(Staff.id, Staff.external_id).where(Staff.id.in_(homerooms)))).tuples().all()
    )
    classes: dict[str, dict[str, str]] = {}
    for pupil in pupils:
        name = placed.get(pupil.student.external_id)
        if name is None or (name in classes and name != _next_name(pupil.school_class)):
            continue  # a repeater's class takes its class teacher from the class promoted into it
        classes[name] = {
            "name": name,
            "grade": str(split_class_name(name)[0]),
            "homeroom_teacher": teacher_ids.get(pupil.school_class.homeroom_teacher_id) or "",
        }
    for row in sheets.get("classes", []):  # the workbook's classes: new ones, and class teachers who change
        name = normalize_class_name(str(row.get("name", "")))
        kept = classes.get(name, {"name": name, "homeroom_teacher": ""})
        classes[name] = {**kept, **{k: v for k, v in row.items() if v != "" and k != "name"}, "name": name}
    for row in sheets.get("students", []):
        name = normalize_class_name(str(row.get("class", "")))
        if name and split_class_name(name) and name not in classes:
            classes[name] = {"name": name, "homeroom_teacher": ""}
    continuing = [
        {
            "id": p.student.external_id,
            "full_name": p.student.full_name,
            "class": placed[p.student.external_id],
            "birth_date": p.student.birth_date.isoformat() if p.student.birth_date else "",
        }
        for p in pupils
        if p.student.external_id in placed
    ]
    school = {sheet: rows for sheet, rows in sheets.items() if sheet in WORKBOOK_SHEETS - {"decisions"}}
    return {
        **school,
        "subjects": _merged(
            subjects, sheets.get("subjects", []), lambda row: normalize_text_key(str(row.get("name", "")))
        ),
        "staff": _merged(staff, sheets.get("staff", []), lambda row: str(row.get("id", ""))),
        "classes": list(classes.values()),
        "students": [*sheets.get("students", []), *continuing],
        "parents": [],  # the journal's families stay as they are
    }


def _merged(journal: list[dict], workbook: list[dict], key) -> list[dict]:
    """The journal's rows, with the workbook's added (a workbook row replaces the journal's of its key)."""
    rows = {key(row): row for row in journal}
    for row in workbook:
        rows[key(row) or id(row)] = row  # a row without its key: the import says so
    return list(rows.values())


async def _notes(session: AsyncSession, pupils: list[_Pupil], decisions: dict[str, str], day: dt.date) -> None:
    """The import dates the class moves on the new year's first day; they are a перевод or a repeat."""
    for note, decided in ((PROMOTED_NOTE, None), (REPEAT_NOTE, REPEAT)):
        ids = [p.student.id for p in pupils if decisions.get(p.student.external_id) == decided]
        if ids:
            await session.execute(
                update(ClassMove)
                .where(ClassMove.student_id.in_(ids), ClassMove.date == day, ClassMove.note == MOVE_NOTE)
                .values(note=note)
            )


async def _leave(session: AsyncSession, leaving: list[_Pupil], decisions: dict[str, str], day: dt.date) -> None:
    """Graduates and those who leave: out of every class from the new year on, their history kept."""
    for pupil in leaving:
        student = pupil.student
        note = LEAVE_NOTE if decisions.get(student.external_id) == LEAVE else GRADUATE_NOTE
        session.add(
            ClassMove(
                student_id=student.id,
                kind=MoveKind.LEAVE.value,
                from_class_id=pupil.school_class.id,
                to_class_id=None,
                date=day,
                note=note,
            )
        )
        student.class_id = None
        student.status = StudentStatus.LEFT.value
    await session.flush()

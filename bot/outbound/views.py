"""The texts and keyboards of what the staff are sent: the teachers' reminder, the control reports,
the class teacher's daily record and missing data, a failed archive copy, a year-end archive to confirm.

Rendered in the reader's language from plain data (services.control_reports, services.homeroom,
services.staff_notices): when a notice is delivered (bot.outbound.render), or at once when the same
view answers a command (/control, /class). No router here.
"""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.outbound.callbacks import ConfirmArchive, ExplainDay, LessonsOf, NoMarks, OpenLesson
from bot.text import escape, format_average, format_date, format_time, short_name, table
from models import EXPLANATION_CODES
from services.class_reports import Gap
from services.control_reports import DeputyReport, PeriodReport
from services.homeroom.daily_record import DailyRecord, MissedLesson, StudentDay
from services.journal_fill import FillRate
from services.names import gender_of
from services.school_days import MARKS
from services.staff_notices import ArchiveReady, BackupFailed, ReminderLesson, TeacherReminder

ABSENCE_CODES = ("н", "б", "уп", "нп", "оп")
PROPOSAL_KEYS = {"ill": "daily-proposal-ill", "excused": "daily-proposal-excused"}


# --- the teachers' reminder ---------------------------------------------------------------------------


def missing_words(missing: tuple[str, ...] | list[str], i18n: Translator) -> str:
    return ", ".join(i18n(f"control-missing-{item}") for item in missing)


def lesson_label(lesson: ReminderLesson) -> str:
    starts = format_time(lesson.starts) if lesson.starts else f"№{lesson.lesson_no}"
    return f"{starts} · {escape(lesson.class_name)} · {escape(lesson.subject)}"


def render_reminder(reminder: TeacherReminder, i18n: Translator) -> str:
    lines = [
        i18n(
            "reminder-title",
            day=format_date(reminder.day, i18n.language, "day"),
            deadline=format_time(reminder.deadline),
        )
    ]
    for lesson in reminder.lessons:
        lines.append(i18n("reminder-line", lesson=lesson_label(lesson), missing=missing_words(lesson.missing, i18n)))
    lines.append(i18n("reminder-hint"))
    return "\n".join(lines)


def reminder_keyboard(reminder: TeacherReminder, i18n: Translator) -> InlineKeyboardMarkup:
    """Per lesson: open it; and, where marks are missing, close it on purpose without marks."""
    rows = []
    for lesson in reminder.lessons:
        row = [open_lesson_button(lesson, i18n)]
        if MARKS in lesson.missing:
            row.append(
                InlineKeyboardButton(
                    text=i18n("reminder-button-no-marks", class_name=lesson.class_name, lesson_no=lesson.lesson_no),
                    callback_data=NoMarks.of(lesson).pack(),
                )
            )
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def open_lesson_button(lesson: ReminderLesson, i18n: Translator) -> InlineKeyboardButton:
    """Opens the lesson in the teacher's lesson view (handlers.teacher)."""
    return InlineKeyboardButton(
        text=i18n(
            "reminder-button-open", class_name=lesson.class_name, subject=lesson.subject, lesson_no=lesson.lesson_no
        ),
        callback_data=OpenLesson(
            class_id=lesson.class_id,
            subject_id=lesson.subject_id,
            day=lesson.date.toordinal(),
            lesson_no=lesson.lesson_no,
            subgroup=lesson.subgroup,
        ).pack(),
    )


# --- the control reports ----------------------------------------------------------------------------


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def render_rates(rates: tuple[FillRate, ...] | list[FillRate], i18n: Translator, *, shares: bool) -> str:
    if not rates:
        return i18n("control-no-lessons")
    rows = []
    for rate in rates:
        if shares:
            counts = [_percent(rate.share(count)) for count in (rate.on_time, rate.late, rate.missing)]
        else:
            counts = [rate.on_time, rate.late, rate.missing]
        rows.append([short_name(rate.teacher), rate.lessons, *counts])
    header = [
        i18n("control-col-teacher"),
        i18n("control-col-lessons"),
        i18n("control-col-on-time"),
        i18n("control-col-late"),
        i18n("control-col-missing"),
    ]
    return table(rows, header=header, right=(1, 2, 3, 4))


def render_deputy_report(report: DeputyReport, i18n: Translator) -> str:
    language = i18n.language
    lines = [i18n("deputy-title", day=format_date(report.day, language, "day"))]
    if not report.overdue:
        lines.append(i18n("deputy-no-overdue"))
    teacher = None
    for line in report.overdue:
        if line.teacher != teacher:
            teacher = line.teacher
            lines.append(f"<b>{escape(teacher)}</b>")
        when = format_time(line.starts) if line.starts else ""
        key = "deputy-overdue-filled" if line.filled else "deputy-overdue-line"
        lines.append(
            i18n(
                key,
                time=when,
                class_name=escape(line.class_name),
                subject=escape(line.subject),
                missing=missing_words(line.missing, i18n),
            )
        )
    lines.append("")
    lines.append(
        i18n("deputy-week", start=format_date(report.week_start, language), end=format_date(report.day, language))
    )
    lines.append(render_rates(report.rates, i18n, shares=False))
    return "\n".join(lines)


def render_period_report(report: PeriodReport, i18n: Translator) -> str:
    language = i18n.language
    lines = [
        i18n(
            "director-title",
            period=escape(report.period_name),
            start=format_date(report.start, language, "full"),
            end=format_date(report.end, language, "full"),
        ),
        "",
        i18n("director-teachers"),
        render_rates(report.rates, i18n, shares=True),
        "",
        i18n("director-classes"),
    ]
    rows = []
    for figures in report.classes:
        rows.append(
            [
                figures.class_name,
                format_average(figures.average, language),
                _percent(figures.quality),
                _percent(figures.success),
                *(figures.absences.get(code, 0) for code in ABSENCE_CODES),
            ]
        )
    rows.append([i18n("director-total"), "", "", "", *(report.absences.get(code, 0) for code in ABSENCE_CODES)])
    header = [
        i18n("control-col-class"),
        i18n("control-col-average"),
        i18n("control-col-quality"),
        i18n("control-col-success"),
        *ABSENCE_CODES,
    ]
    lines.append(table(rows, header=header, right=range(1, 4 + len(ABSENCE_CODES))))
    lines.append(i18n("director-notes"))
    if report.far_marks:
        lines += ["", i18n("control-far-marks")]
        year = i18n("notify-final-year", year=escape(report.year_name))
        lines += [
            i18n(
                "control-far-mark-line",
                class_name=escape(far.class_name),
                subject=escape(far.subject),
                scope=escape(far.period_name) if far.period_name else year,
                name=escape(short_name(far.student)),
                mark=far.value,
                average=format_average(far.average, language),
                teacher=escape(short_name(far.teacher)),
                reason=escape(far.reason),
            )
            for far in report.far_marks
        ]
    return "\n".join(lines)


# --- the class teacher's daily record --------------------------------------------------------------


def render_daily_record(i18n: Translator, record: DailyRecord) -> str:
    lines = [
        i18n(
            "homeroom-day-title",
            class_name=escape(record.class_name),
            date=format_date(record.day, i18n.language, "day"),
        )
    ]
    if not record.students:
        lines.append(i18n("homeroom-day-none", size=record.class_size))
        return "\n".join(lines)
    lines.append(i18n("homeroom-day-summary", absent=record.absent_count, size=record.class_size))
    unexplained = [s for s in record.students if s.unexplained]
    others = [s for s in record.students if not s.unexplained]
    for header, group in (("homeroom-day-unexplained", unexplained), ("homeroom-day-others", others)):
        if group:
            lines += ["", i18n(header)]
            lines += [_student_day_line(i18n, student) for student in group]
    if any(student.explainable for student in record.students):
        lines += ["", i18n("homeroom-day-hint")]
    return "\n".join(lines)


def _student_day_line(i18n: Translator, student: StudentDay) -> str:
    lessons = ", ".join(lesson_text(i18n, student, lesson) for lesson in student.lessons)
    return i18n("homeroom-day-student", number=_number(student.number), name=escape(student.full_name), lessons=lessons)


def lesson_text(i18n: Translator, student: StudentDay, lesson: MissedLesson) -> str:
    """'2 Русский язык н→уп': the teacher's code, then the class teacher's explanation; or, still to be
    confirmed, what a parent answered, agreed with the pupil: '2 Русский язык н (родители: болела)'."""
    code = f"{lesson.code.value}→{lesson.explanation.value}" if lesson.explanation else lesson.code.value
    if lesson.proposal is not None:
        proposal = i18n(
            PROPOSAL_KEYS.get(lesson.proposal, "daily-proposal-unknown"), gender=gender_of(student.full_name)
        )
        code = i18n("homeroom-day-proposal", code=code, proposal=proposal)
    return i18n("homeroom-day-lesson", lesson_no=lesson.lesson_no, subject=escape(lesson.subject), code=code)


def _number(number: int | None) -> str:
    return f"{number:>2}" if number is not None else " –"


def record_keyboard(i18n: Translator, record: DailyRecord) -> InlineKeyboardMarkup | None:
    """The explaining buttons of the record, for whoever manages the class (the caller knows who)."""
    rows = []
    for student in record.students:
        if not student.explainable:
            continue
        label = _number(student.number).strip()
        day = record.day.toordinal()
        row = [
            InlineKeyboardButton(
                text=i18n("homeroom-button-explain", number=label, code=code.value),
                callback_data=ExplainDay(
                    class_id=record.class_id, student_id=student.student_id, day=day, code=code
                ).pack(),
            )
            for code in EXPLANATION_CODES
        ]
        row.append(
            InlineKeyboardButton(
                text=i18n("homeroom-button-by-lesson", number=label),
                callback_data=LessonsOf(class_id=record.class_id, student_id=student.student_id, day=day).pack(),
            )
        )
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def render_proposals(record: DailyRecord, proposals: dict[int, str], i18n: Translator) -> str:
    """The parents' proposed explanations of the record's absences, still to be confirmed."""
    lines = []
    for student in record.students:
        for lesson in student.lessons:
            proposal = proposals.get(lesson.attendance_id)
            if proposal is None:
                continue
            lines.append(
                i18n(
                    "daily-proposal-line",
                    name=escape(student.full_name),
                    lesson_no=lesson.lesson_no,
                    subject=escape(lesson.subject),
                    proposal=i18n(
                        PROPOSAL_KEYS.get(proposal, "daily-proposal-unknown"), gender=gender_of(student.full_name)
                    ),
                )
            )
    if not lines:
        return ""
    return "\n\n" + i18n("daily-proposals-title") + "\n" + "\n".join(lines)


def render_gaps(class_name: str, day: dt.date, gaps: tuple[Gap, ...] | list[Gap], i18n: Translator) -> str:
    lines = [i18n("missing-data-title", class_name=escape(class_name), date=format_date(day, i18n.language, "full"))]
    for number, name, found in gaps:
        lines.append(
            i18n(
                "missing-data-line",
                number=number,
                name=escape(name),
                gaps=", ".join(i18n(f"missing-data-{gap}") for gap in found),
            )
        )
    lines.append(i18n("missing-data-hint"))
    return "\n".join(lines)


# --- archive copies ---------------------------------------------------------------------------------


def backup_error(i18n: Translator, key: str | None, args: dict[str, str]) -> str:
    """Why a copy failed, in the reader's language (services.backup.BackupResult's key and arguments)."""
    return i18n(key, **args) if key else ""


def render_backup_failed(notice: BackupFailed, i18n: Translator) -> str:
    key = "backup-failed-notice" if notice.nightly else "backup-failed-notice-now"
    return i18n(key, error=escape(backup_error(i18n, notice.error_key, notice.error_args) or "?"))


# --- the year-end archive ---------------------------------------------------------------------------


def render_archive_ready(notice: ArchiveReady, i18n: Translator) -> str:
    return i18n("archive-ready-notice", year=escape(notice.year), files=notice.files, hash=notice.manifest_sha256)


def archive_keyboard(notice: ArchiveReady, i18n: Translator) -> InlineKeyboardMarkup:
    """«Подтвердить архив», for the director (handlers.archive answers it)."""
    button = InlineKeyboardButton(
        text=i18n("archive-button-confirm"), callback_data=ConfirmArchive(archive_id=notice.archive_id).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])

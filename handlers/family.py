"""Students and parents: /grades, /attendance, /homework, /schedule, /child."""

from __future__ import annotations

import datetime as dt
import enum

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import IsBound, router_for
from bot.i18n import Translator
from bot.text import answer_long, escape, format_average, format_date, format_time, short_name, table
from models import Student
from services import family_views
from services.actor import Actor
from services.calendar import weeks_ahead
from services.errors import ValidationFailed
from services.family_views import AttendanceAnswer, GradesAnswer, HomeworkAnswer, ScheduleAnswer, ScheduleItem
from services.final_results import label_of
from services.grades import Scope
from services.school_clock import SchoolClock

# The title of a /homework or /schedule answer by the week asked (None: the next days).
_TITLES = {
    view: {None: f"{view}-title", 0: f"{view}-title-week", 1: f"{view}-title-next-week"}
    for view in ("homework", "schedule")
}
CALLBACK_LIMIT = 64  # bytes Telegram allows in callback data


class View(str, enum.Enum):
    GRADES = "g"
    ATTENDANCE = "a"
    HOMEWORK = "h"
    SCHEDULE = "s"
    CHILD = "c"


class ChildPick(CallbackData, prefix="child"):
    """A family member picked from the buttons; `view` and `args` say what to show next."""

    student_id: int
    view: View
    args: str = ""


# --- commands ----------------------------------------------------------------------------------

COMMAND_VIEWS = {
    "grades": View.GRADES,
    "attendance": View.ATTENDANCE,
    "homework": View.HOMEWORK,
    "schedule": View.SCHEDULE,
}


async def cmd_family_view(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    """/grades, /attendance, /homework, /schedule with their arguments."""
    await _open(message, session, actor, i18n, clock, COMMAND_VIEWS[command.command], command.args or "")


async def cmd_child(message: Message, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    students = await family_views.family_students(session, actor)
    if len(students) == 1:
        await message.answer(
            i18n("family-one-child", name=escape(students[0].full_name), class_name=escape(_class_name(students[0])))
        )
        return
    current = await family_views.selected_student(session, actor)
    await message.answer(
        i18n("family-pick-child"), reply_markup=_pick_buttons(students, View.CHILD, "", current.id if current else None)
    )


async def on_child_pick(
    callback: CallbackQuery,
    callback_data: ChildPick,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    student = await family_views.choose_student(session, actor, callback_data.student_id)
    await callback.answer()
    if callback_data.view is View.CHILD:
        await callback.message.answer(
            i18n("family-child-chosen", name=escape(student.full_name), class_name=escape(_class_name(student)))
        )
        return
    text = await build_view(session, actor, i18n, callback_data.view, student.id, clock.today(), callback_data.args)
    await answer_long(callback.message, text)


async def _open(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock, view: View, args: str
) -> None:
    """Show the view for the current child, or ask which child first."""
    args = args.strip()
    student = await family_views.selected_student(session, actor)
    if student is None:
        students = await family_views.family_students(session, actor)
        await message.answer(i18n("family-pick-child"), reply_markup=_pick_buttons(students, view, args, None))
        return
    await answer_long(message, await build_view(session, actor, i18n, view, student.id, clock.today(), args))


async def build_view(
    session: AsyncSession, actor: Actor, i18n: Translator, view: View, student_id: int, today: dt.date, args: str = ""
) -> str:
    """The whole answer to one family command, rendered (the chat splits it; the benchmark times it)."""
    if view is View.GRADES:
        return render_grades(i18n, await family_views.grades_view(session, actor, student_id, today, args))
    if view is View.ATTENDANCE:
        return render_attendance(i18n, await family_views.attendance_view(session, actor, student_id, today, args))
    week = _wants_week(args)
    if view is View.HOMEWORK:
        return render_homework(i18n, await family_views.homework_view(session, actor, student_id, today, week=week))
    return render_schedule(i18n, await family_views.schedule_view(session, actor, student_id, today, week=week))


def _wants_week(args: str) -> int | None:
    """None for no argument; else the week asked (services.calendar.weeks_ahead)."""
    if not args.strip():
        return None
    week = weeks_ahead(args)
    if week is None:
        raise ValidationFailed("family-week-only", text=args)
    return week


def _pick_buttons(students: list[Student], view: View, args: str, current_id: int | None) -> InlineKeyboardMarkup:
    rows = []
    for student in students:
        mark = "✓ " if student.id == current_id else ""
        label = f"{mark}{student.full_name} · {_class_name(student)}".strip(" ·")
        rows.append([InlineKeyboardButton(text=label, callback_data=_pick_data(student.id, view, args))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _pick_data(student_id: int, view: View, args: str) -> str:
    """Callback data carrying the typed arguments too, cut to fit Telegram's 64 bytes (pack() refuses more)."""
    room = CALLBACK_LIMIT - len(ChildPick(student_id=student_id, view=view).pack().encode())
    kept = args.replace(":", " ").encode()[: max(room, 0)].decode(errors="ignore")
    return ChildPick(student_id=student_id, view=view, args=kept).pack()


def _class_name(student: Student) -> str:
    return student.school_class.name if student.school_class else ""


# --- rendering ---------------------------------------------------------------------------------


def scope_label(i18n: Translator, scope: Scope, *, with_year: bool = False) -> str:
    """«2 четверть»; the year, «2026/2027 учебный год»; a period `with_year`: «2 четверть, 2026/2027 учебный год»."""
    if scope.is_year:
        return i18n("family-scope-year", year=escape(scope.year.name))
    if with_year:
        return i18n("family-scope-period-of-year", period=escape(scope.name), year=escape(scope.year.name))
    return escape(scope.name)


def _who(i18n: Translator, student: Student, class_name: str) -> str:
    if not class_name:  # left the school: no class now
        return i18n("family-who-no-class", name=escape(student.full_name))
    return i18n("family-who", name=escape(student.full_name), class_name=escape(class_name))


def _weight(weight: float, language: str) -> str:
    if float(weight).is_integer():
        return str(int(weight))
    return format_average(weight, language).rstrip("0")


def render_grades(i18n: Translator, answer: GradesAnswer) -> str:
    language = i18n.language
    scope = scope_label(i18n, answer.scope, with_year=answer.named_year)
    head = i18n("grades-title", who=_who(i18n, answer.student, answer.class_name), scope=scope)
    if answer.no_marks_grade:
        return f"{head}\n{i18n('grades-first-grade')}"
    if answer.year:
        numbers = [str(n) for n in range(1, len(answer.scope.periods) + 1)]
        rows = [
            [
                s.subject,
                *[label_of(m, language) for m in s.period_marks],
                format_average(s.average, language, ""),
                label_of(s.suggested, language),
                label_of(s.final, language),
            ]
            for s in answer.year
        ]
        header = [
            i18n("grades-col-subject"),
            *numbers,
            i18n("grades-col-average"),
            i18n("grades-col-suggested"),
            i18n("grades-col-year"),
        ]
        right = set(range(1, len(header)))
        return f"{head}\n{table(rows, header=header, right=right)}\n{i18n('grades-year-legend')}"
    if answer.detail:
        return _render_subject(i18n, head, answer)
    if not any(s.lessons for s in answer.subjects):
        return f"{head}\n{i18n('grades-none')}"
    rows = [
        [
            s.subject,
            format_average(s.average, language, ""),
            s.suggested,
            label_of(s.final, language),
            " ".join(lesson.token for lesson in s.lessons),
        ]
        for s in answer.subjects
    ]
    header = [
        i18n("grades-col-subject"),
        i18n("grades-col-average"),
        i18n("grades-col-suggested"),
        i18n("grades-col-final"),
        i18n("grades-col-marks"),
    ]
    return f"{head}\n{table(rows, header=header, right={1, 2, 3})}\n{i18n('grades-legend')}"


def _render_subject(i18n: Translator, head: str, answer: GradesAnswer) -> str:
    language = i18n.language
    subject = answer.subjects[0]
    lines = [i18n("grades-subject-title", subject=escape(subject.subject)), head]
    if not subject.lessons:
        lines.append(i18n("grades-none"))
    else:
        rows = [
            [
                format_date(lesson.date, language),
                lesson.token,
                f"{lesson.work_type} ×{_weight(lesson.weight, language)}"
                + (f" — {lesson.comment}" if lesson.comment else ""),
            ]
            for lesson in subject.lessons
        ]
        lines.append(
            table(rows, header=[i18n("grades-col-date"), i18n("grades-col-mark"), i18n("grades-col-work")], right={1})
        )
        lines.append(
            i18n(
                "grades-subject-average",
                average=format_average(subject.average, language),
                count=sum(len(lesson.values) for lesson in subject.lessons),
            )
        )
    if subject.final is not None:
        lines.append(
            i18n("grades-subject-final", period=scope_label(i18n, answer.scope), mark=subject.final.label(language))
        )
    elif subject.suggested is not None:
        lines.append(i18n("grades-subject-suggested", period=scope_label(i18n, answer.scope), mark=subject.suggested))
    return "\n".join(lines)


def render_attendance(i18n: Translator, answer: AttendanceAnswer) -> str:
    language = i18n.language
    head = i18n(
        "attendance-title", who=_who(i18n, answer.student, answer.class_name), scope=scope_label(i18n, answer.scope)
    )
    if not answer.lines:
        return f"{head}\n{i18n('attendance-none')}"
    rows = [
        [
            format_date(line.date, language),
            line.lesson_no,
            line.subject,
            line.code.value + (f" → {line.explanation.value}" if line.explanation else ""),
        ]
        for line in answer.lines
    ]
    totals = table(
        [list(answer.totals.values())],
        header=[code.value for code in answer.totals],
        right=set(range(len(answer.totals))),
    )
    return "\n".join(
        [
            head,
            table(
                rows,
                header=[
                    i18n("attendance-col-date"),
                    i18n("attendance-col-lesson"),
                    i18n("attendance-col-subject"),
                    i18n("attendance-col-code"),
                ],
                right={1},
            ),
            i18n("attendance-totals", missed=answer.missed, late=answer.late),
            totals,
            i18n("attendance-legend"),
        ]
    )


def render_homework(i18n: Translator, answer: HomeworkAnswer) -> str:
    language = i18n.language
    lines = [i18n(_TITLES["homework"][answer.week], who=_who(i18n, answer.student, answer.class_name))]
    if answer.no_homework_grade:
        return "\n".join([*lines, i18n("homework-first-grade")])
    if not answer.days:
        return "\n".join([*lines, i18n("homework-no-days")])
    for day in answer.days:
        lines.append(i18n("family-day", date=format_date(day.date, language, "day")))
        if not day.items:
            lines.append(i18n("homework-nothing"))
        for item in day.items:
            lines.append(
                i18n("homework-item", lesson_no=item.lesson_no, subject=escape(item.subject), text=escape(item.text))
            )
    return "\n".join(lines)


def render_schedule(i18n: Translator, answer: ScheduleAnswer) -> str:
    language = i18n.language
    lines = [i18n(_TITLES["schedule"][answer.week], who=_who(i18n, answer.student, answer.class_name))]
    if not answer.today_is_school_day and answer.week is None:
        lines.append(i18n("schedule-no-school-today"))
    if not answer.days:
        lines.append(i18n("schedule-no-days"))
    for day in answer.days:
        lines.append(i18n("family-day", date=format_date(day.date, language, "day")))
        if not day.items:
            lines.append(i18n("schedule-no-lessons"))
            continue
        lines.append(
            table(
                [
                    [
                        item.lesson_no,
                        f"{format_time(item.start)}–{format_time(item.end)}" if item.start and item.end else "",
                        _lesson_label(i18n, item),
                        item.room,
                    ]
                    for item in day.items
                ],
                right={0},
            )
        )
    if answer.has_unplaced:
        lines.append(i18n("schedule-unplaced-hint"))
    return "\n".join(lines)


def _lesson_label(i18n: Translator, item: ScheduleItem) -> str:
    """The subject; of a group's lesson, with the group and its teacher (table() escapes it)."""
    if item.subgroup:
        return i18n(
            "schedule-group-lesson", subject=item.subject, group=item.subgroup, teacher=short_name(item.teacher)
        )
    if item.unplaced:
        return i18n("schedule-unplaced-lesson", subject=item.subject)
    return item.subject


def router() -> Router:
    """The family's views (/grades, /attendance, /homework, /schedule) and /child."""
    router = router_for(__name__, IsBound())
    router.message.register(cmd_family_view, Command(*COMMAND_VIEWS))
    router.message.register(cmd_child, Command("child"))
    router.callback_query.register(on_child_pick, ChildPick.filter())
    return router

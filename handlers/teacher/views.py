"""What the teacher sees: the day, the lesson view, a student's card and history, the answers to entries.

Texts and keyboards, with the callback data of the lesson view's buttons; no router and no state.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.outbound.callbacks import OpenLesson
from bot.text import escape, format_date, format_time, one_message, shorten, table
from handlers.timetable import LessonOutsideTimetable
from services.errors import ValidationFailed
from services.journal import (
    EntryLine,
    EntryResult,
    HistoryLine,
    HomeworkMode,
    LessonKey,
    LessonRow,
    LessonView,
    ReasonRequired,
    TextResult,
)
from services.lessons import TeacherDay
from services.school_clock import SchoolClock

NUMBERS_PER_ROW = 6
# A card is one message edited in place under its buttons: of a topic, homework, comment or reason it
# shows this much (each was echoed whole when it was saved), and the card is cut to one message.
CARD_EXCERPT = 200


class Act(str, enum.Enum):
    LIST = "l"
    STUDENT = "s"
    SET = "v"
    HISTORY = "h"
    TOPIC = "t"
    HOMEWORK = "hw"
    WORK_TYPES = "wl"
    WORK_TYPE = "w"
    ATTENDANCE_DONE = "a"
    COMMENT = "c"


class LessonAction(CallbackData, prefix="ls"):
    act: Act
    class_id: int
    subject_id: int
    day: int
    lesson_no: int
    student_id: int = 0
    value: str = ""  # a value token (5, 3/4, н, -, +) or a work type id
    subgroup: str = ""


class ConfirmEntry(CallbackData, prefix="ecf"):
    """«Yes, mark absent»: the entry waiting in the state (`confirm`) with this token is written after all."""

    token: int


class HomeworkChoice(CallbackData, prefix="hwc"):
    """«Заменить / Добавить / Отмена» for homework waiting in the state (`homework`) with this token: a
    HomeworkMode value, or "" to keep the homework as it is."""

    mode: str
    token: int


def homework_choice_keyboard(i18n: Translator, token: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n("entry-homework-button-replace"),
                    callback_data=HomeworkChoice(mode=HomeworkMode.REPLACE.value, token=token).pack(),
                ),
                InlineKeyboardButton(
                    text=i18n("entry-homework-button-add"),
                    callback_data=HomeworkChoice(mode=HomeworkMode.ADD.value, token=token).pack(),
                ),
                InlineKeyboardButton(
                    text=i18n("entry-homework-button-cancel"), callback_data=HomeworkChoice(mode="", token=token).pack()
                ),
            ]
        ]
    )


# --- /today ----------------------------------------------------------------------------------


def render_day(plan: TeacherDay, i18n: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [i18n("today-header", day=format_date(plan.date, i18n.language, "day"))]
    if not plan.in_year:
        lines.append(i18n("today-outside-year"))
    elif plan.holiday is not None:
        lines.append(i18n("today-holiday", holiday=escape(plan.holiday.name)))
    elif not plan.lessons:
        lines.append(i18n("today-no-lessons"))
    buttons = []
    for item in plan.lessons:
        due = item.due
        lines.append(
            i18n(
                "today-lesson",
                lesson_no=due.lesson_no,
                time=_times(due.starts, item.ends),
                class_name=escape(due.class_name),
                subject=escape(due.subject),
            )
            + (f" ({i18n(f'timetable-mark-{due.change}')})" if due.change else "")
        )
        missing = ", ".join(i18n(f"today-missing-{need}") for need in item.missing)
        lines.append("    " + (i18n("today-missing", items=missing) if missing else i18n("today-complete")))
        buttons.append(
            [
                InlineKeyboardButton(
                    text=i18n("today-button", lesson_no=due.lesson_no, class_name=due.class_name, subject=due.subject),
                    callback_data=OpenLesson(
                        class_id=due.class_id,
                        subject_id=due.subject_id,
                        day=due.date.toordinal(),
                        lesson_no=due.lesson_no,
                        subgroup=due.subgroup,
                    ).pack(),
                )
            ]
        )
    if buttons:
        lines.append(i18n("today-open-hint"))
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None


def _times(starts: dt.time | None, ends: dt.time | None) -> str:
    if starts is None:
        return ""
    return format_time(starts) + (f"–{format_time(ends)}" if ends else "")


# --- the lesson view -------------------------------------------------------------------------


def lesson_button(text: str, act: Act, key: LessonKey, student_id: int = 0, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text,
        callback_data=LessonAction(
            act=act,
            class_id=key.class_id,
            subject_id=key.subject_id,
            day=key.date.toordinal(),
            lesson_no=key.lesson_no or 0,
            student_id=student_id,
            value=value,
            subgroup=key.subgroup or "",
        ).pack(),
    )


def render_lesson(view: LessonView, i18n: Translator) -> tuple[str, InlineKeyboardMarkup]:
    key, language = view.key, i18n.language
    lines = [
        i18n("lesson-title", class_name=escape(view.class_name), subject=escape(view.subject)),
        i18n(
            "lesson-when",
            day=format_date(key.date, language, "day"),
            lesson_no=key.lesson_no or 0,
            time=_times(view.starts, view.ends),
        ),
        i18n("lesson-topic", topic=_excerpt(view.topic)) if view.topic else i18n("lesson-no-topic"),
    ]
    if not view.attendance_only:
        if view.takes_marks:
            lines.append(i18n("lesson-work-type", work_type=escape(view.work_type)))
        if view.homework_to is not None:
            day = format_date(view.homework_to.date, language, "day")
            lines.append(
                i18n("lesson-homework", day=day, text=_excerpt(view.homework))
                if view.homework
                else i18n("lesson-no-homework", day=day)
            )
    lines.append(i18n("lesson-attendance-taken" if view.attendance_taken else "lesson-attendance-open"))
    if view.rows:
        lines.append(
            table(
                [
                    (row.number, _surname_and_name(row.name), row.marks, _code(row.code, row.explanation))
                    for row in view.rows
                ],
                right=(0,),
            )
        )
        lines.append(
            i18n("lesson-hint", lowest=view.lowest_mark) if view.takes_marks else i18n("lesson-hint-grade-one")
        )
    else:
        lines.append(i18n("lesson-empty-class"))
    numbers = [lesson_button(str(row.number), Act.STUDENT, key, student_id=row.student_id) for row in view.rows]
    keyboard = [numbers[i : i + NUMBERS_PER_ROW] for i in range(0, len(numbers), NUMBERS_PER_ROW)]
    tools = [lesson_button(i18n("lesson-button-topic"), Act.TOPIC, key)]
    if not view.attendance_only:
        tools.append(lesson_button(i18n("lesson-button-homework"), Act.HOMEWORK, key))
    if view.takes_marks:
        tools.append(lesson_button(i18n("lesson-button-work-type"), Act.WORK_TYPES, key))
    keyboard.append(tools)
    keyboard.append(
        [
            lesson_button(i18n("lesson-button-attendance-done"), Act.ATTENDANCE_DONE, key),
            lesson_button(i18n("lesson-button-refresh"), Act.LIST, key),
        ]
    )
    if view.removable:
        keyboard.append(
            [
                InlineKeyboardButton(
                    text=i18n("timetable-button-remove"),
                    callback_data=LessonOutsideTimetable(
                        act="remove",
                        class_id=key.class_id,
                        subject_id=key.subject_id,
                        day=key.date.toordinal(),
                        lesson_no=key.lesson_no or 0,
                    ).pack(),
                )
            ]
        )
    return one_message("\n".join(lines)), InlineKeyboardMarkup(inline_keyboard=keyboard)


def _excerpt(text: str) -> str:
    return escape(shorten(text, CARD_EXCERPT))


def student_row(view: LessonView, student_id: int) -> LessonRow:
    row = next((r for r in view.rows if r.student_id == student_id), None)
    if row is None:  # no longer on the list of that day (a move entered meanwhile)
        raise ValidationFailed(
            "entry-student-not-in-class", class_name=view.class_name, date=view.key.date.strftime("%d.%m.%Y")
        )
    return row


def render_student(view: LessonView, student_id: int, i18n: Translator) -> tuple[str, InlineKeyboardMarkup]:
    row, key = student_row(view, student_id), view.key
    lines = [i18n("lesson-student", number=row.number, name=escape(row.name))]
    if row.marks:
        lines.append(i18n("lesson-student-marks", marks=row.marks))
    if row.code:
        lines.append(i18n("lesson-student-code", code=_code(row.code, row.explanation)))
    lines.append(i18n("lesson-student-pick"))
    keyboard = []
    if view.takes_marks:
        keyboard.append(
            [lesson_button(str(mark), Act.SET, key, student_id, str(mark)) for mark in range(view.lowest_mark, 6)]
        )
    keyboard.append([lesson_button(code, Act.SET, key, student_id, code) for code in ("н", "б", "оп")])
    last = [lesson_button(i18n("lesson-button-present"), Act.SET, key, student_id, "+")]
    if view.takes_marks:
        last.insert(0, lesson_button(i18n("lesson-button-remove"), Act.SET, key, student_id, "-"))
    keyboard.append(last)
    if row.marks:  # a comment goes with the marks (services.journal.set_mark_comment)
        keyboard.append([lesson_button(i18n("lesson-button-comment"), Act.COMMENT, key, student_id)])
    keyboard.append(
        [
            lesson_button(i18n("lesson-button-history"), Act.HISTORY, key, student_id),
            lesson_button(i18n("lesson-button-back"), Act.LIST, key),
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=keyboard)


def render_history(
    view: LessonView, student_id: int, history: list[HistoryLine], i18n: Translator, clock: SchoolClock
) -> tuple[str, InlineKeyboardMarkup]:
    row = next((r for r in view.rows if r.student_id == student_id), None)
    lines = [i18n("lesson-history-title", number=row.number if row else "?", name=escape(row.name if row else ""))]
    for entry in history:
        at = clock.local(entry.at)
        what = i18n("lesson-history-mark" if entry.entity == "mark" else "lesson-history-attendance")
        before, after = _state_text(entry.before), _state_text(entry.after)
        if entry.before is None:
            change = i18n("lesson-history-created", after=after)
        elif entry.after is None:
            change = i18n("lesson-history-removed", before=before)
        else:
            change = i18n("lesson-history-changed", before=before, after=after)
        line = f"{format_date(at.date(), i18n.language)} {at:%H:%M} · {escape(entry.who)} · {what}: {change}"
        if entry.reason:
            line += f" ({i18n('entry-reason', reason=_excerpt(entry.reason))})"
        lines.append(line)
    if not history:
        lines.append(i18n("lesson-history-empty"))
    back = lesson_button(i18n("lesson-button-back"), Act.STUDENT, view.key, student_id)
    return one_message("\n".join(lines)), InlineKeyboardMarkup(inline_keyboard=[[back]])


def _state_text(state: dict[str, Any] | None) -> str:
    if not state:
        return "—"
    if "code" in state:  # the class teacher's explanation is kept beside the teacher's code
        return escape(_code(state["code"], state.get("explanation") or ""))
    work_type = f" ({escape(state['work_type'])})" if state.get("work_type") else ""
    comment = f" «{_excerpt(state['comment'])}»" if state.get("comment") else ""
    return f"{state['value']}{work_type}{comment}"


def _code(code: str, explanation: str) -> str:
    return f"{code}→{explanation}" if explanation and explanation != code else code


def _surname_and_name(full_name: str) -> str:
    """As in the paper journal: «Васильев Кирилл Андреевич» → «Васильев Кирилл»."""
    return " ".join(full_name.split()[:2])


# --- answers ---------------------------------------------------------------------------------


def render_result(result: EntryResult, i18n: Translator) -> str:
    """«5А, Математика, 26.11, урок 2 (контрольная работа):» and a line per student with the names."""
    args = dict(
        class_name=escape(result.class_name),
        subject=escape(result.subject),
        date=format_date(result.date, i18n.language),
        lesson_no=result.lesson_no,
    )
    header = (
        i18n("entry-recorded-header-work-type", work_type=escape(result.work_type), **args)
        if result.work_type and any(line.marks_after for line in result.lines)
        else i18n("entry-recorded-header", **args)
    )
    lines = [header]
    lines += [_entry_line(line, i18n) for line in result.lines]
    if result.reason:
        lines.append(i18n("entry-reason", reason=escape(result.reason)))
    return "\n".join(lines)


def render_changes(result: EntryResult, i18n: Translator) -> str:
    """What a line typed into an open lesson changed, in one short line: «Записано: 3. Васильев Кирилл — 5; …»."""
    changes = "; ".join(_entry_line(line, i18n) for line in result.lines)
    if result.reason:
        return i18n("lesson-recorded-reason", changes=changes, reason=escape(result.reason))
    return i18n("lesson-recorded", changes=changes)


def _entry_line(line: EntryLine, i18n: Translator) -> str:
    return f"{line.number}. {escape(_surname_and_name(line.name))} — {line_value(line, i18n)}"


def line_value(line: EntryLine, i18n: Translator) -> str:
    parts = []
    if line.work_type_change is not None:  # «4 → 5 (вид работы: работа на уроке → контрольная работа)»
        before, after = line.work_type_change
        changed = i18n("entry-work-type-changed", before=escape(before), after=escape(after))
        marks = line.marks_after if line.marks_after is not None else line.marks_before
        shown = f"{line.marks_before} → {marks}" if line.marks_changed and line.marks_before else marks
        parts.append(f"{shown} ({changed})")
    elif line.marks_after is not None:
        parts.append(_change_text(line.marks_before, line.marks_after, i18n("entry-removed"), i18n))
    if line.code_after is not None:
        parts.append(_change_text(line.code_before, line.code_after, i18n("entry-present"), i18n))
    return ", ".join(parts)


def _change_text(before: str, after: str, gone: str, i18n: Translator) -> str:
    if before == after:
        return f"{after or '—'} ({i18n('entry-unchanged')})"
    if not before:
        return after
    return f"{before} → {after or gone}"


def render_text_result(key: str, result: TextResult, i18n: Translator) -> str:
    return i18n(
        key,
        class_name=escape(result.class_name),
        subject=escape(result.subject),
        date=format_date(result.date, i18n.language),
        lesson_no=result.lesson_no,
        text=escape(result.text),
    )


def command_reason_hint(need: ReasonRequired, args: str, i18n: Translator) -> str:
    example = escape(f"/mark {args} // …")
    return i18n.refusal(need) + "\n" + i18n("entry-reason-hint-command", example=example)

"""Outbox rows → the messages a recipient reads, in their language (keys in locales/*/notify.ftl).

Pure: a row's notice (services.notices, services.staff_notices) in, texts and buttons out; called by
the delivery worker when the row's turn comes (services.channel.Renderer), so the language is the
recipient's as their account has it then. The buttons' callback data is in bot.outbound.callbacks;
handlers.messaging answers them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import singledispatch

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Translator, get_translator
from bot.outbound import views
from bot.outbound.callbacks import AbsenceAnswer, BroadcastRead, RelayMute, RelayReply
from bot.text import CAPTION_LIMIT, escape, format_average, format_date, split_message, visible_length
from services.channel import Buttons, Outgoing, RowView
from services.final_results import label_of, result_or_none
from services.messaging.absence_answers import ABSENCE_ANSWERS, ANSWERED_CODES
from services.names import gender_of, name_in_case
from services.notices import (
    Absence,
    BroadcastCopy,
    Explanation,
    FinalMarkSet,
    Homework,
    LegacyText,
    MarkChanged,
    MarkItem,
    MarkRemoved,
    MessageHeader,
    NewMarks,
    Notice,
    Relay,
    RiskHeadsUp,
    RiskSubject,
    TimetableChanged,
    Unknown,
    is_digest,
    notice_of,
)
from services.staff_notices import (
    ArchiveReady,
    BackupFailed,
    DailyRecordNotice,
    DeputyReportNotice,
    MissingData,
    PeriodReportNotice,
    SenderMuted,
    TeacherReminder,
)

# Attendance codes (models.AttendanceCode values) → locale key suffixes.
CODE_NAMES = {"н": "absent", "б": "ill", "оп": "late", "уп": "excused", "нп": "unexcused"}


def render_rows(rows: Sequence[RowView], language: str) -> list[Outgoing]:
    """The delivery worker's renderer: `rows` in `language`, the recipient's as their account has it now."""
    return render(rows, get_translator(language))


def render(rows: Sequence[RowView], translate: Translator) -> list[Outgoing]:
    """One row → its messages; several rows (a digest) → one text, split only at Telegram's limit."""
    if len(rows) == 1 and not is_digest(rows[0].payload):
        return render_notice(notice_of(rows[0].kind, rows[0].payload), translate, rows[0].source_id)
    parts = [translate("notify-digest-title")]
    parts += [text_of(notice_of(row.kind, row.payload), translate) for row in rows]
    return [Outgoing(text=part) for part in split_message("\n\n".join(parts))]


def render_notice(notice: Notice, translate: Translator, source_id: int | None = None) -> list[Outgoing]:
    """A notice's messages: its text split at Telegram's limit, the buttons under the last part.
    `source_id`: what the row was written about (an absence's attendance entry: its buttons answer it)."""
    if isinstance(notice, Relay):
        return _relayed(notice, translate)
    if isinstance(notice, LegacyText):  # written already rendered (the scheduler's reminders and reports of old)
        return [Outgoing(text=notice.text, buttons=notice.buttons)]
    buttons = buttons_of(notice, translate, source_id)
    parts = split_message(text_of(notice, translate))
    return [Outgoing(text=part, buttons=buttons if index == len(parts) - 1 else ()) for index, part in enumerate(parts)]


# --- texts ------------------------------------------------------------------------------------------


@singledispatch
def text_of(notice: Notice, translate: Translator) -> str:
    """The text of one notice in `translate`'s language (each kind registers its own)."""
    raise TypeError(f"no text for {type(notice).__name__}")


@text_of.register
def _(notice: NewMarks, translate: Translator) -> str:
    lines = [translate("notify-marks-title", student=escape(notice.student))]
    for item in notice.items:
        lines.append(_mark_line(item, translate))
        if item.comment:
            lines.append(translate("notify-comment", comment=escape(item.comment)))
    return "\n".join(lines)


@text_of.register
def _(notice: MarkChanged, translate: Translator) -> str:
    key = "notify-mark-removed" if isinstance(notice, MarkRemoved) else "notify-mark-changed"
    text = translate(
        key,
        student=escape(notice.student),
        subject=escape(notice.subject),
        date=_date(notice.date, translate),
        before=escape(notice.before or "—"),
        after=escape(notice.after or "—"),
    )
    return _with_reason(text, notice.reason, translate)


@text_of.register
def _(notice: Absence, translate: Translator) -> str:
    gender = gender_of(notice.student)
    args = dict(
        student=escape(notice.student),
        subject=escape(notice.subject),
        date=_date(notice.date, translate),
        lesson=_lesson(notice, translate),
    )
    if not notice.code:
        text = translate("notify-absence-removed", what=_code_name(notice.before, gender, translate), **args)
        return _with_reason(text, notice.reason, translate)
    if notice.before:
        text = translate(
            "notify-absence-changed",
            before=_code_name(notice.before, gender, translate),
            after=_code_name(notice.code, gender, translate),
            **args,
        )
        return _with_reason(text, notice.reason, translate)
    what = translate(f"notify-what-{CODE_NAMES.get(notice.code, 'absent')}", gender=gender)
    return translate("notify-absence", what=what, **args)


@text_of.register
def _(notice: Homework, translate: Translator) -> str:
    return translate(
        "notify-homework",
        student=escape(notice.student),
        subject=escape(notice.subject),
        date=_date(notice.date, translate),
        text=escape(notice.text),
    )


@text_of.register
def _(notice: FinalMarkSet, translate: Translator) -> str:
    """A term or year result, with the average it was set against (none: no marks to average); «н/а» and
    «осв.» are said in words too, agreed with the pupil's gender."""
    scope = escape(notice.period) if notice.period else translate("notify-final-year", year=escape(notice.year))
    told = result_or_none(notice.before, notice.before_special)
    text = translate(
        "notify-final-mark-changed" if told is not None else "notify-final-mark",
        student=escape(notice.student),
        subject=escape(notice.subject),
        scope=scope,
        value=label_of(result_or_none(notice.value, notice.special), translate.language),
        before=label_of(told, translate.language),
        special=notice.special,
        gender=gender_of(notice.student),
    )
    if notice.average is None:
        return text
    return text + "\n" + translate("notify-final-average", average=format_average(notice.average, translate.language))


@text_of.register
def _(notice: TimetableChanged, translate: Translator) -> str:
    """«Изменения в расписании 5А на 30.11 (Белова Софья): 2-й урок — замена: Математика, ведёт …»."""
    lines = [
        translate(
            "notify-timetable-title",
            student=escape(notice.student),
            class_name=escape(notice.class_name),
            date=_date(notice.date, translate),
        )
    ]
    for change in notice.changes:
        lines.append(
            translate(
                f"notify-timetable-{change.kind}",
                lesson_no=change.lesson_no,
                subject=escape(change.subject),
                teacher=escape(change.teacher),
            )
        )
    lessons = ", ".join(f"{lesson.lesson_no} — {escape(lesson.subject)}" for lesson in notice.lessons)
    lines.append(translate("notify-timetable-day", lessons=lessons) if lessons else translate("notify-timetable-none"))
    return "\n".join(lines)


@text_of.register
def _(notice: RiskHeadsUp, translate: Translator) -> str:
    """«⚠️ Алексеев Артём Игоревич: есть риск не выйти на «3» за 2 четверть», then a line per subject."""
    lines = [translate("notify-risk-title", student=escape(notice.student), period=escape(notice.period))]
    lines += [_risk_line(item, translate) for item in notice.subjects]
    return "\n".join(lines)


def _risk_line(item: RiskSubject, translate: Translator) -> str:
    """«Математика: средний балл 2,45 — нужно ещё две 4, чтобы выйти на «3»»; too few marks; or the absences."""
    subject = escape(item.subject)
    if item.more and item.of_value is not None:
        need = translate("notify-risk-need", count=item.more, value=item.of_value)
        average = format_average(item.average, translate.language)
        text = translate("notify-risk-average", subject=subject, average=average, need=need)
    elif item.more:
        need = translate("notify-risk-need-any", count=item.more)
        text = translate("notify-risk-few", subject=subject, marks=item.marks, need=need)
    else:
        return translate("notify-risk-missed", subject=subject, percent=item.missed_percent or 0)
    if item.missed_percent is not None:
        text += "; " + translate("notify-risk-also-missed", percent=item.missed_percent)
    return text


@text_of.register
def _(notice: BroadcastCopy, translate: Translator) -> str:
    role = translate(f"notify-role-{notice.role}", **{"class": escape(notice.class_name)}) if notice.role else ""
    return translate("notify-broadcast", sender=escape(notice.sender), role=role, text=escape(notice.text))


@text_of.register
def _(notice: Relay, translate: Translator) -> str:
    return "\n\n".join(filter(None, [_header(notice.header, translate), escape(notice.text)]))


@text_of.register
def _(notice: Explanation, translate: Translator) -> str:
    return translate(
        "notify-explanation",
        parent=escape(notice.parent),
        student=escape(notice.student),
        lesson_date=_date(notice.lesson_date, translate),
        lesson_no=notice.lesson_no,
        subject=escape(notice.subject),
        answer=translate(f"notify-answer-{notice.answer}", gender=gender_of(notice.student)),
        **{"class": escape(notice.class_name)},
    )


@text_of.register
def _(notice: TeacherReminder, translate: Translator) -> str:
    return views.render_reminder(notice, translate)


@text_of.register
def _(notice: DeputyReportNotice, translate: Translator) -> str:
    return views.render_deputy_report(notice.report, translate)


@text_of.register
def _(notice: PeriodReportNotice, translate: Translator) -> str:
    return views.render_period_report(notice.report, translate)


@text_of.register
def _(notice: DailyRecordNotice, translate: Translator) -> str:
    return views.render_daily_record(translate, notice.record) + views.render_proposals(
        notice.record, notice.proposals, translate
    )


@text_of.register
def _(notice: MissingData, translate: Translator) -> str:
    return views.render_gaps(notice.class_name, notice.day, notice.gaps, translate)


@text_of.register
def _(notice: SenderMuted, translate: Translator) -> str:
    return translate(
        "notify-sender-muted",
        parent=escape(notice.parent),
        parent_gent=escape(name_in_case(notice.parent, "gent")),
        by=escape(notice.by),
        student=escape(notice.student),
        until=_date(notice.until, translate),
        **{"class": escape(notice.class_name)},
    )


@text_of.register
def _(notice: BackupFailed, translate: Translator) -> str:
    return views.render_backup_failed(notice, translate)


@text_of.register
def _(notice: ArchiveReady, translate: Translator) -> str:
    return views.render_archive_ready(notice, translate)


@text_of.register
def _(notice: LegacyText, translate: Translator) -> str:
    return notice.text


@text_of.register
def _(notice: Unknown, translate: Translator) -> str:
    return translate("notify-unknown")


# --- buttons ----------------------------------------------------------------------------------------


@singledispatch
def buttons_of(notice: Notice, translate: Translator, source_id: int | None) -> Buttons:
    """The buttons under a notice (most have none)."""
    return ()


@buttons_of.register
def _(notice: Absence, translate: Translator, source_id: int | None) -> Buttons:
    """A parent explains an «н» (services.messaging.absence_answers); a lateness, an illness or an absence
    already explained asks nothing of them, so it has no buttons."""
    if notice.code not in ANSWERED_CODES or source_id is None:
        return ()
    gender = gender_of(notice.student)
    return tuple(
        (
            (
                translate(f"notify-button-{answer}", gender=gender),
                AbsenceAnswer(attendance_id=source_id, answer=answer).pack(),
            ),
        )
        for answer in ABSENCE_ANSWERS
    )


@buttons_of.register
def _(notice: BroadcastCopy, translate: Translator, source_id: int | None) -> Buttons:
    if not notice.broadcast_id:
        return ()
    return (((translate("notify-button-read"), BroadcastRead(broadcast_id=notice.broadcast_id).pack()),),)


@buttons_of.register
def _(notice: Relay, translate: Translator, source_id: int | None) -> Buttons:
    if not notice.relayed_id:
        return ()
    return (
        (
            (translate("notify-button-reply"), RelayReply(relayed_id=notice.relayed_id).pack()),
            (translate("notify-button-mute"), RelayMute(relayed_id=notice.relayed_id).pack()),
        ),
    )


@buttons_of.register
def _(notice: TeacherReminder, translate: Translator, source_id: int | None) -> Buttons:
    return _plain(views.reminder_keyboard(notice, translate))


@buttons_of.register
def _(notice: DailyRecordNotice, translate: Translator, source_id: int | None) -> Buttons:
    return _plain(views.record_keyboard(translate, notice.record))


@buttons_of.register
def _(notice: ArchiveReady, translate: Translator, source_id: int | None) -> Buttons:
    return _plain(views.archive_keyboard(notice, translate))


def _plain(markup: InlineKeyboardMarkup | None) -> Buttons:
    """An inline keyboard of callback buttons as the channel's rows of (label, callback data)."""
    if markup is None:
        return ()
    return tuple(tuple((button.text, button.callback_data or "") for button in row) for row in markup.inline_keyboard)


# --- parts --------------------------------------------------------------------------------------------


def _relayed(notice: Relay, translate: Translator) -> list[Outgoing]:
    """A relayed text, photo or document: the school's header, then what the person wrote."""
    buttons = buttons_of(notice, translate, None)
    text = text_of(notice, translate)
    media = (
        {"photo": notice.file_id}
        if notice.content_type == "photo"
        else ({"document": notice.file_id} if notice.content_type == "document" else {})
    )
    if not media:
        parts = split_message(text)
        return [Outgoing(text=part, buttons=buttons if i == len(parts) - 1 else ()) for i, part in enumerate(parts)]
    if visible_length(text) <= CAPTION_LIMIT:
        return [Outgoing(text=text, buttons=buttons, **media)]
    # Too long for a caption: the words first, then the file (with the reply button).
    return [
        *(Outgoing(text=part) for part in split_message(text)),
        Outgoing(text=_header(notice.header, translate), buttons=buttons, **media),
    ]


def _header(header: MessageHeader | None, translate: Translator) -> str:
    if header is None:
        return ""
    # "to-pupil/homeroom": the wording of the audience, the writer's role chosen in it.
    audience, _, role = header.role.rpartition("/")
    return translate(
        f"notify-{audience}" if audience else f"notify-from-{role}",
        role=role,
        icon=header.icon,
        sender=escape(header.sender),
        gender=gender_of(header.sender),
        student=escape(header.student),
        subjects=escape(header.subjects),
        **{"class": escape(header.class_name)},
    )


def _mark_line(item: MarkItem, translate: Translator) -> str:
    args = dict(
        subject=escape(item.subject),
        values=escape("/".join(str(value) for value in item.values)),
        date=_date(item.date, translate),
    )
    if item.work_type:
        return translate("notify-mark-line", work_type=escape(item.work_type), **args)
    return translate("notify-mark-line-plain", **args)


def _code_name(code: str | None, gender: str, translate: Translator) -> str:
    return translate(f"notify-code-{CODE_NAMES.get(code or '', 'absent')}", gender=gender)


def _lesson(notice: Absence, translate: Translator) -> str:
    if notice.time:
        return translate("notify-lesson-at", number=notice.lesson_no or "?", time=escape(notice.time))
    return translate("notify-lesson", number=notice.lesson_no or "?")


def _with_reason(text: str, reason: str, translate: Translator) -> str:
    if reason:
        return text + "\n" + translate("notify-reason", reason=escape(reason))
    return text


def _date(day: dt.date | None, translate: Translator) -> str:
    return format_date(day, translate.language, "day") if day else ""

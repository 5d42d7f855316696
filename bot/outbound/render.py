"""Outbox rows → the messages a recipient reads, in their language (keys in locales/*/notify.ftl).

Pure: a row's kind and plain payload in, texts and buttons out; called by the delivery worker when
the row's turn comes (services.channel.Renderer). The buttons' callback data is in
bot.outbound.callbacks; handlers/messaging.py answers them.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from collections.abc import Sequence
from typing import Any

from bot.i18n import Translator, get_translator
from bot.outbound.callbacks import AbsenceAnswer, BroadcastRead, RelayReply
from bot.text import CAPTION_LIMIT, escape, format_average, format_date, split_message, visible_length
from services import outbox
from services.channel import Button, Outgoing, RowView
from services.messaging import ABSENCE_ANSWERS

# Attendance codes (models.AttendanceCode values) → locale key suffixes.
CODE_NAMES = {"н": "absent", "б": "ill", "оп": "late", "уп": "excused", "нп": "unexcused"}
KNOWN_KINDS = frozenset({
    outbox.MARK, outbox.MARK_CHANGED, outbox.MARK_REMOVED, outbox.ABSENCE, outbox.HOMEWORK, outbox.BROADCAST,
    outbox.MESSAGE, outbox.NOTICE, outbox.FINAL_MARK, outbox.TIMETABLE,
})


def render_rows(rows: Sequence[RowView], language: str) -> list[Outgoing]:
    """The delivery worker's renderer: `rows` in `language`, the recipient's as their account has it now."""
    return render(rows, get_translator(language))


def render(rows: Sequence[RowView], translate: Translator) -> list[Outgoing]:
    """One row → its messages; several rows (a digest) → one text, split only at Telegram's limit."""
    if len(rows) == 1 and not rows[0].payload.get(outbox.DIGEST_FLAG):
        return _render_one(rows[0], translate)
    parts = [translate("notify-digest-title")]
    parts += [_text_of(row, translate) for row in rows]
    return [Outgoing(text=part) for part in split_message("\n\n".join(parts))]


def _render_one(row: RowView, translate: Translator) -> list[Outgoing]:
    if row.kind == outbox.MESSAGE:
        return _relayed(row, translate)
    if row.kind not in KNOWN_KINDS and "text" in row.payload:
        # Written already rendered by its producer (the scheduler's reminders and reports).
        return [Outgoing(text=str(row.payload["text"]), buttons=_ready_buttons(row.payload.get("reply_markup")))]
    text = _text_of(row, translate)
    buttons = _buttons_of(row, translate)
    parts = split_message(text)
    return [Outgoing(text=part, buttons=buttons if index == len(parts) - 1 else ())
            for index, part in enumerate(parts)]


def _text_of(row: RowView, translate: Translator) -> str:
    p = row.payload
    if row.kind not in KNOWN_KINDS and "text" in p:
        return str(p["text"])
    language = translate.language
    if row.kind == outbox.MARK:
        lines = [translate("notify-marks-title", student=escape(p.get("student") or ""))]
        for item in p.get("items", []):
            lines.append(_mark_line(item, translate))
            if item.get("comment"):
                lines.append(translate("notify-comment", comment=escape(item["comment"])))
        return "\n".join(lines)
    if row.kind in (outbox.MARK_CHANGED, outbox.MARK_REMOVED):
        key = "notify-mark-changed" if row.kind == outbox.MARK_CHANGED else "notify-mark-removed"
        text = translate(key, student=escape(p.get("student") or ""), subject=escape(p.get("subject") or ""),
                         date=_date(p.get("date"), language), before=escape(p.get("before") or "—"),
                         after=escape(p.get("after") or "—"))
        return _with_reason(text, p, translate)
    if row.kind == outbox.ABSENCE:
        return _absence(p, translate)
    if row.kind == outbox.HOMEWORK:
        return translate("notify-homework", student=escape(p.get("student") or ""),
                         subject=escape(p.get("subject") or ""), date=_date(p.get("date"), language),
                         text=escape(p.get("text") or ""))
    if row.kind == outbox.BROADCAST:
        role = translate(p["role_key"], **{"class": escape(p.get("class") or "")}) if p.get("role_key") else ""
        return translate("notify-broadcast", sender=escape(p.get("sender") or ""), role=role,
                         text=escape(p.get("text") or ""))
    if row.kind == outbox.MESSAGE:
        return "\n\n".join(filter(None, [_header(p, translate), escape(p.get("text") or "")]))
    if row.kind == outbox.NOTICE:
        return translate(p.get("key", ""), **_args(p.get("args") or {}, translate))
    if row.kind == outbox.FINAL_MARK:
        return _final_mark(p, translate)
    if row.kind == outbox.TIMETABLE:
        return _timetable(p, translate)
    return translate("notify-unknown")


def _ready_buttons(markup: dict[str, Any] | None) -> tuple[tuple[Button, ...], ...]:
    """A reply_markup written already rendered (an inline keyboard of callback buttons) as rows of buttons."""
    return tuple(tuple((button["text"], button.get("callback_data") or "") for button in row)
                 for row in (markup or {}).get("inline_keyboard", []))


def _buttons_of(row: RowView, translate: Translator) -> tuple[tuple[Button, ...], ...]:
    p = row.payload
    if row.kind == outbox.ABSENCE and p.get("code") and row.source_id is not None:
        return tuple(
            ((translate(f"notify-button-{answer}"), AbsenceAnswer(attendance_id=row.source_id, answer=answer).pack()),)
            for answer in ABSENCE_ANSWERS
        )
    if row.kind == outbox.BROADCAST and p.get("broadcast_id"):
        return (((translate("notify-button-read"), BroadcastRead(broadcast_id=int(p["broadcast_id"])).pack()),),)
    if row.kind == outbox.MESSAGE and p.get("relayed_id"):
        return (((translate("notify-button-reply"), RelayReply(relayed_id=int(p["relayed_id"])).pack()),),)
    return ()


def _relayed(row: RowView, translate: Translator) -> list[Outgoing]:
    """A relayed text, photo or document: the school's header, then what the person wrote."""
    p = row.payload
    buttons = _buttons_of(row, translate)
    text = _text_of(row, translate)
    media = {"photo": p.get("file_id")} if p.get("content_type") == "photo" else (
        {"document": p.get("file_id")} if p.get("content_type") == "document" else {})
    if not media:
        parts = split_message(text)
        return [Outgoing(text=part, buttons=buttons if i == len(parts) - 1 else ()) for i, part in enumerate(parts)]
    if visible_length(text) <= CAPTION_LIMIT:
        return [Outgoing(text=text, buttons=buttons, **media)]
    # Too long for a caption: the words first, then the file (with the reply button).
    return [*(Outgoing(text=part) for part in split_message(text)),
            Outgoing(text=_header(p, translate), buttons=buttons, **media)]


def _header(p: dict[str, Any], translate: Translator) -> str:
    header = p.get("header") or {}
    if not header.get("key"):
        return ""
    return translate(header["key"], **_args(header.get("args") or {}, translate))


def _args(args: dict[str, Any], translate: Translator) -> dict[str, Any]:
    """Escape values; an argument named `…_key` is a locale key, translated (and named without `_key`)."""
    result: dict[str, Any] = {}
    for name, value in args.items():
        if name.endswith("_key"):
            result[name.removesuffix("_key")] = translate(str(value))
        elif name.endswith("_date"):
            result[name] = _date(value, translate.language)
        elif isinstance(value, str):
            result[name] = escape(value)
        else:
            result[name] = value
    return result


def _mark_line(item: dict[str, Any], translate: Translator) -> str:
    values = item.get("values") or []
    values_text = "/".join(str(v) for v in values) if isinstance(values, list) else str(values)
    args = dict(subject=escape(item.get("subject") or ""), values=escape(values_text),
                date=_date(item.get("date"), translate.language))
    if item.get("work_type"):
        return translate("notify-mark-line", work_type=escape(item["work_type"]), **args)
    return translate("notify-mark-line-plain", **args)


def _final_mark(p: dict[str, Any], translate: Translator) -> str:
    """A term or year mark, with the average it was set against (none: no marks to average)."""
    scope = escape(p["period"]) if p.get("period") else translate("notify-final-year", year=escape(p.get("year") or ""))
    average = format_average(Decimal(p["average"]), translate.language) if p.get("average") else None
    text = translate("notify-final-mark-changed" if p.get("before") else "notify-final-mark",
                     student=escape(p.get("student") or ""), subject=escape(p.get("subject") or ""), scope=scope,
                     value=p.get("value"), before=p.get("before") or "")
    return text + ("\n" + translate("notify-final-average", average=average) if average else "")


def _absence(p: dict[str, Any], translate: Translator) -> str:
    args = dict(student=escape(p.get("student") or ""), subject=escape(p.get("subject") or ""),
                date=_date(p.get("date"), translate.language), lesson=_lesson(p, translate))
    code, before = p.get("code"), p.get("before")
    if not code:
        return _with_reason(translate("notify-absence-removed", what=_code_name(before, translate), **args), p, translate)
    if before:
        text = translate("notify-absence-changed", before=_code_name(before, translate),
                         after=_code_name(code, translate), **args)
        return _with_reason(text, p, translate)
    return translate("notify-absence", what=translate(f"notify-what-{CODE_NAMES.get(code, 'absent')}"), **args)


def _timetable(p: dict[str, Any], translate: Translator) -> str:
    """«Изменения в расписании 5А на 30.11 (Белова Софья): 2-й урок — замена: Математика, ведёт …»."""
    lines = [translate("notify-timetable-title", student=escape(p.get("student") or ""),
                       class_name=escape(p.get("class") or ""), date=_date(p.get("date"), translate.language))]
    for change in p.get("changes", []):
        lines.append(translate(f"notify-timetable-{change.get('kind')}", lesson_no=change.get("lesson_no", 0),
                               subject=escape(change.get("subject") or ""),
                               teacher=escape(change.get("teacher") or "")))
    lessons = ", ".join(f"{item.get('lesson_no')} — {escape(item.get('subject') or '')}" for item in p.get("lessons", []))
    lines.append(translate("notify-timetable-day", lessons=lessons) if lessons else translate("notify-timetable-none"))
    return "\n".join(lines)


def _code_name(code: str | None, translate: Translator) -> str:
    return translate(f"notify-code-{CODE_NAMES.get(code or '', 'absent')}")


def _lesson(p: dict[str, Any], translate: Translator) -> str:
    if p.get("time"):
        return translate("notify-lesson-at", number=p.get("lesson_no") or "?", time=escape(p["time"]))
    return translate("notify-lesson", number=p.get("lesson_no") or "?")


def _with_reason(text: str, p: dict[str, Any], translate: Translator) -> str:
    if p.get("reason"):
        return text + "\n" + translate("notify-reason", reason=escape(p["reason"]))
    return text


def _date(value: Any, language: str) -> str:
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return escape(value)
    return format_date(day, language, "day")

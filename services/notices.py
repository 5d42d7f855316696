"""What the outbox holds: one notice per kind, as typed plain data, and the one way it becomes a payload.

A row's payload is its notice's fields as JSON values, with the format's version under "v" (and
"digest": true when the row waits for the recipient's daily digest). `payload_of` writes it and
`notice_of` reads it back. Rows written before notices were typed — version 1, the dicts of old,
without "v" — are read as the notice they meant; rows of other kinds that hold a finished text
(the scheduler's reminders and reports of old) are read as LegacyText and sent as they are.

Nothing here is text a person reads: the chat side renders a notice in the recipient's language when
it is delivered (bot.outbound.render). Notices to families and messages are here; the staff's
reminders and reports in services.staff_notices.

A change to the fields of a notice (or of a dataclass a notice carries) changes the format: raise
VERSION, and read the rows written before in `notice_of`. That is why this module, a little past 400
lines, stays one: the notices and the code that versions their payloads are one format.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import types
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, ClassVar, Union, get_args, get_origin, get_type_hints

VERSION = 2
VERSION_KEY = "v"
DIGEST_FLAG = "digest"  # payload key: the row waits for the recipient's daily digest

# Outbox kinds. services.journal writes the first four through services.outbox.notify_families.
MARK = "mark"  # NewMarks: a child's new marks, lesson by lesson
MARK_CHANGED = "mark_changed"  # MarkChanged: marks the family was told of, corrected
MARK_REMOVED = "mark_removed"  # MarkRemoved: … removed
ABSENCE = "absence"  # Absence: entered, changed or removed
HOMEWORK = "homework"
BROADCAST = "broadcast"
MESSAGE = "message"  # a relayed /write message: its header, text, photo or document
EXPLANATION = "explanation"  # a parent's explanation of an absence, to the class teacher
NOTICE = "notice"  # version 1 of EXPLANATION: a locale key and its arguments
FINAL_MARK = "final_mark"  # a term or year mark (services.final_mark_notices)
TIMETABLE = "timetable"  # a change of a class's day (services.timetable_changes)
RISK = "risk"  # RiskHeadsUp: a child on the risk list, in the family's digest (services.reports.risk_notices)


class UnreadablePayload(ValueError):
    """A payload of a kind or version this code does not know."""


class Notice:
    """A notice's data: subclasses are frozen dataclasses that name their outbox kind (`kind=` in the
    class statement) and are found by it when a row is read."""

    KIND: ClassVar[str] = ""
    _by_kind: ClassVar[dict[str, type[Notice]]] = {}

    def __init_subclass__(cls, kind: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind:
            assert kind not in Notice._by_kind, f"two notices of kind {kind}"
            cls.KIND = kind
            Notice._by_kind[kind] = cls


# Version 1 readers, by kind: the dict as it was written → the notice it meant.
_first_version: dict[str, Callable[[dict[str, Any]], Notice]] = {}


def reads_version_1(*kinds: str) -> Callable[[Callable[[dict[str, Any]], Notice]], Callable[[dict[str, Any]], Notice]]:
    def register(reader: Callable[[dict[str, Any]], Notice]) -> Callable[[dict[str, Any]], Notice]:
        for kind in kinds:
            _first_version[kind] = reader
        return reader

    return register


# --- the payload ---------------------------------------------------------------------------------


def payload_of(notice: Notice, *, digest: bool = False) -> dict[str, Any]:
    """The one way a notice becomes an outbox row's payload: its fields as JSON values, and the version."""
    payload = {VERSION_KEY: VERSION, **plain(notice)}
    if digest:
        payload[DIGEST_FLAG] = True
    return payload


def notice_of(kind: str, payload: Mapping[str, Any]) -> Notice:
    """The notice a row's payload holds, whichever version wrote it (UnreadablePayload if none did)."""
    version = payload.get(VERSION_KEY)
    data = {key: value for key, value in payload.items() if key not in (VERSION_KEY, DIGEST_FLAG)}
    if version is None:
        reader = _first_version.get(kind)
        if reader is not None:
            return reader(data)
        if "text" in data:
            return legacy_text(data)
        return Unknown()
    notice_type = Notice._by_kind.get(kind)
    if version != VERSION or notice_type is None:
        raise UnreadablePayload(f"{kind} (version {version})")
    return typed(notice_type, data)


def is_digest(payload: Mapping[str, Any] | None) -> bool:
    return bool((payload or {}).get(DIGEST_FLAG))


def plain(value: Any) -> Any:
    """JSON-ready: dataclasses as objects of their fields, dates and times as ISO strings, enums as
    their values, decimals as strings, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def typed(kind: Any, value: Any) -> Any:
    """`value` as `plain` wrote it, read back as the type `kind` (a dataclass, or what its fields hold)."""
    origin, args = get_origin(kind), get_args(kind)
    if value is None or kind is Any:
        return value
    if origin in (Union, types.UnionType):
        (inner,) = [arg for arg in args if arg is not type(None)]  # `X | None` only
        return typed(inner, value)
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(
            **{
                field.name: typed(hints[field.name], value[field.name])
                for field in dataclasses.fields(kind)
                if field.init and field.name in value
            }
        )
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(typed(args[0], item) for item in value)
        return tuple(typed(arg, item) for arg, item in zip(args, value))
    if origin is list:
        return [typed(args[0], item) for item in value]
    if origin is Counter:
        return Counter({typed(args[0], key): count for key, count in value.items()})
    if origin is dict:
        return {typed(args[0], key): typed(args[1], item) for key, item in value.items()}
    return _scalar(kind, value)


def _scalar(kind: Any, value: Any) -> Any:
    if not isinstance(kind, type):
        return value
    if issubclass(kind, enum.Enum):
        return kind(value)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(str(value)[:10])
    if kind is dt.time:
        return dt.time.fromisoformat(value)
    if kind in (decimal.Decimal, int, float):  # a dict's keys come back as strings
        return kind(value)
    return value


@cache
def _hints(kind: type) -> dict[str, Any]:
    return get_type_hints(kind)


def leniently(kind: type[Notice], data: Mapping[str, Any], **renamed: str) -> Notice:
    """A version 1 dict as `kind`: keys renamed (old name=new name), those `kind` lacks dropped, a
    missing or empty value read as the field's default."""
    data = {renamed.get(key, key): value for key, value in data.items()}
    hints = _hints(kind)
    return kind(
        **{
            field.name: typed(hints[field.name], data[field.name])
            for field in dataclasses.fields(kind)
            if data.get(field.name) is not None
        }
    )


# --- rows that hold no notice ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LegacyText(Notice):
    """A version 1 row of another kind with its finished text (and buttons): sent as it is."""

    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()


def legacy_text(data: Mapping[str, Any]) -> LegacyText:
    markup = data.get("reply_markup") or {}
    return LegacyText(
        str(data["text"]),
        tuple(
            tuple((button["text"], button.get("callback_data") or "") for button in row)
            for row in markup.get("inline_keyboard", [])
        ),
    )


@dataclasses.dataclass(frozen=True)
class Unknown(Notice):
    """A version 1 row of a kind nobody writes any more: the recipient hears only that there is news."""


# --- families: marks, absences, homework, term marks, the timetable ---------------------------------


@dataclasses.dataclass(frozen=True)
class AboutChild:
    """Which child a family's notice is about."""

    student_id: int | None = None
    student: str = ""
    class_name: str = ""


@dataclasses.dataclass(frozen=True)
class AboutLesson(AboutChild):
    """… and which of their lessons."""

    subject: str = ""
    date: dt.date | None = None
    lesson_no: int | None = None


@dataclasses.dataclass(frozen=True)
class MarkItem:
    """One lesson's marks in a NewMarks notice."""

    subject: str = ""
    date: dt.date | None = None
    lesson_no: int | None = None
    values: tuple[int, ...] = ()
    work_type: str | None = None
    comment: str = ""
    key: str | None = None  # the lesson's group key: a correction within the grace window finds its item


@dataclasses.dataclass(frozen=True)
class NewMarks(AboutChild, Notice, kind=MARK):
    """A child's new marks; more lessons join while the row is pending (services.outbox.grace)."""

    items: tuple[MarkItem, ...] = ()


@dataclasses.dataclass(frozen=True)
class MarkEntry(AboutLesson):
    """What a /mark line did to one child's marks in one lesson (services.journal): services.outbox
    makes it a NewMarks item, or a MarkChanged or MarkRemoved of marks the family was told of."""

    values: tuple[int, ...] = ()
    before: str = ""  # the marks as they were, "5/4"; "" when there were none
    after: str = ""
    work_type: str | None = None
    comment: str = ""
    reason: str = ""

    @property
    def kind(self) -> str:
        return MARK if not self.before else (MARK_CHANGED if self.after else MARK_REMOVED)


@dataclasses.dataclass(frozen=True)
class MarkChanged(AboutLesson, Notice, kind=MARK_CHANGED):
    before: str | None = None  # what the family was told
    after: str = ""
    reason: str = ""

    @staticmethod
    def of(entry: MarkEntry, before: str | None) -> MarkChanged:
        """The correction of `entry`'s marks against `before`, the ones the family knows."""
        kind = MarkChanged if entry.after else MarkRemoved
        return kind(
            entry.student_id,
            entry.student,
            entry.class_name,
            entry.subject,
            entry.date,
            entry.lesson_no,
            before,
            entry.after,
            entry.reason,
        )


@dataclasses.dataclass(frozen=True)
class MarkRemoved(MarkChanged, kind=MARK_REMOVED):
    pass


@dataclasses.dataclass(frozen=True)
class Absence(AboutLesson, Notice, kind=ABSENCE):
    time: str | None = None  # the lesson's start, "08:30" (services.outbox.family fills it in from the bells)
    code: str | None = None  # models.AttendanceCode's value; None: the entry was removed
    before: str | None = None  # the code the family was told of, if this corrects it
    after: str | None = None
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class Homework(AboutLesson, Notice, kind=HOMEWORK):
    text: str = ""


@dataclasses.dataclass(frozen=True)
class FinalMarkSet(AboutChild, Notice, kind=FINAL_MARK):
    """A term or year result: a mark in `value`, or «н/а» / «осв.» in `special` (services.final_results).

    `special` and `before_special` came after version 2 was written, with defaults that mean "a mark":
    a row written without them reads as it meant, so they did not need a new version."""

    subject: str = ""
    period: str | None = None  # None: the year mark
    year: str = ""
    value: int | None = None
    before: int | None = None  # the mark it replaces, as the family knows it
    average: decimal.Decimal | None = None  # None: no marks to average
    special: str = ""  # models.FinalMarkSpecial's value when the result is not a mark
    before_special: str = ""  # … and of the result it replaces


@dataclasses.dataclass(frozen=True)
class TimetableChange:
    lesson_no: int = 0
    kind: str = ""  # models.LessonChangeKind's value: substitution, extra, cancellation, …
    subject: str = ""
    teacher: str = ""


@dataclasses.dataclass(frozen=True)
class DayLesson:
    lesson_no: int = 0
    subject: str = ""


@dataclasses.dataclass(frozen=True)
class TimetableChanged(AboutChild, Notice, kind=TIMETABLE):
    date: dt.date | None = None
    changes: tuple[TimetableChange, ...] = ()
    lessons: tuple[DayLesson, ...] = ()  # the day as it stands now


@dataclasses.dataclass(frozen=True)
class RiskSubject:
    """A subject in which a child is on the risk list (services.reports.risk), and what reaching «3» takes."""

    subject: str = ""
    average: decimal.Decimal | None = None  # None: no marks yet (or grade 1, which has none)
    marks: int = 0
    more: int = 0  # how many more marks reach «3»; 0: none are needed, the absences alone put it here
    of_value: int | None = None  # … of this mark (4 or 5); None: of any (too few marks to assess)
    missed_percent: int | None = None  # the share of its lessons missed, when more than the limit


@dataclasses.dataclass(frozen=True)
class RiskHeadsUp(AboutChild, Notice, kind=RISK):
    """The family's heads-up, in their digest only, from the third week of a term."""

    period: str = ""
    subjects: tuple[RiskSubject, ...] = ()


def _same_keys(notice_type: type[Notice]) -> Callable[[dict[str, Any]], Notice]:
    """Version 1 of a family's notice: its fields under the same keys, but «class» for class_name."""
    return lambda data: leniently(notice_type, data, **{"class": "class_name"})


for _type in (NewMarks, MarkChanged, MarkRemoved, Absence, Homework, FinalMarkSet, TimetableChanged):
    reads_version_1(_type.KIND)(_same_keys(_type))


# --- messages: announcements, relayed messages, explanations -----------------------------------------


@dataclasses.dataclass(frozen=True)
class BroadcastCopy(Notice, kind=BROADCAST):
    """One recipient's copy of an announcement (services.messaging.broadcasts.send_broadcast)."""

    broadcast_id: int | None = None
    text: str = ""
    sender: str = ""
    role: str = ""  # the sender's: homeroom (of `class_name`), director, admin
    class_name: str = ""


@dataclasses.dataclass(frozen=True)
class MessageHeader:
    """Who a relayed message is from: `role` is homeroom, teacher (of `subjects`), school or parent."""

    role: str
    sender: str = ""
    icon: str = ""
    student: str = ""
    class_name: str = ""
    subjects: str = ""


@dataclasses.dataclass(frozen=True)
class Relay(Notice, kind=MESSAGE):
    """A /write message or a reply, passed on: text, photo or document (a messenger's file id)."""

    relayed_id: int | None = None
    header: MessageHeader | None = None
    text: str = ""
    content_type: str = "text"
    file_id: str | None = None


@dataclasses.dataclass(frozen=True)
class Explanation(Notice, kind=EXPLANATION):
    """A parent's answer under an absence notice, for the class teacher to confirm."""

    parent: str = ""
    student: str = ""
    class_name: str = ""
    lesson_date: dt.date | None = None
    lesson_no: int | None = None
    subject: str = ""
    answer: str = ""  # ill, excused, unknown


@reads_version_1(BROADCAST)
def _broadcast_version_1(data: dict[str, Any]) -> Notice:
    role = str(data.pop("role_key", None) or "").removeprefix("notify-role-")
    return dataclasses.replace(leniently(BroadcastCopy, data, **{"class": "class_name"}), role=role)


@reads_version_1(MESSAGE)
def _message_version_1(data: dict[str, Any]) -> Notice:
    header = data.pop("header", None) or {}
    relayed = leniently(Relay, data)
    if not header.get("key"):
        return relayed
    role = str(header["key"]).removeprefix("notify-from-")
    return dataclasses.replace(
        relayed, header=leniently(MessageHeader, dict(header.get("args") or {}, role=role), **{"class": "class_name"})
    )


@reads_version_1(NOTICE)
def _notice_version_1(data: dict[str, Any]) -> Notice:
    if data.get("key") != "notify-explanation":
        raise UnreadablePayload(f"notice {data.get('key')}")
    args = dict(data.get("args") or {})
    args["answer"] = str(args.pop("answer_key", "")).removeprefix("notify-answer-")
    return leniently(Explanation, args, **{"class": "class_name"})

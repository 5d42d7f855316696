"""The typed forms of /lesson and /substitute, parsed into what services.timetable_changes takes.

`/lesson add|remove CLASS SUBJECT DATE/LESSON_NO` and
`/substitute CLASS DATE[/LESSON_NO] [TEACHER | SUBJECT [TEACHER] | отмена | расписание]`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.entry_parser import (
    Catalog,
    DateRef,
    Named,
    match_names,
    parse_date,
    resolve_class,
    resolve_subject_prefix,
)
from services.errors import Listing, ValidationFailed
from services.school_reference import SchoolReference

CANCEL_WORDS = frozenset({"отмена", "отменить", "отменён", "отменен", "cancel", "cancelled"})
RESTORE_WORDS = frozenset({"расписание", "по_расписанию", "timetable", "restore"})


@dataclass(frozen=True)
class LessonAddress:
    school_class: Named
    subject: Named
    date: dt.date
    lesson_no: int


@dataclass(frozen=True)
class SubstitutionCommand:
    school_class: Named
    date: dt.date
    lesson_no: int | None  # None: show the class's day with buttons
    teacher_id: int | None = None
    subject_id: int | None = None
    cancel: bool = False
    restore: bool = False
    has_change: bool = False  # something after the lesson was typed


def _date_ref(word: str, catalog: Catalog, usage_key: str) -> DateRef:
    found = parse_date(word, today=catalog.today, year_start=catalog.year_start, year_end=catalog.year_end)
    if found is None:
        raise ValidationFailed(usage_key)
    return found


def parse_lesson_address(args: str, catalog: Catalog, *, usage_key: str) -> LessonAddress:
    """`CLASS SUBJECT DATE/LESSON_NO`: the number is required (an extra lesson is added at a number)."""
    words = args.split()
    if len(words) < 3:
        raise ValidationFailed(usage_key)
    school_class = resolve_class(words[0], catalog)
    subject, used = resolve_subject_prefix(words[1:-1], catalog, school_class.id)
    if 1 + used != len(words) - 1:
        raise ValidationFailed(usage_key)
    when = _date_ref(words[-1], catalog, usage_key)
    if when.lesson_no is None:
        raise ValidationFailed(
            "timetable-need-lesson-no", example=f"{school_class.name} {subject.name} {when.date:%d.%m}/1"
        )
    return LessonAddress(school_class, subject, when.date, when.lesson_no)


def parse_substitution(args: str, catalog: Catalog, reference: SchoolReference) -> SubstitutionCommand:
    words = args.split()
    if len(words) < 2:
        raise ValidationFailed("timetable-usage-substitute")
    school_class = resolve_class(words[0], catalog)
    when = _date_ref(words[1], catalog, "timetable-usage-substitute")
    rest = words[2:]
    base = dict(school_class=school_class, date=when.date, lesson_no=when.lesson_no, has_change=bool(rest))
    if not rest:
        return SubstitutionCommand(**base)
    if when.lesson_no is None:
        raise ValidationFailed("timetable-need-lesson-no", example=f"{school_class.name} {when.date:%d.%m}/2 …")
    typed = "_".join(rest).casefold()
    if typed in CANCEL_WORDS:
        return SubstitutionCommand(**base, cancel=True)
    if typed in RESTORE_WORDS or " ".join(rest).casefold() == "по расписанию":
        return SubstitutionCommand(**base, restore=True)
    teacher = _teacher_or_none(rest, reference)
    if teacher is not None:
        return SubstitutionCommand(**base, teacher_id=teacher)
    for split in range(len(rest), 0, -1):  # a subject, then perhaps its teacher
        try:
            subject, used = resolve_subject_prefix(rest[:split], catalog, school_class.id)
        except ValidationFailed:
            continue
        teacher_words = rest[used:]
        return SubstitutionCommand(
            **base,
            subject_id=subject.id,
            teacher_id=resolve_teacher(teacher_words, reference) if teacher_words else None,
        )
    raise ValidationFailed("timetable-unknown-teacher", text=" ".join(rest))


def _teacher_or_none(words: list[str], reference: SchoolReference) -> int | None:
    try:
        return resolve_teacher(words, reference)
    except ValidationFailed:
        return None


def resolve_teacher(words: list[str], reference: SchoolReference) -> int:
    """A staff member by id (t2) or by the start of the full name («Петров», «Петров Серг»)."""
    text = " ".join(words)
    active = [staff for staff in reference.staff.values() if staff.active]
    by_id = [staff.id for staff in active if staff.external_id and staff.external_id.casefold() == text.casefold()]
    if len(by_id) == 1:
        return by_id[0]
    found = match_names(words, [Named(staff.id, staff.full_name) for staff in active])
    if not found:
        raise ValidationFailed("timetable-unknown-teacher", text=text)
    if len(found) > 1:
        raise ValidationFailed(
            "timetable-ambiguous-teacher", text=text, names=Listing(", ".join(sorted(named.name for named in found)))
        )
    return found[0].id

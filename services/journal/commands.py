"""The commands as typed: /mark, /topic and /homework, and a line typed in an open lesson.

Each is parsed whole (services.entry_parser) against the school's names (load_catalog), then written
by the same functions as the lesson screen's buttons.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.entry_parser import Catalog, Named, parse_line, parse_mark_command, parse_text_command
from services.errors import ValidationFailed
from services.journal.entries import record_entries
from services.journal.lesson_details import HomeworkMode, set_homework, set_topic
from services.journal.model import EntryResult, LessonKey, ReasonRequired, TextResult
from services.school_clock import EntryClock
from services.school_reference import SchoolReference, school_reference

# --- the school's names, for parsing ---------------------------------------------------------


async def load_catalog(session: AsyncSession, today: dt.date, *, past_years: bool = False) -> Catalog:
    """The names a command may use: this year's classes, and with `past_years` also a name only a past
    year has (for a dated entry into last year's journal: _class_on)."""
    reference = await school_reference(session)
    year = reference.day(today).year
    return Catalog(
        classes=_names(reference) if past_years else {c.name: Named(c.id, c.name) for c in reference.current_classes()},
        subjects=tuple(Named(s.id, s.name) for s in reference.subjects),
        work_types=tuple(Named(w.id, w.name) for w in reference.work_types),
        today=today,
        allow_mark_one=reference.allow_mark_one,
        year_start=year.start if year else None,
        year_end=year.end if year else None,
        class_subjects=reference.class_subjects(),
        split=reference.split_subjects(),
    )


def _names(reference: SchoolReference) -> dict[str, Named]:
    """Every class name the journal has known, each the newest class of that name: this year's 5А, or
    last year's where there is none now (a dated entry then goes to its own year's class: _class_on)."""
    start = {year.id: year.start for year in reference.years}
    newest_last = sorted(reference.classes.values(), key=lambda c: start.get(c.year_id, dt.date.min))
    return {c.name: Named(c.id, c.name) for c in newest_last}


def _class_on(reference: SchoolReference, named: Named, day: dt.date) -> int:
    """The class of that name in the school year `day` falls in: after the move, `/mark 5Б матем 24.11.2026`
    is last year's 5Б (which only the administrator corrects, with a reason: services.journal.rules)."""
    year = reference.day(day).year
    if year is None:
        return named.id  # a day of no school year: the entry's own check says so
    found = next((c.id for c in reference.classes.values() if c.name == named.name and c.year_id == year.id), None)
    if found is None:
        raise ValidationFailed("entry-unknown-class", name=named.name)
    return found


# --- commands as typed -----------------------------------------------------------------------


async def mark_command(
    session: AsyncSession, actor: Actor, args: str, clock: EntryClock, *, confirmed: bool = False
) -> EntryResult | ReasonRequired:
    """`/mark CLASS SUBJECT [DATE[/LESSON_NO]] [#WORKTYPE] №:VALUE … [// reason]`: all parsed, then written."""
    command = parse_mark_command(args, await load_catalog(session, clock.today, past_years=True))
    day = command.date or clock.today
    key = LessonKey(
        _class_on(await school_reference(session), command.school_class, day),
        command.subject.id,
        day,
        command.lesson_no,
        command.subgroup,
    )
    return await record_entries(
        session,
        actor,
        key,
        command.items,
        clock=clock,
        work_type_id=command.work_type.id if command.work_type else None,
        reason=command.reason,
        confirmed=confirmed,
    )


async def record_line(
    session: AsyncSession,
    actor: Actor,
    key: LessonKey,
    line: str,
    clock: EntryClock,
    *,
    reason: str = "",
    confirmed: bool = False,
) -> EntryResult | ReasonRequired:
    """A line typed in an open lesson: «3 5, 7 4, 12 н» (a reason after «//», or given apart)."""
    items, typed_reason = parse_line(line, allow_mark_one=(await school_reference(session)).allow_mark_one)
    return await record_entries(
        session, actor, key, items, clock=clock, reason=reason or typed_reason, confirmed=confirmed
    )


async def topic_command(session: AsyncSession, actor: Actor, args: str, clock: EntryClock) -> TextResult:
    """`/topic CLASS SUBJECT [DATE[/LESSON_NO]] TEXT`: the topic of today's (or that date's) lesson."""
    command = parse_text_command(
        args, await load_catalog(session, clock.today, past_years=True), usage_key="entry-usage-topic"
    )
    day = command.date or clock.today
    key = LessonKey(
        _class_on(await school_reference(session), command.school_class, day),
        command.subject.id,
        day,
        command.lesson_no,
        command.subgroup,
    )
    return await set_topic(session, actor, key, command.text, clock)


async def homework_command(
    session: AsyncSession,
    actor: Actor,
    args: str,
    clock: EntryClock,
    mode: HomeworkMode = HomeworkMode.ASK,
    expected: str | None = None,
) -> TextResult:
    """`/homework CLASS SUBJECT [DATE[/LESSON_NO]] TEXT`: for the next lesson after today, or that date's;
    `mode` and `expected` as set_homework's."""
    command = parse_text_command(args, await load_catalog(session, clock.today), usage_key="entry-usage-homework")
    return await set_homework(
        session,
        actor,
        _class_on(await school_reference(session), command.school_class, command.date or clock.today),
        command.subject.id,
        command.text,
        clock,
        due=command.date,
        lesson_no=command.lesson_no,
        subgroup=command.subgroup,
        mode=mode,
        expected=expected,
    )

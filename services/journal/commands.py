"""The commands as typed: /mark, /topic and /homework, and a line typed in an open lesson.

Each is parsed whole (services.entry_parser) against the school's names (load_catalog), then written
by the same functions as the lesson screen's buttons.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.entry_parser import Catalog, Named, parse_line, parse_mark_command, parse_text_command
from services.journal.entries import record_entries
from services.journal.lesson_details import set_homework, set_topic
from services.journal.model import EntryResult, LessonKey, ReasonRequired, TextResult
from services.school_clock import EntryClock
from services.school_reference import school_reference

# --- the school's names, for parsing ---------------------------------------------------------


async def load_catalog(session: AsyncSession, today: dt.date) -> Catalog:
    reference = await school_reference(session)
    year = reference.day(today).year
    return Catalog(
        classes={c.name: Named(c.id, c.name) for c in reference.current_classes()},
        subjects=tuple(Named(s.id, s.name) for s in reference.subjects),
        work_types=tuple(Named(w.id, w.name) for w in reference.work_types),
        today=today,
        allow_mark_one=reference.allow_mark_one,
        year_start=year.start if year else None,
        class_subjects=reference.class_subjects(),
        split=reference.split_subjects(),
    )


# --- commands as typed -----------------------------------------------------------------------


async def mark_command(
    session: AsyncSession, actor: Actor, args: str, clock: EntryClock, *, confirmed: bool = False
) -> EntryResult | ReasonRequired:
    """`/mark CLASS SUBJECT [DATE[/LESSON_NO]] [#WORKTYPE] №:VALUE … [// reason]`: all parsed, then written."""
    command = parse_mark_command(args, await load_catalog(session, clock.today))
    key = LessonKey(
        command.school_class.id, command.subject.id, command.date or clock.today, command.lesson_no, command.subgroup
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
    command = parse_text_command(args, await load_catalog(session, clock.today), usage_key="entry-usage-topic")
    key = LessonKey(
        command.school_class.id, command.subject.id, command.date or clock.today, command.lesson_no, command.subgroup
    )
    return await set_topic(session, actor, key, command.text, clock)


async def homework_command(session: AsyncSession, actor: Actor, args: str, clock: EntryClock) -> TextResult:
    """`/homework CLASS SUBJECT [DATE[/LESSON_NO]] TEXT`: for the next lesson after today, or that date's."""
    command = parse_text_command(args, await load_catalog(session, clock.today), usage_key="entry-usage-homework")
    return await set_homework(
        session,
        actor,
        command.school_class.id,
        command.subject.id,
        command.text,
        clock,
        due=command.date,
        lesson_no=command.lesson_no,
        subgroup=command.subgroup,
    )

"""The school's clock: the moment and the day where the school is, and the windows entries are judged by.

The journal's days are the school's, not the server's. One SchoolClock is built from the settings at
start-up (bot.config.school_clock) and handed on: to the handlers in the dispatcher's data (`clock`),
to the scheduled jobs as an argument. Tests and the console may hand on one stopped at a fixed moment
(`stopped_at`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class EntryClock:
    """The moment of one entry, held while it is checked and written: `now` (UTC) for the grace
    window, `today` in the school's time zone.

    `absence_grace`: how long after a lesson starts its absences may be told to parents at the earliest.
    """

    now: dt.datetime
    today: dt.date
    grace: dt.timedelta
    timezone: ZoneInfo
    absence_grace: dt.timedelta = dt.timedelta(seconds=60)

    def lesson_start(self, day: dt.date, start: dt.time) -> dt.datetime:
        """A lesson's bell on `day`, on the school's wall clock."""
        return dt.datetime.combine(day, start, tzinfo=self.timezone)


@dataclass(frozen=True)
class SchoolClock:
    """`edit_grace`: how long an entry may be corrected without a reason; `absence_grace`: see EntryClock."""

    timezone: ZoneInfo
    edit_grace: dt.timedelta = dt.timedelta(minutes=10)
    absence_grace: dt.timedelta = dt.timedelta(seconds=60)
    stopped: dt.datetime | None = None  # the moment a stopped clock always shows (aware)

    def now(self) -> dt.datetime:
        """This moment on the school's wall clock (aware)."""
        return self.local(self.stopped if self.stopped is not None else dt.datetime.now(dt.timezone.utc))

    def utcnow(self) -> dt.datetime:
        """This moment in UTC, as the database keeps moments."""
        return self.now().astimezone(dt.timezone.utc)

    def today(self) -> dt.date:
        return self.now().date()

    def local(self, moment: dt.datetime) -> dt.datetime:
        """An aware `moment` on the school's wall clock."""
        return moment.astimezone(self.timezone)

    def stopped_at(self, moment: dt.datetime) -> SchoolClock:
        """This clock, showing `moment` (aware) whenever it is read."""
        return replace(self, stopped=moment)

    def entry(self) -> EntryClock:
        """This moment, held for one entry."""
        now = self.now()
        return EntryClock(
            now.astimezone(dt.timezone.utc), now.date(), self.edit_grace, self.timezone, self.absence_grace
        )

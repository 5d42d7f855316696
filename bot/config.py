"""Settings read from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.errors import ValidationFailed
from services.journal_fill import Deadline
from services.marking import keep_unmarked_periods, parse_unmarked_periods
from services.messaging.limits import ConversationRules
from services.preferences import parse_quiet_hours
from services.reports.request import Basis
from services.school_clock import SchoolClock

OFFICIAL_API_URL = "https://api.telegram.org"
SUPPORTED_LANGUAGES = ("ru", "en")


class Settings(BaseSettings):
    # An empty value (`KEY=` in .env, `${KEY}` unset in compose) means "not set": use the default.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    bot_token: SecretStr | None = None
    telegram_api_url: str = OFFICIAL_API_URL
    bot_username: str | None = None
    database_url: str = "sqlite+aiosqlite:///./data/journal.db"
    school_timezone: str = "Europe/Moscow"
    default_language: str = "ru"
    invite_ttl_days: int = Field(default=14, ge=1, le=365)
    edit_grace_minutes: int = Field(default=10, ge=0, le=24 * 60)
    console_database_url: str = "sqlite+aiosqlite:///./data/console-demo.db"
    # Notifications (issue 4): a new mark waits this long so a quick correction replaces it, an absence this.
    notify_grace_seconds: int = Field(default=300, ge=0, le=24 * 3600)
    absence_grace_seconds: int = Field(default=60, ge=0, le=24 * 3600)
    # Updates handled at once; more wait their turn in memory (each one inside holds a database connection).
    max_concurrent_updates: int = Field(default=32, ge=1, le=500)
    # Bot API sends per second, all chats together, in any second (Telegram allows 30): 28 reaches 0.93
    # of Telegram's rate and leaves a margin; the worker's burst is what the rate leaves of the 30.
    telegram_rate_per_second: float = Field(default=28, gt=0, le=29)
    # The scheduler (school time zone): reminders, deadlines, control reports, archive copies.
    reminder_time: dt.time = dt.time(16, 0)
    marks_deadline: dt.time = dt.time(17, 0)
    deputy_report_time: dt.time = dt.time(8, 0)
    homeroom_report_time: dt.time = dt.time(15, 0)
    missing_data_time: str = "Mon 09:00"  # weekly: weekday and time
    backup_time: dt.time = dt.time(2, 0)
    backup_dir: Path = Path("./data/backups")
    backup_keep_days: int = Field(default=30, ge=1, le=3650)
    backup_keep_weeks: int = Field(default=26, ge=0, le=520)
    archive_dir: Path = Path("./data/archives")  # the year-end archives (/archive), a folder per year
    archive_workers: int = Field(default=0, ge=0, le=64)  # processes rendering the archive; 0: one a CPU
    bot_lock_file: Path = Path("./data/bot.lock")  # held while the bot runs; restore refuses then
    # What the reports' figures count: the final marks (a forecast where none is set yet), or current marks.
    report_basis: Basis = Basis.FINAL
    # Periods a grade is taught without marks, "grade:period" (the period's place in the year), comma-separated:
    # "2:1" is grade 2's first term. There every subject is as one without marks (services.marking).
    unmarked_periods: str = ""
    # The school's last grade: its pupils leave as graduates at the move to the next year (9 for a basic
    # school, ОШ; 11 for a secondary one). Not read off the classes: a year without a 9th class would
    # otherwise graduate its 8th.
    last_grade: int = Field(default=11, ge=4, le=11)
    # Conversations (/write): messages a parent or pupil may send to staff in an hour, and the staff's
    # hours off work, when a family's message waits for the morning (each can change theirs in /settings).
    message_rate_per_hour: int = Field(default=20, ge=1, le=1000)
    staff_quiet_hours: str = "20:00-08:00"
    # --- several processes (README «Running on several hosts») ---
    # The public HTTPS URL Telegram calls; set, the bot serves webhooks on WEBHOOK_LISTEN instead of polling.
    webhook_url: str | None = None
    # Checked on every webhook request (Telegram's X-Telegram-Bot-Api-Secret-Token); needed with WEBHOOK_URL.
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1:8080"  # host:port of the webhook server, /healthz and /metrics
    # redis://host:port/db: conversation state, the sign-in lock-out and the hourly message limits, shared by the
    # processes (services.short_lived). Empty: the state in this process's memory, the counts in the database.
    redis_url: str | None = None
    metrics_listen: str | None = None  # host:port for /healthz and /metrics while polling; empty: none
    # The scheduler runs in one process, holding a lease of this many seconds renewed every third of it;
    # another process takes it over at most this long (and a third) after the holder dies.
    scheduler_lease_seconds: float = Field(default=30, ge=1, le=300)

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            head, _, tail = value.get_secret_value().partition(":")
            if not head.isdigit() or not tail:
                raise ValueError("expected the form 123456:ABC… given by @BotFather")
        return value

    @field_validator("telegram_api_url", "webhook_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value is not None else None

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1–256 characters, A-Z, a-z, 0-9, _ and -.
        if value is not None and not WEBHOOK_SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("1–256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("webhook_listen", "metrics_listen")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is not None:
            parse_listen(value)
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @model_validator(mode="after")
    def _webhook_has_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET: needed with WEBHOOK_URL, so that only Telegram's requests are handled")
        return self

    @field_validator("school_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone, expected e.g. Europe/Moscow") from None
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of: {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("database_url", "console_database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("unmarked_periods")
    @classmethod
    def _grade_periods(cls, value: str) -> str:
        parse_unmarked_periods(value)
        return value

    @field_validator("staff_quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        try:
            parse_quiet_hours(value)
        except ValidationFailed:
            raise ValueError("expected hours off work as 20:00-08:00, or off") from None
        return value

    @field_validator("missing_data_time")
    @classmethod
    def _weekday_and_time(cls, value: str) -> str:
        parse_weekly_time(value)
        return value

    @property
    def missing_data_schedule(self) -> tuple[int, dt.time]:
        """(weekday 0 = Monday, time) of the weekly missing-data report."""
        return parse_weekly_time(self.missing_data_time)

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.school_timezone)

    @property
    def database_connections(self) -> int:
        """One per update handled at once, and a few for the delivery worker, the scheduler and reports."""
        return self.max_concurrent_updates + 8


WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def parse_listen(value: str) -> tuple[str, int]:
    """'127.0.0.1:8080' → ('127.0.0.1', 8080); port 0: any free one (tests)."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError("expected host:port, e.g. 127.0.0.1:8080")
    return host, int(port)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_RU = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


def parse_weekly_time(value: str) -> tuple[int, dt.time]:
    """'Mon 09:00' (or 'Пн 09:00') → (0, 09:00); a bare '09:00' means Monday."""
    parts = value.strip().lower().split()
    day = parts[0] if len(parts) == 2 else "mon"
    try:
        if len(parts) not in (1, 2):
            raise ValueError
        if day[:3] in WEEKDAYS:
            weekday = WEEKDAYS.index(day[:3])
        elif day[:2] in WEEKDAYS_RU:
            weekday = WEEKDAYS_RU.index(day[:2])
        else:
            raise ValueError
        return weekday, dt.time.fromisoformat(parts[-1])
    except ValueError:
        raise ValueError("expected a weekday and a time, e.g. Mon 09:00") from None


def school_clock(settings: Settings) -> SchoolClock:
    """The school's clock (services.school_clock), built once by whoever builds the rest: the bot's
    factory, the console, the command line."""
    return SchoolClock(
        settings.timezone,
        edit_grace=dt.timedelta(minutes=settings.edit_grace_minutes),
        absence_grace=dt.timedelta(seconds=settings.absence_grace_seconds),
    )


def conversation_rules(settings: Settings) -> ConversationRules:
    """MESSAGE_RATE_PER_HOUR and STAFF_QUIET_HOURS, as /write's services read them."""
    return ConversationRules(
        rate_per_hour=settings.message_rate_per_hour,
        staff_quiet=parse_quiet_hours(settings.staff_quiet_hours),
        timezone=settings.timezone,
    )


def deadline_of(settings: Settings) -> Deadline:
    """MARKS_DEADLINE in the school's time zone: what «late» is counted against (the reports, /control)."""
    return Deadline(settings.marks_deadline, settings.timezone)


async def store_school_settings(session_maker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """The settings the journal's own rules read with the school's reference (UNMARKED_PERIODS), stored
    where every path finds them: the bot, the console and the command line do this when they start."""
    async with session_maker() as session:
        await keep_unmarked_periods(session, settings.unmarked_periods)
        await session.commit()


class SettingsError(Exception):
    """One human line naming the key and what is wrong with it."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if first["loc"]:  # a rule across keys (model_validator) names its keys itself
            message = f"{str(first['loc'][0]).upper()}: {message}"
        raise SettingsError(message) from None

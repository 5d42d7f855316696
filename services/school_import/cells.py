"""Turning one cell's text into a typed value. Each parser raises ValueError with a short reason."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from models import StaffRole
from services.names import is_person_name, normalize_class_name, split_class_name
from services.school_import.report import ImportProblem

T = TypeVar("T")

_WEEKDAY_NAMES = (
    ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
    ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    tuple(str(number) for number in range(1, 8)),
)
WEEKDAYS: dict[str, int] = {name: number for names in _WEEKDAY_NAMES for number, name in enumerate(names, start=1)}

ROLES: dict[str, StaffRole] = {
    **{role.value: role for role in StaffRole},
    "учитель": StaffRole.TEACHER,
    "завуч": StaffRole.DEPUTY,
    "директор": StaffRole.DIRECTOR,
    "администратор": StaffRole.ADMIN,
}

_LIST_SEPARATORS = re.compile(r"[,;]")


@dataclass(frozen=True)
class ClassName:
    name: str  # normalised: "5А"
    grade: int
    letter: str


def parse_date(value: str) -> dt.date:
    # ISO as the spec asks; DD.MM.YYYY too, since that is how Russian spreadsheets show dates.
    return _first_format(value, ("%Y-%m-%d", "%d.%m.%Y"), "date (YYYY-MM-DD)").date()


def parse_time(value: str) -> dt.time:
    return _first_format(value, ("%H:%M", "%H:%M:%S"), "time (HH:MM)").time()


def _first_format(value: str, formats: tuple[str, ...], what: str) -> dt.datetime:
    for date_format in formats:
        try:
            return dt.datetime.strptime(value, date_format)
        except ValueError:
            continue
    raise ValueError(f"not a {what}: {value!r}")


def parse_weekday(value: str) -> int:
    number = WEEKDAYS.get(value.lower().rstrip("."))
    if number is None:
        raise ValueError(f"unknown weekday {value!r} (1–7, Пн…Вс, Mon…Sun)")
    return number


def parse_roles(value: str) -> frozenset[StaffRole]:
    roles = set()
    for name in split_list(value):
        role = ROLES.get(name.lower())
        if role is None:
            raise ValueError(f"unknown role {name!r} (teacher, deputy, director, admin)")
        roles.add(role)
    if not roles:
        raise ValueError("no role given")
    return frozenset(roles)


def parse_weight(value: str) -> float:
    try:
        weight = float(value.replace(",", "."))  # "1,5" is how a Russian locale writes 1.5
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None
    if not 0 < weight <= 100:
        raise ValueError("weight must be above 0 and at most 100")
    return weight


def whole_number(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"not a whole number: {value!r}") from None
        if not low <= number <= high:
            raise ValueError(f"must be from {low} to {high}")
        return number

    return parse


def person_name(max_length: int) -> Callable[[str], str]:
    """A person's full name as in documents (services.names.is_person_name), spaces tidied."""
    fits = limited(max_length)

    def parse(value: str) -> str:
        name = " ".join(fits(value).split())
        if not is_person_name(name):
            raise ValueError(
                "a name may hold only letters, spaces, hyphens and apostrophes (no digits, signs or markup)"
            )
        return name

    return parse


def limited(max_length: int) -> Callable[[str], str]:
    """Text that fits its column: PostgreSQL refuses longer strings, and we want that said per cell."""

    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        return value

    return parse


def parse_class_name(value: str) -> ClassName:
    parts = split_class_name(value)
    if parts is None:
        raise ValueError(f"not a class name like 5А: {value!r}")
    grade, letter = parts
    if not 1 <= grade <= 11:
        raise ValueError("grade must be from 1 to 11")
    name = normalize_class_name(value)
    if len(name) > 10 or len(letter) > 4:
        raise ValueError("class name too long")
    return ClassName(name=name, grade=grade, letter=letter)


def split_list(value: str) -> tuple[str, ...]:
    """'s1, s2;s3' → ('s1', 's2', 's3'), duplicates dropped, order kept."""
    items = (item.strip() for item in _LIST_SEPARATORS.split(value))
    return tuple(dict.fromkeys(item for item in items if item))


class RowReader:
    """Reads one spreadsheet row; every bad cell adds one problem and marks the row as failed."""

    def __init__(
        self,
        sheet: str,
        number: int,
        cells: Mapping[str, object],
        problems: list[ImportProblem],
        absent_columns: Collection[str],
    ) -> None:
        self.sheet = sheet
        self.number = number
        self._cells = cells
        self._problems = problems
        # Required columns missing from the header were reported once for the sheet; not again per row.
        self._absent_columns = absent_columns
        self.ok = True

    def raw(self, column: str) -> str:
        value = self._cells.get(column)
        return "" if value is None else str(value).strip()

    def fail(self, column: str | None, reason: str) -> None:
        self._problems.append(ImportProblem(self.sheet, self.number, column, reason))
        self.ok = False

    def parsed(
        self,
        column: str,
        parse: Callable[[str], T],
        *,
        required: bool = True,
        missing: str = "required value is missing",
    ) -> T | None:
        """The cell parsed; None (and a problem, if it is `required`, saying `missing`) when it is empty."""
        value = self.raw(column)
        if not value:
            if column in self._absent_columns:
                self.ok = False
            elif required:
                self.fail(column, missing)
            return None
        try:
            return parse(value)
        except ValueError as error:
            self.fail(column, str(error))
            return None

    def text(self, column: str, max_length: int, *, required: bool = True) -> str | None:
        return self.parsed(column, limited(max_length), required=required)

    def name(self, column: str, max_length: int) -> str | None:
        return self.parsed(column, person_name(max_length))

    def unique(self, column: str, key: Hashable | None, seen: dict[Hashable, int]) -> None:
        """Remembers the row a key first appeared in; a second appearance is a problem."""
        if key is None:
            return
        if key in seen:
            self.fail(column, f"duplicate of row {seen[key]}")
        else:
            seen[key] = self.number

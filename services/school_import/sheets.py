"""The workbook's layout: sheets, their columns, defaults and the template's example rows."""

from __future__ import annotations

import datetime as dt

# Sheet → columns, in the order the template writes them.
SHEETS: dict[str, tuple[str, ...]] = {
    "periods": ("name", "start", "end"),
    "holidays": ("name", "start", "end"),
    "subjects": ("name",),
    "work_types": ("name", "weight"),
    "staff": ("id", "full_name", "roles"),
    "classes": ("name", "grade", "homeroom_teacher"),
    "students": ("id", "full_name", "class", "birth_date"),
    "parents": ("id", "full_name", "children", "phone"),
    "subgroups": ("class", "subject", "subgroup", "students"),
    "assignments": ("teacher", "class", "subject", "subgroup", "marking"),
    "bells": ("lesson_no", "start", "end"),
    "timetable": ("class", "weekday", "lesson_no", "subject", "teacher", "room", "subgroup", "valid_from"),
    "consents": ("student", "parent", "given", "date", "document"),
}

# A school may leave these sheets out: holidays are then only the gaps between periods,
# and work types fall back to DEFAULT_WORK_TYPES.
# Consents (regulation 3.2) may be recorded in the bot instead. A school that splits no class into
# groups (подгруппы) for a subject has no subgroups.
OPTIONAL_SHEETS = frozenset({"holidays", "work_types", "consents", "subgroups"})

# Columns that may be left out of a sheet's header altogether.
OPTIONAL_COLUMNS: dict[str, frozenset[str]] = {
    "holidays": frozenset({"name"}),
    "classes": frozenset({"grade", "homeroom_teacher"}),
    "students": frozenset({"birth_date"}),
    "parents": frozenset({"phone"}),
    "assignments": frozenset({"subgroup", "marking"}),  # marking empty: marks
    "timetable": frozenset({"room", "subgroup", "valid_from"}),  # valid_from empty: the year's start
    "consents": frozenset({"document"}),
}

DEFAULT_WORK_TYPES: dict[str, float] = {
    "работа на уроке": 1.0,
    "самостоятельная работа": 2.0,
    "контрольная работа": 3.0,
    "домашняя работа": 1.0,
}

# Where a spreadsheet row's number travels inside a row dict.
ROW_NUMBER = "__row__"

SheetRows = dict[str, list[dict[str, str | int]]]


def required_columns(sheet: str) -> tuple[str, ...]:
    optional = OPTIONAL_COLUMNS.get(sheet, frozenset())
    return tuple(column for column in SHEETS[sheet] if column not in optional)


def first_year_of_school_year(today: dt.date) -> int:
    """The school year runs September to May; from July on, "this year" is the one about to start."""
    return today.year if today.month >= 7 else today.year - 1


def template_examples(first_year: int) -> dict[str, dict[str, str]]:
    """One row per sheet that, taken together, import cleanly (the template's promise)."""
    return {
        "periods": {"name": "1 полугодие", "start": f"{first_year}-09-01", "end": f"{first_year}-12-28"},
        "holidays": {"name": "осенние каникулы", "start": f"{first_year}-10-26", "end": f"{first_year}-11-04"},
        "subjects": {"name": "Математика"},
        "work_types": {"name": "контрольная работа", "weight": "3"},
        "staff": {"id": "t1", "full_name": "Иванова Мария Петровна", "roles": "teacher, deputy"},
        "classes": {"name": "5А", "grade": "5", "homeroom_teacher": "t1"},
        "students": {
            "id": "s1",
            "full_name": "Алексеев Артём Игоревич",
            "class": "5А",
            "birth_date": f"{first_year - 11}-03-14",
        },
        "parents": {
            "id": "p1",
            "full_name": "Алексеева Наталья Викторовна",
            "children": "s1",
            "phone": "+7 900 123-45-67",
        },
        # A group (подгруппа) is named alike in these three sheets; a class that is not split leaves
        # the subgroups sheet out and the subgroup cells empty.
        "subgroups": {"class": "5А", "subject": "Математика", "subgroup": "1", "students": "s1"},
        # marking: marks (or empty), none (безотметочный), pass_fail (зачёт); alike on a class–subject's rows
        "assignments": {"teacher": "t1", "class": "5А", "subject": "Математика", "subgroup": "1", "marking": "marks"},
        "bells": {"lesson_no": "1", "start": "08:30", "end": "09:15"},
        "timetable": {
            "class": "5А",
            "weekday": "Пн",
            "lesson_no": "1",
            "subject": "Математика",
            "teacher": "t1",
            "room": "21",
            "subgroup": "1",
            # The timetable from this date on (services.timetable_versions); empty: from the year's start.
            "valid_from": f"{first_year}-09-01",
        },
        # Signed before the school year: the example is never in the future, whatever the month.
        "consents": {
            "student": "s1",
            "parent": "p1",
            "given": "да",
            "date": f"{first_year}-06-01",
            "document": "ПДн-1",
        },
    }

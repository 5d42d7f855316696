"""The import of groups (подгруппы), and of a file with sheets or columns the import does not know.

Beside the demo school's own groups (5Б's English), these tests split 5А's English: group 1 (s1–s4)
with t4, group 2 (s5–s8) with a teacher the demo school does not have, t9, at the same hours.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Lesson, Mark, SchoolClass, Staff, Student, SubgroupMember, Subject, TimetableEntry, WorkType
from services.demo_school import ENGLISH, MATH
from services.school_import import check_rows, write_workbook
from services.school_import.sheets import SheetRows
from services.subgroups import groups_on
from tests.test_import import TODAY, count, demo, find, imported, snapshot

YEAR_START = dt.date(2026, 9, 1)
GROUPS = {"1": ("t4", "s1, s2, s3, s4"), "2": ("t9", "s5, s6, s7, s8")}
MONDAY, THIRD_LESSON = 1, 3  # 5А has English on Monday at the third lesson


def monday_english(sheets: SheetRows, group: str) -> dict:
    return find(sheets, "timetable", **{"class": "5А", "weekday": "Пн", "subject": ENGLISH, "subgroup": group})


def with_english_groups(sheets: SheetRows) -> SheetRows:
    """5А's English in two groups, each at every English hour of 5А with its own teacher."""
    sheets["staff"].append({"id": "t9", "full_name": "Морозова Екатерина Андреевна", "roles": "teacher"})
    sheets["subgroups"] += [
        {"class": "5А", "subject": ENGLISH, "subgroup": group, "students": pupils}
        for group, (_, pupils) in GROUPS.items()
    ]
    whole_class = find(sheets, "assignments", **{"class": "5А", "subject": ENGLISH})
    sheets["assignments"].remove(whole_class)
    sheets["assignments"] += [
        {**whole_class, "teacher": teacher, "subgroup": group} for group, (teacher, _) in GROUPS.items()
    ]
    english = [row for row in sheets["timetable"] if (row["class"], row["subject"]) == ("5А", ENGLISH)]
    for row in english:
        sheets["timetable"].remove(row)
        sheets["timetable"] += [
            {**row, "teacher": teacher, "subgroup": group} for group, (teacher, _) in GROUPS.items()
        ]
    return sheets


async def id_of(session: AsyncSession, model: type, **where: str) -> int:
    return await session.scalar(select(model.id).filter_by(**where).order_by(model.id))


async def english_groups(session: AsyncSession) -> dict[str, set[str]]:
    """Group → the pupils' ids, as the journal reads them for 5А's English on the year's first day."""
    class_id, subject_id = await id_of(session, SchoolClass, name="5А"), await id_of(session, Subject, name=ENGLISH)
    names = dict((await session.execute(select(Student.id, Student.external_id))).all())
    groups: dict[str, set[str]] = {}
    for student_id, group in (await groups_on(session, class_id, subject_id, YEAR_START)).items():
        groups.setdefault(group, set()).add(names[student_id])
    return groups


async def timetable_hour(session: AsyncSession, class_name: str, weekday: int, lesson_no: int) -> set[tuple]:
    """(subject, teacher, group) of each lesson the class has at that hour."""
    rows = await session.execute(
        select(Subject.name, Staff.external_id, TimetableEntry.subgroup)
        .join(Subject, Subject.id == TimetableEntry.subject_id)
        .join(Staff, Staff.id == TimetableEntry.staff_id)
        .join(SchoolClass, SchoolClass.id == TimetableEntry.class_id)
        .where(SchoolClass.name == class_name, TimetableEntry.weekday == weekday, TimetableEntry.lesson_no == lesson_no)
    )
    return set(rows.tuples())


# --- a file with groups ----------------------------------------------------------------------


async def test_groups_and_their_lessons_at_one_hour_are_stored(session: AsyncSession, tmp_path: Path) -> None:
    write_workbook(tmp_path / "school.xlsx", with_english_groups(demo()))

    report = await imported(session, tmp_path / "school.xlsx")

    assert report.ok and report.warnings == [], report.summary_lines()
    assert report.created["subgroup_members"] == 16  # 5А's eight and 5Б's
    assert await english_groups(session) == {"1": {"s1", "s2", "s3", "s4"}, "2": {"s5", "s6", "s7", "s8"}}
    assert set(await session.scalars(select(SubgroupMember.since))) == {YEAR_START}
    assert await timetable_hour(session, "5А", MONDAY, THIRD_LESSON) == {(ENGLISH, "t4", "1"), (ENGLISH, "t9", "2")}
    assert await timetable_hour(session, "5А", MONDAY, 1) == {("Математика", "t1", "")}
    assert await timetable_hour(session, "5Б", MONDAY, 2) == {(ENGLISH, "t4", "1"), (ENGLISH, "t6", "2")}  # the demo's


async def test_importing_the_groups_again_changes_nothing(session: AsyncSession) -> None:
    await imported(session, with_english_groups(demo()))
    before = await snapshot(session)

    report = await imported(session, with_english_groups(demo()))

    assert report.ok and not report.changed, report.summary_lines()
    assert report.unchanged["subgroup_members"] == 16
    assert await snapshot(session) == before


async def test_a_new_split_replaces_the_years_groups_and_keeps_the_journal(session: AsyncSession) -> None:
    await imported(session, with_english_groups(demo()))
    # Group 1's lesson on Monday 23.11, and s4's mark in it
    lesson = Lesson(
        class_id=await id_of(session, SchoolClass, name="5А"),
        subject_id=await id_of(session, Subject, name=ENGLISH),
        date=dt.date(2026, 11, 23),
        lesson_no=THIRD_LESSON,
        subgroup="1",
    )
    session.add(lesson)
    await session.flush()
    session.add(
        Mark(
            lesson_id=lesson.id,
            student_id=await id_of(session, Student, external_id="s4"),
            value=5,
            work_type_id=await id_of(session, WorkType),
            weight=1.0,
            author_staff_id=await id_of(session, Staff, external_id="t4"),
        )
    )
    await session.commit()
    sheets = with_english_groups(demo())
    find(sheets, "subgroups", **{"class": "5А", "subgroup": "1"})["students"] = "s1, s2, s3"
    find(sheets, "subgroups", **{"class": "5А", "subgroup": "2"})["students"] = "s4, s5, s6, s7, s8"

    report = await imported(session, sheets)

    assert report.ok, report.summary_lines()
    assert (report.updated, report.created, report.deleted) == ({"subgroup_members": 1}, {}, {})
    assert await english_groups(session) == {"1": {"s1", "s2", "s3"}, "2": {"s4", "s5", "s6", "s7", "s8"}}
    assert (await count(session, Lesson), await count(session, Mark)) == (1, 1)

    report = await imported(session, demo())  # 5А learns English as one class again

    assert report.ok, report.summary_lines()
    assert report.deleted == {"subgroup_members": 8, "assignments": 2, "timetable": 8}
    assert await english_groups(session) == {}
    assert (await count(session, Lesson), await count(session, Mark)) == (1, 1)


async def test_a_pupil_the_file_leaves_out_keeps_their_group(session: AsyncSession) -> None:
    await imported(session, with_english_groups(demo()))
    sheets = with_english_groups(demo())
    sheets["students"].remove(find(sheets, "students", id="s8"))
    sheets["parents"].remove(find(sheets, "parents", id="p9"))  # s8's only parent
    find(sheets, "subgroups", **{"class": "5А", "subgroup": "2"})["students"] = "s5, s6, s7"

    report = await imported(session, sheets)

    assert report.ok and report.missing_students == ["s8"], report.summary_lines()
    assert await english_groups(session) == {"1": {"s1", "s2", "s3", "s4"}, "2": {"s5", "s6", "s7", "s8"}}


# --- a file with mistakes in its groups ------------------------------------------------------


async def test_every_mistake_in_the_groups_is_reported_and_nothing_is_written(
    session: AsyncSession, tmp_path: Path
) -> None:
    sheets = with_english_groups(demo())
    sheets["subgroups"] = [  # rows 2 to 7; 5Б's groups, right, after them
        {"class": "5А", "subject": ENGLISH, "subgroup": "1", "students": "s1, s2, s3, s4, s9"},  # s9 is of 5Б
        {"class": "5А", "subject": ENGLISH, "subgroup": "2", "students": "s4, s5, s6, s7"},  # s4 twice, s8 nowhere
        {"class": "5А", "subject": ENGLISH, "subgroup": "3", "students": ""},
        {"class": "7В", "subject": "Математика", "subgroup": "1", "students": "s1"},
        {"class": "5Б", "subject": "Химия", "subgroup": "1", "students": "s9"},
        {
            "class": "1А",
            "subject": "Математика",
            "subgroup": "1",
            "students": "s17, s18, s19, s20, s21, s22, s23, s24, s99",
        },
    ] + [row for row in sheets["subgroups"] if row["class"] == "5Б"]
    group_four = monday_english(sheets, "2")
    group_four["subgroup"] = "4"
    maths_5b = find(sheets, "assignments", **{"class": "5Б", "subject": MATH})
    maths_5b["subgroup"] = "1"  # 5А's English and 5Б's English have a group 1; 5Б's maths has none
    write_workbook(tmp_path / "school.xlsx", sheets)

    report = await imported(session, tmp_path / "school.xlsx")

    assignment_row = sheets["assignments"].index(maths_5b) + 2
    timetable_row = sheets["timetable"].index(group_four) + 2
    assert [str(problem) for problem in report.problems] == [
        "subgroups, row 2, students: not pupils of 5А in the students sheet: 's9' (5Б)",
        "subgroups, row 3, students: already in another group of this subject: 's4' (group 1, row 2)",
        "subgroups, row 4, students: a group needs at least one pupil",
        "subgroups, row 5, class: unknown class '7В'",
        "subgroups, row 6, subject: unknown subject 'Химия'",
        "subgroups, row 7, students: unknown student id 's99'",
        "subgroups, row 2, students: pupils of 5А in no group of this subject: 's8'",
        f"assignments, row {assignment_row}, subgroup: no group '1' of 5Б in {MATH} in the subgroups sheet",
        f"timetable, row {timetable_row}, subgroup: no group '4' of 5А in {ENGLISH} in the subgroups sheet",
    ]
    assert all(rows == [] for rows in (await snapshot(session)).values()), "nothing may be written"


def test_a_group_of_commas_alone_has_no_pupils() -> None:
    sheets = with_english_groups(demo())
    sheets["subgroups"].append({"class": "5А", "subject": ENGLISH, "subgroup": "3", "students": " , ;"})

    report = check_rows(sheets, today=TODAY)

    assert [str(problem) for problem in report.problems] == [
        f"subgroups, row {len(sheets['subgroups']) + 1}, students: a group needs at least one pupil"
    ]


def test_a_group_name_is_letters_or_digits_that_fit_a_command_and_a_button() -> None:
    sheets = with_english_groups(demo())
    sheets["subgroups"].append({"class": "5Б", "subject": MATH, "subgroup": "1:a", "students": "s9"})
    sheets["subgroups"].append({"class": "5Б", "subject": MATH, "subgroup": "девочкиимальчики", "students": "s10"})

    problems = [str(problem) for problem in check_rows(sheets, today=TODAY).problems]

    rule = (
        "subgroup: a group is named by letters or digits, at most 10 (teachers type it after the subject, "
        "«англ/2», and it goes on buttons)"
    )
    rows = len(sheets["subgroups"])
    assert f"subgroups, row {rows}, {rule}" in problems and f"subgroups, row {rows + 1}, {rule}" in problems


CLASHES = [  # the second lesson at 5А's Monday English hour, and what the check says of it
    ({"subgroup": "2"}, None),
    ({"subgroup": "1"}, "duplicate of row {row}"),
    ({"subgroup": "1", "room": "5"}, "duplicate of row {row}"),
    (
        {"subgroup": "1", "teacher": "t9"},
        "5А already has a lesson at this time (row {row}); "
        "two lessons at once must be for two different groups (subgroup column)",
    ),
    (
        {"subgroup": ""},
        "5А already has a lesson at this time (row {row}); "
        "two lessons at once must be for two different groups (subgroup column)",
    ),
]


@pytest.mark.parametrize(("second", "reason"), CLASHES)
def test_two_lessons_of_a_class_at_one_hour_must_be_of_two_groups(second: dict, reason: str | None) -> None:
    sheets = with_english_groups(demo())
    group_one = monday_english(sheets, "1")
    sheets["timetable"].remove(monday_english(sheets, "2"))
    sheets["timetable"].append({**group_one, **second})

    report = check_rows(sheets, today=TODAY)

    clashes = [str(problem) for problem in report.problems]
    if reason is None:
        assert clashes == []
    else:
        first = sheets["timetable"].index(group_one) + 2
        assert clashes == [f"timetable, row {len(sheets['timetable']) + 1}, lesson_no: {reason.format(row=first)}"]


# --- sheets and columns the import does not know --------------------------------------------


async def test_an_unknown_sheet_or_column_is_a_problem_and_nothing_is_written(
    session: AsyncSession, tmp_path: Path
) -> None:
    sheets = demo()
    sheets["Timetabel"] = sheets.pop("timetable")
    for row in sheets["assignments"]:
        row["Subgroupp"] = row.pop("subgroup")
    write_workbook(tmp_path / "school.xlsx", sheets)

    report = await imported(session, tmp_path / "school.xlsx")

    assert [str(problem) for problem in report.problems] == [
        "timetabel: unknown sheet (the sheets are: periods, holidays, subjects, work_types, staff, classes, "
        "students, parents, subgroups, assignments, bells, timetable, consents)",
        "assignments, row 1, subgroupp: unknown column (the columns of assignments are: teacher, class, subject, "
        "subgroup, marking)",
        "timetable: sheet is missing",
    ]
    assert all(rows == [] for rows in (await snapshot(session)).values()), "nothing may be written"


async def test_an_empty_unknown_sheet_is_named_among_the_warnings_and_the_rest_imports(
    session: AsyncSession, tmp_path: Path
) -> None:
    """A spreadsheet's default empty «Лист1» loses nothing: it is named, and the school is imported."""
    sheets = demo()
    sheets["Лист1"] = []
    write_workbook(tmp_path / "school.xlsx", sheets)

    report = await imported(session, tmp_path / "school.xlsx")

    assert report.problems == []
    assert [str(warning) for warning in report.warnings if "unknown sheet" in str(warning)] == [
        "лист1: unknown sheet (the sheets are: periods, holidays, subjects, work_types, staff, classes, "
        "students, parents, subgroups, assignments, bells, timetable, consents); it is empty and was skipped"
    ]
    assert (await snapshot(session))["subgroup_members"], "the school is imported"

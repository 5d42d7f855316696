"""A demo year of the journal and how to read an archive's folder, for the archive's tests."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from sqlalchemy import select

from models import Lesson, StaffRole, YearArchive
from services import movement
from services.actor import Actor
from tests import journal_data as data

MOSCOW = ZoneInfo("Europe/Moscow")
YEAR = "2026-2027"  # the demo school's year, as a folder name
SEPT_2, SEPT_4, NOV_5 = dt.date(2026, 9, 2), dt.date(2026, 9, 4), dt.date(2026, 11, 5)
JOURNAL_5A = f"5А/journal_5А_{YEAR}-учебный-год"  # the class's whole journal, a subject after another


async def a_year_of_lessons(session, session_maker) -> None:
    """5А's mathematics in two terms (marks, two marks, codes, an explanation, a removed mark), its
    Russian, 1А's mathematics, 5Б's English in two groups; Зайцева leaves 5А on 1 October."""
    first = await data.lesson(session, "5А", "матем", SEPT_2, 1)
    first.topic, first.homework = "Натуральные числа", "№ 12, 15"
    await data.add_mark(session, "s1", "матем", SEPT_2, 5)
    await data.add_mark(session, "s2", "матем", SEPT_2, 3)
    await data.add_mark(session, "s2", "матем", SEPT_2, 4, slot=2)
    await data.add_absence(session, "s3", "матем", SEPT_2, "н")
    await data.add_absence(session, "s4", "матем", SEPT_2, "б")
    await data.add_absence(session, "s5", "матем", SEPT_2, "оп")
    await data.add_mark(session, "s5", "матем", SEPT_2, 4)
    await data.add_absence(session, "s7", "матем", SEPT_2, "н", explanation="уп")
    await data.add_mark(session, "s6", "матем", SEPT_2, 2, deleted=True)
    await data.add_absence(session, "s6", "матем", SEPT_2, "н", deleted=True)
    second = await data.lesson(session, "5А", "матем", SEPT_4, 2)
    second.topic = "Сложение"
    await data.add_mark(session, "s1", "матем", SEPT_4, 4, lesson_no=2)
    autumn = await data.lesson(session, "5А", "матем", NOV_5, 1)
    autumn.topic, autumn.homework = "Дроби", "стр. 40"
    (await data.lesson(session, "5А", "русск", SEPT_2, 2, teacher="t2")).topic = "Фонетика"
    await data.add_absence(session, "s17", "матем", SEPT_2, "н", teacher="t3")
    (await data.lesson(session, "1А", "матем", SEPT_2, 1, teacher="t3")).topic = "Счёт до 10"
    english = (await data.subject(session, "англ")).id
    for group, teacher in (("1", "t4"), ("2", "t6")):
        session.add(
            Lesson(
                class_id=await data.class_id(session, "5Б"),
                subject_id=english,
                date=dt.date(2026, 9, 7),
                lesson_no=3,
                subgroup=group,
                teacher_id=await data.staff_id(session, teacher),
                topic=f"Unit 1, группа {group}",
            )
        )
    await session.flush()
    await session.commit()
    admin = Actor(staff_id=await data.staff_id(session, "a1"), staff_roles=frozenset({StaffRole.ADMIN}))
    zaytseva = await data.student(session, "s8")
    await movement.leave(session, admin, student_id=zaytseva.id, day=dt.date(2026, 10, 1), today=dt.date(2026, 11, 26))
    await session.commit()


def folder_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def manifest_of(folder: Path) -> dict[str, str]:
    lines = (folder / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    return {path: digest for digest, path in (line.split("  ", 1) for line in lines)}


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


async def archive_rows(session_maker) -> list[YearArchive]:
    async with session_maker() as check:
        return list(await check.scalars(select(YearArchive)))

"""The year-end archive: the journal as the paper journal lays it out, the extract of the corrections, and
the folder with its manifest (the director's confirmation: tests.test_archive_confirmation)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import event

from models import AuditEntry, FinalMark, Lesson
from services.errors import NotFound
from services.reports.archive import archive_year, write_archive
from services.reports.audit_extract import audit_extract
from services.reports.document import Table
from services.reports.journal_pages import journal_books
from tests import journal_data as data
from tests.archive_data import (
    JOURNAL_5A,
    MOSCOW,
    SEPT_2,
    YEAR,
    a_year_of_lessons,
    archive_rows,
    folder_files,
    manifest_of,
    pdf_text,
)

pytestmark = pytest.mark.usefixtures("school")


# --- the journal of a demo year -----------------------------------------------------------------------


# --- the journal pages ----------------------------------------------------------------------------------


def titles(table: Table) -> list[str]:
    return [column.title for column in table.columns]


async def test_the_journal_lays_out_the_class_list_the_dated_lessons_and_the_facing_page(
    session, session_maker
) -> None:
    await a_year_of_lessons(session, session_maker)

    books = await journal_books(session, await data.class_id(session, "5А"), await data.year(session))

    assert [(book.subject, book.subgroup) for book in books] == [("Математика", ""), ("Русский язык", "")]
    math = books[0].document
    assert (math.kind, math.title, math.about, math.scope) == (
        "journal",
        "Классный журнал",
        "5А, Математика",
        "2026/2027 учебный год",
    )
    assert [table.title for table in math.tables] == [
        "1 четверть — отметки, пропуски",
        "1 четверть — темы, задания",
        "2 четверть — отметки, пропуски",
        "2 четверть — темы, задания",
    ]
    left, right, left_autumn, right_autumn = math.tables
    assert titles(left) == ["№", "ФИО", "02.09", "04.09"]
    assert left.key_columns == 2
    assert left.rows == (
        (1, "Алексеев Артём Игоревич", "5", "4"),
        (2, "Белова Софья Дмитриевна", "3/4", ""),
        (3, "Васильев Кирилл Андреевич", "н", ""),
        (4, "Горбунова Алиса Романовна", "б", ""),
        (5, "Дмитриев Егор Олегович", "4 оп", ""),
        (6, "Егорова Виктория Сергеевна", "", ""),  # her removed mark and absence are not printed
        (7, "Жуков Матвей Алексеевич", "уп", ""),  # the class teacher's explanation replaces «н»
        (8, "Зайцева Дарья Павловна (выбыла 01.10.2026)", "", ""),
    )
    assert titles(right) == ["Дата", "Урок", "Тема урока", "Домашнее задание", "Учитель"]
    assert right.rows == (
        ("02.09", 1, "Натуральные числа", "№ 12, 15", "Иванова Мария Петровна"),
        ("04.09", 2, "Сложение", "", "Иванова Мария Петровна"),
    )
    assert titles(left_autumn) == ["№", "ФИО", "05.11"]
    assert right_autumn.rows == (("05.11", 1, "Дроби", "стр. 40", "Иванова Мария Петровна"),)


async def test_a_class_split_into_groups_has_a_journal_for_each_group_with_its_own_list(session, session_maker) -> None:
    await a_year_of_lessons(session, session_maker)

    books = await journal_books(session, await data.class_id(session, "5Б"), await data.year(session))

    assert [book.document.about for book in books] == ["5Б, Английский язык, группа 1", "5Б, Английский язык, группа 2"]
    second = books[1].document.tables[0]
    assert [row[:2] for row in second.rows] == [
        (1, "Медведева Мария Артёмовна"),
        (2, "Никитин Даниил Евгеньевич"),
        (3, "Орлов Глеб Константинович"),
        (4, "Павлова Ксения Максимовна"),
    ]
    assert books[1].document.tables[1].rows == (("07.09", 3, "Unit 1, группа 2", "", "Фролова Наталья Сергеевна"),)


async def test_the_first_grade_journal_keeps_attendance_and_topics_only(session, session_maker) -> None:
    await a_year_of_lessons(session, session_maker)

    [book] = await journal_books(session, await data.class_id(session, "1А"), await data.year(session))

    left, right = book.document.tables
    assert left.title == "1 четверть — посещаемость"
    assert left.rows[0] == (1, "Алексеева Полина Игоревна", "н")
    assert titles(right) == ["Дата", "Урок", "Тема урока", "Учитель"]
    assert right.rows == (("02.09", 1, "Счёт до 10", "Смирнова Анна Олеговна"),)


async def test_a_whole_year_of_the_class_is_read_in_the_same_number_of_statements(
    engine, session, session_maker
) -> None:
    await a_year_of_lessons(session, session_maker)
    class_id, year = await data.class_id(session, "5А"), await data.year(session)

    async def statements() -> int:
        counted = []
        listener = lambda *args: counted.append(1)  # noqa: E731
        event.listen(engine.sync_engine, "before_cursor_execute", listener)
        try:
            async with session_maker() as fresh:
                await journal_books(fresh, class_id, year)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", listener)
        return len(counted)

    few = await statements()
    for day in range(7, 28):
        await data.add_mark(session, "s1", "матем", dt.date(2026, 10, day), 5, lesson_no=3)
        await data.add_absence(session, "s2", "русск", dt.date(2026, 10, day), "н", lesson_no=4, teacher="t2")
    await session.commit()

    assert await statements() == few


# --- the extract of the corrections -----------------------------------------------------------------------


def moment(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A September moment in UTC (Moscow is three hours ahead)."""
    return dt.datetime(2026, 9, day, hour, minute, tzinfo=dt.timezone.utc)


def mark_state(value: int) -> dict:
    return {"value": value, "slot": 1, "work_type": "контрольная работа", "weight": 3.0}


async def corrections_of_september(session) -> None:
    lesson = await data.lesson(session, "5А", "матем", SEPT_2, 1)
    s1, s3 = (await data.student(session, "s1")).id, (await data.student(session, "s3")).id
    t1, d1 = await data.staff_id(session, "t1"), await data.staff_id(session, "d1")
    entry = dict(entity_id=1, lesson_id=lesson.id, actor_staff_id=t1)
    session.add_all(
        [
            AuditEntry(
                **entry, entity="mark", action="create", student_id=s1, at=moment(2, 9), after=mark_state(3)
            ),  # the first entry: not a correction
            AuditEntry(
                **entry,
                entity="mark",
                action="update",
                student_id=s1,
                at=moment(3, 10, 15),
                before=mark_state(3),
                after=mark_state(5),
                reason="ошибка при вводе",
            ),
            AuditEntry(
                **{**entry, "actor_staff_id": d1},
                entity="attendance",
                action="delete",
                student_id=s3,
                at=moment(4, 7),
                before={"code": "н"},
                reason="был на олимпиаде",
            ),
            AuditEntry(
                **entry,
                entity="attendance",
                action="update",
                student_id=s3,
                at=moment(3, 12),
                before={"code": "н", "explanation": None},
                after={"code": "н", "explanation": "уп"},
            ),
            AuditEntry(  # written by the deputy into a lesson she does not teach: the journal asked why
                **{**entry, "actor_staff_id": d1},
                entity="mark",
                action="create",
                student_id=s3,
                at=moment(5, 8),
                after={**mark_state(4), "slot": 2},
                reason="работа сдана позже",
            ),
        ]
    )
    other_class = await data.lesson(session, "5Б", "матем", SEPT_2, 2)
    session.add(
        AuditEntry(
            entity="mark",
            entity_id=2,
            lesson_id=other_class.id,
            actor_staff_id=t1,
            action="update",
            student_id=(await data.student(session, "s9")).id,
            at=moment(3, 11),
            before=mark_state(2),
            after=mark_state(3),
            reason="не тот ученик",
        )
    )
    first_term = await data.period(session, 1)
    final = FinalMark(
        student_id=(await data.student(session, "s2")).id,
        subject_id=(await data.subject(session, "матем")).id,
        year_id=(await data.year(session)).id,
        period_id=first_term.id,
        value=4,
        set_by_staff_id=t1,
    )
    session.add(final)
    await session.flush()
    session.add(
        AuditEntry(
            entity="final_mark",
            entity_id=final.id,
            student_id=final.student_id,
            actor_staff_id=d1,
            action="update",
            at=dt.datetime(2026, 10, 30, 6, 30, tzinfo=dt.timezone.utc),
            before={"value": None, "special": "na", "subject_id": final.subject_id, "period_id": first_term.id},
            after={"value": 4, "special": "", "subject_id": final.subject_id, "period_id": first_term.id},
            reason="пересдача",
        )
    )
    await session.commit()


async def test_the_audit_extract_lists_every_correction_with_who_when_before_after_and_why(session) -> None:
    await corrections_of_september(session)

    extract = await audit_extract(session, await data.class_id(session, "5А"), await data.year(session), MOSCOW)

    [table] = extract.tables
    assert titles(table) == ["№", "Когда", "Кто", "Ученик", "Урок", "Что", "Было", "Стало", "Причина"]
    assert table.rows == (
        (
            1,
            "03.09.2026 13:15",
            "Иванова Мария Петровна",
            "Алексеев Артём Игоревич",
            "02.09.2026, Математика",
            "отметка: изменение",
            "3 (контрольная работа)",
            "5 (контрольная работа)",
            "ошибка при вводе",
        ),
        (
            2,
            "03.09.2026 15:00",
            "Иванова Мария Петровна",
            "Васильев Кирилл Андреевич",
            "02.09.2026, Математика",
            "посещаемость: изменение",
            "н",
            "н, объяснено: уп",
            "",
        ),
        (
            3,
            "04.09.2026 10:00",
            "Кузнецова Ольга Викторовна",
            "Васильев Кирилл Андреевич",
            "02.09.2026, Математика",
            "посещаемость: удаление",
            "н",
            "—",
            "был на олимпиаде",
        ),
        (
            4,
            "05.09.2026 11:00",
            "Кузнецова Ольга Викторовна",
            "Васильев Кирилл Андреевич",
            "02.09.2026, Математика",
            "отметка: запись",
            "—",
            "4 (2-я отметка за урок, контрольная работа)",
            "работа сдана позже",
        ),
        (
            5,
            "30.10.2026 09:30",
            "Кузнецова Ольга Викторовна",
            "Белова Софья Дмитриевна",
            "1 четверть, Математика",
            "итоговая отметка: изменение",
            "н/а",
            "4",
            "пересдача",
        ),
    )
    assert (extract.kind, extract.about, extract.made_on) == ("audit", "5А", None)


# --- the archive's folder ------------------------------------------------------------------------------------


async def test_the_archive_is_a_folder_per_class_and_for_the_school_with_a_manifest_of_every_file(
    session, session_maker, tmp_path
) -> None:
    await a_year_of_lessons(session, session_maker)
    year = await data.year(session)

    result = await write_archive(session, year, tmp_path / "first", timezone=MOSCOW)
    await session.commit()

    files = folder_files(tmp_path / "first")
    listed = manifest_of(tmp_path / "first")
    assert sorted(listed) == list(listed)  # sha256sum's format, the paths in order
    assert set(files) == {*listed, "MANIFEST.sha256", "00_titul.pdf"}  # the title page is not in the manifest
    assert {path: hashlib.sha256(files[path]).hexdigest() for path in listed} == listed
    assert result.files == len(listed)
    assert result.manifest_sha256 == hashlib.sha256(files["MANIFEST.sha256"]).hexdigest()
    summary_5a = f"5А/summary_5А_{YEAR}-учебный-год"
    assert {
        f"{JOURNAL_5A}.pdf",
        f"{summary_5a}.pdf",
        f"{summary_5a}.xlsx",
        f"5А/audit_5А_{YEAR}-учебный-год.pdf",
    } <= set(listed)
    assert f"{JOURNAL_5A}.xlsx" not in listed  # the journal is kept as the paper copy is
    kinds = {(path.split("/")[0], path.split("/")[1].split("_")[0]) for path in listed}
    assert kinds == {
        *((name, kind) for name in ("1А", "5А", "5Б") for kind in ("journal", "summary", "movement", "audit")),
        ("школа", "results"),
        ("школа", "keeping"),
    }
    school_files = [path for path in listed if path.startswith("школа/")]
    assert len(school_files) == (5 + 4) * 2  # results for 4 terms and the year, keeping for 4 terms; PDF and XLSX
    title = pdf_text(tmp_path / "first" / "00_titul.pdf")
    for expected in ("Архив электронного журнала", "2026/2027", result.manifest_sha256, "не подтверждено", "5Б"):
        assert expected in title.replace("\n", "")

    # Written again by a thread rather than worker processes: the same bytes either way.
    again = await write_archive(session, year, tmp_path / "second", timezone=MOSCOW, workers=1)
    await session.commit()

    assert again.manifest_sha256 == result.manifest_sha256
    assert folder_files(tmp_path / "second") == files  # byte for byte, the title page too
    [row] = await archive_rows(session_maker)
    assert (row.id, row.manifest_sha256, row.confirmed_at) == (result.archive_id, result.manifest_sha256, None)


async def test_a_changed_journal_is_a_new_archive_and_the_folder_keeps_only_its_files(
    session, session_maker, tmp_path
) -> None:
    folder = tmp_path / "archive"  # (the test's database is in tmp_path)
    await a_year_of_lessons(session, session_maker)
    history_mark = await data.add_mark(session, "s1", "истор", SEPT_2, 5, lesson_no=3, teacher="d1")
    await session.commit()
    year = await data.year(session)
    before = await write_archive(session, year, folder, timezone=MOSCOW, workers=1)
    await session.commit()
    journal = folder / f"{JOURNAL_5A}.pdf"
    assert "История" in pdf_text(journal)
    # A file an earlier run listed that this run no longer makes (a class gone from the year, say).
    (folder / "5А" / "old.pdf").write_bytes(b"%PDF")
    (folder / "MANIFEST.sha256").write_text(manifest_text(folder) + "0" * 64 + "  5А/old.pdf\n", encoding="utf-8")

    # History's only lesson goes (as test data may): its pages leave the journal, and the old file the folder.
    await session.delete(history_mark)
    await session.delete(await session.get(Lesson, history_mark.lesson_id))
    await session.commit()
    after = await write_archive(session, year, folder, timezone=MOSCOW, workers=1)
    await session.commit()

    assert after.manifest_sha256 != before.manifest_sha256
    assert "История" not in pdf_text(journal)
    assert not (folder / "5А" / "old.pdf").exists()
    assert set(folder_files(folder)) == {*manifest_of(folder), "MANIFEST.sha256", "00_titul.pdf"}
    assert len(await archive_rows(session_maker)) == 2


def manifest_text(folder: Path) -> str:
    return (folder / "MANIFEST.sha256").read_text(encoding="utf-8")


async def test_the_year_is_named_by_the_year_it_starts_in(session) -> None:
    today = dt.date(2026, 11, 26)
    assert (await archive_year(session, today)).name == "2026/2027"  # none has ended: the current one
    assert (await archive_year(session, today, 2026)).name == "2026/2027"
    with pytest.raises(NotFound) as refused:
        await archive_year(session, today, 2031)
    assert (refused.value.key, refused.value.args_for_message["year"]) == ("archive-unknown-year", "2031/2032")


async def test_the_archived_keeping_counts_late_by_the_schools_own_deadline(
    session, session_maker, monkeypatch
) -> None:
    from zoneinfo import ZoneInfo

    from services.journal_fill import Deadline
    from services.reports import catalogue
    from services.reports.archive import archive_documents

    asked = []
    real = catalogue.BUILDERS["keeping"]

    async def keeping(session, request):
        asked.append(request.deadline)
        return await real(session, request)

    monkeypatch.setitem(catalogue.BUILDERS, "keeping", keeping)
    await a_year_of_lessons(session, session_maker)
    own = Deadline(dt.time(15, 30), ZoneInfo("Asia/Yekaterinburg"))  # MARKS_DEADLINE and the school's zone
    kinds = [
        item.document.kind
        async for item in archive_documents(session, await data.year(session), timezone=MOSCOW, deadline=own)
    ]
    assert kinds.count("keeping") == 4 and asked == [own] * 4

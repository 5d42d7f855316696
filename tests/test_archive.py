"""The year-end archive: the journal as the paper journal lays it out, the extract of the corrections,
the folder with its manifest, and the director's confirmation printed on the title page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import event, select

from bot import cli
from models import AuditEntry, FinalMark, Lesson, OutboxMessage, Staff, StaffRole, YearArchive
from services import movement
from services.actor import Actor
from services.errors import AccessDenied, NotFound
from services.reports.archive import archive_year, write_archive
from services.reports.archive_confirmation import confirm, confirm_and_print, write_for_director
from services.reports.audit_extract import audit_extract
from services.reports.document import Table
from services.reports.journal_pages import journal_books
from tests import journal_data as data
from tests.conftest import make_settings
from tests.delivery_helpers import deliver, show_last_buttons
from tests.people import actor_for, signed_in

pytestmark = pytest.mark.usefixtures("school")

MOSCOW = ZoneInfo("Europe/Moscow")
YEAR = "2026-2027"  # the demo school's year, as a folder name
SEPT_2, SEPT_4, NOV_5 = dt.date(2026, 9, 2), dt.date(2026, 9, 4), dt.date(2026, 11, 5)
JOURNAL_5A = f"5А/journal_5А_{YEAR}-учебный-год"  # the class's whole journal, a subject after another


# --- the journal of a demo year -----------------------------------------------------------------------


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


# --- the director's confirmation ------------------------------------------------------------------------------


async def test_only_the_director_confirms_and_the_title_page_then_says_who_and_when(
    session, session_maker, tmp_path
) -> None:
    await a_year_of_lessons(session, session_maker)
    admin = await actor_for(session_maker, "a1", 5001)
    teacher = await actor_for(session_maker, "t1", 5002)
    director = await actor_for(session_maker, "dir1", 5003)
    written = await write_for_director(
        session, admin, tmp_path, dt.date(2026, 11, 26), 2026, timezone=MOSCOW, workers=1
    )
    await session.commit()
    archive_id = written.result.archive_id
    assert written.result.folder == tmp_path / YEAR
    assert written.directors_asked == 1
    async with session_maker() as check:
        [notice] = await check.scalars(select(OutboxMessage).where(OutboxMessage.kind == "archive_ready"))
        assert notice.payload["archive_id"] == archive_id

    for someone in (teacher, admin):
        with pytest.raises(AccessDenied) as refused:
            await confirm(session, someone, archive_id)
        assert refused.value.key == "archive-director-only"
    await session.rollback()
    [row] = await archive_rows(session_maker)
    assert (row.confirmed_by_staff_id, row.confirmed_at) == (None, None)

    pressed = dt.datetime(2027, 6, 1, 11, 5, tzinfo=MOSCOW)
    with time_machine.travel(pressed, tick=False):
        confirmation = await confirm_and_print(session, director, archive_id, tmp_path, timezone=MOSCOW)
        await session.commit()

    assert (confirmation.director, confirmation.already, confirmation.at) == (
        "Соколов Андрей Николаевич",
        False,
        pressed.astimezone(dt.timezone.utc),
    )
    assert confirmation.title == tmp_path / YEAR / "00_titul.pdf"
    title = pdf_text(confirmation.title).replace("\n", "")
    assert "Соколов Андрей Николаевич, 01.06.2027 11:05" in title
    [row] = await archive_rows(session_maker)
    async with session_maker() as check:
        assert await check.scalar(select(Staff.full_name).where(Staff.id == row.confirmed_by_staff_id)) == (
            "Соколов Андрей Николаевич"
        )

    # Pressed again a day later: nothing changes, and the answer says when it was confirmed.
    with time_machine.travel(pressed + dt.timedelta(days=1), tick=False):
        twice = await confirm(session, director, archive_id)
        await session.commit()
    assert (twice.already, twice.at) == (True, confirmation.at)

    # The same content written again: confirmed already, so nobody is asked; the title page keeps it.
    rewritten = await write_for_director(
        session, admin, tmp_path, dt.date(2026, 11, 26), 2026, timezone=MOSCOW, workers=1
    )
    await session.commit()
    assert rewritten.directors_asked == 0
    assert rewritten.result.confirmed is not None and rewritten.result.confirmed.director == confirmation.director
    assert "Соколов Андрей Николаевич, 01.06.2027 11:05" in pdf_text(tmp_path / YEAR / "00_titul.pdf").replace("\n", "")


# --- the command line and the chat -------------------------------------------------------------------------------


async def test_the_command_line_writes_the_year_and_names_an_unknown_one(
    session, session_maker, database_url, tmp_path, capsys
) -> None:
    await a_year_of_lessons(session, session_maker)
    settings = make_settings(database_url, archive_workers=1)
    parse = cli.build_parser().parse_args

    assert await cli.cmd_archive(settings, parse(["archive", "--year", "2031", "--out", str(tmp_path)])) == 1
    assert capsys.readouterr().err.strip() == "The journal has no 2031/2032 school year. It has: 2026/2027."

    assert await cli.cmd_archive(settings, parse(["archive", "--out", str(tmp_path / "a")])) == 0
    printed = capsys.readouterr().out.splitlines()
    listed = manifest_of(tmp_path / "a")
    digest = hashlib.sha256((tmp_path / "a" / "MANIFEST.sha256").read_bytes()).hexdigest()
    assert printed == [
        f"the archive of 2026/2027 is in {tmp_path / 'a'}",
        f"{len(listed)} files; MANIFEST.sha256 {digest}",
        "not confirmed yet: the director confirms it in the chat (/archive)",
    ]


@pytest.fixture
def settings(database_url: str, tmp_path: Path):
    return make_settings(database_url, archive_dir=tmp_path / "archives", archive_workers=1)


async def test_the_administrator_archives_in_the_chat_and_the_director_confirms_with_the_button(
    harness, session, session_maker, settings
) -> None:
    await a_year_of_lessons(session, session_maker)
    admin = await signed_in(harness, session_maker, "a1", 6001)
    teacher = await signed_in(harness, session_maker, "t1", 6002)
    director = await signed_in(harness, session_maker, "dir1", 6003)

    assert await teacher.sends("/archive") == ["Это может только администратор журнала."]
    answers = await admin.sends("/archive 2026")

    [row] = await archive_rows(session_maker)
    folder = settings.archive_dir / YEAR
    assert answers == [
        "Записываю архив журнала. Для большой школы это займёт около минуты…",
        f"Архив журнала за 2026/2027 учебный год записан в папку {folder}\n"
        f"Файлов: {len(manifest_of(folder))}. Контрольная сумма MANIFEST.sha256:\n"
        f"<code>{row.manifest_sha256}</code>\n"
        "Директору отправлена кнопка «Подтвердить архив».",
    ]

    await deliver(harness.bot, session_maker, settings)
    [notice] = harness.sent_to(6003)
    assert notice.startswith("🗄 Архив журнала за 2026/2027 учебный год готов.")
    assert row.manifest_sha256 in notice
    assert show_last_buttons(harness, director) == ["Подтвердить архив"]

    forged = director.last_markup.inline_keyboard[0][0].callback_data
    assert await teacher.presses(forged) == ["Подтвердить архив может только директор."]
    [row] = await archive_rows(session_maker)
    assert row.confirmed_at is None

    with time_machine.travel(dt.datetime(2027, 6, 1, 11, 5, tzinfo=MOSCOW), tick=False):
        answers = await director.clicks("Подтвердить архив")

    assert answers == [
        "Архив за 2026/2027 учебный год подтверждён: Соколов Андрей Николаевич, 01.06.2027 11:05.\n"
        f"Контрольная сумма: <code>{row.manifest_sha256}</code>\n"
        f"Титульный лист с подтверждением: {folder / '00_titul.pdf'}",
        "Архив подтверждён.",
    ]
    [row] = await archive_rows(session_maker)
    assert row.confirmed_at is not None
    assert "Соколов Андрей Николаевич, 01.06.2027 11:05" in pdf_text(folder / "00_titul.pdf").replace("\n", "")

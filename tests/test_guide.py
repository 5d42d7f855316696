"""`python -m bot guide`: each role's instruction for the school's website (regulation 3.4), written from
the same texts /help shows, in Markdown or PDF, in Russian or English."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from bot.cli import build_parser, cmd_guide, main
from bot.i18n import get_translator
from models import SchoolSettings
from services.help_topics import GUIDE_ROLES, example_args, help_keys
from tests.conftest import SCHOOL_TODAY, make_settings

COMMAND = re.compile(r"^/[a-z]+", re.MULTILINE)
NO_DATABASE = "sqlite+aiosqlite:///{folder}/absent.db"
# A command of another role that must stay out of each guide.
NOT_IN = {"parent": "/mark", "student": "/child", "teacher": "/enrol", "class-teacher": "/journal", "deputy": "/grades"}


def commands_of(role: str, language: str) -> set[str]:
    """The commands /help shows someone in this role, read from the help texts themselves."""
    translate, examples = get_translator(language), example_args(SCHOOL_TODAY)
    return {
        command
        for key in help_keys(GUIDE_ROLES[role])
        for command in COMMAND.findall(html.unescape(translate(key, **examples)))
    }


async def write_guide(database_url: str, out: Path, *options: str) -> str:
    """Runs the subcommand as the command line would; returns the guide's text (a PDF's: extracted)."""
    args = build_parser().parse_args(["guide", *options, "--out", str(out)])
    assert await cmd_guide(make_settings(database_url), args) == 0
    if args.format == "md":
        return out.read_text(encoding="utf-8")
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())  # as read, whatever the line breaks


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("form", ["md", "pdf"])
@pytest.mark.parametrize("role", list(GUIDE_ROLES))
async def test_each_guide_lists_the_commands_help_shows_that_role(tmp_path, role, form, language) -> None:
    out = tmp_path / f"{role}.{form}"

    text = await write_guide(
        NO_DATABASE.format(folder=tmp_path), out, "--role", role, "--format", form, "--language", language
    )

    translate = get_translator(language)
    assert translate("guide-title", role=role) in text
    for command in commands_of(role, language) | {"/start", "/help"}:
        assert command in text
    assert NOT_IN[role] not in text
    assert "&lt;" not in text and "<b>" not in text  # read back from the chat's HTML
    assert not (tmp_path / "absent.db").exists()  # no database is made for a guide


async def test_markdown_has_a_heading_per_section_and_the_commands_as_a_list(tmp_path) -> None:
    text = await write_guide(
        NO_DATABASE.format(folder=tmp_path), tmp_path / "guide.md", "--role", "class-teacher", "--format", "md"
    )

    assert text.startswith("# Инструкция для классных руководителей\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Для всех", "## Учитель", "## Классный руководитель"]
    assert "- `/grades" not in text
    assert "- `/mark <класс> <предмет> [дата] [#вид работы] <№>:<отметка> …` — отметки по номерам" in text
    assert "- `/invite class pdf` — те же приглашения листками для печати" in text
    assert "\nБез даты — сегодня." in text  # an explanation, not a command: a paragraph


async def test_the_guide_names_the_school_from_the_database(school, database_url, session_maker, tmp_path) -> None:
    async with session_maker() as session:
        await session.execute(update(SchoolSettings).values(name="МБОУ «Школа № 7»"))
        await session.commit()

    markdown = await write_guide(database_url, tmp_path / "p.md", "--role", "parent", "--format", "md")
    pdf = await write_guide(database_url, tmp_path / "p.pdf", "--role", "parent", "--format", "pdf")

    assert markdown.startswith("# Инструкция для родителей\n\nМБОУ «Школа № 7»\n\n")
    assert "МБОУ «Школа № 7»" in pdf


async def test_the_same_guide_gives_the_same_pdf(tmp_path) -> None:
    options = ("--role", "deputy", "--format", "pdf")
    await write_guide(NO_DATABASE.format(folder=tmp_path), tmp_path / "first.pdf", *options)
    await write_guide(NO_DATABASE.format(folder=tmp_path), tmp_path / "second.pdf", *options)

    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()


def test_an_unknown_role_is_refused_by_name(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["guide", "--role", "janitor", "--format", "md", "--out", str(tmp_path / "guide.md")])

    assert exited.value.code == 2
    assert "invalid choice: 'janitor'" in capsys.readouterr().err
    assert not (tmp_path / "guide.md").exists()


async def test_a_file_that_cannot_be_written_exits_1_with_a_line(tmp_path, capsys) -> None:
    args = build_parser().parse_args(
        ["guide", "--role", "parent", "--format", "md", "--out", str(tmp_path / "no" / "g.md")]
    )

    assert await cmd_guide(make_settings(NO_DATABASE.format(folder=tmp_path)), args) == 1
    assert capsys.readouterr().err.startswith(f"cannot write {tmp_path / 'no' / 'g.md'}: ")

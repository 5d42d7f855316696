"""`python -m bot report`: names as people type them, a file written, one clear line for a name that matches nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot import cli
from tests.conftest import make_settings

pytestmark = pytest.mark.usefixtures("school")


async def report(database_url: str, *args: str) -> int:
    return await cli.cmd_report(make_settings(database_url), cli.build_parser().parse_args(["report", *args]))


async def test_a_class_and_subject_typed_loosely_give_the_file(database_url, tmp_path, capsys) -> None:
    assert await report(database_url, "subject", "--class", "5a", "--subject", "матем", "--out", str(tmp_path)) == 0
    path, *summary = capsys.readouterr().out.splitlines()
    assert path == str(tmp_path / "subject_5А-Математика_2-четверть.xlsx")
    assert summary and summary[0].startswith("5А, Математика, 2 четверть: ")
    sheet = load_workbook(io.BytesIO((tmp_path / path.rsplit("/", 1)[1]).read_bytes())).worksheets[0]
    assert [sheet["A1"].value, sheet["D1"].value] == ["Отчёт учителя-предметника", None]
    assert "5А" in str(sheet["A4"].value) and "Математика" in str(sheet["A4"].value)

    out = tmp_path / "card.pdf"
    assert await report(database_url, "card", "--student", "s3", "--format", "pdf", "--out", str(out)) == 0
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Табель" in text and "Васильев Кирилл" in text


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("results", "--class", "7z"), "There is no class 7Z."),
        (("subject", "--class", "5a", "--subject", "химия"), "There is no subject “химия”."),
        (("subject", "--class", "5a"), "The «subject» report needs --subject."),
        (("card",), "The «card» report needs --student."),
        (("card", "--student", "zz"), "There is no student with id zz in the journal."),
        (("results", "--period", "7"), "There is no period 7: this school year has 4."),
    ],
)
async def test_a_name_that_matches_nothing_is_one_line_and_exit_1(database_url, tmp_path, capsys, args, line) -> None:
    out = tmp_path / "reports"  # (the test's database is in tmp_path)
    out.mkdir()
    assert await report(database_url, *args, "--out", str(out)) == 1
    printed = capsys.readouterr()
    assert printed.out == "" and printed.err.splitlines()[0].startswith(line)
    assert list(out.iterdir()) == []  # nothing written

"""Numbers agree with their nouns in the Russian that Python writes itself: the documents' summary lines
(the chat shows them under the file) and their phrases, through services.russian (pymorphy3). The
chat's own messages are tested in test_plurals; here each count of the same six (1, 2, 5, 11, 21, 0)
is rendered and compared with the words written out, and a guard reads the code's f-strings so that a
count written straight before a Russian word can't be added.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from services.reports import attendance, keeping, risk
from services.reports.reach import Reach
from services.reports.request import ReportRequest
from services.reports.wording import marks_needed
from services.russian import agree, counted, predicate

COUNTS = (1, 2, 5, 11, 21, 0)

# The nouns the documents count, at each of COUNTS, and a few more that the rule turns on.
FORMS = {
    "урок": ("1 урок", "2 урока", "5 уроков", "11 уроков", "21 урок", "0 уроков"),
    "ученик": ("1 ученик", "2 ученика", "5 учеников", "11 учеников", "21 ученик", "0 учеников"),
    "отметка": ("1 отметка", "2 отметки", "5 отметок", "11 отметок", "21 отметка", "0 отметок"),
}
MORE = {4: "урока", 12: "уроков", 14: "уроков", 22: "урока", 101: "урок", 104: "урока", 111: "уроков", 120: "уроков"}


@pytest.mark.parametrize("noun", FORMS)
def test_a_counted_noun_agrees_with_its_number(noun: str) -> None:
    assert tuple(counted(n, noun) for n in COUNTS) == FORMS[noun]


def test_the_last_two_digits_decide() -> None:
    assert {n: agree("урок", n) for n in MORE} == MORE


def test_a_count_in_the_genitive_agrees_too() -> None:
    """«меньше 3 отметок» in the risk list, whatever the school's threshold is set to."""
    assert [f"меньше {counted(n, 'отметка', 'gent')}" for n in COUNTS] == [
        "меньше 1 отметки",
        "меньше 2 отметок",
        "меньше 5 отметок",
        "меньше 11 отметок",
        "меньше 21 отметки",
        "меньше 0 отметок",
    ]


def test_a_predicate_before_a_count_agrees_where_the_noun_is_singular() -> None:
    assert [f"{predicate('пропущено', n, 'урок')} {counted(n, 'урок')}" for n in COUNTS] == [
        "пропущен 1 урок",
        "пропущено 2 урока",
        "пропущено 5 уроков",
        "пропущено 11 уроков",
        "пропущен 21 урок",
        "пропущено 0 уроков",
    ]
    assert [marks_needed(n) for n in COUNTS] == [
        "нужна ещё 1 отметка",
        "нужно ещё 2 отметки",
        "нужно ещё 5 отметок",
        "нужно ещё 11 отметок",
        "нужна ещё 21 отметка",
        "нужно ещё 0 отметок",
    ]


# --- the summary lines, as the documents and the chat print them -------------------------------------

REACH = Reach("5А", (), None)
REQUEST = ReportRequest("any", SimpleNamespace(name="2 четверть"), dt.date(2026, 12, 1))  # type: ignore[arg-type]


def test_the_attendance_summary_agrees() -> None:
    lines = [attendance.summary_line(REACH, REQUEST, attendance.Tally(missed=n, ill=n)) for n in COUNTS]
    assert lines == [
        "5А, 2 четверть: пропущен 1 урок, из них по болезни 1, без уважительной причины 0",
        "5А, 2 четверть: пропущено 2 урока, из них по болезни 2, без уважительной причины 0",
        "5А, 2 четверть: пропущено 5 уроков, из них по болезни 5, без уважительной причины 0",
        "5А, 2 четверть: пропущено 11 уроков, из них по болезни 11, без уважительной причины 0",
        "5А, 2 четверть: пропущен 21 урок, из них по болезни 21, без уважительной причины 0",
        "5А, 2 четверть: пропусков уроков нет",
    ]


def test_the_keeping_summary_agrees() -> None:
    def line(n: int) -> str:
        total = keeping.PageFigures("", "5А", 5, "", lessons=n, on_time=n)
        return keeping.summary_line(REACH, REQUEST, total)

    assert [line(n) for n in COUNTS] == [
        "5А, 2 четверть: 1 урок, вовремя 1 (100,0 %), с опозданием 0, не заполнено 0",
        "5А, 2 четверть: 2 урока, вовремя 2 (100,0 %), с опозданием 0, не заполнено 0",
        "5А, 2 четверть: 5 уроков, вовремя 5 (100,0 %), с опозданием 0, не заполнено 0",
        "5А, 2 четверть: 11 уроков, вовремя 11 (100,0 %), с опозданием 0, не заполнено 0",
        "5А, 2 четверть: 21 урок, вовремя 21 (100,0 %), с опозданием 0, не заполнено 0",
        "5А, 2 четверть: уроков по расписанию ещё не было",
    ]


def _pupil_on_the_list(student_id: int) -> risk.RiskLine:
    return risk.RiskLine(student_id, "", 1, "5А", 1, "", 0, None, 0, 0, True, False, False, None)


def test_the_risk_summary_agrees() -> None:
    lines = [risk.summary_line(REACH, REQUEST, [_pupil_on_the_list(i) for i in range(n)]) for n in COUNTS]
    assert lines == [
        "5А, 2 четверть: в группе риска 1 ученик; прогноз «2» — 0, «н/а» — 1, пропусков больше 30 % — 0",
        "5А, 2 четверть: в группе риска 2 ученика; прогноз «2» — 0, «н/а» — 2, пропусков больше 30 % — 0",
        "5А, 2 четверть: в группе риска 5 учеников; прогноз «2» — 0, «н/а» — 5, пропусков больше 30 % — 0",
        "5А, 2 четверть: в группе риска 11 учеников; прогноз «2» — 0, «н/а» — 11, пропусков больше 30 % — 0",
        "5А, 2 четверть: в группе риска 21 ученик; прогноз «2» — 0, «н/а» — 21, пропусков больше 30 % — 0",
        "5А, 2 четверть: в группе риска никого нет",
    ]


# --- the guard --------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "scheduler", "services", "models")
# Words that may follow a placeable in an f-string because they don't agree with a number before them,
# or because the placeable is not a count: «часть 2 из 3», «с 01.09 по 31.10», «2026/2027 учебный год»,
# «1 четверть» (an ordinal), «5-е классы», «нужно ещё».
NOT_AGREEING = {"из", "по", "учебный", "четверть", "классы", "ещё"}


def _counts_before_words() -> list[str]:
    """Every «{placeable} слово» in the code, but dates and times formatted in place («{day:%d.%m} …»)."""
    found = []
    for path in sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for value, after in zip(node.values, node.values[1:], strict=False):
                if not isinstance(value, ast.FormattedValue) or not isinstance(after, ast.Constant):
                    continue
                if value.format_spec is not None and "%" in ast.unparse(value.format_spec):
                    continue
                word = re.match(r" ([а-яё]+)", str(after.value), re.IGNORECASE)
                if word and word.group(1).lower() not in NOT_AGREEING:
                    relative = path.relative_to(ROOT)
                    found.append(f"{relative}:{node.lineno}: {{{ast.unparse(value.value)}}} {word.group(1)}")
    return found


def test_no_count_is_written_straight_before_a_russian_word() -> None:
    """A chat text says it through Fluent's plural selector; a document through services.russian.counted."""
    assert _counts_before_words() == []

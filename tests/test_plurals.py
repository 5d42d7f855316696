"""Numbers agree with their nouns in both languages: every message that shows a count next to a word goes
through Fluent's plural categories (1 получатель, 2 получателя, 5 получателей), and none is left out.

The guards read the catalogues themselves: a message with a plural selector must be in the table below,
and a count may stand before a word only inside such a selector (or before a word that doesn't agree:
«из», «мин.», «of»). The table renders each message at 1, 2, 5, 11, 21 and 0 and says which word it wants.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from fluent.syntax import ast as fluent_ast

from bot.config import SUPPORTED_LANGUAGES
from bot.i18n import get_translator, load_resources

COUNTS = (1, 2, 5, 11, 21, 0)
# CLDR's categories, written out: ru 1 and 21 → one, 2 → few, 5, 11 and 0 → many; en 1 → one, else other.
CATEGORY = {
    "ru": {1: "one", 2: "few", 5: "many", 11: "many", 21: "one", 0: "many"},
    "en": {1: "one", 2: "other", 5: "other", 11: "other", 21: "other", 0: "other"},
}

# message id → (the count's variable, {language: (the phrase with {n} and {word}, {category: word})}).
AGREEING = {
    "broadcast-preview": (
        "count",
        {
            "ru": (
                "{word}",
                {"one": "увидит {n} получатель", "few": "увидят {n} получателя", "many": "увидят {n} получателей"},
            ),
            "en": ("{n} {word} will see", {"one": "recipient", "other": "recipients"}),
        },
    ),
    "entry-no-such-number": (
        "count",
        {
            "ru": ("в классе {n} {word}.", {"one": "ученик", "few": "ученика", "many": "учеников"}),
            "en": ("the class has {n} {word}.", {"one": "student", "other": "students"}),
        },
    ),
    "entry-no-such-number-in-group": (
        "count",
        {
            "ru": ("в группе {n} {word},", {"one": "ученик", "few": "ученика", "many": "учеников"}),
            "en": ("the group has {n} {word},", {"one": "student", "other": "students"}),
        },
    ),
    "homeroom-flag-missed": (
        "held",
        {
            "ru": ("из {n} {word}", {"one": "урока", "few": "уроков", "many": "уроков"}),
            "en": ("of {n} {word}", {"one": "lesson", "other": "lessons"}),
        },
    ),
    "grades-subject-average": (
        "count",
        {
            "ru": ("({n} {word})", {"one": "отметка", "few": "отметки", "many": "отметок"}),
            "en": ("({n} {word})", {"one": "mark", "other": "marks"}),
        },
    ),
    "consent-class-summary": (
        "total",
        {
            "ru": ("из {n} {word}.", {"one": "ученика", "few": "учеников", "many": "учеников"}),
            "en": ("of {n} {word}.", {"one": "pupil", "other": "pupils"}),
        },
    ),
    "invite-class-pdf-caption": (
        "count",
        {
            "ru": (": {n} {word} для", {"one": "листок", "few": "листка", "many": "листков"}),
            "en": (": {n} {word} for", {"one": "slip", "other": "slips"}),
        },
    ),
    "newyear-refused": (
        "count",
        {
            "ru": (
                ": {n} {word}.",
                {"one": "условие не выполнено", "few": "условия не выполнены", "many": "условий не выполнено"},
            ),
            "en": (": {n} {word} not met.", {"one": "condition is", "other": "conditions are"}),
        },
    ),
    "newyear-missing": (
        "count",
        {
            "ru": ("({n} {word})", {"one": "условие", "few": "условия", "many": "условий"}),
            "en": ("({n} {word})", {"one": "condition", "other": "conditions"}),
        },
    ),
    "newyear-class-moves": (
        "count",
        {
            "ru": (": {n} {word}", {"one": "ученик", "few": "ученика", "many": "учеников"}),
            "en": (": {n} {word}", {"one": "pupil", "other": "pupils"}),
        },
    ),
    "newyear-class-graduates": (
        "count",
        {
            "ru": (": {n} {word}", {"one": "ученик", "few": "ученика", "many": "учеников"}),
            "en": ("graduates: {n} {word}", {"one": "pupil", "other": "pupils"}),
        },
    ),
    "import-timetable-created": (
        "lessons",
        {
            "ru": ("({n} {word} в неделю)", {"one": "урок", "few": "урока", "many": "уроков"}),
            "en": ("({n} {word} a week)", {"one": "lesson", "other": "lessons"}),
        },
    ),
    "import-timetable-replaced": (
        "lessons",
        {
            "ru": ("({n} {word} в неделю)", {"one": "урок", "few": "урока", "many": "уроков"}),
            "en": ("({n} {word} a week)", {"one": "lesson", "other": "lessons"}),
        },
    ),
    "start-error-locked": (
        "minutes",
        {
            "ru": ("через {n} {word}.", {"one": "минуту", "few": "минуты", "many": "минут"}),
            "en": ("in {n} {word}.", {"one": "minute", "other": "minutes"}),
        },
    ),
    "notify-risk-need-any": (
        "count",
        {
            "ru": (
                "{word}",
                {"one": "нужна ещё {n} отметка", "few": "нужно ещё {n} отметки", "many": "нужно ещё {n} отметок"},
            ),
            "en": ("{word}", {"one": "one more mark is needed", "other": "{n} more marks are needed"}),
        },
    ),
    "console-seeded": (
        "people",
        {
            "ru": (
                "{word}",
                {
                    "one": "{n} человек уже вошёл",
                    "few": "все {n} человека уже вошли",
                    "many": "все {n} человек уже вошли",
                },
            ),
            "en": ("{word}", {"one": "{n} person is signed in", "other": "all {n} people are signed in"}),
        },
    ),
    "write-error-rate": (
        "limit",
        {
            "ru": ("не больше {n} {word} в час", {"one": "сообщения", "few": "сообщений", "many": "сообщений"}),
            "en": ("At most {n} {word} an hour", {"one": "message", "other": "messages"}),
        },
    ),
    **{
        key: (
            "limit",
            {
                "ru": ("не больше {n} {word}", {"one": "знака", "few": "знаков", "many": "знаков"}),
                "en": ("at most {n} {word}", {"one": "character", "other": "characters"}),
            },
        )
        for key in (
            "write-error-too-long",
            "movement-name-too-long",
            "movement-id-too-long",
            "consent-document-too-long",
            "entry-text-too-long",
            "entry-reason-too-long",
        )
    },
}

# Plural selectors that speak in whole sentences rather than «N word», checked by their own tests:
# notify-risk-need (its own words for 1–10: test_risk_report), invite-withdrawn ([1] is said apart),
# notify-risk-few, status-duration, consent-totals-line ([0] is said apart).
WORDED = {"notify-risk-need", "invite-withdrawn", "notify-risk-few", "status-duration", "consent-totals-line"}

# Variables that hold a count; a placeable of one of them may be followed only by one of these words
# outside a plural selector on it (prepositions, abbreviations, words that don't agree).
COUNT_VARIABLES = {
    "count", "total", "lessons", "minutes", "marks", "missing", "limit", "complete", "withdrawn", "pending",
    "failed", "blocked", "written", "without", "students_total", "students", "read", "parents_total", "off",
    "kept", "invitations", "hours", "held", "delivered", "days", "changed", "bindings", "active", "absent",
    "absences", "missed", "late", "size", "files", "people", "pupils", "periods", "classes", "children",
    "signed", "directors", "no_parent",
}  # fmt: skip
NOT_AGREEING = {
    "ru": {"из", "уч.", "мин.", "мин", "ч", "дн", "МБ", "—", "%", "в", "по", "("},
    "en": {
        "of",
        "min",
        "h",
        "d",
        "MB",
        "—",
        "%",
        "more",
        "to",
        "in",
        "from",
        "(",
        "waiting",
        "failed",
        "active",
        "blocked",
    },
}


@cache
def _messages(language: str) -> dict[str, fluent_ast.Message]:
    return {
        entry.id.name: entry
        for resource in load_resources(language)
        for entry in resource.body
        if isinstance(entry, fluent_ast.Message) and entry.value is not None
    }


def _is_plural(select: fluent_ast.SelectExpression) -> bool:
    keys = {variant.key.name for variant in select.variants if isinstance(variant.key, fluent_ast.Identifier)}
    return bool(keys & {"one", "few", "many"})


def _selected(expression: fluent_ast.SelectExpression) -> str | None:
    selector = expression.selector
    if isinstance(selector, fluent_ast.FunctionReference) and selector.arguments.positional:
        selector = selector.arguments.positional[0]
    return selector.id.name if isinstance(selector, fluent_ast.VariableReference) else None


def _walk(pattern: fluent_ast.Pattern, agreed: frozenset[str], found: dict[str, list[str]]) -> None:
    """Fills `found`: 'plural' ← variables with a plural selector; 'bare' ← «$var word» outside one."""
    elements = pattern.elements
    for index, element in enumerate(elements):
        if not isinstance(element, fluent_ast.Placeable):
            continue
        expression = element.expression
        if isinstance(expression, fluent_ast.VariableReference) and expression.id.name in COUNT_VARIABLES:
            name = expression.id.name
            after = elements[index + 1] if index + 1 < len(elements) else None
            if name not in agreed and isinstance(after, fluent_ast.TextElement) and after.value.startswith(" "):
                words = after.value.split()
                if words:
                    found["bare"].append(f"{name} {words[0].split('(')[0].rstrip(',.;:') or '('}")
        if isinstance(expression, fluent_ast.SelectExpression):
            variable = _selected(expression)
            plural = _is_plural(expression) and variable is not None
            if plural:
                found["plural"].append(variable)
            for variant in expression.variants:
                _walk(variant.value, agreed | {variable} if plural else agreed, found)


def _scan(message: fluent_ast.Message) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"plural": [], "bare": []}
    _walk(message.value, frozenset(), found)
    return found


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_message_that_agrees_with_a_count_is_in_the_table(language: str) -> None:
    selecting = {key for key, message in _messages(language).items() if _scan(message)["plural"]}
    assert sorted(selecting - set(AGREEING) - WORDED) == [], "add them to AGREEING with their words"
    assert sorted(set(AGREEING) - selecting) == [], "in the table without a plural selector"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_no_count_stands_before_a_word_that_does_not_agree_with_it(language: str) -> None:
    bare = {
        key: [pair for pair in _scan(message)["bare"] if pair.split(" ", 1)[1] not in NOT_AGREEING[language]]
        for key, message in _messages(language).items()
        if key not in WORDED
    }
    assert {key: pairs for key, pairs in bare.items() if pairs} == {}


def _arguments(key: str, language: str, variable: str, n: int) -> dict[str, object]:
    """Every variable of the message: the count as `n`, dates as a date, the rest a stand-in word."""
    names: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, fluent_ast.VariableReference):
            names.add(node.id.name)
        elif isinstance(node, fluent_ast.BaseNode):
            for value in vars(node).values():
                for child in value if isinstance(value, list) else [value]:
                    collect(child)

    collect(_messages(language)[key].value)
    args: dict[str, object] = {name: "X" for name in names}
    args.update(until=dt.datetime(2026, 12, 1, 18, 0), average=4.5, far=0.5)
    args[variable] = n
    return args


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("key", sorted(AGREEING))
def test_each_count_takes_its_form(key: str, language: str) -> None:
    variable, by_language = AGREEING[key]
    phrase, words = by_language[language]
    translate = get_translator(language)
    for n in COUNTS:
        text = translate(key, **_arguments(key, language, variable, n))
        expected = phrase.format(n=n, word=words[CATEGORY[language][n]].format(n=n))
        assert expected in text, f"{key} at {n}: {text!r}"


def test_the_quoted_symptom_reads_right() -> None:
    ru = get_translator("ru")
    assert ru("broadcast-preview", count=54) == "Так его увидят 54 получателя. Отправить?"
    assert ru("broadcast-preview", count=21) == "Так его увидит 21 получатель. Отправить?"
    assert ru("broadcast-preview", count=11) == "Так его увидят 11 получателей. Отправить?"
    assert get_translator("en")("broadcast-preview", count=1) == "This is how 1 recipient will see it. Send?"

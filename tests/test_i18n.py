"""The catalogues: ru and en hold the same messages, parse cleanly, and cover every key the code uses."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fluent.syntax import ast as fluent_ast

from bot.config import SUPPORTED_LANGUAGES
from bot.i18n import get_translator, load_resources, message_ids
from bot.text import escape
from services.errors import ValidationFailed

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCANNED_PACKAGES = ("bot", "handlers", "services")
MESSAGE_ID = re.compile(r"[a-z]+(-[a-z0-9]+)+")

# Calls whose first argument is a message id: the translator under its usual names, and the
# domain errors: any `…Error`, the project's own exception classes and every class derived from them.
TRANSLATOR_NAMES = {"i18n", "translate", "_"}
ERROR_NAMES = {"AccessDenied", "NotFound", "ValidationFailed", "DomainError"}


def test_russian_and_english_have_the_same_messages() -> None:
    russian, english = message_ids("ru"), message_ids("en")
    assert sorted(russian - english) == [], "in ru only"
    assert sorted(english - russian) == [], "in en only"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_catalogues_parse_without_errors(language: str) -> None:
    # A syntax slip makes Fluent drop the whole message silently, so look for it here.
    junk = [
        entry.content.strip().splitlines()[0]
        for resource in load_resources(language)
        for entry in resource.body
        if isinstance(entry, fluent_ast.Junk)
    ]
    assert junk == []


def _parsed_sources() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for package in SCANNED_PACKAGES
        for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
    ]


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """ERROR_NAMES and every class defined (in the scanned code) on top of one of them."""
    bases = {
        node.name: {_name_of(base) for base in node.bases}
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    known = set(ERROR_NAMES)
    while grown := {name for name, parents in bases.items() if parents & known} - known:
        known |= grown
    return known


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _string_literals(node: ast.expr) -> list[str]:
    """The literal strings an argument can evaluate to: a constant, or either side of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _string_literals(node.body) + _string_literals(node.orelse)
    return []


def keys_used_in_code() -> dict[str, list[str]]:
    """Message ids passed as literals to a translator or a domain error, with where they are used."""
    sources = _parsed_sources()
    takers = TRANSLATOR_NAMES | _error_classes([tree for _, tree in sources])
    used: dict[str, list[str]] = {}
    for path, tree in sources:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _name_of(node.func)
            if name is None or not (name in takers or name.endswith("Error")):
                continue
            for literal in _string_literals(node.args[0]):
                if MESSAGE_ID.fullmatch(literal):
                    used.setdefault(literal, []).append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    return used


def test_the_scan_finds_keys_it_should() -> None:
    used = keys_used_in_code()
    # One of each kind of call: a translator, AccessDenied, a class derived from DomainError, and
    # both sides of a conditional key.
    assert "start-welcome" in used
    assert "error-not-your-child" in used
    assert "start-error-unknown-code" in used
    assert {"revoke-done", "revoke-nothing"} <= set(used)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_key_used_in_code_exists(language: str) -> None:
    known = message_ids(language)
    missing = {key: places for key, places in keys_used_in_code().items() if key not in known}
    assert missing == {}


# --- long values -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_values_past_fluents_limit_are_formatted_whole(language: str) -> None:
    translate = get_translator(language)
    homework = escape("&<>" * 3_000)  # 45,000 characters of HTML; Fluent alone refuses over 2,500
    text = translate(
        "entry-homework-saved", class_name="5А", subject="Математика", date="27.11", lesson_no=2, text=homework
    )
    assert text.endswith("\n" + homework) and text.count(homework) == 1


def test_several_long_values_keep_their_places_and_are_not_read_as_fluent() -> None:
    translate = get_translator("ru")
    before, after = "{ $after } " * 300, "\ue000 " * 300
    text = translate("notify-mark-changed", student="s", subject="m", date="d", before=before, after=after)
    assert text.index(before) < text.index(after)
    assert text.count(before) == 1 and text.count(after) == 1 and "\ue001" not in text


def test_a_short_value_still_picks_its_variant() -> None:
    translate = get_translator("ru")
    assert (translate("role-name", role="teacher"), translate("role-name", role="parent")) == ("учитель", "родитель")
    assert translate("role-name", role="x" * 3_000) == "x" * 3_000  # the default variant, inserted whole


def test_a_refusal_quotes_the_user_briefly() -> None:
    refusal = ValidationFailed("entry-unknown-class", name="<" * 10_000)
    assert get_translator("ru").refusal(refusal) == "Класса «" + "&lt;" * 99 + "…» в школе нет."

"""People's names shortened for lists and buttons: one function, three forms."""

from __future__ import annotations

import pytest

from services.names import short_name


@pytest.mark.parametrize(
    ("form", "shortened"), [("initials", "Иванова М. П."), ("initial", "Иванова М."), ("first name", "Иванова Мария")]
)
def test_a_full_name_in_each_form(form, shortened) -> None:
    assert short_name("Иванова Мария Петровна", form) == shortened


def test_initials_are_the_usual_form_and_spaces_do_not_count() -> None:
    assert short_name("  Ковалёва   Анастасия Ильинична ") == "Ковалёва А. И."
    assert short_name("Анна-Мария Луиза", "initial") == "Анна-Мария Л."


@pytest.mark.parametrize("form", ["initials", "initial", "first name"])
def test_a_name_of_one_word_stays_as_it_is(form) -> None:
    assert short_name("Ли", form) == "Ли"
    assert short_name("", form) == ""

"""People's names shortened for lists and buttons: one function, three forms."""

from __future__ import annotations

import pytest

from services.names import gender_of, name_in_case, short_name


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


# Real names as the journal writes them (surname first), with the forms a person would write by hand.
DECLINED = [
    # full name, gender, родительный (у кого), дательный (кому), предложный (о ком)
    (
        "Иванова Мария Петровна",
        "female",
        "Ивановой Марии Петровны",
        "Ивановой Марии Петровне",
        "Ивановой Марии Петровне",
    ),
    (
        "Белов Тимофей Андреевич",
        "male",
        "Белова Тимофея Андреевича",
        "Белову Тимофею Андреевичу",
        "Белове Тимофее Андреевиче",
    ),
    (
        "Белова Софья Дмитриевна",
        "female",
        "Беловой Софьи Дмитриевны",
        "Беловой Софье Дмитриевне",
        "Беловой Софье Дмитриевне",
    ),
    (
        "Кузьмина Любовь Ильинична",
        "female",
        "Кузьминой Любови Ильиничны",
        "Кузьминой Любови Ильиничне",
        "Кузьминой Любови Ильиничне",
    ),
    ("Никитин Илья Саввич", "male", "Никитина Ильи Саввича", "Никитину Илье Саввичу", "Никитине Илье Саввиче"),
    # hyphenated surnames: each part declines
    (
        "Петрова-Водкина Анна Сергеевна",
        "female",
        "Петровой-Водкиной Анны Сергеевны",
        "Петровой-Водкиной Анне Сергеевне",
        "Петровой-Водкиной Анне Сергеевне",
    ),
    (
        "Петров-Водкин Кузьма Сергеевич",
        "male",
        "Петрова-Водкина Кузьмы Сергеевича",
        "Петрову-Водкину Кузьме Сергеевичу",
        "Петрове-Водкине Кузьме Сергеевиче",
    ),
    # no patronymic: the first name tells the gender
    ("Белов Тимофей", "male", "Белова Тимофея", "Белову Тимофею", "Белове Тимофее"),
    ("Ким Александра", "female", "Ким Александры", "Ким Александре", "Ким Александре"),
    ("Шевчук Ольга", "female", "Шевчук Ольги", "Шевчук Ольге", "Шевчук Ольге"),
    ("Шевчук Олег", "male", "Шевчука Олега", "Шевчуку Олегу", "Шевчуке Олеге"),
    # surnames that don't decline
    ("Черных Никита Ильич", "male", "Черных Никиты Ильича", "Черных Никите Ильичу", "Черных Никите Ильиче"),
    ("Гюго Виктор", "male", "Гюго Виктора", "Гюго Виктору", "Гюго Викторе"),
    # оглы / кызы: the father's name stays as it is
    (
        "Мамедов Эльдар Рашид оглы",
        "male",
        "Мамедова Эльдара Рашид оглы",
        "Мамедову Эльдару Рашид оглы",
        "Мамедове Эльдаре Рашид оглы",
    ),
    (
        "Алиева Лейла Ильхам кызы",
        "female",
        "Алиевой Лейлы Ильхам кызы",
        "Алиевой Лейле Ильхам кызы",
        "Алиевой Лейле Ильхам кызы",
    ),
]


@pytest.mark.parametrize(("full_name", "gender", "gent", "datv", "loct"), DECLINED)
def test_a_russian_name_in_its_cases_and_its_gender(full_name, gender, gent, datv, loct) -> None:
    assert gender_of(full_name) == gender
    assert name_in_case(full_name, "gent") == gent
    assert name_in_case(full_name, "datv") == datv
    assert name_in_case(full_name, "loct") == loct


def test_the_accusative_and_the_instrumental() -> None:
    assert name_in_case("Иванова Мария Петровна", "accs") == "Иванову Марию Петровну"
    assert name_in_case("Белов Тимофей Андреевич", "ablt") == "Беловым Тимофеем Андреевичем"


def test_the_patronymic_outweighs_a_surname_that_says_otherwise() -> None:
    assert gender_of("Черных Саша Петровна") == "female"
    assert gender_of("Седых Саша Петрович") == "male"


@pytest.mark.parametrize("full_name", ["John Smith", "Ли", "", "Черных Саша", "Смит Джейми"])
def test_a_name_that_tells_no_gender_is_other(full_name) -> None:
    assert gender_of(full_name) == "other"


def test_a_name_that_is_not_russian_or_not_a_name_stays_as_it_is() -> None:
    assert name_in_case("John Smith", "datv") == "John Smith"
    assert name_in_case("Иванова 5А", "datv") == "Иванова 5А"
    assert name_in_case("", "gent") == ""


def test_of_a_person_whose_gender_is_unknown_the_surname_stays_and_the_first_name_declines() -> None:
    assert name_in_case("Ким Саша", "datv") == "Ким Саше"
    assert name_in_case("Черных Саша", "gent") == "Черных Саши"


def test_the_written_capitals_are_kept() -> None:
    assert name_in_case("ИВАНОВА Мария", "datv") == "ИВАНОВОЙ Марии"

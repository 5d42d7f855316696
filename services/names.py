"""The school's names: matching what people type to class names and subjects; people's names shortened,
declined (name_in_case) and read for their gender (gender_of) — the one place Russian names are handled."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Literal

import pytrovich as _pt

# Latin letters that look like Cyrillic ones on a keyboard: "5a" is meant as "5А".
_LOOKALIKES = str.maketrans(
    {
        "A": "А",
        "B": "В",
        "C": "С",
        "E": "Е",
        "H": "Н",
        "K": "К",
        "M": "М",
        "O": "О",
        "P": "Р",
        "T": "Т",
        "X": "Х",
        "Y": "У",
    }
)
_CLASS_NAME = re.compile(r"^(\d{1,2})([А-ЯЁ]*)$")


def normalize_class_name(raw: str) -> str:
    """'5a', ' 5 А ', '5-а' → '5А'. Unparseable input comes back cleaned but unchanged in form."""
    cleaned = re.sub(r"[\s\-_.]", "", str(raw)).upper().translate(_LOOKALIKES)
    return cleaned


def split_class_name(name: str) -> tuple[int, str] | None:
    """'5А' → (5, 'А'); None when it is not a class name."""
    match = _CLASS_NAME.match(normalize_class_name(name))
    if not match:
        return None
    return int(match.group(1)), match.group(2)


def normalize_text_key(raw: str) -> str:
    """Case- and space-insensitive key for subject and work-type names (ё = е)."""
    return " ".join(str(raw).lower().replace("ё", "е").split())


# A word of a person's name: letters (any alphabet, ё included), joined by a hyphen or an apostrophe
# inside the word (Салтыков-Щедрин, О'Нил). No digits, no markup, nothing else.
_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*")


def is_person_name(text: str) -> bool:
    """Is this a name as written in documents: words of letters, spaces, hyphens and apostrophes?"""
    words = unicodedata.normalize("NFC", text).split()
    return bool(words) and all(_NAME_WORD.fullmatch(word) for word in words)


Gender = Literal["male", "female", "other"]
Case = Literal["gent", "datv", "accs", "ablt", "loct"]

# Patronymics tell the gender by construction: Игоревна, Ильинична, Мамедов Эльдар Рашид оглы, … кызы.
_FEMALE_PATRONYMICS = ("вна", "чна", "кызы", "гызы")
_MALE_PATRONYMICS = ("вич", "ич", "оглы", "улы", "уулу")
# A name the rules of Russian names can read: Cyrillic words, hyphens inside words.
_CYRILLIC_NAME = re.compile(r"[а-яё]+(?:-[а-яё]+)*")


def gender_of(full_name: str) -> Gender:
    """'female', 'male' or 'other' (unknown) for a name written surname first, as the journal writes
    names: «Иванова Мария Петровна», «Ким Александра», «Иванова».

    The journal keeps no gender. The patronymic tells it for certain; without one, the first name and the
    surname tell it together (pytrovich's rules, the Russian names' petrovich rules); names that tell
    nothing (Черных Саша, John Smith) are 'other'. Texts choose their words with it through Fluent's
    `{ $gender -> [female] … [male] … *[other] … }`.
    """
    words = full_name.casefold().split()
    if len(words) >= 3:
        for endings, gender in ((_FEMALE_PATRONYMICS, "female"), (_MALE_PATRONYMICS, "male")):
            if words[-1].endswith(endings):
                return gender
    if not words or not all(_CYRILLIC_NAME.fullmatch(word) for word in words[:3]):
        return "other"
    surname, first, patronymic = (words + [None, None])[:3]
    found = _gender_detector().detect(lastname=surname, firstname=first, middlename=patronymic)
    return {_pt.Gender.MALE: "male", _pt.Gender.FEMALE: "female"}.get(found, "other")


def name_in_case(full_name: str, case: Case) -> str:
    """A name written surname first, in a grammatical case, for a sentence that needs it:
    «Иванова Мария Петровна» → «Ивановой Марии Петровне» (datv); «Белов Тимофей» → «Белова Тимофея» (gent).

    Cases are named as pymorphy names them: gent (родительный), datv (дательный), accs (винительный),
    ablt (творительный), loct (предложный). Hyphenated parts decline each (Петровой-Водкиной); names that
    don't decline stay as they are (Гюго, Черных, a woman's Шевчук), and so do a name not written in
    Cyrillic (John Smith), the «оглы/кызы» of a patronymic, and the surname of a person whose gender
    gender_of can't tell (Ким Саша → Ким Саше). Lists show the nominative, the name as it is.
    """
    words = full_name.split()
    if not words or not all(_CYRILLIC_NAME.fullmatch(word.casefold()) for word in words):
        return full_name
    gender = gender_of(full_name)
    known = gender != "other"
    to_gender = {"male": _pt.Gender.MALE, "female": _pt.Gender.FEMALE, "other": _pt.Gender.ANDROGYNOUS}[gender]
    to_case = _PYTROVICH_CASES[case]
    maker = _declension_maker()
    parts = (_pt.NamePart.LASTNAME, _pt.NamePart.FIRSTNAME, _pt.NamePart.MIDDLENAME)
    declined = [
        _as_written(word, maker.make(part, to_gender, to_case, word, known_gender=known))
        for part, word in zip(parts, words, strict=False)
    ]
    # A surname's forms differ by gender (Киму / Ким): of a person whose gender is unknown it stays as it is.
    if not known:
        declined[0] = words[0]
    # «Рашид оглы»: the father's name with оглы/кызы stays as it is.
    if len(words) > 3:
        declined[2] = words[2]
    return " ".join(declined + words[3:])


def _as_written(word: str, declined: str) -> str:
    """A surname written in capitals (ИВАНОВА) keeps them in its endings (ИВАНОВОЙ)."""
    return declined.upper() if len(word) > 1 and word.isupper() else declined


_PYTROVICH_CASES = {
    "gent": _pt.Case.GENITIVE,
    "datv": _pt.Case.DATIVE,
    "accs": _pt.Case.ACCUSATIVE,
    "ablt": _pt.Case.INSTRUMENTAL,
    "loct": _pt.Case.PREPOSITIONAL,
}


@cache
def _declension_maker() -> _pt.PetrovichDeclinationMaker:
    return _pt.PetrovichDeclinationMaker()


@cache
def _gender_detector() -> _pt.PetrovichGenderDetector:
    return _pt.PetrovichGenderDetector()


NameForm = Literal["initials", "initial", "first name"]


def short_name(full_name: str, form: NameForm = "initials") -> str:
    """A person's name for lists and buttons, surname first as the journal writes names.

    «Иванова Мария Петровна» → «Иванова М. П.» (initials), «Иванова М.» (initial) or «Иванова Мария»
    (first name). A name of one word stays as it is.
    """
    surname, *given = full_name.split() or [""]
    if form == "initials":
        kept = [f"{word[0]}." for word in given]
    elif form == "initial":
        kept = [f"{word[0]}." for word in given[:1]]
    else:
        kept = given[:1]
    return " ".join([surname, *kept])

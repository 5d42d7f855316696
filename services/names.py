"""The school's names: matching what people type to class names and subjects; people's names shortened."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

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


_FEMALE_ENDINGS = ("вна", "чна", "кызы")  # patronymics: Игоревна, Ильинична, … кызы
_MALE_ENDINGS = ("вич", "ич", "оглы", "улы")
_FEMALE_SURNAMES = ("ова", "ёва", "ева", "ина", "ына", "ская", "цкая", "ая")
_MALE_SURNAMES = ("ов", "ёв", "ев", "ин", "ын", "ский", "цкий", "ий", "ой")


def grammatical_gender(full_name: str) -> str:
    """'female', 'male' or 'other' (unknown), read off a Russian full name, for «выбыл / выбыла».

    The journal keeps no gender; the patronymic tells it reliably, the surname often.
    """
    words = full_name.casefold().split()
    for endings, gender in ((_FEMALE_ENDINGS, "female"), (_MALE_ENDINGS, "male")):
        if len(words) >= 3 and words[2].endswith(endings):
            return gender
    for endings, gender in ((_FEMALE_SURNAMES, "female"), (_MALE_SURNAMES, "male")):
        if words and words[0].endswith(endings):
            return gender
    return "other"


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

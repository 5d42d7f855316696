"""Matching what people type to the school's names: class names and subjects."""
from __future__ import annotations

import re

# Latin letters that look like Cyrillic ones on a keyboard: "5a" is meant as "5А".
_LOOKALIKES = str.maketrans({
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "Y": "У",
})
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

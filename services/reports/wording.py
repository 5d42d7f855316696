"""The few phrases a document prints itself, in Russian whatever the reader's language: dates, shares,
a leaver's note, what a pupil needs («нужна ещё одна 5», «нужно ещё 3 отметки»). Their words agree
with their numbers through services.russian.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from services.names import gender_of
from services.russian import counted, predicate

# The count of marks as a word, in the feminine (отметка, пятёрка): «одна 5», «две 4».
_FEMININE = ("одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять")


def marks_needed(count: int, value: int | None = None) -> str:
    """What a pupil needs: `count` more marks of `value` («нужно ещё две 4», «нужна ещё одна 5»), or
    with no value `count` more marks of any kind («нужно ещё 3 отметки»)."""
    verb = predicate("нужно", count, "отметка")
    if value is None:
        return f"{verb} ещё {counted(count, 'отметка')}"
    if 1 <= count <= len(_FEMININE):
        return f"{verb} ещё {_FEMININE[count - 1]} {value}"
    return f"{verb} ещё {counted(count, 'отметка')} «{value}»"  # past ten: «12 отметок «4»»


def day_text(day: dt.date) -> str:
    """A date as the documents print it: «12.11.2026»."""
    return day.strftime("%d.%m.%Y")


def leaver(full_name: str, left_on: dt.date) -> str:
    """A pupil who has left the list, by the date: «Зайцева Дарья Павловна (выбыла 12.11.2026)»; where
    the name does not tell, «(дата выбытия 12.11.2026)» rather than «выбыл(а)»."""
    word = {"female": "выбыла", "male": "выбыл"}.get(gender_of(full_name), "дата выбытия")
    return f"{full_name} ({word} {day_text(left_on)})"


def decimal_text(number: Decimal, places: int = 2) -> str:
    """«2,60»: to `places`, with a decimal comma, as Russian writes numbers."""
    return f"{number:.{places}f}".replace(".", ",")


def share_text(part: int, whole: int) -> str:
    """A share as the documents write it: «88,9 %» (one place, a decimal comma); «—» of nothing."""
    if not whole:
        return "—"
    share = (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{decimal_text(share, 1)} %"

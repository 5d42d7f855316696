"""Russian number agreement for the documents' own words (the documents are in Russian whatever the
reader's language): «1 урок», «2 урока», «5 уроков»; «нужна ещё одна 5», «нужно ещё две 4».

The chat's texts agree through Fluent's plural categories (locales/); these are the few phrases a
document prints itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from services.names import gender_of

# The count of marks as a word, in the feminine (отметка, пятёрка): «одна 5», «две 4».
_FEMININE = ("одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять")


def plural(count: int, one: str, few: str, many: str) -> str:
    """The noun's form for `count`: plural(21, "урок", "урока", "уроков") → «урок»."""
    last_two, last = abs(count) % 100, abs(count) % 10
    if last == 1 and last_two != 11:
        return one
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return few
    return many


def counted(count: int, one: str, few: str, many: str) -> str:
    """«120 уроков», «1 урок»."""
    return f"{count} {plural(count, one, few, many)}"


def marks_needed(count: int, value: int | None = None) -> str:
    """What a pupil needs: `count` more marks of `value` («нужно ещё две 4», «нужна ещё одна 5»), or
    with no value `count` more marks of any kind («нужно ещё 3 отметки»)."""
    verb = plural(count, "нужна", "нужно", "нужно")
    if value is None:
        return f"{verb} ещё {counted(count, 'отметка', 'отметки', 'отметок')}"
    if 1 <= count <= len(_FEMININE):
        return f"{verb} ещё {_FEMININE[count - 1]} {value}"
    return f"{verb} ещё {counted(count, 'отметка', 'отметки', 'отметок')} «{value}»"  # past ten: «12 отметок «4»»


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

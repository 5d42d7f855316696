"""Rendering helpers for chat answers: splitting long texts, monospace tables, dates and numbers.

Everything here but `answer_long` is pure (no Telegram, no database): results render anywhere.
Texts are HTML (the bot's default parse mode): helpers that take user-supplied strings escape them.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal

from services.errors import Listing
from services.names import short_name as short_name  # re-exported: handlers/ still import it from here

if TYPE_CHECKING:
    from aiogram.types import InlineKeyboardMarkup, Message

TELEGRAM_LIMIT = 4096  # a message's text, counted after entities parsing
CAPTION_LIMIT = 1024  # a photo's or document's caption, counted the same way
ALERT_LIMIT = 200  # the text of a button's alert (answerCallbackQuery), plain text
QUOTE_LIMIT = 100  # of what the user typed, quoted back in a refusal
ELLIPSIS = "…"

# An HTML tag as Telegram accepts them (<b>, <pre>, <a href="…">, <code class="…">, closing tags).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>")
# The entities Telegram reads: the four named ones and numeric ones (escape() writes only &amp; &lt; &gt;).
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#[xX][0-9a-fA-F]+);")
# An HTML text in pieces: runs of plain text, tags, entities, and a stray «<» or «&».
_PIECE = re.compile(f"[^<&]+|{_TAG.pattern}|{_ENTITY.pattern}|[<&]")


def telegram_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def visible_text(text: str) -> str:
    """What Telegram makes of an HTML text: tags dropped, entities read (`&amp;` is one «&»)."""
    if "<" not in text and "&" not in text:
        return text
    return _ENTITY.sub(_read_entity, _TAG.sub("", text))


_NAMED_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}


def _read_entity(entity: re.Match[str]) -> str:
    return _NAMED_ENTITIES.get(entity.group(0)) or html.unescape(entity.group(0))


def visible_length(text: str) -> int:
    """The length Telegram holds against its limits: of the text after entities parsing, in UTF-16 units.

    Escaping makes the HTML longer, not the message: 2,000 «&» are 10,000 characters of HTML and
    2,000 of message.
    """
    return telegram_length(visible_text(text))


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Plain `text` (not yet escaped) cut to at most `limit` characters, at a word's end when one is
    near, and marked with «…»; shorter texts come back as they are."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > len(cut) * 3 // 4:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def one_message(text: str, limit: int = TELEGRAM_LIMIT) -> str:
    """The first message's worth of an HTML `text`, ending with «…» when something was left out.

    For answers that must stay one message (a card edited in place under its buttons, a refusal):
    they are cut deliberately here rather than refused by Telegram.
    """
    parts = split_message(text, limit - len(ELLIPSIS) - 1)
    if len(parts) <= 1:
        return parts[0] if parts else text
    return parts[0] + "\n" + ELLIPSIS


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut `text` into messages of at most `limit` characters, only between lines.

    HTML stays well-formed in every part: a tag left open at a cut (a <pre> table, say) is closed at
    the end of one part and opened again at the start of the next. Blank parts are dropped, so an
    empty text gives an empty list, and line breaks at either end of a part are dropped. Only a single
    line longer than a whole message is cut inside itself — at a space when there is one, never inside
    a tag or an entity such as &amp;.
    Lengths are counted as Telegram counts them (visible_length): tags count nothing and an entity
    one character, so escaping never splits a text that fits.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    pending: deque[str] = deque(text.split("\n"))
    carried: list[tuple[str, str]] = []  # tags open at the start of the current part
    stack: list[tuple[str, str]] = []  # tags open after the current part's last line
    lines: list[str] = []
    length = 0  # of the current part: tags added around it count nothing

    def assemble(body_lines: list[str], opened: list[tuple[str, str]], still_open: list[tuple[str, str]]) -> str:
        return _opening(opened) + "\n".join(body_lines) + _closing(still_open)

    while pending:
        line = pending.popleft()
        after = _track(stack, line)
        longer = length + (1 if lines else 0) + visible_length(line)
        if longer <= limit:
            lines.append(line)
            stack, length = after, longer
            continue
        if lines:
            parts.append(assemble(lines, carried, stack))
            carried, lines, length = list(stack), [], 0
            pending.appendleft(line)
            continue
        # The line does not fit even in an empty part: cut it, and go on with the pieces.
        pieces = _cut_line(line, limit)
        if pieces == [line]:  # cannot be cut (one character wider than the limit): sent as it is, once
            parts.append(assemble([line], carried, after))
            carried = stack = after
            continue
        pending.extendleft(reversed(pieces))
    if lines:
        parts.append(assemble(lines, carried, stack))
    return [part.strip("\n") for part in parts if _TAG.sub("", part).strip()]


def _track(stack: list[tuple[str, str]], line: str) -> list[tuple[str, str]]:
    """The open-tag stack after `line` (a new list; `stack` is left alone)."""
    result = list(stack)
    for match in _TAG.finditer(line):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            result.append((name, match.group(0)))
            continue
        for index in range(len(result) - 1, -1, -1):
            if result[index][0] == name:
                del result[index:]
                break
    return result


def _opening(stack: list[tuple[str, str]]) -> str:
    return "".join(tag for _, tag in stack)


def _closing(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _cut_line(line: str, budget: int) -> list[str]:
    """Pieces of a too-long line, each of at most `budget` visible characters."""
    pieces: list[str] = []
    rest = line
    while visible_length(rest) > budget:
        cut = _safe_cut(rest, budget)
        pieces.append(rest[:cut].rstrip(" "))
        rest = rest[cut:].lstrip(" ")
    pieces.append(rest)
    return [piece for piece in pieces if piece]


def _safe_cut(text: str, budget: int) -> int:
    """Index (in Python characters) where at most `budget` visible UTF-16 units end: never inside a tag
    or an entity, and after a space when there is one in the second half."""
    units = cut = space = 0
    for piece in _PIECE.finditer(text):
        token = piece.group(0)
        if token[0] not in "<&":  # a run of plain text: it may be cut anywhere
            fit = _fitting(token, budget - units)
            blank = token.rfind(" ", 0, fit)
            if blank >= 0:
                space = piece.start() + blank + 1
            if fit < len(token):
                cut = piece.start() + fit
                break
            width = telegram_length(token)
        else:
            width = 0 if token[0] == "<" and len(token) > 1 else telegram_length(visible_text(token))
            if units + width > budget:
                break
        units += width
        cut = piece.end()
    if space > cut // 2:
        cut = space
    return max(cut, 1)


def _fitting(run: str, room: int) -> int:
    """How many characters of a plain `run` fit in `room` UTF-16 units."""
    if room <= 0:
        return 0
    if len(run) == telegram_length(run):  # no character outside the Basic Multilingual Plane
        return min(room, len(run))
    units = 0
    for index, char in enumerate(run):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > room:
            return index
    return len(run)


# --- monospace tables ------------------------------------------------------------------------


def table(
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[object] | None = None,
    right: Iterable[int] = (),
    gap: str = " ",
) -> str:
    """A <pre> block with aligned columns: the columns in `right` (numbers) align right.

    Cells are rendered with str() and HTML-escaped here: pass raw names, not escaped ones.
    None renders as an empty cell. Trailing spaces are trimmed from every line.
    """
    right = set(right)
    grid = [[("" if cell is None else str(cell)) for cell in row] for row in ([header] if header else []) + list(rows)]
    if not grid:
        return ""
    columns = max(len(row) for row in grid)
    widths = [max((len(row[i]) for row in grid if i < len(row)), default=0) for i in range(columns)]
    lines = []
    for row in grid:
        cells = [(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])) for i, cell in enumerate(row)]
        lines.append(html.escape(gap.join(cells).rstrip(), quote=False))
    return "<pre>" + "\n".join(lines) + "</pre>"


def escape(text: object) -> str:
    return html.escape(str(text), quote=False)


def quoted(args: Mapping[str, Any]) -> dict[str, Any]:
    """A refusal's arguments ready for an HTML answer: each string — what the user typed, mostly — cut
    to QUOTE_LIMIT characters and escaped; a Listing escaped whole; numbers and dates as they are."""
    return {
        name: escape(value if isinstance(value, Listing) else shorten(value)) if isinstance(value, str) else value
        for name, value in args.items()
    }


# --- dates, times and numbers per language ---------------------------------------------------

_DATE_PATTERNS = {
    # Fixed width, so dates line up in tables.
    "short": {"ru": "dd.MM", "en": "dd MMM"},
    "full": {"ru": "dd.MM.yyyy", "en": "dd MMM yyyy"},
    "day": {"ru": "EEE, d MMMM", "en": "EEE d MMMM"},
    "weekday": {"ru": "EEE", "en": "EEE"},
}


def format_date(day: dt.date, language: str, style: str = "short") -> str:
    """'short' 26.11 / 26 Nov; 'full' 26.11.2026 / 26 Nov 2026; 'day' чт, 26 ноября / Thu 26 November."""
    patterns = _DATE_PATTERNS[style]
    language = language if language in patterns else "ru"
    return _babel_date(day, patterns[language], locale=language)


def format_time(moment: dt.time) -> str:
    """24-hour HH:MM, the way a school timetable is written in both languages."""
    return moment.strftime("%H:%M")


def format_average(value: Decimal | float | None, language: str, empty: str = "—") -> str:
    """Two decimals in the language's style: 4,60 / 4.60; `empty` when there is nothing to average."""
    if value is None:
        return empty
    quantized = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return _babel_decimal(quantized, "0.00", locale=language if language in ("ru", "en") else "ru")


async def answer_long(message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer with `text` split by split_message; buttons go under the last part."""
    parts = split_message(text)
    for index, part in enumerate(parts):
        await message.answer(part, reply_markup=reply_markup if index == len(parts) - 1 else None)

"""bot/text.py: long answers split between lines, tables line up, dates and numbers per language."""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal

import pytest

from bot.text import (
    QUOTE_LIMIT,
    TELEGRAM_LIMIT,
    escape,
    format_average,
    format_date,
    format_time,
    one_message,
    quoted,
    shorten,
    split_message,
    table,
    telegram_length,
    visible_length,
)
from services.errors import Listing

TAG = re.compile(r"</?[a-z]+>")


def test_short_text_is_one_message() -> None:
    assert split_message("Привет\nмир") == ["Привет\nмир"]


def test_empty_and_blank_texts_give_nothing_to_send() -> None:
    assert split_message("") == []
    assert split_message("\n\n  \n") == []
    assert split_message("<pre></pre>") == []


def test_exactly_the_limit_fits_and_one_more_character_splits_between_lines() -> None:
    text = "a" * 10 + "\n" + "b" * 9  # 20 characters
    assert split_message(text, limit=20) == [text]
    longer = text + "b"
    assert split_message(longer, limit=20) == ["a" * 10, "b" * 10]


def test_default_limit_is_telegrams() -> None:
    line = "x" * 99
    text = "\n".join([line] * 100)  # 9999 characters
    parts = split_message(text)
    assert TELEGRAM_LIMIT == 4096
    # 40 lines of 99 plus 39 line breaks = 3999; a 41st line would make 4099.
    assert [len(part) for part in parts] == [3999, 3999, 20 * 99 + 19]
    assert all(len(part) <= 4096 for part in parts)


def test_lines_are_never_broken_and_nothing_is_lost() -> None:
    rng = random.Random(7)
    lines = ["".join(rng.choice("абвгд 12345") for _ in range(rng.randint(0, 60))).strip() or "·" for _ in range(400)]
    text = "\n".join(lines)
    parts = split_message(text, limit=300)
    assert len(parts) > 5
    assert all(telegram_length(part) <= 300 for part in parts)
    assert "\n".join(parts) == text
    assert [line for part in parts for line in part.split("\n")] == lines


def test_a_table_cut_in_two_is_closed_and_reopened() -> None:
    rows = [[n, f"Ученик {n}", "5 4 3", "4,00"] for n in range(1, 41)]
    text = "<b>5А · математика</b>\n" + table(rows, right={0, 3}) + "\nИтого: 40"
    parts = split_message(text, limit=400)
    assert len(parts) >= 3
    for part in parts:
        assert visible_length(part) <= 400
        assert part.count("<pre>") == part.count("</pre>") <= 1
        assert part.count("<b>") == part.count("</b>")
    # Reassembled without the added tags, every line is where it was.
    assert "\n".join(TAG.sub("", part) for part in parts) == TAG.sub("", text)
    assert parts[1].startswith("<pre>") and parts[0].endswith("</pre>")


def test_a_line_longer_than_a_message_is_cut_at_spaces_and_never_inside_an_entity() -> None:
    line = " ".join(["слово&amp;"] * 30)  # 329 characters of HTML, 209 of message
    parts = split_message("начало\n" + line, limit=50)
    assert parts[0] == "начало"
    assert all(visible_length(part) <= 50 for part in parts)
    assert len(parts) == 1 + 5  # 209 visible characters in pieces of at most 50, cut between words
    assert all(part.count("&") == part.count("&amp;") for part in parts)
    assert all(not part.startswith(" ") and not part.endswith(" ") for part in parts)
    assert " ".join(parts[1:]) == line


def test_a_line_of_one_word_longer_than_the_limit_is_cut_hard() -> None:
    assert split_message("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]


def test_length_is_counted_in_utf16_units_as_telegram_does() -> None:
    emoji = "📘"
    assert telegram_length(emoji * 3) == 6
    parts = split_message("\n".join([emoji * 3] * 4), limit=13)  # two lines: 6 + 1 + 6
    assert parts == [emoji * 3 + "\n" + emoji * 3] * 2


def test_blank_lines_at_a_cut_do_not_make_empty_messages() -> None:
    parts = split_message("aaaa\n\n\n\nbbbb", limit=5)
    assert parts == ["aaaa", "bbbb"]


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        split_message("a", limit=0)


def test_table_aligns_numbers_right_and_names_left_and_escapes_names() -> None:
    rendered = table(
        [[1, "Ан <Ана>", 12, Decimal("4.50")], [10, "Бо", 3, None]], header=["№", "Имя", "n", "ср."], right={0, 2, 3}
    )
    assert rendered == ("<pre> № Имя       n  ср.\n 1 Ан &lt;Ана&gt; 12 4.50\n10 Бо        3</pre>")


def test_dates_times_and_averages_per_language() -> None:
    day = dt.date(2026, 11, 26)
    assert format_date(day, "ru") == "26.11"
    assert format_date(day, "en") == "26 Nov"
    assert format_date(day, "ru", "full") == "26.11.2026"
    assert format_date(day, "en", "day") == "Thu 26 November"
    assert format_date(day, "ru", "day") == "чт, 26 ноября"
    assert format_time(dt.time(8, 5)) == "08:05"
    assert format_average(Decimal("4.6"), "ru") == "4,60"
    assert format_average(4.6, "en") == "4.60"
    assert format_average(None, "en") == "—"


# --- lengths as Telegram counts them, quotes, one message ----------------------------------------------


def test_visible_length_counts_what_telegram_shows() -> None:
    assert visible_length("<b>5А</b> &amp; &lt;b&gt;") == len("5А & <b>")
    assert visible_length("&#128216;&#x1F4D8;📘") == 6  # three emoji, two UTF-16 units each
    assert visible_length("&copy; & x") == len("&copy; & x")  # not an entity Telegram reads


def test_escaping_never_splits_a_text_that_fits() -> None:
    text = escape("&<>" * 1300)  # 3,900 characters shown, 15,600 of HTML
    assert split_message("<b>Заголовок</b>\n" + text) == ["<b>Заголовок</b>\n" + text]


def test_a_long_escaped_line_is_cut_by_what_is_shown_and_never_inside_an_entity() -> None:
    line = escape(" ".join(["a&b<c"] * 1500))  # 8,999 characters shown
    parts = split_message(line)
    assert len(parts) == 3
    assert all(visible_length(part) <= TELEGRAM_LIMIT for part in parts)
    assert all(not re.search(r"&(?![a-z]+;)", part) for part in parts)
    assert " ".join(parts) == line


def test_shorten_cuts_at_a_words_end_and_marks_the_cut() -> None:
    assert shorten("коротко") == "коротко"
    assert shorten("x" * QUOTE_LIMIT) == "x" * QUOTE_LIMIT
    assert shorten("x" * (QUOTE_LIMIT + 1)) == "x" * (QUOTE_LIMIT - 1) + "…"
    words = " ".join(["слово"] * 30)
    assert shorten(words) == " ".join(["слово"] * 16) + "…"
    assert shorten("abc def ghi", 8) == "abc def…"


def test_one_message_cuts_a_long_card_between_lines_and_keeps_the_html_whole() -> None:
    card = "<b>Карточка</b>\n" + table([[n, "строка " * 10] for n in range(200)])
    cut = one_message(card)
    assert visible_length(cut) <= TELEGRAM_LIMIT
    assert cut.startswith("<b>Карточка</b>\n<pre>") and cut.endswith("</pre>\n…")
    assert one_message("<b>коротко</b>") == "<b>коротко</b>"


def test_refusal_arguments_quote_briefly_and_list_whole() -> None:
    known = Listing(", ".join(f"Предмет номер {n}" for n in range(20)))
    args = quoted({"item": "<" * 500, "known": known, "number": 12345678901234567890})
    assert args == {"item": "&lt;" * 99 + "…", "known": known, "number": 12345678901234567890}

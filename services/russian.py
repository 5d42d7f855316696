"""Russian words agreeing with a number, for the text Python writes itself in Russian whatever the
reader's language (the documents): «1 урок», «2 урока», «5 уроков»; «пропущен 1 урок», «нужна ещё
1 отметка», «пропущено 5 уроков». The one place this is done, on pymorphy3's dictionary.

The chat's texts agree through Fluent's plural categories (locales/); people's names are declined in
services.names.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pymorphy3


@cache
def _analyzer() -> pymorphy3.MorphAnalyzer:
    """Loaded on first use (a fifth of a second; the dictionary ships in the pymorphy3-dicts-ru wheel)."""
    return pymorphy3.MorphAnalyzer(lang="ru")


@cache  # the documents count a handful of nouns
def _noun(word: str) -> pymorphy3.analyzer.Parse:
    """The reading of `word` as a subject (nominative), which the count then inflects: «урок» is read
    as the accusative first, and «ученик» in the accusative would give «2 учеников»."""
    parses = _analyzer().parse(word)
    return next((parse for parse in parses if parse.tag.case == "nomn"), parses[0])


@lru_cache(maxsize=4096)
def agree(word: str, count: int, case: str = "nomn") -> str:
    """`word` (a noun in the nominative singular) in the form `count` asks of it: agree("урок", 21) →
    «урок», agree("урок", 3) → «урока», agree("урок", 11) → «уроков». `case` is the case the phrase
    puts the count in (pymorphy3's grammeme): after «меньше», agree("отметка", 3, "gent") → «отметок»,
    agree("отметка", 1, "gent") → «отметки»."""
    noun = _noun(word)
    if case != "nomn":
        noun = noun.inflect({case}) or noun
    agreed = noun.make_agree_with_number(abs(count))
    return agreed.word if agreed else word


def counted(count: int, word: str, case: str = "nomn") -> str:
    """«120 уроков», «1 урок», «22 ученика»; in the genitive, «3 отметок» (as in «меньше 3 отметок»)."""
    return f"{count} {agree(word, count, case)}"


@lru_cache(maxsize=4096)
def predicate(word: str, count: int, noun: str) -> str:
    """A predicate before «`count` `noun`», given in the neuter («пропущено», «нужно»): it agrees with
    the noun where the count takes the noun's singular nominative («пропущен 1 урок», «нужна ещё
    21 отметка») and stays neuter elsewhere («пропущено 2 урока», «нужно ещё 5 отметок»)."""
    subject = _noun(noun)
    agreed = subject.make_agree_with_number(abs(count))
    if agreed is None or agreed.tag.number != "sing" or agreed.tag.case != "nomn":
        return word
    for parse in _analyzer().parse(word):
        if parse.tag.POS in ("ADJS", "PRTS") and parse.tag.gender == "neut":
            form = parse.inflect({subject.tag.gender, "sing"})
            if form is not None:
                return form.word
    return word

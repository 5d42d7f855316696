"""The figures Russian schools report for a group of pupils and a period, over plain results.

As issue 12 states them — for a class (or a parallel, or the school) and a period, over the pupils on
the list at the period's end (leavers before the end are not counted, newcomers are):

- успеваемость = (pupils with no «2» and no «н/а») ÷ N × 100 %;
- качество знаний = (pupils with only «4» and «5») ÷ N × 100 %;
- СОУ (степень обученности) = (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n_н/а) ÷ N, in %;
- средний балл, and the counts: отличники (all «5»), хорошисты (all «4»–«5», at least one «4»), with
  one «3», неуспевающие («2» or «н/а»), н/а.

Per subject, N is the pupils with a final mark or «н/а» in it (освобождённые are left out). Subjects and
periods without marks, and pass/fail subjects (services.marking), count nowhere: their «зч» / «нз» may be
printed, never counted.

How they are read here:
- A pupil's result in a subject (`Result`) is a mark, «н/а» (не аттестован) or «осв.» (освобождён);
  no final mark and no marks at all counts as «н/а», labelled a forecast. «осв.» is left out of
  everything for that subject. A «1», where a school allows it, counts with the «2»s.
- отличники need at least one result; with one «3» is exactly one «3», the rest «4»–«5»;
  аттестовано = N − (pupils with any «н/а»); успеваемость is so (N − неуспевающие) ÷ N × 100 % and
  качество (отличники + хорошисты) ÷ N × 100 %.
- СОУ's N is the number of results it weighs, n5 + n4 + n3 + n2 + n_н/а: every pupil × subject
  result of the group (for a class, each pupil's in each subject).
- средний балл is the mean of the numeric results.
- Percentages are rounded half up to one place, the средний балл to two; with N = 0 a figure is None
  (printed «—»).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from models import FinalMarkSpecial
from services.final_results import NOT_ASSESSED, PASS_FAIL, FinalResult

TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")
# СОУ: what each result is worth, in percent
LEARNING_WEIGHTS = {5: 100, 4: 64, 3: 36, 2: 16}
NOT_ASSESSED_WEIGHT = 7
EXEMPT = FinalMarkSpecial.EXEMPT.value
LEFT_OUT = frozenset({EXEMPT, *PASS_FAIL})  # results no figure counts


@dataclass(frozen=True, slots=True)
class Result:
    """A pupil's result in a subject for a period or the year, as the figures count it: a final result
    (services.final_results: a mark, «н/а», «осв.»), or with `forecast` what the current marks suggest.
    `final` None: no final result and no marks to suggest one — counted as «н/а»."""

    final: FinalResult | None
    forecast: bool = False
    unmarked: bool = False  # a subject or period without marks, or pass/fail: never counted (services.marking)

    @property
    def value(self) -> int | None:
        return None if self.final is None else self.final.value

    @property
    def exempt(self) -> bool:
        return self.final is not None and self.final.special == EXEMPT  # (asked for every result of a school)

    @property
    def left_out(self) -> bool:
        """Counted in no figure: «осв.», and whatever a subject or period without marks holds («зч», «нз»)."""
        return self.unmarked or (self.final is not None and self.final.left_out)

    @property
    def not_assessed(self) -> bool:
        return self.value is None and not self.left_out

    @property
    def text(self) -> int | str:
        """As a document prints it: the mark, «н/а», «осв.», «зч» or «нз»; nothing where no result is taken."""
        if self.value is not None:
            return self.value
        if self.final is None and self.unmarked:
            return ""
        return (self.final or NOT_ASSESSED).label()


NOTHING = Result(None, forecast=True)  # no final, no marks: «н/а»
UNMARKED = Result(None, unmarked=True)  # a subject or period without marks, nothing set: counted nowhere


def unmarked(result: Result | None) -> Result:
    """A result of a subject or period without marks: its «зч» / «нз» kept for the documents, never counted."""
    if result is None or result.final is None:
        return UNMARKED
    return Result(result.final, unmarked=True)


@cache  # a handful of values, asked for every pupil and subject of a school: one frozen Result each
def forecast_of(value: int | None) -> Result:
    """The result a suggested mark stands for; NOTHING without one."""
    return NOTHING if value is None else Result(FinalResult(value), forecast=True)


@dataclass(frozen=True)
class Figures:
    pupils: int  # N
    certified: int  # аттестовано
    excellent: int  # отличники
    good: int  # хорошисты
    one_three: int  # с одной «3»
    failing: int  # неуспевающие
    not_assessed: int  # with any «н/а»
    success: Decimal | None  # успеваемость, %
    quality: Decimal | None  # качество знаний, %
    learning: Decimal | None  # СОУ, %
    average: Decimal | None  # средний балл
    forecast: bool  # some result counted is a forecast


def group_figures(pupils: Iterable[Iterable[Result]]) -> Figures:
    """The figures of a group: one iterable of results per pupil on the list (every subject's)."""
    n = certified = excellent = good = one_three = failing = not_assessed = 0
    counts = dict.fromkeys((5, 4, 3, 2, None), 0)  # None: «н/а»; a «1» counts with the «2»s
    total = 0  # of the numeric results
    forecast = False
    for own in pupils:
        values: list[int] = []
        missing = 0  # «н/а»
        seen = taken = False  # taken: some result is not of a subject or period without marks
        for result in own:  # (the properties spelt out: this runs for every result of a school)
            final = result.final
            seen = True
            if result.unmarked:
                continue
            taken = True
            if final is not None and final.special in LEFT_OUT:
                continue
            forecast = forecast or result.forecast
            if final is None or final.value is None:
                missing += 1
            else:
                values.append(final.value)
        if seen and not taken:
            continue  # every result without marks (grade 2's first term): the pupil is no part of N
        n += 1
        for value in values:
            counts[max(value, 2)] += 1
        total += sum(values)
        counts[None] += missing
        low = sum(1 for value in values if value <= 2)
        threes = values.count(3)
        if missing:
            not_assessed += 1
        else:
            certified += 1
        if missing or low:
            failing += 1
        elif values and threes == 0:
            if min(values) == 5:
                excellent += 1
            else:
                good += 1
        elif threes == 1:
            one_three += 1
    results_counted = sum(counts.values())
    worth = sum(LEARNING_WEIGHTS[mark] * counts[mark] for mark in LEARNING_WEIGHTS)
    worth += NOT_ASSESSED_WEIGHT * counts[None]
    numeric = results_counted - counts[None]
    return Figures(
        pupils=n,
        certified=certified,
        excellent=excellent,
        good=good,
        one_three=one_three,
        failing=failing,
        not_assessed=not_assessed,
        success=percent(n - failing, n),
        quality=percent(excellent + good, n),
        learning=_share(worth, results_counted, TENTH),
        average=_share(total, numeric, HUNDREDTH),
        forecast=forecast,
    )


def subject_figures(results: Iterable[Result]) -> Figures:
    """The figures of one subject: each pupil's result in it; «осв.» pupils are not counted at all."""
    return group_figures([result] for result in results if not result.left_out)


def percent(part: int, whole: int) -> Decimal | None:
    return _share(part * 100, whole, TENTH)


def _share(part: int, whole: int, places: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)

"""A period or year result as one value: a mark (2–5, 1 where the school allows it), «н/а», «осв.», or
«зч» / «нз» of a pass/fail subject (services.marking).

models.FinalMark keeps a result in two columns (`value`, or `special` with `value` NULL); everything that
reads, compares, writes, shows or parses a result goes through FinalResult, so «н/а» is never taken for a
missing mark, nor «осв.» for a failing one:
- «н/а» (не аттестован: too few marks, too many absences) is a result, and a failing one in the figures;
- «осв.» (освобождён) is a result too, and the subject's figures leave the pupil out;
- «зч» / «нз» (зачтено / не зачтено) are a pass/fail subject's only results, never counted in figures.

A result's label is the same word in a chat, a family's notice and a printed document, so it is read
from the Fluent catalogue here (services.catalogue) rather than by each side on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models import FinalMarkSpecial
from services.catalogue import Catalogue, bundle
from services.entry_parser import HIGHEST_MARK
from services.errors import ValidationFailed

if TYPE_CHECKING:
    from models import FinalMark, Period

SPECIALS = frozenset(special.value for special in FinalMarkSpecial)
_LABEL_KEYS = {
    FinalMarkSpecial.NOT_ASSESSED.value: "final-result-na",
    FinalMarkSpecial.EXEMPT.value: "final-result-exempt",
    FinalMarkSpecial.PASSED.value: "final-result-pass",
    FinalMarkSpecial.FAILED.value: "final-result-fail",
}
PASS_FAIL = frozenset({FinalMarkSpecial.PASSED.value, FinalMarkSpecial.FAILED.value})

# What a teacher types, once lower-cased, «ё» read as «е», and spaces, dots and slashes dropped:
# «н/а», «н\а», «на», «Н.А.», «na», «n/a», «не аттестована»; «осв», «осв.», «освобождён(а)», «exempt»;
# «зч», «зачтено», «зачёт», «pass»; «нз», «не зачтено», «незачёт», «fail».
_TYPED_SPECIALS = {
    **dict.fromkeys(("на", "na", "нa", "неаттестован", "неаттестована"), FinalMarkSpecial.NOT_ASSESSED.value),
    **dict.fromkeys(("осв", "освоб", "освобожден", "освобождена", "exempt"), FinalMarkSpecial.EXEMPT.value),
    **dict.fromkeys(("зч", "зачтено", "зачет", "pass", "passed"), FinalMarkSpecial.PASSED.value),
    **dict.fromkeys(("нз", "незачтено", "незачет", "fail", "failed"), FinalMarkSpecial.FAILED.value),
}
_DROPPED = re.compile(r"[\s./\\]+")


@dataclass(frozen=True, slots=True)
class FinalResult:
    """A mark in `value`, or a models.FinalMarkSpecial value in `special` — exactly one of them."""

    value: int | None = None
    special: str = ""

    def __post_init__(self) -> None:
        if (self.value is None) == (not self.special) or (self.special and self.special not in SPECIALS):
            raise ValueError(f"a final result is a mark or one of {sorted(SPECIALS)}: {self.value!r}, {self.special!r}")

    @property
    def is_special(self) -> bool:
        return bool(self.special)

    @property
    def not_assessed(self) -> bool:
        return self.special == FinalMarkSpecial.NOT_ASSESSED.value

    @property
    def exempt(self) -> bool:
        return self.special == FinalMarkSpecial.EXEMPT.value

    @property
    def pass_fail(self) -> bool:
        """«зч» or «нз»."""
        return self.special in PASS_FAIL

    @property
    def left_out(self) -> bool:
        """Not counted in any average or figure: «осв.», «зч», «нз»."""
        return self.exempt or self.pass_fail

    def label(self, language: str = "ru") -> str:
        """The label: "5"; «н/а», «осв.», «зч», «нз» (in English "n/a", "exempt", "pass", "fail")."""
        if self.value is not None:
            return str(self.value)
        return Catalogue(language, bundle(language))(_LABEL_KEYS[self.special])

    def columns(self) -> dict[str, Any]:
        """The FinalMark columns that hold it."""
        return {"value": self.value, "special": self.special}


NOT_ASSESSED = FinalResult(special=FinalMarkSpecial.NOT_ASSESSED.value)
EXEMPT = FinalResult(special=FinalMarkSpecial.EXEMPT.value)


def result_or_none(value: int | None, special: str | None) -> FinalResult | None:
    """The result two columns hold (a FinalMark's, a notice's), None when they hold none."""
    if value is None and not special:
        return None
    return FinalResult(value, special or "")


def result_of(final: FinalMark | None) -> FinalResult | None:
    return None if final is None else result_or_none(final.value, final.special)


def label_of(result: FinalResult | None, language: str = "ru") -> str:
    """A result's label; "" where there is none (an empty cell)."""
    return "" if result is None else result.label(language)


def period_results(
    finals: Mapping[tuple[int, int, int | None], FinalMark], student_id: int, subject_id: int, periods: Sequence[Period]
) -> tuple[FinalResult | None, ...]:
    """A pupil's results in a subject for each of the year's periods, in order (services.grades.final_marks_of)."""
    return tuple(result_of(finals.get((student_id, subject_id, period.id))) for period in periods)


def parse_final_result(typed: str | int, lowest: int) -> FinalResult:
    """What a teacher typed after «№:»: a mark from `lowest` to 5, or «н/а» / «осв.» as people write them.
    Anything else is refused with the allowed values (ValidationFailed «period-bad-value»)."""
    text = str(typed).strip()
    if text.isdigit():
        value = int(text)
        if lowest <= value <= HIGHEST_MARK:
            return FinalResult(value)
    else:
        special = _TYPED_SPECIALS.get(_DROPPED.sub("", text.casefold().replace("ё", "е")))
        if special is not None:
            return FinalResult(special=special)
    raise ValidationFailed("period-bad-value", value=text, low=lowest, high=HIGHEST_MARK)

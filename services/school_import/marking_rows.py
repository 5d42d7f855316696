"""The optional `marking` column of the `assignments` sheet: how a class–subject is assessed (services.marking).

`marks` (the default, an empty cell too), `none` (безотметочный: ОРКСЭ in grade 4, some electives) or
`pass_fail` (зачёт: the term and the year «зч» / «нз»); the Russian words are read as well. It is the
class–subject's rule, so every row of one class and subject (each group's teacher, a second teacher)
says the same; a row that says otherwise is a problem naming the row it disagrees with.
"""

from __future__ import annotations

from models import Marking
from services.school_import.cells import RowReader

_TYPED = {
    **dict.fromkeys(("marks", "отметки", "с отметками", "оценки"), Marking.MARKS),
    **dict.fromkeys(("none", "без отметок", "безотметочно", "безотметочный", "безотметочное"), Marking.NONE),
    **dict.fromkeys(("pass_fail", "pass/fail", "зачёт", "зачет", "зачёт/незачёт", "зачет/незачет"), Marking.PASS_FAIL),
}


def parse_marking(value: str) -> Marking:
    marking = _TYPED.get(" ".join(value.casefold().split()))
    if marking is None:
        raise ValueError(f"unknown marking {value!r} (marks, none, pass_fail)")
    return marking


class MarkingAgreement:
    """Remembers each class–subject's marking and its first row; says where a later row disagrees."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], tuple[Marking, int]] = {}

    def check(self, row: RowReader, class_name: str, subject: str, marking: Marking) -> None:
        first = self._first.setdefault((class_name, subject), (marking, row.number))
        if first[0] is not marking:
            row.fail(
                "marking",
                f"{class_name} {row.raw('subject')}: {marking.value} here, {first[0].value} in row {first[1]}; "
                "every row of a class and subject has the same marking",
            )

## Period and year marks: /period (teachers, deputy), /journal (deputy, director: read only).

period-usage = Term marks: /period 5А матем. Another term: /period 5А матем 1. Year marks: /period 5А матем year. The deputy head or the director closes a term from its last day: /period close 2.
period-yours = Your classes: { $examples }
period-usage-subject = Give a class and a subject, e.g. /period 5А матем.
period-close-usage = Which term should be closed? E.g. /period close 2.
period-title = <b>{ $class_name } · { $subject }</b> · { $scope }
period-col-name = Student
period-col-count = marks
period-col-marks = marks
period-col-average = avg
period-col-suggested = ≈
period-col-final = final
period-col-year = year
period-legend = avg — the average weighted by the kind of work; ≈ — the mark the average gives (none without marks); final — the mark set; n/a — not assessed, exempt — excused from the subject.
period-legend-year = 1–4 — term marks; avg — their mean; ≈ — the year mark it gives (a term “n/a”: yours to decide; every term “exempt”: “exempt”); year — the mark set.
period-empty-class = No students in the class for these dates.
period-locked-note = The term is closed: its marks are final.
period-hint = To set or change a mark, type No.:mark, e.g. 3:4 (several at once: 3:4 5:5). Not assessed: 3:n/a, exempt: 3:exempt. “Confirm” shows ≈ for everyone without a final mark yet and sets them on “Set”; “n/a” and “exempt” are only set this way, by hand. A mark more than 0.5 from the average needs a reason: 3:4 // reason.
period-hint-locked = In a closed term only the deputy head may change a mark, giving a reason: 3:4 // reason (or 3:n/a, 3:exempt).
period-button-confirm = Confirm ≈ ({ $count })
period-confirmed = Set: { $written }. Already set: { $kept }. Without marks (nothing to suggest): { $without }.
period-confirmed-for-the-teacher = Not set because a term is “n/a” or “exempt”: { $count } — set them yourself, e.g. 3:4, 3:n/a or 3:exempt.
period-changed = No. { $number } { $name } — { $mark }
period-closed = “{ $period }” is closed: its marks are final. Only the deputy may change them, with a reason.
period-locked = “{ $period }” is closed: only the deputy head may change its marks, with a reason.
period-reason-needed = “{ $period }” is closed: give a reason, e.g. 3:4 // entered by mistake.
period-bad-value = A mark of { $value } is not possible: from { $low } to { $high }, “n/a” (not assessed) or “exempt”.
period-no-such-number = There is no No. { $number } in the list: numbers 1 to { $count }.
period-close-needs-period = Close a term, not the year: e.g. /period close 4.
period-already-closed = “{ $period }” is already closed.
period-first-grade = { $class_name } gets no marks (first grade: attendance only).
period-no-marks-subject = { $subject } in { $class_name } is taught without marks: it gets no term or year marks.
period-no-marks-period = { $class_name } gets no marks for { $period }: the school's rule for grade { $grade }.
period-pass-fail-only = { $subject } in { $class_name } is assessed pass/fail: instead of { $value }, “pass”, “fail”, “n/a” or “exempt”.
period-marks-only = { $subject } in { $class_name } is assessed with marks: “{ $value }” is only for pass/fail subjects. From { $low } to { $high }, “n/a” or “exempt”.
period-subject-not-taught = { $class_name } has no subject “{ $subject }”.
period-class-or-subject-gone = This class or subject no longer exists.
journal-usage = A journal page: /journal 5А матем; another term: /journal 5А матем 1; year marks: /journal 5А матем year; a past school year: /journal 5А 2026/27 матем.

## A period or year result that is not a number (services.final_results): the label in sheets, notices, documents.
final-result-na = n/a
final-result-exempt = exempt
final-result-pass = pass
final-result-fail = fail

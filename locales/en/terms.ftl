## Closing and reopening a term (/period close, /period reopen); term and year marks' safeguards and notices.

period-close-who = A term is closed and reopened by the deputy head or the director.
period-close-too-early = “{ $period }” is still running: it can be closed from its last day, { $end }. Until then teachers set the marks.
period-close-ask = Close “{ $period }”? After that only the deputy head changes marks, with a reason.
period-close-nothing-missing = Every student has a term mark.
period-close-missing = Term marks not set: { $count }.
period-close-missing-line = { $class_name } · { $subject } — { $count }: { $pupils }
period-close-button = Close the term
period-close-cancel-button = Cancel
period-close-cancelled = The term is not closed.
period-reopen-usage = Which term to reopen, and why? For example: /period reopen 2 // a mistake in the term marks.
period-reopen-reason = “{ $period }” can be reopened only with a reason: /period reopen … // reason.
period-not-closed = “{ $period }” is not closed: nothing to reopen.
period-reopened = “{ $period }” is open again: teachers may change the term marks. Reason: { $reason }.

## Term and year marks: year marks wait for the terms, a whole class is shown before it is set,
## a mark far from the average needs a reason.
period-year-too-early = Year marks are set once every term has ended: the last one ends on { $end }.
period-year-waits = Year marks come after every term has ended ({ $end }); until then nothing is suggested.
period-far-from-average = No. { $number } { $name }: a mark of { $mark } is more than { NUMBER($far, minimumFractionDigits: 1) } away from the average { NUMBER($average, minimumFractionDigits: 2) }. If it is right, give a reason: { $number }:{ $mark } // reason.
period-preview-title = Set the term marks — { $class_name } · { $subject } · { $scope }:
period-preview-line = No. { $number } { $name } — <b>{ $mark }</b> (avg { $average })
period-preview-hint = Other marks stay as they are. Check the list and press “Set”.
period-button-apply = Set ({ $count })
period-button-cancel = Cancel
period-preview-cancelled = No marks were set.
period-preview-stale = This list is no longer open: open it again with /period.
period-confirmed-changed = Not set because the average changed after you looked: { $changed } — open the list again.

## Notices to families
notify-final-mark =
    📘 Final mark — { $student }
    { $subject }, { $scope }: <b>{ $value }</b>{ notify-final-meaning }
notify-final-mark-changed =
    ✏️ Final mark changed — { $student }
    { $subject }, { $scope }: was { $before } → now <b>{ $value }</b>{ notify-final-meaning }
# “n/a” and “exempt” said in words after the label ($special: "", na, exempt; $gender: the pupil's).
notify-final-meaning = { $special ->
    [na] {" "}— not assessed
    [exempt] {" "}— excused from the subject
   *[other] {""}
}
notify-final-average = Average: { $average }
notify-final-year = the { $year } school year

## /control: marks set far from the average
control-far-marks = <b>Final marks more than 0.5 away from the average</b>
control-far-mark-line = { $class_name } · { $subject } · { $scope } · { $name } — <b>{ $mark }</b> against an average of { $average }; { $teacher }: “{ $reason }”

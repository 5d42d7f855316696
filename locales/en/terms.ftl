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

## Fixed class numbers and confirmed movement (issue 9, items 2 and 10)

movement-name-invalid = The name «{ $name }» may hold only letters, spaces, hyphens and apostrophes — no digits, signs or markup. Write it as in the documents, e.g. /enrol 5А s99 Петров Пётр Петрович
movement-confirm-enrol = Record enrolment: { $name } ({ $id }) into { $class_name } from { $date }? The student gets the next free number at the end of the list.
movement-confirm-return = Record the return: { $name } ({ $id }) into { $class_name } from { $date }?
movement-confirm-correction = This is a correction of data, not a transfer: { $name } ({ $id }) from { $from_class } to { $to_class } from { $date } (more than one grade apart). Record it as a correction?
movement-button-confirm-correction = Confirm the correction of data
movement-managers-only = Enrolments, moves and leavings are recorded by the class teacher (in their own class) and the administrator.
movement-confirm-expired = Nothing to confirm: the command is out of date. Please type it again.
movement-grade-jump = A move from { $from_class } to { $to_class } spans more than one grade: that is no transfer. If the class on record is wrong, the administrator corrects it: /move, «Confirm the correction of data».
movement-grade-jump-admin = A move from { $from_class } to { $to_class } spans more than one grade: it can be recorded only as a correction of data, with «Confirm the correction of data».
movement-number = No. { $number } on the list

homeroom-list-left = { $number }. { $name } ({ $id }) — left on { $date }

entry-student-left = No. { $number } on the { $class_name } list is { $name }, who left on { $left }: nothing can be recorded for them after that date. Check the number: numbers on the list do not shift.

## Class teachers: /class (the daily record, explanations, the class list) and movement.

homeroom-usage-class = To open a class: /class, /class { $day }, /class students or /class 5А { $day }.
homeroom-no-class = You are not the class teacher of any class.
homeroom-pick-class = Which class?
homeroom-class-gone = This class no longer exists.

## The daily record

homeroom-day-title = <b>{ $class_name }</b> · absences on { $date }
homeroom-day-none = No absences. Students in the class: { $size }.
homeroom-day-summary = Absent: { $absent } of { $size }.
homeroom-day-unexplained = <b>Not explained</b>
homeroom-day-others = <b>Explained, and late arrivals</b>
homeroom-day-student = { $number }. { $name } — { $lessons }
homeroom-day-lesson = { $lesson_no } { $subject } { $code }
homeroom-day-proposal = { $code } (parents: { $proposal })
homeroom-button-confirm-proposal = No. { $number }: lesson { $lesson_no } — { $code }, as the parents said
homeroom-no-proposal = Nothing to confirm: the parents proposed no explanation of this absence, or it is explained already.
homeroom-day-hint = Buttons: б — ill, уп — excused, нп — unexcused; for the whole day. "by lesson" — each lesson on its own.
homeroom-button-explain = №{ $number } { $code }
homeroom-button-by-lesson = №{ $number } by lesson
homeroom-button-explain-lesson = lesson { $lesson_no }: { $code }
homeroom-button-back = ← back to the class's absences
homeroom-lessons-title = { $name } · { $date }, by lesson:
homeroom-explained = Saved: { $name } — { $code } (lessons: { $lessons }).

homeroom-bad-explanation = An absence is explained as б, уп or нп (not «{ $code }»).
homeroom-not-absence = Only «н» can be explained; this entry is «{ $code }».
homeroom-nothing-to-explain = Nothing to explain: the student has no «н» that day.

## The class list

homeroom-list-title = <b>{ $class_name }</b> · class list on { $date }
homeroom-list-period = Averages and absences — { $period }, up to today.
homeroom-list-empty = There are no students in the class.
homeroom-list-flagged = Need attention: { $count } (average below 3 in a subject, or more than 20% of lessons missed).
homeroom-list-student = { $number }. <b>{ $name }</b> ({ $id }) — { $state }
homeroom-list-parent = { "   " }parent: { $name }{ $phone } — { $state }
homeroom-list-no-parents = { "   " }no parents on record
homeroom-flag-average = { "   " }⚠️ average below 3: { $subject } — { $average }
homeroom-flag-missed = { "   " }⚠️ missed { $missed } of { $held } { $held ->
    [one] lesson
   *[other] lessons
 } ({ $percent }%)
homeroom-sign-in = { $state ->
    [active] ✅ signed in
    [blocked] ⛔ blocked the bot
   *[none] ▫️ not signed in
 }
homeroom-button-student = { $number }. { $name }
homeroom-button-enrol = ➕ Enrol a student

## Movement

movement-card = { $name } ({ $id }), { $class_name }. What to record?
    Another date: /move { $id } &lt;class&gt; DD.MM or /leave { $id } DD.MM
movement-button-move = Move to another class
movement-button-leave = Left the school
movement-button-class = to { $class_name }
movement-button-confirm = Confirm
movement-button-cancel = Cancel
movement-pick-class = Move { $name } to which class?
movement-confirm-move = Record a move: { $name } ({ $id }) from { $from_class } to { $to_class } from { $date }?
movement-confirm-leave = Record leaving: { $name } ({ $id }) left { $from_class } on { $date }?
movement-cancelled = Cancelled; nothing recorded.
movement-enrol-help =
    Enrol into { $class_name }: /enrol { $class_name } &lt;id&gt; &lt;full name&gt; [date]
    e.g. /enrol { $class_name } s99 Петров Пётр Петрович { $from }
    Bring back a student who had left: /enrol { $class_name } &lt;id&gt; [date]

movement-enrolled = Enrolled into { $class_name } from { $date }: { $name } ({ $id }), { movement-number }.
movement-returned = Back in { $class_name } from { $date }: { $name } ({ $id }), { movement-number }.
movement-moved = Moved from { $from_class } to { $to_class } from { $date }: { $name } ({ $id }), { movement-number }.
movement-left = Left { $from_class } on { $date }: { $name } ({ $id }).

movement-usage-enrol = To enrol: /enrol &lt;class&gt; &lt;id&gt; &lt;full name&gt; [date], e.g. /enrol 5А s99 Петров Пётр Петрович { $from }
movement-usage-move = To move: /move &lt;id&gt; &lt;class&gt; [date], e.g. /move s3 5Б { $from }
movement-usage-leave = To record leaving: /leave &lt;id&gt; [date], e.g. /leave s3 { $from }
movement-unknown-student = There is no student with id { $id } in the journal.
movement-name-needed = A new student needs a surname and a first name: /enrol 5А s99 Петров Пётр Петрович
movement-name-too-long = The name is too long: at most { $limit } { $limit ->
    [one] character
   *[other] characters
 }.
movement-id-too-long = The id is too long: at most { $limit } { $limit ->
    [one] character
   *[other] characters
 }.
movement-already-studying = Student { $id } already studies in { $cls }. To move them to another class: /move.
movement-id-taken = Id { $id } belongs to another student. Check the id; to bring back a student who had left, give the id without a name: /enrol &lt;class&gt; { $id }
movement-same-class = { $name } already studies in { $cls }.
movement-not-studying = Student { $id } is not in any class now. To bring them back: /enrol.
movement-future-date = { $date } has not come yet: a movement is recorded on the day it happens or later.
movement-before-history = A movement dated { $date } is already recorded: the new date cannot be earlier.
movement-entries-after = { $name } has marks or absences in { $cls } from { $date } on. Give a date after the last entry, or correct those entries first.

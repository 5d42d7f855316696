## Teachers: /today, the lesson view, /mark, /homework, /topic (handlers/teacher/, services/journal/)

## How to write

entry-help-mark =
    <b>Marks and attendance in one command</b>
    /mark &lt;class&gt; &lt;subject&gt; [date] [#work type] &lt;№&gt;:&lt;value&gt; …
    For example: /mark 5А math 3:5 7:4 12:н
    or: /mark 5a math 27.11 #test 1:5 2:3/4
    № is the student's number in the class list (alphabetical, as in the paper journal).
    Values: 2–5 a mark; 3/4 two marks for one lesson; н absent, б ill, оп late;
    - (or x) remove the student's marks for the lesson; + was present (remove н, б, оп).
    Date: 27.11, 27.11.2026 or 2026-11-27; no date means today. A lesson not in the timetable: 27.11/3 (date/lesson number).
    Correcting an entry made more than { $minutes } min ago needs a reason at the end: // wrong line
    A corrected mark keeps its kind of work unless you name another (#test). A pupil marked «н» or «б» in the lesson gets no mark; «н» over a mark is asked to confirm.
entry-usage-mark = Parts of the command are missing. Example: /mark 5А mathematics 3:5 7:4 12:н (full help: /mark on its own).
entry-usage-topic = Example: /topic 5А mathematics Adding fractions (a date if needed: /topic 5А mathematics 27.11 Adding fractions).
entry-usage-homework = Example: /homework 5А mathematics No. 112, 115 (for the next lesson) or /homework 5А mathematics 27.11 No. 112 (for the lesson on 27.11).

## Refusals while reading a command

entry-unknown-class = There is no class «{ $name }» in the school.
entry-unknown-subject = There is no subject «{ $name }». The school's subjects: { $known }.
entry-ambiguous-subject = «{ $name }» fits several subjects: { $candidates }. Please be more specific.
entry-unknown-work-type = There is no work type «{ $name }». Work types: { $known }.
entry-ambiguous-work-type = «{ $name }» fits several work types: { $candidates }. Please be more specific.
entry-bad-date = «{ $text }» is not a date. Write 27.11, 27.11.2026 or 2026-11-27.
entry-bad-lesson-no = Wrong lesson number in «{ $text }»: after the slash comes a lesson number from 1 to 12.
entry-bad-item = I don't understand «{ $item }»: write the student's number and the value, e.g. 3:5 or 12:н.
entry-bad-mark = «{ $item }»: there is no mark { $mark } — marks go from { $lowest } to 5.
entry-too-many-marks = «{ $item }»: at most two marks for one lesson (3/4).
entry-class-teacher-code = «{ $item }»: «{ $code }» is set by the class teacher when explaining an absence. A teacher marks н, б or оп.
entry-bad-value = «{ $item }»: unknown value. Possible: 2–5, 3/4, н, б, оп, - (remove marks), + (was present).
entry-repeated-student = Student No. { $number } appears twice in the command: keep one value.
entry-no-items = There is nothing to record: after the class and subject write e.g. 3:5 7:4 12:н.
entry-no-text = No text: write it after the class and subject (and the date, if needed).
entry-text-too-long = The text is too long: at most { $limit } { $limit ->
    [one] character
   *[other] characters
 }.
entry-reason-too-long = The reason is too long: at most { $limit } { $limit ->
    [one] character
   *[other] characters
 }. A short note will do.

## Refusals by the rules

entry-lesson-not-found = There is no such lesson. Open it again from /today.
entry-staff-only = Only teachers write to the journal.
entry-not-your-lesson = You don't teach «{ $subject }» in { $class_name }: you can't write to that journal.
entry-grade-one-marks = No marks are given in { $class_name }: first grades keep attendance only (regulation 1.3). Attendance and the topic can be recorded.
entry-grade-one-homework = Homework is not recorded for { $class_name } (regulation 1.3).
entry-no-marks-subject = { $subject } in { $class_name } is taught without marks: no marks are given. Attendance, the topic and homework can be recorded.
entry-no-marks-pass-fail = { $subject } in { $class_name } is assessed pass/fail: lessons get no marks, the term and the year “pass” or “fail”. Attendance, the topic and homework can be recorded.
entry-no-marks-period = { $class_name } gets no marks in { $period }: the school's rule for grade { $grade }. Attendance, the topic and homework can be recorded.
entry-no-next-lesson = No next lesson of «{ $subject }» for { $class_name } in the timetable. Give the lesson's date, e.g. /homework { $class_name } { $subject } 27.11 text.
entry-future-date = { $date } has not come yet: marks, attendance and the topic are recorded on the lesson's day or later.
entry-outside-year = { $date } is outside the school year: nothing to record.
entry-holiday = { $date } is in the { $holiday }: no lessons.
entry-not-study-day = { $date } is not in any term: no lessons.
entry-no-such-number = The { $class_name } list on { $date } has no No. { $number }: the class has { $count } { $count ->
    [one] student
   *[other] students
 }.
entry-student-not-in-class = This student was not in { $class_name } on { $date }: this lesson can't be recorded for them.
entry-no-work-types = The school has no work types yet: please ask the administrator.
entry-period-locked = The { $period } marks are final: only the deputy head may change marks of this period, with a reason.

## A reason is needed

entry-reason-late = Student No. { $number } ({ $student }) was recorded more than { $minutes } min ago: the entry can only be corrected with a reason.
entry-reason-past-year = { $class_name } is a class of a past school year ({ $year }): a correction of its journal is only recorded with a reason.
entry-reason-not-yours = You are correcting a journal you don't keep ({ $class_name }, { $subject }): please give a reason.
entry-reason-locked = The { $period } marks are final: a change needs a reason.
entry-reason-hint-command = Repeat the command with the reason at the end after //, for example:
    { $example }
entry-reason-ask = Write the reason in one message. /cancel — don't correct.

## What was recorded

entry-recorded-header = { $class_name }, { $subject }, { $date }, lesson { $lesson_no }:
entry-recorded-header-work-type = { $class_name }, { $subject }, { $date }, lesson { $lesson_no } ({ $work_type }):
entry-removed = removed
entry-present = was present
entry-unchanged = unchanged
entry-reason = Reason: { $reason }
entry-topic-saved = Lesson topic recorded: { $class_name }, { $subject }, { $date }, lesson { $lesson_no }.
    { $text }
entry-homework-saved = Homework for the lesson on { $date } (lesson { $lesson_no }) recorded: { $class_name }, { $subject }.
    { $text }
entry-homework-exists = The lesson on { $date } (lesson { $lesson_no }) has homework already: “{ $existing }”. Replace it with the new homework, or add to it?
entry-homework-added = Homework for the lesson on { $date } (lesson { $lesson_no }) added to: { $class_name }, { $subject }.
    { $text }
entry-homework-kept = The homework is unchanged.
entry-homework-button-replace = Replace
entry-homework-button-add = Add
entry-homework-button-cancel = Cancel
entry-homework-choice-expired = This question is out of date: the homework has been saved already or you have set other homework since. Send it again if needed.

## /today

today-header = <b>Lessons, { $day }</b>
today-lesson = <b>{ $lesson_no }.</b> { $time } · { $class_name } · { $subject }
today-missing = missing: { $items }
today-complete = all filled in ✔
today-missing-attendance = attendance
today-missing-topic = topic
today-missing-marks = marks
today-missing-homework = homework
today-no-lessons = You have no lessons that day.
today-holiday = Holidays ({ $holiday }): no lessons.
today-outside-year = That day is outside the school year: no lessons.
today-open-hint = Open a lesson with its button to take attendance, give marks, record the topic and homework.
today-button = { $lesson_no } · { $class_name } · { $subject }

## The lesson view

lesson-title = <b>{ $class_name } · { $subject }</b>
lesson-when = { $day }, lesson { $lesson_no } { $time }
lesson-topic = Topic: { $topic }
lesson-no-topic = Topic: —
lesson-work-type = Work type of new marks: { $work_type }
lesson-homework = Homework for the next lesson ({ $day }): { $text }
lesson-no-homework = Homework for the next lesson ({ $day }): —
lesson-attendance-taken = Attendance taken ✔
lesson-attendance-open = Attendance not taken yet.
lesson-empty-class = Nobody is on the class list that day.
lesson-hint = Press a student's number or send a line: <code>3 5, 7 4, 12 н</code> (number and value separated by a space, entries by commas). Values: { $lowest }–5, 3/4, н, б, оп, - (remove marks), + (was present). /cancel closes the lesson.
lesson-hint-grade-one = Press a student's number or send a line: <code>3 н, 12 б</code>. Values: н, б, оп, + (was present). /cancel closes the lesson.
lesson-button-topic = Topic
lesson-button-homework = Homework
lesson-button-work-type = Work type
lesson-button-attendance-done = Everyone else was here ✔
lesson-button-refresh = Refresh
lesson-button-back = ← Back to the list
lesson-button-remove = ✖ remove marks
lesson-button-present = ✔ was present
lesson-button-history = History of changes
lesson-student = <b>No. { $number }. { $name }</b>
lesson-student-marks = Marks: { $marks }
lesson-student-code = Attendance: { $code }
lesson-student-pick = Choose a mark or an attendance code:
lesson-ask-topic = Write the lesson's topic in one message. /cancel — cancel.
lesson-ask-homework = Write the homework for the lesson on { $day } (lesson { $lesson_no }) in one message. /cancel — cancel.
lesson-pick-work-type = Which work type are the marks you are about to give?
lesson-work-type-set = Work type: { $work_type }
lesson-attendance-done = Attendance taken: the other students were present.
lesson-set = No. { $number }: { $value }
lesson-recorded = Recorded: { $changes }
lesson-recorded-reason = Recorded: { $changes } (reason: { $reason })
lesson-cancelled = Cancelled. The lesson is open: you can send lines of marks.
lesson-closed = Lesson closed.
lesson-history-title = <b>History: No. { $number }. { $name }</b>
lesson-history-empty = No changes.
lesson-history-created = set { $after }
lesson-history-changed = { $before } → { $after }
lesson-history-removed = removed { $before }
lesson-history-mark = mark
lesson-history-attendance = attendance

## A comment on a student's marks

lesson-button-comment = 💬 Comment
lesson-ask-comment = Write a comment on the marks of № { $number } ({ $name }) in one message: the parents will see it. «-» — remove the comment. /cancel — cancel.
entry-comment-saved = Comment recorded: { $comment }
entry-comment-removed = Comment removed.
entry-comment-no-mark = { $student } has no mark for this lesson: a comment goes with a mark.
entry-comment-period-locked = The final marks for { $period } are set: comments on this period's marks no longer change.
entry-work-type-changed = kind of work: { $before } → { $after }
entry-mark-while-absent = No. { $number } ({ $student }) is marked «{ $code }» in this lesson: a mark can't be given. If the pupil was there, remove the absence first: { $number }:+ { $number }:5; if late, { $number }:оп.
entry-confirm-absent-with-marks = No. { $number } ({ $student }) already has the mark { $marks } in this lesson. Mark «{ $code }»? The mark stays.
entry-confirm-button = Yes, mark «{ $code }»
entry-confirm-nothing = Nothing to confirm: this entry has been saved already or is out of date. Please send it again.

## Subgroups: a group's lesson is its own journal page (services.subgroups)
entry-no-such-number-in-group = Group { $group } ({ $class_name }, «{ $subject }») has no No. { $number } on { $date }: the group has { $count ->
    [one] { $count } student
   *[other] { $count } students
}, numbers 1 to { $count }.
entry-not-your-group = In { $class_name } «{ $subject }» is taught in groups, and yours is { $groups }: group { $group }'s lesson is another teacher's, you can't write to it.
entry-no-such-group = { $class_name } has no group «{ $group }» in «{ $subject }». Groups: { $groups }.
entry-subject-not-split = { $class_name } is not split into groups for «{ $subject }»: drop «/{ $group }» after the subject.
entry-name-the-group = In { $class_name } «{ $subject }» is taught in groups ({ $groups }): name the group after the subject, e.g. «{ $example }».
entry-student-not-in-group = This student was not in group { $group } ({ $class_name }, «{ $subject }») on { $date }: this group's lesson can't be recorded for them.

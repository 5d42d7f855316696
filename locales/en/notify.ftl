# Notifications to families and staff (bot/outbound/render.py), /settings, /write, /broadcast.

## Notifications
notify-marks-title = 🔔 New marks — { $student }
notify-mark-line = { $subject }: <b>{ $values }</b> — { $work_type }, { $date }
notify-mark-line-plain = { $subject }: <b>{ $values }</b>, { $date }
notify-comment = Teacher's comment: { $comment }
notify-mark-changed =
    ✏️ Mark corrected — { $student }
    { $subject }, { $date }: was { $before } → now <b>{ $after }</b>
notify-mark-removed =
    🗑 Mark removed — { $student }
    { $subject }, { $date }: { $before }
notify-reason = Reason: { $reason }
notify-absence =
    🚪 { $student } { $what }
    { $date }, { $lesson }, { $subject }.
notify-absence-changed =
    ✏️ Attendance corrected — { $student }
    { $date }, { $lesson }, { $subject }: was “{ $before }” → now “{ $after }”
notify-absence-removed =
    ✅ “{ $what }” withdrawn — { $student }
    { $date }, { $lesson }, { $subject }.
notify-lesson = lesson { $number }
notify-lesson-at = lesson { $number } ({ $time })
notify-what-absent = missed a lesson
notify-what-ill = missed a lesson (ill)
notify-what-late = was late for a lesson
notify-what-excused = missed a lesson for a valid reason
notify-what-unexcused = missed a lesson without a valid reason
notify-code-absent = absent
notify-code-ill = ill
notify-code-late = late
notify-code-excused = valid reason
notify-code-unexcused = no valid reason
notify-button-ill = Was ill
notify-button-excused = Valid reason
notify-button-unknown = Don't know
notify-homework =
    📚 Homework ({ $student }): { $subject } for { $date }
    { $text }
notify-broadcast =
    📢 Announcement — { $sender }, { $role }

    { $text }
notify-button-read = Read
notify-button-reply = Reply
notify-digest-title = 🗓 <b>Today's summary</b>
notify-unknown = You have a new notification in the school journal.
notify-role-homeroom = class teacher of { $class }
notify-role-director = head teacher
notify-role-deputy = deputy head
notify-role-admin = school administration
notify-from-homeroom = { $icon } <b>{ $sender }</b>, class teacher of { $class } — about { $student }:
notify-from-teacher = { $icon } <b>{ $sender }</b>, teacher ({ $subjects }) — about { $student }:
notify-from-school = { $icon } <b>{ $sender }</b>, school — about { $student }:
notify-from-parent = { $icon } <b>{ $sender }</b>, parent: { $student }, { $class }:
notify-explanation =
    📝 { $parent } about an absence: { $student } ({ $class }), { $lesson_date }, lesson { $lesson_no }, { $subject } — “{ $answer }”.
    This is the parent's proposal; confirm the explanation in /class.
notify-answer-ill = was ill
notify-answer-excused = valid reason
notify-answer-unknown = don't know

## The risk list's heads-up in the digest (services.reports.risk_notices)
notify-risk-title = ⚠️ { $student } may not reach a «3» for { $period }
notify-risk-average = { $subject }: average { $average } — { $need } to reach a «3»
notify-risk-few = { $subject }: { $marks ->
    [0] no marks yet
    [one] one mark so far
   *[other] { $marks } marks so far
 } — { $need } for a mark for the period
notify-risk-missed = { $subject }: { $percent }% of lessons missed
notify-risk-also-missed = { $percent }% of lessons missed
notify-risk-need = { $count ->
    [one] one more { $value } is needed
   *[other] { $count } more { $value }s are needed
 }
notify-risk-need-any = { $count ->
    [one] one more mark is needed
   *[other] { $count } more marks are needed
 }

## /settings
settings-title = ⚙️ <b>Notifications</b>
settings-scope = For: <b>{ $scope }</b>
settings-scope-all = all children
settings-button-scope = Switch child
settings-kind-marks = Marks
settings-kind-absences = Absences and late arrivals
settings-kind-homework = Homework
settings-kind-announcements = Announcements
settings-mode-instant = at once
settings-mode-digest = in the evening summary
settings-mode-off = off
settings-button-mode = { $kind } → { $mode }
settings-digest = Summary: every day at { $time }
settings-digest-unused = Summary time: { $time } (nothing goes to the summary now)
settings-quiet = Quiet hours: { $start }–{ $end } (absences still come at once)
settings-quiet-none = Quiet hours: none
settings-button-quiet-off = No quiet hours
settings-button-quiet-on = Quiet hours { $start }–{ $end }
settings-language = Language: { $language }
settings-student-on = Notifications about marks and absences: on
settings-student-off = Notifications about marks and absences: off. A pupil gets them only once they are switched on with the button below.
settings-button-student-on = Switch notifications on
settings-button-student-off = Switch notifications off
settings-hint = Summary time: /settings digest 19:30. Quiet hours: /settings quiet 22:00-07:00 or /settings quiet off.
settings-usage = Like this: /settings, /settings digest 19:30, /settings quiet 22:00-07:00 or /settings quiet off.
settings-saved = Saved
settings-error-time = “{ $value }” is not a time. Write it like 19:30.
settings-error-quiet = Write quiet hours like 22:00-07:00 (start and end differ), or off for none.
settings-error-work = Write hours off work like 20:00-08:00 (start and end differ), or off for none: messages from parents and pupils then come at any time.

## /write and replies
write-choose = Whom do you want to write to?
write-button-child = 👪 About my child: { $name }
write-button-class = 🏫 Students and parents of { $class_name }
write-choose-teacher = Whom do you want to write to?
write-button-teacher = { $name } — { $subjects }
write-choose-student = Write to whom: all the class's parents, one student's parents, or the student?
write-no-students = The class has no students.
write-no-contacts = The class has no teachers in the journal yet.
write-nobody = Through the bot, parents write to their child's teachers and the school's administration, students to their teachers, teachers to students, parents and colleagues.
write-prompt = Write your message to { $name } — text, a photo or a document. Your phone number and Telegram name are not passed on. /cancel to stop.
write-prompt-parents = Write your message to the parents of { $name } — text, a photo or a document. Your phone number and Telegram name are not passed on. /cancel to stop.
write-reply-prompt = Write your reply — text, a photo or a document. /cancel to stop.
write-sent = Sent ({ $count }). The answer will come here.
write-reply-sent = Reply sent.
write-cancelled = Cancelled.
write-error-unsupported = This cannot be passed on: text, photos and documents only.
write-error-empty = The message is empty.
write-error-too-long = Too long: at most { $limit } { $limit ->
    [one] character
   *[other] characters
 }.
write-error-no-parents = This student's parents have not joined the bot yet.
write-error-not-connected = { $name } has not joined the bot yet.
write-error-not-a-contact = You can write to the class teacher, the class's teachers, the deputy director and the director (a student: to their own teachers only).
write-error-not-yours = You can only reply to a message you received.
write-error-recipient-gone = That person can no longer be reached through the bot.
write-error-number = There is no number { $number } in { $class_name }'s list.

## Buttons under notifications
explain-sent = Thank you! The class teacher has been told and will confirm it.
explain-changed = Answer changed: the class teacher will see the new one.
explain-same = The class teacher already has this answer.
explain-error-answer = There is no such answer.
explain-error-withdrawn = The absence has already been withdrawn.
explain-error-not-absent = Nothing to explain: this is a lateness or an absence already explained, not a missed lesson.
explain-error-explained = The class teacher has already recorded the reason for this absence.

## /broadcast
broadcast-choose = Who is the announcement for?
broadcast-audience-class-parents = Parents of { $class_name }
broadcast-audience-class-students = Students of { $class_name }
broadcast-audience-class-all = Parents and students of { $class_name }
broadcast-audience-staff = All staff
broadcast-audience-school = The whole school
broadcast-audience-parallel-parents = Parents of grade { $grade }
broadcast-prompt = Recipients: { $count }. Write the announcement. /cancel to stop.
broadcast-preview = This is how { $count } { $count ->
    [one] recipient
   *[other] recipients
 } will see it. Send?
broadcast-button-send = Send
broadcast-button-cancel = Cancel
broadcast-button-report = Delivery report
broadcast-button-refresh = Refresh
broadcast-cancelled = The announcement was not sent.
broadcast-sent = The announcement is on its way ({ $count }). Report: the button below or /broadcast report.
broadcast-report = Total { $total }: delivered { $delivered }, queued { $pending }, blocked the bot { $blocked }, errors { $failed }, announcements off { $off }. Read: { $read }.
broadcast-none-yet = You have not sent any announcements yet.
broadcast-read-thanks = Thank you, noted.
broadcast-read-already = Already noted.
broadcast-error-text-only = Announcements are text only.
broadcast-error-no-class = Choose a class.
broadcast-error-not-allowed = Announcements are sent by class teachers (to their class), the deputy head, the head teacher and the administrator.
broadcast-error-school-wide = Only the deputy head, the head teacher and the administrator write to all staff or the whole school.
broadcast-error-parallel = Only the deputy head and the head teacher write to a grade's parents.
broadcast-error-no-parallel = The school has no such grade.
broadcast-error-not-found = There is no such announcement.
broadcast-error-not-yours = This is not your announcement.

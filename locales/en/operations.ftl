## On a schedule: reminders, control reports, archive copies; /status, /backup, /control.

## What a lesson lacks

control-missing-attendance = attendance
control-missing-topic = topic
control-missing-marks = marks
control-missing-homework = homework

## The teacher's reminder (REMINDER_TIME)

reminder-title = <b>Journal for { $day }</b>: to fill in by { $deadline }
reminder-line = { $lesson } — missing: { $missing }
reminder-hint = The lesson's button opens it. «No marks» — if this lesson had no marks and will have none.
reminder-button-open = { $class_name } · { $subject }
reminder-button-no-marks = No marks · { $class_name }, lesson { $lesson_no }
no-marks-done = Lesson closed without marks: { $class_name }, { $subject }, { $date }, lesson { $lesson_no }. No more reminders about its marks.
no-marks-grade-one = First grades get no marks — there is nothing to close.
no-marks-no-lesson = There is no such lesson in the timetable.

## Control reports: the deputy's daily list, the director's period report (/control)

control-col-teacher = Teacher
control-col-lessons = Lessons
control-col-on-time = On time
control-col-late = Late
control-col-missing = Missing
control-col-class = Class
control-col-average = Avg
control-col-quality = Qual.
control-col-success = Pass
control-no-lessons = There were no lessons.
deputy-title = <b>Journal control for { $day }</b>
deputy-no-overdue = Nothing overdue: everything was filled in on time.
deputy-overdue-line = { $time } { $class_name } { $subject } — missing: { $missing }
deputy-overdue-filled = { $time } { $class_name } { $subject } — was missing: { $missing } (filled in later)
deputy-week = <b>Week to date</b> ({ $start } — { $end }), lessons: on time / late / missing
director-title = <b>Journal control: { $period }</b> ({ $start } — { $end })
director-teachers = <b>Teachers</b>: share of lessons filled in on time, late and not at all
director-classes = <b>Classes</b>: average mark, quality (only 4s and 5s), pass rate (no 2s), absences by code
director-total = Total
director-notes = Figures use the period marks, or the weighted average where there are none yet. First grades have no marks.
control-usage = Usage: /control — the current period's report; /control day — what was overdue on the last school day.
control-no-period = The journal has no periods.
control-no-school-day = There have been no school days yet.
control-period-not-started = { $period } has just begun — nothing to count yet.

## The class teacher's day (HOMEROOM_REPORT_TIME) and the weekly data check (MISSING_DATA_TIME)

daily-proposals-title = <b>Parents say</b> (confirm with the buttons):
daily-proposal-line = { $name }: lesson { $lesson_no } ({ $subject }) — { $proposal }
daily-proposal-ill = was ill
daily-proposal-excused = a valid reason
daily-proposal-unknown = do not know why
missing-data-title = <b>{ $class_name }: missing student data</b> (as of { $date })
missing-data-line = { $number }. { $name } — { $gaps }
missing-data-no-parent = no parent linked
missing-data-parent-not-signed-in = a parent has not signed in
missing-data-no-consent = no personal-data consent
missing-data-hint = Invite parents with /invite parent &lt;id&gt;; see who has signed in with /access, whose consents are missing with /class consents.

## Archive copies

backup-done = Archive copy { $name } ({ $size }) is ready and passed the integrity check.
backup-too-big = Copy { $name } ({ $size }) is over 50 MB, too big for Telegram. It is on the server: { $path }
backup-failed = The archive copy failed: { $error }
backup-failed-notice = ⚠️ The nightly archive copy of the journal was not made or failed its check: { $error }
backup-failed-notice-now = ⚠️ The archive copy of the journal asked for just now was not made or failed its check: { $error }
backup-error-memory-database = The database is in memory: there is nothing to copy.
backup-error-no-database = The database file does not exist.
backup-error-no-file = There is no file { $path }.
backup-error-no-tool = { $tool } is not installed. PostgreSQL archive copies are made with pg_dump and restored with pg_restore: install the PostgreSQL client.
backup-error-tool-failed = { $tool } failed: { $detail }
backup-error-not-verified = The copy failed its check: { $detail }
backup-error-unexpected = Unexpected error: { $detail }
restore-error-bot-running = The bot is running (pid { $pid }). Stop it and run the restore again.
restore-error-wrong-kind = This copy is of another kind of database (SQLite and PostgreSQL copies are not interchangeable).

## /status

status-title = <b>Journal status</b>
status-version = Version: { $version }
status-uptime = Up for { $duration } (since { $since })
status-uptime-unknown = Up for: —
status-duration = { $days ->
    [0] { $hours } h { $minutes } min
   *[other] { $days } d { $hours } h
 }
status-megabytes = { $size } MB
status-database = Database: { $size }
status-backup-none = No archive copy yet.
status-backup-ok = Last copy: { $when }, { $size }, verified ✅
status-backup-failed = Last copy: { $when } — failed ❌ { $error }
status-outbox = Outbox: { $pending } waiting, { $failed } failed, the oldest waiting for { $oldest }
status-failure = · not delivered { $when } ({ $kind }): { $error }
status-accounts = Accounts: { $active } active, { $blocked } blocked the bot
status-jobs = Schedule:
status-job = · { $job } — { $when }
status-jobs-off = The scheduler is not running.
job-teacher_reminder = teachers' reminder
job-marks_deadline = marks deadline
job-deputy_report = deputy's report
job-director_report = director's period report
job-homeroom_daily = absences to class teachers
job-missing_data = student data check
job-risk_heads_up = at-risk heads-up to families
job-backup = archive copy

## python -m bot import: what became of each version of the timetable (services.timetable_versions)

import-timetable-created = Timetable: a new version, in force from { $valid_from } ({ $lessons } { $lessons ->
    [one] lesson
   *[other] lessons
 } a week).
import-timetable-replaced = Timetable: the version from { $valid_from } was replaced ({ $lessons } { $lessons ->
    [one] lesson
   *[other] lessons
 } a week).
import-timetable-unchanged = Timetable: the version from { $valid_from } is unchanged.
import-timetable-previous-kept = The earlier timetable (from { $previous }) stays in force until { $last_day } inclusive.

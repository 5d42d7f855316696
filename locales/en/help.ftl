## /help: one section per role; an account sees the sections of its roles.

help-everyone =
    <b>Everyone</b>
    /start — sign in with an invitation
    /help — this help
    /whoami — who I am in the journal
    /language — language / язык
    /settings — notifications: which, when, quiet hours
help-unbound =
    The journal is open by personal invitation only: open the link from your class teacher or the administrator.
    /start — sign in with an invitation
    /help — this help
    /language — language / язык
help-teacher =
    <b>Teacher</b>
    /today — my lessons today
    /today &lt;date&gt; — lessons on another day, e.g. /today { $day }
    /mark &lt;class&gt; &lt;subject&gt; [date] [#work type] &lt;no.&gt;:&lt;mark&gt; … — marks by class-list number, e.g. /mark 5А матем 3:5 7:4
    A subject taught in groups: numbers are in your group's list; with both groups of a class, name the group after the subject: /mark 5А англ/2 1:5 (also in /topic and /homework)
    /homework &lt;class&gt; &lt;subject&gt; &lt;text&gt; — set homework
    /topic &lt;class&gt; &lt;subject&gt; &lt;text&gt; — the lesson's topic
    /period &lt;class&gt; &lt;subject&gt; — averages and term marks; after the list «3:4» changes №3's mark, «3:n/a» — not assessed, «3:exempt» — exempt
    /period &lt;class&gt; &lt;subject&gt; year — year marks
    /lesson add &lt;class&gt; &lt;subject&gt; &lt;date&gt;/&lt;number&gt; — an extra lesson outside the timetable (confirmed); /lesson remove … — remove a lesson with no entries
    /write — write to a student's parents
    /report — reports as files (XLSX or PDF): the subject teacher's report for your classes
help-class-teacher =
    <b>Class teacher</b>
    /class — today's absences in your class; the б / уп / нп buttons explain the day's «н», "by lesson" one lesson at a time
    /class &lt;date&gt; — another day, e.g. /class { $day }
    /class students — the class list: parents, who has signed in, low averages and missed lessons
    /class consents — whose personal-data consents are missing; /consent &lt;pupil id&gt; — a pupil's card with buttons
    /consent &lt;pupil id&gt; &lt;parent id | self&gt; given|withdrawn [date] [document no.] — record a signed consent or its withdrawal
    /class 5А — a class by name (administrator, deputy, director)
    /enrol &lt;class&gt; &lt;id&gt; &lt;full name&gt; [date] — enrol, e.g. /enrol 5А s99 Петров Пётр Петрович { $from }
    /enrol &lt;class&gt; &lt;id&gt; [date] — bring back a student who had left
    /move &lt;id&gt; &lt;class&gt; [date] — move to another class, e.g. /move s3 5Б { $from }
    /leave &lt;id&gt; [date] — left the school, e.g. /leave s3 { $from }
    /group &lt;id&gt; &lt;subject&gt; &lt;group&gt; [date] — move to another group in a subject from a date, e.g. /group s3 англ 2 { $from }; earlier marks stay with the earlier group. A pupil joining a class with groups is placed with buttons the bot offers
    /groups [class] — who is in which group, for each subject split into groups
    Without a date: today. Dates: DD.MM, DD.MM.YYYY or YYYY-MM-DD.
    Enrolments, moves and leavings are recorded after «Confirm». List numbers are fixed for the year: a newcomer goes to the end, a student who left keeps their number.
    /invite parent &lt;id&gt;, /invite student &lt;id&gt; — invite a parent or student of your class (the older unused link stops working; for someone already signed in, after a confirmation)
    /invite class — invitations for every student and parent of your class
    /invite class pdf — the same invitations as slips to print: a QR code and the link, to hand out at the class meeting
    /access — who of your class has signed in
    /revoke parent &lt;id&gt;, /revoke student &lt;id&gt; — close access
    /broadcast — an announcement to the class's parents and/or students, with a read count
    /report — results, the summary sheet, attendance, pupils at risk, pupil movement, the class's report cards
help-parent =
    <b>Parent</b>
    /grades — your child's marks
    /grades &lt;subject&gt; — marks in one subject
    /grades &lt;term&gt; — an earlier term or the year, e.g. /grades 1 or /grades year
    /grades &lt;school year&gt; — marks of a past school year, e.g. /grades 2026/27
    /attendance — absences
    /homework — homework
    /homework week — homework for this week (Monday to Sunday), /homework next week — for the next
    /schedule — timetable
    /write — write to the class teacher or a teacher
    /report — your child's report card (PDF or XLSX)
    /child — choose the child, if you have several
help-student =
    <b>Student</b>
    /grades — my marks
    /grades &lt;subject&gt; — marks in one subject
    /grades &lt;term&gt; — an earlier term or the year, e.g. /grades 1 or /grades year
    /grades &lt;school year&gt; — marks of a past school year, e.g. /grades 2026/27
    /attendance — my absences
    /homework — homework
    /homework week — homework for this week (Monday to Sunday), /homework next week — for the next
    /schedule — timetable
    /report — my report card (PDF or XLSX)
help-school-reader =
    <b>Deputy head, head teacher</b>
    /journal &lt;class&gt; &lt;subject&gt; [term] — a journal page, read only
    /journal &lt;class&gt; &lt;school year&gt; &lt;subject&gt; [term] — a past school year's journal, e.g. /journal 5А 2026/27 матем
    /control — the journal-keeping report for the term
    /report — every report: results by class, parallel and school, journal keeping, summary sheets, attendance, movement, pupils at risk
    /consents — personal-data consents by class and for the whole school
    /broadcast — an announcement to a class's or a grade's parents, the staff or the whole school, with a read count
    /period close &lt;term number&gt; — close a term (from its last day, after a confirmation): after that only the deputy changes marks, with a reason
    /period reopen &lt;term number&gt; // reason — open a closed term again
    /substitute &lt;class&gt; &lt;date&gt;[/&lt;number&gt; &lt;teacher | subject | cancel | timetable&gt;] — a substitution (deputy head); parents and students are told
help-admin =
    <b>Administrator</b>
    /invite teacher|deputy|director|admin &lt;id&gt; — invite a staff member
    /invite parent|student &lt;id&gt; — invite a parent or a student
    /invite class &lt;class&gt; — invitations for a whole class; /invite class &lt;class&gt; pdf — as slips to print
    /access &lt;class&gt; — who of a class has signed in; /access staff — who of the staff
    /revoke &lt;role&gt; &lt;id&gt; — close access
    /broadcast — an announcement to the staff or the whole school
    /substitute &lt;class&gt; &lt;date&gt;[/&lt;number&gt; &lt;teacher | subject | cancel | timetable&gt;] — a substitution; parents and students are told
    /status — state: copies, notification queue, scheduler
    /backup — an archive copy now
    /newyear — the move to the next school year: what is missing and what it will do
    /report — every report; /archive — the year's journal archive (PDF and XLSX per class), confirmed by the director with a button

## The role guides for the school's website (`python -m bot guide`): the sections above, with a title
## and how to get in. $role: parent, student, teacher, class-teacher, deputy (services.help_topics).

guide-title = { $role ->
    [parent] A guide for parents
    [student] A guide for students
    [teacher] A guide for teachers
    [class-teacher] A guide for class teachers
   *[deputy] A guide for the deputy head and the head
 }
guide-sign-in = { $role ->
    [parent] The school's electronic journal works in Telegram. The class teacher gives each parent a personal invitation: a link and a QR code (usually at the class meeting). Point your phone's camera at the QR code or open the link, and press Start in Telegram: the bot greets you by name and from then on sends you marks, absences and announcements. The link is personal and opens once; if it is lost or your phone has changed, ask the class teacher for a new one.
    [student] The school's electronic journal works in Telegram. The class teacher gives each student a personal invitation: a link and a QR code. Point your phone's camera at the QR code or open the link, and press Start in Telegram: the bot greets you by name. The link is personal and opens once; if it is lost, ask the class teacher for a new one.
   *[other] The school's electronic journal works in Telegram. The journal's administrator gives each staff member a personal invitation: open the link and press Start in Telegram. The link is personal and opens once; if your phone or account has changed, ask the administrator for a new one.
 }

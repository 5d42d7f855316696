## Lessons come from the timetable (services.timetable_day, services.timetable_changes)

timetable-day-off = { $class_name } has no lessons on { $date }: a day off. Entries are made on the days of timetabled lessons.
timetable-no-lesson = { $class_name } has no { $subject } lesson on { $day }. { $class_name }'s lessons that day: { $lessons }. If a lesson was given outside the timetable, the deputy head records a substitution, or the teacher adds an extra lesson: /lesson add.
timetable-no-lesson-numbered = { $class_name }'s lesson { $lesson_no } on { $day } is not { $subject }. { $class_name }'s lessons that day: { $lessons }. Give the number of a timetabled lesson; if a lesson was given outside the timetable, the deputy head records a substitution, or the teacher adds an extra lesson: /lesson add.
timetable-lesson-cancelled = Lesson { $lesson_no } ({ $subject }) of { $class_name } on { $date } is cancelled: it takes no entries.
timetable-deputy-only = Substitutions are recorded by the deputy head or the administrator.
timetable-no-such-slot = { $class_name } has no timetabled lesson { $lesson_no } on { $day }. { $class_name }'s lessons that day: { $lessons }.
timetable-name-teacher = { $subject } in { $class_name } has no single teacher: name who gives the lesson.
timetable-not-a-teacher = { $name } is not a teacher: only a teacher can give a lesson.
timetable-nothing-to-restore = { $class_name }'s lesson { $lesson_no } on { $day } already follows the timetable.
timetable-lesson-written = Lesson { $lesson_no } ({ $subject }) of { $class_name } on { $day } already holds entries: the teacher removes them first (marks with «-», absences with «+»), then the lesson can be cancelled or given another subject.
timetable-no-such-bell = There is no lesson { $lesson_no } in the bell schedule: lessons 1 to { $last }.
timetable-number-taken = { $class_name }'s lesson { $lesson_no } on { $day } is taken: { $subject }. { $class_name }'s lessons that day: { $lessons }. Choose a free number.
timetable-old-row = The journal already has lesson { $lesson_no } ({ $subject }) of { $class_name } on { $day }, written outside the timetable. Remove it (/lesson remove) or choose another number.
timetable-extra-confirm = Add an extra { $subject } lesson in { $class_name }: { $date }, lesson { $lesson_no }? Parents and students will be told of the change of the timetable.
timetable-extra-button = Add: { $date }, lesson { $lesson_no }
timetable-remove-timetabled = Lesson { $lesson_no } ({ $subject }) of { $class_name } on { $day } is a timetabled lesson and can't be removed. If it was not given, the deputy head records it as cancelled (/substitute).
timetable-remove-nothing = { $class_name } has no lesson { $lesson_no } ({ $subject }) outside the timetable on { $day }: nothing to remove.
timetable-remove-not-yours = Only the teacher who added the { $subject } lesson in { $class_name }, or the deputy head, can remove it.
timetable-remove-has-entries = Lesson { $lesson_no } ({ $subject }) of { $class_name } on { $day } holds entries: marks — { $marks }, absences — { $absences }. Remove them first (for example: /mark { $class_name } { $subject } { $day }/{ $lesson_no } 3:- 5:+), then the lesson can be removed.

## Answers
timetable-done-substitution = Substitution recorded: { $class_name }, { $date }, lesson { $lesson_no } — { $subject }, given by { $teacher }.
timetable-done-cancellation = Lesson cancelled: { $class_name }, { $date }, lesson { $lesson_no } — { $subject }.
timetable-done-restored = The lesson follows the timetable: { $class_name }, { $date }, lesson { $lesson_no } — { $subject }, given by { $teacher }.
timetable-done-extra = Extra lesson added: { $class_name }, { $subject }, { $date }, lesson { $lesson_no }. It is in /today { $day }.
timetable-done-removed = Lesson removed: { $class_name }, { $subject }, { $date }, lesson { $lesson_no }.
timetable-told-families = The class's parents and students have been told of the change of the timetable.
timetable-usage-lesson =
    An extra lesson, and a lesson created by mistake:
    /lesson add &lt;class&gt; &lt;subject&gt; &lt;date&gt;/&lt;lesson number&gt; — for example /lesson add 5А матем 01.12/6
    /lesson remove &lt;class&gt; &lt;subject&gt; &lt;date&gt;/&lt;lesson number&gt; — remove a lesson with no entries
timetable-usage-substitute =
    Substitutions (deputy head, administrator):
    /substitute &lt;class&gt; &lt;date&gt; — the class's lessons that day, with buttons
    /substitute &lt;class&gt; &lt;date&gt;/&lt;number&gt; &lt;teacher&gt; — another teacher gives the lesson (id or surname)
    /substitute &lt;class&gt; &lt;date&gt;/&lt;number&gt; &lt;subject&gt; [teacher] — another subject
    /substitute &lt;class&gt; &lt;date&gt;/&lt;number&gt; cancel — the lesson is cancelled
    /substitute &lt;class&gt; &lt;date&gt;/&lt;number&gt; timetable — back to the timetable
timetable-unknown-teacher = No teacher «{ $text }»: give their id (for example t2) or surname.
timetable-ambiguous-teacher = «{ $text }» fits several staff: { $names }. Give the id.
timetable-need-lesson-no = Give the date and the lesson number: for example { $example }.
timetable-day-header = { $class_name }, { $date }: choose a lesson.
timetable-day-none = { $class_name } has no lessons on { $date }.
timetable-lesson-header = { $class_name }, { $date }, lesson { $lesson_no } — { $subject }, given by { $teacher }. Who gives the lesson?
timetable-button-cancel = Cancel the lesson
timetable-button-restore = As in the timetable
timetable-button-remove = Remove the lesson
timetable-mark-substitution = substitution
timetable-mark-extra = extra
timetable-mark-cancelled = cancelled

## Family notice
notify-timetable-title = 📅 Change of { $class_name }'s timetable on { $date } ({ $student }):
notify-timetable-substitution = lesson { $lesson_no } — { $subject }: a substitution, given by { $teacher }
notify-timetable-cancellation = lesson { $lesson_no } ({ $subject }) is cancelled
notify-timetable-extra = lesson { $lesson_no } — extra: { $subject }, given by { $teacher }
notify-timetable-day = Lessons that day: { $lessons }
notify-timetable-none = No lessons that day.

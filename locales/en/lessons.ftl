## Lessons come from the timetable (services.timetable_day, services.timetable_changes)

timetable-day-off = { $class_name } has no lessons on { $date }: a day off. Entries are made on the days of timetabled lessons.
timetable-no-lesson = { $class_name } has no { $subject } lesson on { $day }. { $class_name }'s lessons that day: { $lessons }. If a lesson was given outside the timetable, the deputy head records a substitution, or the teacher adds an extra lesson: /lesson add.
timetable-no-lesson-numbered = { $class_name }'s lesson { $lesson_no } on { $day } is not { $subject }. { $class_name }'s lessons that day: { $lessons }. Give the number of a timetabled lesson; if a lesson was given outside the timetable, the deputy head records a substitution, or the teacher adds an extra lesson: /lesson add.
timetable-lesson-cancelled = Lesson { $lesson_no } ({ $subject }) of { $class_name } on { $date } is cancelled: it takes no entries.

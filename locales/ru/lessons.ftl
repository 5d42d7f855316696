## Lessons come from the timetable (services.timetable_day, services.timetable_changes)

timetable-day-off = { $date } у { $class_name } уроков нет: выходной. Записи делают в дни уроков по расписанию.
timetable-no-lesson = { $day } у { $class_name } нет урока «{ $subject }». Уроки { $class_name } в этот день: { $lessons }. Если урок был вне расписания, замену записывает заместитель директора, а дополнительный урок — учитель: /lesson add.
timetable-no-lesson-numbered = { $day } у { $class_name } { $lesson_no }-й урок — не «{ $subject }». Уроки { $class_name } в этот день: { $lessons }. Укажите номер урока по расписанию; если урок был вне расписания, замену записывает заместитель директора, а дополнительный урок — учитель: /lesson add.
timetable-lesson-cancelled = { $lesson_no }-й урок «{ $subject }» у { $class_name } { $date } отменён: записи в него не вносятся.

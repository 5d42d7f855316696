# The move to the next year (services.new_year): python -m bot new-year and /newyear.
newyear-refused = Перевод в следующий учебный год невозможен: { $count } { $count ->
    [one] условие не выполнено
    [few] условия не выполнены
   *[many] условий не выполнено
}.
newyear-open-periods = Не закрыты периоды { $year }: { $periods }.
newyear-year-marks-missing = Нет годовых отметок: { $count } — { $where }.
newyear-no-archive = Нет архива { $year } учебного года: сначала команда archive.
newyear-no-backup = Сегодня не было проверенной резервной копии: сначала команда backup.
newyear-already-done = Перевод уже выполнен: { $year } учебный год уже есть.
newyear-busy = Журнал занят другой записью (возможно, перевод уже идёт): ничего не изменено. Запустите команду ещё раз через минуту.
newyear-title = <b>Перевод в следующий учебный год</b> · сейчас { $year } учебный год
newyear-missing = Перед переводом не хватает ({ $count } { $count ->
    [one] условие
    [few] условия
   *[many] условий
}):
newyear-ready = Всё готово: условия перевода выполнены.
newyear-will-do = <b>Что сделает перевод</b>
newyear-class-moves = { $class_name } → { $next_name }: { $count } { $count ->
    [one] ученик
    [few] ученика
   *[many] учеников
}
newyear-class-graduates = { $class_name } — выпуск: { $count } { $count ->
    [one] ученик
    [few] ученика
   *[many] учеников
}
newyear-graduating = Выпускников всего: { $count }. Кто остаётся на повторное обучение (repeat) или выбывает (leave) — лист decisions; новый первый класс и новички — лист students.
newyear-how = Как перевести: подготовьте файл нового года (листы periods, holidays, bells, students, decisions, classes, assignments, timetable) и выполните на сервере <code>python -m bot new-year ФАЙЛ.xlsx</code>. Перевод выполняется один раз.

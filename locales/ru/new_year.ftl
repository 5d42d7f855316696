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

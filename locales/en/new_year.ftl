# The move to the next year (services.new_year): python -m bot new-year and /newyear.
newyear-refused = The move to the next school year is refused: { $count } { $count ->
    [one] condition is
   *[other] conditions are
} not met.
newyear-open-periods = Periods of { $year } still open: { $periods }.
newyear-year-marks-missing = Year marks missing: { $count } — { $where }.
newyear-no-archive = No archive of the { $year } school year: run the archive command first.
newyear-no-backup = No verified backup made today: run the backup command first.
newyear-already-done = The move is already done: the { $year } school year exists.
newyear-busy = The journal is busy with another write (perhaps a move under way): nothing was changed. Run the command again in a minute.
newyear-title = <b>The move to the next school year</b> · now the { $year } school year
newyear-missing = Still missing before the move ({ $count } { $count ->
    [one] condition
   *[other] conditions
}):
newyear-ready = All set: every condition of the move is met.
newyear-will-do = <b>What the move will do</b>
newyear-class-moves = { $class_name } → { $next_name }: { $count } { $count ->
    [one] pupil
   *[other] pupils
}
newyear-class-graduates = { $class_name } graduates: { $count } { $count ->
    [one] pupil
   *[other] pupils
}
newyear-graduating = Graduates in all: { $count }. Who repeats the year (repeat) or leaves (leave): the decisions sheet; the new first grade and newcomers: the students sheet.
newyear-how = To move: prepare the new year's workbook (sheets periods, holidays, bells, students, decisions, classes, assignments, timetable) and run on the server <code>python -m bot new-year WORKBOOK.xlsx</code>. The move is done once.

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

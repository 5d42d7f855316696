## Students and parents: /grades, /attendance, /homework, /schedule, /child.

family-only = Marks, absences, homework and the timetable here are for students and parents. Teachers: /period; deputy and director: /journal.
family-pick-child = Whose record should I open?
family-one-child = You have one student in the journal: { $name }, { $class_name }.
family-child-chosen = Now showing: { $name }, { $class_name }. To switch: /child.
family-who = <b>{ $name }</b>, { $class_name }
family-who-no-class = <b>{ $name }</b>
family-scope-year = school year { $year }
family-scope-period-of-year = { $period }, school year { $year }
family-day = <b>{ $date }</b>
family-week-only = I didn't understand “{ $text }”. Try: /homework, /homework week, /homework next week, /schedule, /schedule week (a week is Monday to Sunday).
family-not-a-period = “{ $text }” is not a period. Use a term number (/attendance 1), its name, or “year”.

## /grades

grades-title = { $who } · { $scope }
grades-first-grade = Year 1 gets no marks — attendance only: /attendance.
grades-none = No marks for this period yet.
grades-col-subject = Subject
grades-col-average = avg
grades-col-suggested = ≈
grades-col-final = final
grades-col-marks = marks
grades-col-year = year
grades-col-date = Date
grades-col-mark = Mark
grades-col-work = Work ×weight
grades-legend = avg — the average weighted by the kind of work; ≈ — the mark the average gives; final — the period mark once set. One subject in detail: /grades матем; another period: /grades 1, /grades year.
grades-year-legend = 1–4 — term marks; avg — the year's average; ≈ — the year mark the term marks give; year — the year mark once set.
grades-subject-title = <b>{ $subject }</b>
grades-subject-average = Average: { $average } ({ $count } { $count ->
        [one] mark
       *[other] marks
    }).
grades-subject-final = Mark for “{ $period }”: <b>{ $mark }</b>.
grades-subject-suggested = The average gives { $mark } for “{ $period }” (not set yet).
grades-no-year = The journal has no school year for this date.
grades-not-at-school = { $name }: not on any class list of the school in { $year }, so no marks of that year.
grades-no-periods = School year { $year } has no terms set up.
grades-no-such-period = There is no period { $number }: this school year has { $count }.
grades-unknown-subject = There is no subject “{ $name }”. Subjects: { $known }.
grades-ambiguous-subject = “{ $name }” fits several subjects: { $candidates }. Please be more specific.

## /attendance

attendance-title = Absences · { $who } · { $scope }
attendance-none = No absences or late arrivals.
attendance-col-date = Date
attendance-col-lesson = No.
attendance-col-subject = Subject
attendance-col-code = Code
attendance-totals = Lessons missed: { $missed }, late: { $late }. By code:
attendance-legend = н — absent, б — ill, оп — late; after the arrow, the class teacher's explanation: уп — excused, нп — unexcused, б — ill. In the totals an explanation replaces the “н”.

## /homework

homework-title = Homework · { $who }
homework-title-week = Homework for the week · { $who }
homework-title-next-week = Homework for next week · { $who }
homework-first-grade = Year 1 gets no homework.
homework-no-days = No school days in the coming month.
homework-nothing = Nothing set.
homework-item = { $lesson_no }. <b>{ $subject }</b>: { $text }

## /schedule

schedule-title = Timetable · { $who }
schedule-title-week = Timetable for the week · { $who }
schedule-title-next-week = Timetable for next week · { $who }
schedule-no-school-today = No lessons today.
schedule-no-days = No school days in the coming month.
schedule-no-lessons = No lessons.
schedule-group-lesson = { $subject } (group { $group }, { $teacher })
schedule-unplaced-lesson = { $subject } (group not set)
schedule-unplaced-hint = Where it says “group not set”, the class is taught the subject in groups and the journal doesn't say yet which one the pupil is in: that group's teacher and homework don't show here. Ask the class teacher.
grades-period-gone = This period no longer exists. Open the section again.

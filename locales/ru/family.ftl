## Students and parents: /grades, /attendance, /homework, /schedule, /child.

family-only = Отметки, пропуски, задания и расписание здесь — для учеников и родителей. Учителю: /period, заместителю и директору: /journal.
family-pick-child = Чей дневник открыть?
family-one-child = В журнале у вас один ученик: { $name }, { $class_name }.
family-child-chosen = Открыт дневник: { $name }, { $class_name }. Сменить — /child.
family-who = <b>{ $name }</b>, { $class_name }
family-who-no-class = <b>{ $name }</b>
family-scope-year = { $year } учебный год
family-scope-period-of-year = { $period }, { $year } учебный год
family-day = <b>{ $date }</b>
family-week-only = Не понял «{ $text }». Можно так: /homework, /homework неделя, /homework следующая неделя, /schedule, /schedule неделя (неделя — с понедельника по воскресенье).
family-not-a-period = «{ $text }» — не период. Можно номер четверти (/attendance 1), её название или «год».

## /grades

grades-title = { $who } · { $scope }
grades-first-grade = В 1 классе отметки не ставятся — только посещаемость: /attendance.
grades-none = Отметок за этот период пока нет.
grades-col-subject = Предмет
grades-col-average = ср.
grades-col-suggested = ≈
grades-col-final = итог
grades-col-marks = отметки
grades-col-year = год
grades-col-date = Дата
grades-col-mark = Отм.
grades-col-work = Вид работы ×вес
grades-legend = ср. — средний балл с учётом веса работ; ≈ — отметка, которая выходит по среднему; итог — выставленная за период. Подробно по предмету: /grades матем; другой период: /grades 1, /grades год.
grades-year-legend = 1–4 — отметки за четверти; ср. — средний балл за год; ≈ — годовая, которая выходит по отметкам за четверти; год — выставленная.
grades-subject-title = <b>{ $subject }</b>
grades-subject-average = Средний балл: { $average } ({ $count } { $count ->
        [one] отметка
        [few] отметки
       *[many] отметок
    }).
grades-subject-final = Отметка за период «{ $period }»: <b>{ $mark }</b>.
grades-subject-suggested = По среднему выходит { $mark } за период «{ $period }» (ещё не выставлена).
grades-no-year = В журнале нет учебного года на эту дату.
grades-not-at-school = { $name }: в { $year } учебном году — не в списках классов школы, отметок за этот год нет.
grades-no-periods = В учебном году { $year } не заданы четверти.
grades-no-such-period = Периода { $number } нет: в этом учебном году их { $count }.
grades-unknown-subject = Предмета «{ $name }» нет. Предметы: { $known }.
grades-ambiguous-subject = «{ $name }» подходит к нескольким предметам: { $candidates }. Уточните.

## /attendance

attendance-title = Пропуски · { $who } · { $scope }
attendance-none = Пропусков и опозданий нет.
attendance-col-date = Дата
attendance-col-lesson = Ур.
attendance-col-subject = Предмет
attendance-col-code = Отметка
attendance-totals = Пропущено уроков: { $missed }, опозданий: { $late }. По видам:
attendance-legend = н — не был на уроке, б — болел, оп — опоздал; после стрелки — пояснение классного руководителя: уп — по уважительной причине, нп — без уважительной, б — болел. В итогах пояснение заменяет «н».

## /homework

homework-title = Домашнее задание · { $who }
homework-title-week = Домашние задания на неделю · { $who }
homework-title-next-week = Домашние задания на следующую неделю · { $who }
homework-first-grade = В 1 классе домашние задания не задают.
homework-no-days = В ближайший месяц учебных дней нет.
homework-nothing = Ничего не задано.
homework-item = { $lesson_no }. <b>{ $subject }</b>: { $text }

## /schedule

schedule-title = Расписание · { $who }
schedule-title-week = Расписание на неделю · { $who }
schedule-title-next-week = Расписание на следующую неделю · { $who }
schedule-no-school-today = Сегодня уроков нет.
schedule-no-days = В ближайший месяц учебных дней нет.
schedule-no-lessons = Уроков нет.
schedule-group-lesson = { $subject } (гр. { $group }, { $teacher })
schedule-unplaced-lesson = { $subject } (группа не указана)
schedule-unplaced-hint = Где «группа не указана», класс учится по предмету в группах, а в какой из них ученик, в журнале ещё не отмечено: учителя группы и её домашних заданий здесь не видно. Спросите классного руководителя.
grades-period-gone = Этого периода больше нет. Откройте раздел заново.

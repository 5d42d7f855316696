## Closing and reopening a term (/period close, /period reopen); term and year marks' safeguards and notices.

period-close-who = Закрывает и открывает четверть заместитель директора или директор.
period-close-too-early = «{ $period }» ещё идёт: закрыть её можно с последнего дня, { $end }. До тех пор учителя выставляют отметки.
period-close-ask = Закрыть «{ $period }»? После этого отметки меняет только заместитель директора, с причиной.
period-close-nothing-missing = Итоговые отметки выставлены всем ученикам.
period-close-missing = Не выставлено итоговых отметок: { $count }.
period-close-missing-line = { $class_name } · { $subject } — { $count }: { $pupils }
period-close-button = Закрыть четверть
period-close-cancel-button = Отмена
period-close-cancelled = Четверть не закрыта.
period-reopen-usage = Какую четверть открыть и почему? Например: /period reopen 2 // ошибка в итоговых отметках.
period-reopen-reason = Открыть «{ $period }» снова можно только с причиной: /period reopen … // причина.
period-not-closed = «{ $period }» не закрыта: открывать нечего.
period-reopened = «{ $period }» снова открыта: учителя могут менять итоговые отметки. Причина: { $reason }.

## Term and year marks: year marks wait for the terms, a whole class is shown before it is set,
## a mark far from the average needs a reason.
period-year-too-early = Годовые отметки выставляются, когда закончатся все четверти: последняя заканчивается { $end }.
period-year-waits = Годовые отметки — после окончания всех четвертей ({ $end }); до тех пор ≈ не предлагается.
period-far-from-average = №{ $number } { $name }: отметка { $mark } отличается от среднего балла { NUMBER($average, minimumFractionDigits: 2) } больше чем на { NUMBER($far, minimumFractionDigits: 1) }. Если она верна, укажите причину: { $number }:{ $mark } // причина.
period-preview-title = Выставить итоговые отметки — { $class_name } · { $subject } · { $scope }:
period-preview-line = №{ $number } { $name } — <b>{ $mark }</b> (ср. { $average })
period-preview-hint = Остальные отметки не изменятся. Проверьте список и нажмите «Выставить».
period-button-apply = Выставить ({ $count })
period-button-cancel = Отмена
period-preview-cancelled = Отметки не выставлены.
period-preview-stale = Этот список уже не открыт: откройте его снова командой /period.
period-confirmed-changed = Не выставлено, потому что среднее изменилось после просмотра: { $changed } — откройте список снова.

## Notices to families
notify-final-mark =
    📘 Итоговая отметка — { $student }
    { $subject }, { $scope }: <b>{ $value }</b>{ notify-final-meaning }
notify-final-mark-changed =
    ✏️ Изменена итоговая отметка — { $student }
    { $subject }, { $scope }: было { $before } → стало <b>{ $value }</b>{ notify-final-meaning }
# «н/а» and «осв.» said in words after the label ($special: "", na, exempt; $gender: the pupil's).
notify-final-meaning = { $special ->
    [na] {" "}— не { $gender ->
        [female] аттестована
       *[other] аттестован
    }
    [exempt] {" "}— { $gender ->
        [female] освобождена
       *[other] освобождён
    } от предмета
   *[other] {""}
}
notify-final-average = Средний балл: { $average }
notify-final-year = { $year } учебный год

## /control: marks set far from the average
control-far-marks = <b>Итоговые отметки, отличающиеся от среднего больше чем на 0,5</b>
control-far-mark-line = { $class_name } · { $subject } · { $scope } · { $name } — <b>{ $mark }</b> при среднем { $average }; { $teacher }: «{ $reason }»

## Period and year marks: /period (teachers, deputy), /journal (deputy, director: read only).

period-usage = Отметки за четверть: /period 5А матем. Другая четверть: /period 5А матем 1. Годовые: /period 5А матем год. Заместитель директора или директор закрывает четверть с её последнего дня: /period close 2.
period-yours = Ваши классы: { $examples }
period-usage-subject = Укажите класс и предмет, например: /period 5А матем.
period-close-usage = Какую четверть закрыть? Например: /period close 2.
period-title = <b>{ $class_name } · { $subject }</b> · { $scope }
period-col-name = Ученик
period-col-count = отм.
period-col-marks = отметки
period-col-average = ср.
period-col-suggested = ≈
period-col-final = итог
period-col-year = год
period-legend = ср. — средний балл с учётом веса работ; ≈ — отметка, которая выходит по среднему (без отметок — нет); итог — выставленная; н/а — не аттестован, осв. — освобождён.
period-legend-year = 1–4 — отметки за четверти; ср. — их среднее; ≈ — годовая, которая из него выходит (при «н/а» за четверть — решаете вы; если все четверти «осв.» — «осв.»); год — выставленная.
period-empty-class = В классе на эти даты нет учеников.
period-locked-note = Четверть закрыта: отметки окончательные.
period-hint = Чтобы поставить или изменить отметку, напишите №:отметка, например 3:4 (можно несколько: 3:4 5:5). Не аттестован — 3:н/а, освобождён — 3:осв. «Подтвердить» покажет ≈ всех, у кого итоговой ещё нет, и выставит их после «Выставить»; «н/а» и «осв.» ставятся только так, вручную. Отметка дальше 0,5 от среднего — только с причиной: 3:4 // причина.
period-hint-locked = Изменить отметку в закрытой четверти может только заместитель директора, указав причину: 3:4 // причина (или 3:н/а, 3:осв.).
period-button-confirm = Подтвердить ≈ ({ $count })
period-confirmed = Выставлено: { $written }. Уже были: { $kept }. Без отметок (нечего предложить): { $without }.
period-confirmed-for-the-teacher = Не выставлено, потому что за четверть стоит «н/а» или «осв.»: { $count } — поставьте сами, например 3:4, 3:н/а или 3:осв.
period-changed = №{ $number } { $name } — { $mark }
period-closed = «{ $period }» закрыта: отметки окончательные. Изменения — только заместителем, с причиной.
period-locked = «{ $period }» закрыта: отметки за неё может изменить только заместитель директора, с причиной.
period-reason-needed = «{ $period }» закрыта: укажите причину изменения, например 3:4 // ошибка при выставлении.
period-bad-value = Отметка { $value } невозможна: можно от { $low } до { $high }, «н/а» (не аттестован) или «осв.» (освобождён).
period-no-such-number = Ученика №{ $number } в списке нет: номера с 1 по { $count }.
period-close-needs-period = Закрыть можно четверть, а не год: например /period close 4.
period-already-closed = «{ $period }» уже закрыта.
period-first-grade = В { $class_name } отметки не ставятся (1 класс: только посещаемость).
period-no-marks-subject = В { $class_name } «{ $subject }» ведётся без отметок: отметки за четверть и год не ставятся.
period-no-marks-period = В { $class_name } за «{ $period }» отметки не ставятся: так решила школа для { $grade }-х классов.
period-pass-fail-only = В { $class_name } «{ $subject }» оценивается зачётом: вместо { $value } можно «зч» (зачтено), «нз» (не зачтено), «н/а» или «осв.».
period-marks-only = В { $class_name } «{ $subject }» оценивается отметками: «{ $value }» ставится только по предметам с зачётом. Можно от { $low } до { $high }, «н/а» или «осв.».
period-subject-not-taught = В { $class_name } нет предмета «{ $subject }».
period-class-or-subject-gone = Этого класса или предмета больше нет.
journal-usage = Страница журнала: /journal 5А матем, другая четверть: /journal 5А матем 1, годовые: /journal 5А матем год, прошлый учебный год: /journal 5А 2026/27 матем.

## A period or year result that is not a number (services.final_results): the label in sheets, notices, documents.
final-result-na = н/а
final-result-exempt = осв.
final-result-pass = зч
final-result-fail = нз

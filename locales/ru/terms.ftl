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

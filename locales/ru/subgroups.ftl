## Groups (подгруппы): placing a pupil who joined a class, /group (a move between groups), /groups.

subgroup-unplaced = Осталось распределить по группам: { $subjects }. Пока ученик ни в одной группе по этим предметам.
subgroup-unplaced-by-class-teacher = В { $cls } есть деление на группы: { $subjects }. Распределит классный руководитель { $cls } (/group); пока ученик ни в одной группе.
subgroup-ask = { $name }: в какую группу по предмету «{ $subject }» (с { $date })?
subgroup-button = группа { $group }
subgroup-placed = Записано: { $name } ({ $id }) — { $subject }, группа { $to_group } с { $date }.
subgroup-moved = Записано: { $name } ({ $id }) — { $subject }: группа { $from_group } → группа { $to_group } с { $date }. Прежние отметки остаются в группе, где их поставили.

subgroup-usage = Как перевести в другую группу: /group &lt;id&gt; &lt;предмет&gt; &lt;группа&gt; [дата], например /group s3 англ 2 { $from }
subgroup-not-split = { $cls } не делится на группы по предмету «{ $subject }».
subgroup-unknown-group = Группы «{ $group }» по предмету «{ $subject }» в { $cls } нет. Группы: { $groups }.
subgroup-same-group = { $name }: по предмету «{ $subject }» уже группа { $group } (с { $date }). Ничего не изменено.
subgroup-before-last-change = { $name }: по предмету «{ $subject }» последняя запись — группа { $group } с { $date }. Новая дата должна быть позже.
subgroup-future-date = Дата { $date } ещё не наступила: группу меняют с сегодняшнего дня или с прошедшей даты.
subgroup-outside-year = Дата { $date } не входит в учебный год.
subgroup-before-joining = { $name } учится в { $cls } с { $date }: группа — не раньше этой даты.
subgroup-changed-meanwhile = { $name }: группу по предмету «{ $subject }» только что записал кто-то другой. Проверьте: /groups

subgroup-usage-groups = Чьи группы показать: /groups — вашего класса, /groups 5А — класса по имени.
subgroup-view-title = <b>{ $cls }</b> · группы на { $date }
subgroup-view-none = В { $cls } нет предметов с делением на группы.
subgroup-view-subject = { $subject }
subgroup-view-group = { "   " }группа { $group } — { $names }
subgroup-view-unplaced = { "   " }без группы — { $names }
subgroup-view-nobody = никого

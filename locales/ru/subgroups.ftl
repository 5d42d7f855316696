## Groups (подгруппы): placing a pupil who joined a class, a move between groups.

subgroup-not-split = { $cls } не делится на группы по предмету «{ $subject }».
subgroup-unknown-group = Группы «{ $group }» по предмету «{ $subject }» в { $cls } нет. Группы: { $groups }.
subgroup-same-group = { $name }: по предмету «{ $subject }» уже группа { $group } (с { $date }). Ничего не изменено.
subgroup-before-last-change = { $name }: по предмету «{ $subject }» последняя запись — группа { $group } с { $date }. Новая дата должна быть позже.
subgroup-future-date = Дата { $date } ещё не наступила: группу меняют с сегодняшнего дня или с прошедшей даты.
subgroup-outside-year = Дата { $date } не входит в учебный год.
subgroup-before-joining = { $name } учится в { $cls } с { $date }: группа — не раньше этой даты.
subgroup-changed-meanwhile = { $name }: группу по предмету «{ $subject }» только что записал кто-то другой. Проверьте: /groups

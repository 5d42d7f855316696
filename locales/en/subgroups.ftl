## Groups (подгруппы): placing a pupil who joined a class, a move between groups.

subgroup-not-split = { $cls } is not split into groups in { $subject }.
subgroup-unknown-group = { $cls } has no group “{ $group }” in { $subject }. Groups: { $groups }.
subgroup-same-group = { $name } is already in group { $group } in { $subject } (from { $date }). Nothing changed.
subgroup-before-last-change = { $name }: the last record in { $subject } is group { $group } from { $date }. The new date must be later.
subgroup-future-date = { $date } has not come yet: a group changes from today or from a past date.
subgroup-outside-year = { $date } is outside the school year.
subgroup-before-joining = { $name } has been in { $cls } since { $date }: the group can't start earlier.
subgroup-changed-meanwhile = { $name }: someone else has just recorded the group in { $subject }. Please check: /groups

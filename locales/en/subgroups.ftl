## Groups (подгруппы): placing a pupil who joined a class, /group (a move between groups), /groups.

subgroup-unplaced = Still to be placed in groups: { $subjects }. Until then the pupil is in no group for these subjects.
subgroup-unplaced-by-class-teacher = { $cls } is split into groups in: { $subjects }. The class teacher of { $cls } places the pupil (/group); until then they are in no group.
subgroup-ask = { $name }: which group in { $subject } (from { $date })?
subgroup-button = group { $group }
subgroup-placed = Recorded: { $name } ({ $id }) — { $subject }, group { $to_group } from { $date }.
subgroup-moved = Recorded: { $name } ({ $id }) — { $subject }: group { $from_group } → group { $to_group } from { $date }. Earlier marks stay in the group where they were given.

subgroup-usage = To move a pupil to another group: /group &lt;id&gt; &lt;subject&gt; &lt;group&gt; [date], e.g. /group s3 англ 2 { $from }
subgroup-not-split = { $cls } is not split into groups in { $subject }.
subgroup-unknown-group = { $cls } has no group “{ $group }” in { $subject }. Groups: { $groups }.
subgroup-same-group = { $name } is already in group { $group } in { $subject } (from { $date }). Nothing changed.
subgroup-before-last-change = { $name }: the last record in { $subject } is group { $group } from { $date }. The new date must be later.
subgroup-future-date = { $date } has not come yet: a group changes from today or from a past date.
subgroup-outside-year = { $date } is outside the school year.
subgroup-before-joining = { $name } has been in { $cls } since { $date }: the group can't start earlier.
subgroup-changed-meanwhile = { $name }: someone else has just recorded the group in { $subject }. Please check: /groups

subgroup-usage-groups = Whose groups to show: /groups for your class, /groups 5А for a class by name.
subgroup-view-title = <b>{ $cls }</b> · groups on { $date }
subgroup-view-none = { $cls } has no subjects split into groups.
subgroup-view-subject = { $subject }
subgroup-view-group = { "   " }group { $group } — { $names }
subgroup-view-unplaced = { "   " }no group — { $names }
subgroup-view-nobody = nobody

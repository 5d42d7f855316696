## Conversations in every direction (handlers.messaging, services.messaging)

# Who wrote, in which role, about whom (bot.outbound.render: MessageHeader).
notify-from-deputy = { $icon } <b>{ $sender }</b>, deputy director — about { $student }:
notify-from-director = { $icon } <b>{ $sender }</b>, director — about { $student }:
notify-from-pupil = { $icon } <b>{ $sender }</b>, student of { $class }:
notify-to-pupil = { $icon } <b>{ $sender }</b>, { $role ->
    [homeroom] your class teacher
    [teacher] teacher ({ $subjects })
    [deputy] deputy director
    [director] director
   *[other] school
 }:
notify-to-class = { $icon } <b>{ $sender }</b>, { $role ->
    [homeroom] class teacher of { $class }
    [teacher] teacher ({ $subjects })
    [deputy] deputy director
    [director] director
   *[other] school
 } — to the parents of { $class }:
notify-staff = { $icon } <b>{ $sender }</b>, { $role ->
    [director] director
    [deputy] deputy director
    [admin] administrator
   *[other] teacher
 } — to a colleague:
notify-button-mute = 🔕 Mute for a week
notify-sender-muted = 🔕 { $by } receives no messages from the parent { $parent } ({ $student }, { $class }) until { $until }.

write-button-my-teachers = 🏫 My teachers
write-button-colleagues = 👥 Colleagues
write-button-class-parents = 👪 All parents of { $class_name }
write-button-student-parents = { $number }. { $name } — parents
write-button-pupil = student
write-button-contact = { $name } — { $role ->
    [homeroom] class teacher
    [deputy] deputy director
    [director] director
    [admin] administrator
   *[other] teacher
 }
write-choose-colleague = Which colleague do you want to write to?
write-prompt-class-parents = Write your message to all parents of { $class_name } — text, a photo or a document. Each can answer you in person. /cancel to stop.
write-sent-later = Sent. It is outside the recipient's working hours: the message arrives { $day } at { $time }. The answer will come here.
write-today = today
write-muted = This person's messages won't reach you until { $until }.
write-error-rate = At most { $limit } { $limit ->
    [one] message
   *[other] messages
} an hour to teachers and the administration. You can send the next one at { $time }.
write-error-muted = Not delivered: the recipient is not taking messages from you at the moment.
write-error-pupil-not-connected = This student has not joined the bot yet.
write-error-no-class-parents = No parent of the class has joined the bot yet.
write-error-not-a-colleague = A teacher writes to the deputy director, the deputy to teachers, the director to any staff member.

# /settings: a staff member's hours off work (handlers.settings)
settings-off-work = Hours off work: { $start }–{ $end } — parents' and students' messages arrive after them. Change: /settings work 19:00-07:30 (or off)
settings-off-work-none = Hours off work: none — parents' and students' messages arrive at once. Change: /settings work 20:00-08:00

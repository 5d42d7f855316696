## Conversations in every direction (handlers.messaging, services.messaging)

# Who wrote, in which role, about whom (bot.outbound.render: MessageHeader).
notify-from-deputy = { $icon } <b>{ $sender }</b>, заместитель директора — о ребёнке: { $student }
notify-from-director = { $icon } <b>{ $sender }</b>, директор — о ребёнке: { $student }
# $gender: the writer's (services.names.gender_of)
notify-from-pupil = { $icon } <b>{ $sender }</b>, { $gender ->
    [female] ученица
   *[other] ученик
} { $class }:
notify-to-pupil = { $icon } <b>{ $sender }</b>, { $role ->
    [homeroom] ваш классный руководитель
    [teacher] учитель ({ $subjects })
    [deputy] заместитель директора
    [director] директор
   *[other] школа
 }:
notify-to-class = { $icon } <b>{ $sender }</b>, { $role ->
    [homeroom] классный руководитель { $class }
    [teacher] учитель ({ $subjects })
    [deputy] заместитель директора
    [director] директор
   *[other] школа
 } — родителям { $class }:
notify-staff = { $icon } <b>{ $sender }</b>, { $role ->
    [director] директор
    [deputy] заместитель директора
    [admin] администратор
   *[other] учитель
 } — коллеге:
notify-button-mute = 🔕 Не получать неделю
notify-sender-muted = 🔕 { $by } не получает сообщений от родителя { $parent_gent } ({ $student }, { $class }) до { $until }.

write-button-my-teachers = 🏫 Моим учителям
write-button-colleagues = 👥 Коллегам
write-button-class-parents = 👪 Всем родителям { $class_name }
write-button-student-parents = { $number }. { $name } — родителям
write-button-pupil = ученику
write-button-contact = { $name } — { $role ->
    [homeroom] классный руководитель
    [deputy] заместитель директора
    [director] директор
    [admin] администратор
   *[other] учитель
 }
write-choose-colleague = Кому из коллег написать?
write-prompt-class-parents = Напишите сообщение всем родителям { $class_name } — текст, фото или документ. Каждый сможет ответить вам лично. /cancel — отмена.
write-sent-later = Отправлено. Сейчас у адресата нерабочее время: сообщение придёт { $day } в { $time }. Ответ придёт сюда.
write-today = сегодня
write-muted = Сообщения этого собеседника не будут приходить вам до { $until }.
write-error-rate = Учителям и администрации — не больше { $limit } { $limit ->
    [one] сообщения
   *[other] сообщений
} в час. Следующее можно отправить в { $time }.
write-error-muted = Сообщение не доставлено: адресат сейчас не принимает сообщений от вас.
write-error-pupil-not-connected = Этот ученик ещё не подключился к боту.
write-error-no-class-parents = Родители учеников класса ещё не подключились к боту.
write-error-not-a-colleague = Учитель пишет заместителю директора, заместитель — учителям, директор — любому сотруднику.

# /settings: a staff member's hours off work (handlers.settings)
settings-off-work = Нерабочие часы: { $start }–{ $end } — сообщения родителей и учеников придут после них. Изменить: /settings work 19:00-07:30 (или off)
settings-off-work-none = Нерабочие часы: нет — сообщения родителей и учеников приходят сразу. Изменить: /settings work 20:00-08:00

# Notifications to families and staff (bot/outbound/render.py), /settings, /write, /broadcast.

## Notifications
notify-marks-title = 🔔 Новые отметки — { $student }
notify-mark-line = { $subject }: <b>{ $values }</b> — { $work_type }, { $date }
notify-mark-line-plain = { $subject }: <b>{ $values }</b>, { $date }
notify-comment = Комментарий учителя: { $comment }
notify-mark-changed =
    ✏️ Исправлена отметка — { $student }
    { $subject }, { $date }: было { $before } → стало <b>{ $after }</b>
notify-mark-removed =
    🗑 Удалена отметка — { $student }
    { $subject }, { $date }: { $before }
notify-reason = Причина: { $reason }
notify-absence =
    🚪 { $student } { $what }
    { $date }, { $lesson }, { $subject }.
notify-absence-changed =
    ✏️ Исправлена отметка о посещаемости — { $student }
    { $date }, { $lesson }, { $subject }: было «{ $before }» → стало «{ $after }»
notify-absence-removed =
    ✅ Снята отметка «{ $what }» — { $student }
    { $date }, { $lesson }, { $subject }.
notify-lesson = { $number }-й урок
notify-lesson-at = { $number }-й урок ({ $time })
# $gender: the pupil's (services.names.gender_of); «other» when the name doesn't tell it.
notify-what-absent = { $gender ->
    [female] отсутствовала на уроке
    [male] отсутствовал на уроке
   *[other] — отсутствие на уроке
 }
notify-what-ill = { $gender ->
    [female] отсутствовала на уроке по болезни
    [male] отсутствовал на уроке по болезни
   *[other] — отсутствие на уроке по болезни
 }
notify-what-late = { $gender ->
    [female] опоздала на урок
    [male] опоздал на урок
   *[other] — опоздание на урок
 }
notify-what-excused = { $gender ->
    [female] отсутствовала на уроке по уважительной причине
    [male] отсутствовал на уроке по уважительной причине
   *[other] — отсутствие на уроке по уважительной причине
 }
notify-what-unexcused = { $gender ->
    [female] отсутствовала на уроке без уважительной причины
    [male] отсутствовал на уроке без уважительной причины
   *[other] — отсутствие на уроке без уважительной причины
 }
notify-code-absent = { $gender ->
    [female] отсутствовала
    [male] отсутствовал
   *[other] отсутствие
 }
notify-code-ill = { $gender ->
    [female] болела
    [male] болел
   *[other] болезнь
 }
notify-code-late = { $gender ->
    [female] опоздала
    [male] опоздал
   *[other] опоздание
 }
notify-code-excused = уважительная причина
notify-code-unexcused = неуважительная причина
notify-button-ill = { $gender ->
    [female] Болела
    [male] Болел
   *[other] По болезни
 }
notify-button-excused = Уважительная причина
notify-button-unknown = Не знаю
notify-homework =
    📚 Домашнее задание ({ $student }): { $subject } на { $date }
    { $text }
notify-broadcast =
    📢 Объявление — { $sender }, { $role }

    { $text }
notify-button-read = Принято к сведению
notify-button-reply = Ответить
notify-digest-title = 🗓 <b>Сводка за день</b>
notify-unknown = У вас новое уведомление в школьном журнале.
notify-role-homeroom = классный руководитель { $class }
notify-role-director = директор
notify-role-deputy = заместитель директора
notify-role-admin = администрация школы
notify-from-homeroom = { $icon } <b>{ $sender }</b>, классный руководитель { $class } — о ребёнке: { $student }
notify-from-teacher = { $icon } <b>{ $sender }</b>, учитель ({ $subjects }) — о ребёнке: { $student }
notify-from-school = { $icon } <b>{ $sender }</b>, школа — о ребёнке: { $student }
notify-from-parent = { $icon } <b>{ $sender }</b>, родитель: { $student }, { $class }:
notify-explanation =
    📝 { $parent } о пропуске: { $student } ({ $class }), { $lesson_date }, { $lesson_no }-й урок, { $subject } — «{ $answer }».
    Это предложение родителя; подтвердите объяснение в /class.
notify-answer-ill = { $gender ->
    [female] болела
    [male] болел
   *[other] по болезни
 }
notify-answer-excused = уважительная причина
notify-answer-unknown = не знаю

## The risk list's heads-up in the digest (services.reports.risk_notices)
notify-risk-title = ⚠️ { $student }: есть риск не выйти на «3» за { $period }
notify-risk-average = { $subject }: средний балл { $average } — { $need }, чтобы выйти на «3»
notify-risk-few = { $subject }: { $marks ->
    [0] отметок пока нет
   *[other] отметок пока { $marks }
 } — { $need }, чтобы была оценка за период
notify-risk-missed = { $subject }: пропущено { $percent } % уроков
notify-risk-also-missed = пропущено { $percent } % уроков
notify-risk-need = { $count ->
    [1] нужна ещё одна { $value }
    [2] нужно ещё две { $value }
    [3] нужно ещё три { $value }
    [4] нужно ещё четыре { $value }
    [5] нужно ещё пять { $value }
    [6] нужно ещё шесть { $value }
    [7] нужно ещё семь { $value }
    [8] нужно ещё восемь { $value }
    [9] нужно ещё девять { $value }
    [10] нужно ещё десять { $value }
    [one] нужна ещё { $count } отметка «{ $value }»
    [few] нужно ещё { $count } отметки «{ $value }»
   *[many] нужно ещё { $count } отметок «{ $value }»
 }
notify-risk-need-any = { $count ->
    [one] нужна ещё { $count } отметка
    [few] нужно ещё { $count } отметки
   *[many] нужно ещё { $count } отметок
 }

## /settings
settings-title = ⚙️ <b>Уведомления</b>
settings-scope = Для кого: <b>{ $scope }</b>
settings-scope-all = все дети
settings-button-scope = Сменить ребёнка
settings-kind-marks = Отметки
settings-kind-absences = Пропуски и опоздания
settings-kind-homework = Домашние задания
settings-kind-announcements = Объявления
settings-mode-instant = сразу
settings-mode-digest = в вечерней сводке
settings-mode-off = не присылать
settings-button-mode = { $kind } → { $mode }
settings-digest = Сводка: каждый день в { $time }
settings-digest-unused = Время сводки: { $time } (сейчас ничего не собирается в сводку)
settings-quiet = Тихие часы: { $start }–{ $end } (пропуски приходят и в это время)
settings-quiet-none = Тихие часы: нет
settings-button-quiet-off = Без тихих часов
settings-button-quiet-on = Тихие часы { $start }–{ $end }
settings-language = Язык: { $language }
settings-student-on = Уведомления об отметках и пропусках: включены
settings-student-off = Уведомления об отметках и пропусках: выключены. Ученику они приходят, только если включить их кнопкой ниже.
settings-button-student-on = Включить уведомления
settings-button-student-off = Выключить уведомления
settings-hint = Время сводки: /settings digest 19:30. Тихие часы: /settings quiet 22:00-07:00 или /settings quiet off.
settings-usage = Так: /settings, /settings digest 19:30, /settings quiet 22:00-07:00 или /settings quiet off.
settings-saved = Сохранено
settings-error-time = «{ $value }» — не время. Пишите так: 19:30.
settings-error-quiet = Тихие часы пишутся так: 22:00-07:00 (начало и конец разные), или off — без тихих часов.
settings-error-work = Нерабочие часы пишутся так: 20:00-08:00 (начало и конец разные), или off — без нерабочих часов: сообщения родителей и учеников приходят в любое время.

## /write and replies
write-choose = Кому написать?
write-button-child = 👪 О ребёнке: { $name }
write-button-class = 🏫 Ученикам и родителям { $class_name }
write-choose-teacher = Кому написать?
write-button-teacher = { $name } — { $subjects }
write-choose-student = Кому написать: всем родителям класса, родителям одного ученика или самому ученику?
write-no-students = В классе нет учеников.
write-no-contacts = У класса пока нет учителей в журнале.
write-nobody = Через бота пишут: родители — учителям ребёнка и администрации, ученики — своим учителям, учителя — ученикам, родителям и коллегам.
# $name_datv, $name_gent: the name in the dative and the genitive (services.names.name_in_case).
write-prompt = Напишите сообщение { $name_datv } — текст, фото или документ. Ваш номер телефона и имя в Telegram не передаются. /cancel — отмена.
write-prompt-parents = Напишите сообщение родителям { $name_gent } — текст, фото или документ. Ваш номер телефона и имя в Telegram не передаются. /cancel — отмена.
write-reply-prompt = Напишите ответ — текст, фото или документ. /cancel — отмена.
write-sent = Отправлено ({ $count }). Ответ придёт сюда.
write-reply-sent = Ответ отправлен.
write-cancelled = Отменено.
write-error-unsupported = Так переслать не получится: можно текст, фото или документ.
write-error-empty = Сообщение пустое.
write-error-too-long = Слишком длинно: не больше { $limit } { $limit ->
    [one] знака
   *[other] знаков
 }.
write-error-no-parents = Родители этого ученика ещё не подключились к боту.
write-error-not-connected = { $name } { $gender ->
    [female] ещё не подключилась к боту.
    [male] ещё не подключился к боту.
   *[other] — ещё не в боте.
 }
write-error-not-a-contact = Написать можно классному руководителю, учителям класса, заместителю директора и директору (ученику — только своим учителям).
write-error-not-yours = Ответить можно только на сообщение, пришедшее вам.
write-error-recipient-gone = Собеседник больше недоступен в боте.
write-error-number = В списке { $class_name } нет номера { $number }.

## Buttons under notifications
explain-sent = Спасибо! Передали классному руководителю на подтверждение.
explain-error-answer = Такого ответа нет.
explain-error-withdrawn = Отметку об отсутствии уже сняли.
explain-error-not-absent = Объяснять нечего: это не пропуск урока, а опоздание или уже объяснённое отсутствие.
explain-changed = Ответ изменён: классный руководитель увидит новый ответ.
explain-same = Этот ответ уже передан классному руководителю.
explain-error-explained = Классный руководитель уже записал причину этого пропуска.

## /broadcast
broadcast-choose = Кому объявление?
broadcast-audience-class-parents = Родителям { $class_name }
broadcast-audience-class-students = Ученикам { $class_name }
broadcast-audience-class-all = Родителям и ученикам { $class_name }
broadcast-audience-staff = Всем сотрудникам
broadcast-audience-school = Всей школе
broadcast-audience-parallel-parents = Родителям { $grade }-х классов
broadcast-prompt = Получателей: { $count }. Напишите текст объявления. /cancel — отмена.
broadcast-preview = Так его { $count ->
    [one] увидит { $count } получатель
    [few] увидят { $count } получателя
   *[many] увидят { $count } получателей
 }. Отправить?
broadcast-button-send = Отправить
broadcast-button-cancel = Отмена
broadcast-button-report = Отчёт о доставке
broadcast-button-refresh = Обновить
broadcast-cancelled = Объявление не отправлено.
broadcast-sent = Объявление отправляется ({ $count }). Отчёт — кнопкой ниже или /broadcast report.
broadcast-report = Всего { $total }: доставлено { $delivered }, в очереди { $pending }, заблокировали бота { $blocked }, ошибки { $failed }, отключили объявления { $off }. Ознакомились: { $read }.
broadcast-none-yet = Вы ещё не отправляли объявлений.
broadcast-read-thanks = Спасибо, отмечено.
broadcast-read-already = Уже отмечено.
broadcast-error-text-only = Объявление — только текст.
broadcast-error-no-class = Выберите класс.
broadcast-error-not-allowed = Объявления рассылают классный руководитель (своему классу), заместитель директора, директор и администратор.
broadcast-error-school-wide = Всем сотрудникам и всей школе пишут заместитель директора, директор и администратор.
broadcast-error-parallel = Родителям параллели пишут заместитель директора и директор.
broadcast-error-no-parallel = Такой параллели в школе нет.
broadcast-error-not-found = Такого объявления нет.
broadcast-error-not-yours = Это не ваше объявление.

## Access: roles, refusals, sign-in by invitation, who has signed in, revoking.

role-name = { $role ->
    [admin] администратор
    [deputy] заместитель директора
    [director] директор
    [teacher] учитель
    [class_teacher] классный руководитель
    [parent] родитель
    [student] ученик
   *[other] { $role }
 }

## Refusals of the access checks (services/access.py)

error-admin-only = Это может только администратор журнала.
error-school-readers-only = Это доступно заместителю директора, директору и администратору.
error-not-your-class = Это не ваш класс.
error-not-your-lesson = Вы не ведёте этот предмет в этом классе.
error-not-your-group = Это урок группы { $group }, а вы ведёте в этом классе другую группу.
error-not-your-child = Это не ваш ребёнок.
error-not-you = Ученик видит только свой дневник.
error-student-not-found = Такого ученика нет.
error-class-not-found = Класса { $name } нет.
error-no-such-year = В журнале нет { $year } учебного года.
error-class-required = Укажите класс, например: 5А.

## Sign-in: /start

start-welcome =
    Здравствуйте! Это электронный журнал школы.
    Вход — только по личному приглашению. Ссылку дают классный руководитель (родителям и ученикам) и администратор журнала (сотрудникам). Откройте её, и журнал узнает вас.
start-signed-in = Здравствуйте, { $name }! Вы вошли в журнал: { $role }.
start-student-notices = Присылать вам уведомления о новых отметках и пропусках? Сейчас они выключены. Изменить можно когда угодно: /settings.
start-student-notices-yes = Да, присылать
start-student-notices-no = Нет, не нужно
start-already-signed-in = { $name }, вы уже вошли по этой ссылке.
start-greeting = Здравствуйте, { $name }!
start-error-unknown-code = Такого приглашения нет. Проверьте, что ссылка открыта целиком, или попросите новую.
start-error-used-code = Это приглашение уже использовано. Если это были не вы, сообщите классному руководителю или администратору и попросите новую ссылку.
start-error-expired-code = Срок действия приглашения истёк. Попросите новую ссылку.
start-error-revoked-code = Это приглашение отозвано. Попросите новую ссылку.
start-error-other-person = Этот аккаунт Telegram уже привязан к другому человеку с той же ролью. Откройте ссылку из своего аккаунта.
start-error-locked = Слишком много неверных приглашений. Попробуйте снова через { $minutes } { $minutes ->
    [one] минуту
    [few] минуты
   *[other] минут
 }.

## /whoami

whoami-header = Вы вошли в журнал как:
whoami-staff = • { $name } — { $roles }
whoami-homeroom = классный руководитель { $classes }
whoami-parent = • { $name } — родитель: { $children }
whoami-child = { $name } ({ $class_name })
whoami-student = • { $name } — ученик, класс { $class_name }
whoami-no-class = без класса

## /language

language-choose = Выберите язык:
language-set = Готово: теперь я говорю по-русски.
language-unknown = Не знаю языка «{ $text }». Выберите язык: /language ru или /language en, или кнопкой:

## /invite

invite-usage =
    Как пригласить:
    /invite parent &lt;id&gt; или /invite student &lt;id&gt; — родителя или ученика
    /invite class [класс] — всех учеников и родителей класса
    /invite teacher|deputy|director|admin &lt;id&gt; — сотрудника (администратор)
    id — из файла импорта, например p3 или s12. Если человек уже вошёл, новая ссылка — после подтверждения (или /invite parent p3 again).
invite-error-id-required = Укажите id человека из файла импорта: /invite { $role } ID. Нового администратора без id создают только из командной строки.
invite-error-no-person = { $kind ->
    [staff] Сотрудника
    [parent] Родителя
   *[student] Ученика
 } с id { $id } нет в журнале.
invite-error-inactive = { $name } больше не работает в школе.
invite-error-lacks-role = У { $name_gent } нет роли «{ $role }» в журнале.
invite-error-student-left = { $name } уже не учится в школе.
invite-error-no-invitation = Такого приглашения нет.
invite-link =
    Приглашение: { $name } ({ $role })
    { $link }
    Передайте ссылку лично. Она действует до { DATETIME($until, dateStyle: "long") } и открывается один раз.
invite-class-header = Приглашения, { $class_name } — передайте каждому его ссылку лично:
invite-class-line = { $name } ({ $role }): { $link }
invite-class-footer = Ссылки действуют до { DATETIME($until, dateStyle: "long") }, каждая открывается один раз.
invite-class-skipped = Уже вошли и ссылку не получают: { $count }.
invite-class-none = В классе { $class_name } все ученики и родители уже вошли в журнал.

## /access

access-header = { $class_name }: кто вошёл в журнал
access-staff-header = Сотрудники: кто вошёл в журнал
access-person = { $signed ->
    [yes] ✅
   *[no] ❌
 } { $name } ({ $id })
access-parents = { "    " }родители: { $parents }
access-no-parents = { "    " }родители не указаны
access-summary = Вошли учеников: { $students } из { $students_total }, родителей: { $parents } из { $parents_total }.
access-staff-summary = Вошли сотрудников: { $signed } из { $total }.
access-empty = В классе { $class_name } нет учеников.

## /revoke

revoke-usage =
    Как закрыть доступ: /revoke &lt;роль&gt; &lt;id&gt;, например /revoke parent p3.
    Роли: parent, student; администратор также teacher, deputy, director, admin.
revoke-done = Доступ закрыт: { $name }. Отключено входов: { $bindings }, отозвано неиспользованных приглашений: { $invitations }.
revoke-nothing = { $name }: ни входа, ни действующих приглашений не было — закрывать нечего.
revoke-error-self = Свой собственный доступ закрыть нельзя.
error-past-year = { $class_name } — класс прошлого учебного года ({ $year }): его журнал закрыт и только читается; исправить его может только администратор журнала, указав причину.

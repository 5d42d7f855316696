# The offline console demo (python -m bot console): its own lines around the bot's answers.
console-banner =
    Школьный журнал — демо в терминале: те же обработчики, что в Telegram, но без токена и без сети.
    Демо-школа: { $database }
console-seeded = Демо-школа создана; { $people ->
    [one] { $people } человек уже вошёл
    [few] все { $people } человека уже вошли
   *[many] все { $people } человек уже вошли
 } в журнал.
console-you-are = Вы — { $person }.
console-commands = Пишите, как боту в Telegram (например, /help). /as ID — стать другим (просто /as — список), /press N или /press ТЕКСТ — нажать кнопку, /quit — выход.
console-people-header = Кем можно быть (/as ID):
console-unknown-person = Нет демо-человека «{ $id }». Список — /as.
console-no-buttons = У последнего сообщения нет кнопок.
console-no-such-button = Нет кнопки «{ $label }». Есть: { $labels }.
console-link-button = Эта кнопка открывает ссылку: { $url }
console-foreign-school = В базе { $database } уже есть другая школа. Демо работает только со своей базой: задайте CONSOLE_DATABASE_URL.
console-import-failed = Демо-школа не загрузилась:
console-bye = До свидания!
console-role-admin = администратор
console-role-director = директор
console-role-deputy = завуч
console-role-teacher = учитель
console-role-class_teacher = классный руководитель
console-role-parent = родитель
console-role-student = ученик

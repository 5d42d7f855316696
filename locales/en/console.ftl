# The offline console demo (python -m bot console): its own lines around the bot's answers.
console-banner =
    School journal — terminal demo: the same handlers as in Telegram, with no token and no network.
    Demo school: { $database }
console-seeded = Demo school created; { $people ->
    [one] { $people } person is signed in
   *[other] all { $people } people are signed in
 }.
console-you-are = You are { $person }.
console-commands = Type as you would to the bot in Telegram (e.g. /help). /as ID — become someone else (/as alone lists who), /press N or /press LABEL — press a button, /quit — exit.
console-people-header = Who you can be (/as ID):
console-unknown-person = There is no demo person “{ $id }”. See /as.
console-no-buttons = The last message has no buttons.
console-no-such-button = No button “{ $label }”. There are: { $labels }.
console-link-button = This button opens a link: { $url }
console-foreign-school = The database { $database } already holds another school. The demo needs its own: set CONSOLE_DATABASE_URL.
console-import-failed = The demo school did not load:
console-bye = Goodbye!
console-role-admin = administrator
console-role-director = director
console-role-deputy = deputy head
console-role-teacher = teacher
console-role-class_teacher = class teacher
console-role-parent = parent
console-role-student = student

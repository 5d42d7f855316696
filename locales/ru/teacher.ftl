## Teachers: /today, the lesson view, /mark, /homework, /topic (handlers/teacher/, services/journal/)

## How to write

entry-help-mark =
    <b>Отметки и посещаемость одной командой</b>
    /mark &lt;класс&gt; &lt;предмет&gt; [дата] [#вид работы] &lt;№&gt;:&lt;значение&gt; …
    Например: /mark 5А матем 3:5 7:4 12:н
    или: /mark 5a матем 27.11 #контрольная 1:5 2:3/4
    № — номер ученика в списке класса (по алфавиту, как в бумажном журнале).
    Значения: 2–5 — отметка; 3/4 — две отметки за урок; н — отсутствовал, б — болел, оп — опоздал;
    - (или x) — убрать отметки ученика за урок; + — был на уроке (убрать н, б, оп).
    Дата: 27.11, 27.11.2026 или 2026-11-27; без даты — сегодня. Урок не по расписанию: 27.11/3 (дата/номер урока).
    Исправление записи, сделанной больше { $minutes } мин. назад, — с причиной в конце: // ошибся строкой
    Исправленная отметка сохраняет свой вид работы, если не указан другой (#контрольная). Ученику с «н» или «б» за урок отметку не поставить; «н» поверх отметки — после подтверждения.
entry-usage-mark = Не хватает частей команды. Пример: /mark 5А математика 3:5 7:4 12:н (полная справка — /mark без слов).
entry-usage-topic = Пример: /topic 5А математика Сложение дробей (дата по желанию: /topic 5А математика 27.11 Сложение дробей).
entry-usage-homework = Пример: /homework 5А математика № 112, 115 (к следующему уроку) или /homework 5А математика 27.11 № 112 (к уроку 27.11).

## Refusals while reading a command

entry-unknown-class = Класса «{ $name }» в школе нет.
entry-unknown-subject = Предмета «{ $name }» нет. Предметы школы: { $known }.
entry-ambiguous-subject = «{ $name }» подходит к нескольким предметам: { $candidates }. Напишите точнее.
entry-unknown-work-type = Вида работы «{ $name }» нет. Виды работ: { $known }.
entry-ambiguous-work-type = «{ $name }» подходит к нескольким видам работ: { $candidates }. Напишите точнее.
entry-bad-date = Даты «{ $text }» не бывает. Пишите 27.11, 27.11.2026 или 2026-11-27.
entry-bad-lesson-no = В «{ $text }» неверный номер урока: после косой черты — номер урока от 1 до 12.
entry-bad-item = Не понял «{ $item }»: пишите номер ученика и значение, например 3:5 или 12:н.
entry-bad-mark = «{ $item }»: отметки { $mark } не бывает — ставятся отметки от { $lowest } до 5.
entry-too-many-marks = «{ $item }»: за один урок — не больше двух отметок (3/4).
entry-class-teacher-code = «{ $item }»: «{ $code }» ставит классный руководитель, когда объясняет пропуск. Учитель отмечает н, б или оп.
entry-bad-value = «{ $item }»: непонятное значение. Можно: 2–5, 3/4, н, б, оп, - (убрать отметки), + (был на уроке).
entry-repeated-student = Ученик № { $number } встречается в команде дважды: оставьте одно значение.
entry-no-items = Нет ни одной записи: после класса и предмета напишите, например, 3:5 7:4 12:н.
entry-no-text = Нет текста: напишите его после класса и предмета (и даты, если она нужна).
entry-text-too-long = Слишком длинный текст: не больше { $limit } { $limit ->
    [one] знака
   *[other] знаков
 }.
entry-reason-too-long = Слишком длинная причина: не больше { $limit } { $limit ->
    [one] знака
   *[other] знаков
 }. Хватит короткой пометки.

## Refusals by the rules

entry-lesson-not-found = Такого урока нет. Откройте его заново из /today.
entry-staff-only = Записывать в журнал могут только учителя.
entry-not-your-lesson = Вы не ведёте «{ $subject }» в { $class_name }: записи в этот журнал вам недоступны.
entry-grade-one-marks = В { $class_name } отметки не ставятся: в 1-х классах ведётся только учёт посещаемости (Положение, п. 1.3). Посещаемость и тему урока записывать можно.
entry-grade-one-homework = В { $class_name } домашние задания в журнал не записываются (Положение, п. 1.3).
entry-no-marks-subject = В { $class_name } «{ $subject }» ведётся без отметок (безотметочный предмет): отметки не ставятся. Посещаемость, тему и домашнее задание записывать можно.
entry-no-marks-pass-fail = В { $class_name } «{ $subject }» оценивается зачётом: за уроки отметки не ставятся, за четверть и год — «зч» или «нз». Посещаемость, тему и домашнее задание записывать можно.
entry-no-marks-period = В { $class_name } в период «{ $period }» отметки не ставятся: так решила школа для { $grade }-х классов. Посещаемость, тему и домашнее задание записывать можно.
entry-no-next-lesson = Следующего урока «{ $subject }» в { $class_name } в расписании не нашлось. Укажите дату урока, например: /homework { $class_name } { $subject } 27.11 текст.
entry-future-date = { $date } ещё не наступило: отметки, посещаемость и тему записывают в день урока или позже.
entry-outside-year = { $date } — вне учебного года: записывать нечего.
entry-holiday = { $date } — { $holiday }: уроков нет.
entry-not-study-day = { $date } не входит ни в одну четверть: уроков нет.
entry-no-such-number = В списке { $class_name } на { $date } нет № { $number }: в классе { $count } { $count ->
    [one] ученик
    [few] ученика
   *[many] учеников
 }.
entry-student-not-in-class = Этот ученик не учился в { $class_name } { $date }: записать ему этот урок нельзя.
entry-no-work-types = В школе не заведено ни одного вида работ: обратитесь к администратору.
entry-period-locked = Отметки за { $period } уже выставлены: изменить отметки этого периода может только заместитель директора, с указанием причины.

## A reason is needed

entry-reason-late = Запись ученика № { $number } ({ $student }) сделана больше { $minutes } мин. назад: исправить её можно только с указанием причины.
entry-reason-past-year = { $class_name } — класс прошлого учебного года ({ $year }): исправление его журнала записывается только с причиной.
entry-reason-not-yours = Вы исправляете журнал, который не ведёте ({ $class_name }, { $subject }): укажите причину.
entry-reason-locked = Отметки за { $period } уже выставлены: изменение — только с причиной.
entry-reason-hint-command = Повторите команду, добавив причину в конце после //, например:
    { $example }
entry-reason-ask = Напишите причину одним сообщением. /cancel — не исправлять.

## What was recorded

entry-recorded-header = { $class_name }, { $subject }, { $date }, урок { $lesson_no }:
entry-recorded-header-work-type = { $class_name }, { $subject }, { $date }, урок { $lesson_no } ({ $work_type }):
entry-removed = удалено
entry-present = был на уроке
entry-unchanged = без изменений
entry-reason = Причина: { $reason }
entry-topic-saved = Тема урока записана: { $class_name }, { $subject }, { $date }, урок { $lesson_no }.
    { $text }
entry-homework-saved = Домашнее задание к уроку { $date } (урок { $lesson_no }) записано: { $class_name }, { $subject }.
    { $text }
entry-homework-exists = К уроку { $date } (урок { $lesson_no }) уже задано: «{ $existing }». Заменить новым заданием или добавить к нему?
entry-homework-added = Домашнее задание к уроку { $date } (урок { $lesson_no }) дополнено: { $class_name }, { $subject }.
    { $text }
entry-homework-kept = Задание не изменено.
entry-homework-button-replace = Заменить
entry-homework-button-add = Добавить
entry-homework-button-cancel = Отмена
entry-homework-choice-expired = Этот вопрос устарел: задание уже записано или вы задали новое. Отправьте задание снова, если нужно.

## /today

today-header = <b>Уроки, { $day }</b>
today-lesson = <b>{ $lesson_no }.</b> { $time } · { $class_name } · { $subject }
today-missing = не заполнено: { $items }
today-complete = всё заполнено ✔
today-missing-attendance = посещаемость
today-missing-topic = тема
today-missing-marks = отметки
today-missing-homework = домашнее задание
today-no-lessons = В этот день у вас уроков нет.
today-holiday = Каникулы ({ $holiday }): уроков нет.
today-outside-year = Этот день — вне учебного года: уроков нет.
today-open-hint = Откройте урок кнопкой, чтобы отметить посещаемость, поставить отметки, записать тему и задание.
today-button = { $lesson_no } · { $class_name } · { $subject }

## The lesson view

lesson-title = <b>{ $class_name } · { $subject }</b>
lesson-when = { $day }, урок { $lesson_no } { $time }
lesson-topic = Тема: { $topic }
lesson-no-topic = Тема: —
lesson-work-type = Вид работы для новых отметок: { $work_type }
lesson-homework = Задание к следующему уроку ({ $day }): { $text }
lesson-no-homework = Задание к следующему уроку ({ $day }): —
lesson-attendance-taken = Посещаемость отмечена ✔
lesson-attendance-open = Посещаемость ещё не отмечена.
lesson-empty-class = В списке класса на этот день никого нет.
lesson-hint = Нажмите № ученика или пришлите строку: <code>3 5, 7 4, 12 н</code> (№ и значение через пробел, записи через запятую). Значения: { $lowest }–5, 3/4, н, б, оп, - (убрать отметки), + (был на уроке). /cancel — закрыть урок.
lesson-hint-grade-one = Нажмите № ученика или пришлите строку: <code>3 н, 12 б</code>. Значения: н, б, оп, + (был на уроке). /cancel — закрыть урок.
lesson-button-topic = Тема
lesson-button-homework = Задание
lesson-button-work-type = Вид работы
lesson-button-attendance-done = Все остальные были ✔
lesson-button-refresh = Обновить
lesson-button-back = ← К списку
lesson-button-remove = ✖ убрать отметки
lesson-button-present = ✔ был на уроке
lesson-button-history = История изменений
lesson-student = <b>№ { $number }. { $name }</b>
lesson-student-marks = Отметки: { $marks }
lesson-student-code = Посещаемость: { $code }
lesson-student-pick = Выберите отметку или отметку посещаемости:
lesson-ask-topic = Напишите тему урока одним сообщением. /cancel — отмена.
lesson-ask-homework = Напишите задание к уроку { $day } (урок { $lesson_no }) одним сообщением. /cancel — отмена.
lesson-pick-work-type = Какой вид работы у отметок, которые вы будете ставить?
lesson-work-type-set = Вид работы: { $work_type }
lesson-attendance-done = Посещаемость отмечена: остальные ученики были на уроке.
lesson-set = № { $number }: { $value }
lesson-recorded = Записано: { $changes }
lesson-recorded-reason = Записано: { $changes } (причина: { $reason })
lesson-cancelled = Отменено. Урок открыт: можно присылать строки с отметками.
lesson-closed = Урок закрыт.
lesson-history-title = <b>История: № { $number }. { $name }</b>
lesson-history-empty = Изменений не было.
lesson-history-created = поставлено { $after }
lesson-history-changed = { $before } → { $after }
lesson-history-removed = убрано { $before }
lesson-history-mark = отметка
lesson-history-attendance = посещаемость

## A comment on a student's marks

lesson-button-comment = 💬 Комментарий
lesson-ask-comment = Напишите комментарий к отметкам № { $number } ({ $name }) одним сообщением: его увидят родители. «-» — убрать комментарий. /cancel — отмена.
entry-comment-saved = Комментарий записан: { $comment }
entry-comment-removed = Комментарий убран.
entry-comment-no-mark = { $student }: за этот урок отметки нет, а комментарий пишут к отметке.
entry-comment-period-locked = Отметки за { $period } уже выставлены: комментарии к отметкам этого периода не меняются.
entry-work-type-changed = вид работы: { $before } → { $after }
entry-mark-while-absent = У № { $number } ({ $student }) на этом уроке стоит «{ $code }»: отметку не поставить. Если ученик был на уроке, сначала снимите отсутствие: { $number }:+ { $number }:5; если опоздал — { $number }:оп.
entry-confirm-absent-with-marks = У № { $number } ({ $student }) за этот урок уже есть отметка { $marks }. Отметить «{ $code }»? Отметка останется.
entry-confirm-button = Да, отметить «{ $code }»
entry-confirm-nothing = Подтверждать нечего: эта запись уже сохранена или устарела. Отправьте её снова.

## Subgroups: a group's lesson is its own journal page (services.subgroups)
entry-no-such-number-in-group = В группе { $group } ({ $class_name }, «{ $subject }») на { $date } нет № { $number }: в группе { $count ->
    [one] { $count } ученик
    [few] { $count } ученика
   *[many] { $count } учеников
}, номера с 1 по { $count }.
entry-not-your-group = В { $class_name } «{ $subject }» идёт по группам, и ваша — { $groups }: урок группы { $group } ведёт другой учитель, записи в него вам недоступны.
entry-no-such-group = В { $class_name } по предмету «{ $subject }» нет группы «{ $group }». Группы: { $groups }.
entry-subject-not-split = { $class_name } не делится на группы по предмету «{ $subject }»: уберите «/{ $group }» после предмета.
entry-name-the-group = В { $class_name } «{ $subject }» идёт по группам ({ $groups }): укажите группу после предмета, например «{ $example }».
entry-student-not-in-group = Этот ученик { $date } не был в группе { $group } ({ $class_name }, «{ $subject }»): записать ему урок этой группы нельзя.

## On a schedule: reminders, control reports, archive copies; /status, /backup, /control.

## What a lesson lacks

control-missing-attendance = посещаемость
control-missing-topic = тема
control-missing-marks = отметки
control-missing-homework = домашнее задание

## The teacher's reminder (REMINDER_TIME)

reminder-title = <b>Журнал за { $day }</b>: до { $deadline } нужно заполнить
reminder-line = { $lesson } — нет: { $missing }
reminder-hint = Кнопка с уроком открывает его. «Урок без отметок» — если отметок на этом уроке не было и не будет.
reminder-button-open = { $class_name } · { $subject }
reminder-button-no-marks = Урок без отметок · { $class_name }, { $lesson_no } урок
no-marks-done = Урок закрыт без отметок: { $class_name }, { $subject }, { $date }, { $lesson_no } урок. Напоминать об отметках больше не будем.
no-marks-grade-one = В 1-х классах отметки не ставятся — закрывать урок не нужно.
no-marks-no-lesson = Такого урока нет в расписании.

## Control reports: the deputy's daily list, the director's period report (/control)

control-col-teacher = Учитель
control-col-lessons = Уроков
control-col-on-time = В срок
control-col-late = Поздно
control-col-missing = Нет
control-col-class = Класс
control-col-average = Ср.балл
control-col-quality = Кач.
control-col-success = Усп.
control-no-lessons = Уроков не было.
deputy-title = <b>Контроль журнала за { $day }</b>
deputy-no-overdue = Просроченных записей нет: к сроку всё заполнено.
deputy-overdue-line = { $time } { $class_name } { $subject } — нет: { $missing }
deputy-overdue-filled = { $time } { $class_name } { $subject } — было: { $missing } (заполнено позже)
deputy-week = <b>С начала недели</b> ({ $start } — { $end }), уроков: в срок / позже срока / не заполнено
director-title = <b>Контроль ведения журнала: { $period }</b> ({ $start } — { $end })
director-teachers = <b>Учителя</b>: доля уроков, заполненных в срок, позже срока и не заполненных
director-classes = <b>Классы</b>: средний балл, качество знаний (только «4» и «5»), успеваемость (без «2»), пропуски по кодам
director-total = Всего
director-notes = Баллы — по отметкам за четверть, а где их ещё нет — по средневзвешенному баллу. 1-е классы без отметок.
control-usage = Как вызвать: /control — отчёт за текущую четверть; /control день — просрочки за последний учебный день.
control-no-period = В журнале нет четвертей.
control-no-school-day = Учебных дней ещё не было.
control-period-not-started = { $period } только началась — считать пока нечего.

## The class teacher's day (HOMEROOM_REPORT_TIME) and the weekly data check (MISSING_DATA_TIME)

daily-proposals-title = <b>Родители сообщили</b> (подтвердите кнопками):
daily-proposal-line = { $name }: { $lesson_no } урок ({ $subject }) — { $proposal }
daily-proposal-ill = { $gender ->
    [female] болела
    [male] болел
   *[other] по болезни
 }
daily-proposal-excused = уважительная причина
daily-proposal-unknown = не знают причину
missing-data-title = <b>{ $class_name }: чего не хватает в данных учеников</b> (на { $date })
missing-data-line = { $number }. { $name } — { $gaps }
missing-data-no-parent = не указан родитель
missing-data-parent-not-signed-in = родитель не вошёл в журнал
missing-data-no-consent = нет согласия на обработку ПДн
missing-data-hint = Приглашения родителям — /invite parent &lt;id&gt;; кто вошёл — /access; чьих согласий не хватает — /class consents.

## Archive copies

backup-done = Архивная копия { $name } ({ $size }) готова, проверка целостности пройдена.
backup-too-big = Копия { $name } ({ $size }) больше 50 МБ — Telegram её не примет. Она на сервере: { $path }
backup-failed = Архивная копия не получилась: { $error }
backup-failed-notice = ⚠️ Ночная архивная копия журнала не создана или не прошла проверку: { $error }
backup-failed-notice-now = ⚠️ Архивная копия журнала, сделанная по запросу, не создана или не прошла проверку: { $error }
backup-error-memory-database = База данных в памяти: копировать нечего.
backup-error-no-database = Файла базы данных нет.
backup-error-no-file = Файла { $path } нет.
backup-error-no-tool = Нет программы { $tool }. Для PostgreSQL архивные копии делаются через pg_dump и восстанавливаются через pg_restore: установите клиент PostgreSQL.
backup-error-tool-failed = { $tool } завершился с ошибкой: { $detail }
backup-error-not-verified = Копия не прошла проверку: { $detail }
backup-error-unexpected = Непредвиденная ошибка: { $detail }
restore-error-bot-running = Бот сейчас работает (pid { $pid }). Остановите его и повторите восстановление.
restore-error-wrong-kind = Эта копия от базы другого вида (SQLite и PostgreSQL не взаимозаменяемы).

## /status

status-title = <b>Состояние журнала</b>
status-version = Версия: { $version }
status-uptime = Работает: { $duration } (с { $since })
status-uptime-unknown = Работает: —
status-duration = { $days ->
    [0] { $hours } ч { $minutes } мин
   *[other] { $days } дн { $hours } ч
 }
status-megabytes = { $size } МБ
status-database = База данных: { $size }
status-backup-none = Архивных копий ещё не было.
status-backup-ok = Последняя копия: { $when }, { $size }, проверена ✅
status-backup-failed = Последняя копия: { $when } — ошибка ❌ { $error }
status-outbox = Очередь сообщений: ждут { $pending }, не доставлены { $failed }, самое старое ждёт { $oldest }
status-failure = · не доставлено { $when } ({ $kind }): { $error }
status-accounts = Аккаунты: активны { $active }, заблокировали бота { $blocked }
status-jobs = Расписание:
status-job = · { $job } — { $when }
status-jobs-off = Расписание не запущено.
job-teacher_reminder = напоминание учителям
job-marks_deadline = срок отметок
job-deputy_report = отчёт заместителю
job-director_report = отчёт директору за четверть
job-homeroom_daily = пропуски — классным руководителям
job-missing_data = проверка данных учеников
job-risk_heads_up = предупреждение семьям о риске неуспеваемости
job-backup = архивная копия

## python -m bot import: what became of each version of the timetable (services.timetable_versions)

import-timetable-created = Расписание: новая версия, действует с { $valid_from } ({ $lessons } { $lessons ->
    [one] урок
    [few] урока
   *[many] уроков
 } в неделю).
import-timetable-replaced = Расписание: версия с { $valid_from } заменена ({ $lessons } { $lessons ->
    [one] урок
    [few] урока
   *[many] уроков
 } в неделю).
import-timetable-unchanged = Расписание: версия с { $valid_from } не изменилась.
import-timetable-previous-kept = Прежнее расписание (с { $previous }) остаётся в силе по { $last_day } включительно.

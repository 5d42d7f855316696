## Lessons come from the timetable (services.timetable_day, services.timetable_changes)

timetable-day-off = { $date } у { $class_name } уроков нет: выходной. Записи делают в дни уроков по расписанию.
timetable-no-lesson = { $day } у { $class_name } нет урока «{ $subject }». Уроки { $class_name } в этот день: { $lessons }. Если урок был вне расписания, замену записывает заместитель директора, а дополнительный урок — учитель: /lesson add.
timetable-no-lesson-numbered = { $day } у { $class_name } { $lesson_no }-й урок — не «{ $subject }». Уроки { $class_name } в этот день: { $lessons }. Укажите номер урока по расписанию; если урок был вне расписания, замену записывает заместитель директора, а дополнительный урок — учитель: /lesson add.
timetable-lesson-cancelled = { $lesson_no }-й урок «{ $subject }» у { $class_name } { $date } отменён: записи в него не вносятся.
timetable-deputy-only = Замены записывает заместитель директора или администратор.
timetable-no-such-slot = { $day } у { $class_name } нет { $lesson_no }-го урока по расписанию. Уроки { $class_name } в этот день: { $lessons }.
timetable-name-teacher = «{ $subject }» в { $class_name } ведёт не один учитель или никто: укажите, кто ведёт урок.
timetable-not-a-teacher = { $name } — не учитель: урок может вести только учитель.
timetable-nothing-to-restore = { $day } у { $class_name } { $lesson_no }-й урок и так идёт по расписанию.
timetable-lesson-written = В { $lesson_no }-м уроке «{ $subject }» у { $class_name } { $day } уже есть записи: сначала их снимает учитель (отметки «-», пропуски «+»), потом урок можно отменить или заменить другим предметом.
timetable-no-such-bell = Урока № { $lesson_no } в расписании звонков нет: уроки с 1 по { $last }.
timetable-number-taken = { $day } у { $class_name } { $lesson_no }-й урок занят: «{ $subject }». Уроки { $class_name } в этот день: { $lessons }. Выберите свободный номер.
timetable-old-row = В журнале уже есть { $lesson_no }-й урок «{ $subject }» у { $class_name } { $day }, записанный вне расписания. Уберите его (/lesson remove) или выберите другой номер.
timetable-extra-confirm = Добавить дополнительный урок «{ $subject }» в { $class_name }: { $date }, { $lesson_no }-й урок? Родители и ученики получат уведомление об изменении расписания.
timetable-extra-button = Добавить: { $date }, { $lesson_no }-й урок
timetable-remove-timetabled = { $lesson_no }-й урок «{ $subject }» у { $class_name } { $day } — урок по расписанию: убрать его нельзя. Если урока не было, заместитель директора записывает его отмену (/substitute).
timetable-remove-nothing = { $day } у { $class_name } нет { $lesson_no }-го урока «{ $subject }» вне расписания: убирать нечего.
timetable-remove-not-yours = Убрать урок «{ $subject }» в { $class_name } может только учитель, который его добавил, или заместитель директора.
timetable-remove-has-entries = В { $lesson_no }-м уроке «{ $subject }» у { $class_name } { $day } есть записи: отметок — { $marks }, пропусков — { $absences }. Сначала снимите их (например: /mark { $class_name } { $subject } { $day }/{ $lesson_no } 3:- 5:+), потом урок можно убрать.

## Answers
timetable-done-substitution = Замена записана: { $class_name }, { $date }, { $lesson_no }-й урок — { $subject }, ведёт { $teacher }.
timetable-done-cancellation = Урок отменён: { $class_name }, { $date }, { $lesson_no }-й урок — { $subject }.
timetable-done-restored = Урок идёт по расписанию: { $class_name }, { $date }, { $lesson_no }-й урок — { $subject }, ведёт { $teacher }.
timetable-done-extra = Дополнительный урок добавлен: { $class_name }, { $subject }, { $date }, { $lesson_no }-й урок. Он есть в /today { $day }.
timetable-done-removed = Урок убран: { $class_name }, { $subject }, { $date }, { $lesson_no }-й урок.
timetable-told-families = Родителям и ученикам класса отправлено уведомление об изменении расписания.
timetable-usage-lesson =
    Дополнительный урок и урок, созданный по ошибке:
    /lesson add &lt;класс&gt; &lt;предмет&gt; &lt;дата&gt;/&lt;номер урока&gt; — например /lesson add 5А матем 01.12/6
    /lesson remove &lt;класс&gt; &lt;предмет&gt; &lt;дата&gt;/&lt;номер урока&gt; — убрать урок без записей
timetable-usage-substitute =
    Замена урока (заместитель директора, администратор):
    /substitute &lt;класс&gt; &lt;дата&gt; — уроки класса в этот день, кнопками
    /substitute &lt;класс&gt; &lt;дата&gt;/&lt;номер&gt; &lt;учитель&gt; — урок ведёт другой учитель (id или фамилия)
    /substitute &lt;класс&gt; &lt;дата&gt;/&lt;номер&gt; &lt;предмет&gt; [учитель] — другой предмет
    /substitute &lt;класс&gt; &lt;дата&gt;/&lt;номер&gt; отмена — урок отменён
    /substitute &lt;класс&gt; &lt;дата&gt;/&lt;номер&gt; расписание — вернуть урок по расписанию
timetable-unknown-teacher = Учитель «{ $text }» не найден: укажите его id (например t2) или фамилию.
timetable-ambiguous-teacher = «{ $text }» подходит нескольким сотрудникам: { $names }. Укажите id.
timetable-need-lesson-no = Укажите дату и номер урока: например { $example }.
timetable-day-header = { $class_name }, { $date }: выберите урок.
timetable-day-none = { $date } у { $class_name } уроков нет.
timetable-lesson-header = { $class_name }, { $date }, { $lesson_no }-й урок — { $subject }, ведёт { $teacher }. Кто ведёт урок?
timetable-button-cancel = Отменить урок
timetable-button-restore = По расписанию
timetable-button-remove = Убрать урок
timetable-mark-substitution = замена
timetable-mark-extra = доп.
timetable-mark-cancelled = отменён

## Family notice
notify-timetable-title = 📅 Изменение расписания { $class_name } на { $date } ({ $student }):
notify-timetable-substitution = { $lesson_no }-й урок — { $subject }: замена, ведёт { $teacher }
notify-timetable-cancellation = { $lesson_no }-й урок ({ $subject }) отменён
notify-timetable-extra = { $lesson_no }-й урок — дополнительный: { $subject }, ведёт { $teacher }
notify-timetable-day = Уроки в этот день: { $lessons }
notify-timetable-none = Уроков в этот день нет.

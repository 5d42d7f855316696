## Class teachers: /class (the daily record, explanations, the class list) and movement.

homeroom-usage-class = Как открыть класс: /class, /class { $day }, /class students или /class 5А { $day }.
homeroom-no-class = У вас нет класса, где вы классный руководитель.
homeroom-pick-class = Какой класс открыть?
homeroom-class-gone = Этого класса больше нет.

## The daily record

homeroom-day-title = <b>{ $class_name }</b> · пропуски за { $date }
homeroom-day-none = Пропусков нет. Учеников в классе: { $size }.
homeroom-day-summary = Отсутствовали: { $absent } из { $size }.
homeroom-day-unexplained = <b>Без объяснения</b>
homeroom-day-others = <b>Объяснены и опоздания</b>
homeroom-day-student = { $number }. { $name } — { $lessons }
homeroom-day-lesson = { $lesson_no } { $subject } { $code }
homeroom-day-proposal = { $code } (родители: { $proposal })
homeroom-button-confirm-proposal = №{ $number }: { $lesson_no } урок — { $code }, как сказали родители
homeroom-no-proposal = Подтверждать нечего: родители не предлагали объяснения этого пропуска, или его уже объяснили.
homeroom-day-hint = Кнопки: б — болел, уп — уважительная причина, нп — неуважительная; за весь день. «по урокам» — отдельно каждый урок.
homeroom-button-explain = №{ $number } { $code }
homeroom-button-by-lesson = №{ $number } по урокам
homeroom-button-explain-lesson = { $lesson_no } урок: { $code }
homeroom-button-back = ← к пропускам класса
homeroom-lessons-title = { $name } · { $date }, по урокам:
homeroom-explained = Записано: { $name } — { $code } (уроков: { $lessons }).

homeroom-bad-explanation = Объяснение пропуска — б, уп или нп (не «{ $code }»).
homeroom-not-absence = Объяснить можно только «н»; здесь стоит «{ $code }».
homeroom-nothing-to-explain = Объяснять нечего: у ученика нет «н» в этот день.

## The class list

homeroom-list-title = <b>{ $class_name }</b> · список класса на { $date }
homeroom-list-period = Средние и пропуски — { $period }, по сегодняшний день.
homeroom-list-empty = В классе нет учеников.
homeroom-list-flagged = Требуют внимания: { $count } (средний ниже 3 по предмету или пропущено больше 20 % уроков).
homeroom-list-student = { $number }. <b>{ $name }</b> ({ $id }) — { $state }
homeroom-list-parent = { "   " }родитель: { $name }{ $phone } — { $state }
homeroom-list-no-parents = { "   " }родители не указаны
homeroom-flag-average = { "   " }⚠️ средний ниже 3: { $subject } — { $average }
homeroom-flag-missed = { "   " }⚠️ пропущено { $missed } из { $held } { $held ->
    [one] урока
   *[other] уроков
 } ({ $percent } %)
# $gender: the person's whose state it is (services.names.gender_of).
homeroom-sign-in = { $state ->
    [active] ✅ в журнале
    [blocked] ⛔ { $gender ->
        [female] заблокировала бота
        [male] заблокировал бота
       *[other] бот заблокирован
    }
   *[none] ▫️ { $gender ->
        [female] не входила
        [male] не входил
       *[other] входа ещё не было
    }
 }
homeroom-button-student = { $number }. { $name }
homeroom-button-enrol = ➕ Зачислить ученика

## Movement

movement-card = { $name } ({ $id }), { $class_name }. Что записать?
    Другая дата: /move { $id } &lt;класс&gt; ДД.ММ или /leave { $id } ДД.ММ
movement-button-move = Перевод в другой класс
movement-button-leave = Выбытие из школы
movement-button-class = в { $class_name }
movement-button-confirm = Подтвердить
movement-button-cancel = Отмена
movement-pick-class = В какой класс перевести: { $name }?
movement-confirm-move = Записать перевод: { $name } ({ $id }) из { $from_class } в { $to_class } с { $date }?
movement-confirm-leave = Записать выбытие: { $name } ({ $id }) из { $from_class } с { $date }?
movement-cancelled = Отменено, ничего не записано.
movement-enrol-help =
    Зачислить в { $class_name }: /enrol { $class_name } &lt;id&gt; &lt;ФИО&gt; [дата]
    например /enrol { $class_name } s99 Петров Пётр Петрович { $from }
    Вернуть выбывшего: /enrol { $class_name } &lt;id&gt; [дата]

movement-enrolled = Записано зачисление в { $class_name } с { $date }: { $name } ({ $id }), { movement-number }.
movement-returned = Записано возвращение в { $class_name } с { $date }: { $name } ({ $id }), { movement-number }.
movement-moved = Записан перевод из { $from_class } в { $to_class } с { $date }: { $name } ({ $id }), { movement-number }.
movement-left = Записано выбытие из { $from_class } с { $date }: { $name } ({ $id }).

movement-usage-enrol = Как зачислить: /enrol &lt;класс&gt; &lt;id&gt; &lt;ФИО&gt; [дата], например /enrol 5А s99 Петров Пётр Петрович { $from }
movement-usage-move = Как перевести: /move &lt;id&gt; &lt;класс&gt; [дата], например /move s3 5Б { $from }
movement-usage-leave = Как записать выбытие: /leave &lt;id&gt; [дата], например /leave s3 { $from }
movement-unknown-student = Ученика с id { $id } в журнале нет.
movement-name-needed = Новому ученику нужны фамилия и имя: /enrol 5А s99 Петров Пётр Петрович
movement-name-too-long = Слишком длинное имя: не больше { $limit } { $limit ->
    [one] знака
   *[other] знаков
 }.
movement-id-too-long = Слишком длинный id: не больше { $limit } { $limit ->
    [one] знака
   *[other] знаков
 }.
movement-already-studying = Ученик { $id } уже учится в { $cls }. Перевести в другой класс — /move.
movement-id-taken = Id { $id } уже у другого ученика. Проверьте id; чтобы вернуть выбывшего, напишите его без ФИО: /enrol &lt;класс&gt; { $id }
movement-same-class = { $name } уже учится в { $cls }.
movement-not-studying = Ученик { $id } сейчас не числится ни в одном классе. Вернуть его — /enrol.
movement-future-date = Дата { $date } ещё не наступила: движение записывают в тот день, когда оно произошло, или позже.
movement-before-history = Уже записано движение от { $date }: новая дата не может быть раньше.
movement-entries-after = У { $name_gent } есть отметки или пропуски в { $cls } начиная с { $date }. Укажите дату после последней записи или сначала исправьте эти записи.

## Fixed class numbers and confirmed movement (issue 9, items 2 and 10)

movement-name-invalid = В ФИО «{ $name }» могут быть только буквы, пробелы, дефис и апостроф — без цифр, знаков и разметки. Напишите ФИО как в документах, например: /enrol 5А s99 Петров Пётр Петрович
movement-confirm-enrol = Записать зачисление: { $name } ({ $id }) в { $class_name } с { $date }? Ученик получит следующий свободный номер в конце списка.
movement-confirm-return = Записать возвращение: { $name } ({ $id }) в { $class_name } с { $date }?
movement-confirm-correction = Это исправление ошибки в данных, а не перевод: { $name } ({ $id }) из { $from_class } в { $to_class } с { $date } (разница больше одного года обучения). Записать как исправление?
movement-button-confirm-correction = Подтвердить исправление данных
movement-managers-only = Зачисление, перевод и выбытие записывают классный руководитель (в своём классе) и администратор.
movement-confirm-expired = Подтверждать нечего: команда устарела. Наберите её ещё раз.
movement-grade-jump = Перевод из { $from_class } в { $to_class } — больше чем на год обучения, так не переводят. Если класс в данных указан неверно, это исправит администратор: /move, «Подтвердить исправление данных».
movement-grade-jump-admin = Перевод из { $from_class } в { $to_class } — больше чем на год обучения: записать его можно только как исправление данных, кнопкой «Подтвердить исправление данных».
movement-number = № { $number } в списке

homeroom-list-left = { $number }. { $name } ({ $id }) — { $gender ->
    [female] выбыла
    [male] выбыл
   *[other] выбытие
 } { $date }

entry-student-left = № { $number } в списке { $class_name } — { $name }: { $gender ->
    [female] выбыла
    [male] выбыл
   *[other] выбытие
 } { $left }, после этой даты записи для { $gender ->
    [female] неё
    [male] него
   *[other] ученика
 } не принимаются. Проверьте номер: номера в списке не сдвигаются.

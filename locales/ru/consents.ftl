## Согласия на обработку персональных данных (положение, п. 3.2)

consent-own = собственное согласие ученика
consent-own-mark = {" "}(свои данные)
consent-document = , документ № { $document }
consent-state-none = нет записи
consent-state = { $given ->
    [yes] дано
   *[no] отозвано
  } { $date }{ $document }

consent-class-title = <b>{ $class_name }: согласия на обработку ПДн</b> (на { $date })
consent-class-summary = Полный комплект согласий: { $complete } из { $total } { $total ->
    [one] ученика
   *[other] учеников
  }.
consent-class-missing-title = <b>Не хватает</b>
consent-class-pupil = { $number }. { $name } — { $missing }
consent-missing-signer = { $who }: { $state }
consent-missing-no-parent = не указан родитель, подписать некому
consent-class-hint = Карточка ученика — кнопкой ниже или /consent &lt;id ученика&gt;. Записать подписанное: /consent &lt;id ученика&gt; &lt;id родителя | сам&gt; дано|отозвано [дата] [№ документа].

consent-card-title = <b>Согласия на обработку ПДн: { $name }</b> ({ $id }, { $class_name })
consent-card-parent = { $name } ({ $id })
consent-card-line = • { $who } — { $state }
consent-card-earlier = { "  " }ранее: { $states }
consent-card-no-parent = Родитель ученика в журнале не указан: добавьте его в файл импорта (лист parents), тогда будет кому подписать согласие.
consent-card-hint = Записать с датой и номером документа: /consent { $id } &lt;id родителя | сам&gt; дано|отозвано [дата] [№ документа]. Кнопки записывают сегодняшний день без номера.

consent-button-pupil = №{ $number } { $name }
consent-button = { $given ->
    [yes] ✅ { $who }: дано сегодня
   *[no] ↩️ { $who }: отозвано сегодня
  }
consent-button-confirm = Записать
consent-button-cancel = Отмена
consent-confirm = Записать в журнал?
    Чьи данные: { $pupil }
    Кто подписал: { $signer }
    { $given ->
        [yes] Согласие дано
       *[no] Согласие отозвано
    } { $date }.
consent-cancelled = Отменено, ничего не записано.

consent-recorded = Записано: { $own ->
    [yes] { $pupil } — собственное согласие на обработку ПДн
   *[no] { $signer } — согласие на обработку ПДн ({ $pupil })
  } { $given ->
    [yes] дано
   *[no] отозвано
  } { $date }{ $document }.
consent-unchanged = Это уже записано: { $own ->
    [yes] { $pupil } — собственное согласие
   *[no] { $signer } — согласие ({ $pupil })
  } { $given ->
    [yes] дано
   *[no] отозвано
  } { $date }{ $document }. Ничего не изменилось.

consent-totals-title = <b>Согласия на обработку ПДн по школе</b> (на { $date })
consent-totals-line = { $class_name }: полный комплект — { $complete } из { $total }; не хватает согласий: { $missing }{ $withdrawn ->
    [0] {""}
   *[other] , из них отозвано: { $withdrawn }
  }{ $no_parent ->
    [0] {""}
   *[other] ; без родителя в журнале: { $no_parent }
  }
consent-totals-school = <b>Всего по школе</b>: полный комплект — { $complete } из { $total } ({ $percent } %); не хватает согласий: { $missing }.
consent-totals-hint = Кого не хватает в классе — /class consents &lt;класс&gt;.

consent-usage = Как записать согласие: /consent &lt;id ученика&gt; &lt;id родителя | сам&gt; дано|отозвано [дата] [№ документа], например /consent s3 p4 дано 01.09 15-ПД. Карточка ученика: /consent s3.
consent-usage-class = Согласия класса: /class consents или /class consents 5А.
consent-class-teacher-only = Согласия на обработку ПДн записывает классный руководитель класса ученика (положение, п. 3.2). Посмотреть их можно: /class consents &lt;класс&gt;, по школе — /consents.
consent-unknown-parent = Родителя с id { $id } в журнале нет. Родители ученика и их id — в /consent { $pupil }.
consent-not-their-parent = В журнале { $parent } не значится среди родителей ученика { $id } ({ $pupil }). Родители ученика и их id — в /consent { $id }.
consent-not-in-a-class = { $name } сейчас не числится ни в одном классе: согласия ведёт классный руководитель класса, где учится ученик.
consent-signer-gone = Этого человека больше нет среди родителей ученика. Откройте карточку заново: /consent &lt;id ученика&gt;.
consent-document-too-long = Номер документа слишком длинный: не больше { $limit } { $limit ->
    [one] знака
   *[other] знаков
 }.
consent-refused-future = Дата { $date } ещё не наступила: согласие записывают в день подписания или позже. Укажите дату с документа.
consent-refused-age-unknown = В журнале нет даты рождения ученика { $id }: собственное согласие записывают только с 14 лет, и возраст надо проверить. Добавьте дату рождения в файл импорта (лист students, столбец birth_date) или запишите согласие родителя.
consent-refused-too-young = На { $date } ученику { $id } ещё нет 14 лет: за него согласие подписывает родитель. Запишите согласие родителя: /consent { $id } &lt;id родителя&gt; дано.
consent-refused-before-latest = Для этого человека и ученика { $id } уже есть запись от { $latest }: записи идут по порядку дат, новая не может быть раньше. Укажите дату { $latest } или позже.
consent-refused-nothing-to-withdraw = Отзывать нечего: согласие этого человека для ученика { $id } не записано или уже отозвано. Если согласие было дано, сначала запишите его: … дано &lt;дата&gt;.

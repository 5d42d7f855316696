## /report: documents as XLSX or PDF (services.reports).

report-none = Отчётов для вас нет: они есть у учителей, классных руководителей, администрации, родителей и учеников.
report-choose-kind = Какой отчёт нужен?
report-choose-year = { $kind }: за какой учебный год?
report-this-year = { $year } (текущий)
report-choose-target = { $kind }: для кого?
report-choose-period = { $kind }: за какой период?
report-choose-format = { $kind }: в каком виде? XLSX открывается в Excel, PDF — для печати.
report-nothing-to-choose = { $kind }: выбрать не из чего — у вас нет подходящих классов или учеников.
report-year = Год
report-kind-results = Итоги успеваемости
report-kind-subject = Отчёт учителя-предметника
report-kind-summary = Сводная ведомость
report-kind-card = Табель
report-kind-attendance = Посещаемость
report-kind-keeping = Ведение журнала
report-kind-movement = Движение учащихся
report-kind-risk = Группа риска
report-not-yours = Этот отчёт вам недоступен.
report-not-your-class = Этот отчёт доступен классному руководителю своего класса и администрации.
report-not-your-subject = Отчёт учителя доступен по своим предметам и классам.
report-not-your-pupil = Табель доступен родителям ученика, самому ученику, его классному руководителю и администрации.
report-unknown-kind = Отчёта «{ $kind }» нет. Есть: { $known }.
report-unknown-period = Периода «{ $name }» нет: укажите номер четверти (1, 2 четверть) или «год».
report-sent = { $kind }: готово, файл ниже.
report-needs-options = Для отчёта «{ $kind }» укажите: { $options }.

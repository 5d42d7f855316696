## The year-end archive: /archive (administrator), the director's confirmation.

archive-usage = Напишите /archive — архив последнего завершённого учебного года, или /archive 2026 — года, который начался в 2026-м (2026/2027).
archive-writing = Записываю архив журнала. Для большой школы это займёт около минуты…
archive-written =
    Архив журнала за { $year } учебный год записан в папку { $folder }
    Файлов: { $files }. Контрольная сумма MANIFEST.sha256:
    <code>{ $hash }</code>
archive-asked =
    { $directors ->
        [0] Директора в боте нет, подтвердить архив некому. Пригласите директора и отправьте /archive ещё раз.
       *[other] Директору отправлена кнопка «Подтвердить архив».
    }
archive-unknown-year = В журнале нет { $year } учебного года. Есть: { $known }.
archive-no-year = В журнале нет учебного года, который закончился или идёт. Есть: { $known }.

## The notice to the director and the confirmation

archive-ready-notice =
    🗄 Архив журнала за { $year } учебный год готов. Файлов: { $files }, контрольная сумма MANIFEST.sha256:
    <code>{ $hash }</code>
    Проверьте архив и подтвердите его кнопкой: подтверждение будет напечатано на титульном листе.
archive-button-confirm = Подтвердить архив
archive-confirmed =
    Архив за { $year } учебный год подтверждён: { $director }, { $when }.
    Контрольная сумма: <code>{ $hash }</code>
archive-confirmed-short = Архив подтверждён.
archive-title-rewritten = Титульный лист с подтверждением: { $path }
archive-title-elsewhere = В папке архивов на сервере этого архива нет: подтверждение появится на титульном листе, когда архив запишут снова.
archive-already-confirmed = Этот архив уже подтверждён: { $director }, { $when }.
archive-director-only = Подтвердить архив может только директор.
archive-not-found = Такого архива нет.

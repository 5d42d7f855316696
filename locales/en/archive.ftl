## The year-end archive: /archive (administrator), the director's confirmation.

archive-usage = Send /archive for the archive of the last finished school year, or /archive 2026 for the year that began in 2026 (2026/2027).
archive-writing = Writing the journal's archive. For a large school this takes about a minute…
archive-written =
    The journal's archive of the { $year } school year is written to { $folder }
    Files: { $files }. MANIFEST.sha256 checksum:
    <code>{ $hash }</code>
archive-asked =
    { $directors ->
        [0] No director uses the bot, so nobody can confirm the archive. Invite the director and send /archive again.
       *[other] The director has been sent the «Confirm the archive» button.
    }
archive-unknown-year = The journal has no { $year } school year. It has: { $known }.
archive-no-year = The journal has no school year that has ended or is under way. It has: { $known }.

## The notice to the director and the confirmation

archive-ready-notice =
    🗄 The journal's archive of the { $year } school year is ready. Files: { $files }, MANIFEST.sha256 checksum:
    <code>{ $hash }</code>
    Check the archive and confirm it with the button: the confirmation is printed on the title page.
archive-button-confirm = Confirm the archive
archive-confirmed =
    The archive of the { $year } school year is confirmed: { $director }, { $when }.
    Checksum: <code>{ $hash }</code>
archive-confirmed-short = Archive confirmed.
archive-title-rewritten = The title page with the confirmation: { $path }
archive-title-elsewhere = This archive is not in the server's archive folder: the confirmation will appear on the title page when the archive is written again.
archive-already-confirmed = This archive is already confirmed: { $director }, { $when }.
archive-director-only = Only the director can confirm the archive.
archive-not-found = There is no such archive.

## Invitations (issue 9, item 7): a new link for someone signed in, a second person on one account.

invite-confirm-signed-in =
    { $name } is already signed in to the journal as { $role ->
        [parent] a parent.
        [student] a student.
       *[other] a staff member.
    } A new link is needed when the phone or the Telegram account has changed. It cancels the links issued earlier and not used, and once it is opened, the old sign-in ends.
    Issue a new link?
invite-again-typed = Press the button or type: /invite { $role } { $id } again
invite-button-again = Issue a new link
invite-withdrawn = { $count ->
    [1] The link issued earlier and not used no longer works.
   *[other] The { $count } links issued earlier and not used no longer work.
 }
invite-error-namesake-not-admin = The journal already has a staff member { $name } (id { $id }) who is not an administrator. Make them one in the import file (role admin), then run: invite admin { $id }. If this is another person, give a full name that tells them apart.

start-confirm-another-person =
    This Telegram account is already signed in to the journal as { $current }.
    The link was issued to another person: { $name }.
    Add them to this account only if that is you too (say, you are the parent of children in two classes). If the link is not yours, press nothing and tell the class teacher.
start-button-add-person = Yes, that is me: { $name }
start-error-staff-on-family-account = A staff link cannot be opened in a Telegram account that is signed in as a parent or a student: the link stays unused. Open it in your work account, or ask the administrator to end this account's sign-in (/revoke).
start-error-student-account-is-personal = A student's account is the student's alone and cannot be shared with another person. The link stays unused; open it in another Telegram account.
start-ended-elsewhere = This person's earlier sign-in from another Telegram account has ended.

## /invite class pdf: the class's invitations as slips to print (issue 12, item 5; regulation 2.2)

invite-class-pdf-caption = Invitations, { $class_name }: { $count ->
    [one] { $count } slip
   *[other] { $count } slips
 } for the class meeting. Print, cut along the dashed lines and hand each person their own slip. The links are valid until { DATETIME($until, dateStyle: "long") }; each opens once.

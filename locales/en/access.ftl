## Access: roles, refusals, sign-in by invitation, who has signed in, revoking.

role-name = { $role ->
    [admin] administrator
    [deputy] deputy head
    [director] head teacher
    [teacher] teacher
    [class_teacher] class teacher
    [parent] parent
    [student] student
   *[other] { $role }
 }

## Refusals of the access checks (services/access.py)

error-admin-only = Only the journal administrator can do this.
error-school-readers-only = This is for the deputy head, the head teacher and the administrator.
error-not-your-class = This is not your class.
error-not-your-lesson = You do not teach this subject in this class.
error-not-your-group = This is group { $group }'s lesson, and you teach another group of this class.
error-not-your-child = This is not your child.
error-not-you = A student sees only their own record.
error-student-not-found = There is no such student.
error-class-not-found = There is no class { $name }.
error-no-such-year = The journal has no school year { $year }.
error-class-required = Name the class, for example: 5А.

## Sign-in: /start

start-welcome =
    Hello! This is the school's electronic journal.
    It is open by personal invitation only. Class teachers give the links to parents and students, the journal administrator to staff. Open yours and the journal will know you.
start-signed-in = Hello, { $name }! You are signed in to the journal: { $role }.
start-student-notices = Shall I send you notices of new marks and absences? They are off now. You can change this at any time: /settings.
start-student-notices-yes = Yes, send them
start-student-notices-no = No, thanks
start-already-signed-in = { $name }, you have already signed in with this link.
start-greeting = Hello, { $name }!
start-error-unknown-code = There is no such invitation. Check that the whole link was opened, or ask for a new one.
start-error-used-code = This invitation has already been used. If it was not you, tell your class teacher or the administrator and ask for a new link.
start-error-expired-code = This invitation has expired. Please ask for a new link.
start-error-revoked-code = This invitation has been withdrawn. Please ask for a new link.
start-error-other-person = This Telegram account is already linked to another person with the same role. Open the link from your own account.
start-error-locked = Too many wrong invitations. Try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
 }.

## /whoami

whoami-header = You are signed in to the journal as:
whoami-staff = • { $name } — { $roles }
whoami-homeroom = class teacher of { $classes }
whoami-parent = • { $name } — parent of: { $children }
whoami-child = { $name } ({ $class_name })
whoami-student = • { $name } — student, class { $class_name }
whoami-no-class = no class

## /language

language-choose = Choose your language:
language-set = Done: I speak English now.
language-unknown = I don't know the language «{ $text }». Choose one: /language en or /language ru, or with a button:

## /invite

invite-usage =
    How to invite:
    /invite parent &lt;id&gt; or /invite student &lt;id&gt; — a parent or a student
    /invite class [class] — every student and parent of the class
    /invite teacher|deputy|director|admin &lt;id&gt; — a staff member (administrator)
    The id is the one from the import file, such as p3 or s12. For someone already signed in, a new link after a confirmation (or /invite parent p3 again).
invite-error-id-required = Give the person's id from the import file: /invite { $role } ID. A new administrator without an id can only be created from the command line.
invite-error-no-person = There is no { $kind ->
    [staff] staff member
    [parent] parent
   *[student] student
 } with id { $id } in the journal.
invite-error-inactive = { $name } no longer works at the school.
invite-error-lacks-role = { $name } does not hold the role “{ $role }” in the journal.
invite-error-student-left = { $name } no longer studies at the school.
invite-error-no-invitation = There is no such invitation.
invite-link =
    Invitation: { $name } ({ $role })
    { $link }
    Hand the link over in person. It is valid until { DATETIME($until, dateStyle: "long") } and opens once.
invite-class-header = Invitations, { $class_name } — hand each person their own link:
invite-class-line = { $name } ({ $role }): { $link }
invite-class-footer = The links are valid until { DATETIME($until, dateStyle: "long") }; each opens once.
invite-class-skipped = Already signed in, no link needed: { $count }.
invite-class-none = Every student and parent of { $class_name } has already signed in.

## /access

access-header = { $class_name }: who has signed in
access-staff-header = Staff: who has signed in
access-person = { $signed ->
    [yes] ✅
   *[no] ❌
 } { $name } ({ $id })
access-parents = { "    " }parents: { $parents }
access-no-parents = { "    " }no parents on record
access-summary = Signed in — students: { $students } of { $students_total }, parents: { $parents } of { $parents_total }.
access-staff-summary = Staff signed in: { $signed } of { $total }.
access-empty = There are no students in { $class_name }.

## /revoke

revoke-usage =
    To close access: /revoke &lt;role&gt; &lt;id&gt;, for example /revoke parent p3.
    Roles: parent, student; the administrator also teacher, deputy, director, admin.
revoke-done = Access closed: { $name }. Sign-ins switched off: { $bindings }, unused invitations withdrawn: { $invitations }.
revoke-nothing = { $name } had neither a sign-in nor a live invitation; nothing to close.
revoke-error-self = You cannot close your own access.
error-past-year = { $class_name } is a class of a past school year ({ $year }): its journal is closed and read-only; only the journal's administrator can correct it, giving a reason.

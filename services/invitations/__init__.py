"""Sign-in by personal invitation (regulation 2.2, 2.3, 3.1, 3.2), who has signed in, revoking access.

An invitation is a random code shown once, as a `t.me/<bot>?start=<code>` link; only its SHA-256 is
stored. Opening the link binds the Telegram account to the person. Codes are single-use, expire, can
be revoked, and an account that keeps trying wrong codes is refused for an hour.

A person has one live link at a time: a new one withdraws the older unused ones. A link for someone
already signed in is issued only when the issuer confirms it (a lost phone, a new account), and once
it is opened the person's sign-in from any other account ends. Who may add a second person to one
account is services.shared_accounts' business.

issuing: the codes and links · sign_in: opening a link, and the lock-out · accounts: the Telegram
account and whom it speaks for (/whoami) · revoking: withdrawing a link, closing a person's access ·
access_lists: who of a class, or of the staff, has signed in.
"""

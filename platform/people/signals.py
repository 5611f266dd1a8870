"""Signals about accounts, for code that must react to them (e.g. closing the person's
open websockets). See docs/accounts.md, "Signals".

- `password_changed(sender, user_id, how)`: after the commit of a password change
  (`how` = "changed"), a first password set ("set") or a reset by email link ("reset").
  Other sessions of the person are already logged out by Django (the session hash changed).
- `account_deleted(sender, user_id)`: after the commit of an account deletion.
- Logging out is Django's own `django.contrib.auth.signals.user_logged_out`."""

from django.dispatch import Signal

password_changed = Signal()
account_deleted = Signal()

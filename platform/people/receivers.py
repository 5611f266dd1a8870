"""Turns allauth's three password signals into one `people.signals.password_changed`,
sent after the commit (see people.signals); keeps the login name equal to the address."""

from allauth.account import signals as allauth_signals
from django.contrib.auth import get_user_model
from django.db import transaction

from . import signals


def _relay(how: str):
    def receiver(sender, request=None, user=None, **kwargs):
        if user is not None:
            user_id = user.pk
            transaction.on_commit(lambda: signals.password_changed.send(sender=type(user), user_id=user_id, how=how))

    return receiver


def follow_email_change(sender, request=None, user=None, from_email_address=None, to_email_address=None,
                        **kwargs) -> None:
    """Accounts' login names are their addresses: a changed address renames the account,
    so the old address is kept nowhere."""
    new = to_email_address.email if to_email_address is not None else ""
    if user is None or not new or len(new) > 150:
        return
    if not get_user_model().objects.filter(username__iexact=new).exclude(pk=user.pk).exists():
        user.username = new
        user.save(update_fields=["username"])


def connect() -> None:
    allauth_signals.email_changed.connect(follow_email_change, dispatch_uid="people.follow_email_change")
    for how, signal in (("changed", allauth_signals.password_changed), ("set", allauth_signals.password_set),
                        ("reset", allauth_signals.password_reset)):
        signal.connect(_relay(how), weak=False, dispatch_uid=f"people.password_{how}")

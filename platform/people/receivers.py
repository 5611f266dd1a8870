"""Turns allauth's three password signals into one `people.signals.password_changed`,
sent after the commit (see people.signals)."""

from allauth.account import signals as allauth_signals
from django.db import transaction

from . import signals


def _relay(how: str):
    def receiver(sender, request=None, user=None, **kwargs):
        if user is not None:
            user_id = user.pk
            transaction.on_commit(lambda: signals.password_changed.send(sender=type(user), user_id=user_id, how=how))

    return receiver


def connect() -> None:
    for how, signal in (("changed", allauth_signals.password_changed), ("set", allauth_signals.password_set),
                        ("reset", allauth_signals.password_reset)):
        signal.connect(_relay(how), weak=False, dispatch_uid=f"people.password_{how}")

"""A person's registrations, side-event places and agenda (sections of people.personal_data).

On deletion, registrations and places for what has not taken place yet are cancelled
through the services (the waiting list moves up, reminders go); past ones stay, tied to
the emptied account, so attendance figures by mode stay right. The agenda is deleted."""

from django.utils import timezone

from people import personal_data
from people.personal_data import moment

from . import services
from .models import Bookmark, Enrolment, Registration


def export(user) -> dict:
    return {
        "registrations": [
            {"edition": r.edition.title, "mode": r.mode, "status": r.status, "registered_at": moment(r.created_at),
             "changed_at": moment(r.updated_at)}
            for r in Registration.objects.filter(user=user).select_related("edition").order_by("created_at")],
        "side_event_places": [
            {"session": e.session.title, "edition": e.session.edition.title, "mode": e.mode, "status": e.status,
             "requested_at": moment(e.requested_at)}
            for e in Enrolment.objects.filter(user=user).select_related("session__edition")],
        "agenda": [
            {"session": b.session.title, "edition": b.session.edition.title, "starts_at": moment(b.session.starts_at),
             "added_at": moment(b.created_at)}
            for b in Bookmark.objects.filter(user=user).select_related("session__edition")
            .order_by("session__starts_at")],
    }


def erase(user) -> None:
    today = timezone.localdate()
    for registration in Registration.objects.filter(user=user, status=Registration.Status.CONFIRMED,
                                                    edition__end_date__gte=today).select_related("edition"):
        services.cancel_registration(user, registration.edition)  # also gives up its side-event places
    for enrolment in Enrolment.objects.filter(user=user, session__ends_at__gt=timezone.now()).exclude(
            status=Enrolment.Status.CANCELLED).select_related("session"):
        services.leave(user, enrolment.session)
    Bookmark.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register("attendance", models=[Registration, Enrolment, Bookmark], export=export, erase=erase,
                           order=50)

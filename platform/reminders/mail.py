"""Emails: reminders and session notices (plain text and HTML, in the recipient's time
zone, with the session's .ics), organiser announcements, the signed unsubscribe link,
and telling permanent SMTP failures (give up, record) from transient ones (retry)."""

import datetime as dt
import smtplib
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, translation

from attendance.models import AttendanceMode
from conference.text import scrub
from programme.ics import session_calendar, session_url
from programme.models import Session

from .models import Reminder
from .rules import describe_offset

UNSUBSCRIBE_SALT = "reminders.unsubscribe"


class PermanentFailure(Exception):
    """The server refused for good (e.g. 550 unknown recipient): record it, never retry."""


class TransientFailure(Exception):
    """Worth retrying later: connection refused or dropped, timeout, 4xx replies."""


def classify(exc: Exception) -> PermanentFailure | TransientFailure:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        text = "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in exc.recipients.items())
        if replies and all(500 <= code < 600 for code, _ in replies):
            return PermanentFailure(text)
        return TransientFailure(text)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        # Our credentials, not the message: operators fix them, the retries then go through.
        return TransientFailure(f"{exc.smtp_code} {_text(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        text = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        return PermanentFailure(text) if 500 <= exc.smtp_code < 600 else TransientFailure(text)
    return TransientFailure(scrub(f"{type(exc).__name__}: {exc}"))


def _text(message: bytes | str) -> str:
    """A server's reply as text that can be stored (it becomes the row's last_error)."""
    return scrub(message.decode(errors="replace") if isinstance(message, bytes) else str(message))


def send(message: EmailMultiAlternatives, *, keep_open: bool = False) -> None:
    """Send one message, raising PermanentFailure or TransientFailure. With `keep_open`
    the message's SMTP connection stays open for the next message (batches)."""
    try:
        backend = message.connection
        if keep_open and backend is not None and getattr(backend, "connection", True) is None:
            backend.open()  # opened here, Django's send_messages leaves it open afterwards
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        raise classify(exc) from exc


def connection():
    # Django's SMTP backend waits forever by default; a hung server must not hold a worker.
    return get_connection(timeout=settings.REMINDERS_SMTP_TIMEOUT)


# --- links --------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_from_token(token: str) -> int:
    """Raises signing.BadSignature for a tampered or truncated link."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("Unexpected payload")
    return data["u"]


def unsubscribe_url(user) -> str:
    return absolute(reverse("reminders-unsubscribe", args=[unsubscribe_token(user)]))


def message_id(key: str) -> str:
    """Stable per delivery: a resend after a crash carries the same Message-ID, so mail
    systems and people can tell it is the same message."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{key}@{domain}>"


# --- times --------------------------------------------------------------------------------


def recipient_zone(user, session: Session) -> zoneinfo.ZoneInfo:
    """The profile's zone; without one, the venue's (the browser's zone is unknown here)."""
    profile = getattr(user, "profile", None)
    name = profile.time_zone if profile is not None and profile.time_zone else session.edition.time_zone
    return zoneinfo.ZoneInfo(name)


def local(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """'Sunday 27 October 2030, 10:00 CET' — the offset of that moment, not of today."""
    there = moment.astimezone(zone)
    return f"{dateformat.format(there, 'l j F Y, H:i')} {there.tzname()}"


def local_time(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    there = moment.astimezone(zone)
    return f"{there:%H:%M} {there.tzname()}"


# --- messages -----------------------------------------------------------------------------


@dataclass
class Content:
    subject: str
    text: str
    html: str


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.name if profile is not None and profile.name else user.email


def headline(kind: str, session: Session, minutes: int | None, zone: zoneinfo.ZoneInfo) -> str:
    when = local(session.starts_at, zone)
    if kind == Reminder.Kind.TIME_CHANGED:
        return f"Time changed: “{session.title}” now starts {when}"
    if kind == Reminder.Kind.CANCELLED:
        return f"Cancelled: “{session.title}” ({when})"
    return f"“{session.title}” starts in {describe_offset(minutes or 0)}, {when}"


def reminder_content(reminder: Reminder) -> Content:
    user, session = reminder.user, reminder.session
    zone = recipient_zone(user, session)
    venue_zone = session.edition.tz
    online = _attends_online(reminder)
    subject = headline(reminder.kind, session, reminder.minutes_before, zone)
    context = {
        "kind": reminder.kind,
        "name": _name(user),
        "session": session,
        "headline": subject,
        "starts": local(session.starts_at, zone),
        "ends": local_time(session.ends_at, zone),
        "zone": zone.key,
        "venue_time": local(session.starts_at, venue_zone) if zone.key != venue_zone.key else "",
        "venue_zone": venue_zone.key,
        "previous": local(reminder.previous_starts_at, zone) if reminder.previous_starts_at else "",
        "online": online,
        "join_url": session_url(session),
        "place": ", ".join(p for p in [session.location, session.edition.venue_name, session.edition.city] if p),
        "session_url": session_url(session),
        "preferences_url": absolute(reverse("reminders-preferences")),
        "unsubscribe_url": unsubscribe_url(user),
    }
    with translation.override(settings.LANGUAGE_CODE):  # only English exists so far (docs/reminders.md)
        return Content(
            subject=subject,
            text=render_to_string("reminders/email/session.txt", context),
            html=render_to_string("reminders/email/session.html", context),
        )


def _attends_online(reminder: Reminder) -> bool:
    from .schedule import attendance_mode

    return reminder.session.has_online_part and (
        attendance_mode(reminder.user, reminder.session) == AttendanceMode.ONLINE
    )


def reminder_email(reminder: Reminder) -> EmailMultiAlternatives:
    content = reminder_content(reminder)
    unsubscribe = unsubscribe_url(reminder.user)
    message = EmailMultiAlternatives(
        subject=content.subject, body=content.text, to=[reminder.user.email], connection=connection(),
        headers={
            "Message-ID": message_id(reminder.idempotency_key),
            "Auto-Submitted": "auto-generated",
            # RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(content.html, "text/html")
    ics = session_calendar(reminder.session, online=_attends_online(reminder))
    message.attach(f"{reminder.session.slug}.ics", ics.decode(), "text/calendar")
    return message


def announcement_email(announcement, user, conn) -> EmailMultiAlternatives:
    edition = announcement.edition
    context = {"name": _name(user), "announcement": announcement, "edition": edition,
               "edition_url": absolute(reverse("edition", args=[edition.slug]))}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("reminders/email/announcement.txt", context)
        html = render_to_string("reminders/email/announcement.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{edition.title}] {announcement.subject}", body=text, to=[user.email], connection=conn,
        headers={"Message-ID": message_id(f"announcement-{announcement.pk}-{user.pk}"),
                 "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message

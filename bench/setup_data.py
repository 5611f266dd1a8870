"""Create the benchmark's data in a fresh database: an edition with one open live room,
N attendees with logged-in sessions, publisher accounts (moderators) and one approved
question to vote on. Prints the session cookies as JSON for the load generator.

    python bench/setup_data.py --clients 5000 --publishers 12 > cookies.json
"""

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--publishers", type=int, default=12)
    options = parser.parse_args()

    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as DjangoSession
    from django.utils import timezone

    from attendance.models import Registration
    from chat.models import Question, RoomSettings
    from people.models import Profile
    from programme.models import Edition, Series, Session
    from rooms.models import Room

    today = timezone.now().date()
    series = Series.objects.create(name="Bench", slug="bench")
    edition = Edition.objects.create(
        series=series, number=1, year=today.year, slug="bench", title="Benchmark edition", format="hybrid",
        time_zone="UTC", start_date=today - dt.timedelta(days=1), end_date=today + dt.timedelta(days=1),
        status="open",
    )
    now = timezone.now()
    session = Session.objects.create(
        edition=edition, slug="keynote", title="Keynote", starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=5), access="registered",
    )
    room = Room.objects.create(edition=edition, session=session, name="Keynote", slug="keynote", state="open")
    RoomSettings.objects.create(room=room, qa_premoderation=False)

    total = options.clients + options.publishers
    # "!" is Django's unusable password: these accounts log in only through the sessions made below.
    User.objects.bulk_create([User(username=f"bench{i}@example.org", email=f"bench{i}@example.org",
                                   password="!") for i in range(total)])  # noqa: S106
    users = list(User.objects.filter(username__startswith="bench").order_by("id"))
    Profile.objects.bulk_create([Profile(user=u, name=f"Bench {i}", feed_token=f"bench-{i}")
                                 for i, u in enumerate(users)])
    # Writing and voting in rooms needs a confirmed address.
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, primary=True, verified=True)
                                      for u in users])
    Registration.objects.bulk_create(
        [Registration(user=u, edition=edition, mode="in_person" if i % 5 == 0 else "online")
         for i, u in enumerate(users)]
    )
    publishers = users[options.clients:]
    session.moderators.add(*publishers)
    Question.objects.create(room=room, author=users[0], text="A question to vote on", status="visible")

    store = SessionStore()
    expiry = now + dt.timedelta(days=1)
    rows, cookies = [], []
    for user in users:
        key = store._get_new_session_key()
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()}
        rows.append(DjangoSession(session_key=key, session_data=store.encode(data), expire_date=expiry))
        cookies.append(key)
    DjangoSession.objects.bulk_create(rows, batch_size=2000)
    question = Question.objects.get(room=room)
    json.dump({"room": room.pk, "question": question.pk, "clients": cookies[: options.clients],
               "publishers": cookies[options.clients:]}, sys.stdout)


if __name__ == "__main__":
    main()

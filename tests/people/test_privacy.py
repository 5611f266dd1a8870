"""Personal data export (GDPR art. 15) and account deletion (art. 17): everything a person
left in every app is in the export; deletion erases it and keeps what organisers count."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.core.management import call_command
from django.db import models

from attendance.models import Enrolment, Registration
from chat.models import Message, Poll, PollOption, PollVote, Question, QuestionVote
from matchmaking import services as matchmaking
from matchmaking.models import MeetingRequest
from people import personal_data, services, signals
from people.models import Consent
from people.privacy import current_policy
from programme.models import Edition, Session
from realtime import broadcast
from reminders.models import Notification
from reminders.services import notify
from rooms.models import Room
from tests.chat.chat_fixtures import forget_rooms
from tests.fixtures.factories import PASSWORD, at, make_edition, make_organiser, make_session, make_user, register
from tests.matchmaking.conftest import join, make_event

pytestmark = pytest.mark.django_db
User = get_user_model()
SECRETS = ["rita@example.org", "Rita Rich", "Rich Clusters", "I grow clusters", "Where are the slides?",
           "See you at the booth", "Sensors for hospitals", "Let us talk sensors", "My tablet"]


class Person:
    """Rita, who did a bit of everything, and the people and things around her."""

    def __init__(self):
        self.past = make_edition(title="ECC 2020", slug="ecc-2020", year=2020, start_date=dt.date(2020, 9, 26),
                                 end_date=dt.date(2020, 9, 27), status=Edition.Status.ARCHIVED)
        self.upcoming = make_edition(title="ECC 2030", slug="ecc-2030")
        self.rita = make_user("Rita Rich", email="rita@example.org", organisation="Rich Clusters",
                              bio="I grow clusters", time_zone="Europe/Rome")
        Consent.objects.create(user=self.rita, policy=current_policy())
        others = [make_user(f"Other {n}") for n in range(3)]
        register(self.rita, self.past, "online")
        for other in others:
            register(other, self.past, "in_person")
        register(self.rita, self.upcoming, "in_person")
        # A full side event: Rita has the place, Wanda waits.
        self.side = make_session(self.upcoming, title="Cluster managers' dinner", kind=Session.Kind.SIDE_EVENT,
                                 capacity=1, attendance_format="in_person", starts_at=at(self.upcoming, 0, 19),
                                 ends_at=at(self.upcoming, 0, 22))
        self.wanda = make_user("Wanda Waiting")
        register(self.wanda, self.upcoming, "in_person")
        from attendance import services as attendance

        attendance.enrol(self.rita, self.side)
        attendance.enrol(self.wanda, self.side)
        attendance.bookmark(self.rita, self.side)
        # The live room of a past session: what she wrote and voted.
        session = make_session(self.past, title="Opening", starts_at=at(self.past, 0, 9), ends_at=at(self.past, 0, 10))
        self.room = Room.objects.get(session=session)
        Message.objects.create(room=self.room, author=self.rita, text="Where are the slides?")
        Message.objects.create(room=self.room, author=others[0], text="Hello all")
        self.question = Question.objects.create(room=self.room, author=self.rita, text="See you at the booth",
                                                status=Question.Status.VISIBLE, votes=1)
        QuestionVote.objects.create(question=self.question, user=others[1])
        theirs = Question.objects.create(room=self.room, author=others[1], text="Funding?", votes=1,
                                         status=Question.Status.VISIBLE)
        QuestionVote.objects.create(question=theirs, user=self.rita)
        poll = Poll.objects.create(room=self.room, question="Best format?", status=Poll.Status.CLOSED)
        option = PollOption.objects.create(poll=poll, text="Hybrid", position=1)
        PollVote.objects.create(poll=poll, option=option, user=self.rita)
        PollVote.objects.create(poll=poll, option=option, user=others[2])
        # B2B matchmaking in the upcoming edition: a profile, an offer and a meeting with Ben.
        self.event = make_event(self.upcoming, make_organiser(self.upcoming))
        matchmaking.join(self.rita, self.event, organisation="Rich Clusters", description="I grow clusters")
        matchmaking.add_listing(self.rita, self.event, direction="offer", category="product",
                                title="Sensors for hospitals")
        self.ben = join(self.event, "Ben Buyer")
        request = matchmaking.request_meeting(self.rita, self.event, self.ben.pk, note="Let us talk sensors")
        self.meeting = matchmaking.accept(self.ben.user, self.event, request.pk)
        notify(self.rita, "reminder", "Your session starts soon")
        services.create_device_token(self.rita, "My tablet")


@pytest.fixture
def rita(settings, redis_url):
    settings.REDIS_URL = redis_url  # services publish to the rooms after commit
    yield Person()
    forget_rooms(broadcast.client())


def test_the_export_holds_what_every_app_keeps_about_the_person(client, rita):
    client.force_login(rita.rita)
    response = client.get("/accounts/data/export.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "rita@example.org"
    assert data["account"]["privacy_consents"][0]["policy_version"] == current_policy().version
    assert data["profile"]["name"] == "Rita Rich" and data["profile"]["bio"] == "I grow clusters"
    attendance = data["attendance"]
    assert {(r["edition"], r["mode"]) for r in attendance["registrations"]} == {
        ("ECC 2020", "online"), ("ECC 2030", "in_person")}
    assert attendance["side_event_places"][0]["session"] == "Cluster managers' dinner"
    assert {a["session"] for a in attendance["agenda"]} == {"B2B matchmaking", "Cluster managers' dinner"}
    rooms = data["live_rooms"]
    assert [m["text"] for m in rooms["messages"]] == ["Where are the slides?"]
    assert [q["text"] for q in rooms["questions"]] == ["See you at the booth"]
    assert len(rooms["question_votes"]) == 1 and rooms["poll_votes"][0]["option"] == "Hybrid"
    [b2b] = data["matchmaking"]
    assert b2b["organisation"] == "Rich Clusters" and b2b["offers_and_requests"][0]["title"] == "Sensors for hospitals"
    assert b2b["meetings"][0]["my_note"] == "Let us talk sensors" and b2b["meetings"][0]["status"] == "scheduled"
    assert "Your session starts soon" in [n["title"] for n in data["reminders"]["notifications"]]
    assert data["device_tokens"][0]["label"] == "My tablet"
    assert "Hello all" not in response.content.decode() and "Funding?" not in response.content.decode()


def counts(rita: Person) -> dict:
    return {
        "past registrations by mode": sorted(Registration.objects.filter(edition=rita.past).values_list("mode",
                                                                                                          flat=True)),
        "messages in the room": Message.objects.filter(room=rita.room).count(),
        "questions in the room": Question.objects.filter(room=rita.room).count(),
        "question votes": QuestionVote.objects.filter(question__room=rita.room).count(),
        "poll votes": PollVote.objects.filter(poll__room=rita.room).count(),
    }


def test_deleting_an_account_erases_the_person_and_keeps_the_counts(client, rita, django_capture_on_commit_callbacks):
    before = counts(rita)
    deleted, logged_out = [], []

    def on_deleted(**kwargs):
        deleted.append(kwargs["user_id"])

    def on_logged_out(**kwargs):
        logged_out.append(kwargs["user"].pk)

    signals.account_deleted.connect(on_deleted)
    user_logged_out.connect(on_logged_out)
    try:
        client.force_login(rita.rita)
        assert "Delete my account" in client.get("/accounts/data/").content.decode()
        wrong = client.post("/accounts/delete/", {"password": "not-my-password"})
        assert wrong.status_code == 403 and "That is not your password" in wrong.content.decode()
        assert User.objects.get(pk=rita.rita.pk).email == "rita@example.org"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    finally:
        signals.account_deleted.disconnect(on_deleted)
        user_logged_out.disconnect(on_logged_out)
    assert "Your account is deleted." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert deleted == [rita.rita.pk] and logged_out == [rita.rita.pk]

    # Nothing that named Rita or that she wrote is left anywhere, except what others received from her.
    others_inboxes = Notification.objects.exclude(user=rita.rita).values_list("pk", flat=True)
    dump = dump_everything(exclude_notifications=set(others_inboxes))
    for secret in SECRETS:
        assert secret not in dump, secret
    account = User.objects.get(pk=rita.rita.pk)
    assert not account.is_active and not account.has_usable_password() and account.email == ""
    assert not client.login(username="rita@example.org", password=PASSWORD)
    # What organisers count stays counted.
    assert counts(rita) == before
    # What had not happened yet is called off for the others: Wanda gets the place, Ben is told.
    assert Registration.objects.get(user=account, edition=rita.upcoming).status == Registration.Status.CANCELLED
    assert Enrolment.objects.get(user=rita.wanda, session=rita.side).status == Enrolment.Status.ENROLLED
    rita.meeting.refresh_from_db()
    assert rita.meeting.status == MeetingRequest.Status.CANCELLED
    assert Notification.objects.filter(user=rita.ben.user, title__contains="the other participant deleted their "
                                                                            "account").exists()
    question = Question.objects.get(pk=rita.question.pk)
    assert question.status == Question.Status.DISMISSED and question.votes == 1


def dump_everything(*, exclude_notifications: set[int]) -> str:
    from io import StringIO

    out = StringIO()
    call_command("dumpdata", stdout=out)
    rows = json.loads(out.getvalue())
    rows = [r for r in rows if not (r["model"] == "reminders.notification" and r["pk"] in exclude_notifications)]
    return json.dumps(rows, ensure_ascii=False)


def test_single_sign_on_accounts_confirm_deletion_with_their_email_address(client):
    user = make_user(email="sso@example.org")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = client.get("/accounts/data/").content.decode()
    assert "Type your email address (sso@example.org), to confirm" in page
    assert client.post("/accounts/delete/", {"password": "someone@example.org"}).status_code == 403
    assert client.post("/accounts/delete/", {"password": "SSO@example.org"}).status_code == 302
    assert not User.objects.get(pk=user.pk).is_active


def test_every_model_that_points_at_a_person_is_covered_by_a_personal_data_section():
    """A new app that stores data about people must say how to export and erase it."""
    user_model = apps.get_model(django_settings.AUTH_USER_MODEL)
    covered = personal_data.covered_models()
    missing = []
    for model in apps.get_models():
        if model is user_model or model._meta.auto_created:
            continue
        for field in model._meta.get_fields():
            if (isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
                    and not field.auto_created and field.related_model is user_model and model not in covered):
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []

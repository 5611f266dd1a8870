"""In-app notifications: the service any app calls, the live push to the user's tabs (after
commit, in the registered event schema), the list page and the unread count in the header."""

import json
import uuid

import pytest
import redis
from django.db import transaction

from conference.errors import InvalidInput
from realtime import events
from reminders.models import Notification
from reminders.services import mark_all_read, notify, unread_count
from tests.fixtures.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


class Pushes:
    """What reaches the users' channels on the real test Redis (every open tab's socket
    listens to its user's channel): (user id, frame) pairs."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.pubsub.psubscribe("{user:*}")
        self.pubsub.get_message(timeout=5)  # the subscription is confirmed

    def drain(self) -> list[tuple[int, dict]]:
        """Everything published so far: a fence published now arrives after all of it."""
        fence = f"fence-{uuid.uuid4()}".encode()
        self.client.publish("{user:0}", fence)
        received = []
        while (message := self.pubsub.get_message(timeout=5)) is not None and message["data"] != fence:
            received.append((int(message["channel"].decode().strip("{}").split(":")[1]), json.loads(message["data"])))
        assert message is not None, "the fence never arrived"
        return received

    def close(self) -> None:
        self.pubsub.close()
        self.client.close()


@pytest.fixture
def pushes(settings, redis_url):
    settings.REDIS_URL = redis_url
    listening = Pushes(redis_url)
    yield listening
    listening.close()


def test_notify_pushes_to_the_users_tabs_only_after_commit(pushes, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):  # stands for the commit
        notification = notify(user, "matchmaking.request", "Meeting request from Ana", "Tomorrow 10:00", "/m/1")
        assert pushes.drain() == []  # not before the row is committed
    [(user_id, frame)] = pushes.drain()
    assert user_id == user.pk
    events.validate(frame)  # the schema registered for the AsyncAPI document
    assert frame["type"] == "notification" and frame["seq"] is None
    assert frame["data"] == {"id": notification.pk, "kind": "matchmaking.request", "title": "Meeting request from Ana",
                             "body": "Tomorrow 10:00", "url": "/m/1", "created": notification.created.isoformat(),
                             "unread": 1}


def test_a_rolled_back_notification_is_neither_stored_nor_pushed(pushes, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(user, "reminder", "Never mind")
        raise RuntimeError("the surrounding change failed")
    assert pushes.drain() == [] and not Notification.objects.exists()


def test_the_same_key_notifies_once(pushes, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user, "announcement", "Venue change", key="announcement-1-1")
        again = notify(user, "announcement", "Venue change", key="announcement-1-1")
    assert first.pk == again.pk and Notification.objects.count() == 1 and len(pushes.drain()) == 1


def test_notify_refuses_what_it_cannot_show(pushes):
    user = make_user()
    with pytest.raises(InvalidInput, match="needs a kind and a title"):
        notify(user, "reminder", "  ")
    with pytest.raises(InvalidInput, match="path or an http"):
        notify(user, "reminder", "Click", url="javascript:alert(1)")
    assert pushes.drain() == []


def test_list_page_unread_count_in_the_header_and_marking_read(client, pushes):
    user, other = make_user(), make_user()
    older = notify(user, "reminder", "Opening plenary starts in 15 minutes", url="/e/x/s/opening/")
    notify(user, "announcement", "Coffee is served in the foyer")
    theirs = notify(other, "reminder", "Not yours")
    client.login(username=user.username, password=PASSWORD)

    home = client.get("/archive/").content.decode()
    assert 'data-unread-count aria-label="2 unread">2</span>' in home
    page = client.get("/notifications/").content.decode()
    assert "2 unread" in page and "Not yours" not in page
    assert page.index("Coffee is served") < page.index("Opening plenary")  # newest first

    opened = client.post(f"/notifications/{older.pk}/open")
    assert opened.status_code == 302 and opened["Location"] == "/e/x/s/opening/"
    assert unread_count(user) == 1
    assert client.post(f"/notifications/{theirs.pk}/open").status_code == 404
    assert unread_count(other) == 1

    client.post("/notifications/read-all")
    assert unread_count(user) == 0
    assert "hidden>0</span>" in client.get("/notifications/").content.decode()
    assert mark_all_read(user) == 0

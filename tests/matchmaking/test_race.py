"""Two people book the last free table of a slot at the same moment, from two connections.

On PostgreSQL the second transaction reads "table 1 is free" while the first one's booking is
not yet committed; its write then waits on the unique index and fails when the first commits,
and the service looks again and answers "every table is taken". On SQLite, writers are
serialised (BEGIN IMMEDIATE), so the second one simply reads the committed state. Either way
exactly one meeting gets the table and the other person gets a clear Conflict.

The first transaction stays open until the second is seen waiting for it inside the
database, so the two transactions provably overlap."""

import sys
import threading

import pytest
from django.db import connection, transaction

from conference.errors import Conflict
from matchmaking import services
from matchmaking.models import MeetingRequest
from tests.fixtures.factories import make_edition, make_organiser
from tests.fixtures.servers import wait_for

from .conftest import join, make_event

Status = MeetingRequest.Status


def waits_in_the_database(thread: threading.Thread, observer) -> bool:
    """Whether `thread` is blocked by the other transaction: on PostgreSQL its backend waits
    for a lock; on SQLite it is inside BEGIN IMMEDIATE, which cannot finish while another
    connection holds the write lock."""
    if connection.vendor == "postgresql":
        with observer.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
            return cursor.fetchone()[0] > 0
    frame = sys._current_frames().get(thread.ident or 0)
    while frame is not None:
        if frame.f_code.co_name == "_start_transaction_under_autocommit":
            return True
        frame = frame.f_back
    return False


@pytest.mark.django_db(transaction=True)
def test_last_table_race_between_two_connections():
    edition = make_edition()
    event = make_event(edition, make_organiser(edition), tables=1)
    anna, ben, cleo, dan = (join(event, name) for name in ("Anna", "Ben", "Cleo", "Dan"))
    first = MeetingRequest.objects.create(event=event, requester=anna, recipient=ben, status=Status.ACCEPTED)
    second = MeetingRequest.objects.create(event=event, requester=cleo, recipient=dan, status=Status.ACCEPTED)
    slot = event.slots.first()
    first_booked = threading.Event()
    outcome: dict[str, str] = {}
    overlapped = threading.Event()

    def book_first():
        from django.db import connections

        observer = connections.create_connection("default")  # a third connection, to look at the others
        try:
            with transaction.atomic():
                services.reschedule(anna.user, event, first.pk, slot.pk)
                first_booked.set()
                # Keep the booking uncommitted until the other booking waits for it.
                wait_for(lambda: waits_in_the_database(threads[1], observer), "the second booking waits", 20)
                overlapped.set()
            outcome["first"] = "booked"
        finally:
            first_booked.set()
            observer.close()
            connection.close()

    def book_second():
        try:
            first_booked.wait(10)
            services.reschedule(cleo.user, event, second.pk, slot.pk)
            outcome["second"] = "booked"
        except Conflict as exc:
            outcome["second"] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=book_first), threading.Thread(target=book_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert overlapped.is_set(), "the two transactions did not overlap"
    assert outcome == {"first": "booked", "second": "no_table"}
    at_table = MeetingRequest.objects.filter(slot=slot, table=1, status=Status.SCHEDULED)
    assert list(at_table.values_list("pk", flat=True)) == [first.pk]
    assert MeetingRequest.objects.get(pk=second.pk).status == Status.ACCEPTED  # still waiting for a slot
    print(f"\nrace run on {connection.vendor}")

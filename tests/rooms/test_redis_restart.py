"""Redis restarts in the middle of a session: the sockets stay up, the hub reconnects,
and clients are told to resync, so nothing that was saved is missed."""

import subprocess

import pytest
import redis

from devtools import localredis
from rooms.models import Announcement
from tests.fixtures.servers import die_with_parent, free_port, start_daphne, stop, wait_for
from tests.fixtures.ws import WsClient

pytestmark = pytest.mark.live


def start_redis(port: int, data_dir) -> subprocess.Popen:
    process = localredis.start(port, data_dir, log_file=subprocess.DEVNULL, preexec_fn=die_with_parent)
    wait_for(lambda: redis.Redis(port=port).ping(), "redis-server", process=process)
    return process


@pytest.fixture
def own_redis_and_daphne(server_env, tmp_path):
    port = free_port()
    state = {"redis": start_redis(port, tmp_path / "redis")}
    env = {**server_env, "CONFERENCE_REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    url, daphne = start_daphne(env, tmp_path / "daphne.log")

    def restart_redis(while_down=None):
        stop(state["redis"])
        if while_down is not None:
            while_down()
        state["redis"] = start_redis(port, tmp_path / "redis")

    yield url, restart_redis
    stop(daphne)
    stop(state["redis"])


async def test_clients_resync_after_redis_restart_and_miss_nothing_saved(own_redis_and_daphne, world):
    url, restart_redis = own_redis_and_daphne
    attendee = await WsClient.connect(url, world.online)
    moderator = await WsClient.connect(url, world.moderator)
    first = await attendee.ok("room.join", room=world.room.pk)
    await moderator.ok("room.join", room=world.room.pk)
    await moderator.ok("room.announce", room=world.room.pk, text="before the restart")
    before = await attendee.next_push("room.announcement", world.room.pk)
    assert before["seq"] == 1

    restart_redis()
    await moderator.ok("room.announce", room=world.room.pk, text="after the restart")
    resync = await attendee.next_push("room.resync", world.room.pk, timeout=30)
    assert resync["data"]["reason"] == "connection_lost"

    rejoined = await attendee.ok("room.join", room=world.room.pk, last_seq=before["seq"], epoch=first["epoch"])
    assert rejoined["resync"] is True
    texts = [a["text"] for a in rejoined["state"]["announcements"]]
    assert "before the restart" in texts and "after the restart" in texts
    assert await Announcement.objects.filter(room_id=world.room.pk).acount() == 2

    await moderator.ok("room.announce", room=world.room.pk, text="live again")
    live = await attendee.next_push("room.announcement", world.room.pk,
                                    where=lambda p: p["data"]["text"] == "live again")
    assert live["seq"] >= 1
    assert attendee.closed_code is None and moderator.closed_code is None
    await attendee.close()
    await moderator.close()

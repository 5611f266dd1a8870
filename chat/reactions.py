"""Reactions: a fixed set of emoji, counted per room in Redis (never in the database).

A reaction increments the room's counter hash and marks the "reactions" counter dirty;
each process's hub then sends every socket of the room at most a few snapshots of the
totals per second (rooms.counters), however many people react."""

from conference.errors import Conflict, InvalidInput
from realtime import broadcast, ratelimit
from rooms.counters import Snapshot, snapshot
from rooms.services import Membership

from .services import require_login, require_open, room_of

EMOJI = ("👏", "❤️", "😂", "😮", "👍", "🎉")
_ALIASES = {"❤": "❤️"}  # the heart without its emoji variation selector
RATE_LIMIT = 20  # reactions per user and room ...
RATE_WINDOW = 10  # ... per this many seconds
KEEP_SECONDS = 7 * 24 * 3600  # counts of a quiet room are forgotten after a week


def counts_key(room_id: int) -> str:
    return f"{{room:{room_id}}}:reactions"


def normalise(emoji: str) -> str | None:
    emoji = _ALIASES.get(emoji, emoji)
    return emoji if emoji in EMOJI else None


def _counts(raw: dict) -> dict[str, int]:
    found = {key.decode(): int(value) for key, value in raw.items()}
    return {emoji: found.get(emoji, 0) for emoji in EMOJI}


def react(member: Membership, emoji: str) -> dict:
    """Count one reaction; the totals reach the room as a coalesced "reactions" snapshot."""
    user_id = require_login(member)
    chosen = normalise(emoji)
    if chosen is None:
        raise InvalidInput(f"Reactions are {' '.join(EMOJI)}.", field="emoji")
    require_open(room_of(member), member, paused_allowed=True)
    wait = ratelimit.hit(f"{{room:{member.room_id}}}:reaction-rate:{user_id}", RATE_LIMIT, RATE_WINDOW)
    if wait is not None:
        raise Conflict(f"Easy there! Wait {wait} s before reacting again.", code="rate_limited")
    client = broadcast.client()
    with client.pipeline(transaction=True) as pipe:
        pipe.hincrby(counts_key(member.room_id), chosen, 1)
        pipe.expire(counts_key(member.room_id), KEEP_SECONDS)
        pipe.execute()
    broadcast.counter_changed(member.room_id, "reactions")
    return {"emoji": chosen}


def counts(room_id: int) -> dict[str, int]:
    return _counts(broadcast.client().hgetall(counts_key(room_id)))


@snapshot("reactions")
async def reactions_snapshot(room_id: int, _arg: str) -> Snapshot:
    from rooms.hub import Hub

    return Snapshot("reactions", {"counts": _counts(await Hub.get().redis.hgetall(counts_key(room_id)))})

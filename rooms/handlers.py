"""Room commands: ping, join (with catch-up), leave, open/pause/close, announcements."""

from typing import Literal

from pydantic import Field

from conference.schema import Count, Id, Line, Paragraph
from realtime import broadcast

from . import presence, services
from .commands import CommandError, Context, command
from .hub import missed_frames, room_position
from .protocol import Command, RoomCommand


class Ping(Command):
    pass


@command("ping", Ping)
async def ping(ctx: Context, cmd: Ping) -> dict:
    return {"type": "pong"}


class Join(RoomCommand):
    last_seq: Count | None = Field(default=None, description="Last sequence number seen in this room")
    epoch: Line | None = Field(default=None, max_length=32, description="Epoch the last_seq belongs to")


@command("room.join", Join)
async def join(ctx: Context, cmd: Join) -> None:
    """Subscribe first, then read the position and state, so nothing falls in between.
    Pushes that arrive meanwhile are held and released after the reply, minus the ones
    the reply already covers."""
    socket, redis = ctx.socket, socket_redis(ctx)
    membership, room = await ctx.call(services.membership_for, ctx.user, cmd.room)
    seq = 0
    socket.outbox.hold()
    try:
        await socket.attach(broadcast.room_channel(cmd.room))
        await socket.attach(broadcast.dirty_channel(cmd.room))
        if membership.is_moderator:
            await socket.attach(broadcast.moderators_channel(cmd.room))
        epoch, seq = await room_position(redis, cmd.room)
        reply: dict = {"room": cmd.room, "epoch": epoch, "seq": seq}
        frames = None
        if cmd.last_seq is not None:
            frames = await missed_frames(redis, cmd.room, cmd.last_seq, cmd.epoch)
        if frames is not None:
            for frame in frames:  # catch-up: the missed events, in order, before the reply
                socket.outbox.put_direct(frame)
            reply["caught_up"] = len(frames)
            reply["you"] = membership.as_dict()
        else:
            reply["resync"] = cmd.last_seq is not None
            reply["state"] = await ctx.call(services.room_state, membership, room)
        reply["presence"] = await presence.counts(redis, cmd.room)
        ctx.memberships[cmd.room] = membership
        socket.reply(cmd.id, reply)
    finally:
        socket.outbox.release(cmd.room, seq)
    await presence.enter(redis, cmd.room, ctx.conn_id, membership.mode)
    return None  # replied above: the reply had to precede the held pushes


class Leave(RoomCommand):
    pass


@command("room.leave", Leave)
async def leave(ctx: Context, cmd: Leave) -> dict:
    membership = ctx.membership(cmd.room)
    del ctx.memberships[cmd.room]
    for channel in (broadcast.room_channel(cmd.room), broadcast.dirty_channel(cmd.room),
                    broadcast.moderators_channel(cmd.room)):
        await ctx.socket.detach(channel)
    await presence.leave(socket_redis(ctx), cmd.room, ctx.conn_id, membership.mode)
    return {"room": cmd.room}


class SetState(RoomCommand):
    state: Literal["open", "paused", "closed"]


@command("room.set_state", SetState)
async def set_state(ctx: Context, cmd: SetState) -> dict:
    ctx.membership(cmd.room)
    return await ctx.call(services.set_room_state, ctx.user, cmd.room, cmd.state)


class Announce(Command):
    room: Id | None = None
    edition: Id | None = None
    text: Paragraph = Field(min_length=1, max_length=services.MAX_ANNOUNCEMENT)


@command("room.announce", Announce)
async def announce(ctx: Context, cmd: Announce) -> dict:
    if (cmd.room is None) == (cmd.edition is None):
        raise CommandError("Give either a room or an edition.", code="invalid", field="room")
    return await ctx.call(services.announce, ctx.user, cmd.text, room_id=cmd.room, edition_id=cmd.edition)


def socket_redis(ctx: Context):
    return ctx.socket.hub.redis

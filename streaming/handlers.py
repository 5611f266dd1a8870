"""Websocket commands, events and join state of the stage (imported by rooms.apps at startup)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

from realtime.events import EventData, event
from rooms.commands import Context, command
from rooms.protocol import RoomCommand
from rooms.state import provider

from . import services

StateName = Literal["scheduled", "backstage", "live", "interrupted", "ended", "replay_available"]
SourceName = Literal["ingest", "hls", "youtube", "vimeo", "call"]


class Replay(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    duration: float | None


class StageState(EventData):
    state: StateName
    previous: StateName
    reason: str
    changed_at: str | None
    source: SourceName
    external_url: str | None
    embed_url: str | None
    starts_at: str
    ends_at: str
    replay_enabled: bool
    replays: list[Replay]


event("stage.state", StageState,
      "The stage changed: scheduled, backstage (the speaker is connected, attendees wait), live, "
      "interrupted (the publisher dropped: reconnecting), ended, replay_available (with the recordings). "
      "Play live HLS at `<stage.playback>hls/index.m3u8` and replays at `<stage.playback>replay/<name>` "
      "(the signed prefix from the room.join state).",
      {"state": "live", "previous": "backstage", "reason": "moderator", "changed_at": "2026-09-26T09:00:02Z",
       "source": "ingest", "external_url": None, "embed_url": None, "starts_at": "2026-09-26T09:00:00Z",
       "ends_at": "2026-09-26T10:00:00Z", "replay_enabled": True, "replays": []},
      sequenced=True)


@provider("stage")
def stage_state(membership, room) -> dict | None:
    return services.stage_for_member(membership, room)


class GoLive(RoomCommand):
    """Moderators: put the speaker's stream on stage (from backstage)."""


@command("stage.go_live", GoLive)
async def go_live(ctx: Context, cmd: GoLive) -> dict:
    ctx.membership(cmd.room)
    return {"stage": await ctx.call(services.go_live, ctx.user, cmd.room)}


class EndStage(RoomCommand):
    """Moderators: end the stage (the replay follows when the recording is ready)."""


@command("stage.end", EndStage)
async def end(ctx: Context, cmd: EndStage) -> dict:
    ctx.membership(cmd.room)
    return {"stage": await ctx.call(services.end_stream, ctx.user, cmd.room)}

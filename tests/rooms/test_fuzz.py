"""Fuzzing the websocket protocol from its published description (docs/asyncapi.json), as an
outside client would: every command, as an attendee and as a moderator, against a real Daphne,
with malformed JSON, wrong types, missing and extra fields, oversized frames and strings, NUL
and other control characters, lone surrogates and huge integers.

Each frame must get exactly one reply, never `internal_error`; afterwards the server is healthy
and the room still joinable. The run is bounded (a fixed list of frames, sent one at a time) and
prints its figures: frames tried, replies by code, internal errors."""

import copy
import json
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from chat import polls, qa
from chat.models import Message, Mute, Poll, PollOption, Question
from chat.services import actor_for, post_message
from conference import text
from rooms.models import Announcement, Room
from rooms.protocol import MAX_FRAME_BYTES
from tests.fixtures.ws import WsClient

pytestmark = pytest.mark.live

HUGE = [2**63, -(2**63) - 1, 10**30]
BAD_TEXT = ["a\x00b", "a\x1b[31mb", "a\x7fb", "\ud800", "a\udfffb", "\ufffe"]
STABLE_CODES = {"bad_json", "bad_frame", "frame_too_large", "unknown_command", "invalid", "too_long", "not_joined",
                "not_found", "not_moderator", "not_allowed", "login_required", "room_closed", "room_paused", "muted",
                "rate_limited", "slow_mode", "not_visible", "already_voted", "poll_not_open", "not_organiser",
                "conflict", "forbidden", "stage_state", "no_stage", "wrong_state"}


def commands() -> dict[str, dict]:
    document = json.loads((Path(settings.BASE_DIR) / "docs" / "asyncapi.json").read_text(encoding="utf-8"))
    return {message["name"]: message for key, message in document["components"]["messages"].items()
            if key.startswith("command.")}


def kinds(schema: dict) -> set[str]:
    """The JSON types a property accepts."""
    options = schema.get("anyOf", [schema])
    return {option.get("type", "enum" if "enum" in option or "const" in option else "any") for option in options}


def wrong_values(schema: dict) -> list:
    """Values of the wrong type for a property, and values of the right type that break its rules."""
    accepted = kinds(schema)
    values: list = []
    if "integer" in accepted:
        values += ["12", True, 1.5, [1], *HUGE]
    if "string" in accepted or "enum" in accepted:
        longest = next((o.get("maxLength") for o in schema.get("anyOf", [schema]) if o.get("maxLength")), 2000)
        values += [12, False, ["x"], *BAD_TEXT, "x" * (longest + 1), "nope-not-a-choice" if "enum" in accepted
                   else "two\nlines"]
    if "boolean" in accepted:
        values += ["yes", 1, "true"]
    if "array" in accepted:
        items = next(o.get("items", {}) for o in schema.get("anyOf", [schema]) if o.get("type") == "array")
        values += ["x", {"a": 1}, *([bad] for bad in wrong_values(items)[:6])]
    if "null" not in accepted:
        values.append(None)
    return values


def frames_for(name: str, message: dict, real_ids: dict) -> list[tuple[str, str | None]]:
    """(frame text, expected reply id) for every way of getting one command wrong."""
    example = copy.deepcopy(message["examples"][0]["payload"])
    for key in example:  # point the example at real rows so a valid frame would reach the service
        if key in real_ids and isinstance(example[key], int):
            example[key] = real_ids[key]
    if name == "poll.vote":
        example["options"] = [real_ids["option"]]
    schema = message["payload"]
    frames: list[tuple[str, str | None]] = []
    counter = iter(range(10**6))

    def add(payload: dict) -> None:
        command_id = f"{name}-{next(counter)}"
        frames.append((json.dumps({**payload, "id": command_id}), command_id))

    text = json.dumps(example)
    frames.append((text[: len(text) // 2], None))  # cut short: not JSON
    frames.append((text.replace('"type"', '"type" "'), None))  # a syntax error inside
    frames.append(('{"id": "x", "type": "' + name + '", "n": ' + "9" * 5000 + "}", None))  # past Python's int limit
    frames.append(("[" * 5000 + "]" * 5000, None))  # nesting the parser refuses
    frames.append((json.dumps({**example, "id": "big", "pad": "x" * MAX_FRAME_BYTES}), None))  # over the frame limit
    add({**example, "unexpected": 1})
    for bad_id in ["\ud800", "x" * 65, 2**70, True, {"a": 1}, ["x"], "a\x00"]:  # ids the reply cannot echo
        frames.append((json.dumps({**example, "id": bad_id}), None))
    frames.append((json.dumps({**example, "type": name + "\ud800", "id": f"{name}-type"}), f"{name}-type"))
    for field in schema.get("required", []):
        if field != "type":
            add({key: value for key, value in example.items() if key != field})
    for field, property_schema in schema["properties"].items():
        if field in ("id", "type"):
            continue
        for value in wrong_values(property_schema):
            add({**example, field: value})
    return frames


@pytest.fixture
def targets(world):
    """Real rows for the commands' ids: a question, a poll with its options, a message."""
    member = actor_for(world.moderator, world.room.pk)
    question = qa.ask(member, "How do clusters reach SMEs?")["question"]
    poll = polls.create_poll(member, "Which priority?", ["Skills", "Green"])["poll"]
    message = post_message(member, "Welcome!")
    return {"room": world.room.pk, "question": question["id"], "poll": poll["id"],
            "option": poll["options"][0]["id"], "message": message["id"], "user": world.online.pk,
            "edition": world.edition.pk}


def stored_text() -> list[str]:
    """Every text the room's commands can store."""
    values = [*Message.objects.values_list("text", flat=True), *Poll.objects.values_list("question", flat=True),
              *PollOption.objects.values_list("text", flat=True), *Announcement.objects.values_list("text", flat=True),
              *Mute.objects.values_list("reason", flat=True)]
    for question_text, labels in Question.objects.values_list("text", "labels"):
        values += [question_text, *labels]
    return values


async def fuzz(client: WsClient, frames: list[tuple[str, str | None]], codes: Counter) -> None:
    """Send the frames one at a time; each must get exactly one reply, for its id."""
    before = len(client.replies)
    for frame, command_id in frames:
        position = len(client.replies)
        await client.send_raw(frame)
        reply = await client.reply_number(position)
        assert reply["id"] == command_id, (frame[:200], reply)
        codes["ok" if reply["ok"] else reply["error"]["code"]] += 1
    # No late second reply to any of them: the next reply is the fence's.
    assert (await client.request("ping"))["data"] == {"type": "pong"}
    assert len(client.replies) == before + len(frames) + 1


async def test_every_command_badly_formed_gets_one_reply_and_never_an_internal_error(
        live_server_url, world, targets, record_property):
    real_ids = await sync_to_async(lambda: targets)()
    plan = {name: frames_for(name, message, real_ids) for name, message in sorted(commands().items())}
    codes: Counter = Counter()
    by_role: dict[str, int] = {}
    for role, user in (("attendee", world.online), ("moderator", world.moderator)):
        client = await WsClient.connect(live_server_url, user)
        await client.ok("room.join", room=world.room.pk)
        frames = [frame for name in plan for frame in plan[name]]
        await fuzz(client, frames, codes)
        by_role[role] = len(frames)
        await client.close()

    figures = {"commands": len(plan), "frames": sum(by_role.values()), "by_role": by_role,
               "replies_by_code": dict(codes.most_common()), "internal_error": codes["internal_error"]}
    print("\nFUZZ FIGURES:", json.dumps(figures))
    record_property("fuzz", json.dumps(figures))
    assert codes["internal_error"] == 0, figures
    assert set(codes) - {"ok"} <= STABLE_CODES, figures

    # Whatever was accepted was stored as clean text.
    stored = await sync_to_async(stored_text)()
    assert not [value for value in stored if text.problem(value, multiline=True)], stored

    # The server is up and the room still works for everyone.
    with urllib.request.urlopen(live_server_url + "/healthz", timeout=10) as health:  # noqa: S310 (test server)
        assert json.load(health)["status"] == "ok"
    assert await Room.objects.filter(pk=world.room.pk, state=Room.State.OPEN).aexists()
    for user in (world.online, world.onsite, world.moderator):
        latecomer = await WsClient.connect(live_server_url, user)
        joined = await latecomer.ok("room.join", room=world.room.pk)
        assert real_ids["question"] in [q["id"] for q in joined["state"]["questions"]["visible"]]
        await latecomer.close()

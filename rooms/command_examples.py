"""One example per command for the AsyncAPI document (checked against each schema by tests)."""

EXAMPLES: dict[str, dict] = {
    "ping": {"id": "c1", "type": "ping"},
    "room.join": {"id": "c2", "type": "room.join", "room": 12, "last_seq": 40, "epoch": "9f2c4e1a7b3d5c60"},
    "room.leave": {"id": "c3", "type": "room.leave", "room": 12},
    "room.set_state": {"id": "c4", "type": "room.set_state", "room": 12, "state": "paused"},
    "room.announce": {"id": "c5", "type": "room.announce", "room": 12, "text": "Coffee break in 5 minutes"},
}

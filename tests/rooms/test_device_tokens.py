"""Non-browser clients authenticate with a device token instead of a session cookie."""

import re

import pytest
import websockets
from asgiref.sync import sync_to_async

from people import services
from people.models import DeviceToken
from tests.fixtures.ws import WsClient


@pytest.mark.live
async def test_projector_joins_with_a_device_token_and_revoked_tokens_are_refused(live_server_url, world):
    token, raw = await sync_to_async(services.create_device_token)(world.moderator, "Projector hall A")
    ws = live_server_url.replace("http", "ws") + "/ws/"
    for connect in (
        lambda: websockets.connect(ws, origin=live_server_url, additional_headers={"Authorization": f"Bearer {raw}"}),
        lambda: websockets.connect(f"{ws}?token={raw}", origin=live_server_url),
    ):
        client = WsClient(await connect())
        hello = await client.next_push("hello")
        assert hello["data"]["user_id"] == world.moderator.pk
        data = await client.ok("room.join", room=world.room.pk)
        assert data["state"]["you"]["is_moderator"] is True
        await client.close()
    await sync_to_async(services.revoke_device_token)(world.moderator, token.pk)
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"{ws}?token={raw}", origin=live_server_url):
            pass
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"{ws}?token=dt_forged", origin=live_server_url):
            pass


@pytest.mark.django_db
def test_token_page_shows_a_new_token_once_and_revokes(client):
    from tests.fixtures.factories import make_user

    user = make_user("Tia Token")
    client.force_login(user)
    page = client.post("/accounts/devices/", {"label": "Tablet"}).content.decode()
    raw = re.search(r'value="(dt_[^"]+)"', page).group(1)
    assert services.user_for_device_token(raw) == user
    assert DeviceToken.objects.get(user=user).key_hash != raw  # only a hash is stored
    listing = client.get("/accounts/devices/").content.decode()
    assert "Tablet" in listing and raw not in listing
    client.post("/accounts/devices/", {"action": "revoke", "token": DeviceToken.objects.get().pk})
    assert services.user_for_device_token(raw) is None
    response = client.post("/accounts/devices/", {"label": "  "}, follow=True)
    assert "Name the device" in response.content.decode()

"""The baseline of the fan-out benchmark: a tutorial-style Channels chat consumer using
channel_layer.group_send with channels_redis. Kept in bench/ only, never in the product."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

GROUP = "bench-room"


class TutorialChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        message = json.loads(text_data)
        await self.channel_layer.group_send(GROUP, {"type": "chat.message", "text": message["text"]})

    async def chat_message(self, event):
        await self.send(text_data=json.dumps({"type": "chat.message", "data": {"text": event["text"]}}))

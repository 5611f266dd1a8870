"""Helpers for the JSON API tests: JSON requests through the pytest-django client."""

import json

import pytest


class JsonClient:
    """Wraps a Django test client so every request sends and expects JSON."""

    def __init__(self, client):
        self.client = client

    def _send(self, method, url, body=None):
        kwargs = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(self.client, method)(url, **kwargs)

    def get(self, url):
        return self.client.get(url)

    def post(self, url, body=None):
        return self._send("post", url, body)

    def patch(self, url, body=None):
        return self._send("patch", url, body)

    def put(self, url, body=None):
        return self._send("put", url, body)

    def delete(self, url):
        return self.client.delete(url)

    def login(self, user):
        self.client.force_login(user)
        return self


@pytest.fixture
def api(client):
    return JsonClient(client)

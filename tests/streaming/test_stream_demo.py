"""`manage.py stream_demo` prints the RTMP URL of the `make run` that is running, whatever its port."""

import io

import pytest
from django.core.management import call_command

from tests.fixtures.factories import make_edition, make_session

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("stream_demo", stdout=out)
    return out.getvalue().strip()


def test_stream_demo_uses_the_ingest_url_of_make_run(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("CONFERENCE_STREAMING_INGEST_URL", raising=False)
    settings.STREAMING_INGEST_URL = "rtmp://127.0.0.1:1935/live"
    settings.BASE_DIR = tmp_path
    make_session(make_edition(slug="demo"), slug="live-plenary")
    assert run().startswith("rtmp://127.0.0.1:1935/live/")  # no make run: the settings' URL
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "run-local.env").write_text(
        "WEB_PORT='8001'\nCONFERENCE_STREAMING_INGEST_URL='rtmp://127.0.0.1:1999/live'\n")
    url = run()
    assert url.startswith("rtmp://127.0.0.1:1999/live/s") and "?key=" in url

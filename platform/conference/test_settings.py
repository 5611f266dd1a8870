"""Settings for the test suite: the production settings with test defaults for the
environment. Tests use a file-based SQLite test database (unless DATABASE_URL points
at PostgreSQL) so that live server processes (Daphne, Celery) see the same data."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("CONFERENCE_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("CONFERENCE_SECURE_COOKIES", "0")
os.environ.setdefault("CONFERENCE_SECURE_SSL_REDIRECT", "0")  # live servers in tests speak plain HTTP
os.environ.setdefault("CONFERENCE_SITE_URL", "http://testserver")
if "CONFERENCE_TEST_DATABASE_FILE" not in os.environ:
    os.environ["CONFERENCE_TEST_DATABASE_FILE"] = str(
        Path(tempfile.mkdtemp(prefix="conference-tests-")) / "test.sqlite3"
    )

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
# Serve static files straight from the apps' folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
STATIC_ROOT = str(Path(os.environ["CONFERENCE_TEST_DATABASE_FILE"]).parent / "static")
Path(STATIC_ROOT).mkdir(exist_ok=True)

# The test process itself never needs the machine's Redis: caching is in memory;
# live servers started by the tests get the private Redis via CONFERENCE_REDIS_URL.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

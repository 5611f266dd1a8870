"""Shared fixtures (test settings: platform/conference/test_settings.py)."""

pytest_plugins = ["tests.fixtures.factories", "tests.fixtures.servers", "tests.fixtures.mail"]

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _empty_cache():
    """The test process caches in memory; emptied for each test, so rate limits (sign-ups per
    address, …) counted in one test never refuse the next one."""
    from django.core.cache import cache

    cache.clear()

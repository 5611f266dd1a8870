"""Shared fixtures (test settings: platform/conference/test_settings.py)."""

pytest_plugins = ["tests.fixtures.factories", "tests.fixtures.servers"]

from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    """The low realtime layer: how events leave the server (broadcast) and the registry of
    their typed schemas (events). Features publish through it; the rooms hub consumes it.
    It knows nothing of the conference domain (see docs/architecture.md)."""

    name = "realtime"
    verbose_name = "Realtime events"

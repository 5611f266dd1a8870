from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`manage.py load_demo`): the top of the layers, it may use every app's
    services to build editions, rooms, reminders and a matchmaking event as a real
    organiser would (see docs/architecture.md)."""

    name = "demo"
    verbose_name = "Demo data"

from django.apps import AppConfig


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Conference platform"

    def ready(self) -> None:
        from . import stored_text

        stored_text.protect()

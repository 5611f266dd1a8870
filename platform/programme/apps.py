from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = "Programme: series, editions, sessions"

    def ready(self) -> None:
        from . import personal_data

        personal_data.register()

from django.apps import AppConfig


class StreamingConfig(AppConfig):
    name = "streaming"
    verbose_name = "Streaming"

    def ready(self) -> None:
        from programme import extensions as programme_extensions
        from rooms import extensions

        from . import contributions, tasks  # noqa: F401 (tasks connects the background jobs)

        extensions.link_facts.register(contributions.link_facts)
        programme_extensions.programme_page.register(contributions.programme_page)  # replays of past sessions

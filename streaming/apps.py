from django.apps import AppConfig


class StreamingConfig(AppConfig):
    name = "streaming"
    verbose_name = "Streaming"

    def ready(self) -> None:
        from rooms import extensions

        from . import contributions

        extensions.link_facts.register(contributions.link_facts)

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Chat, Q&A and polls"

    def ready(self) -> None:
        from rooms import extensions

        from . import contributions, personal_data

        extensions.page_config.register(contributions.page_config)
        extensions.page_context.register(contributions.page_context)
        personal_data.register()

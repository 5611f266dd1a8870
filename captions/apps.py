from django.apps import AppConfig


class CaptionsConfig(AppConfig):
    name = "captions"
    verbose_name = "Live captions"

    def ready(self) -> None:
        from programme import extensions as programme_extensions
        from rooms import extensions

        from . import contributions, personal_data

        extensions.page_config.register(contributions.page_config)  # the room's player gets the tracks
        extensions.page_context.register(contributions.page_context)  # the captions under the stage
        programme_extensions.session_page.register(contributions.session_page)  # "Write captions"
        personal_data.register()  # the lines a captioner wrote, in their data export

from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = "Registration and agendas"

    def ready(self) -> None:
        from programme import extensions

        from . import contributions, personal_data

        extensions.edition_page.register(contributions.edition_page)
        extensions.programme_page.register(contributions.programme_page)
        extensions.session_page.register(contributions.session_page)
        extensions.session_facts.register(contributions.session_facts)
        personal_data.register()

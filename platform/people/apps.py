from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from . import account_data, receivers

        account_data.register()
        receivers.connect()

from importlib import import_module

from django.apps import AppConfig, apps


class RoomsConfig(AppConfig):
    name = "rooms"
    verbose_name = "Live rooms"

    def ready(self) -> None:
        # Each app's websocket commands and counter snapshots register themselves
        # when its `handlers` module is imported.
        for config in apps.get_app_configs():
            try:
                import_module(f"{config.name}.handlers")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.handlers":
                    raise
        import_module("rooms.presence")
        import_module("rooms.events")

        from programme import extensions
        from programme.signals import session_saved

        from . import personal_data
        from .receivers import give_session_a_room
        from .views import session_page

        session_saved.connect(give_session_a_room, dispatch_uid="rooms.give_session_a_room")
        extensions.session_page.register(session_page)  # the live room link
        personal_data.register()

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

"""Places where the apps built on the programme add to its pages and API without the
programme importing them: attendance adds registration, agenda and enrolment state, rooms
the live-room link. Each app registers its contributions in `AppConfig.ready`."""

from collections.abc import Callable
from typing import Any


class Contributions:
    """An ordered set of functions whose dict results are merged (later ones win)."""

    def __init__(self, what: str):
        self.what = what
        self._functions: list[Callable[..., dict[str, Any]]] = []

    def register(self, fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        if fn not in self._functions:
            self._functions.append(fn)
        return fn

    def collect(self, *args: Any) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for fn in self._functions:
            merged.update(fn(*args))
        return merged


# fn(request, edition) -> context of the edition's home page
edition_page = Contributions("edition home page")
# fn(request, edition) -> context of the programme page
programme_page = Contributions("programme page")
# fn(request, session) -> context of a session's page
session_page = Contributions("session page")
# fn(session) -> fields of a session in the JSON API (e.g. seats_left)
session_facts = Contributions("session in the API")

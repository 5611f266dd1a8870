"""Operational tasks of the platform itself."""

import platform

from celery import shared_task


@shared_task(name="conference.runtime_info")
def runtime_info() -> dict[str, str]:
    """Report the interpreter a worker runs on; calling platform.system() proves the
    standard library's `platform` module is the one imported (see docs/architecture.md, "The source folders")."""
    return {
        "platform_module": platform.__file__ or "",
        "system": platform.system(),
        "python": platform.python_version(),
    }

"""Django project package of the conference platform: settings, URLs, ASGI and Celery."""

from .celery import app as celery_app

__all__ = ["celery_app"]

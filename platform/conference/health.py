"""Health check used by docker-compose, the reverse proxy and the tests."""

import platform

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from rooms.hub import Hub


def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # report any failure, the endpoint must answer
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        checks["redis"] = "ok"
    except Exception as exc:
        checks["redis"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "checks": checks,
        "system": platform.system(),
        # This process's live sockets (each web process answers for itself).
        "realtime": {"open_sockets": Hub.open_sockets, "slow_clients_cut": Hub.slow_clients_cut},
    }
    return JsonResponse(body, status=200 if healthy else 503)

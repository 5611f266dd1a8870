# One image for every platform process: web (Daphne), Celery worker, Celery beat and the
# one-shot migrate job. docker-compose.yml picks the process with `command:`.
# Operations guide: docs/operations.md.
FROM python:3.11-slim

# PYTHONPATH: platform/ is a SOURCE FOLDER, not a package. It must never get an
# __init__.py: a package named `platform` would shadow the standard library module that
# Celery, Twisted, Daphne and uuid import. The `conference` project package lives in it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app/platform:/app \
    DJANGO_SETTINGS_MODULE=conference.settings \
    CONFERENCE_STATIC_ROOT=/app/var/static

# Unprivileged user with a fixed uid/gid, so volume ownership is predictable.
RUN groupadd --system --gid 10001 conference \
    && useradd --system --uid 10001 --gid conference --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin conference

WORKDIR /app

# Dependencies first: this layer is reused while only the code changes.
# All pinned wheels are binary (psycopg[binary] bundles libpq), so no compiler is needed.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code stays owned by root (read-only for the app); only var/ is writable.
COPY . .

# Static files are collected at build time and served by WhiteNoise. Settings refuse to
# load without a secret key, so a dummy one is passed to this RUN step only (it is not
# stored in the image's environment). CONFERENCE_STATIC_ROOT must not be changed at run
# time: the manifest lives here.
# var/media and var/beat are created here so that named volumes mounted on them start
# out owned by the app user.
RUN mkdir -p var/static var/media var/beat \
    && CONFERENCE_SECRET_KEY=build-time-dummy-not-used-at-run-time \
       python manage.py collectstatic --noinput \
    && chown -R conference:conference var

USER conference

EXPOSE 8000

# No curl in the slim image: use Python. urlopen raises on a 503 (database or Redis down),
# so the exit status is non-zero. The Host is 127.0.0.1, which must stay in
# CONFERENCE_ALLOWED_HOSTS (see deploy/env.example). Worker, beat and migrate override
# or disable this in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "conference.asgi:application"]

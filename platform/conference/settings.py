"""Settings, read from environment variables prefixed with CONFERENCE_.

Every variable may also be given as CONFERENCE_<NAME>_FILE pointing at a file
holding the value (for Docker/Kubernetes secrets). Production defaults are
safe: DEBUG is off and SECRET_KEY must be set unless DEBUG is on.
DATABASE_URL and REDIS_URL are also read without the prefix, because hosting
platforms and the issue tracker's own instructions use those names.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.FileAwareEnv()
env.prefix = "CONFERENCE_"


def _unprefixed_fallback(name: str, default: str) -> str:
    """Read CONFERENCE_<name>, else the conventional <name>, else default."""
    import os

    return env.str(name, default=os.environ.get(name, default))


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set CONFERENCE_SECRET_KEY (or CONFERENCE_DEBUG=1 for development).")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="the conference platform")  # in account emails: "Reset your password for …"

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "csp",
    "ninja",  # serves its bundled Swagger UI files, so /api/docs works offline
    "django_countries",
    "conference",
    "people",
    "programme",
    "attendance",
    "reminders",
    "realtime",
    "rooms",
    "chat",
    "streaming",
    "matchmaking",
    "captions",
    "demo",
    # After the apps: the templates of people/ replace allauth's own.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "people.middleware.ViewerTimeZoneMiddleware",
    "conference.request_text.RefuseForbiddenCharacters",  # after the ones the 400 page needs
]

ROOT_URLCONF = "conference.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "conference" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.viewer_time_zone",
                "people.context_processors.email_verified",
                "programme.context_processors.navigation",
            ],
        },
    },
]

ASGI_APPLICATION = "conference.asgi.application"
WSGI_APPLICATION = None

DATABASES = {
    "default": environ.Env.db_url_config(
        _unprefixed_fallback("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and a busy timeout let the web, worker and test
    # processes share one SQLite file without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    test_name = env.str("TEST_DATABASE_FILE", default="")
    if test_name:
        DATABASES["default"]["TEST"] = {"NAME": test_name}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = _unprefixed_fallback("REDIS_URL", "redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts: django-allauth does sign-up, email verification, login by email, password reset
# and change, login and sign-up throttling, and OpenID Connect single sign-on
# (docs/accounts.md). ModelBackend stays for `createsuperuser` accounts and the test client.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
ACCOUNT_FORMS = {
    "signup": "people.forms.SignUpForm",
    "change_password": "people.forms.ChangePasswordForm",
    "set_password": "people.forms.SetPasswordForm",
    "reset_password": "people.forms.ResetPasswordForm",
    "reset_password_from_key": "people.forms.ResetPasswordKeyForm",
}
SOCIALACCOUNT_FORMS = {"signup": "people.forms.SocialSignUpForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
# "optional": people are logged in right after signing up and may look around, but
# registering for an edition and writing in rooms wait for the confirmed address
# (people.services.require_verified_email).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a button confirms: mail scanners that follow links confirm nothing
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env.int("ACCOUNTS_VERIFICATION_DAYS", default=3)
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_CHANGE_EMAIL = True  # one address per account; a new one replaces it once confirmed
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password was changed" and similar security notices
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Sign-up says plainly that an address already has an account, as before; the rate limits
# below bound how fast anyone can probe addresses that way.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_USER_DISPLAY = "people.services.display_name"
# Throttling (allauth's rate limits, kept in Django's cache: Redis). Rates are
# "<count>/<period>/<per>", several separated by commas; per is ip, key (the email
# address tried) or user. See docs/accounts.md for the trade-offs of each default.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("RATELIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "login": env.str("RATELIMIT_LOGIN", default="30/m/ip"),
    "signup": env.str("RATELIMIT_SIGNUP", default="10/m/ip,60/h/ip"),
    "reset_password": env.str("RATELIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key"),
    "confirm_email": env.str("RATELIMIT_CONFIRM_EMAIL", default="1/3m/key"),
}
SOCIALACCOUNT_AUTO_SIGNUP = False  # people coming from single sign-on see the privacy notice and consent too
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # a verified address from the IdP logs into the account that has it
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False  # the IdP's tokens are not needed after login: not kept
SOCIALACCOUNT_PROVIDERS: dict = {}
# Single sign-on with an organisation's own OpenID Connect identity provider: on when
# CONFERENCE_OIDC_SERVER_URL (the issuer) is set. More providers can be added as "Social
# applications" in the organiser area.
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="")
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "SCOPE": env.list("OIDC_SCOPES", default=["openid", "profile", "email"]),
        "APPS": [{
            "provider_id": env.str("OIDC_PROVIDER_ID", default="sso"),
            "name": env.str("OIDC_NAME", default="your organisation"),
            "client_id": env.str("OIDC_CLIENT_ID"),
            "secret": env.str("OIDC_CLIENT_SECRET", default=""),
            "settings": {"server_url": OIDC_SERVER_URL},
        }],
    }
# Treat the addresses the IdP sends as confirmed even when it does not say so (claim
# email_verified): only for an IdP that vouches for its users' addresses.
OIDC_TRUST_EMAIL = env.bool("OIDC_TRUST_EMAIL", default=False)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"  # stored and processed in UTC; rendered in the edition's and viewer's zones
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Session materials (slides, papers): the largest file accepted, in megabytes. Keep the reverse
# proxy's request limit (deploy/nginx.conf client_max_body_size) above it.
MATERIALS_MAX_MB = env.int("MATERIALS_MAX_MB", default=50)
# Speaker photos: JPEG, PNG or WebP up to this size.
PHOTO_MAX_MB = env.int("PHOTO_MAX_MB", default=5)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "conference.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, unless DEBUG (docs/operations.md; deploy/env.example turns these off for a first
# try over plain HTTP). The health check and the media server's hooks are called over plain HTTP
# on the internal network, so they are never redirected.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^streaming/hooks/"]
# Strict-Transport-Security, sent on HTTPS responses only: browsers then refuse plain HTTP for
# the site for this long. Preloading is a commitment (hstspreload.org), hence off by default.
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=False)
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="conference@localhost")

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Reminders (platform/reminders, docs/reminders.md). Beat runs the dispatcher every few
# seconds; its messages expire after two intervals, so a beat running while the workers
# are down leaves one catch-up run, not a pile of them.
REMINDERS_DISPATCH_INTERVAL = env.float("REMINDERS_DISPATCH_INTERVAL", default=5.0)
REMINDERS_DISPATCH_BATCH = env.int("REMINDERS_DISPATCH_BATCH", default=1000)
# How long a claimed row may stay queued or sending without news before the dispatcher assumes
# its worker (or its message) was lost and hands it out again. The send task renews it every
# third of it while it works, so it only bounds how late a reminder held by a dead worker is:
# with the dispatcher interval it must stay under the shortest lead time, 1 minute (check
# reminders.W001).
REMINDERS_LEASE_SECONDS = env.int("REMINDERS_LEASE_SECONDS", default=30)
REMINDERS_RETRY_BASE_SECONDS = env.int("REMINDERS_RETRY_BASE_SECONDS", default=30)
REMINDERS_MAX_ATTEMPTS = env.int("REMINDERS_MAX_ATTEMPTS", default=5)
REMINDERS_SMTP_TIMEOUT = env.int("REMINDERS_SMTP_TIMEOUT", default=30)
CELERY_BEAT_SCHEDULE = {
    "reminders-dispatch-due": {
        "task": "reminders.dispatch_due",
        "schedule": REMINDERS_DISPATCH_INTERVAL,
        "options": {"expires": 2 * REMINDERS_DISPATCH_INTERVAL},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Live rooms
ROOMS_MAX_CONNECTIONS_PER_USER = env.int("ROOMS_MAX_CONNECTIONS_PER_USER", default=5)

# Streaming (streaming/, docs/streaming.md)
STREAMING_BACKEND = env.str("STREAMING_BACKEND", default="nginx_rtmp")  # nginx_rtmp | mediamtx
STREAMING_HOOK_SECRET = env.str("STREAMING_HOOK_SECRET", default="dev-hook-secret" if DEBUG else "")
STREAMING_INGEST_URL = env.str("STREAMING_INGEST_URL", default="rtmp://127.0.0.1:1935/live")
STREAMING_CONTROL_URL = env.str("STREAMING_CONTROL_URL", default="")  # nginx-rtmp rtmp_control, to cut off old keys
STREAMING_HLS_DIR = env.str("STREAMING_HLS_DIR", default=str(BASE_DIR / "var" / "streaming" / "hls"))
STREAMING_HLS_URL = env.str("STREAMING_HLS_URL", default="")  # MediaMTX: public HLS base; empty: served by Django
STREAMING_RECORD_DIR = env.str("STREAMING_RECORD_DIR", default=str(BASE_DIR / "var" / "streaming" / "recordings"))
STREAMING_REPLAY_DIR = env.str("STREAMING_REPLAY_DIR", default=str(BASE_DIR / "var" / "streaming" / "replays"))
STREAMING_ACCEL_REDIRECT = env.str("STREAMING_ACCEL_REDIRECT", default="")  # e.g. /internal-media: nginx sends files
STREAMING_GRACE_SECONDS = env.int("STREAMING_GRACE_SECONDS", default=60)
STREAMING_PUBLISH_EARLY_MINUTES = env.int("STREAMING_PUBLISH_EARLY_MINUTES", default=60)
STREAMING_PUBLISH_LATE_MINUTES = env.int("STREAMING_PUBLISH_LATE_MINUTES", default=60)
STREAMING_PLAYBACK_TTL_SECONDS = env.int("STREAMING_PLAYBACK_TTL_SECONDS", default=6 * 3600)
# Matchmaking: close booking at each event's deadline and expire its pending requests.
CELERY_BEAT_SCHEDULE["matchmaking.close_due_bookings"] = {
    "task": "matchmaking.close_due_bookings", "schedule": 60.0, "options": {"expires": 120}}
CELERY_BEAT_SCHEDULE["streaming.sweep"] = {"task": "streaming.sweep", "schedule": 5.0, "options": {"expires": 10}}


def _origin(url: str, *, websocket: bool = False) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme) if websocket else parts.scheme
    return f"{scheme}://{parts.netloc}"


# Content Security Policy (django-csp). Scripts and styles come from the site itself (static
# files) or carry the request's nonce (`nonce="{{ request.csp_nonce }}"`): no inline event
# handlers, no style attributes. Pages open the websocket of the site's own origins. HLS players
# fetch and play from any https: address, because a stage may show an external HLS stream the
# organisers chose (and MediaMTX serves HLS from its own origin); frames are only the
# privacy-friendly video embeds of the stage. Nobody may frame the site. Forms post to the site
# itself, whose single sign-on login redirects to the identity provider (its origin is allowed;
# CONFERENCE_CSP_FORM_ACTION adds the origins of providers configured in the admin).
_site_origins = [SITE_URL, *CSRF_TRUSTED_ORIGINS]
_media_origins = [_origin(STREAMING_HLS_URL)] if STREAMING_HLS_URL else []
_sign_on_origins = [_origin(OIDC_SERVER_URL)] if OIDC_SERVER_URL else []
_sign_on_origins += env.list("CSP_FORM_ACTION", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": sorted({SELF, "https:", *_media_origins, *(_origin(o, websocket=True) for o in _site_origins)}),
        "media-src": sorted({SELF, "blob:", "https:", *_media_origins}),
        "worker-src": [SELF, "blob:"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, *_sign_on_origins],
        "frame-ancestors": [NONE],
    },
}

from django.core.exceptions import ImproperlyConfigured

from apps.common.sentry import sentry_init

from .base import *  # noqa: F403


def _required(name: str, why: str) -> str:
    """A production setting with no default: fail at start-up, naming what to set."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"Set {name}: {why}")
    return value


DEBUG = False
SECRET_KEY = _required(
    "DJANGO_SECRET_KEY", "a long random string that signs sessions and password links."
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A year of HSTS, the length browsers' preload lists ask for; lower it while first trying HTTPS.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain, subdomains included, to HTTPS in every browser for
    # months even after it is withdrawn: the operator opts in, so "not preloaded" is no warning.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# From base.py, so local runs and tests send the same: the HttpOnly session cookie, X-Frame-Options
# DENY, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy same-origin, and the CSP.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)

# Email: invitations and reminders must reach people, so production has no console default.
EMAIL_CONFIG = env.email_url_config(
    _required("EMAIL_URL", "the SMTP server, e.g. smtp+tls://user:password@smtp.example.org:587.")
)
vars().update(EMAIL_CONFIG)
# EMAIL_BACKEND comes from EMAIL_CONFIG through vars(), which mypy cannot follow.
if EMAIL_BACKEND.endswith(  # type: ignore[name-defined]
    ".console.EmailBackend"
) and not env.bool("GREENLIGHT_ALLOW_CONSOLE_EMAIL", default=False):
    raise ImproperlyConfigured(
        "Set EMAIL_URL to an SMTP server: consolemail:// would print invitations and reminders "
        "to the log instead of sending them (GREENLIGHT_ALLOW_CONSOLE_EMAIL=1 allows it)."
    )

# Throttle counts must be shared by every gunicorn worker: without CACHE_URL, use the broker's
# Redis (Django's cache keys are prefixed, so they do not meet Celery's).
if not env("CACHE_URL", default="") and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": env.cache_url_config(CELERY_BROKER_URL, backend=REDIS_CACHE_BACKEND)}

# Error reports, only when SENTRY_DSN is set, scrubbed of health data (apps/common/sentry.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"))

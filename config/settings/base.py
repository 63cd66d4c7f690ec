"""Settings shared by every environment.

Every value that differs between environments comes from one ``environ.Env`` so that
production differs from local only by environment variables (documented in README).
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL: str = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "apps.common",
    "apps.accounts",
    "apps.patients",
    "apps.exercises",
    "apps.programs",
    "apps.painlogs",
    "apps.reminders",
    "apps.care",
    "apps.program_templates",
    "apps.review",
    "apps.records",
    "apps.handouts",
    "apps.media",
    "apps.outcomes",
    "apps.interop",
    "pgtrigger",
    "pghistory",
    "apps.history",
    "apps.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.SessionLifetimeMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "apps.accounts.mfa.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.common.middleware.UserTimezoneMiddleware",
    "apps.common.middleware.PrivateNoStoreMiddleware",
    # Last, so the user is known: every history event of the request carries its context.
    "apps.history.context.HistoryMiddleware",
    # Last: it sees the response of every view, 403s included, and the user DRF signed in.
    "apps.audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.reminders.context_processors.unread_notifications",
            ],
        },
    },
]

# Widget templates (the pain scale) live in templates/ next to the pages.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` writes from the web server and the worker at once. WAL lets reads go on during
    # a write; IMMEDIATE transactions take the write lock up front and wait up to the timeout for
    # it, instead of failing with "database is locked" half-way through a request.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Refuses every sign-in to a locked-out account or address (apps/accounts/lockout.py).
AUTHENTICATION_BACKENDS = ["apps.accounts.lockout.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in, second factors and the list of signed-in devices come from django-allauth: its
# login runs the password (through the lockout backend above), then the second factor. There is
# no sign-up: people are invited (apps/accounts/services.py).
ACCOUNT_ADAPTER = "apps.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "apps.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = True  # the session's lifetime is the role's (GREENLIGHT["SESSIONS"])
# Failed sign-ins are counted and locked out by apps/accounts/lockout.py; allauth's own counts
# would lock sooner with a different message. Its limits on second-factor codes stay.
ACCOUNT_RATE_LIMITS = {"login_failed": False, "login": False}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
MFA_ADAPTER = "apps.accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "apps.accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "apps.accounts.forms.MfaReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Greenlight"
# A phone's clock may be a little off: the codes of the 30 s before and after are accepted too
# (RFC 6238 allows one step); each code still works once.
MFA_TOTP_TOLERANCE = 1
MFA_TRUST_ENABLED = False
MFA_PASSKEY_LOGIN_ENABLED = False
# Browsers allow passkeys on http:// only for localhost; local runs are served that way.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
# The list of signed-in devices is written at sign-in; "last active" follows the session's own
# clock (SessionLifetimeMiddleware), at most once a minute, not a write per request.
USERSESSIONS_TRACK_ACTIVITY = False
# Argon2id first; the others stay so that older hashes still verify, and Django rehashes them
# with Argon2id at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Length and breached/common passwords, no composition rules (OWASP ASVS 5.0 V6.2): at least
# 12 characters, up to 128 so that passphrases and password managers fit.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "apps.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Invitation links reuse the password-reset token; a week gives patients time to act on it.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Clinic media (apps/media): photos and videos of exercises. Nothing under MEDIA_ROOT is ever
# served directly; every file goes through an access-checked view (no MEDIA_URL route exists).
# MEDIA_STORAGE=s3 keeps them in an S3-compatible bucket instead, read through short-lived
# signed URLs that the same view hands out after its check.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"MEDIA_STORAGE is local or s3, not {MEDIA_STORAGE!r}.")
MEDIA_IMAGE_MAX_MB = env.int("MEDIA_IMAGE_MAX_MB", default=10)
MEDIA_VIDEO_MAX_MB = env.int("MEDIA_VIDEO_MAX_MB", default=100)
MEDIA_URL_EXPIRY_SECONDS = env.int("MEDIA_URL_EXPIRY_SECONDS", default=300)
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="greenlight-media")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="") or None
AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default="") or None
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default="") or None
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": AWS_S3_REGION_NAME,
            "access_key": AWS_ACCESS_KEY_ID,
            "secret_key": AWS_SECRET_ACCESS_KEY,
            # Private objects: readable only through a signed URL that expires.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": MEDIA_URL_EXPIRY_SECONDS,
            # SigV4: the only signature newer regions and MinIO accept; it names its expiry.
            "signature_version": "s3v4",
            "file_overwrite": False,
            # MinIO and most S3-compatible stores want bucket/key paths, not bucket subdomains.
            "addressing_style": "path" if AWS_S3_ENDPOINT_URL else None,
        },
    }

# An empty EMAIL_URL counts as unset: emails go to the console (production refuses that).
EMAIL_CONFIG = env.email_url_config(env("EMAIL_URL", default="") or "consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds before a stuck SMTP server fails the send (then the reminder task retries it).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Greenlight <no-reply@greenlight.local>")

# The cache holds the API throttle counts; production shares it between workers (production.py).
REDIS_CACHE_BACKEND = "django.core.cache.backends.redis.RedisCache"
CACHE_URL = env("CACHE_URL", default="") or "locmemcache://"
CACHES = {
    "default": env.cache_url_config(
        CACHE_URL, backend=REDIS_CACHE_BACKEND if CACHE_URL.startswith("redis") else None
    )
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Every script and stylesheet is a file under static/, so the policy allows nothing inline: an
# injected <script> or style attribute does not run. Page data travels in json_script blocks,
# which the browser never executes. A view that needs more widens it with csp.decorators.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form controls' icons (select arrows, checks) as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# A signed media URL leads the browser to the bucket: its origin may show images and videos.
if MEDIA_STORAGE == "s3":
    from apps.media.storage import bucket_origins  # noqa: E402

    _media_origins = bucket_origins(
        endpoint_url=AWS_S3_ENDPOINT_URL,
        bucket=AWS_STORAGE_BUCKET_NAME,
        region=AWS_S3_REGION_NAME,
    )
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += _media_origins
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"] = [SELF, *_media_origins]

# Clinical defaults (docs/clinical.md); every one is editable per program by the clinician.
GREENLIGHT = {
    "DEFAULT_PAIN_CEILING": 3,
    "DEFAULT_GREEN_MAX": 2,
    "FOLLOWUP_AFTER_HOURS": 24,
    # Nudge a patient with an active program after this many days without a workout.
    "INACTIVITY_DAYS": 3,
    # The "stop reminder emails" link in an email works this long after it was sent: a
    # forwarded or leaked old email stops being a key to the account's email setting.
    "UNSUBSCRIBE_LINK_DAYS": env.int("UNSUBSCRIBE_LINK_DAYS", default=60),
    # Progression rule (docs/clinical.md); the ceiling and green band come from each program.
    "PROGRESSION": {
        "TOP_SETS": 3,
        "SESSIONS_TO_PROGRESS": 2,
        "REDS_TO_REGRESS": 2,
        "REGRESS_WINDOW": 3,
        "JUMP_ABOVE_CEILING": 2,
    },
    # A target step rate left blank is the runner's preferred rate plus this
    # (docs/clinical.md: 5–10 %).
    "STEP_RATE_INCREASE_PERCENT": 10,
    # The change history of patient data (apps/history) and the access and sign-in log
    # (apps/audit) are kept this long, then deleted by daily tasks. Six years: HIPAA's term for
    # security documentation, and the longest medical-record retention our clinics are held to.
    "AUDIT_RETENTION_YEARS": env.int("AUDIT_RETENTION_YEARS", default=6),
    # Break-glass: a clinic admin who opens a record outside their care teams, stating a
    # reason, keeps it this long; the care team is told (apps/audit/services.py).
    "BREAK_GLASS_MINUTES": env.int("BREAK_GLASS_MINUTES", default=60),
    # After a patient's erasure request, their pseudonymised clinical record is kept this long,
    # then deleted (apps/records/erasure.py). Ten years: the longest of the medical-record terms
    # our clinics are held to; set your jurisdiction's.
    "RECORD_RETENTION_YEARS": env.int("RECORD_RETENTION_YEARS", default=10),
    # WHO weekly targets for adults; strength sessions are the logged home workouts.
    "WHO_WEEKLY": {"CARDIO_MINUTES": 150, "STRENGTH_SESSIONS": 2},
    # Every patient's stored status is recomputed this often for what time alone changes.
    "STATUS_REFRESH_MINUTES": env.int("STATUS_REFRESH_MINUTES", default=15),
    # Browser sessions end after this long without a request, or this long after signing in,
    # whichever comes first (apps/accounts/middleware.py). Clinicians open many patients' records
    # on shared clinic computers; patients log from their own phone and sign in rarely. Clinic
    # admins use the clinician values.
    "SESSIONS": {
        "clinician": {
            "IDLE_MINUTES": env.int("SESSION_CLINICIAN_IDLE_MINUTES", default=30),
            "ABSOLUTE_HOURS": env.int("SESSION_CLINICIAN_ABSOLUTE_HOURS", default=12),
        },
        "patient": {
            "IDLE_MINUTES": env.int("SESSION_PATIENT_IDLE_MINUTES", default=30 * 24 * 60),
            "ABSOLUTE_HOURS": env.int("SESSION_PATIENT_ABSOLUTE_HOURS", default=30 * 24),
        },
    },
    # Sign-in protection and rate limits (ASVS 5.0 V6.3.1, V6.1.1, V2.4.1), counted in the
    # cache, which production shares between workers. README "Sign-in protection".
    "RATE_LIMITS": {
        # Proxies (addresses or networks) whose X-Forwarded-For is believed; none: REMOTE_ADDR.
        "TRUSTED_PROXIES": env.list("GREENLIGHT_TRUSTED_PROXIES", default=[]),
        "LOGIN": {
            "ACCOUNT_FAILURES": env.int("LOGIN_LOCKOUT_ACCOUNT_FAILURES", default=10),
            "ADDRESS_FAILURES": env.int("LOGIN_LOCKOUT_ADDRESS_FAILURES", default=50),
            "WINDOW_MINUTES": env.int("LOGIN_LOCKOUT_WINDOW_MINUTES", default=15),
            "LOCKOUT_MINUTES": env.int("LOGIN_LOCKOUT_MINUTES", default=15),
        },
        "PASSWORD_RESET": {
            "PER_EMAIL": env("PASSWORD_RESET_RATE_PER_EMAIL", default="5/hour"),
            "PER_ADDRESS": env("PASSWORD_RESET_RATE_PER_ADDRESS", default="20/hour"),
        },
        # GREENLIGHT_RATE_LIMITS=off lifts these per-user limits for load tests; never the above.
        "PER_USER_ENABLED": env("GREENLIGHT_RATE_LIMITS", default="on").lower() != "off",
        "PER_USER": {
            # Messages, workouts and activities together, browser and API alike.
            "writes": env("RATE_LIMIT_WRITES", default="120/hour"),
            # A clinic admin inviting clinicians, a clinician adding patients.
            "invitations": env("RATE_LIMIT_INVITATIONS", default="30/hour"),
        },
    },
}
# The cookie lives as long as the longest session may; the middleware ends shorter ones.
SESSION_COOKIE_AGE = 3600 * max(
    limits["ABSOLUTE_HOURS"] for limits in GREENLIGHT["SESSIONS"].values()
)

# REST API (/api/v1/). Bearer tokens (knox) expire and can be revoked; browser sessions work too.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.common.api.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.common.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": env("API_AUTH_THROTTLE", default="10/minute")},
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=24 * 7)),
    "AUTH_HEADER_PREFIX": "Bearer",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Greenlight API",
    "DESCRIPTION": "Home physical therapy for hip pain: programs, workouts, pain traffic light.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a "kind": each choice set keeps a stable name (activities' came first).
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "apps.painlogs.models.Activity.Kind",
        "MediaKindEnum": "apps.media.models.ExerciseMedia.Kind",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.common.openapi.add_error_responses",
    ],
    # Swagger UI from the vendored npm package, never a CDN.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui-dist-5.35.0",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui-dist-5.35.0/favicon-32x32.png",
}

# Celery. The default broker keeps messages in files under var/ so that `make run` needs no
# server; CELERY_BROKER_URL=redis://... switches to Redis with the same code path.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = BASE_DIR / "var" / "broker"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "store_processed": False,
        # The exchange table, which kombu would otherwise write to ./control wherever it runs.
        "control_folder": str(_queue_dir.parent / "broker-control"),
    }
    # The file transport has no broadcast channel for remote control.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    # Every reminder decision is idempotent, so a tick every minute (or two beats) is safe.
    "reminders-tick": {"task": "apps.reminders.tasks.reminders_tick", "schedule": 60.0},
}

# Every line goes through one redacting filter (apps/common/logging.py): request paths carry
# password-reset, invitation and unsubscribe tokens. Django's own "django" handlers would print
# before it, so that logger only propagates; runserver's access lines get the filter too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "apps.common.logging.RedactSecretsFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# --- Delivery: outbox, retries, time limits and timeouts ------------------------------------
# Everything about getting reminders, alerts and their emails out despite broken parts lives in
# this one block (README, "Delivery guarantees"); the values above it are not repeated here
# except where this block deliberately replaces them.

# Failed emails and checks are retried after these minutes (then marked failed, shown in-app
# and re-sendable): hours, not seconds, so an outage of an hour loses nothing.
GREENLIGHT["DELIVERY_RETRY_MINUTES"] = [
    float(m) for m in env.list("DELIVERY_RETRY_MINUTES", default=["1", "5", "15", "60", "180"])
]
# The sweeper re-queues due rows every SWEEP seconds once they have waited GRACE seconds since
# they were last handed to the broker (the publish on commit normally wins).
GREENLIGHT["DELIVERY_SWEEP_SECONDS"] = env.float("DELIVERY_SWEEP_SECONDS", default=60)
GREENLIGHT["DELIVERY_GRACE_SECONDS"] = env.float("DELIVERY_GRACE_SECONDS", default=120)
GREENLIGHT["DELIVERY_BATCH"] = env.int("DELIVERY_BATCH", default=500)
# Emails travel to a worker in messages of this many ids and go out over one SMTP connection:
# a morning of 100,000 reminders is 2,000 broker messages, not 100,000 connections.
GREENLIGHT["DELIVERY_EMAIL_BATCH"] = env.int("DELIVERY_EMAIL_BATCH", default=50)
# After the SMTP server refuses or times out, a worker process stops trying for this long and
# defers its emails (without using up their attempts) instead of waiting on every one.
GREENLIGHT["SMTP_PAUSE_SECONDS"] = env.float("SMTP_PAUSE_SECONDS", default=30)
REMINDER_TICK_SECONDS = env.float("REMINDER_TICK_SECONDS", default=60)

# A silent dependency must cost a bounded wait: a connection in DATABASE_CONNECT_TIMEOUT, a
# query in DATABASE_STATEMENT_TIMEOUT_MS, a dead TCP peer in DATABASE_TCP_USER_TIMEOUT_MS, and
# a whole request's database work in DATABASE_REQUEST_DEADLINE seconds (after which
# DatabaseUnavailableMiddleware cuts the connection and answers 503). Gunicorn's --timeout must
# stay above the deadline, or it kills the worker before the 503 is written.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=5),
            "options": "-c statement_timeout={}".format(
                env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=15000)
            ),
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": env.int("DATABASE_TCP_USER_TIMEOUT_MS", default=20000),
        }
    )
    # Persistent connections are checked before reuse, so a cut one fails fast, not mid-view.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_REQUEST_DEADLINE = env.float("DATABASE_REQUEST_DEADLINE", default=25)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
    if "django.middleware.security.SecurityMiddleware" in MIDDLEWARE
    else 0,
    "apps.common.middleware.DatabaseUnavailableMiddleware",
)

# Every task is idempotent (a row decides), so each is acknowledged only once it has run, and
# a message whose pool process died is put back instead of dropped.
CELERY_TASK_ACKS_LATE = True  # replaces the acks-early default above
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
# A claimed email belongs to its worker a little longer than a task may live, never less:
# 120 s by default, which is also how long a crashed send waits before it is tried again.
GREENLIGHT["EMAIL_LEASE_SECONDS"] = CELERY_TASK_TIME_LIMIT + max(5, CELERY_TASK_TIME_LIMIT // 3)
# A running send is left to finish when the broker connection drops: its row lease already
# stops a second send, and killing it mid-SMTP would be what causes a duplicate.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for the broker, forever
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3)
# The scheduler's tasks have their own queue so that an email backlog never delays them.
# Workers consume every queue listed here unless given -Q.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES: dict[str, dict] = {"celery": {}, "scheduler": {}}
CELERY_TASK_ROUTES = {
    "apps.reminders.tasks.reminders_tick": {"queue": "scheduler"},
    "apps.reminders.tasks.delivery_sweep": {"queue": "scheduler"},
    "apps.history.tasks.history_prune": {"queue": "scheduler"},
    "apps.records.tasks.erasure_purge": {"queue": "scheduler"},
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The file broker keeps its exchange table with the queues, not in the working tree.
    CELERY_BROKER_TRANSPORT_OPTIONS["control_folder"] = str(_queue_dir / "control")
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _broker_timeout = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3)
    # Redis redelivers a message nobody acknowledged after visibility_timeout seconds. It must
    # outlast the longest wait a reserved message can see: the longest retry countdown
    # (DB errors: 60 s) plus two hard time limits (one queued behind a running task). A killed
    # worker's messages come back after it; their rows are re-sent sooner, by the sweeper.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int(
            "CELERY_VISIBILITY_TIMEOUT", default=60 + 2 * CELERY_TASK_TIME_LIMIT + 60
        ),
        # Without these a publish to a Redis that stopped answering waits forever.
        "socket_connect_timeout": _broker_timeout,
        "socket_timeout": _broker_timeout,
    }
CELERY_BEAT_SCHEDULE = {
    "reminders-tick": {
        "task": "apps.reminders.tasks.reminders_tick",
        "schedule": REMINDER_TICK_SECONDS,
        # A tick queued while the worker was down is worthless once the next one exists.
        "options": {"expires": REMINDER_TICK_SECONDS},
    },
    "delivery-sweep": {
        "task": "apps.reminders.tasks.delivery_sweep",
        "schedule": GREENLIGHT["DELIVERY_SWEEP_SECONDS"],
        "options": {"expires": GREENLIGHT["DELIVERY_SWEEP_SECONDS"]},
    },
    "history-prune": {
        "task": "apps.history.tasks.history_prune",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    "erasure-purge": {
        "task": "apps.records.tasks.erasure_purge",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
    "audit-retention": {
        "task": "apps.audit.tasks.audit_retention",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
    # What time alone changes in a patient's status (a session becoming missed at their
    # midnight, a red session ageing out of its week); every write refreshes it at once.
    "tokens-expired-delete": {
        "task": "apps.accounts.tasks.tokens_expired_delete_task",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
    "status-refresh": {
        "task": "apps.review.tasks.statuses_refresh_task",
        "schedule": GREENLIGHT["STATUS_REFRESH_MINUTES"] * 60.0,
        "options": {"expires": GREENLIGHT["STATUS_REFRESH_MINUTES"] * 60},
    },
}

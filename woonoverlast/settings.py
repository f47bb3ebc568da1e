"""Settings for Woonoverlast, read from environment variables.

Every variable and its default is listed in README.md. The defaults give a newcomer a working
app (SQLite file, tasks in-process); production switches by environment only.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from woonoverlast.logs import configure_structlog, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

INSECURE_DEV_SECRET_KEY = "django-insecure-woonoverlast-development-only"

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == INSECURE_DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "woonoverlast.accounts",
    "woonoverlast.audit",
    "woonoverlast.cases",
    "woonoverlast.followups",
    "woonoverlast.intake",
    "reports",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "woonoverlast.api",
    "woonoverlast.measures",
    "woonoverlast.documents",
    "woonoverlast.submissions",
    # Events for other systems: the outbox, abonnementen and their deliveries.
    "woonoverlast.events",
    "woonoverlast.archiving",
    "woonoverlast.overleg",
    # /gezondheid/ and `manage.py health_check` (woonoverlast/health.py).
    "health_check",
    "django_structlog",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (X-Request-ID from nginx).
    "woonoverlast.logs.RequestIdMiddleware",
    # A NUL byte in the address is refused before anything looks it up (PostgreSQL cannot).
    "woonoverlast.views.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "woonoverlast.db_router.ReadYourWritesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) and no caching of signed-in pages.
    "csp.middleware.CSPMiddleware",
    "woonoverlast.accounts.middleware.NoStoreWhenSignedInMiddleware",
    "woonoverlast.audit.middleware.AuditContextMiddleware",
    "woonoverlast.accounts.middleware.SessionLimitMiddleware",
    "woonoverlast.accounts.two_factor.TwoFactorEnforcementMiddleware",
    # A koppeling (partner system account) reaches the API only.
    "woonoverlast.accounts.access.ApplicationAccountMiddleware",
    # A ketenpartner (partner organisation's contact) reaches /partner/ only.
    "woonoverlast.overleg.access.PartnerAccountMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "woonoverlast.urls"
WSGI_APPLICATION = "woonoverlast.wsgi.application"

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
                "woonoverlast.accounts.context_processors.roles",
                "woonoverlast.accounts.oidc.sso_enabled",
                "woonoverlast.followups.context_processors.notifications",
                "woonoverlast.intake.context_processors.intake",
                "woonoverlast.overleg.context_processors.overleg",
            ],
        },
    },
]
# Django's form templates, with the select boxes written in Python (docs/performance.md).
FORM_RENDERER = "woonoverlast.common.form_renderer.FormRenderer"

# Database: a SQLite file in the project folder unless DATABASE_URL says otherwise,
# e.g. postgres://postgres@127.0.0.1:5432/woonoverlast
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A persistent connection is tested before each request reuses it, so the app recovers by
# itself after PostgreSQL restarts (one failed request at most, then a fresh connection).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Options of this process's connections to PostgreSQL:
# - JIT off (the replica's too): it compiles a query's expressions once its estimated cost
#   passes jit_above_cost, which the app's short queries cross by estimate alone (a due
#   list's query: 4.6 ms of work, 17 ms of compiling); no report gained from it (Tabel
#   5.1's SQL 360 ms with and without, docs/performance.md).
# - parallel query on the primary (max_parallel_workers_per_gather; unset: the server's
#   own): the web unit sets 0, so that one person's yearly report cannot take every core
#   from the others' pages for a second (docs/performance.md, the load test); the worker's
#   exports keep the server's setting.
PARALLEL_WORKERS = env.int("DATABASE_PARALLEL_WORKERS", default=None)


def _with_postgresql_options(database: dict, *settings: str) -> dict:
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        given = [options["options"]] if options.get("options") else []
        options["options"] = " ".join([*given, *(f"-c {setting}" for setting in settings)])
    return database


_with_postgresql_options(
    DATABASES["default"],
    "jit=off",
    *(
        [f"max_parallel_workers_per_gather={PARALLEL_WORKERS}"]
        if PARALLEL_WORKERS is not None
        else []
    ),
)

# Optional read replica (PostgreSQL streaming replication): the heavy report queries read
# from it, everything else from the primary (woonoverlast/db_router.py). Reports fall back
# to the primary while the replica is down or lags more than REPLICA_MAX_LAG_SECONDS,
# checked at most once per REPLICA_CHECK_SECONDS per process.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = _with_postgresql_options(env.db("DATABASE_REPLICA_URL"), "jit=off")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # A replica that is down must not hold a report up for long.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Tests use the primary's test database under this alias too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["woonoverlast.db_router.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=30)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache: the intake's rate limit and the stored Tabel 5.1 (reports/stored.py). Each
# process has its own memory cache by default; CACHE_URL=redis://127.0.0.1:6379/1 shares one
# Redis between the processes (production: the rate limit must be counted across them).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses log-ins while a user name is locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    # Passwords: Django's own check, unless LOCAL_LOGIN_ENABLED is off (accounts.oidc).
    "woonoverlast.accounts.oidc.LocalPasswordBackend",
    # Single sign-on (OIDC_ENABLED): does nothing unless it is on and the provider answers.
    "woonoverlast.accounts.oidc.SsoBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts for one user name
# from one address, that combination is locked for AXES_COOLOFF_MINUTES. Locking the
# combination, not the address alone, keeps one mistyping colleague behind the municipality's
# shared address from locking out the whole team.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A refusal at the SSO callback is no password guess (it needs a code from the provider, which
# throttles its own log-in) and has no user name: counted, it would lock the callback for
# everyone behind the same address (accounts.oidc.axes_whitelisted).
AXES_WHITELIST_CALLABLE = "woonoverlast.accounts.oidc.axes_whitelisted"
# The client's address as the rate limit and the audit log see it (behind TRUSTED_PROXIES).
# Password reset links: PASSWORD_RESET_RATE_LIMIT requests per client address per
# PASSWORD_RESET_RATE_LIMIT_MINUTES (woonoverlast.ratelimit).
PASSWORD_RESET_RATE_LIMIT = env.int("PASSWORD_RESET_RATE_LIMIT", default=5)
PASSWORD_RESET_RATE_LIMIT_MINUTES = env.int("PASSWORD_RESET_RATE_LIMIT_MINUTES", default=60)
AXES_CLIENT_IP_CALLABLE = "woonoverlast.client_address.client_ip"

# The proxies in front of the app (addresses or networks, e.g. 127.0.0.1,::1 for nginx on the
# same machine): only from them is X-Forwarded-For believed (woonoverlast.client_address).
# Empty: the app is reached directly and the peer's address is the client's.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Two-factor verification (TOTP) is optional for everyone; switched on, team leaders must use it.
TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = env.bool("TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER", default=False)
# A ketenpartner account (outside the municipality, sees case data) must use it by default.
TWO_FACTOR_REQUIRED_FOR_KETENPARTNER = env.bool(
    "TWO_FACTOR_REQUIRED_FOR_KETENPARTNER", default=True
)
OTP_TOTP_ISSUER = "Woonoverlast Zoetermeer"

# Sessions end after SESSION_IDLE_MINUTES without activity and, whatever the activity,
# SESSION_MAX_HOURS after logging in (accounts.middleware.SessionLimitMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = False  # activity renews the session: SessionLimitMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_MAX_AGE = timedelta(hours=env.int("SESSION_MAX_HOURS", default=10))
# Flash messages name people ("Veroorzaker … is toegevoegd"): kept in the session on the
# server, not in a (signed but readable) cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Production hardening: on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): only the app's own scripts, styles and images; no
# inline script or style (put JS and CSS in static/), no plug-ins, no framing, forms post only
# to the app itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Probes of a load balancer or monitoring may ask over plain HTTP on the inside.
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if env.bool("BEHIND_TLS_PROXY", default=False):
    # The proxy in front terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "nl"
# First in line for translations: Django's own Dutch wording where the REST framework's
# catalogue would replace it (woonoverlast/locale/nl/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "woonoverlast" / "locale"]
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = env("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The dossier (woonoverlast.documents): documents, photos and letters. Their bytes live in the
# `dossier` storage: a private folder (MEDIA_ROOT/dossier) that nothing serves, or, with
# DOSSIER_S3_BUCKET set, an S3-compatible object store shared by all app servers.
if env("DOSSIER_S3_BUCKET", default=""):
    STORAGES["dossier"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("DOSSIER_S3_BUCKET"),
            "endpoint_url": env("DOSSIER_S3_ENDPOINT_URL", default=None),
            "region_name": env("DOSSIER_S3_REGION", default=None),
            "access_key": env("DOSSIER_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("DOSSIER_S3_SECRET_ACCESS_KEY", default=None),
            "location": env("DOSSIER_S3_PREFIX", default="dossier"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["dossier"] = {
        "BACKEND": "woonoverlast.documents.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": env("DOSSIER_ROOT", default=None)},
    }
# Largest upload, in megabytes (per file).
DOCUMENT_MAX_UPLOAD_MB = env.int("DOCUMENT_MAX_UPLOAD_MB", default=25)
# Behind nginx: the download view checks access, then lets nginx send the bytes from an
# `internal` location (X-Accel-Redirect) instead of streaming them through Python. Empty: the
# app sends them itself. Only for the filesystem storage; see docs/dossier.md.
DOCUMENT_X_ACCEL_REDIRECT_PREFIX = env("DOCUMENT_X_ACCEL_REDIRECT_PREFIX", default="")
# The woonplaats of the cases' homes, for the place line of a letter's address block
# (`2711 DM  ZOETERMEER`): the cases hold a street, number and postcode, not a place.
CASE_CITY = env("CASE_CITY", default="Zoetermeer")
# LibreOffice for the PDFs of letters and of the dossier; empty or missing: DOCX only.
LIBREOFFICE_BINARY = env("LIBREOFFICE_BINARY", default="soffice")
LIBREOFFICE_TIMEOUT_SECONDS = env.int("LIBREOFFICE_TIMEOUT_SECONDS", default=120)

# Bewaartermijn: personal data of cases closed longer ago than this is anonymised by a daily
# job (woonoverlast.cases.services.retention); the case's facts and figures stay.
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)

# Intake (binnengekomen meldingen). The public form /melden/ accepts INTAKE_RATE_LIMIT
# meldingen per client address per INTAKE_RATE_LIMIT_MINUTES (counted in Django's cache: with
# several server processes, configure a shared cache); each melding must be handled within
# INTAKE_HANDLE_WITHIN_WORKDAYS werkdagen; termijnbewaking reminds when a melder of an open
# case has not been informed for INTAKE_FEEDBACK_AFTER_WEEKS weeks; meldingen that never
# became part of a case are anonymised INTAKE_RETENTION_MONTHS after they were handled.
INTAKE_RATE_LIMIT = env.int("INTAKE_RATE_LIMIT", default=5)
INTAKE_RATE_LIMIT_MINUTES = env.int("INTAKE_RATE_LIMIT_MINUTES", default=60)
INTAKE_HANDLE_WITHIN_WORKDAYS = env.int("INTAKE_HANDLE_WITHIN_WORKDAYS", default=5)
INTAKE_FEEDBACK_AFTER_WEEKS = env.int("INTAKE_FEEDBACK_AFTER_WEEKS", default=6)
INTAKE_RETENTION_MONTHS = env.int("INTAKE_RETENTION_MONTHS", default=12)
# Maatregelen: the zienswijze term (days) a voornemen gets unless the user states another.
MEASURES_ZIENSWIJZE_DAYS = env.int("MEASURES_ZIENSWIJZE_DAYS", default=14)

# Casusoverleg: a partner sees the cases on an overleg's agenda from this many days before the
# meeting until this many days after it (both days included).
OVERLEG_PARTNER_DAYS_BEFORE = env.int("OVERLEG_PARTNER_DAYS_BEFORE", default=7)
OVERLEG_PARTNER_DAYS_AFTER = env.int("OVERLEG_PARTNER_DAYS_AFTER", default=14)

# Celery: with no broker configured, tasks run in-process (eagerly), so `make run` needs
# nothing else running. Set CELERY_BROKER_URL=redis://127.0.0.1:6379/0 to use a worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=None)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis only: a task whose worker died unacknowledged (acks_late) is delivered again after
# this many seconds; keep it longer than the longest export. RabbitMQ redelivers at once.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for such tasks: often enough for the timeout above.
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 10)),
}
# Daily jobs, in TIME_ZONE (CELERY_TIMEZONE above). Only a running beat process
# (`celery -A woonoverlast beat`, or `worker -B`) acts on this; without one, the commands
# `termijnbewaking` and `bewaartermijn` run the same jobs by hand.
CELERY_BEAT_SCHEDULE = {
    # Archiving (Selectielijst 2020): on the first of the month, the vernietigingslijst
    # proposals (cases past their archiefactiedatum; log-in events older than six months).
    # Nothing is destroyed until a team leader reviewed and the archivaris approved a list.
    "vernietigingslijst-maandelijks": {
        "task": "archiving.propose_lists",
        "schedule": crontab(day_of_month=1, hour=2, minute=30),
    },
    "termijnbewaking-dagelijks": {
        "task": "followups.daily_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "meldingen-anonimiseren": {
        "task": "intake.anonymise",
        "schedule": crontab(hour=2, minute=45),
    },
    # Answers kept for Idempotency-Key hold personal data: gone after IDEMPOTENCY_HOURS.
    "idempotentie-opruimen": {
        "task": "api.purge_idempotent_requests",
        "schedule": crontab(hour=3, minute=0),
    },
    "exports-verlopen": {
        "task": "reports.expire_exports",
        "schedule": crontab(minute="*/10"),
    },
}
# A waiting or running export that has not moved for this long is marked failed (its worker
# or process was killed): by its page and by the periodic task above.
EXPORT_STALE_MINUTES = env.int("EXPORT_STALE_MINUTES", default=30)

# E-mail (the daily digest): printed on the console unless EMAIL_URL names an SMTP server,
# e.g. smtp+tls://user:password@smtp.example.org:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":  # noqa: F821
    # django-environ drops the leading slash of filemail:///srv/woonoverlast/mail (it reads
    # the path as relative): the URL's path is absolute.
    from urllib.parse import unquote, urlsplit

    _email_url = urlsplit(env("EMAIL_URL"))
    EMAIL_FILE_PATH = unquote(_email_url.netloc + _email_url.path) or str(BASE_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Woonoverlast <woonoverlast@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the app as users reach it: links in e-mails are built from it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The REST API (/api/v1/, woonoverlast/api): token or session, problem+json errors, one rate
# limit per token. Every view sets its own permission classes (rules of accounts.roles); the
# default refuses everything.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: a request without credentials gets 401 with WWW-Authenticate: Token.
        "woonoverlast.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["woonoverlast.api.permissions.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["woonoverlast.api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["woonoverlast.api.parsers.JsonParser"],
    "DEFAULT_SCHEMA_CLASS": "woonoverlast.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "woonoverlast.api.problems.exception_handler",
    "NON_FIELD_ERRORS_KEY": "algemeen",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Requests per token (or signed-in user, or address) and period: N/second|minute|hour|day.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="600/minute")
# How long a POST's Idempotency-Key is remembered.
IDEMPOTENCY_HOURS = 24
SPECTACULAR_SETTINGS = {
    "TITLE": "Woonoverlast API",
    "DESCRIPTION": (
        "Casussen, maatregelen en Tabel 5.1 van team Woonoverlast voor andere systemen. "
        "Inloggen met `Authorization: Token <sleutel>` (of de sessie van de browser). Fouten "
        "zijn `application/problem+json` (RFC 9457)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the app's own static files, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets with the same field name get their own names in the schema: two called
    # "status" (a case's and a binnengekomen melding's), two called "soort".
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "woonoverlast.cases.choices.Status",
        "IntakeStatusEnum": "woonoverlast.intake.choices.IntakeStatus",
        "ActieSoortEnum": "woonoverlast.cases.choices.ActionType",
        "MaatregelSoortEnum": "woonoverlast.measures.choices.MeasureKind",
        "VernietigingslijstSoortEnum": "woonoverlast.archiving.choices.ListKind",
        "VernietigingslijstStatusEnum": "woonoverlast.archiving.choices.ListStatus",
    },
}

# Logs: one JSON object per line in production (LOG_FORMAT=json, the default when DEBUG is
# off), readable lines in development; every line of a request or task carries its
# request_id (woonoverlast/logs.py). No query strings, form data or client addresses.
LOG_FORMAT = env("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = logging_config(level=env("LOG_LEVEL", default="INFO"), log_format=LOG_FORMAT)
configure_structlog()
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True

# Events for other systems (woonoverlast.events): each delivery is retried with exponential
# back-off (base, 2 x base, 4 x base, ... at most six hours) up to EVENTS_MAX_ATTEMPTS times,
# then it is failed and waits on the team leaders' page. The sweeper runs every minute.
EVENTS_RETRY_BASE_SECONDS = env.int("EVENTS_RETRY_BASE_SECONDS", default=30)
EVENTS_MAX_ATTEMPTS = env.int("EVENTS_MAX_ATTEMPTS", default=10)
EVENTS_DELIVERY_TIMEOUT_SECONDS = env.int("EVENTS_DELIVERY_TIMEOUT_SECONDS", default=10)
CELERY_BEAT_SCHEDULE["notificaties-afleveren"] = {
    "task": "events.deliver_due",
    "schedule": 60.0,
}
# Events delivered to every subscriber (or wanted by none) are deleted this many days after
# they were written and delivered; pending and failed ones stay until they are delivered.
EVENTS_RETENTION_DAYS = env.int("EVENTS_RETENTION_DAYS", default=30)
if EVENTS_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("EVENTS_RETENTION_DAYS must be at least 1")
CELERY_BEAT_SCHEDULE["notificaties-opruimen"] = {
    "task": "events.purge",
    "schedule": crontab(hour=3, minute=15),
}

# Single sign-on with the municipality's identity provider, OpenID Connect (accounts.oidc,
# docs/deployment.md "Single sign-on"). Off by default: `make run` keeps the demo log-ins.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_DISCOVERY_URL = env("OIDC_DISCOVERY_URL", default="")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid profile email")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
# "group=role,group=role"; empty: a group named like a role (casemanager, ...) is that role.
OIDC_GROUP_ROLES = env.dict("OIDC_GROUP_ROLES", default={})
OIDC_USER_CLAIM = env("OIDC_USER_CLAIM", default="sub")
OIDC_MFA_AMR = env.list("OIDC_MFA_AMR", default=["mfa", "otp", "hwk", "swk", "fido"])
OIDC_MFA_ACR = env.list("OIDC_MFA_ACR", default=[])
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
# mozilla-django-oidc: PKCE, nonce and state; the ID token kept for the log-out at the provider.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_CALLBACK_CLASS = "woonoverlast.accounts.oidc.SsoCallbackView"
LOGIN_REDIRECT_URL_FAILURE = "login"
# Local passwords: off for everyone but the break-glass account, once SSO works.
LOCAL_LOGIN_ENABLED = env.bool("LOCAL_LOGIN_ENABLED", default=True)
LOCAL_LOGIN_BREAK_GLASS = env("LOCAL_LOGIN_BREAK_GLASS", default="")

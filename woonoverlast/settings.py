"""Settings for Woonoverlast, read from environment variables.

Every variable and its default is listed in README.md. The defaults give a newcomer a working
app (SQLite file, tasks in-process); production switches by environment only.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

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
    "reports",
    "woonoverlast.submissions",
    "woonoverlast.measures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "woonoverlast.audit.middleware.AuditContextMiddleware",
    "woonoverlast.accounts.middleware.SessionLimitMiddleware",
    "woonoverlast.accounts.two_factor.TwoFactorEnforcementMiddleware",
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
                "woonoverlast.followups.context_processors.notifications",
            ],
        },
    },
]

# Database: a SQLite file in the project folder unless DATABASE_URL says otherwise,
# e.g. postgres://postgres@127.0.0.1:5432/woonoverlast
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses log-ins while a user name is locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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

# Two-factor verification (TOTP) is optional for everyone; switched on, team leaders must use it.
TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = env.bool("TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER", default=False)
OTP_TOTP_ISSUER = "Woonoverlast Zoetermeer"

# Sessions end after SESSION_IDLE_MINUTES without activity and, whatever the activity,
# SESSION_MAX_HOURS after logging in (accounts.middleware.SessionLimitMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = False  # activity renews the session: SessionLimitMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_MAX_AGE = timedelta(hours=env.int("SESSION_MAX_HOURS", default=10))

# Production hardening: on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if env.bool("BEHIND_TLS_PROXY", default=False):
    # The proxy in front terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "nl"
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

# Bewaartermijn: personal data of cases closed longer ago than this is anonymised by a daily
# job (woonoverlast.cases.services.retention); the case's facts and figures stay.
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)

# Maatregelen: the zienswijze term (days) a voornemen gets unless the user states another.
MEASURES_ZIENSWIJZE_DAYS = env.int("MEASURES_ZIENSWIJZE_DAYS", default=14)

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
# Daily jobs, in TIME_ZONE (CELERY_TIMEZONE above). Only a running beat process
# (`celery -A woonoverlast beat`, or `worker -B`) acts on this; without one, the commands
# `termijnbewaking` and `bewaartermijn` run the same jobs by hand.
CELERY_BEAT_SCHEDULE = {
    "bewaartermijn": {
        "task": "woonoverlast.cases.tasks.anonymise_past_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    "termijnbewaking-dagelijks": {
        "task": "followups.daily_digest",
        "schedule": crontab(hour=7, minute=0),
    },
}

# E-mail (the daily digest): printed on the console unless EMAIL_URL names an SMTP server,
# e.g. smtp+tls://user:password@smtp.example.org:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Woonoverlast <woonoverlast@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the app as users reach it: links in e-mails are built from it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes logs every start-up at INFO; its failures (WARNING) still show.
    "loggers": {"axes": {"level": "WARNING"}},
}

"""Zeren settings: every value comes from the environment and bad values fail loudly."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no setting; anything but a clear yes or no is an error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """Read a whole-number setting; anything else (or below ``minimum``) is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DATA_DIR = Path(os.environ.get("ZEREN_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_from_file(name: str, make) -> str:
    """Return a secret kept in the data directory, creating it (mode 0600) on first use."""
    path = DATA_DIR / "keys" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _secret_from_file(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
# Keys for personal data at rest: hex strings, never stored in the database.
ZEREN_SM4_KEY = os.environ.get("ZEREN_SM4_KEY") or _secret_from_file(
    "sm4.key", lambda: secrets.token_hex(16)
)
ZEREN_HASH_KEY = os.environ.get("ZEREN_HASH_KEY") or _secret_from_file(
    "sm3-hmac.key", lambda: secrets.token_hex(32)
)

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "huey.contrib.djhuey",
    "zeren.core",
    "zeren.org",
    "zeren.people",
    "zeren.catalogue",
    "zeren.permits",
    "zeren.supervision",
    "zeren.cases",
    "zeren.funds",
    "zeren.certificates",
    "zeren.statistics",
    "zeren.portal",
    "zeren.api",
]

# A capability is one folder: every package of zeren with an apps.py is installed, the ones
# not listed above just before the portal (zeren.core.registry wires their pages, API,
# verbs, demo and home card).
INSTALLED_APPS[INSTALLED_APPS.index("zeren.portal") : INSTALLED_APPS.index("zeren.portal")] = [
    app
    for app in sorted(f"zeren.{p.parent.name}" for p in BASE_DIR.glob("*/apps.py"))
    if app not in INSTALLED_APPS
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zeren.core.middleware.RequestSizeMiddleware",
    "zeren.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zeren.core.middleware.AuditContextMiddleware",
    "zeren.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "zeren.urls"
WSGI_APPLICATION = "zeren.wsgi.application"

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
                "zeren.core.context_processors.site",
                "zeren.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zeren.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the job consumer write while the web server reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["zeren.core.backends.RoleBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "portal-home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Security: sessions end with the browser and after an idle hour.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("ZEREN_SESSION_SECONDS", 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SECURE = env_bool("ZEREN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "zeren.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "zeren.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "zeren.api.parsers.CleanJSONParser",
        "zeren.api.parsers.CleanFormParser",
        "zeren.api.parsers.CleanMultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "责任清单履职系统 API",
    "DESCRIPTION": "Zeren 的 REST 接口。个人敏感信息一律脱敏返回。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Background jobs: SQLite store by default, Redis when ZEREN_REDIS_URL is set.
REDIS_URL = os.environ.get("ZEREN_REDIS_URL", "")
HUEY = {
    "name": "zeren",
    "immediate": env_bool("ZEREN_HUEY_IMMEDIATE", False),
    "utc": False,  # periodic schedules are written in Beijing time
    "consumer": {"workers": env_int("ZEREN_WORKERS", 2, minimum=1), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "jobs.sqlite3")})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZEREN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Public report form: reports and status look-ups per client address and clock hour; days
# for the ad-hoc inspection a report about a licence opens.
ZEREN_REPORTS_PER_HOUR = env_int("ZEREN_REPORTS_PER_HOUR", 5, minimum=1)
ZEREN_REPORT_LOOKUPS_PER_HOUR = env_int("ZEREN_REPORT_LOOKUPS_PER_HOUR", 30, minimum=1)
ZEREN_REPORT_TASK_DAYS = env_int("ZEREN_REPORT_TASK_DAYS", 15, minimum=1)
# Public certificate verification: look-ups per client address and clock hour.
ZEREN_CERT_VERIFY_PER_HOUR = env_int("ZEREN_CERT_VERIFY_PER_HOUR", 30, minimum=1)
# The largest request body (spreadsheets, documents) accepted, in MB.
ZEREN_MAX_UPLOAD_MB = env_int("ZEREN_MAX_UPLOAD_MB", 20, minimum=1)
# Reverse proxies in front of Zeren that append to X-Forwarded-For (0: clients connect directly).
ZEREN_PROXY_COUNT = env_int("ZEREN_PROXY_COUNT", 0)
ZEREN_LOCKOUT_FAILURES = env_int("ZEREN_LOCKOUT_FAILURES", 5, minimum=1)

# The county this deployment serves by default (GB/T 2260 code).
ZEREN_DEFAULT_COUNTY = os.environ.get("ZEREN_COUNTY", "130525")

# Tables (persons, permits): Bootstrap 5 markup, scrolling sideways on small screens.
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

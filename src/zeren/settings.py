"""Zeren settings: every value comes from the environment and bad values fail loudly."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import tempfile
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
        # Written whole under a temporary name, then linked into place: two processes starting
        # together (two test workers, two servers) never read a half-written key, and the one
        # that loses the race reads the winner's.
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(make())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
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
# Key of the audit logs' hash chain (HMAC-SM3), kept like the others.
ZEREN_AUDIT_KEY = os.environ.get("ZEREN_AUDIT_KEY") or _secret_from_file(
    "audit-hmac.key", lambda: secrets.token_hex(32)
)

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A refused form post shows the project's own Chinese 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "zeren.portal.views.csrf_failure"

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "knox",
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
    "zeren.publicservices",
    "zeren.portal",
    "zeren.api",
    "zeren.accounts",
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
    "zeren.accounts.middleware.SecondFactorMiddleware",
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
    {"NAME": "zeren.core.security.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "portal-home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]  # label suffix "：" (locale/zh_Hans/LC_MESSAGES/django.po)
FORMAT_MODULE_PATH = ["zeren.formats"]  # ISO first in date inputs (formats/zh_Hans/formats.py)
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
# HTTPS (docs/operations.md): behind the intranet's TLS proxy set ZEREN_HTTPS=true and
# ZEREN_PROXY_COUNT=1. Plain-HTTP requests are then redirected, browsers are told by HSTS to use
# HTTPS only, and cookies travel only over HTTPS.
ZEREN_HTTPS = env_bool("ZEREN_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("ZEREN_SECURE_COOKIES", ZEREN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = ZEREN_HTTPS
SECURE_HSTS_SECONDS = env_int("ZEREN_HSTS_SECONDS", 31536000 if ZEREN_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZEREN_HSTS_INCLUDE_SUBDOMAINS", ZEREN_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("ZEREN_HSTS_PRELOAD", False)
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    # An intranet host cannot be on the browsers' public preload list; HSTS without preload
    # is the deliberate setting there (docs/operations.md), not an oversight.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# The proxy that terminates TLS says so in X-Forwarded-Proto (it must overwrite, not append).
if env_int("ZEREN_PROXY_COUNT", 0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Tokens first: their WWW-Authenticate header makes a refused token a 401.
        "zeren.accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
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
# API tokens (django-rest-knox): SHA-512 digests at rest, an expiry set on every token (the
# service's ``days``; this TTL is only knox's fallback), never refreshed silently.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model name, not a secret)
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=90),
    "AUTO_REFRESH": False,
    "TOKEN_PREFIX": "zrn_",
}
# Second factor (django-otp TOTP): the issuer name shown in the phone's authenticator app.
OTP_TOTP_ISSUER = "责任清单履职系统"

SPECTACULAR_SETTINGS = {
    "TITLE": "责任清单履职系统 API",
    "DESCRIPTION": (
        "Zeren 的 REST 接口。程序请用 API 令牌认证：请求头 `Authorization: Token zrn_…`，"
        "令牌在“我的账号”页面或用 `zeren token issue` 签发，有有效期，可设为只读，可随时吊销；"
        "不接受用户名密码（Basic）认证。个人敏感信息一律脱敏返回。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, so the schema builds without warnings (check --deploy is clean).
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "zeren.cases.models.CaseKind",
        "PermitKindEnum": "zeren.permits.models.PermitKind",
        "PermitStatusEnum": "zeren.permits.rules.Status.CHOICES",
        "CertificateStatusEnum": "zeren.certificates.rules.Status.CHOICES",
        "EndReasonEnum": "zeren.funds.models.EndReason",
        "LedgerRecordKindEnum": "zeren.ledger.models.Kind",
        "JointMatterKindEnum": "zeren.joint.models.Matter.Kind",
        "JointReplyKindEnum": "zeren.joint.models.Reply.Kind",
        "ServiceGuideKindEnum": "zeren.publicservices.models.ServiceGuide.Kind",
        "StockMovementKindEnum": "zeren.publicservices.models.StockMovement.Kind",
    },
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
    # One cache for every worker and host (cached figures, the published list's contents).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
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
# Public services: online applications per client address and clock hour.
ZEREN_SERVICE_APPLICATIONS_PER_HOUR = env_int("ZEREN_SERVICE_APPLICATIONS_PER_HOUR", 5, minimum=1)
# The largest request body (spreadsheets, documents) accepted, in MB.
ZEREN_MAX_UPLOAD_MB = env_int("ZEREN_MAX_UPLOAD_MB", 20, minimum=1)
# Spreadsheet uploads, checked before they are read (core.spreadsheets.inspect_upload):
# the most data rows and columns of the sheet read, the most bytes the workbook may unpack to,
# and the highest ratio of unpacked to packed size (a zip bomb has thousands).
ZEREN_IMPORT_MAX_ROWS = env_int("ZEREN_IMPORT_MAX_ROWS", 200_000, minimum=1)
ZEREN_IMPORT_MAX_COLUMNS = env_int("ZEREN_IMPORT_MAX_COLUMNS", 200, minimum=1)
ZEREN_IMPORT_MAX_UNPACKED_MB = env_int("ZEREN_IMPORT_MAX_UNPACKED_MB", 400, minimum=1)
ZEREN_IMPORT_MAX_ZIP_RATIO = env_int("ZEREN_IMPORT_MAX_ZIP_RATIO", 100, minimum=2)
# Reverse proxies in front of Zeren that append to X-Forwarded-For (0: clients connect directly).
ZEREN_PROXY_COUNT = env_int("ZEREN_PROXY_COUNT", 0)
ZEREN_LOCKOUT_FAILURES = env_int("ZEREN_LOCKOUT_FAILURES", 5, minimum=1)

# The county this deployment serves by default (GB/T 2260 code).
ZEREN_DEFAULT_COUNTY = os.environ.get("ZEREN_COUNTY", "130525")

# Tables (persons, permits): Bootstrap 5 markup, scrolling sideways on small screens.
DJANGO_TABLES2_TEMPLATE = "django_tables2/zeren.html"  # its pager is templates/_pager.html

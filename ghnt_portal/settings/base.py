"""Settings shared by every environment; everything that differs per machine comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development-only key; production.py refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-ghnt-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    # Not "rest_framework": the API renders JSON and CSV only, and DRF as an app would serve its browsable pages'
    # Bootstrap with source maps (tests/test_static_files.py) and put its Dutch over Django's on every form.
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "programme",
    "measures",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ghnt_portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ghnt_portal.middleware.IdleTimeoutSessionMiddleware",
    "ghnt_portal.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "programme.portal.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "programme.portal.audit.AuditMiddleware",
    # Last, so that it turns a lockout raised anywhere above into the Dutch lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ghnt_portal.urls"
WSGI_APPLICATION = "ghnt_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programme.portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A persistent connection is checked before reuse, so the portal recovers by itself when
        # the database comes back after an outage.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first (the current recommendation); older hashes still verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Axes watches every login attempt first; it never logs anyone in itself.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock out after this many failed logins, counted per user name and, separately, per address; the
# lockout ends after the cool-off time or when an administrator deletes the attempt in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "programme.portal.lockout.lockout_response"
AXES_VERBOSE = False
# Behind a load balancer the client's address is the last one it adds to X-Forwarded-For; without
# TRUSTED_PROXY_COUNT every request would come from the balancer and one person could lock out all.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Project leaders and administrators (staff) need a second factor: TOTP with backup codes.
GHNT_REQUIRE_2FA = env_bool("GHNT_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "GHNT-portaal")
# An administrator never sees a user's authenticator key or its QR code: users set up their own.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The entry grids post three fields per cell (value, shown value, version): the breakdown grid of a region of 21
# municipalities has 21 x 16 cells, over Django's default of 1,000 fields; 5,000 keeps the guard against huge forms.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Sessions live in the database (shared by every app server) and end after this much inactivity, or up to a minute
# less: ghnt_portal.middleware.IdleTimeoutSessionMiddleware pushes the expiry at most once a minute instead of
# saving the session on every request. The engine is Django's database sessions (ghnt_portal.sessions).
SESSION_ENGINE = "ghnt_portal.sessions"
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Several app servers share nothing but the database, and this cache when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Security headers (ghnt_portal.middleware.SecurityHeadersMiddleware): only the portal's own scripts
# and styles, no inline script or style, no framing. plotly.js draws with inline SVG and CSSOM styles,
# which a CSP allows; its global stylesheet is served as a file (static/css/plotly.css).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=(), interest-cohort=()")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Dutch first: the interface speaks Dutch unless the user picks English.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))


def _plotly_package_data() -> Path:
    # plotly.js is served from the installed plotly package so the Python and JS versions always match.
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/plotly", _plotly_package_data()),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "GHNT-portaal <noreply@ghnt.example>")
# Links in mail point here; reminders go out this many days before a period's deadline.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "14"))

# Counts from 1 up to this threshold are shown as "<5" outside the owning region.
SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", "4"))

# Logs go to standard output (the app servers keep no files). The audit trail ("ghnt.audit": logins,
# failed logins, lockouts, refusals, imports, report transitions, exports) is one JSON object per line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ghnt_portal.logformat.JsonLineFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "audit": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "ghnt.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
        # Axes logs every attempt itself; the audit trail already has them, without the noise.
        "axes": {"level": "WARNING"},
    },
}

# The read API (reporting/api/, README "Read API"): tokens or the session, read-only, paged, throttled per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "reporting.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["reporting.api.permissions.HasRole"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "reporting.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "reporting.api.pagination.ApiPagination",
    "DEFAULT_THROTTLE_CLASSES": ["reporting.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_RATE", "1000/hour")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GHNT portal API",
    "DESCRIPTION": "Read-only API of the GHNT portal: the same access rules and small-number protection as the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["reporting.api.permissions.HasRole"],  # login for everything, the schema too
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set where several models call a field "status" or "kind".
    "ENUM_NAME_OVERRIDES": {
        "MeasureStatusEnum": "measures.models.MeasureStatus",
        "BottleneckStatusEnum": "reporting.models.bottlenecks.BottleneckStatus",
        "ReportStatusEnum": "reporting.models.reports.ReportStatus",
        "FigureStatusEnum": "reporting.models.figures.FigureStatus",
        "OrganisationKindEnum": "programme.models.OrganisationKind",
        "PeriodKindEnum": "programme.models.periods.PeriodKind",
        "AggregationEnum": "programme.models.indicators.Aggregation",
    },
}

# CBS StatLine's open data feed (OData v3); `manage.py sync_cbs TABLE` reads a table's municipalities from it.
CBS_ODATA_BASE_URL = os.environ.get("CBS_ODATA_BASE_URL", "https://opendata.cbs.nl/ODataApi/odata")
CBS_ODATA_TIMEOUT = int(os.environ.get("CBS_ODATA_TIMEOUT", "30"))

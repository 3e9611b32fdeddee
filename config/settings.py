"""Settings for the ITA plan application, read from the environment (see .env.example)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.mail import mail_settings

BASE_DIR = Path(__file__).resolve().parent.parent

# The development key keeps tests and first runs working with nothing set; config/wsgi.py
# refuses to serve with it unless DEBUG is on.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
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
    "import_export",
    "django_tables2",
    "simple_history",
    "ita",
    "plans",
    "documents",
    "public",
    "django_tasks",
    "config.apps.TaskQueueConfig",  # django-tasks-db, named in Thai
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL says otherwise (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Computed figures (ita.figures) are cached under keys that carry the data version every
# write bumps, so nothing expires by time. With nothing set the cache is this process's
# memory (zero set-up; each worker fills its own); CACHE_URL or REDIS_URL (redis://...)
# shares one Redis between the workers (docker-compose.yml runs one).
CACHE_URL = env_str("CACHE_URL", "") or env_str("REDIS_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CACHE_URL/REDIS_URL must be a redis://, rediss:// or unix:// URL.")
_FIGURES_CACHE = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "ita",
        "TIMEOUT": None,
    }
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ita-figures",
        "TIMEOUT": None,
        # 3-10 kB a year of an organisation (pickled): 3,000 years stay warm in ~30 MB.
        "OPTIONS": {"MAX_ENTRIES": env_int("FIGURES_CACHE_ENTRIES", 3000)},
    }
)
CACHES = {
    # Login throttles and the public pages set their own timeouts.
    "default": {**_FIGURES_CACHE, "TIMEOUT": 300}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ita-default"},
    "figures": _FIGURES_CACHE,
    # The report charts drawn as glyph outlines for print (documents.exports.pdf), about
    # 50 kB each, 3 per report: kept apart from the small year figures, so a worker holds
    # at most PRINT_CHARTS_CACHE_ENTRIES of them (90: ~5 MB) instead of 3,000 (~150 MB).
    "print-charts": _FIGURES_CACHE
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ita-print-charts",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": env_int("PRINT_CHARTS_CACHE_ENTRIES", 90)},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence files are kept outside MEDIA_ROOT and served only through a view that checks access.
PLANS_EVIDENCE_ROOT = Path(env_str("PLANS_EVIDENCE_ROOT", str(BASE_DIR / "private" / "evidence")))
PLANS_EVIDENCE_MAX_BYTES = env_int("PLANS_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# OIT evidence link checks: seconds per address and per whole check; a thread starts the
# check when it is asked for (off: only the scheduler's check_evidence_links runs them);
# private and loopback addresses are refused unless allowed (the tests' local server).
EVIDENCE_LINKS_TIMEOUT = env_int("EVIDENCE_LINKS_TIMEOUT", 10)
EVIDENCE_LINKS_TOTAL = env_int("EVIDENCE_LINKS_TOTAL", 300)
EVIDENCE_LINKS_IN_THREAD = env_bool("EVIDENCE_LINKS_IN_THREAD", default=True)
EVIDENCE_LINKS_ALLOW_PRIVATE = env_bool("EVIDENCE_LINKS_ALLOW_PRIVATE", default=False)
# Signed copies of the documents (approved plans, signed reports): private, served after an
# access check, never rewritten.
DOCUMENTS_STORED_ROOT = Path(
    env_str("DOCUMENTS_STORED_ROOT", str(BASE_DIR / "private" / "documents"))
)
# Generated documents stored once per content (documents.rendered): private, served after
# the same access check as a fresh render, replaced when what they print changes.
DOCUMENTS_CACHE_ROOT = Path(env_str("DOCUMENTS_CACHE_ROOT", str(BASE_DIR / "private" / "rendered")))
# Plans of this many actions or more are rendered by a background task while the browser
# shows a progress page (documents.tasks); smaller documents render in the request.
DOCUMENTS_BACKGROUND_ACTIONS = env_int("DOCUMENTS_BACKGROUND_ACTIONS", 100)
# After a document built in the worker itself (no child: see DOCUMENTS_BUILD_APART), collect
# garbage and give freed heap back to the system (documents.memory); 0 only for the memory
# benchmark's reference run.
DOCUMENTS_RELEASE_MEMORY = env_bool("DOCUMENTS_RELEASE_MEMORY", default=True)
# Build each document in a forked child, so its working set never raises the worker's peak
# (documents.exports.children); 0 builds in the worker (the memory benchmark's reference).
DOCUMENTS_BUILD_APART = env_bool("DOCUMENTS_BUILD_APART", default=True)
# Tasks: "immediate" (default, zero set-up: a task runs in the request that enqueues it) or
# "database" (django-tasks-db: rows in this database, run by `manage.py db_worker`, the
# worker service of docker-compose.yml).
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# Full links in e-mails (e.g. https://ita.example.go.th); empty means relative paths.
SITE_URL = env_str("SITE_URL", "")
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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# --- E-mail (config/mail.py) ------------------------------------------------------------------
# SMTP unless DEBUG is on and no EMAIL_* variable is set (then mails print to the console).
# Mails are sent after the write commits and retried by the daily notify_overdue run.
_mail = mail_settings(debug=DEBUG)
EMAIL_BACKEND: str = _mail["EMAIL_BACKEND"]
EMAIL_HOST: str = _mail["EMAIL_HOST"]
EMAIL_PORT: int = _mail["EMAIL_PORT"]
EMAIL_HOST_USER: str = _mail["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD: str = _mail["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS: bool = _mail["EMAIL_USE_TLS"]
EMAIL_USE_SSL: bool = _mail["EMAIL_USE_SSL"]
EMAIL_TIMEOUT: int = _mail["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL: str = _mail["DEFAULT_FROM_EMAIL"]
SERVER_EMAIL: str = _mail["SERVER_EMAIL"]
del _mail
# --- end of e-mail block -----------------------------------------------------------------------

# Uploaded spreadsheets are small (one assessment); refuse anything absurd early.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# The container healthcheck asks over plain HTTP from inside; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Security: login throttling and response headers (issue 6; see config/security.py) ------
# Five wrong passwords in a row for one username from one address lock that pair out for
# LOGIN_LOCKOUT_MINUTES. By pair, not by address alone: a whole office often shares one IP.
INSTALLED_APPS += ["config.apps.LoginAttemptsConfig"]  # django-axes, named in Thai
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "config.security.SecurityHeadersMiddleware",
)
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # axes asks to be last
AUTHENTICATION_BACKENDS = [
    "config.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
# Behind reverse proxies every request comes from a proxy's address: take the client's from
# X-Forwarded-For (read by django-ipware), or one user's typos would lock out everyone. Each
# proxy appends the address it was reached from, so with N proxies the client is the N-th entry
# from the right; whatever a client writes into the header itself stays further left and is
# ignored. ipware counts only the proxies listed in the header (all but the nearest): N - 1.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# Failed logins from one address, whatever the username (spraying), before it must wait too.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
# Password-reset mails per hour from one address and to one account.
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 5)
PASSWORD_RESET_ACCOUNT_LIMIT = env_int("PASSWORD_RESET_ACCOUNT_LIMIT", 3)
PASSWORD_RESET_WINDOW_SECONDS = 3600
# --- end of security block ---------------------------------------------------------------------

# --- Server limits: request size, sessions, error pages (config/limits.py, config/errors.py) ---
# Bodies over these sizes get a 413 before anything reads them. Logged-in users attach evidence
# (PLANS_EVIDENCE_MAX_BYTES each) and import spreadsheets; anonymous visitors only log in or
# ask for a password reset. docker/nginx.conf caps bodies at the larger one too.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 25 * 1024 * 1024)
REQUEST_ANONYMOUS_MAX_BYTES = env_int("REQUEST_ANONYMOUS_MAX_BYTES", 64 * 1024)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "config.limits.RequestSizeLimitMiddleware",
)
# Office PCs are shared: a session ends after this many seconds without a request (a working
# day by default); config/sessions.py moves the end forward as the user works.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 8 * 60 * 60)
if SESSION_IDLE_TIMEOUT < 60:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT must be at least 60 seconds.")
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "config.sessions.SessionIdleTimeoutMiddleware",
)
# Connects the login and session receivers of config/security.py and config/sessions.py.
INSTALLED_APPS += ["config.apps.ServerConfig"]
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
# --- end of server limits block ----------------------------------------------------------------
# --- Backups: backup_site / restore_site (backups/) -------------------------------------------
# Last: it reads every other app's tables, so it stands above all of them.
INSTALLED_APPS += ["backups"]
# --- end of backups block ----------------------------------------------------------------------

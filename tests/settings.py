import importlib.util
import tempfile

SECRET_KEY = "tests-only-not-secret-long-enough-for-hmac-sha256-keys"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "tests.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_mcp_bridge",
    "tests.testapp",
]
if importlib.util.find_spec("oauth2_provider") is not None:  # the optional oauth extra
    INSTALLED_APPS.append("oauth2_provider")
    OAUTH2_PROVIDER = {
        "SCOPES": {
            "mcp": "Use the MCP tools",
            "mcp:write": "Change data through MCP tools",
            "reports": "Read reports",
        },
        "DEFAULT_SCOPES": ["mcp"],
        "PKCE_REQUIRED": True,
        "DCR_ENABLED": True,
        "DCR_REGISTRATION_PERMISSION_CLASSES": ("oauth2_provider.dcr.AllowAllDCRPermission",),
        "CIMD_ENABLED": True,
    }
#: The Tasks extension (contrib.tasks) on Django's task framework: django.tasks (Django 6)
#: or the django-tasks backport. Tasks run inside enqueue (ImmediateBackend) unless a
#: test picks the "dummy" backend, which only records them.
TASKS_FRAMEWORK = importlib.util.find_spec("django.tasks") is not None or (
    importlib.util.find_spec("django_tasks") is not None
)
if TASKS_FRAMEWORK:
    _tasks = "django.tasks" if importlib.util.find_spec("django.tasks") else "django_tasks"
    if _tasks == "django_tasks":
        INSTALLED_APPS.append("django_tasks")
    INSTALLED_APPS.append("drf_mcp_bridge.contrib.tasks")
    TASKS = {
        "default": {"BACKEND": f"{_tasks}.backends.immediate.ImmediateBackend"},
        "dummy": {"BACKEND": "tests.task_backends.RecordingBackend"},
    }
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
#: Audited models and request-scoped middleware of real applications (django-simple-history,
#: django-crum, a change-log middleware), when those test dependencies are installed.
HISTORY = all(importlib.util.find_spec(m) is not None for m in ("simple_history", "crum"))
if HISTORY:
    INSTALLED_APPS += ["simple_history", "tests.historyapp"]
    MIDDLEWARE += [
        "simple_history.middleware.HistoryRequestMiddleware",
        "crum.CurrentRequestUserMiddleware",
        "tests.historyapp.middleware.ChangeLogMiddleware",
    ]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon_burst": "3/minute", "user": "1000/minute"},
}
REST_FRAMEWORK_MCP = {
    # Most tests read every tool's schema as an anonymous client; per-user tool lists
    # (the default) are tested with PER_USER_TOOLS on in tests/test_access.py.
    "PER_USER_TOOLS": False,
    "INSTRUCTIONS": "Test server for drf-mcp-bridge.",
    "ALLOWED_ORIGINS": ["http://allowed.example"],
    # Django's test client reports wsgi.multithread False, as a sync worker does, where
    # long-lived streams are refused (tests/test_stream_limits.py tests that).
    "STREAMS_ON_SYNC_WORKERS": True,
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {"drf_mcp_bridge.calls": {"handlers": ["null"], "propagate": False}},
}
STATIC_URL = "static/"
# Uploaded files of the tests go to a fresh directory per run.
MEDIA_ROOT = tempfile.mkdtemp(prefix="drf-mcp-media-")
MEDIA_URL = "/media/"

"""Settings for the benchmarks: one small app, in-memory SQLite, no debug, no call logs."""

import importlib.util

SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True
ROOT_URLCONF = "bench.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "drf_mcp_bridge",
    "bench.benchapp",
]
#: The reference implementation (django-rest-framework-mcp 0.1.0a4 from PyPI), when the
#: benchmark venv has it; it is never a dependency of this package.
HAVE_REFERENCE = importlib.util.find_spec("djangorestframework_mcp") is not None
if HAVE_REFERENCE:
    INSTALLED_APPS.append("djangorestframework_mcp")
MIDDLEWARE: list[str] = []
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"drf_mcp_bridge": {"level": "ERROR"}},
}

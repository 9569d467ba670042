"""Nautobot 3.2.7 configuration for the corpus project (a nautobot_config.py, as `nautobot-server init` writes).

Importable as the plain module `nautobot_config` (cwd = corpus/nautobot) as well as through Nautobot's own loader
(`nautobot-server --config nautobot_config.py`, `nautobot.setup(path)`): Nautobot's settings preprocessing runs at
the end of this file, and is idempotent, so both ways give the same settings.

Database and cache: the private PostgreSQL and Redis that servers.sh starts; their connection details come from the
environment (NAUTOBOT_DB_*, NAUTOBOT_REDIS_*) or else from .state/env, written by servers.sh. No Celery worker.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # urls.py and corpus_app, when loaded by path through Nautobot's loader


def _read_state():
    path = os.path.join(HERE, ".state", "env")
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                key, sep, value = line.strip().partition("=")
                if sep and key not in os.environ:
                    os.environ[key] = value


_read_state()
DB_DIR = os.environ.get("CORPUS_DB_DIR") or os.path.join(os.environ.get("TMPDIR") or "/tmp", "corpus-nautobot")
os.environ.setdefault("NAUTOBOT_ROOT", os.path.join(DB_DIR, "root"))  # media, git, jobs, static: not in ~/.nautobot
os.environ.setdefault("NAUTOBOT_INSTALLATION_METRICS_ENABLED", "False")

from nautobot.core.settings import *  # noqa: E402,F401,F403  (Nautobot's documented way)
from nautobot.core.settings import INSTALLED_APPS  # noqa: E402
from nautobot.core.settings_funcs import parse_redis_connection  # noqa: E402

# nautobot.core.settings may have been imported before this file ran (nautobot-server imports it), so the
# settings it derives from the environment are set again here, from .state/env.
NAUTOBOT_ROOT = os.environ["NAUTOBOT_ROOT"]
GIT_ROOT = os.path.join(NAUTOBOT_ROOT, "git")
JOBS_ROOT = os.path.join(NAUTOBOT_ROOT, "jobs")
MEDIA_ROOT = os.path.join(NAUTOBOT_ROOT, "media")
STATIC_ROOT = os.path.join(NAUTOBOT_ROOT, "static")

SECRET_KEY = "corpus-not-secret-corpus-not-secret-corpus-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLATION_METRICS_ENABLED = False

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("NAUTOBOT_DB_NAME", "nautobot"),
        "USER": os.environ.get("NAUTOBOT_DB_USER", "nautobot"),
        "PASSWORD": os.environ.get("NAUTOBOT_DB_PASSWORD", ""),
        "HOST": os.environ.get("NAUTOBOT_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("NAUTOBOT_DB_PORT", "5432"),
        "CONN_MAX_AGE": 0,
    }
}

# CACHES: Nautobot's default django-redis cache on the private redis-server (NAUTOBOT_REDIS_HOST/PORT from
# .state/env). A locmem cache does not work: Nautobot calls cache.delete_pattern() (saving a Location, tree
# models, custom fields, post_migrate) and cache.lock() (ipam), and constance refuses a locmem cache.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": parse_redis_connection(redis_database=1),
        "TIMEOUT": 300,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "CUSTOM_HEALTH_CHECK_CLASS": "", "PASSWORD": ""},
    }
}
# No Celery worker: tasks run eagerly in the web process, and the broker is kombu's in-memory one.
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

ROOT_URLCONF = "urls"  # Nautobot's URLconf plus mcp/
INSTALLED_APPS = [*INSTALLED_APPS, "drf_mcp_bridge"]
# CORPUS_EXPOSE=urls (default): expose_urls("api/") in corpus_app's ready(); "none": not exposed.
CORPUS_EXPOSE = os.environ.get("CORPUS_EXPOSE", "urls")
if CORPUS_EXPOSE == "urls":
    INSTALLED_APPS.append("corpus_app.apps.CorpusConfig")

REST_FRAMEWORK_MCP = {}
# CORPUS_PER_USER_TOOLS=0: list every tool to every caller (measurement aid; calls are still checked by DRF).
if os.environ.get("CORPUS_PER_USER_TOOLS") == "0":
    REST_FRAMEWORK_MCP["PER_USER_TOOLS"] = False
# CORPUS_FILTER_LOOKUPS=exact (or a comma-separated list): the FILTER_LOOKUPS setting (measurement aid).
if os.environ.get("CORPUS_FILTER_LOOKUPS"):
    _lookups = os.environ["CORPUS_FILTER_LOOKUPS"]
    REST_FRAMEWORK_MCP["FILTER_LOOKUPS"] = _lookups if "," not in _lookups else _lookups.split(",")

# Nautobot's own settings preprocessing (what nautobot.core.cli.load_settings does after loading this file):
# storage directories, the "job_logs" database alias, plugins, event brokers. Idempotent.
from nautobot.core.cli import _preprocess_settings  # noqa: E402

_preprocess_settings(sys.modules[__name__], os.path.abspath(__file__))

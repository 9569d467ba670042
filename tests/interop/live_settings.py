"""Settings for live interop servers: the test app on a file SQLite database."""

import os

from tests.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("INTEROP_DB", "/tmp/drf-mcp-interop.sqlite3"),
        # Server processes and task workers write the same file: WAL lets readers go on
        # beside a writer, IMMEDIATE transactions take the write lock up front (no
        # deadlocked lock upgrades), and a writer waits up to 20 s for the lock.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
}
# The Tasks extension: tasks run by django-tasks-db's `db_worker` processes (started next
# to the server by tests/interop/conftest.py:serve), state in the same database.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT_URLCONF = "tests.interop.live_urls"
# Sessions on (INTEROP_SESSIONS=0: stateless), in a cache every worker process shares.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.path.join(os.path.dirname(DATABASES["default"]["NAME"]), "cache"),
    }
}
REST_FRAMEWORK_MCP = {
    **REST_FRAMEWORK_MCP,  # noqa: F405
    "SESSIONS": os.environ.get("INTEROP_SESSIONS", "1") == "1",
    "SUBSCRIPTIONS": True,  # 2026-07-28 subscriptions/listen
    # The conformance suite and the SDK tests subscribe without signing in.
    "ANONYMOUS_SUBSCRIPTIONS": True,
    # Real servers: long-lived streams are refused on sync workers (gunicorn without
    # --threads), as by default (tests/settings.py allows them for Django's test client).
    "STREAMS_ON_SYNC_WORKERS": False,
    # The Skills extension (SEP-2640), for the conformance suite's sep-2640 scenarios.
    "SKILLS": True,
    # The suite's tasks-* scenarios create tasks without signing in, and poll fast.
    "TASKS_ANONYMOUS": True,
    "TASKS_POLL_INTERVAL_MS": 200,
}
# tests/interop/test_stream_limits.py sets the stream caps and lifetimes of its servers.
for _name in (
    "MAX_STREAMS",
    "MAX_STREAMS_PER_CALLER",
    "GET_STREAM_SECONDS",
    "LISTEN_STREAM_SECONDS",
    "TASKS_HEARTBEAT_SECONDS",  # tests/interop/test_tasks_cluster.py: lost task workers
    "TASKS_LOST_AFTER_SECONDS",
):
    if f"INTEROP_{_name}" in os.environ:
        REST_FRAMEWORK_MCP[_name] = int(os.environ[f"INTEROP_{_name}"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "drf_mcp_bridge": {"handlers": ["stderr"], "level": "WARNING"},
        "drf_mcp_bridge.calls": {"handlers": [], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": [], "propagate": False},
    },
}

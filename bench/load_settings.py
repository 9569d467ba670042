"""The benchmark app on PostgreSQL with Redis as the cache (throttle counts shared by all
workers), for bench/load.sh. Ports come from the environment the script sets."""

import os

from bench.settings import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "bench",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": os.environ.get("BENCH_PG_PORT", "55432"),
        "CONN_MAX_AGE": 300,
    }
}
if os.environ.get("BENCH_ASGI"):
    # Under ASGI every request has its own connection object, so Django's persistent
    # connections would be opened per request and never reused ("persistent connections
    # should be disabled in ASGI mode"): its PostgreSQL pool (psycopg_pool) instead.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 4, "max_size": 16}}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{os.environ.get('BENCH_REDIS_PORT', '56379')}/0",
    }
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    # A throttle that never trips but counts every request in Redis, as a real API would.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "100000000/minute"},
}

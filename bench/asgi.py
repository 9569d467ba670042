"""The benchmark app as an ASGI application (bench/load.sh runs it under uvicorn).

With ``BENCH_TRACEMALLOC=<folder>`` (bench/memory_asgi.sh) the process traces its
allocations, and each SIGUSR1 writes a snapshot there (after a full collection) as
``<pid>-<n>.snap``: what the process holds at that point, by allocating line."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.load_settings")
application = get_asgi_application()

_TRACE_TO = os.environ.get("BENCH_TRACEMALLOC")
if _TRACE_TO:
    import gc
    import itertools
    import signal
    import tracemalloc

    tracemalloc.start(int(os.environ.get("BENCH_TRACEMALLOC_FRAMES", "12")))
    _numbers = itertools.count()

    def _snapshot(signum: int, frame: object) -> None:
        gc.collect()
        path = os.path.join(_TRACE_TO, f"{os.getpid()}-{next(_numbers)}.snap")
        tracemalloc.take_snapshot().dump(path + ".part")
        os.replace(path + ".part", path)

    signal.signal(signal.SIGUSR1, _snapshot)

"""Start a real server for the interop tests: ``python -m tests.interop.serve PORT [settings]``.

Migrates a fresh SQLite file database, seeds users and data, and serves the project on
127.0.0.1:PORT with Django's threaded WSGI server (the one behind ``runserver``), so the
official clients talk to the real endpoint over real HTTP.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """``serve PORT [settings]``; ``serve prepare [settings]`` only migrates and seeds."""
    prepare_only = sys.argv[1] == "prepare"
    port = 0 if prepare_only else int(sys.argv[1])
    settings_module = sys.argv[2] if len(sys.argv) > 2 else "tests.interop.live_settings"
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    from tests.interop.seed import seed

    seed()
    if prepare_only:
        return
    print(f"serving on http://127.0.0.1:{port}/mcp/", flush=True)
    server = os.environ.get("INTEROP_SERVER", "runserver")
    if server == "uvicorn":  # ASGI
        import uvicorn
        from django.core.asgi import get_asgi_application

        uvicorn.run(get_asgi_application(), host="127.0.0.1", port=port, log_level="warning")
        return
    if server == "gunicorn":  # WSGI, the usual production server
        # Sync workers (one request per process) unless INTEROP_GUNICORN_THREADS is set
        # (then gthread workers with that many threads each).
        threads = os.environ.get("INTEROP_GUNICORN_THREADS")
        options = ["--threads", threads] if threads else []
        config = os.environ.get("INTEROP_GUNICORN_CONFIG")  # a gunicorn.conf.py (hooks)
        options += ["--config", config] if config else []
        os.execvp(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "django.core.wsgi:get_wsgi_application()",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                os.environ.get("INTEROP_GUNICORN_WORKERS", "2"),
                "--log-level",
                "warning",
                *options,
            ],
        )
    run("127.0.0.1", port, get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main()

"""WSGI entry point of the benchmark app (bench/load.sh serves it with gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.load_settings")
application = get_wsgi_application()

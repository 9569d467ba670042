"""pretalx 2025.2.2 (its own settings module) with drf_mcp_bridge mounted, API only.

pretalx reads its configuration from a cfg file and PRETALX_* environment variables at import
time, so those are set first; then pretalx.settings is imported whole and a few values are
overridden: SQLite in CORPUS_DB_DIR, locmem cache and mail, eager Celery, no compiled frontend.
"""
import os
import sys
import tempfile
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
DB_DIR = os.environ.get("CORPUS_DB_DIR") or os.path.join(tempfile.gettempdir(), "corpus-pretalx")
os.makedirs(DB_DIR, exist_ok=True)

# pretalx.cfg in this folder (instead of /etc/pretalx/pretalx.cfg, ~/.pretalx.cfg, ./pretalx.cfg).
os.environ["PRETALX_CONFIG_FILE"] = os.path.join(HERE, "pretalx.cfg")
os.environ["PRETALX_DATA_DIR"] = DB_DIR  # data, logs, media, htmlexport go here
os.environ["PRETALX_DB_TYPE"] = "sqlite3"
os.environ["PRETALX_DB_NAME"] = os.path.join(DB_DIR, "db.sqlite3")
os.environ["PRETALX_DEBUG"] = os.environ.get("CORPUS_DEBUG", "False")  # else: True under runserver only
os.environ.pop("PRETALX_CELERY_BROKER", None)  # no broker: CELERY_TASK_ALWAYS_EAGER = True
os.environ.pop("PRETALX_REDIS", None)
os.environ["PRETALX_NO_INITIAL_LOG"] = "1"  # else it prints a banner ("running pretalx as root") to stdout

# CORPUS_SPECTACULAR=1 (default): pretalx only loads drf-spectacular when "spectacular" is in
# sys.argv (its `manage.py spectacular`); otherwise its @extend_schema(...) calls are no-op shims
# (pretalx/api/shims.py). 1 turns the real ones on so the MCP package sees pretalx's annotations.
CORPUS_SPECTACULAR = os.environ.get("CORPUS_SPECTACULAR", "1") == "1"

from pretalx.settings import *  # noqa: E402,F401,F403
from pretalx.settings import INSTALLED_APPS, LOGGING, REST_FRAMEWORK  # noqa: E402

ROOT_URLCONF = "urls"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# No compiled frontend: pretalx's default is whitenoise's CompressedManifestStaticFilesStorage,
# which needs `collectstatic` (and the vite build) to render any template with {% static %}.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = Path(DB_DIR) / "static.dist"  # pretalx does STATIC_ROOT / "pretalx-manifest.json"
STATIC_ROOT.mkdir(exist_ok=True)  # empty; only so whitenoise does not warn "No directory at"
VITE_IGNORE = True  # do not read the vite manifest (there is none: no frontend build)
# Quieter logs (pretalx logs everything at DEBUG to console and file when DEBUG is on).
for _logger in LOGGING["loggers"].values():
    if _logger.get("level") == "DEBUG":
        _logger["level"] = "INFO"
for _handler in LOGGING["handlers"].values():
    if _handler.get("level") == "DEBUG":
        _handler["level"] = "INFO"

INSTALLED_APPS = [*INSTALLED_APPS, "drf_mcp_bridge"]
if CORPUS_SPECTACULAR and "drf_spectacular" not in INSTALLED_APPS:
    INSTALLED_APPS.append("drf_spectacular")
    REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "drf_spectacular.openapi.AutoSchema"
    LOAD_SPECTACULAR = True
# CORPUS_EXPOSE=urls (default): expose_urls("api/") in corpus_app's ready(); "named": the same
# with a name per event-router resource (corpus_app/apps.py); "none": no tools (setup.sh).
CORPUS_EXPOSE = os.environ.get("CORPUS_EXPOSE", "urls")
if CORPUS_EXPOSE in ("urls", "named"):
    INSTALLED_APPS.append("corpus_app.apps.CorpusConfig")

# CORPUS_PER_USER_TOOLS=0: every caller is shown every tool (permissions are still checked
# when a tool is called). Default 1 (the package's default); see REPORT.md for why it matters here.
REST_FRAMEWORK_MCP = {"PER_USER_TOOLS": os.environ.get("CORPUS_PER_USER_TOOLS", "1") == "1"}
if os.environ.get("CORPUS_TOOL_DISCOVERY") == "1":  # find_tools / get_tool_schema / call_tool
    REST_FRAMEWORK_MCP["TOOL_DISCOVERY"] = True

if HERE not in sys.path:
    sys.path.insert(0, HERE)

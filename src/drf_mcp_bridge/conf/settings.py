"""The one ``REST_FRAMEWORK_MCP`` settings dictionary, with typed accessors.

Like DRF's ``api_settings``: read lazily, cached, and reloaded when a test changes the
setting with ``override_settings``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.dispatch import receiver

SETTING_NAME = "REST_FRAMEWORK_MCP"

#: Middleware of the outer HTTP exchange that a tool call's inner request does not go
#: through again (see drf_mcp_bridge.middleware): the ``/mcp`` request already did.
INNER_MIDDLEWARE_EXCLUDED: tuple[str, ...] = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.common.BrokenLinkEmailsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.RemoteUserMiddleware",
    "django.contrib.auth.middleware.PersistentRemoteUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "debug_toolbar.middleware.DebugToolbarMiddleware",
)

DEFAULTS: dict[str, Any] = {
    # Reported in the ``initialize`` result as ``serverInfo``.
    "SERVER_NAME": "drf-mcp-bridge",
    "SERVER_TITLE": None,
    "SERVER_VERSION": None,  # None: the package version
    # Optional ``instructions`` for the model, sent in the ``initialize`` result.
    "INSTRUCTIONS": None,
    # Origins allowed besides same-origin requests and requests without Origin
    # (DNS-rebinding protection, spec 2025-11-25 "Security Warning"). "*" allows any.
    "ALLOWED_ORIGINS": [],
    # Largest JSON-RPC body accepted, in bytes; larger ones get HTTP 413 unread.
    "MAX_REQUEST_BODY_SIZE": 1024 * 1024,
    # Largest number of messages in a 2025-03-26 batch.
    "MAX_BATCH_SIZE": 50,
    # DRF authentication classes for the endpoint itself (who calls tools/list); None:
    # REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES. Tool calls authenticate again with
    # each view's own classes, from the same headers.
    "AUTHENTICATION_CLASSES": None,
    # Answer 401 + WWW-Authenticate to unauthenticated requests (starts a client's auth flow).
    "AUTHENTICATION_REQUIRED": False,
    # drf_mcp_bridge.contrib.oauth (django-oauth-toolkit): scopes every endpoint request
    # needs, scopes a call of a tool that is not read-only needs too (HTTP 403
    # insufficient_scope otherwise), and whether tokens must be bound to the endpoint
    # with an RFC 8707 resource indicator.
    "OAUTH": {"SCOPES": [], "WRITE_SCOPES": [], "REQUIRE_AUDIENCE": True},
    # tools/list shows a tool only to users its permission classes let through.
    "PER_USER_TOOLS": True,
    # Limits on tool arguments: how deeply objects/arrays nest, and the longest string.
    "MAX_ARGUMENT_DEPTH": 32,
    "MAX_ARGUMENT_STRING_LENGTH": 1024 * 1024,
    # Longest result text (characters) sent to the model; longer ones are cut, with a note.
    "MAX_RESULT_SIZE": 256 * 1024,
    # Largest non-JSON response body (a FileResponse, an image, a CSV export) a tool result
    # carries, in bytes before base64; larger ones are refused with a message.
    "MAX_FILE_RESULT_SIZE": 1024 * 1024,
    # Largest file (decoded bytes) a FileField/ImageField argument may carry. Base64 makes
    # the request a third larger: keep MAX_REQUEST_BODY_SIZE above 4/3 of this.
    "MAX_FILE_SIZE": 512 * 1024,
    # The class that turns a view's response into the tool result (error message per
    # status, files, JSON, empty answers): a dotted path to a subclass of
    # drf_mcp_bridge.invocation.renderers.ResultRenderer; a registration's
    # ``result_renderer`` overrides it for its tools.
    "RESULT_RENDERER": "drf_mcp_bridge.invocation.renderers.ResultRenderer",
    # The text block of list results the model reads: "json" (the JSON itself), "toon"
    # (TOON, with the optional toon-format package; the CSV form without it) or "csv"
    # (a header row and RFC 4180 rows). Only tabular lists change, structuredContent never;
    # a registration's ``result_text_format`` overrides it for its tools.
    "RESULT_TEXT_FORMAT": "json",
    # Discovery mode for large APIs: tools/list offers only find_tools, get_tool_schema and
    # call_tool, and the model fetches the schemas it needs (drf_mcp_bridge.discovery).
    "TOOL_DISCOVERY": False,
    # Items per page of tools/list (None: every tool on one page) and resources/list.
    "TOOLS_PAGE_SIZE": None,
    "RESOURCES_PAGE_SIZE": 100,
    # Generated "<resource>_guide" prompts (fields, tools, filtering and paging).
    "AUTO_PROMPTS": True,
    # The Skills extension (io.modelcontextprotocol/skills, SEP-2640): each resource's
    # generated guide is also a skill, skill://<resource>/SKILL.md (skills/list, skills/get).
    "SKILLS": False,
    # A browser opening the endpoint (GET, Accept: text/html) gets the explorer page.
    "BROWSABLE_EXPLORER": True,
    # Optional 2025 sessions (Mcp-Session-Id): the id is signed and carries the version,
    # the client's capability names and the user it belongs to; the log level and resource
    # subscriptions are kept in the cache CACHE_ALIAS. A session lives SESSION_TIMEOUT
    # seconds from initialize. Off: stateless.
    "SESSIONS": False,
    "SESSION_TIMEOUT": 24 * 3600,
    # 2026-07-28 subscriptions/listen streams of resource updates (no session needed).
    "SUBSCRIPTIONS": False,
    # Django cache for sessions, cancellations and replies to server-to-client requests;
    # use a shared one (Redis, Memcached, database) when several processes serve /mcp.
    "CACHE_ALIAS": "default",
    # Answer tools/call as an SSE stream when the client accepts one and the call asked
    # for progress or the tool takes the ``mcp`` call context ("auto"), or never.
    "STREAMING": "auto",
    # Seconds a call waits for the client's answer to elicitation/sampling.
    "INPUT_TIMEOUT": 120,
    # Log level for calls whose client set none (2025 without a session); None: no logs.
    "DEFAULT_LOG_LEVEL": "info",
    # 2026-07-28 cache hint (ttlMs) of list results and server/discover.
    "LIST_TTL_MS": 60_000,
    # completion/complete offers lookup values of drf:// templates from the queryset the
    # list call would return for the caller (filter backends, permissions, throttles).
    "COMPLETION_QUERYSETS": True,
    # Most values one completion/complete answer carries (the specification allows 100).
    "MAX_COMPLETION_VALUES": 100,
    # django-filter lookups list tools take: "all", "exact" (only exact, not negated,
    # filters) or a list of lookup_expr values ("exclude" in it keeps negated filters too);
    # a ViewSet's ``mcp_filter_lookups`` overrides it.
    "FILTER_LOOKUPS": "auto",
    # Modules imported when the app is ready; each registers itself into the core's
    # extension points (drf_mcp_bridge.schema.sources): the core never imports them.
    "EXTENSIONS": [
        "drf_mcp_bridge.contrib.drf_spectacular",
        "drf_mcp_bridge.contrib.django_filter",
        "drf_mcp_bridge.contrib.otel",
        "drf_mcp_bridge.contrib.flex_fields",
    ],
    # Where ViewSet tools' request, query parameter and response schemas come from:
    # "serializers" (this package's own mapping, honouring @extend_schema declarations) or
    # "spectacular" (the operation drf-spectacular's AutoSchema, or the project's
    # subclass of it, generates; compacted to JSON Schema 2020-12).
    "SCHEMA_SOURCE": "serializers",
    # The class that gives DRF-backed tools their title, description and annotations in
    # tools/list: a dotted path to (or a subclass of)
    # drf_mcp_bridge.catalogue.describe.ToolDescriber; a registration's ``describer``
    # overrides it for its tools.
    "TOOL_DESCRIBER": "drf_mcp_bridge.catalogue.describe.ToolDescriber",
    # Longest resource URI accepted (resources/read, subscriptions, completion refs).
    "MAX_URI_LENGTH": 2048,
    # Most resource URIs one session (resources/subscribe) or one listen stream follows.
    "MAX_SUBSCRIPTIONS": 100,
    # Whether anonymous callers may subscribe (resources/subscribe, subscriptions/listen).
    "ANONYMOUS_SUBSCRIPTIONS": False,
    # Seconds between two looks of a listener (GET or listen stream) at its URIs' counters.
    "SUBSCRIPTION_POLL_SECONDS": 0.2,
    # Most cache entries one caller may cause (a session's state, subscriptions, ended
    # sessions) per hour; all anonymous callers share one such budget. Past it the caller
    # is refused until the hour ends. Bounds what the cache can be made to hold.
    "STATE_WRITE_LIMIT": 1000,
    # Longest a call is taken to run: how long its in-flight mark (which cancellations
    # need) lives in the cache.
    "MAX_CALL_SECONDS": 600,
    # SSE streams: most open at once in one process, and per caller; lifetimes in seconds
    # of a session's GET stream and of a subscriptions/listen stream; whether long-lived
    # streams (GET, listen) are served by a WSGI server without threads (each would hold
    # a whole worker process).
    "MAX_STREAMS": 32,
    "MAX_STREAMS_PER_CALLER": 4,
    "GET_STREAM_SECONDS": 300,
    "LISTEN_STREAM_SECONDS": 300,
    "STREAMS_ON_SYNC_WORKERS": False,
    # Seconds between keep-alive comments on a silent SSE stream (proxies close idle
    # ones), and the Retry-After (whole seconds) of a GET stream refused by the caps.
    "STREAM_KEEPALIVE_SECONDS": 15.0,
    "STREAM_RETRY_AFTER_SECONDS": 30,
    # The project's middleware a tool call's inner request goes through (current-user and
    # history middleware, tenants, request ids...): None means settings.MIDDLEWARE minus
    # INNER_MIDDLEWARE_EXCLUDE (None: INNER_MIDDLEWARE_EXCLUDED above); a list replaces it
    # ([]: none).
    "INNER_MIDDLEWARE": None,
    "INNER_MIDDLEWARE_EXCLUDE": None,
    # A tool call's view uses the endpoint's authentication of the same credentials when
    # its authentication classes are the endpoint's (same classes, same order, up to the
    # one that authenticated), instead of running them again (one token lookup less).
    "REUSE_AUTHENTICATION": True,
    # Check each result's structuredContent against the tool's outputSchema (a result
    # that fails is sent without it, and the schema is withdrawn: clients reject content
    # that contradicts a schema). False trusts the serializers: faster on large results.
    "OUTPUT_CHECK": True,
    # The Tasks extension (SEP-2663), with drf_mcp_bridge.contrib.tasks installed:
    # the backend of Django's TASKS and the queue that run them; how long a task lives
    # (ms from its creation while it runs, ms after it ends); the poll interval clients
    # are told; whether anonymous callers get tasks (then the task id is the only
    # credential); most unfinished tasks per caller; seconds between a running task's
    # heartbeats, and without one after which its worker is taken as lost.
    "TASKS_BACKEND": "default",
    "TASKS_QUEUE": "default",
    "TASKS_TTL_MS": 3_600_000,
    "TASKS_RESULT_TTL_MS": 3_600_000,
    "TASKS_POLL_INTERVAL_MS": 1000,
    "TASKS_ANONYMOUS": False,
    "TASKS_MAX_PER_CALLER": 100,
    "TASKS_HEARTBEAT_SECONDS": 5.0,
    "TASKS_LOST_AFTER_SECONDS": 60.0,
}


class MCPSettings:
    """Attribute access to ``settings.REST_FRAMEWORK_MCP`` merged over :data:`DEFAULTS`."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}
        self._listeners: list[Callable[[], None]] = []

    @property
    def user_settings(self) -> dict[str, Any]:
        value = getattr(django_settings, SETTING_NAME, {})
        return dict(value) if isinstance(value, dict) else {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in DEFAULTS:
            raise AttributeError(f"Invalid {SETTING_NAME} setting: {name!r}")
        value = self.user_settings.get(name, DEFAULTS[name])
        default = DEFAULTS[name]
        if isinstance(default, dict) and isinstance(value, dict):
            # Nested settings (OAUTH) are merged over their defaults here, once.
            value = {**default, **value}
        self._cache[name] = value
        # Kept as an instance attribute: later reads do not come here at all (a tool
        # call reads a dozen settings).
        self.__dict__[name] = value
        return value

    def on_reload(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever the settings are reloaded (caches built from them)."""
        self._listeners.append(callback)

    def reload(self) -> None:
        for name in self._cache:
            self.__dict__.pop(name, None)
        self._cache.clear()
        for callback in self._listeners:
            callback()


mcp_settings = MCPSettings()

#: Settings whose change invalidates what was built from them (tool schemas depend on
#: DRF's settings too, e.g. COERCE_DECIMAL_TO_STRING and DEFAULT_PAGINATION_CLASS).
_RELOAD_ON = {SETTING_NAME, "REST_FRAMEWORK", "ROOT_URLCONF", "INSTALLED_APPS", "MIDDLEWARE"}


@receiver(setting_changed)
def _reload_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in _RELOAD_ON:
        mcp_settings.reload()

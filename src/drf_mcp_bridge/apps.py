from importlib import import_module

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


def load_extensions() -> None:
    """Import the ``EXTENSIONS`` modules: each registers itself into the core's extension
    points (``drf_mcp_bridge.schema.sources``); integrations whose library is not
    installed register hooks that find nothing."""
    # Not at import: apps.py is imported while Django fills the app registry.
    from .conf.settings import mcp_settings

    for path in mcp_settings.EXTENSIONS:
        try:
            import_module(str(path))
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"REST_FRAMEWORK_MCP['EXTENSIONS'] names {path!r}, which cannot be imported "
                f"({exc}). List importable modules, or leave the setting out for the "
                "default integrations."
            ) from exc


class RestFrameworkMCPConfig(AppConfig):
    name = "drf_mcp_bridge"
    verbose_name = "Django REST framework MCP"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .catalogue import checks  # noqa: F401  (registers the system checks)

        load_extensions()
        # Not at import: apps.py is imported while Django fills the app registry.
        from .protocol.subscriptions import model_changed

        # Subscribed sessions hear of changes to the objects their resources show.
        post_save.connect(model_changed, dispatch_uid="drf_mcp_bridge.subscriptions")
        post_delete.connect(model_changed, dispatch_uid="drf_mcp_bridge.subscriptions.del")

        # Not at import: apps.py is imported while Django fills the app registry.
        from .transport.streaming import end_streams_when_gunicorn_stops

        # A gunicorn worker told to stop ends its long-lived SSE streams first, instead of
        # waiting out --graceful-timeout for them (docs/deployment.md).
        end_streams_when_gunicorn_stops()

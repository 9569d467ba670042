from django.apps import AppConfig


class RestFrameworkMCPConfig(AppConfig):
    name = "rest_framework_mcp"
    verbose_name = "Django REST framework MCP"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

from tests.interop import fixture_tools  # noqa: F401  (registers the conformance fixtures)
from tests.urls import urlpatterns

__all__ = ["urlpatterns"]

try:  # the async ViewSet, when adrf is installed
    from tests.testapp.async_views import AsyncCategories
except ImportError:  # pragma: no cover
    pass
else:
    from rest_framework_mcp import mcp_tool, mcp_viewset

    mcp_viewset(name="async_categories")(AsyncCategories)

    @mcp_tool(name="async_handler_threads", description="Threads the async handlers ran in.")
    def async_handler_threads() -> dict[str, list[str]]:
        return {"threads": list(AsyncCategories.threads)}

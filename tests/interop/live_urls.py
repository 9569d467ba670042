from tests.interop import fixture_tools  # noqa: F401  (registers the conformance fixtures)
from tests.urls import urlpatterns

__all__ = ["urlpatterns"]

try:  # the async ViewSet, when adrf is installed
    from tests.testapp.async_views import AsyncCategories
except ImportError:  # pragma: no cover
    pass
else:
    from drf_mcp_bridge import mcp_tool, mcp_viewset

    mcp_viewset(name="async_categories")(AsyncCategories)

    @mcp_tool(name="async_handler_threads", description="Threads the async handlers ran in.")
    def async_handler_threads() -> dict[str, list[str]]:
        return {"threads": list(AsyncCategories.threads)}


def _expose_unlimited_list() -> None:
    """A list whose LimitOffsetPagination has no default limit: without ``limit`` DRF
    answers a bare list (sent as {"results": [...]}), with it the envelope."""
    from rest_framework.pagination import LimitOffsetPagination

    from drf_mcp_bridge import mcp_viewset
    from tests.testapp.listing import LimitedCustomers

    class NoDefaultLimit(LimitOffsetPagination):
        default_limit = None

    class UnlimitedCustomers(LimitedCustomers):
        pagination_class = NoDefaultLimit

    mcp_viewset(name="list_unlimited", actions=["list"])(UnlimitedCustomers)


_expose_unlimited_list()

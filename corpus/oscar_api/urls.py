from django.conf import settings
from django.urls import include, path

if settings.CORPUS_EXPOSE == "views":
    import mcp_exposure  # noqa: F401  (exposes oscarapi's views with @mcp_view; see that file)

urlpatterns = [
    path("api/", include("oscarapi.urls")),
    path("mcp/", include("rest_framework_mcp.urls")),
]

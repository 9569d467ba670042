from tests.interop import fixture_tools  # noqa: F401  (registers the conformance fixtures)
from tests.urls import urlpatterns

__all__ = ["urlpatterns"]

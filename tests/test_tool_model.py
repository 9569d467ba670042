"""One DRF-backed tool model (issue 15, point 3): ViewSet actions and APIViews share one
base, ``DRFViewTool``, that owns the introspection view, the serializer lookup, the schemas'
cache, visibility, parser media types, file arguments, the description and the call; the two
differ only in their hooks (how they make their view and find their route). Function tools
are separate."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test.client import RequestFactory
from rest_framework.request import Request

from drf_mcp_bridge.catalogue.apiviews import APIViewTool
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.catalogue.tools import DRFViewTool, FunctionTool, Tool, ViewSetActionTool
from drf_mcp_bridge.invocation import interfaces
from tests.testapp.apiviews import CustomerDetail, CustomerListCreate, StatusView

pytestmark = pytest.mark.django_db

#: What the base owns: written once, in DRFViewTool, overridden by neither kind.
SHARED = [
    "introspection_view",
    "serializer",
    "serializer_name",
    "origin",
    "requirement_notes",
    "annotations",
    "schemas",
    "input_schema",
    "output_schema",
    "file_arguments",
    "parser_media_types",
    "needs_declared_schema",
    "visible_to",
    "call",
]
#: The hooks each kind may implement.
HOOKS = {
    "new_view",
    "source_view",
    "version",
    "takes_no_serializer",
    "declares_no_body",
    "needs_its_url",
    "_build_schemas",
    "invoke",
}


@pytest.mark.parametrize("kind", [ViewSetActionTool, APIViewTool])
def test_both_kinds_share_the_algorithms_and_implement_only_hooks(kind: type[Any]) -> None:
    assert issubclass(kind, DRFViewTool)
    for name in SHARED:
        assert name in vars(DRFViewTool), name
        assert name not in vars(kind), f"{kind.__name__} redefines {name}"
    overridden = {
        name for name in vars(kind) if name in vars(DRFViewTool) and not name.startswith("__")
    }
    assert overridden <= HOOKS, overridden - HOOKS


def test_function_tools_are_separate() -> None:
    assert issubclass(FunctionTool, Tool)
    assert not issubclass(FunctionTool, DRFViewTool)


def _protocol_members(protocol: type[Any]) -> set[str]:
    names: set[str] = set()
    for klass in protocol.__mro__:
        if klass.__module__ == interfaces.__name__:
            names |= {n for n in vars(klass) if not n.startswith("_")}
            names |= set(getattr(klass, "__annotations__", {}))
    return names


def test_the_invocation_interfaces_are_met() -> None:
    viewset_tool = registry.get_tool("customers_retrieve")
    view_tool = APIViewTool(CustomerDetail, "get", "v2_customers_get", {})
    for tool, protocol in (
        (viewset_tool, interfaces.ViewSetTool),
        (view_tool, interfaces.APIViewBackedTool),
    ):
        for name in _protocol_members(protocol):
            assert hasattr(tool, name), (type(tool).__name__, name)


def _anonymous() -> Request:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return Request(request)


def test_one_introspection_view_for_both_kinds() -> None:
    action = registry.get_tool("customers_create")
    assert isinstance(action, ViewSetActionTool)
    view = action.introspection_view()
    assert (view.action, view.request.method, view.args, view.kwargs) == ("create", "POST", (), {})
    assert view.request.user.is_anonymous
    assert view.request.accepted_media_type == "application/json"  # negotiated as DRF does
    method = APIViewTool(CustomerListCreate, "post", "v2_customers_create", {})
    view = method.introspection_view()
    assert (type(view), view.request.method, view.headers) == (CustomerListCreate, "POST", {})
    assert view.request.accepted_media_type == "application/json"


def test_serializer_lookup_and_origin() -> None:
    action = registry.get_tool("customers_destroy")
    assert isinstance(action, ViewSetActionTool)
    assert action.serializer(action.introspection_view()) is None  # destroy reads none
    assert action.origin() == {
        "view": "tests.testapp.views.CustomerViewSet",
        "action": "destroy",
        "serializer": None,
    }
    method = APIViewTool(CustomerListCreate, "post", "v2_customers_create", {})
    assert type(method.serializer(method.introspection_view())).__name__ == "CustomerSerializer"
    assert method.origin() == {
        "view": "tests.testapp.apiviews.CustomerListCreate",
        "action": "post",
        "serializer": "tests.testapp.serializers.CustomerSerializer",
    }
    deleting = APIViewTool(CustomerDetail, "delete", "v2_customers_delete", {})
    assert deleting.serializer_name() is None
    assert not deleting.needs_declared_schema()
    assert APIViewTool(StatusView, "post", "status_echo", {}).needs_declared_schema()


def test_parser_media_types_are_read_again_for_a_new_tool_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A view registered once (@mcp_view) outlives tool sets: what it caches is per set.
    from rest_framework.parsers import FormParser

    tool = APIViewTool(StatusView, "post", "status_echo", {})
    assert tool.parser_media_types()[0] == "application/json"
    monkeypatch.setattr(StatusView, "parser_classes", [FormParser])
    assert tool.parser_media_types()[0] == "application/json"  # cached for this set
    registry.invalidate()
    assert tool.parser_media_types() == ["application/x-www-form-urlencoded"]


def test_visibility_follows_the_permissions_for_both_kinds() -> None:
    anonymous = _anonymous()
    status = APIViewTool(StatusView, "get", "status_get", {})  # no permission classes
    assert status.visible_to(anonymous)
    listing = APIViewTool(CustomerListCreate, "get", "v2_customers_list", {})
    invoices = registry.get_tool("invoices_create")  # IsAuthenticated
    assert invoices is not None
    assert not invoices.visible_to(anonymous)
    assert listing.visible_to(anonymous) is listing.__class__.visible_to(listing, anonymous)

"""Who is calling the endpoint, and which tools they may see.

The endpoint authenticates the outer request with DRF's authentication classes (the
``AUTHENTICATION_CLASSES`` setting, by default DRF's ``DEFAULT_AUTHENTICATION_CLASSES``),
so a token, JWT or Basic credential identifies the user for ``tools/list`` as it would for
a REST view; every tool call's inner request then authenticates itself again, from the
same headers, with its own view's classes.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .settings import mcp_settings

logger = logging.getLogger("rest_framework_mcp")


def authenticators() -> list[Any]:
    configured = mcp_settings.AUTHENTICATION_CLASSES
    classes: list[Any]
    if configured is None:
        classes = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    else:
        classes = [import_string(c) if isinstance(c, str) else c for c in configured]
    return [
        _ListingSession() if cls is authentication.SessionAuthentication else cls()
        for cls in classes
    ]


class _ListingSession(authentication.SessionAuthentication):
    """Session authentication for the endpoint itself, without DRF's CSRF check: it only
    decides which tools ``tools/list`` shows (a cross-site page cannot read the answer,
    and the Origin check refuses it anyway). Every tool call's inner request runs the
    view's own SessionAuthentication, which enforces CSRF for writes as over REST.
    """

    def enforce_csrf(self, request: Any) -> None:
        return None


class EndpointAuthError(Exception):
    """The outer request's credentials were refused (or are required and missing)."""

    def __init__(self, status: int, message: str, www_authenticate: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.www_authenticate = www_authenticate


def authenticate(request: HttpRequest) -> Request:
    """The outer request as a DRF request with its user authenticated.

    With ``AUTHENTICATION_REQUIRED``, missing or refused credentials raise
    :class:`EndpointAuthError` (HTTP 401 with ``WWW-Authenticate``, which starts a
    client's authentication flow). Without it, refused credentials make the request
    anonymous for ``tools/list``, and each tool call's view answers them as it would over
    REST (a 401 tool error).
    """
    required = bool(mcp_settings.AUTHENTICATION_REQUIRED)
    drf_request = Request(request, authenticators=authenticators())
    # DRF sets user and auth on the Django request it wraps; the outer request keeps its
    # own (the inner requests inherit them, and each view authenticates for itself).
    saved: dict[str, Any] = {
        k: request.__dict__[k] for k in ("user", "auth") if k in request.__dict__
    }
    try:
        user = drf_request.user
    except exceptions.APIException as exc:
        if required:
            raise EndpointAuthError(
                401, f"Unauthorized: {exc.detail}", _www_authenticate(drf_request)
            ) from exc
        drf_request = Request(request, authenticators=())
        user = drf_request.user
    finally:
        for key in ("user", "auth"):
            request.__dict__.pop(key, None)
        request.__dict__.update(saved)
    if required and not getattr(user, "is_authenticated", False):
        raise EndpointAuthError(
            401,
            "Unauthorized: this MCP endpoint requires authentication.",
            _www_authenticate(drf_request),
        )
    return drf_request


def authorize(drf_request: Request, method: str | None, tool: Any) -> None:
    """Let the class that authenticated the endpoint request refuse one message, e.g. a
    token without the scope a tool needs (HTTP 403 ``insufficient_scope``, which starts a
    client's step-up authorization). Such a class defines
    ``mcp_authorize(drf_request, method, tool)`` and raises :class:`EndpointAuthError`.
    """
    check = getattr(drf_request.successful_authenticator, "mcp_authorize", None)
    if check is not None:
        check(drf_request, method, tool)


def _www_authenticate(drf_request: Request) -> str | None:
    for authenticator in drf_request.authenticators or ():
        get_header = getattr(authenticator, "authenticate_header", None)
        header = get_header(drf_request) if get_header is not None else None
        if header:
            return str(header)
    return None


# requirements ----------------------------------------------------------------------

_SAFE = {"get", "head", "options"}


def requirement_notes(permission_objects: list[Any], method: str, model: Any) -> list[str]:
    """Plain-language requirements of a tool's permission classes, where known:
    "Requires staff.", "Requires a signed-in user.", "Requires the permission app.add_x.".
    A permission class can state its own with a ``mcp_requirement`` attribute.
    """
    notes: list[str] = []
    for permission in permission_objects:
        explicit = getattr(permission, "mcp_requirement", None)
        if explicit:
            notes.append(str(explicit))
        elif isinstance(permission, permissions.IsAdminUser):
            notes.append("Requires staff.")
        elif isinstance(permission, permissions.IsAuthenticated):
            notes.append("Requires a signed-in user.")
        elif isinstance(permission, permissions.IsAuthenticatedOrReadOnly):
            if method not in _SAFE:
                notes.append("Requires a signed-in user.")
        elif isinstance(permission, permissions.DjangoModelPermissions) and model is not None:
            anonymous_reads = isinstance(
                permission, permissions.DjangoModelPermissionsOrAnonReadOnly
            )
            if anonymous_reads and method in _SAFE:
                continue
            required = permission.get_required_permissions(method.upper(), model)
            if required:
                notes.append(f"Requires the permission {', '.join(required)}.")
            elif not anonymous_reads:
                notes.append("Requires a signed-in user.")
    unique: list[str] = []
    for note in notes:
        if note not in unique:
            unique.append(note)
    return unique


def as_method(drf_request: Request, method: str) -> Request:
    """The authenticated outer request as if it used ``method`` (permissions such as
    IsAuthenticatedOrReadOnly look at the method; the endpoint is always POSTed to)."""
    cache: dict[str, Request] = drf_request.__dict__.setdefault("_mcp_as_method", {})
    found = cache.get(method)
    if found is None:
        django_request = copy.copy(drf_request._request)
        django_request.method = method.upper()
        found = Request(django_request, authenticators=())
        found.user = drf_request.user
        found.auth = drf_request.auth
        cache[method] = found
    return found


def permissions_pass(view: Any, drf_request: Request) -> bool:
    """Whether ``has_permission`` of every permission of ``view`` allows the request (object
    permissions are checked when the tool is called)."""
    try:
        for permission in view.get_permissions():
            if not permission.has_permission(drf_request, view):
                return False
    except Exception:
        logger.debug("has_permission raised for %r; tool hidden", view, exc_info=True)
        return False
    return True


def unrestricted(view_class: type[Any], view: Any) -> bool:
    """True when a view's permissions cannot depend on the user: it keeps APIView's
    ``get_permissions`` and has none but AllowAny. Such tools skip the per-user check."""
    if getattr(view_class, "get_permissions", None) is not APIView.get_permissions:
        return False
    try:
        found = view.get_permissions()
    except Exception:
        return False
    return all(type(p) is permissions.AllowAny for p in found)

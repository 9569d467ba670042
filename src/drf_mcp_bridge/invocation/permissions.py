"""DRF permissions judged outside a view's dispatch: whether a caller's request for a
tool's action passes ``has_permission`` (for listing it), and the plain-language
requirements a tool's description states."""

from __future__ import annotations

import copy
import logging
from typing import Any

from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

logger = logging.getLogger("drf_mcp_bridge")


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
        outer_authenticators: Any = tuple(drf_request.authenticators or ())
        found = Request(django_request, authenticators=outer_authenticators)
        # What the outer request's authentication found: a permission that reads
        # request.successful_authenticator or request.auth sees what it sees on the real
        # request (without it, DRF would authenticate this copy again, as anonymous).
        found._authenticator = drf_request.successful_authenticator  # type: ignore[attr-defined]
        found.user = drf_request.user
        found.auth = drf_request.auth
        cache[method] = found
    return found


def caller_name(user: Any) -> str:
    """The user for messages and logs: "user 'alice'", or "anonymous"."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    get_username = getattr(user, "get_username", None)
    name = get_username() if get_username is not None else user.pk
    return f"user {str(name)!r}"


def permissions_pass(view: Any, drf_request: Request, tool: str | None = None) -> bool:
    """Whether ``has_permission`` of every permission of ``view`` allows the request (object
    permissions are checked when the tool is called). When one refuses, the logger
    ``drf_mcp_bridge`` says at DEBUG which one hid ``tool`` from whom."""
    what = tool or type(view).__name__
    try:
        for permission in view.get_permissions():
            if not permission.has_permission(drf_request, view):
                logger.debug(
                    "Tool %s hidden from %s: %s.has_permission() refused %s.",
                    what,
                    caller_name(getattr(drf_request, "user", None)),
                    type(permission).__name__,
                    drf_request.method,
                )
                return False
    except Exception:
        # Permissions that read what the URL or middleware sets on the real request
        # (request.event under events/<slug:event>/...) cannot be judged without one: the
        # tool is listed, and its calls run the real check, as REST does.
        logger.debug(
            "has_permission raised for %s outside a real request; tool listed (its calls "
            "check permissions on the real request)",
            what,
            exc_info=True,
        )
        return True
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

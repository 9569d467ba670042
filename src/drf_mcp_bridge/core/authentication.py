"""Who is calling the endpoint: the outer request authenticated with DRF's authentication
classes (the ``AUTHENTICATION_CLASSES`` setting, by default DRF's
``DEFAULT_AUTHENTICATION_CLASSES``), so a token, JWT or Basic credential identifies the user
as it would for a REST view. Refused credentials answer as REST does (401 with the refusing
class's ``WWW-Authenticate``). Every tool call's inner request then authenticates itself
again, from the same headers, with its own view's classes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string
from rest_framework import authentication, exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings

from ..conf.settings import mcp_settings


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


def endpoint_classes(drf_request: Request) -> list[type[Any]]:
    """The classes that authenticated ``drf_request`` (the endpoint's), as a view would
    list them: the endpoint's session class counts as DRF's (it differs only in the CSRF
    check, which runs only for a session that has a user)."""
    return [
        authentication.SessionAuthentication if isinstance(a, _ListingSession) else type(a)
        for a in drf_request.authenticators or ()
    ]


class EndpointAuthError(Exception):
    """The outer request's credentials were refused (or are required and missing)."""

    def __init__(self, status: int, message: str, www_authenticate: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.www_authenticate = www_authenticate


def authenticate(request: HttpRequest) -> Request:
    """The outer request as a DRF request with its user authenticated.

    Credentials an authentication class refuses (DRF's ``AuthenticationFailed``, e.g. an
    unknown token) raise :class:`EndpointAuthError`: HTTP 401 with the refusing class's
    ``WWW-Authenticate``, as the same credentials get from a REST view, whatever the
    message. Missing credentials make the caller anonymous, unless
    ``AUTHENTICATION_REQUIRED`` (then HTTP 401 too, which starts a client's
    authentication flow).
    """
    required = bool(mcp_settings.AUTHENTICATION_REQUIRED)
    drf_request = Request(request, authenticators=authenticators())
    # DRF sets user and auth on the Django request it wraps; the outer request keeps its
    # own (the inner requests inherit them, and each view authenticates for itself).
    saved: dict[str, Any] = {
        k: request.__dict__[k] for k in ("user", "auth") if k in request.__dict__
    }
    try:
        refusal = _run_authenticators(drf_request)
    finally:
        for key in ("user", "auth"):
            request.__dict__.pop(key, None)
        request.__dict__.update(saved)
    if refusal is not None:
        raise _refused(drf_request, *refusal)
    if required and not getattr(drf_request.user, "is_authenticated", False):
        raise EndpointAuthError(
            401,
            "Unauthorized: this MCP endpoint requires authentication.",
            _www_authenticate(drf_request),
        )
    return drf_request


def _run_authenticators(drf_request: Request) -> tuple[Any, exceptions.APIException] | None:
    """Authenticate ``drf_request`` as ``Request.user`` would: each class in turn, the
    first that returns (user, auth) wins. Unlike ``Request.user`` it tells which class
    refused the credentials: (that class, its exception), else None."""
    for authenticator in drf_request.authenticators or ():
        try:
            found: Any = authenticator.authenticate(drf_request)
        except exceptions.APIException as exc:
            drf_request._not_authenticated()  # type: ignore[attr-defined]
            return authenticator, exc
        if found is not None:
            drf_request._authenticator = authenticator  # type: ignore[attr-defined]
            drf_request.user, drf_request.auth = found
            return None
    drf_request._not_authenticated()  # type: ignore[attr-defined]
    return None


def _refused(
    drf_request: Request, authenticator: Any, exc: exceptions.APIException
) -> EndpointAuthError:
    """What a REST view answers when ``authenticator`` refuses the credentials with
    ``exc``: HTTP 401 with ``WWW-Authenticate`` (the refusing class's, else the first
    class's that has one); DRF's 403 when no class has a header; another refusal (e.g.
    ``PermissionDenied``) with its own status."""
    detail = exc.detail
    if not isinstance(exc, (exceptions.AuthenticationFailed, exceptions.NotAuthenticated)):
        return EndpointAuthError(int(exc.status_code), f"Refused: {detail}", None)
    get_header = getattr(authenticator, "authenticate_header", None)
    header = get_header(drf_request) if get_header is not None else None
    header = str(header) if header else _www_authenticate(drf_request)
    if header is None:
        return EndpointAuthError(403, f"Forbidden: {detail}", None)
    return EndpointAuthError(401, f"Unauthorized: {detail}", header)


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

"""The browsable explorer: a browser opening the endpoint (GET, ``Accept: text/html``) gets
a page whose script (``static/drf_mcp_bridge/explorer``, built from ``explorer/`` with
Vite) talks MCP to the same URL with the browser's Django session.

Brand it by overriding ``drf_mcp_bridge/explorer.html`` (blocks ``title``, ``style``,
``branding``, ``brand_name``, ``userlinks``, ``script``); turn it off with
``BROWSABLE_EXPLORER = False``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from ..catalogue.access import AccessGate
from ..catalogue.registry import registry
from ..conf.settings import mcp_settings
from ..core.context import RequestContext
from ..core.types import LATEST_PROTOCOL_VERSION
from .rules import accepted_media

TEMPLATE = "drf_mcp_bridge/explorer.html"
_OWN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def wants_html(request: HttpRequest) -> bool:
    """A browser navigating here: ``text/html`` accepted (and not an SSE stream asked)."""
    media = accepted_media(request)
    return "text/html" in media and "text/event-stream" not in media


def _login_url(request: HttpRequest) -> str | None:
    for name in ("rest_framework:login", "login", "admin:login"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return None


def tool_groups(request: HttpRequest) -> dict[str, str]:
    """Tool name -> the resource it acts on, for the tools the page's user may see (the
    explorer lists them under it; tools of no resource, such as function tools, apart)."""
    context = RequestContext(http_request=request, protocol_version=LATEST_PROTOCOL_VERSION)
    return {
        tool.name: tool.group
        for tool in AccessGate(registry).visible_tools(context)
        if tool.group is not None
    }


def page(request: HttpRequest) -> HttpResponse:
    user = getattr(request, "user", None)
    authenticated = bool(getattr(user, "is_authenticated", False))
    context: dict[str, Any] = {
        "server_name": mcp_settings.SERVER_TITLE or mcp_settings.SERVER_NAME,
        "user": user,
        "config": {
            "endpoint": request.path,
            # The calls' inner views check CSRF for session-authenticated writes, as REST does.
            "csrfToken": get_token(request),
            "user": user.get_username() if authenticated and user is not None else None,
            "loginUrl": None if authenticated else _login_url(request),
            "serverName": mcp_settings.SERVER_NAME,
            "toolGroups": tool_groups(request),
        },
    }
    try:
        html = get_template(TEMPLATE).render(context, request)
    except TemplateDoesNotExist:
        # A project without an app-directories template loader still gets the page.
        engine = Engine(
            dirs=[str(_OWN_TEMPLATES)], libraries={"static": "django.templatetags.static"}
        )
        html = engine.get_template(TEMPLATE).render(Context(context))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Vary"] = "Accept, Cookie"
    response["Cache-Control"] = "no-store"
    forbid_framing(request, response)
    return response


#: The CSP policy added to the page's: no page may frame it.
NO_FRAMING = "frame-ancestors 'none'"


def forbid_framing(request: HttpRequest, response: HttpResponse) -> None:
    """No other site may frame the page (clickjacking: its buttons run tools as the
    logged-in user). Added as a policy of its own to the CSP the page has, so nothing of
    that policy is loosened (a browser enforces every policy of the header). Django 6's
    ContentSecurityPolicyMiddleware leaves a header a view set alone, so the project's
    ``SECURE_CSP`` is included here."""
    response["X-Frame-Options"] = "DENY"
    policies = [response.get("Content-Security-Policy") or _project_policy(request), NO_FRAMING]
    response["Content-Security-Policy"] = ", ".join(p for p in policies if p)


def _project_policy(request: HttpRequest) -> str:
    """The policy Django's ContentSecurityPolicyMiddleware (Django 6+) would send, or ""."""
    from django.conf import settings

    config = getattr(settings, "SECURE_CSP", None)
    if not config or _CSP_MIDDLEWARE not in settings.MIDDLEWARE:
        return ""
    try:
        from django.middleware.csp import get_nonce  # type: ignore[import-not-found,unused-ignore]
        from django.utils.csp import build_policy  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - Django < 6 has neither
        return ""
    return str(build_policy(config, get_nonce(request)))


_CSP_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"

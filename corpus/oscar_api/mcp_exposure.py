"""Expose the whole oscarapi API.

oscarapi has no DRF router (only path()s to generic views and APIViews), so expose_router does
not apply. rest_framework_mcp has no expose_urls() yet (checked: grep in src/ finds none), so
this applies the documented @mcp_view decorator to every view class of oscarapi's URLconf,
one tool per HTTP method the class handles, named after the route name.
Set CORPUS_HANDFUL=1 to expose only a handful of views instead.
"""
import os
import re

from django.urls import URLPattern, URLResolver

import oscarapi.urls
from rest_framework_mcp import mcp_view

SUFFIX = {"get": "get", "post": "post", "put": "put", "patch": "patch", "delete": "delete"}
HANDFUL = {"product-list", "product-detail", "category-list", "country-list",
           "useraddress-list", "useraddress-detail", "admin-partner-list", "partner-detail"}
EXPOSED: list[tuple[str, str, str]] = []  # (route name, method, tool name)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix)
        elif isinstance(p, URLPattern):
            yield p


def expose_all():
    seen = set()
    handful = os.environ.get("CORPUS_HANDFUL") == "1"
    for pattern in _walk(oscarapi.urls.urlpatterns):
        view_class = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        name = pattern.name
        if view_class is None or not name or view_class in seen:
            continue
        if handful and name not in HANDFUL:
            continue
        seen.add(view_class)
        methods = [m for m in SUFFIX if hasattr(view_class, m)]
        base = re.sub(r"[^A-Za-z0-9_]", "_", name.replace("api-", ""))
        tools = {m: f"{base}_{SUFFIX[m]}" for m in methods}
        mcp_view(tools)(view_class)
        EXPOSED.extend((name, m, t) for m, t in tools.items())


expose_all()

"""Where the URLconf routes each exposed ViewSet action.

Walks the root URLconf once (cached) and records, for every ViewSet view a DRF router
(or the user) mounted, its qualified URL name and route. Tool calls ``reverse()`` that
name and ``resolve()`` the path, so they run the exact callable the URLconf runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.urls import ResolverMatch, URLPattern, URLResolver, get_resolver, resolve, reverse


@dataclass
class Route:
    viewset: type[Any]
    url_name: str | None  # qualified with namespaces, e.g. "api:customer-detail"
    actions: dict[str, str]  # HTTP method (lower case) → action name
    detail: bool
    standard: bool  # a router's list/detail route, not an @action's
    route: str  # the full pattern text, for naming and messages
    path_kwargs: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ViewRoute:
    """A route to an ``APIView`` or generic view (not a ViewSet)."""

    url_name: str | None
    route: str
    path_kwargs: dict[str, str]  # name → converter ("int", "str", "slug", "regex"...)


def _walk(
    patterns: list[Any],
    namespace: str,
    prefix: str,
    found: list[Route],
    views: list[tuple[Any, ViewRoute]],
) -> None:
    """One walk of the URLconf for both kinds of route: a router's ViewSet routes and the
    routes to other class-based views."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            _walk(entry.url_patterns, ns, prefix + str(entry.pattern), found, views)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            route_text = prefix + str(entry.pattern)
            url_name = f"{namespace}{entry.name}" if entry.name else None
            actions = getattr(callback, "actions", None)
            viewset = getattr(callback, "cls", None)
            if viewset is not None and isinstance(actions, dict):
                initkwargs = getattr(callback, "initkwargs", {}) or {}
                found.append(
                    Route(
                        viewset=viewset,
                        url_name=url_name,
                        actions={m.lower(): a for m, a in actions.items()},
                        detail=bool(initkwargs.get("detail", False)),
                        standard="url_path" not in initkwargs,
                        route=route_text,
                        path_kwargs=set(path_converters(route_text)),
                    )
                )
                continue
            view_class = getattr(callback, "view_class", None)
            if view_class is not None and actions is None:
                views.append(
                    (view_class, ViewRoute(url_name, route_text, path_converters(route_text)))
                )


@lru_cache(maxsize=8)
def _discover(urlconf: str | None) -> tuple[tuple[Route, ...], tuple[tuple[Any, ViewRoute], ...]]:
    found: list[Route] = []
    views: list[tuple[Any, ViewRoute]] = []
    _walk(get_resolver(urlconf).url_patterns, "", "", found, views)
    # format_suffix_patterns repeats each route with a "format" kwarg; keep the plain one.
    return (
        tuple(r for r in found if "format" not in r.path_kwargs),
        tuple((v, r) for v, r in views if "format" not in r.path_kwargs),
    )


def discover_routes(urlconf: str | None = None) -> tuple[Route, ...]:
    """Every router route to a ViewSet, in URLconf order (cached until the tool set is
    rebuilt: Registry.invalidate clears it)."""
    return _discover(urlconf)[0]


def view_routes(urlconf: str | None = None) -> list[tuple[Any, ViewRoute]]:
    """Every class-based view the URLconf routes that is not a ViewSet, with its route,
    in URLconf order (format-suffix duplicates left out; cached like discover_routes)."""
    return list(_discover(urlconf)[1])


def find_view_route(
    view_class: type[Any], urlconf: str | None = None, url_name: str | None = None
) -> ViewRoute | None:
    """The view's route; with ``url_name``, the one of that name when there is one."""
    mine = [route for candidate, route in _discover(urlconf)[1] if candidate is view_class]
    named = [route for route in mine if url_name is not None and route.url_name == url_name]
    return (named or mine)[0] if mine else None


def routes_for(viewset: type[Any], urlconf: str | None = None) -> list[Route]:
    return [r for r in discover_routes(urlconf) if r.viewset is viewset]


def find_route(
    viewset: type[Any], action: str, method: str, version: str | None = None
) -> Route | None:
    """The route that serves ``action``; with a ``version``, one under that URL namespace
    (NamespaceVersioning) is preferred. Cached like :func:`discover_routes` (every tool
    call asks, and the scan is over every route of the URLconf).
    """
    found: Route | None = _find_route(viewset, action, method, version)  # type: ignore[arg-type]
    return found


@lru_cache(maxsize=4096)
def _find_route(viewset: Any, action: str, method: str, version: str | None) -> Route | None:
    matching = [r for r in routes_for(viewset) if r.actions.get(method.lower()) == action]
    if version is not None:
        for route in matching:
            if (route.url_name or "").split(":")[:-1][-1:] == [version]:
                return route
    return matching[0] if matching else None


_LITERAL = re.compile(r"^[A-Za-z0-9_.\-]+$")


def resource_name_from_route(route: str) -> str | None:
    """The prefix the user gave the router: the last literal path segment of a list/detail
    route, parameters left out ("^api/customers/(?P<pk>[^/.]+)/$" → "customers"; a nested
    router's "api/events/<slug:event>/^rooms/$" → "rooms").
    """
    literals = literal_segments(route)
    return literals[-1] if literals else None


def mount_segment(route: str) -> str | None:
    """The literal path segment before the resource's in a list/detail route, where its
    router is mounted ("^api/dcim/interfaces/$" → "dcim"); None for a router at the root."""
    literals = literal_segments(route)
    return literals[-2] if len(literals) >= 2 else None


def literal_segments(route: str) -> list[str]:
    """Every literal path segment of a route, parameters left out
    ("api/projects/<int:project_pk>/parts/" → ["api", "projects", "parts"])."""
    text = route.replace("^", "").replace("$", "").replace("\\", "")
    return [s for s in text.split("/") if s and _LITERAL.match(s)]


def path_converters(route: str) -> dict[str, str]:
    """Every path parameter of a route with its converter ("int", "slug", "str"...;
    "regex" for a regular-expression group), in URL order."""
    found: dict[str, str] = {}
    for match in re.finditer(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>", route):
        if match.group(3):
            found.setdefault(match.group(3), "regex")
        else:
            found.setdefault(match.group(2), match.group(1) or "str")
    return found


@lru_cache(maxsize=4096)
def cached_reverse(url_name: str, kwargs: tuple[tuple[str, str], ...], prefix: str) -> str:
    """``reverse()`` memoised per script prefix (tool calls reverse the same few routes)."""
    return reverse(url_name, kwargs=dict(kwargs))


@lru_cache(maxsize=4096)
def cached_resolve(path_info: str, urlconf: str | None) -> ResolverMatch:
    """``resolve()`` memoised: the match (the view the URLconf runs, its args, kwargs and
    route) only depends on the path and the URLconf, and views do not change it.
    """
    return resolve(path_info, urlconf=urlconf)


def clear_cache() -> None:
    _discover.cache_clear()
    _find_route.cache_clear()
    cached_reverse.cache_clear()
    cached_resolve.cache_clear()


def generic_action(view_class: type[Any], method: str, detail: bool) -> str | None:
    """The CRUD action a generic view's mixins run for ``method`` (``ListCreateAPIView``:
    get → "list", post → "create"; ``RetrieveUpdateDestroyAPIView``: get → "retrieve",
    put → "update", patch → "partial_update", delete → "destroy"); None for a view that
    is not a generic view with that mixin. ``detail`` (the route has path parameters)
    tells "list" from "retrieve" in a view that has both mixins; where a view lists (no
    path parameters) PUT, PATCH and DELETE have no CRUD name."""
    from rest_framework import generics, mixins

    if not issubclass(view_class, generics.GenericAPIView):
        return None
    if method == "get":
        lists = issubclass(view_class, mixins.ListModelMixin)
        retrieves = issubclass(view_class, mixins.RetrieveModelMixin)
        if lists and not (retrieves and detail):
            return "list"
        return "retrieve" if retrieves else None
    listing_route = not detail and issubclass(view_class, mixins.ListModelMixin)
    if listing_route and method in {"put", "patch", "delete"}:
        # PUT/PATCH/DELETE where the view lists (a bulk "sync" some APIs offer) is no
        # update of one object: named after the method ("products_put").
        return None
    mixin, action = {
        "post": (mixins.CreateModelMixin, "create"),
        "put": (mixins.UpdateModelMixin, "update"),
        "patch": (mixins.UpdateModelMixin, "partial_update"),
        "delete": (mixins.DestroyModelMixin, "destroy"),
    }.get(method, (None, None))
    if mixin is not None and issubclass(view_class, mixin):
        return action
    return None

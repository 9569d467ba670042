"""The corpus harness (issue 14, point 8): a published DRF application, installed by its
setup.sh and exposed whole in one line (``expose_urls("api/")``), checked as a new user
would find it:

- ``manage.py check``: no errors (problems of single tools are warnings);
- ``tools/list`` for an anonymous caller, a user and an admin: valid schemas, within the
  catalogue budget (no tool over 16 kB, median under 3 kB);
- every list tool called once per caller through the official Python SDK against
  ``runserver``: no client exception;
- a create/update/destroy round trip equal to REST: status, body, database rows and the
  application's own audit records (attributed to the same user);
- discovery's ``find_tools`` ranks the obvious tool for plain queries in its top 3.

Each project folder has a ``project.py`` describing its callers, round trip and searches
(see corpus/README.md). Run by corpus/run.sh, in the project's own virtualenv.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

import pytest
from conftest import PROJECT
from jsonschema import Draft202012Validator

KB = 1024
CALLERS = list(PROJECT.CALLERS)


def mcp_client(caller: str) -> Any:
    from drf_mcp_bridge.test import MCPClient

    client = MCPClient()
    if PROJECT.CALLERS[caller]:
        client.credentials(**PROJECT.CALLERS[caller])
    return client


def rest_client(caller: str) -> Any:
    from rest_framework.test import APIClient

    client = APIClient()
    if PROJECT.CALLERS[caller]:
        client.credentials(**PROJECT.CALLERS[caller])
    return client


def size(tool: dict[str, Any]) -> int:
    return len(json.dumps(tool, separators=(",", ":"), ensure_ascii=False).encode())


# 1. system checks ---------------------------------------------------------------------


def test_system_checks_report_no_errors() -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, *PROJECT.MANAGE, "check"],
        capture_output=True,
        text=True,
        cwd=PROJECT.FOLDER,
    )
    elapsed = time.monotonic() - started
    out = proc.stdout + proc.stderr
    ids = Counter(re.findall(r"\((drf_mcp_bridge\.[EW]\d+)\)", out))
    print(f"\n[{PROJECT.NAME}] manage.py check: exit {proc.returncode} in {elapsed:.2f}s {dict(ids)}")
    assert proc.returncode == 0, out[-4000:]
    assert not [i for i in ids if ".E" in i], out[-4000:]
    assert "Traceback" not in out, out[-4000:]


# 2. the catalogue per caller ----------------------------------------------------------


@pytest.fixture(scope="module")
def catalogues() -> dict[str, list[dict[str, Any]]]:
    return {caller: mcp_client(caller).tools_list() for caller in CALLERS}


def test_catalogue_per_caller_is_valid_and_within_budget(
    catalogues: dict[str, list[dict[str, Any]]],
) -> None:
    for caller, tools in catalogues.items():
        sizes = sorted((size(t), t["name"]) for t in tools)
        total = sum(s for s, _ in sizes)
        largest = sizes[-1] if sizes else (0, "-")
        median = statistics.median(s for s, _ in sizes) if sizes else 0
        print(
            f"\n[{PROJECT.NAME}] tools/list as {caller}: {len(tools)} tools, {total} bytes, "
            f"largest {largest[1]} {largest[0]} bytes, median {median:.0f} bytes"
        )
        for tool in tools:
            Draft202012Validator.check_schema(tool["inputSchema"])
            assert tool["inputSchema"].get("type") == "object", tool["name"]
            if "outputSchema" in tool:
                Draft202012Validator.check_schema(tool["outputSchema"])
                assert tool["outputSchema"].get("type") == "object", tool["name"]
        names = [t["name"] for t in tools]
        assert len(names) == len(set(names)), "tool names repeat"
        # The catalogue budget (issue 14, point 6).
        assert largest[0] <= 16 * KB, largest
        assert median < 3 * KB, median
    admin = {t["name"] for t in catalogues["admin"]}
    assert len(admin) >= PROJECT.MIN_TOOLS
    assert {t["name"] for t in catalogues["anonymous"]} <= admin


# 3. every list tool through the official Python SDK -----------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Any:
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix=f"corpus-{PROJECT.NAME}-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [sys.executable, *PROJECT.MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT.FOLDER,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}{PROJECT.MCP_PATH}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"runserver exited ({proc.returncode}); see {log.name}")
            try:
                ping = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'
                request = urllib.request.Request(
                    url, data=ping, headers={"Content-Type": "application/json"}
                )
                with urllib.request.urlopen(request, timeout=5):
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"runserver did not come up; see {log.name}") from None
                time.sleep(0.3)
        yield {"url": url, "log": log.name}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def _http_headers(django_headers: dict[str, str]) -> dict[str, str]:
    """Django test-client style (HTTP_AUTHORIZATION) to HTTP header names."""
    return {
        key[5:].replace("_", "-").title(): value
        for key, value in django_headers.items()
        if key.startswith("HTTP_")
    }


async def _call_list_tools(url: str, caller: str) -> dict[str, Any]:
    import httpx2
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    defaults = getattr(PROJECT, "PATH_ARGUMENTS", {})
    report: dict[str, Any] = {"ok": [], "is_error": [], "exceptions": [], "structured": 0}
    headers = _http_headers(PROJECT.CALLERS[caller])
    async with (
        httpx2.AsyncClient(headers=headers, timeout=120) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = (await session.list_tools()).tools
        for tool in tools:
            hints = tool.annotations
            required = set((tool.input_schema or {}).get("required") or [])
            if not (hints and hints.read_only_hint) or not required <= set(defaults):
                continue
            if tool.name in getattr(PROJECT, "SKIP_TOOLS", ()):
                continue
            arguments = {name: defaults[name] for name in required}
            try:
                result = await session.call_tool(tool.name, arguments)
            except Exception as exc:  # what the SDK raises on results it refuses
                report["exceptions"].append(f"{tool.name}: {type(exc).__name__}: {exc}")
                continue
            report["is_error" if result.is_error else "ok"].append(tool.name)
            report["structured"] += result.structured_content is not None
    return report


@pytest.mark.parametrize("caller", CALLERS)
def test_every_list_tool_through_the_official_sdk(server: dict[str, str], caller: str) -> None:
    import anyio

    report = anyio.run(_call_list_tools, server["url"], caller)
    print(
        f"\n[{PROJECT.NAME}] SDK list tools as {caller}: {len(report['ok'])} ok "
        f"({report['structured']} with structured content), {len(report['is_error'])} "
        f"tool errors (refused as over REST), {len(report['exceptions'])} client exceptions"
    )
    assert report["exceptions"] == [], "\n".join(report["exceptions"])
    if caller == "admin":
        assert report["ok"], "no list tool answered the admin"


def _rest_path(tool: Any, arguments: dict[str, Any]) -> str | None:
    """The URL REST clients use for the same call (path parameters filled)."""
    from django.urls import reverse

    from drf_mcp_bridge.catalogue.apiviews import APIViewTool
    from drf_mcp_bridge.invocation.run import _endpoint_path

    if isinstance(tool, APIViewTool):
        route = tool.route()
        if route is None or route.url_name is None:
            return None
        return reverse(route.url_name, kwargs={n: arguments[n] for n in route.path_kwargs})
    lookup = arguments.get(tool.lookup_argument) if tool.detail else None
    target = _endpoint_path(tool, lookup, arguments)
    if isinstance(target, str) or target[1] is not None:
        return None  # not routed: no REST request to compare with
    return target[0]


@pytest.mark.parametrize("caller", CALLERS)
def test_list_tools_give_what_rest_gives(caller: str) -> None:
    """No more (and no less) than REST: a list tool refuses when the same GET refuses, and
    otherwise answers the same body."""
    from drf_mcp_bridge.catalogue.registry import registry

    defaults = getattr(PROJECT, "PATH_ARGUMENTS", {})
    mcp, rest = mcp_client(caller), rest_client(caller)
    compared = 0
    for listed in mcp.tools_list():
        required = set(listed["inputSchema"].get("required") or [])
        readonly = (listed.get("annotations") or {}).get("readOnlyHint")
        if not readonly or not required <= set(defaults):
            continue
        if listed["name"] in getattr(PROJECT, "SKIP_TOOLS", ()):
            continue
        tool = registry.get_tool(listed["name"])
        if getattr(tool, "method", None) != "get":
            continue
        arguments = {name: defaults[name] for name in required}
        url = _rest_path(tool, arguments)
        if url is None:
            continue
        answer = rest.get(url)
        result = mcp.call_tool(listed["name"], arguments)
        assert result.is_error == (answer.status_code >= 400), (
            listed["name"], answer.status_code, result.text[:300]
        )
        stateful = listed["name"] in getattr(PROJECT, "STATEFUL_TOOLS", {})
        json_body = answer.get("Content-Type", "").startswith("application/json")
        if not result.is_error and json_body and not stateful:
            body = answer.json()
            expected = body if isinstance(body, dict) else {"results": body}
            assert result.json() == expected, listed["name"]
        compared += 1
    print(f"\n[{PROJECT.NAME}] list tools compared with REST as {caller}: {compared}")
    assert compared > 0 or caller == "anonymous"  # Nautobot lists nothing to anonymous


# 4. a round trip equal to REST --------------------------------------------------------


def _without(body: Any, ignore: list[str]) -> Any:
    if isinstance(body, dict):
        return {k: _without(v, ignore) for k, v in body.items() if k not in ignore}
    return body


def _row(model: Any, pk: Any, ignore: list[str]) -> dict[str, Any]:
    from django.db.models import DateField

    obj = model._base_manager.get(pk=pk)
    skipped = set(ignore) | {model._meta.pk.name}
    return {
        f.attname: getattr(obj, f.attname)
        for f in model._meta.concrete_fields
        if f.name not in skipped
        and f.attname not in skipped
        and not (isinstance(f, DateField) and (f.auto_now or f.auto_now_add))
    }


def test_a_round_trip_equals_rest() -> None:
    from django.apps import apps

    trip = PROJECT.ROUND_TRIP
    caller, tools = trip["caller"], trip["tools"]
    # Values the REST copy must change, because the model keeps them unique (a name, an
    # address hash): left out of every comparison, like the ids.
    differs = trip.get("differs", {})
    ignore = [*trip.get("ignore", []), *differs]
    id_field, id_arg = trip.get("id_field", "id"), trip.get("id_arg", "pk")
    path_args = trip.get("path_args", {})
    model = apps.get_model(trip["model"])
    rows = trip.get("rows") or (lambda: model._base_manager.count())
    audit = trip.get("audit")
    rest, mcp = rest_client(caller), mcp_client(caller)
    before = rows()

    created = rest.post(trip["collection"], {**trip["create"], **differs}, format="json")
    assert created.status_code == 201, created.content
    called = mcp.call_tool(tools["create"], {**path_args, **trip["create"]})
    assert not called.is_error, called.text
    rest_body, mcp_body = created.json(), called.json()
    assert _without(mcp_body, ignore) == _without(rest_body, ignore)
    assert rows() == before + 2
    rest_pk, mcp_pk = rest_body[id_field], mcp_body[id_field]
    db_ignore = ignore + trip.get("db_ignore", [])
    assert _row(model, mcp_pk, db_ignore) == _row(model, rest_pk, db_ignore)
    if audit is not None:
        assert audit(mcp_pk) == audit(rest_pk) != []
        print(f"\n[{PROJECT.NAME}] audit after create: {audit(mcp_pk)}")

    detail = f"{trip['collection']}{rest_pk}/"
    updated = rest.patch(detail, trip["update"], format="json")
    assert updated.status_code == 200, updated.content
    called = mcp.call_tool(
        tools["partial_update"], {**path_args, id_arg: mcp_pk, **trip["update"]}
    )
    assert not called.is_error, called.text
    assert _without(called.json(), ignore) == _without(updated.json(), ignore)
    assert _row(model, mcp_pk, db_ignore) == _row(model, rest_pk, db_ignore)
    if audit is not None:
        assert audit(mcp_pk) == audit(rest_pk)
        print(f"[{PROJECT.NAME}] audit after update: {audit(mcp_pk)}")

    fetched = mcp.call_tool(tools["retrieve"], {**path_args, id_arg: mcp_pk})
    assert _without(fetched.json(), ignore) == _without(
        rest.get(f"{trip['collection']}{mcp_pk}/").json(), ignore
    )

    deleted = rest.delete(detail)
    assert deleted.status_code == 204, deleted.content
    called = mcp.call_tool(tools["destroy"], {**path_args, id_arg: mcp_pk})
    assert not called.is_error and "HTTP 204" in called.text, called.text
    assert rows() == before
    if audit is not None:
        assert audit(mcp_pk) == audit(rest_pk)
        print(f"[{PROJECT.NAME}] audit after destroy: {audit(mcp_pk)}")


# 5. discovery ranks the obvious tool ---------------------------------------------------


def test_discovery_finds_the_obvious_tool() -> None:
    from django.conf import settings
    from django.test import override_settings

    conf = {**getattr(settings, "REST_FRAMEWORK_MCP", {}), "TOOL_DISCOVERY": True}
    ranks = {}
    with override_settings(REST_FRAMEWORK_MCP=conf):
        client = mcp_client("admin")
        assert [t["name"] for t in client.tools_list()][:1] == ["find_tools"]
        for query, expected in PROJECT.SEARCHES:
            found = client.call_tool("find_tools", {"query": query, "limit": 10}).json()
            names = [t["name"] for t in found["tools"]]
            ranks[query] = (expected, names.index(expected) + 1 if expected in names else None)
    print(f"\n[{PROJECT.NAME}] find_tools ranks: {ranks}")
    assert all(rank is not None and rank <= 3 for _, rank in ranks.values()), ranks


def test_the_environment_is_the_one_setup_built() -> None:
    """The harness runs the package from this checkout (setup.sh installs it editable)."""
    import drf_mcp_bridge

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    assert os.path.abspath(drf_mcp_bridge.__file__).startswith(os.path.join(here, "src"))

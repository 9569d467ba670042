"""``manage.py mcp_call``: check the MCP endpoint without any MCP client.

    python manage.py mcp_call tools/list
    python manage.py mcp_call customers_create name=Ann tier=pro --user alice
    python manage.py mcp_call customers_list --url http://127.0.0.1:8000/mcp/ \\
        --header "Authorization: Token ..."

In-process calls run through the real endpoint view (and so through the real DRF views)
as the given user; ``--url`` sends the same JSON-RPC over HTTP to a running server. The
command says on stderr whom it calls as (a user, or anonymous), so that a tool refused or
missing from the list is not mistaken for a bug.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...core import jsonrpc
from ...core.jsonrpc import dumps
from ...core.types import LATEST_PROTOCOL_VERSION
from ...invocation.permissions import caller_name
from ...transport.local import LocalEndpoint, find_user, parse_header
from ...transport.streaming import event_data

PROTOCOL_METHODS = {"initialize", "ping", "tools/list"}
#: Headers that carry credentials, for saying whom a call over HTTP runs as.
_CREDENTIAL_HEADERS = {"authorization", "cookie", "proxy-authorization"}


def _inactive(user: Any) -> str:
    # The endpoint's and the views' SessionAuthentication refuse an inactive user.
    if getattr(user, "is_authenticated", False) and not getattr(user, "is_active", True):
        return " (inactive: the views will see an anonymous caller)"
    return ""


def parse_arguments(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` pairs → arguments; a value that parses as JSON is used as JSON."""
    arguments: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"Arguments are key=value pairs; got {pair!r}.")
        try:
            arguments[key] = json.loads(raw)
        except ValueError:
            arguments[key] = raw
    return arguments


class Command(BaseCommand):
    help = "Call the MCP endpoint: tools/list, initialize, ping, or a tool with key=value args."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="tools/list, initialize, ping, or a tool name")
        parser.add_argument("arguments", nargs="*", help="tool arguments as key=value")
        parser.add_argument("--args", dest="json_args", help="tool arguments as a JSON object")
        parser.add_argument("--user", help="username to call as (in-process; default anonymous)")
        parser.add_argument("--url", help="call a running server at this URL over HTTP instead")
        parser.add_argument(
            "--header", action="append", default=[], help='HTTP header for --url, "Name: value"'
        )
        parser.add_argument("--json", action="store_true", help="print the raw JSON result")

    def handle(self, *args: Any, **options: Any) -> None:
        target: str = options["target"]
        arguments = parse_arguments(options["arguments"])
        if options["json_args"]:
            try:
                extra = json.loads(options["json_args"])
            except ValueError as exc:
                raise CommandError(f"--args is not valid JSON: {exc}") from exc
            if not isinstance(extra, dict):
                raise CommandError("--args must be a JSON object.")
            arguments.update(extra)
        if target in PROTOCOL_METHODS:
            method, params = target, self._protocol_params(target)
        else:
            method, params = "tools/call", {"name": target, "arguments": arguments}
        if options["url"]:
            if options["user"]:
                raise CommandError("--user works in-process only; with --url send credentials.")
            self.stderr.write(self._remote_caller(options))
            response = self._http(method, params, options)
        else:
            user = find_user(options["user"])
            self.stderr.write(f"Calling as {caller_name(user)}{_inactive(user)}.")
            response = self._in_process(method, params, user)
        if "error" in response:
            error = response["error"]
            raise CommandError(f"JSON-RPC error {error.get('code')}: {error.get('message')}")
        self._print(target, response["result"], options["json"])

    @staticmethod
    def _protocol_params(method: str) -> dict[str, Any]:
        if method == "initialize":
            return {
                "protocolVersion": LATEST_PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "manage.py mcp_call", "version": "1"},
            }
        return {}

    # transports -------------------------------------------------------------------------
    def _in_process(self, method: str, params: dict[str, Any], user: Any) -> dict[str, Any]:
        endpoint = LocalEndpoint(user)
        endpoint.version = LATEST_PROTOCOL_VERSION  # as if initialized
        message = jsonrpc.request(1, method, params)
        return self._decode(200, dumps(endpoint.answer(message)).encode())

    def _http(self, method: str, params: dict[str, Any], options: Any) -> dict[str, Any]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": LATEST_PROTOCOL_VERSION,
        }
        for header in options["header"]:
            name, value = parse_header(header)
            headers[name] = value
        if method != "initialize":
            self._post(options["url"], "initialize", self._protocol_params("initialize"), headers)
        return self._post(options["url"], method, params, headers)

    def _post(
        self, url: str, method: str, params: dict[str, Any], headers: dict[str, str]
    ) -> dict[str, Any]:
        body = json.dumps(jsonrpc.request(1, method, params))
        request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                content = response.read()
                if response.headers.get_content_type() == "text/event-stream":
                    content = [b"", *event_data([content])][-1]  # the response
                return self._decode(response.status, content)
        except urllib.error.HTTPError as exc:
            return self._decode(exc.code, exc.read())
        except urllib.error.URLError as exc:
            raise CommandError(f"Could not reach {url}: {exc.reason}") from exc

    @staticmethod
    def _remote_caller(options: Any) -> str:
        """Whom a call over HTTP runs as, as far as the command knows: the server decides
        from the credentials the --header options carry."""
        sent = [parse_header(h)[0] for h in options["header"]]
        credentials = [n for n in sent if n.lower() in _CREDENTIAL_HEADERS]
        if not credentials:
            return f"Calling {options['url']} as anonymous (no Authorization or Cookie header)."
        return (
            f"Calling {options['url']} as whoever the server finds in the "
            f"{' and '.join(credentials)} header."
        )

    @staticmethod
    def _decode(status: int, content: bytes) -> dict[str, Any]:
        try:
            decoded = json.loads(content)
        except ValueError as exc:
            raise CommandError(f"HTTP {status}: the endpoint did not answer JSON.") from exc
        if not isinstance(decoded, dict):
            raise CommandError(f"HTTP {status}: unexpected answer {decoded!r}.")
        return decoded

    # output -----------------------------------------------------------------------------
    def _print(self, target: str, result: dict[str, Any], raw: bool) -> None:
        if raw:
            self.stdout.write(json.dumps(result, indent=2))
        elif target == "tools/list":
            tools = result.get("tools", [])
            width = max((len(t["name"]) for t in tools), default=0)
            for tool in tools:
                self.stdout.write(f"{tool['name']:<{width}}  {tool.get('title', '')}")
            self.stdout.write(f"{len(tools)} tools")
        elif target in PROTOCOL_METHODS:
            self.stdout.write(json.dumps(result, indent=2))
        elif "structuredContent" in result:
            self.stdout.write(json.dumps(result["structuredContent"], indent=2))
        else:
            for block in result.get("content", []):
                self.stdout.write(block.get("text", json.dumps(block)))
        if result.get("isError"):
            raise CommandError(f"The tool {target} returned an error (isError).")

"""Never down as a whole (issue 14): values of real applications (lazy translations,
Decimal, date, UUID and enum defaults...) reach schemas as JSON, and a tool whose
definition fails at any stage is left out alone, with one warning, a check warning and a
tool error when called; every other tool is served."""

from __future__ import annotations

import datetime
import decimal
import enum
import ipaddress
import logging
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import models
from django.test import override_settings
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from drf_mcp_bridge import mcp_action, mcp_tool, mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.catalogue.tools import ViewSetActionTool
from drf_mcp_bridge.schema.extensions import mcp_field_schema
from drf_mcp_bridge.schema.fields import choice_value
from drf_mcp_bridge.schema.safe import SKIP, NotJSONSafe, field_path, json_safe, safe_schema
from drf_mcp_bridge.test import MCPClient, ToolResult
from tests.conftest import rpc
from tests.testapp.models import Note

pytestmark = pytest.mark.django_db

HERE = __name__
DOCS = Path(__file__).resolve().parents[1] / "docs"


class Size(models.TextChoices):
    SMALL = "s", _("Small")
    LARGE = "l", _("Large")


class Level(models.IntegerChoices):
    LOW = 1, _("Low")
    HIGH = 2, _("High")


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Address(serializers.Serializer):  # type: ignore[type-arg]
    street = serializers.CharField(label=_("Street and number"), help_text=_("As on a letter."))
    kind = serializers.ChoiceField(
        choices=[("home", _("Home")), ("work", _("Work"))], help_text=_("Which address.")
    )


class Everything(serializers.Serializer):  # type: ignore[type-arg]
    """What a large real application puts in its serializers."""

    name = serializers.CharField(
        label=_("Full name"), help_text=_("As on the passport."), default=_("nobody")
    )
    size = serializers.ChoiceField(choices=Size.choices, default=Size.LARGE, label=_("Size"))
    level = serializers.ChoiceField(choices=Level.choices, default=Level.HIGH)
    colour = serializers.ChoiceField(
        choices=[(Colour.RED, _("Red")), (Colour.BLUE, _("Blue"))], default=Colour.BLUE
    )
    channels = serializers.MultipleChoiceField(
        choices=[("web", _("Web")), ("shop", _("Shop")), ("mail", _("Mail"))],
        default={"web", "shop"},
    )
    price = serializers.DecimalField(
        max_digits=6, decimal_places=2, default=decimal.Decimal("1.5"), help_text=_("Euros.")
    )
    ratio = serializers.DecimalField(
        max_digits=4, decimal_places=2, coerce_to_string=False, default=decimal.Decimal("0.25")
    )
    day = serializers.DateField(default=datetime.date(2024, 1, 2))
    moment = serializers.DateTimeField(
        default=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    )
    alarm = serializers.TimeField(default=datetime.time(7, 30))
    wait = serializers.DurationField(default=datetime.timedelta(days=1, seconds=5))
    key = serializers.UUIDField(default=uuid.UUID("12345678-1234-5678-1234-567812345678"))
    tags = serializers.ListField(child=serializers.CharField(), default=("a", "b"))
    extra = serializers.JSONField(
        default={
            "when": datetime.date(2024, 5, 6),
            "amount": decimal.Decimal("2.5"),
            "say": _("hi"),
        }
    )
    home = Address(required=False)
    work = Address(required=False)


class Everywhere(viewsets.ViewSet):
    serializer_class = Everything

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        return Everything(*args, **kwargs)

    @mcp_action(output_schema=Everything)  # its own create(): declared, else none
    def create(self, request: Any) -> Response:
        return Response({})

    @action(detail=False, methods=["post"])
    def echo(self, request: Any) -> Response:
        return Response({})


@pytest.fixture
def everywhere() -> Iterator[None]:
    mcp_viewset(name="everything")(Everywhere)
    yield
    registry.unregister(Everywhere)


def test_lazy_and_python_values_reach_schemas_as_json(
    everywhere: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        tools = {t["name"]: t for t in MCPClient().tools_list()}
    assert not caplog.records  # nothing left out, nothing to warn about
    schema = tools["everything_create"]["inputSchema"]
    Draft202012Validator.check_schema(schema)
    properties = schema["properties"]
    # Every default is a value its own schema accepts (the form DRF parses).
    for prop in properties.values():
        if "default" in prop:
            Draft202012Validator(prop).validate(prop["default"])
    name = properties["name"]
    assert (name["title"], name["default"]) == ("Full name", "nobody")
    assert name["description"] == "As on the passport."
    assert properties["size"]["enum"] == ["s", "l"] and properties["size"]["default"] == "l"
    assert "s: Small; l: Large" in properties["size"]["description"]
    assert properties["level"]["enum"] == [1, 2] and properties["level"]["default"] == 2
    # A plain Enum is listed as the ChoiceField accepts it (its value on DRF 3.16).
    colour = Everything().fields["colour"]
    assert [colour.to_internal_value(v) for v in properties["colour"]["enum"]] == list(Colour)
    assert colour.to_internal_value(properties["colour"]["default"]) is Colour.BLUE
    assert properties["channels"]["default"] == ["shop", "web"]  # a set: sorted
    assert properties["price"]["default"] == "1.50"  # DecimalField renders a string
    # Input decimals are strings whatever coerce_to_string says; the default follows.
    assert properties["ratio"]["default"] == "0.25"
    assert properties["day"]["default"] == "2024-01-02"
    assert properties["moment"]["default"] == "2024-01-02T03:04:05Z"
    assert properties["alarm"]["default"] == "07:30:00"
    assert properties["wait"]["default"] == "1 00:00:05"
    assert properties["key"]["default"] == "12345678-1234-5678-1234-567812345678"
    assert properties["tags"]["default"] == ["a", "b"]
    assert properties["extra"]["default"] == {"when": "2024-05-06", "amount": 2.5, "say": "hi"}
    # The nested serializer used twice is shared through $defs, lazy texts resolved.
    assert properties["home"] == {"$ref": "#/$defs/Address"}
    street = schema["$defs"]["Address"]["properties"]["street"]
    assert street["title"] == "Street and number"
    assert street["description"] == "As on a letter."
    output = tools["everything_create"]["outputSchema"]
    Draft202012Validator.check_schema(output)
    schema_checks = {"drf_mcp_bridge.W020", "drf_mcp_bridge.W002"}
    assert not [m for m in checks.run_checks() if m.id in schema_checks]


def test_resources_and_titles_of_lazy_tools_encode(everywhere: None) -> None:
    mcp_viewset(name="lazy_notes", titles={"list": _("Notes")})(LazyNotes)
    try:
        client = MCPClient()
        listed = {t["name"]: t for t in client.tools_list()}
        assert listed["lazy_notes_list"]["title"] == "Notes"
        resources = client.request_mcp("resources/list")["resources"]
        assert {"uri": "drf://lazy_notes", "title": "Notes"}.items() <= next(
            r for r in resources if r["name"] == "lazy_notes"
        ).items()
    finally:
        registry.unregister(LazyNotes)


class LazyNotes(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Note.objects.all()

    class serializer_class(serializers.ModelSerializer):  # type: ignore[type-arg]
        class Meta:
            model = Note
            fields = ["id", "text"]


# Broken tools --------------------------------------------------------------------------


@mcp_field_schema(lambda field, direction: 1 / 0)
class RaisingField(serializers.CharField):
    """A field whose declared schema raises."""


class Money:
    """Not a schema, not JSON."""


@mcp_field_schema(lambda field, direction: Money())
class ObjectField(serializers.CharField):
    """A custom mapper returning an object instead of a schema."""


@mcp_field_schema(lambda field, direction: {"type": "string", "const": Money()})
class UnencodableField(serializers.CharField):
    """A schema holding a value with no JSON form (where it constrains: not droppable)."""


class Raises(serializers.Serializer):  # type: ignore[type-arg]
    fine = serializers.CharField()
    boom = RaisingField()


class ReturnsObject(serializers.Serializer):  # type: ignore[type-arg]
    money = ObjectField()


class Unencodable(serializers.Serializer):  # type: ignore[type-arg]
    price = UnencodableField()


class Fine(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField()


class BrokenThings(viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = Fine

    @action(detail=False, methods=["post"], serializer_class=Raises)
    def raises(self, request: Any) -> Response:
        return Response({})

    @action(detail=False, methods=["post"], serializer_class=ReturnsObject)
    def returns_object(self, request: Any) -> Response:
        return Response({})

    @action(detail=False, methods=["post"], serializer_class=Unencodable)
    def unencodable(self, request: Any) -> Response:
        return Response({})

    @mcp_action(output_schema={"type": "object", "properties": {"x": {"pattern": "("}}})
    @action(detail=False, methods=["post"])
    def uncompilable(self, request: Any) -> Response:
        return Response({})

    @action(detail=False, methods=["post"])
    def fine(self, request: Any) -> Response:
        return Response({"ok": True})


class BrokenNotes(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """list and retrieve break: no resource, no template, no guide prompt."""

    queryset = Note.objects.all()

    class serializer_class(serializers.ModelSerializer):  # type: ignore[type-arg]
        text = RaisingField()

        class Meta:
            model = Note
            fields = ["id", "text"]


BUILDING = "building its schemas"
BROKEN = {
    "brk_raises": ("raises", f"{HERE}.Raises", "boom", BUILDING),
    "brk_returns_object": ("returns_object", f"{HERE}.ReturnsObject", "money", BUILDING),
    "brk_unencodable": (
        "unencodable",
        f"{HERE}.Unencodable",
        "price",
        "encoding its definition as JSON",
    ),
    "brk_uncompilable": ("uncompilable", f"{HERE}.Fine", None, "compiling its output check"),
}


@pytest.fixture
def broken() -> Iterator[None]:
    mcp_viewset(name="brk")(BrokenThings)
    mcp_viewset(name="broken_notes")(BrokenNotes)
    yield
    registry.unregister(BrokenThings)
    registry.unregister(BrokenNotes)


def call(client: MCPClient, name: str, arguments: dict[str, Any] | None = None) -> ToolResult:
    """tools/call without conftest's output check (which reads the tool's schemas)."""
    result = client.request_mcp("tools/call", {"name": name, "arguments": arguments or {}})
    return ToolResult(
        raw=result,
        is_error=bool(result.get("isError")),
        structured=result.get("structuredContent"),
        content=list(result.get("content", [])),
    )


def left_out_warnings(caplog: pytest.LogCaptureFixture) -> dict[str, str]:
    found: dict[str, str] = {}
    for record in caplog.records:
        message = record.getMessage()
        if "left out of tools/list" in message:
            assert record.levelno == logging.WARNING, message
            name = re.match(r"Tool '([^']+)'", message)
            assert name is not None
            assert name.group(1) not in found, f"logged twice: {message}"
            found[name.group(1)] = message
    return found


def test_a_broken_tool_is_left_out_alone(
    broken: None, caplog: pytest.LogCaptureFixture, client: Any
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert response.status_code == 200
        names = [t["name"] for t in response.json()["result"]["tools"]]
        again = MCPClient().tool_names()  # served from the cache: no second warning
    assert names == again
    assert "brk_fine" in names and "customers_list" in names
    assert not set(BROKEN) & set(names)
    assert not {"broken_notes_list", "broken_notes_retrieve"} & set(names)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    warnings = left_out_warnings(caplog)
    assert set(warnings) == {*BROKEN, "broken_notes_list", "broken_notes_retrieve"}
    for name, (action_name, serializer, field, stage) in BROKEN.items():
        message = warnings[name]
        assert f"{stage} failed" in message
        assert f"view {HERE}.BrokenThings" in message
        assert f"action {action_name}" in message
        assert f"serializer {serializer}" in message
        if field:
            assert f"field {field}" in message
    assert "ZeroDivisionError" in warnings["brk_raises"]
    assert "Money at /inputSchema/properties/price/const" in warnings["brk_unencodable"]
    assert "field text" in warnings["broken_notes_list"]


def test_broken_tools_are_check_warnings_not_errors(broken: None) -> None:
    messages = [m for m in checks.run_checks() if m.id and m.id.startswith("drf_mcp_bridge")]
    assert not [m for m in messages if m.level >= checks.ERROR]
    left_out = [m for m in messages if m.id == "drf_mcp_bridge.W020"]
    assert len(left_out) == len(BROKEN) + 2
    assert {m.level for m in left_out} == {checks.WARNING}
    raises = next(m for m in left_out if "'brk_raises'" in m.msg)
    assert f"serializer {HERE}.Raises, field boom" in raises.msg
    # manage.py check (and runserver, migrate...) goes on: warnings do not stop it.
    call_command("check")


def test_calling_a_broken_tool_is_a_tool_error(
    broken: None, caplog: pytest.LogCaptureFixture
) -> None:
    client = MCPClient()
    with caplog.at_level(logging.DEBUG):
        for name in [*BROKEN, "broken_notes_list"]:
            result = call(client, name)
            assert result.is_error, name
            assert f"The tool {name} is unavailable" in result.text
        assert call(client, "brk_fine").json() == {"ok": True}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # The cause is in the server log, not in the answer.
    assert "ZeroDivisionError" not in call(client, "brk_raises").text


def test_broken_tools_give_no_resources_or_prompts(broken: None) -> None:
    client = MCPClient()
    uris = [r["uri"] for r in client.request_mcp("resources/list")["resources"]]
    templates = client.request_mcp("resources/templates/list")["resourceTemplates"]
    assert "drf://customers" in uris  # the others are served
    assert "drf://broken_notes" not in uris
    assert not [t for t in templates if t["uriTemplate"].startswith("drf://broken_notes/")]
    prompts = [p["name"] for p in client.request_mcp("prompts/list")["prompts"]]
    assert "customers_guide" in prompts and "broken_notes_guide" not in prompts


@override_settings(REST_FRAMEWORK_MCP={"TOOL_DISCOVERY": True})
def test_discovery_leaves_broken_tools_out(broken: None) -> None:
    client = MCPClient()
    found = call(client, "find_tools", {"query": "brk raises fine", "limit": 50})
    names = [t["name"] for t in found.structured["tools"]]
    assert "brk_fine" in names and not set(BROKEN) & set(names)
    schema = call(client, "get_tool_schema", {"name": "brk_raises"})
    assert schema.is_error and "brk_raises is unavailable" in schema.text
    fine = call(client, "get_tool_schema", {"name": "brk_fine"})
    assert fine.json()["name"] == "brk_fine"  # the definition, as JSON text
    called = call(client, "call_tool", {"name": "brk_unencodable", "arguments": {}})
    assert called.is_error and "brk_unencodable is unavailable" in called.text


def test_checks_and_tools_list_build_each_schema_once(
    broken: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    original = ViewSetActionTool._build_schemas

    def counted(self: ViewSetActionTool) -> Any:
        built.append(self.name)
        return original(self)

    monkeypatch.setattr(ViewSetActionTool, "_build_schemas", counted)
    registry.invalidate()
    checks.run_checks()
    after_checks = len(built)
    assert after_checks == len(set(built)) > 0
    MCPClient().tools_list()
    assert len(built) == after_checks  # tools/list serves what the checks built


# Function tools: schemas and results ------------------------------------------------------

_NOT_JSON = object()


def test_function_tool_defaults_and_results_are_json() -> None:
    def priced(
        amount: float = decimal.Decimal("2.50"),  # type: ignore[assignment]
        sentinel: Any = _NOT_JSON,
    ) -> dict[str, Any]:
        return {
            "amount": decimal.Decimal("2.50"),
            "when": datetime.date(2024, 1, 2),
            "label": _("Price"),
            "kinds": {"b", "a"},
            "size": Size.SMALL,
            "key": uuid.UUID(int=1),
        }

    mcp_tool(name="priced")(priced)
    try:
        client = MCPClient()
        listed = next(t for t in client.tools_list() if t["name"] == "priced")
        properties = listed["inputSchema"]["properties"]
        assert properties["amount"] == {"type": "number", "default": 2.5}
        assert properties["sentinel"] == {}  # a default without JSON form is left out
        result = client.call_tool("priced")
        assert result.structured == {
            "amount": 2.5,
            "when": "2024-01-02",
            "label": "Price",
            "kinds": ["a", "b"],
            "size": "s",
            "key": "00000000-0000-0000-0000-000000000001",
        }
    finally:
        registry.unregister("priced")


# The conversion rules --------------------------------------------------------------------


def test_json_safe_rules() -> None:
    assert json_safe(_("text")) == "text"
    assert json_safe(decimal.Decimal("12.50")) == 12.5
    assert json_safe(decimal.Decimal("3")) == 3
    assert json_safe(decimal.Decimal("1E+3"), decimal_form="string") == "1000"
    assert json_safe(datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)) == (
        "2024-01-02T03:04:00Z"
    )
    assert json_safe(datetime.timedelta(hours=2)) == "02:00:00"
    assert json_safe((1, {2, 3}, frozenset())) == [1, [2, 3], []]
    assert json_safe(Colour.RED) == "red" and json_safe(Level.LOW) == 1
    assert json_safe(ipaddress.ip_address("10.0.0.1")) == "10.0.0.1"
    assert json_safe({"a": b"raw", "b": [b"x", 1], "c": float("inf")}) == {"b": [1]}
    assert json_safe(b"raw") is SKIP
    with pytest.raises(NotJSONSafe) as raised:
        json_safe({"x": [1, Money()]})
    assert raised.value.pointer == "/x/1"


def test_choices_are_listed_as_drf_accepts_them() -> None:
    class Shade(enum.IntEnum):
        DARK = 1

    class Mode(str, enum.Enum):  # prints as "Mode.ON", not as its value
        ON = "on"

    for key, listed in [
        (Size.SMALL, "s"),
        (Level.HIGH, 2),
        (Shade.DARK, 1),
        (decimal.Decimal("1.5"), "1.5"),
        (datetime.date(2024, 1, 2), "2024-01-02"),
        (Colour.RED, None),  # the form the installed DRF maps: "red" on DRF 3.16
        (Mode.ON, None),
    ]:
        field = serializers.ChoiceField(choices=[(key, "label")])
        value = choice_value(key, field)
        assert listed is None or value == listed
        assert json_safe(value) == value  # plain JSON
        assert field.to_internal_value(value) == key  # what the schema lists is accepted


def test_safe_schema_follows_each_schema_type() -> None:
    schema = {
        "type": "object",
        "properties": {
            "s": {"type": "string", "default": decimal.Decimal("1.50")},
            "n": {"type": ["number", "null"], "enum": [decimal.Decimal("0.5"), None]},
            "any": {"anyOf": [{"type": "string", "const": decimal.Decimal("2")}]},
            "noted": {"type": "string", "default": Money(), "examples": [Money()]},
            "bounded": {"type": "number", "maximum": float("inf"), "minimum": decimal.Decimal(0)},
        },
    }
    assert safe_schema(schema)["properties"] == {
        "s": {"type": "string", "default": "1.50"},
        "n": {"type": ["number", "null"], "enum": [0.5, None]},
        "any": {"anyOf": [{"type": "string", "const": "2"}]},
        "noted": {"type": "string"},  # annotations without JSON form are left out
        "bounded": {"type": "number", "minimum": 0},
    }
    with pytest.raises(NotJSONSafe) as raised:
        safe_schema({"properties": {"a": {"properties": {"b": {"enum": [Money()]}}}}})
    assert field_path(raised.value.path) == "a.b"


def test_documented_check_levels_match_the_code() -> None:
    """docs/checks.md gives each id checks.py reports the level the code gives it."""
    source = (
        Path(__file__).resolve().parents[1] / "src/drf_mcp_bridge/catalogue/checks.py"
    ).read_text()
    parts = re.split(r"checks\.(Error|Warning)\(", source)
    in_code: dict[str, str] = {}
    for kind, body in zip(parts[1::2], parts[2::2], strict=True):
        found = re.search(r'id=f"\{ID\}\.([EW]\d{3})"', body)
        assert found is not None, body[:200]
        in_code[found.group(1)] = kind.lower()
    assert {"W020", "W030", "W031", "W032", "W033", "E001"} <= set(in_code)
    table = dict(
        re.findall(
            r"^\| `drf_mcp_bridge\.([EW]\d{3})` \| (error|warning) \|",
            (DOCS / "checks.md").read_text(),
            re.M,
        )
    )
    mine = {"W002", "W020", "W030", "W031", "W032", "W033"}
    assert mine <= set(table) and not {"E020", "E030", "E031", "E032", "E033"} & set(in_code)
    for ident, level in in_code.items():
        assert ident[0] == level[0].upper(), ident  # E for errors, W for warnings
        if ident in table:
            assert table[ident] == level, ident


def test_checks_benchmark_of_an_800_tool_api() -> None:
    """bench/bench_checks.py runs on ~800 tools and prints its measurements (the 2 s
    target is read from its output by people, not asserted here: no timed unit tests)."""
    root = Path(__file__).resolve().parents[1]
    completed = subprocess.run(
        [sys.executable, str(root / "bench" / "bench_checks.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
    )
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout
    assert "on a 798-tool API (rich serializers)" in output
    assert "798 tools listed" in output
    assert re.search(r"target: the MCP checks add <= 2 s: (met|MISSED)", output), output
    assert re.search(r"no MCP checks run:\s+([\d.]+) s; after them: ([\d.]+) s", output), output

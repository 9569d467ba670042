"""The package's import graph (issue 15): no import cycle at all, between any modules of the
package. grimp (import-linter's graph) sees every import, at module level, in functions and
under TYPE_CHECKING. The layers themselves are import-linter contracts (pyproject.toml)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")  # from import-linter (the dev extra)


def _cycles() -> list[set[str]]:
    graph = grimp.build_graph("drf_mcp_bridge")
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = [0]

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member.removeprefix("drf_mcp_bridge."))
                if member == module:
                    break
            if len(component) > 1:
                found.append(component)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    assert _cycles() == []


PACKAGE = Path(__file__).resolve().parents[1] / "src" / "drf_mcp_bridge"


def _imports(path: Path) -> list[tuple[ast.stmt, str, bool]]:
    """(statement, imported module, inside a function) for every import of ``path``."""
    tree = ast.parse(path.read_text())
    found: list[tuple[ast.stmt, str, bool]] = []

    def walk(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                walk(child, in_function, True)
                continue
            if isinstance(child, ast.Import):
                found.extend((child, a.name, in_function) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                found.append((child, "." * child.level + (child.module or ""), in_function))
            walk(child, in_function or isinstance(child, ast.FunctionDef), type_checking)

    walk(tree, False, False)
    return found


@pytest.mark.parametrize("layer", ["protocol", "schema"])
def test_the_protocol_and_schema_hold_no_django_http_request(layer: str) -> None:
    # The transports turn HTTP into messages and a Caller; below them nothing needs HTTP.
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for _node, module, _in_function in _imports(path):
            assert not module.startswith("django.http"), (path.name, module)


def test_function_level_imports_of_the_package_say_why() -> None:
    # With no cycle left, an import inside a function is only for a reason worth a
    # comment (an optional dependency, settings that DRF imports while loading its own).
    lines_of: dict[Path, list[str]] = {}
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent == PACKAGE and path.name not in {"apps.py", "test.py", "export.py"}:
            continue  # __init__'s lazy public names and the deprecated aliases
        for node, module, in_function in _imports(path):
            if not in_function or not module.startswith("."):
                continue
            lines = lines_of.setdefault(path, path.read_text().splitlines())
            said = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
            if not said:
                unexplained.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {module}")
    assert unexplained == []

"""The import graph of symbackprop/ has no cycle: data flows one way, spec → network → derivation →
renderers / checker, and no module reaches back up — not at module level, and not through an import hidden in a
function (imports under `if TYPE_CHECKING:` are for type hints only and do not count). The graph is read from
the source with `ast`, so the test sees what a reader sees."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "symbackprop"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module → the modules of the package it imports (by name; `from . import x` is module x when x is one)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def test_the_reader_finds_imports_in_functions_and_skips_type_checking() -> None:
    src = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n"
           "def f():\n    from .c import g\n    return g\n")
    names = [n.module for n in _imports(ast.parse(src)) if isinstance(n, ast.ImportFrom)]
    assert names == ["typing", "c"]


def test_the_import_graph_has_no_cycle() -> None:
    modules = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    graph = edges(modules)
    assert graph["symbackprop.derive"] >= {"symbackprop.network"}  # the reader sees the package's own imports
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = exc.args[1]
        raise AssertionError("import cycle: " + " → ".join(cycle)) from None

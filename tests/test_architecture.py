"""The package layout keeps its promises: no import cycles, no upward imports, documented packages.

Data flows one way: ``model`` <- ``analysis`` <- ``render`` <- ``archdoc``, and ``render``
takes the analysis' rows without importing it. Every import counts, including imports
inside functions (a lazy import is still a dependency); only ``if TYPE_CHECKING:``
blocks are left out. ``from pkg import name`` is an edge to ``pkg.name`` when that is a
module of ours, else to ``pkg`` (its ``__init__``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("model", "analysis", "render", "aws", "archdoc")
MAY_IMPORT = {
    "model": {"model"},
    "analysis": {"model", "analysis"},
    "render": {"model", "render"},
    "aws": {"model", "aws"},
    "archdoc": {"model", "analysis", "render", "aws", "archdoc"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, name: str, is_package: bool, known: set[str]) -> set[str]:
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in out if m.split(".")[0] in PACKAGES}


def _graph() -> nx.DiGraph:
    modules = _modules()
    known = set(modules)
    g = nx.DiGraph()
    for name, path in modules.items():
        g.add_node(name)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target in _imports(tree, name, path.name == "__init__.py", known):
            if target != name:
                g.add_edge(name, target)
    return g


GRAPH = _graph()


def test_no_import_cycles() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(GRAPH) if len(c) > 1]
    assert cycles == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_upward_imports(package: str) -> None:
    bad = sorted((a, b) for a, b in GRAPH.edges if a.split(".")[0] == package
                 and b.split(".")[0] not in MAY_IMPORT[package])
    assert bad == []


def test_every_package_says_what_it_holds_and_may_import() -> None:
    missing = []
    for init in sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if "May import" not in doc:
            missing.append(init.relative_to(ROOT).as_posix())
    assert missing == []


def test_the_checker_sees_a_cycle() -> None:
    """The walk itself: a two-module cycle and a lazy import are both edges."""
    tree_a = ast.parse("def f():\n    from pkg.b import x\n")
    tree_b = ast.parse("from pkg.a import y\nif TYPE_CHECKING:\n    from pkg.c import z\n")
    g = nx.DiGraph()
    for name, tree in (("pkg.a", tree_a), ("pkg.b", tree_b)):
        for target in _imports(tree, name, False, {"pkg.a", "pkg.b", "pkg.c"}):
            g.add_edge(name, target)
    assert sorted(g.edges) == []  # 'pkg' is not one of ours: filtered out
    known = {"model.a", "model.b", "model.c"}
    g = nx.DiGraph()
    g.add_edges_from(("model.a", t) for t in _imports(ast.parse("def f():\n    from model.b import x\n"),
                                                      "model.a", False, known))
    g.add_edges_from(("model.b", t) for t in _imports(ast.parse(
        "from model.a import y\nif TYPE_CHECKING:\n    from model.c import z\n"), "model.b", False, known))
    assert sorted(g.edges) == [("model.a", "model.b"), ("model.b", "model.a")]

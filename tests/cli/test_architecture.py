"""The layering of docs/architecture.md, checked on the import graph of the installed source:
faces (cli, web) -> app -> domain / storage / formats, with no import circle anywhere."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

import trailmix

SRC = Path(trailmix.__file__).parent


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    """Module -> the trailmix modules it imports (at any depth in the file)."""
    files = {_module(p): p for p in SRC.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        deps: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # `from pkg import mod` imports the module, not (for this graph) the package
                subs = [f"{base}.{a.name}" for a in node.names]
                targets = [s for s in subs if s in files] or [base]
            for t in targets:
                while t and t not in files:
                    t = t.rpartition(".")[0]
                if t and t != name and t.startswith("trailmix"):
                    deps.add(t)
        graph[name] = deps
    return graph


@functools.cache
def graph() -> dict[str, set[str]]:
    """`_graph()`, made once, when a test first asks (not while the tests are collected)."""
    return _graph()


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def test_the_graph_is_read() -> None:
    assert "trailmix.app.plans" in graph()["trailmix.cli.plan_cmd"]
    assert "trailmix.domain.plan.build" in graph()["trailmix.app.plans"]
    assert "trailmix.formats.readers" in graph()["trailmix.app.log_import"]


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("cli", {"storage", "web"}),
        ("web", {"storage", "cli"}),
        ("app", {"cli", "web"}),
        ("domain", {"app", "cli", "web", "storage", "formats", "charts"}),
        ("formats", {"app", "cli", "web", "storage"}),
        ("storage", {"app", "cli", "web"}),
        ("charts", {"storage", "cli", "web"}),
    ],
)
def test_each_layer_imports_only_what_is_below_it(layer: str, forbidden: set[str]) -> None:
    allowed_exceptions = {("trailmix.cli.serve_cmd", "web")}  # `trailmix serve` starts the web
    bad = sorted(
        f"{m} -> {d}"
        for m, deps in graph().items()
        if _layer(m) == layer
        for d in deps
        if _layer(d) in forbidden and (m, _layer(d)) not in allowed_exceptions
    )
    assert bad == []


def test_there_is_no_import_circle() -> None:
    """Tarjan's strongly connected components: every module is its own component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph().get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph()):
        if v not in index:
            visit(v)
    assert circles == []

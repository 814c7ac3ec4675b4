"""The package's shape: data flows one way, so no module imports one that imports it back, and only the
MkDocs adapters import MkDocs.

The imports are read from the source (``ast``), every one of them: at the top, inside functions
(a lazy import is still a dependency) and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
ADAPTERS = {"generator.plugin", "generator.search_hook", "generator.markdown_ext", "generator.blog_hook", "generator.render_hook",
            "generator.unchanged"}
MKDOCS = {"mkdocs", "material"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """Every module ``name`` imports, by absolute name (``from . import x`` resolved to the module x if it is one)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES)
    return found


GRAPH = {name: {i for i in _imports(name) if i in MODULES and i != name} for name in MODULES}


def _cycle() -> list[str] | None:
    """One import cycle among the package's modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(GRAPH[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for name in sorted(GRAPH):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_the_graph_is_read() -> None:
    # A few edges known from the source, so an empty graph cannot pass.
    assert "generator.model" in GRAPH["generator.pages"]
    assert "generator.catalogue" in GRAPH["generator.model"]
    assert "generator.errors" in GRAPH["generator.catalogue.messages"] or "generator.errors" in GRAPH["generator.catalogue"]
    assert {"generator.exports", "generator.feed", "generator.stats"} <= GRAPH["generator.pages"]  # from . import a, b


def test_no_import_cycle() -> None:
    assert _cycle() is None, " -> ".join(_cycle() or [])


def test_the_cycle_finder_finds_a_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(GRAPH, "generator.errors", GRAPH["generator.errors"] | {"generator.cli"})
    found = _cycle()
    assert found is not None and found[0] == found[-1] and "generator.errors" in found


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_adapters_import_mkdocs(name: str) -> None:
    uses = {i for i in _imports(name) if i.split(".")[0] in MKDOCS}
    if name in ADAPTERS:
        return
    assert uses == set(), f"{name} imports {sorted(uses)}; only {sorted(ADAPTERS)} may"


def test_the_plugin_is_an_adapter_that_imports_mkdocs() -> None:
    assert any(i.split(".")[0] == "mkdocs" for i in _imports("generator.plugin"))

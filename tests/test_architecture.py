"""The layout docs/architecture.md describes, checked on the source: who may import what, and where.

Imports are read from the syntax tree, including imports inside functions: a lazy import still ties two
modules together, and a cycle through one is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE_LIMIT = 250


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (``from a import b`` counts as ``a.b`` when that is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _graph(packages=("harness", "ui")) -> dict[str, set[str]]:
    files = {_module_name(p): p for pkg in packages for p in (ROOT / pkg).rglob("*.py")}
    graph = {}
    for name, path in files.items():
        targets = {m for m in _imports(path) if m in files}
        # A package's __init__ importing its own submodules is how a package is put together, not a cycle.
        graph[name] = {m for m in targets if not (path.name == "__init__.py" and m.startswith(name + "."))}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_harness_or_ui():
    assert _cycles(_graph()) == []


def test_report_does_not_import_the_command_line():
    assert "harness.cli" not in _imports(ROOT / "harness" / "report.py")


@pytest.mark.parametrize("path", sorted((ROOT / "harness").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_harness_never_imports_streamlit_or_ui(path):
    bad = {m for m in _imports(path) if m.split(".")[0] in ("streamlit", "ui", "pages")}
    assert not bad, bad


def test_pages_hold_views_only():
    assert not (ROOT / "pages" / "_shared.py").exists()
    long = {p.name: n for p in (ROOT / "pages").glob("*.py") if (n := len(p.read_text().splitlines())) > PAGE_LIMIT}
    assert not long, f"pages over {PAGE_LIMIT} lines: {long}"
    imported_from_pages = {p.name for p in ROOT.rglob("*.py") if ".git" not in p.parts
                           for m in _imports(p) if m == "pages" or m.startswith("pages.")}
    assert not imported_from_pages, imported_from_pages


def test_streamlit_internals_are_touched_in_one_module():
    internal = ("streamlit.runtime", "streamlit.testing.v1.app_test", "PagesManager")
    users = set()
    for path in ROOT.rglob("*.py"):
        if ".git" in path.parts or path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8")
        if any(i in text for i in internal):
            users.add(str(path.relative_to(ROOT)))
    assert users == {"ui/frame.py"}


def test_no_skip_if_missing_on_the_project_own_modules():
    own = ("harness", "ui", "pages")
    for path in [*ROOT.joinpath("tests").rglob("*.py"), *ROOT.joinpath("harness").rglob("*.py"),
                 *ROOT.joinpath("ui").rglob("*.py")]:
        if path == Path(__file__).resolve():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("importorskip", "find_spec"):
                arg = node.args[0] if node.args else None
                name = arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else ""
                assert not name.startswith(own), f"{path.relative_to(ROOT)}: {name}"

"""The house: no import circles among the package's modules, renderers only in report/,
and a README architecture section that names the tree as it is."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "civaudit"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every civaudit import in the file, at any depth: a function-level
    or TYPE_CHECKING import is a dependency too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "civaudit":
                found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "") for a in node.names if a.name.split(".")[0] == "civaudit"]
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        deps = set()
        for target, name in _imports(path):
            full = f"{target}.{name}" if name else target
            dep = full if full in MODULES else _resolve(target)
            if dep and dep != module:
                deps.add(dep)
        graph[module] = deps
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_no_import_circles():
    graph = _graph()
    # A package's __init__ may gather its own submodules (its public face); a circle
    # through that is the package importing its parts, not parts reaching back.
    for module, deps in graph.items():
        if MODULES[module].name == "__init__.py":
            continue
        for dep in list(deps):
            if MODULES[dep].name == "__init__.py" and module.startswith(dep + "."):
                deps.discard(dep)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_nothing_outside_report_imports_a_private_name_from_report():
    offenders = []
    for module, path in MODULES.items():
        if module.startswith("civaudit.report"):
            continue
        for target, name in _imports(path):
            if target.startswith("civaudit.report") and name.startswith("_"):
                offenders.append(f"{module} imports {target}.{name}")
    assert offenders == []


_IMPORT_EACH = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "civaudit" or m.startswith("civaudit.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
"""


def test_every_module_imports_on_its_own():
    """Each module imported first, in a process where no other civaudit module is loaded
    yet: an import order that only works by luck fails here."""
    names = [m for m in sorted(MODULES) if not m.endswith("__main__")]
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""


def test_every_module_says_why_it_exists():
    missing = [m for m, p in MODULES.items() if not ast.get_docstring(ast.parse(p.read_text()))]
    missing = [m for m in missing if MODULES[m].name != "__main__.py"]
    assert missing == []


def _architecture_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Architecture\n(.*?)(?=^## )", text, flags=re.M | re.S)
    assert match, "the README has no '## Architecture' section"
    return match.group(1)


def test_readme_architecture_names_the_tree_as_it_is():
    listing = _architecture_section().split("The top level of", 1)[1].split("```")[1]
    named = set(re.findall(r"^([a-z0-9_]+(?:\.py|/)) ", listing, flags=re.M))
    actual = {
        p.name + ("/" if p.is_dir() else "")
        for p in PACKAGE.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py")
    }
    assert named == actual


def test_public_api_is_importable():
    api = importlib.import_module("civaudit")
    for name in api.__all__:
        assert hasattr(api, name), name

"""The shape the code keeps (docs/architecture.md), checked on every run.

* No import cycle between modules of lms/ at import time (imports at module
  level; an import inside a function runs later and breaks no start-up).
* The attempt engine (lms/attempts) imports no assessment-kind package and
  names no kind: kinds register with it (lms.register_assessment_kinds).
* Views never write: they call services, which own the rules for writes.
* No module in lms/ is over 500 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lms"
MAX_LINES = 500
KIND_PACKAGES = ("lms.quizzes", "lms.keying")
KIND_NAMES = ("quiz", "record_entry", "ten_key", "transcription", "reconciliation")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path, *, top_level_only: bool) -> set[str]:
    """Modules of lms that `path` imports (the module itself, not its names)."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from lms.x import y` may import the submodule lms.x.y.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in MODULES}


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        targets = imported_modules(path, top_level_only=True)
        # Importing lms.a.b first imports the package lms.a.
        for target in list(targets):
            parent = target.rpartition(".")[0]
            while parent and parent in MODULES:
                targets.add(parent)
                parent = parent.rpartition(".")[0]
        targets.discard(name)
        # A package importing its own submodules is how packages work, not a cycle.
        graph[name] = {t for t in targets if not t.startswith(name + ".")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_there_is_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def engine_modules() -> list[str]:
    return [name for name in MODULES if name.startswith("lms.attempts")]


@pytest.mark.parametrize("name", engine_modules())
def test_the_engine_imports_no_kind_package(name):
    imports = imported_modules(MODULES[name], top_level_only=False)
    leaks = sorted(i for i in imports if i.startswith(KIND_PACKAGES))
    assert not leaks, f"{name} imports {leaks}: kinds register with the engine"


@pytest.mark.parametrize("name", engine_modules())
def test_the_engine_names_no_kind(name):
    tree = ast.parse(MODULES[name].read_text())
    named = sorted(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in KIND_NAMES
    )
    assert not named, f"{name} names the kinds {named}"


def view_modules() -> list[str]:
    return [
        name
        for name in MODULES
        if name.endswith(".views") or ".views." in name or name.endswith("_views")
    ]


WRITES = ("add", "add_all", "delete", "merge", "bulk_save_objects")
STATEMENTS = ("insert", "update", "delete")


def writes_in(path: Path) -> list[str]:
    """Session writes and insert/update/delete statements in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        target = ast.unparse(node.func.value)
        if node.func.attr in WRITES and target.endswith("session"):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}")
        if node.func.attr in STATEMENTS and target in ("sa", "sqlalchemy"):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}")
    return found


def test_there_are_view_modules_to_check():
    assert len(view_modules()) >= 8


@pytest.mark.parametrize("name", view_modules())
def test_views_do_not_write(name):
    writes = writes_in(MODULES[name])
    assert not writes, f"{name} writes directly (use a service): {writes}"


def test_the_write_finder_sees_writes(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "def f():\n    db.session.add(x)\n    db.session.execute(sa.update(T))\n"
    )
    assert len(writes_in(sample)) == 2


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_readable_in_one_sitting(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it along its seams"

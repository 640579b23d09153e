"""The layout by role holds: imports run one way, downward, and no module imports itself
back through others (docs/design/architecture.md)."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import imid_onto

PACKAGE = Path(imid_onto.__file__).resolve().parent

#: errors / paths / vocab -> io -> model -> validation | reasoning -> query -> publish -> cli
LEVELS = {
    "errors": 0,
    "paths": 0,
    "vocab": 0,
    "io": 1,
    "model": 2,
    "validation": 3,
    "reasoning": 3,
    "query": 4,
    "publish": 5,
    "cli": 6,
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("imid_onto", *parts)).removesuffix(".__init__")


@functools.cache
def _imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports (at the top or inside
    a function: both run one way)."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module(path)
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("imid_onto"):
                targets |= {
                    f"{node.module}.{a.name}" if node.module == "imid_onto" else node.module for a in node.names
                }
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("imid_onto")}
        found[module] = {t for t in targets if t != "imid_onto.__version__"}
    return found


def _role(module: str) -> str:
    return module.split(".")[1]


def test_every_module_has_a_role():
    roles = {_role(m) for m in _imports() if m != "imid_onto"}
    assert roles == set(LEVELS)


def test_imports_run_downward():
    upward = sorted(
        (m, t)
        for m, targets in _imports().items()
        if m != "imid_onto"
        for t in targets
        if _role(t) in LEVELS and LEVELS[_role(t)] > LEVELS[_role(m)]
    )
    assert upward == []


def test_validation_and_reasoning_do_not_import_each_other():
    across = sorted(
        (m, t)
        for m, targets in _imports().items()
        if m != "imid_onto"
        for t in targets
        if {_role(m), _role(t)} == {"validation", "reasoning"}
    )
    assert across == []


def test_no_import_cycles():
    graph = {m: {t for t in ts if t in _imports()} for m, ts in _imports().items() if m != "imid_onto"}
    graph = {m: {t for t in ts if t in graph and t != m} for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_every_design_page_a_module_names_exists():
    """Each module's docstring links its design page (docs/design/); the link must lead somewhere."""
    from ..conftest import REPO

    named = {
        (path.relative_to(PACKAGE).as_posix(), page)
        for path in sorted(PACKAGE.rglob("*.py"))
        for page in re.findall(r"docs/design/[\w.-]+\.md", path.read_text(encoding="utf-8"))
    }
    assert len(named) >= 15  # the modules link their pages
    assert sorted((module, page) for module, page in named if not (REPO / page).is_file()) == []

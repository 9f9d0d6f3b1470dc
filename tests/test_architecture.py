"""The package's layers (docs/architecture.md): each imports only from the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import contract_kit

PACKAGE = Path(contract_kit.__file__).parent

#: What each layer may import, besides itself (``errors`` is the core's). The top (``__init__``, ``__main__``, ``cli``,
#: ``pytest_plugin``) may import anything; every other module of the package belongs to a layer.
LAYERS: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "documents": frozenset({"core"}),
    "api": frozenset({"core", "documents"}),
    "assertions": frozenset({"core", "documents", "api"}),
    "interception": frozenset(),
    "cassettes": frozenset({"core", "documents", "api", "assertions", "interception"}),
    "fake": frozenset({"core", "documents", "api", "assertions", "interception", "decisioning"}),
    "strategies": frozenset({"core", "documents", "api"}),
    "lint": frozenset({"core", "documents", "api", "cassettes"}),
    "openapi": frozenset({"core", "documents", "api"}),
    "decisioning": frozenset({"core", "documents", "api"}),
}
TOP = frozenset({"__init__", "__main__", "cli", "pytest_plugin"})


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every ``contract_kit`` module ``path`` imports: at the top, in functions, for types."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "contract_kit":
                found.update(f"contract_kit.{alias.name}" for alias in node.names)
            elif node.module.startswith("contract_kit."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "contract_kit")
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    name = module.split(".")[1] if "." in module else "__init__"
    return "core" if name == "errors" else name  # the core's errors, importable at the top


def test_every_module_belongs_to_a_layer() -> None:
    """A new module sits in a named layer (or at the top), so the rule below covers it."""
    strays = sorted(m for m in _graph() if _layer(m) not in LAYERS and _layer(m) not in TOP)
    assert strays == []


def test_no_module_imports_from_a_layer_above_it() -> None:
    """Data flows one way: core, then api, then the consumers; consumers never reach up."""
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if _layer(module) in LAYERS
        for target in targets
        if _layer(target) != _layer(module) and _layer(target) not in LAYERS[_layer(module)]
    )
    assert upward == []


def test_no_import_cycle() -> None:
    """No module reaches itself through its imports, counting those made only for types."""
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target in graph and target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module)
    assert cycles == []


def test_the_layer_map_knows_real_layers() -> None:
    """The map names only layers that exist, so a rename cannot leave a rule checking nothing."""
    present = {_layer(m) for m in _graph()}
    assert set(LAYERS) <= present
    assert {"core", "api", "cassettes", "fake", "strategies", "lint"} <= present


def test_every_package_ships_in_the_wheel() -> None:
    """pyproject.toml lists every package of contract_kit/: one left out is missing from the wheel.

    setuptools ships exactly the listed packages; decisioning and openapi were once left out,
    so serve, the fake's decisions and ``contract-kit openapi`` failed from the wheel alone.
    """
    import tomllib

    listed = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))["tool"][
        "setuptools"
    ]["packages"]
    found = {
        ".".join(init.parent.relative_to(PACKAGE.parent).parts)
        for init in PACKAGE.rglob("__init__.py")
    }
    assert set(listed) == found | {"contract_kit.schemas"}

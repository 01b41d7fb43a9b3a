"""The floor plan holds: only web/ imports Streamlit's UI, no import cycles, no lower layer imports a higher one.

Reads dashboard/ with ``ast`` only (no module is imported, so no Streamlit), so it runs in milliseconds.

Layers, lowest first. A unit (a package, or a module directly in dashboard/) may import its own modules and any
unit of a LOWER layer, never one of its own layer or above: siblings stay independent, so each can be read alone.
- foundations: config, vocab, states, text import nothing of ours;
- content (citations, crisis lines), places (gazetteer, distance) and assets (vendored files) need only those;
- directory (the dataset), intake (the questionnaire) and mapview (folium maps of places) are the domain;
- finder, ingest and submissions all work on the directory and never on one another;
- serving runs and probes Streamlit processes; it reads config and must not reach into any app logic;
- commands (the CLI) and web (the Streamlit UI) are the two front ends over the same logic: neither imports the other;
- cli discovers commands/; __main__ and replica are the thin ``python -m`` entry points above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import DASHBOARD

PACKAGE = DASHBOARD

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"config", "vocab", "states", "text"}),
    frozenset({"content", "places", "assets"}),
    frozenset({"directory", "intake", "mapview"}),
    frozenset({"finder", "ingest", "submissions"}),
    frozenset({"serving"}),
    frozenset({"commands", "web"}),
    frozenset({"cli"}),
    frozenset({"__main__", "replica", "__init__"}),
)

# Streamlit's UI lives in web/ only. serving/ starts replicas and probes them, so it may use exactly these:
# the runtime (to warm a replica in-process), the server's command line (to run it), its bootstrap (to bound
# the stop that follows a SIGTERM) and the websocket protobufs.
SERVING_ALLOWED = ("streamlit.runtime", "streamlit.web.cli", "streamlit.web.bootstrap", "streamlit.proto")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, module: str, known: set[str]) -> set[str]:
    """Every dotted name a module imports, at any depth (lazy imports count), relative imports made absolute."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                full = f"{source}.{alias.name}"
                # "from streamlit import runtime" imports streamlit.runtime; "from x import func" imports x.
                found.add(full if full in known or not source.startswith("dashboard") else source)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def read_package() -> dict[str, set[str]]:
    """module -> every name it imports."""
    paths = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    known = set(paths)
    return {module: imports_of(path, module, known) for module, path in paths.items()}


def _owner(name: str, known: set[str]) -> str | None:
    while name not in known and "." in name:
        name = name.rpartition(".")[0]
    return name if name in known else None


def internal_graph(imports: dict[str, set[str]]) -> dict[str, set[str]]:
    known = set(imports)
    return {
        module: {o for n in names if (o := _owner(n, known)) and o != module and o != "dashboard"}
        for module, names in imports.items()
    }


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def streamlit_violations(imports: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, names in sorted(imports.items()):
        for name in sorted(names):
            if name != "streamlit" and not name.startswith("streamlit."):
                continue
            if unit(module) == "web":
                continue
            if unit(module) == "serving" and any(name == a or name.startswith(a + ".") for a in SERVING_ALLOWED):
                continue
            bad.append(f"{module} imports {name}")
    return bad


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def layer_violations(graph: dict[str, set[str]], layers=LAYERS) -> list[str]:
    rank = {name: i for i, layer in enumerate(layers) for name in layer}
    bad = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            a, b = unit(module), unit(target)
            if a == b:
                continue
            if a not in rank or b not in rank:
                bad.append(f"{module} -> {target}: {a if a not in rank else b} is in no layer")
            elif rank[b] >= rank[a]:
                bad.append(f"{module} (layer {rank[a]}) imports {target} (layer {rank[b]})")
    return bad


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    return read_package()


def test_only_web_imports_streamlit_ui(imports):
    assert streamlit_violations(imports) == []


def test_web_does_import_streamlit_so_the_scan_sees_imports(imports):
    assert any(n.startswith("streamlit") for m, names in imports.items() if unit(m) == "web" for n in names)


def test_no_import_cycle(imports):
    assert find_cycle(internal_graph(imports)) is None


def test_no_lower_layer_imports_a_higher_one(imports):
    assert layer_violations(internal_graph(imports)) == []


def test_every_unit_has_a_layer(imports):
    placed = set().union(*LAYERS)
    assert {unit(m) for m in imports} <= placed
    assert sum(len(layer) for layer in LAYERS) == len(placed), "a unit is in two layers"


def test_web_has_init_so_it_is_a_package():
    assert (PACKAGE / "web" / "__init__.py").is_file()


def test_checker_catches_violations():
    graph = {
        "dashboard.places.lookup": {"dashboard.finder.search"},  # lower imports higher
        "dashboard.finder.search": {"dashboard.submissions.store"},  # sibling of the same layer
        "dashboard.submissions.store": {"dashboard.places.lookup"},
        "dashboard.vocab": set(),
    }
    found = layer_violations(graph)
    assert any("places.lookup (layer 1) imports dashboard.finder.search" in v for v in found)
    assert any("finder.search (layer 3) imports dashboard.submissions.store" in v for v in found)
    assert not any(v.startswith("dashboard.submissions.store") for v in found)
    assert find_cycle(graph) == [
        "dashboard.finder.search",
        "dashboard.submissions.store",
        "dashboard.places.lookup",
        "dashboard.finder.search",
    ]
    assert find_cycle({"dashboard.a": {"dashboard.b"}, "dashboard.b": set()}) is None
    assert layer_violations({"dashboard.newroom.x": {"dashboard.vocab"}}) == [
        "dashboard.newroom.x -> dashboard.vocab: newroom is in no layer"
    ]


def test_checker_catches_streamlit_outside_web(tmp_path):
    src = tmp_path / "m.py"
    src.write_text(
        "import streamlit as st\nfrom streamlit import runtime\n"
        "def f():\n    import importlib\n    importlib.import_module('streamlit.components.v1')\n"
    )
    names = imports_of(src, "dashboard.serving.m", set())
    assert {"streamlit", "streamlit.runtime", "streamlit.components.v1"} <= names
    bad = streamlit_violations({"dashboard.serving.m": names, "dashboard.finder.x": {"streamlit.proto.X"}})
    assert bad == [
        "dashboard.finder.x imports streamlit.proto.X",
        "dashboard.serving.m imports streamlit",
        "dashboard.serving.m imports streamlit.components.v1",
    ]
    assert streamlit_violations({"dashboard.web.pages.finder": {"streamlit"}}) == []

"""Start one app process with its long-lived heap frozen: ``python -m dashboard.replica [streamlit args]``.

Why: Streamlit runs ``gc.collect(2)`` after every script run unless ``runner.postScriptGC`` is off (it is
off in ``.streamlit/config.toml``). Even without that, CPython's own full collections walk every object
alive: streamlit, pandas, pyarrow, folium, pydantic models... hundreds of thousands of objects that live
as long as the process, scanned again and again while every session waits on the GIL. ``gc.freeze()``
moves the objects alive at that moment into a permanent generation no collection scans.

When: before Streamlit starts, after importing what the pages import (``warm_imports`` says what is
left to the first run, and why). Not from inside a page run: a
Streamlit session (``AppSession``) sits in reference cycles, so only the cycle collector frees it, and a
frozen object is never collected; freezing during a run would keep that visitor's session, with every
answer typed into it later, in memory until the process ends. Here no session exists yet.

Then this hands over to Streamlit's own command line in the same process (``streamlit run ...``), so the
frozen heap is the one that serves. ``python -m dashboard serve`` and ``python -m bench load`` start their
app processes this way; ``streamlit run streamlit_app.py`` still works (without the freeze).
Set ``CLINIC_FINDER_GC_FREEZE=0`` to skip the freeze (for measuring, or if it ever misbehaves).

This module imports Streamlit only to hand over to it (and whatever the pages import, to warm up).
"""

from __future__ import annotations

import ast
import gc
import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from dashboard.config import PROJECT_ROOT

FREEZE_ENV = "CLINIC_FINDER_GC_FREEZE"
APP_SCRIPT = PROJECT_ROOT / "streamlit_app.py"
PAGES_DIR = PROJECT_ROOT / "dashboard" / "pages"


def freeze_enabled(environ: dict[str, str] | None = None) -> bool:
    """On unless ``CLINIC_FINDER_GC_FREEZE`` is 0/false/no/off."""
    value = (os.environ if environ is None else environ).get(FREEZE_ENV, "").strip().lower()
    return value not in ("0", "false", "no", "off")


def top_level_imports(source: str) -> list[str]:
    """Absolute module names a script imports at its top level (``import x``, ``from x import y`` → x, x.y).

    Only statements at module level: imports a page does lazily inside a function stay lazy.
    """
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module != "__future__":
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return list(dict.fromkeys(names))


def _touches_streamlit(name: str) -> bool:
    return name.split(".")[0].startswith("streamlit")


def _project_source(name: str) -> Path | None:
    """The source file of a ``dashboard`` module (found without importing it), else None."""
    if name != "dashboard" and not name.startswith("dashboard."):
        return None
    base = PROJECT_ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def warm_imports(scripts: Iterable[Path]) -> list[str]:
    """What to import before Streamlit starts: everything the scripts import, except Streamlit's side.

    Modules named ``streamlit*`` are left to the first page run: a component library such as
    streamlit_folium registers its component at import, and only inside a script run does that
    registration reach the server. A project module that imports Streamlit (``dashboard.ui``) is not
    imported either, but what it imports is followed (the plain modules import no Streamlit).
    """
    wanted: list[str] = []
    seen: set[str] = set()
    queue = [name for script in scripts for name in top_level_imports(script.read_text(encoding="utf-8"))]
    while queue:
        name = queue.pop(0)
        if name in seen or _touches_streamlit(name):
            continue
        seen.add(name)
        source = _project_source(name)
        if source is None:
            wanted.append(name)
            continue
        imports = top_level_imports(source.read_text(encoding="utf-8"))
        if any(_touches_streamlit(i) for i in imports):
            queue.extend(imports)
        else:
            wanted.append(name)
    return wanted


def _import_if_module(name: str) -> bool:
    """Import ``name`` if it is a module; ``pkg.attr`` where ``attr`` is not a submodule is skipped."""
    parent, _, _ = name.rpartition(".")
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if parent and exc.name == name:  # ``from pkg import function``: not a module, nothing to warm
            return False
        raise
    return True


def warm_up(scripts: Iterable[Path]) -> list[str]:
    """Import ``warm_imports(scripts)`` and Streamlit's own package; returns the modules imported.

    A module that fails to import is reported on stderr and skipped: the page that needs it shows the
    real error when it runs, and the replica still starts.
    """
    done: list[str] = []
    for name in [*warm_imports(scripts), "streamlit"]:
        try:
            if _import_if_module(name):
                done.append(name)
        except Exception as exc:  # warm-up is an optimisation; never stop the replica over it
            print(f"warm-up: could not import {name}: {exc.__class__.__name__}: {exc}", file=sys.stderr)
    return done


def app_scripts() -> list[Path]:
    """The entry script and every page script."""
    return [APP_SCRIPT, *sorted(PAGES_DIR.glob("*.py"))]


def freeze_heap() -> int:
    """Collect garbage now (so none is frozen), then freeze what is alive; returns the frozen count."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def main(argv: Sequence[str] | None = None) -> int:
    """Warm up, freeze, then run ``streamlit`` with ``argv`` (default: ``run streamlit_app.py``)."""
    args = list(sys.argv[1:] if argv is None else argv) or ["run", str(APP_SCRIPT)]
    sys.argv = ["streamlit", *args]  # what the pages' config (``--data`` after ``--``) reads
    if freeze_enabled():
        warm_up(app_scripts())
        freeze_heap()
    from streamlit.web import cli

    return cli.main(args=args, prog_name="streamlit", standalone_mode=True) or 0


if __name__ == "__main__":
    sys.exit(main())

"""An app process freezes its warm heap before Streamlit starts, without importing Streamlit's side early."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from dashboard import replica


def test_top_level_imports_only_module_level_absolute_names() -> None:
    source = textwrap.dedent(
        """
        from __future__ import annotations
        import os, json as j
        from dashboard import ui, vocab
        from . import sibling
        import streamlit as st

        def later():
            import fpdf  # lazy: stays lazy
        """
    )
    assert replica.top_level_imports(source) == [
        "os",
        "json",
        "dashboard",
        "dashboard.ui",
        "dashboard.vocab",
        "streamlit",
    ]


def test_warm_imports_leave_streamlit_and_its_components_to_the_first_run(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\nfrom streamlit_folium import st_folium\n"
        "from dashboard import ui, vocab\nimport pandas\n",
        encoding="utf-8",
    )
    wanted = replica.warm_imports([page])
    assert not [name for name in wanted if name.startswith("streamlit")]
    assert "dashboard.ui" not in wanted  # imports Streamlit: not imported early...
    assert "dashboard.clinics" in wanted  # ...but what it imports is followed
    assert "dashboard.vocab" in wanted
    assert "pandas" in wanted


def test_the_app_pages_warm_list_has_the_heavy_libraries_but_no_streamlit() -> None:
    wanted = replica.warm_imports(replica.app_scripts())
    assert "pandas" in wanted
    assert "dashboard.mapview" in wanted  # folium comes with it
    assert not [name for name in wanted if name.split(".")[0].startswith("streamlit")]


def test_freeze_can_be_turned_off() -> None:
    assert replica.freeze_enabled({})
    assert replica.freeze_enabled({replica.FREEZE_ENV: "1"})
    for off in ("0", "false", "No", " off "):
        assert not replica.freeze_enabled({replica.FREEZE_ENV: off})


def test_warm_up_and_freeze_in_a_fresh_process_keep_component_registration_for_the_run() -> None:
    """In a clean interpreter: the warm-up imports the app's libraries, freezes them, and has not imported
    streamlit_folium (whose component only registers when imported inside a script run)."""
    code = textwrap.dedent(
        """
        import gc, sys
        from dashboard import replica
        done = replica.warm_up(replica.app_scripts())
        frozen = replica.freeze_heap()
        print(frozen > 50_000, "pandas" in sys.modules, "folium" in sys.modules,
              "streamlit_folium" in sys.modules, "streamlit" in done)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=replica.PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "False", "True"], out.stderr

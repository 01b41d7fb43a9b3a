"""The app's .streamlit/config.toml is read, and it says what the app relies on.

Streamlit reads the file with tomllib; a file it cannot parse (for instance a table declared twice, as two
branches that each add a ``[global]`` table make once merged) only logs an error, and the app then runs on
Streamlit's defaults: usage statistics on, tracebacks on the page, and no static serving, so the map's own
Leaflet files come back as the app's HTML page and the map never draws (a merge once did exactly that).
"""

from __future__ import annotations

import tomllib

from tests.paths import ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"


def test_the_config_file_parses_as_streamlit_reads_it():
    tomllib.loads(CONFIG.read_text(encoding="utf-8"))  # raises on a duplicated table or key


def test_privacy_safety_and_map_settings_are_set():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"  # a traceback could carry an answer
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["server"]["enableStaticServing"] is True  # the map's Leaflet files come from ./static
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] == 1  # MB: a questionnaire draft
    # widgets are seeded through st.session_state *and* declare the same default, on purpose
    assert config["global"]["disableWidgetStateDuplicationWarning"] is True

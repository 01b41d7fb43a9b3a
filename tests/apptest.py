"""The app under Streamlit's AppTest, opened and driven the same way by every page test: the whole app
from ``streamlit_app.py`` (so navigation and the shared frame run too), then one page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.bounds import APPTEST_TIMEOUT_S
from tests.paths import ROOT

INTAKE_PAGE = "dashboard/web/pages/intake.py"


def new_app() -> AppTest:
    """The app, not yet run."""
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APPTEST_TIMEOUT_S)


def open_app(page: str | None = None, query: dict | None = None, secrets: dict | None = None) -> AppTest:
    """The app run once (the finder), then, given a ``page``, switched to it with ``query`` in its address."""
    at = new_app()
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    if page:
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def open_finder(query: dict | None = None) -> AppTest:
    """The finder opened at an address holding ``query`` (as a shared link opens it)."""
    at = new_app()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def heading(at: AppTest) -> str:
    """The finder's results heading (an h2: "… — N found", or with tiers "… — N confirmed, M to ask")."""
    return next(h.value for h in at.header if h.value.endswith((" found", " to ask")))


def open_intake() -> AppTest:
    return open_app(INTAKE_PAGE)


def go_to(at: AppTest, index: int) -> None:
    """Open questionnaire section ``index`` (0-based) directly."""
    at.session_state["intake_section"] = index
    at.run()
    assert not at.exception, at.exception


def next_(at: AppTest) -> None:
    at.button(key="intake_next").click().run()
    assert not at.exception, at.exception


def back(at: AppTest) -> None:
    at.button(key="intake_back").click().run()
    assert not at.exception, at.exception


def load_draft(at: AppTest, path: Path) -> None:
    """Upload a saved draft and check the page says it loaded."""
    at.file_uploader(key="intake_upload").set_value((path.name, path.read_bytes(), "application/json")).run()
    assert not at.exception, at.exception
    assert any("Draft loaded" in s.value for s in at.success)

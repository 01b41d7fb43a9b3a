"""Streamlit helpers shared by the pages: cached data loading and the always-visible crisis panel.

The dataset the pages serve is the curated file plus the reviewed changes from the submissions
database (dashboard.submissions.overlay); its cache key includes the database's directory version,
which is checked at most every few seconds, so an accepted change reaches every replica without a restart.

This is the only module besides the pages that imports Streamlit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import config
from dashboard.content import safety
from dashboard.directory.clinics import LoadReport
from dashboard.submissions import overlay


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(path: str, mtime: float, version: int, _overlay: overlay.Overlay) -> tuple[pd.DataFrame, LoadReport]:
    """One frame per dataset version, shared by every session and never modified (pages filter with
    ``take``/masks, which copy). Not ``cache_data``: that unpickled a copy of the whole dataset on every
    run of every page (~9 ms a run under load, issue 9); tests/test_served_frame_shared.py checks
    that no page changes the shared frame."""
    return overlay.load_served(path, _overlay)


def clinics() -> tuple[pd.DataFrame, LoadReport]:
    """The served dataset, reloaded only when the file or the accepted changes change."""
    current = overlay.poller().current()
    path, mtime, _ = data_key(current)
    return _load(path, mtime, current.version, current)


def data_notice(report: LoadReport) -> None:
    """A short notice when rows were rejected or the file could not be read."""
    if report.file_error:
        st.error(report.summary() + " The finder cannot show clinics until the dataset is fixed.")
    elif report.problems:
        n = len(report.rejected_rows)
        st.warning(
            f"{n} row{'s' if n != 1 else ''} of the dataset had problems and {'are' if n != 1 else 'is'} not shown. "
            "Run `python -m dashboard check-data` on the file for details."
        )


def _action_md(action: safety.CrisisAction) -> str:
    return f"[{action.label}]({action.href})"


def _crisis_lines_md() -> str:
    return "\n".join(
        f"- **{line.name}**: " + " · ".join(_action_md(a) for a in line.actions) for line in safety.CRISIS_LINES
    )


def _crisis_strip_md() -> str:
    """Every call and text action in one short paragraph (the chat link stays in the full list); the
    first line (988) needs no name: its actions say it."""
    parts = []
    for i, line in enumerate(safety.CRISIS_LINES):
        actions = " · ".join(_action_md(a) for a in line.actions if not a.href.startswith("http"))
        parts.append(actions if i == 0 else f"{line.name}: {actions}")
    return "**Need help now?** " + " — ".join(parts)


# Phone-first rules shared by every page. Narrow screens are detected by CSS media queries in the browser
# (never by guessing from the server), so a desktop keeps its layout and a phone gets:
# * the crisis strip at the top of every page (the sidebar that holds the full list starts collapsed on
#   narrow screens; the strip also shows on a wide screen whenever the sidebar is collapsed);
# * smaller page titles, so the content starts within the first screen.
# Captions get a solid grey instead of Streamlit's faded text (3.9:1 on white) to reach WCAG AA 4.5:1.
PHONE_BREAKPOINT_PX = 768
PAGE_CSS = f"""
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: #555862 !important; }}
[data-testid="stWidgetLabel"] p {{ color: #262730; }}
.st-key-kcf_crisis_strip {{ display: none; }}
.st-key-kcf_crisis_strip [data-testid="stMarkdownContainer"] {{
  border: 2px solid #b00020; border-radius: .5rem; padding: .3rem .6rem; }}
.st-key-kcf_crisis_strip p {{ margin: 0; font-size: .9rem; line-height: 1.45; }}
body:has([data-testid="stSidebar"][data-collapsed="true"]) .st-key-kcf_crisis_strip {{ display: block; }}
@media (max-width: {PHONE_BREAKPOINT_PX}px) {{
  .st-key-kcf_crisis_strip {{ display: block; }}
  h1 {{ font-size: 1.6rem !important; padding-top: .25rem !important; padding-bottom: .25rem !important; }}
  h2 {{ font-size: 1.3rem !important; }}
  [data-testid="stMainBlockContainer"] {{ padding-top: 4rem !important; }}
}}
"""


def page_style() -> None:
    """The shared page CSS (an invisible element: a style-only ``st.html`` takes no room)."""
    st.html(f"<style>{PAGE_CSS}</style>")


def crisis_sidebar() -> None:
    """Crisis contacts in the sidebar of every page, and a compact strip at the top of every page that
    shows on phones (where the sidebar starts collapsed) and whenever the sidebar is collapsed."""
    with st.sidebar:
        st.markdown("**Need help now?**")
        st.markdown(_crisis_lines_md())
    with st.container(key="kcf_crisis_strip"):
        st.markdown(_crisis_strip_md())


def crisis_panel() -> None:
    """The crisis panel brought to the front (for example after a suicide-related answer)."""
    st.error(f"**{safety.CRISIS_HEADLINE}**\n\n{_crisis_lines_md()}", icon=":material/call:")


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~:$&")


def md_escape(text: object) -> str:
    """Dataset text as inert Markdown: no links, HTML, emphasis or Streamlit directives can be injected."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", " ")


def data_key(current: overlay.Overlay | None = None) -> tuple[str, float, int]:
    """Identifies the served dataset (file and accepted-changes version), for caches that depend on it."""
    version = (current or overlay.poller().current()).version
    path = config.data_path()
    try:
        return str(path), Path(path).stat().st_mtime, version
    except OSError:
        return str(path), 0.0, version


def app_url() -> str | None:
    """The app's own address as the visitor's browser sees it (scheme, host, any path prefix), or None."""
    try:
        url = st.context.url
    except Exception:
        return None
    if not url or not url.startswith(("http://", "https://")):
        return None
    from urllib.parse import urljoin

    return urljoin(url, ".")

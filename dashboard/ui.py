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

from dashboard import config, safety
from dashboard.clinics import LoadReport
from dashboard.submissions import overlay


@st.cache_data(show_spinner=False, max_entries=4)
def _load(path: str, mtime: float, version: int, _overlay: overlay.Overlay) -> tuple[pd.DataFrame, LoadReport]:
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


def _crisis_lines_md() -> str:
    return "\n".join(f"- **{line.name}**: [{line.how}]({line.href})" for line in safety.CRISIS_LINES)


def crisis_sidebar() -> None:
    """Crisis contacts in the sidebar of every page."""
    with st.sidebar:
        st.markdown("**Need help now?**")
        st.markdown(_crisis_lines_md())


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

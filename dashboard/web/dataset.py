"""The dataset every page serves (the curated file plus the reviewed changes) and what is made from it
once per version for every session.

The served directory is the curated file plus the accepted changes from the submissions database
(``dashboard.submissions.overlay``); its cache key includes the database's directory version, checked at
most every few seconds, so an accepted change reaches every replica without a restart.
"""

from __future__ import annotations

from pathlib import Path

import folium
import pandas as pd
import streamlit as st

from dashboard import config, mapview
from dashboard.directory import coverage
from dashboard.directory.clinics import LoadReport
from dashboard.directory.va_facilities import load_facilities
from dashboard.submissions import overlay


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(path: str, mtime: float, version: int, _overlay: overlay.Overlay) -> tuple[pd.DataFrame, LoadReport]:
    """One frame per dataset version, shared by every session and never modified (pages filter with
    ``take``/masks, which copy). Not ``cache_data``: that unpickled a copy of the whole dataset on every
    run of every page (~9 ms a run under load); a test checks that no page changes the shared frame."""
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


def data_key(current: overlay.Overlay | None = None) -> tuple[str, float, int]:
    """Identifies the served dataset (file and accepted-changes version), for caches that depend on it."""
    version = (current or overlay.poller().current()).version
    path = config.data_path()
    try:
        return str(path), Path(path).stat().st_mtime, version
    except OSError:
        return str(path), 0.0, version


@st.cache_resource(show_spinner=False, max_entries=4)
def coverage_map(data_key: tuple, _counts: pd.DataFrame) -> folium.Map:
    """The Data page's map of listings per state, built once per dataset version (here, not in the page: a
    cached function defined in a page script is made again on every run)."""
    counts = {row.fips: int(row.listings) for row in _counts.itertuples()}
    return mapview.coverage_map(counts, coverage.BINS, coverage.COLOURS, coverage.BIN_LABELS)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_va(path: str, mtime: float) -> tuple[pd.DataFrame, LoadReport]:
    return load_facilities(path)


def va_facilities() -> tuple[pd.DataFrame, LoadReport]:
    """The VA facilities file (its own kind of listing, never part of the clinic table), reloaded only when
    the file changes; shared by every session and never modified."""
    path = config.va_data_path()
    try:
        mtime = Path(path).stat().st_mtime
    except OSError:
        mtime = 0.0
    return _load_va(str(path), mtime)

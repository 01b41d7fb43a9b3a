"""The registry of source adapters: name -> factory (like geopy's ``SERVICE_TO_GEOCODER``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dashboard.ingest.base import Source
from dashboard.ingest.clinicaltrials import ClinicalTrials
from dashboard.ingest.csv_source import CsvSource
from dashboard.ingest.findtreatment import FindTreatment
from dashboard.ingest.hsds import Hsds

SOURCES: dict[str, Callable[[Mapping[str, Any]], Source]] = {
    "findtreatment": lambda mapping: FindTreatment(),
    "clinicaltrials": lambda mapping: ClinicalTrials(),
    "csv": CsvSource,
    "hsds": Hsds,
}


def get_source(name: str, mapping: Mapping[str, Any] | None = None) -> Source:
    try:
        factory = SOURCES[name]
    except KeyError:
        raise ValueError(f"unknown source {name!r}; choose one of {', '.join(SOURCES)}") from None
    return factory(mapping or {})

"""The registry of source adapters: the name ``refresh --source`` takes -> factory (like geopy's
``SERVICE_TO_GEOCODER``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dashboard.ingest.base import Adapter
from dashboard.ingest.clinicaltrials import ClinicalTrials
from dashboard.ingest.csv_source import CsvSource
from dashboard.ingest.findtreatment import FindTreatment
from dashboard.ingest.hsds import Hsds

ADAPTERS: dict[str, Callable[[Mapping[str, Any]], Adapter]] = {
    "findtreatment": lambda mapping: FindTreatment(),
    "clinicaltrials": lambda mapping: ClinicalTrials(),
    "csv": CsvSource,
    "hsds": Hsds,
}


def get_adapter(name: str, mapping: Mapping[str, Any] | None = None) -> Adapter:
    try:
        factory = ADAPTERS[name]
    except KeyError:
        raise ValueError(f"unknown source {name!r}; choose one of {', '.join(ADAPTERS)}") from None
    return factory(mapping or {})

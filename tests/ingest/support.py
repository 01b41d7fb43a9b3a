"""Shared doubles for the ingest tests (no tests here): a fake HTTP layer and a fake geocoder; never any network."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from geopy.location import Location

from dashboard.ingest.http import FetchError, Response
from tests.paths import INGEST_FIXTURES as FIXTURES
from tests.paths import UPSTREAM_FIXTURES as UPSTREAM

FT_REAL = UPSTREAM / "findtreatment_2019_page.json"  # a real page: no ketamine row
FT_KETAMINE = FIXTURES / "findtreatment_2019_page_ketamine.json"  # the same page, one row with the ketamine label
KETAMINE_FRID = "033f7e25c70d28224fa558c9f402b149d98d5939f423a05483d17bddbd09bbab"  # the derived row


def findtreatment_pages(path: Path = FT_KETAMINE, per_page: int = 10) -> list[dict]:
    """A saved real-shape page split into pages of ``per_page`` rows (``page``/``totalPages`` set to match),
    so paging is tested on real rows without inventing any."""
    page = json.loads(path.read_text(encoding="utf-8"))
    rows = page["rows"]
    total = -(-len(rows) // per_page)
    return [
        {**page, "page": n + 1, "totalPages": total, "rows": rows[n * per_page : (n + 1) * per_page]}
        for n in range(total)
    ]


class FakeHttp:
    """Answers GETs from a function of the URL; records every URL asked for."""

    def __init__(self, answer: Callable[[str], Response | Exception]) -> None:
        self.answer = answer
        self.urls: list[str] = []

    def get(self, url: str, *, timeout: float) -> Response:
        self.urls.append(url)
        out = self.answer(url)
        if isinstance(out, Exception):
            raise out
        return out


def json_response(obj: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(status, json.dumps(obj), headers or {})


def params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def serve_saved_pages(pages: list, key: str) -> FakeHttp:
    """A fake live server for a list of saved pages: FindTreatment by ``page``, ClinicalTrials by token."""

    def answer(url: str) -> Response:
        p = params(url)
        if key == "page":
            return json_response(pages[int(p.get("page", "1")) - 1])
        index = 0 if "pageToken" not in p else 1 + [pg.get("nextPageToken") for pg in pages].index(p["pageToken"])
        return json_response(pages[index])

    return FakeHttp(answer)


def timeout_error(url: str) -> Exception:
    return FetchError(f"timed out after 30 s waiting for {url}")


class FakeGeocoder:
    """Street geocoder double: known addresses answer at house level, 'Main Street' only at street level."""

    KNOWN = {
        "1200 north campbell avenue, tucson, az 85719, usa": (32.2341, -110.9441),
        "45 e broadway blvd, tucson, az 85701, usa": (32.2217, -110.9686),
        "6560 fannin street, houston, tx 77030, usa": (29.7080, -95.3991),
    }

    def __init__(self) -> None:
        self.calls: list[str] = []

    def geocode(self, query: str, **kwargs: object) -> Location | None:
        self.calls.append(query)
        key = query.lower()
        if key in self.KNOWN:
            lat, lon = self.KNOWN[key]
            raw = {"lat": lat, "lon": lon, "addresstype": "place", "address": {"house_number": "1"}}
            return Location(query, (lat, lon), raw)
        if key.startswith("main street"):
            return Location("Main Street, Mesa", (33.4152, -111.8315), {"addresstype": "road", "address": {}})
        return None

"""Merge a fresh source into an existing dataset without duplicates, silent overwrites or lost provenance.

Matching (first rule that finds a candidate wins; clinics never match research-study sites; a record
that this source already matched or added in the same run is not a candidate again, so two programmes the
source lists separately at one address stay two listings):

1. the same listing id;
2. the same normalised name + street + ZIP (or city/state when a ZIP is missing);
3. (clinics only) the same state, no contradicting ZIPs, the same city or points within a quarter mile,
   and similar names (``rapidfuzz`` on normalised names): when both give a street, streets at least 80 %
   alike and names sharing their words (token-set ratio at least 90 %); otherwise whole names at least
   90 % alike (token-sort ratio).

Merging a match: an empty field is filled; an equal value is confirmed; a different value is taken
only when the field came from this same source before (the source updated its own data). Any other
difference is a **conflict**: the existing value stays and the conflict is reported. Routes,
conditions and source URLs are unions. The more precise location wins.

Provenance (the ``provenance`` column, JSON): ``{"field": {"source": URL, "retrieved": "YYYY-MM-DD"}}``
for single-valued fields (after a conflict, the kept value's source plus ``offered``: what each other source
said, so both sources stay on record); for ``routes`` and ``conditions`` a list with one such object per source, each
with the ``values`` that source gave; ``location`` covers lat, lon and location_precision and names how
the point was found (the source URL, ``geocoder:nominatim``, ``zip centroid`` or ``city centroid``).

A listing that came from this source but is missing from a complete fresh fetch is kept and marked
``status=not_in_latest_source`` (its ``last_seen`` stays the last date it was seen); when the fetch was
incomplete (a page could not be read) nothing is marked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from dashboard.directory.clinics import BOOL_COLUMNS, COLUMNS, OPTIONAL_COLUMNS
from dashboard.ingest.base import CARRIED
from dashboard.ingest.placing import PLACE_HOW
from dashboard.places.distance import haversine_miles
from dashboard.places.gazetteer import normalise_city

MISSING = "not_in_latest_source"
SCALAR_FACTS: tuple[str, ...] = (
    "name", "street", "city", "state", "zip", "phone", "website", "ketamine_assisted_psychotherapy",
    "accepts_insurance", "self_pay_price_usd", "price_note", "va_community_care", "source_date", "study_id",
    "state_from_city",
)  # fmt: skip
LIST_FACTS: tuple[str, ...] = ("routes", "conditions")
LIST_COLUMNS: tuple[str, ...] = ("routes", "conditions", "source_urls")
PRECISION_RANK = {"street": 3, "zip": 2, "city": 1, "": 0}
NAME_SIMILARITY = 90.0
STREET_SIMILARITY = 80.0
NEAR_MILES = 0.25


@dataclass(frozen=True)
class SourceRef:
    url: str  # the public URL listings cite; also the source's identity in provenance
    kind: str


@dataclass(frozen=True)
class Conflict:
    id: str
    field: str
    kept: Any
    offered: Any
    kept_from: str
    offered_by: str

    def __str__(self) -> str:
        return (
            f"{self.id} {self.field}: kept {_show(self.kept)!r} (from {self.kept_from}); "
            f"{self.offered_by} says {_show(self.offered)!r}"
        )


@dataclass
class MergeResult:
    records: list[dict[str, Any]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    marked_missing: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _show(value: Any) -> Any:
    return ";".join(value) if isinstance(value, tuple) else value


def blank_record() -> dict[str, Any]:
    rec: dict[str, Any] = {c: "" for c in COLUMNS}
    rec.update({c: () for c in LIST_COLUMNS})
    rec.update(OPTIONAL_COLUMNS)
    rec.update({c: None for c in (*BOOL_COLUMNS, "state_from_city", "self_pay_price_usd", "lat", "lon")})
    return rec


def complete_record(partial: Mapping[str, Any]) -> dict[str, Any]:
    rec = blank_record()
    rec.update({k: v for k, v in partial.items() if k in COLUMNS and v is not None})
    for c in LIST_COLUMNS:
        rec[c] = tuple(rec[c]) if isinstance(rec[c], (list, tuple)) else tuple(x for x in str(rec[c]).split(";") if x)
    return rec


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or (isinstance(value, float) and value != value)


_NAME_DROP = {"llc", "inc", "pllc", "pc", "pa", "ltd", "the", "corp", "co"}
_STREET_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr", "lane": "ln",
    "parkway": "pkwy", "highway": "hwy", "court": "ct", "place": "pl", "suite": "ste", "north": "n", "south": "s",
    "east": "e", "west": "w", "circle": "cir", "square": "sq", "terrace": "ter", "freeway": "fwy",
}  # fmt: skip


def norm_name(name: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", name.lower().replace("&", " and ").replace("'", "")).split()
    return " ".join(w for w in words if w not in _NAME_DROP)


def norm_street(street: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", street.lower()).split()
    return " ".join(_STREET_WORDS.get(w, w) for w in words)


def _norm_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _same(field_name: str, a: Any, b: Any) -> bool:
    if field_name == "phone":
        return _norm_phone(str(a)) == _norm_phone(str(b))
    if field_name == "website":
        return re.sub(r"^https?://(www\.)?|/+$", "", str(a).lower()) == re.sub(
            r"^https?://(www\.)?|/+$", "", str(b).lower()
        )
    if field_name == "name":
        return norm_name(str(a)) == norm_name(str(b))
    if field_name == "street":
        return norm_street(str(a)) == norm_street(str(b))
    if field_name == "city":
        return normalise_city(str(a)) == normalise_city(str(b))
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return False
    return a == b


def _key(rec: Mapping[str, Any]) -> str | None:
    if not rec.get("street"):
        return None
    where = rec.get("zip") or f"{normalise_city(str(rec.get('city', '')))} {rec.get('state', '')}"
    return f"{norm_name(str(rec['name']))}|{norm_street(str(rec['street']))}|{where}"


def _distance(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    if a.get("lat") is None or b.get("lat") is None:
        return float("inf")
    return float(haversine_miles(float(a["lat"]), float(a["lon"]), np.array([b["lat"]]), np.array([b["lon"]]))[0])


def _fuzzy_match(new: Mapping[str, Any], cand: Mapping[str, Any]) -> float:
    """Similarity score (0 = no match) between a fresh clinic record and an existing one.

    With a street on both sides the street must agree (>= 80 %) and the names need only share their
    words (token-set >= 90 %, so "Sunrise Health, Ketamine Clinic" matches "Sunrise Health"). Without that
    corroboration the whole names must be nearly the same (token-sort >= 90 %), so two different clinics
    with generic names ("Ketamine Clinic of X" / "X Ketamine Clinic") in one city are not merged.
    """
    if new["state"] != cand["state"]:
        return 0.0
    if new.get("zip") and cand.get("zip") and new["zip"] != cand["zip"]:
        return 0.0
    a, b = norm_name(str(new["name"])), norm_name(str(cand["name"]))
    if new.get("street") and cand.get("street"):
        if fuzz.token_sort_ratio(norm_street(str(new["street"])), norm_street(str(cand["street"]))) < STREET_SIMILARITY:
            return 0.0
        score = fuzz.token_set_ratio(a, b)
    else:
        score = fuzz.token_sort_ratio(a, b)
    if score < NAME_SIMILARITY:
        return 0.0
    same_city = normalise_city(str(new["city"])) == normalise_city(str(cand["city"]))
    near = (
        PRECISION_RANK.get(str(new.get("location_precision")), 0) >= 2
        and PRECISION_RANK.get(str(cand.get("location_precision")), 0) >= 2
        and _distance(new, cand) <= NEAR_MILES
    )
    return score if (same_city or near) else 0.0


def find_match(
    new: Mapping[str, Any],
    existing: list[dict[str, Any]],
    by_id: dict[str, int],
    taken: set[int] | frozenset[int] = frozenset(),
) -> int | None:
    """Index of the existing record ``new`` is the same listing as, or None.

    ``taken``: records this source already matched or added in this run. A source's own distinct records
    (two programmes at one address, each with its own id) never fold into one another.
    """
    if new["id"] in by_id and existing[by_id[new["id"]]]["listing_kind"] == new["listing_kind"]:
        return by_id[new["id"]]
    if new["listing_kind"] != "clinic":
        return None
    key = _key(new)
    best, best_score = None, 0.0
    for i, cand in enumerate(existing):
        if cand["listing_kind"] != "clinic" or i in taken:
            continue
        if key is not None and _key(cand) == key:
            return i
        score = _fuzzy_match(new, cand)
        if score > best_score:
            best, best_score = i, score
    return best


def _prov(rec: Mapping[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(rec.get("provenance") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _dump(prov: Mapping[str, Any]) -> str:
    return json.dumps(prov, sort_keys=True, separators=(",", ":")) if prov else ""


def _sources_of(prov: Mapping[str, Any]) -> set[str]:
    out: set[str] = set()
    for entry in prov.values():
        for e in entry if isinstance(entry, list) else [entry]:
            if isinstance(e, dict) and isinstance(e.get("source"), str):
                out.add(e["source"])
    return out


def _location_source(how: str, src: SourceRef) -> str:
    return src.url if how in ("", "source") else how


def stamp(rec: dict[str, Any], src: SourceRef, retrieved: str, how: str) -> dict[str, Any]:
    """A fresh record with provenance for every field it has, last_seen and compiled_on set."""
    entry = {"source": src.url, "retrieved": retrieved}
    prov: dict[str, Any] = {}
    for f in SCALAR_FACTS:
        if not _empty(rec[f]):
            prov[f] = dict(entry)
    for f in LIST_FACTS:
        if rec[f]:
            prov[f] = [{**entry, "values": list(rec[f])}]
    prov["location"] = {"source": _location_source(how, src), "retrieved": retrieved}
    rec["provenance"] = _dump(prov)
    rec["last_seen"] = retrieved
    rec["compiled_on"] = retrieved
    rec["status"] = ""
    rec["source_kind"] = rec["source_kind"] or src.kind
    return rec


def _with_offer(kept: Any, kept_from: str, offer: dict[str, Any]) -> dict[str, Any]:
    """Provenance of a field whose value was kept in a conflict: the kept value's source, and under
    ``offered`` what each other source said (one entry per source, replaced in place on reruns)."""
    out = dict(kept) if isinstance(kept, dict) else {"source": kept_from}
    offers = [o for o in out.get("offered", []) if isinstance(o, dict)]
    at = next((k for k, o in enumerate(offers) if o.get("source") == offer["source"]), None)
    if at is None:
        offers.append(offer)
    else:
        offers[at] = offer
    out["offered"] = offers
    return out


def merge_one(
    old: dict[str, Any], new: Mapping[str, Any], src: SourceRef, retrieved: str, how: str
) -> tuple[dict[str, Any], bool, bool, list[Conflict]]:
    """(merged record, first time this source backs it, changed, conflicts)."""
    rec = dict(old)
    prov = _prov(old)
    first = src.url not in _sources_of(prov) and src.url not in old["source_urls"]
    changed = False
    conflicts: list[Conflict] = []
    entry = {"source": src.url, "retrieved": retrieved}
    for f in SCALAR_FACTS:
        nv, ov = new[f], old[f]
        if _empty(nv):
            continue
        owner = prov.get(f, {}).get("source") if isinstance(prov.get(f), dict) else None
        if _empty(ov):
            rec[f], prov[f], changed = nv, dict(entry), True
        elif _same(f, ov, nv):
            if owner == src.url:
                prov[f] = dict(entry)
        elif owner == src.url:
            rec[f], prov[f], changed = nv, dict(entry), True
        else:
            kept_from = owner or (";".join(old["source_urls"]) or "the existing dataset")
            conflicts.append(Conflict(old["id"], f, ov, nv, kept_from, src.url))
            prov[f] = _with_offer(prov.get(f), kept_from, {**entry, "value": _show(nv)})
    for f in LIST_FACTS:
        if not new[f]:
            continue
        union = tuple(dict.fromkeys((*old[f], *new[f])))
        if union != old[f]:
            rec[f], changed = union, True
        mine = {**entry, "values": list(new[f])}
        entries = [e for e in prov.get(f, []) if isinstance(e, dict)] if isinstance(prov.get(f), list) else []
        at = next((k for k, e in enumerate(entries) if e.get("source") == src.url), None)
        if at is None:
            entries.append(mine)
        else:
            entries[at] = mine  # in place, so a rerun of any source keeps the order (byte-identical output)
        prov[f] = entries
    urls = tuple(dict.fromkeys((*old["source_urls"], *new["source_urls"])))
    if urls != old["source_urls"]:
        rec["source_urls"], changed = urls, True
    old_rank = PRECISION_RANK.get(str(old["location_precision"]), 0)
    new_rank = PRECISION_RANK.get(str(new["location_precision"]), 0)
    loc_owner = prov.get("location", {}).get("source") if isinstance(prov.get("location"), dict) else None
    moved = not (_same("lat", old["lat"], new["lat"]) and _same("lon", old["lon"], new["lon"]))
    if new_rank > old_rank or (new_rank == old_rank and moved and loc_owner == _location_source(how, src)):
        if moved or new_rank != old_rank:
            changed = True
        rec.update(lat=new["lat"], lon=new["lon"], location_precision=new["location_precision"])
        prov["location"] = {"source": _location_source(how, src), "retrieved": retrieved}
    elif not moved and new_rank == old_rank and loc_owner == _location_source(how, src):
        prov["location"] = {"source": loc_owner, "retrieved": retrieved}
    if old["status"] == MISSING:
        rec["status"], changed = "", True
        prov.pop("status", None)
    rec["last_seen"] = retrieved
    if changed:
        rec["compiled_on"] = retrieved
    rec["provenance"] = _dump(prov)
    return rec, first, changed, conflicts


def dedupe(records: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """One record per id within a single source: lists are joined, the first value of anything else kept."""
    out: dict[str, dict[str, Any]] = {}
    notes = []
    for rec in records:
        if rec["id"] not in out:
            out[rec["id"]] = rec
            continue
        first = out[rec["id"]]
        for f in LIST_COLUMNS:
            first[f] = tuple(dict.fromkeys((*first[f], *rec[f])))
        notes.append(f"{rec['id']}: listed more than once by the source; merged into one listing")
    return list(out.values()), notes


def merge(
    existing: Iterable[Mapping[str, Any]],
    fresh: Iterable[Mapping[str, Any]],
    src: SourceRef,
    retrieved: str,
    *,
    complete: bool = True,
) -> MergeResult:
    result = MergeResult()
    records = [complete_record(r) for r in existing]
    by_id = {r["id"]: i for i, r in enumerate(records)}
    fresh_full = []
    for r in fresh:
        full = complete_record(r)
        full[PLACE_HOW] = r.get(PLACE_HOW, "")
        full[CARRIED] = bool(r.get(CARRIED))
        fresh_full.append(full)
    fresh_full, notes = dedupe(fresh_full)
    result.notes.extend(notes)
    seen: set[int] = set()
    for new in fresh_full:
        how = new.pop(PLACE_HOW, "")
        carried = new.pop(CARRIED, False)
        i = find_match(new, records, by_id, seen)
        if i is None:
            rec = new if carried else stamp(new, src, retrieved, how)
            records.append(rec)
            by_id[rec["id"]] = len(records) - 1
            seen.add(len(records) - 1)
            result.added.append(rec["id"])
            continue
        merged, first, changed, conflicts = merge_one(records[i], new, src, retrieved, how)
        records[i] = merged
        seen.add(i)
        result.conflicts.extend(conflicts)
        (result.merged if first else result.updated if changed else result.unchanged).append(merged["id"])
    if complete:
        for i, rec in enumerate(records):
            if i in seen or rec["status"] == MISSING:
                continue
            prov = _prov(rec)
            if src.url in _sources_of(prov) or src.url in rec["source_urls"]:
                rec["status"] = MISSING
                prov["status"] = {"source": src.url, "retrieved": retrieved}
                rec["provenance"] = _dump(prov)
                result.marked_missing.append(rec["id"])
    else:
        result.notes.append("the source was not read completely, so no listing was marked as missing from it")
    result.records = sorted(records, key=lambda r: r["id"])
    return result

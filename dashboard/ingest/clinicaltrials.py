"""ClinicalTrials.gov API v2 adapter: US sites of recruiting ketamine / esketamine studies.

``GET https://clinicaltrials.gov/api/v2/studies?query.intr=ketamine OR esketamine&filter.overallStatus=RECRUITING``
pages with ``nextPageToken`` (the default query also names the brands: ``ketamine OR esketamine OR Ketalar OR
Spravato``). Each US site in ``protocolSection.contactsLocationsModule.locations[]``
becomes a **research-study site** listing (``listing_kind=research_study``, ``study_id`` = NCT number),
which the finder shows as "recruiting study (NCT…)", never as a clinic.

A study qualifies when one of its interventions (name, description or ``otherNames``) names ketamine by any
of its names: generic (ketamine, esketamine), brand (Ketalar, Spravato, Ketanest, Ketanest S) or code
(JNJ-54135419). Status is read at both levels: a study whose ``overallStatus`` is not RECRUITING is left out
whole; in a recruiting study, each site with its own ``status`` other than RECRUITING (NOT_YET_RECRUITING,
COMPLETED, WITHDRAWN…) is left out; a site without a status follows the study. Sites outside the US are
left out too, each with the reason. Routes come from the intervention text (a brand alone names no route,
except Spravato: nasal); conditions from the study's condition list, mapped to the vocabulary (unmapped ones
are simply not coded).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dashboard.ingest import http
from dashboard.ingest.base import (
    SOURCE_POINT,
    ParseResult,
    RawPages,
    Rejected,
    float_of,
    get_path,
    slug,
    state_code,
    text_of,
    zip5,
)
from dashboard.states import in_us

ENDPOINT = "https://clinicaltrials.gov/api/v2/studies"
STUDY_URL = "https://clinicaltrials.gov/study/{nct}"
_NCT_RE = re.compile(r"^NCT\d{8}$")
US_NAMES = frozenset({"united states", "united states of america", "usa", "us", "u.s.", "u.s.a."})
RECRUITING = "RECRUITING"
QUERY_NAMES = "ketamine OR esketamine OR Ketalar OR Spravato"

# Names a ketamine intervention goes by: the generic names (ketamine, esketamine, "ketamine hydrochloride"),
# the US brand names Ketalar (racemic ketamine injection) and Spravato (esketamine nasal spray), the European
# brands Ketanest (racemic) and Ketanest S (esketamine), and the esketamine development code JNJ-54135419.
_KETAMINE = re.compile(r"ketamine|ketalar|ketanest|spravato|jnj-?54135419", re.IGNORECASE)
_ESKETAMINE = re.compile(r"esketamine|s-ketamine|\(s\)-ketamine|spravato|ketanest[- ]?s\b|jnj-?54135419", re.IGNORECASE)
_IV = re.compile(r"intravenous|infusion|\biv\b|i\.v\.", re.IGNORECASE)
_NASAL = re.compile(r"nasal|intranasal|\bspray\b", re.IGNORECASE)
_ORAL = re.compile(r"\boral|sublingual|troche|lozenge|tablet|capsule|\bpo\b", re.IGNORECASE)
_IM = re.compile(r"intramuscular|\bim\b|i\.m\.", re.IGNORECASE)

# (pattern, code): the first matching entry of each group wins, in order; a condition may map to several codes.
CONDITION_RULES: tuple[tuple[str, str], ...] = (
    (r"treatment[- ]resistant depress|refractory depress|\btrd\b", "treatment_resistant_depression"),
    (r"bipolar", "bipolar_depression"),
    (r"postpartum|post-partum|perinatal depress", "postpartum_depression"),
    (r"suicid", "suicidal_ideation"),
    (r"ptsd|post-?traumatic stress|posttraumatic stress", "ptsd"),
    (r"obsessive|\bocd\b", "ocd"),
    (r"anxiety", "anxiety"),
    (
        r"alcohol use|alcohol dependence|substance|opioid use|cocaine|methamphetamine|addiction|use disorder",
        "substance_use",
    ),
    (r"complex regional pain|\bcrps\b|reflex sympathetic", "crps"),
    (r"fibromyalgia", "fibromyalgia"),
    (r"migraine|headache", "migraine"),
    (r"neuropath|nerve pain", "neuropathic_pain"),
    (r"chronic pain", "chronic_pain"),
)
_DEPRESSION = re.compile(r"depress", re.IGNORECASE)
_PAIN = re.compile(r"\bpain\b", re.IGNORECASE)


def map_condition(text: str) -> list[str]:
    """Vocabulary codes for one condition string ("Major Depressive Disorder" -> depression)."""
    codes = [code for pattern, code in CONDITION_RULES if re.search(pattern, text, re.IGNORECASE)]
    specific_depression = {"treatment_resistant_depression", "bipolar_depression", "postpartum_depression"}
    if _DEPRESSION.search(text) and not specific_depression & set(codes):
        codes.append("depression")
    pain_codes = {"crps", "fibromyalgia", "migraine", "neuropathic_pain", "chronic_pain"}
    if _PAIN.search(text) and not pain_codes & set(codes):
        codes.append("other_pain")
    return codes


def routes_from_interventions(interventions: Any) -> tuple[list[str], bool]:
    """Route codes named by the ketamine/esketamine interventions, and whether any intervention is one."""
    routes: list[str] = []
    found = False
    if not isinstance(interventions, list):
        return routes, found
    for item in interventions:
        if not isinstance(item, dict):
            continue
        other = item.get("otherNames") if isinstance(item.get("otherNames"), list) else []
        text = " ".join([text_of(item.get("name")), text_of(item.get("description"))] + [text_of(o) for o in other])
        if not _KETAMINE.search(text):
            continue
        found = True
        if _ESKETAMINE.search(text):
            # Esketamine in the US is the nasal spray unless the study says otherwise (IV esketamine has no code).
            if not (_IV.search(text) or _ORAL.search(text) or _IM.search(text)) or _NASAL.search(text):
                routes.append("esketamine_nasal")
            continue
        if _IV.search(text):
            routes.append("iv_ketamine")
        if _NASAL.search(text):
            routes.append("intranasal_ketamine")
        if _ORAL.search(text):
            routes.append("oral_sublingual_ketamine")
        if _IM.search(text):
            routes.append("im_ketamine")
    return list(dict.fromkeys(routes)), found


def _with_token(url: str, token: str) -> str:
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    params["pageToken"] = token
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


class ClinicalTrials:
    name = "clinicaltrials"
    source_kind = "clinicaltrials_gov"
    default_url = (
        f"{ENDPOINT}?{urlencode({'query.intr': QUERY_NAMES, 'filter.overallStatus': RECRUITING})}&pageSize=100"
    )

    def fetch(self, from_: str, *, source_url: str | None = None, **options: Any) -> RawPages:
        def next_url(url: str, page: Any) -> str | None:
            token = text_of(page.get("nextPageToken")) if isinstance(page, dict) else ""
            return _with_token(url, token) if token else None

        pages = http.fetch_pages(from_, next_url, **options)
        cite = source_url or (from_ if http.is_url(from_) else ENDPOINT)
        return RawPages(source_url=cite, origin=from_, pages=pages)

    def parse(self, raw: RawPages, *, retrieved: str) -> ParseResult:
        result = ParseResult()
        for p, page in enumerate(raw.pages, start=1):
            where = f"page {p}"
            studies = page.get("studies") if isinstance(page, dict) else None
            if not isinstance(studies, list):
                why = "not a JSON object" if not isinstance(page, dict) else "no 'studies' list in the page"
                result.rejected.append(Rejected(where, why))
                result.complete = False
                continue
            if not studies:
                result.notes.append(f"{where}: no studies")
            for s, study in enumerate(studies, start=1):
                self._parse_study(study, f"{where} study {s}", result)
        return result

    def _parse_study(self, study: Any, where: str, result: ParseResult) -> None:
        if not isinstance(study, dict):
            result.rejected.append(Rejected(where, f"study is not a JSON object ({type(study).__name__})"))
            return
        proto = get_path(study, "protocolSection")
        nct = text_of(get_path(proto, "identificationModule", "nctId")).upper()
        if not _NCT_RE.match(nct):
            result.rejected.append(Rejected(where, "no valid NCT id (identificationModule.nctId)"))
            return
        where = f"{where} {nct}"
        status = text_of(get_path(proto, "statusModule", "overallStatus")).upper()
        if status and status != RECRUITING:
            result.excluded.append(Rejected(where, f"study status is {status}, not RECRUITING"))
            return
        routes, found = routes_from_interventions(get_path(proto, "armsInterventionsModule", "interventions"))
        if not found:
            result.excluded.append(Rejected(where, "no ketamine or esketamine intervention listed"))
            return
        conditions_raw = get_path(proto, "conditionsModule", "conditions")
        conditions: list[str] = []
        for cond in conditions_raw if isinstance(conditions_raw, list) else []:
            conditions.extend(map_condition(text_of(cond)))
        conditions = sorted(set(conditions))
        source_date = text_of(get_path(proto, "statusModule", "lastUpdatePostDateStruct", "date"))
        if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", source_date):
            source_date = ""
        central_phone = _first_phone(get_path(proto, "contactsLocationsModule", "centralContacts"))
        locations = get_path(proto, "contactsLocationsModule", "locations")
        if not isinstance(locations, list) or not locations:
            result.excluded.append(Rejected(where, "no study sites listed"))
            return
        for i, loc in enumerate(locations, start=1):
            lwhere = f"{where} site {i}"
            if not isinstance(loc, dict):
                result.rejected.append(Rejected(lwhere, "site is not a JSON object"))
                continue
            country = text_of(loc.get("country"))
            if country.lower() not in US_NAMES:
                result.excluded.append(Rejected(lwhere, f"not a US site ({country or 'no country'})"))
                continue
            site_status = text_of(loc.get("status")).upper()
            if site_status and site_status != RECRUITING:
                result.excluded.append(Rejected(lwhere, f"site status is {site_status}, not RECRUITING"))
                continue
            facility, city, state = text_of(loc.get("facility")), text_of(loc.get("city")), state_code(loc.get("state"))
            missing = [f for f, v in (("facility", facility), ("city", city), ("state", state)) if not v]
            if missing:
                result.rejected.append(Rejected(lwhere, f"missing or invalid {', '.join(missing)}"))
                continue
            rec: dict[str, Any] = {
                "id": slug(nct, facility, city, state),
                "name": facility,
                "street": "",
                "city": city,
                "state": state,
                "zip": zip5(loc.get("zip")),
                "phone": _first_phone(loc.get("contacts")) or central_phone,
                "website": "",
                "routes": tuple(routes),
                "conditions": tuple(conditions),
                "source_urls": (STUDY_URL.format(nct=nct),),
                "source_kind": self.source_kind,
                "source_date": source_date,
                "listing_kind": "research_study",
                "study_id": nct,
            }
            lat, lon = float_of(get_path(loc, "geoPoint", "lat")), float_of(get_path(loc, "geoPoint", "lon"))
            if lat is not None and lon is not None and in_us(lat, lon):
                rec[SOURCE_POINT] = (lat, lon, "city")  # ClinicalTrials.gov places sites at their city
            result.records.append(rec)


def _first_phone(contacts: Any) -> str:
    if not isinstance(contacts, list):
        return ""
    for contact in contacts:
        if isinstance(contact, dict) and (phone := text_of(contact.get("phone"))):
            ext = text_of(contact.get("phoneExt"))
            return f"{phone} ext. {ext}" if ext else phone
    return ""

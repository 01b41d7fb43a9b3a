"""One source register (dashboard/content/citations.py): every source the app shows, each with its kind, linked only to
its publisher's own site. A test fails on any cited URL whose host is not on the register's allow-list.

What is scanned: the register itself, everything the app renders with sources (About page facts, crisis
sources, screening flags, instrument sources, the PDF and HTML summaries), and every URL written in the
app's code, docs and intake fixtures. What is NOT a citation and is excluded on purpose, by name below:
clinic listings' own source URLs (they are data: data/, tests/fixtures/clinics_small.csv,
tests/fixtures/ingest/, and the dataset loaded at run time), the public data services the refresh
adapters read, map tiles, code-system identifiers and placeholder example hosts.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from pathlib import Path

import pypdf
import pytest

from dashboard.content import citations, routes, safety
from dashboard.intake import draft, summary, summary_html, summary_pdf
from dashboard.intake.instruments import INSTRUMENTS
from dashboard.intake.screening import MEDICINE_QUESTIONS, SCREENING_QUESTIONS
from tests.paths import FIXTURES, ROOT

URL = re.compile(r"https?://[A-Za-z0-9][^\s\"'<>()\[\]`,]*")  # a scheme alone ("https://") is no URL

# Hosts that appear in code or docs but are not cited sources (why, per host).
NOT_CITATIONS = {
    "tile.openstreetmap.org": "map tiles (config)",
    "www.openstreetmap.org": "map attribution and directions links",
    "clinicaltrials.gov": "data service read by the refresh adapter; listings link their own study pages",
    "findtreatment.gov": "data service read by the refresh adapter",
    "github.com": "a UUID namespace for HSDS identifiers, never shown",
    "dejavu-fonts.github.io": "the shipped font's licence file",
    "loinc.org": "the LOINC code-system identifier in FHIR codings (http://loinc.org), not a link",
    "hl7.org": "FHIR extension and profile identifiers (StructureDefinition URLs), not links",
    "terminology.hl7.org": "HL7 code-system identifiers in FHIR codings, not links",
    "unitsofmeasure.org": "the UCUM code-system identifier for Observation units, not a link",
}
# Clinic listings' source URLs are data, not register entries: these files are never scanned.
LISTING_DATA = ("data/", "tests/fixtures/clinics_small.csv", "tests/fixtures/ingest/")
SCANNED = ("dashboard", "docs", "README.md", "streamlit_app.py", "tests/fixtures/intake")


def placeholder(host: str) -> bool:
    """RFC 2606 / 6761 names used in examples, the local machine, and single-label names (an nginx upstream
    group such as ``http://replicas``), which no public site can have."""
    if "." not in host or host in ("localhost", "127.0.0.1"):
        return True
    return host.endswith((".example", ".invalid", "example.org", "example.com"))


def test_register_entries_are_well_formed():
    assert len(citations.REGISTER) == len(citations._ENTRIES), "keys are unique"
    kinds = set(typing.get_args(citations.Kind))
    assert kinds == set(citations.KIND_LABELS)
    for s in citations.REGISTER.values():
        assert s.kind in kinds and s.title, s.key
        if s.url is not None:
            assert s.url.startswith(("https://", "http://")), s.key
            assert citations.host(s.url) in citations.ALLOWED_HOSTS, (s.key, s.url)
        if s.unverified:
            assert s.url is None, f"{s.key}: a fact read only on a copy is cited by name, never linked"
            assert citations.UNVERIFIED_NOTE not in s.citation(), "printed like any reference"
        if s.kind == "clinic_practice":
            assert s.url is None, "clinic pages are never evidence and never linked"


def test_every_allowed_host_is_a_publisher_in_use():
    used = {citations.host(s.url) for s in citations.REGISTER.values() if s.url}
    unused = set(citations.ALLOWED_HOSTS) - used
    assert unused == set(), "drop hosts nobody cites, so the allow-list stays a list of publishers we rely on"


def test_spravato_prescribing_information_is_named_never_linked():
    pi = citations.get("spravato_pi")
    assert pi.url is None and pi.unverified
    assert pi.citation("section 4, Contraindications") == (
        "SPRAVATO (esketamine) nasal spray, Prescribing Information. Janssen Pharmaceuticals, section 4, "
        "Contraindications."
    )


def _shown_urls() -> list[str]:
    """Every URL the app shows with a statement: About facts, crisis sources, flags, instruments, summaries."""
    urls = [u for route in routes.ROUTE_FACTS for fact in route.facts for _, u in fact.sources if u]
    urls += list(safety.CRISIS_SOURCES)
    urls += [c.source.url for q in (*SCREENING_QUESTIONS, *MEDICINE_QUESTIONS) for c in q.cites if c.source.url]
    urls += [citations.get(k).url for inst in INSTRUMENTS.values() for k in inst.sources if citations.get(k).url]
    for name in ("full_draft.json", "caregiver_draft.json"):
        answers = draft.parse((FIXTURES / "intake" / name).read_bytes())
        content = summary.build(answers, dt.date(2026, 11, 25))
        urls += URL.findall(summary_html.render(content))
        pdf = pypdf.PdfReader(__import__("io").BytesIO(summary_pdf.render(content)))
        urls += URL.findall(re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages)))
    return urls


def test_every_url_the_app_shows_is_on_the_allow_list():
    urls = _shown_urls()
    assert len(urls) > 20
    bad = sorted({u for u in urls if citations.host(u) not in citations.ALLOWED_HOSTS})
    assert bad == []


def test_crisis_sources_live_on_the_register():
    assert tuple(s.url for s in citations.CRISIS) == safety.CRISIS_SOURCES
    assert {s.kind for s in citations.CRISIS} == {"government"}


def _files() -> list[Path]:
    out: list[Path] = []
    for entry in SCANNED:
        p = ROOT / entry
        out += (
            [p]
            if p.is_file()
            else sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (".py", ".md", ".json", ".toml"))
        )
    return [f for f in out if not str(f.relative_to(ROOT)).startswith(LISTING_DATA)]


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_url_in_code_docs_or_intake_fixtures_outside_the_allow_list(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    bad = []
    for url in URL.findall(text):
        host = citations.host(url)
        if host in citations.ALLOWED_HOSTS or host in NOT_CITATIONS or placeholder(host) or not host:
            continue
        bad.append(url)
    assert bad == []


def test_the_scan_would_catch_a_mirror():
    """The allow-list check is real: a label mirror or blog host is refused."""
    for url in (
        "http://www.120ty.net/bencandy.php?aid=1",
        "https://doctoryg.blogspot.com/x",
        "https://wcmedicine.com/?p=1",
    ):
        host = citations.host(url)
        assert host not in citations.ALLOWED_HOSTS and host not in NOT_CITATIONS and not placeholder(host)

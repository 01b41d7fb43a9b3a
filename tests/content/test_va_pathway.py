"""The VA pathway says what VA publishes in our own sentences: every fact cites a register entry and shows the
date its page shows; nothing the VA reference could not confirm is stated; no advice, no promise of coverage."""

from __future__ import annotations

import re

import pytest

from dashboard.content import citations, va, va_sources

RENDERINGS = {"markdown": va.markdown, "plain": va.plain_text, "html": va.html_section}

# What shared/reference/va.md lists under "Open questions / could not confirm" (and the facts it marks as
# clinic-reported or advocacy only), as words that would state them.
UNCONFIRMED = (
    "formulary",  # current VA formulary status of Spravato
    "prior approval",  # the clinic-reported 2022 "drug request" rule
    "February 2022",
    "41 of",  # how many VA networks offer ketamine
    "171",
    "15 veterans",
    "seven of",
    "Alaska",  # which version of the eligibility page is current
    "Montana",
    "Wyoming",
    "any VA health facility",
    "ACCESS Act",  # pending legislation
    "S. 275",
    "travel",  # the advocacy claim that VA pays travel to infusion centres
    "for pain",  # no VA source that Community Care paid for ketamine for pain
    "28 patients",  # the OIG count differs between copies
    "35 patients",
    "May 4",  # the San Juan opening
    "spinal cord",  # no VA study of ketamine for SCI pain
    "GAO",
    "v3.0",
    "two antidepressant",  # news-reported requirement, not a VA page
    "Kadima",
    "Community Care Network",
)
ADVICE = ("you should", "we recommend", "you qualify", "you are eligible", "will cover", "will pay for")


def test_every_fact_cites_the_register_and_every_cited_page_is_dated_or_marked_undated():
    facts = va.all_facts()
    assert len(facts) >= 12
    for fact in facts:
        assert fact.cites, fact.text
        for c in fact.cites:
            assert citations.REGISTER[c.source.key] is c.source
            assert c.source.key in va_sources.DATES, f"{c.source.key}: say which date its page shows (or None)"
            if c.source.url:
                assert citations.host(c.source.url) in citations.ALLOWED_HOSTS
            if c.source.unverified:
                assert c.source.link is None, "a release read on a reprint is named, never linked"


@pytest.mark.parametrize("name", RENDERINGS)
def test_each_fact_shows_with_its_sources_dates(name):
    text = RENDERINGS[name]()
    for fact in va.all_facts():
        at = text.index(fact.text if name != "html" else fact.text.replace("'", "&#x27;"))
        following = text[at : at + len(fact.text) + 1200]
        for _, _, date in fact.sources():
            assert (date or va.UNDATED) in following, (fact.text, date)


@pytest.mark.parametrize("name", RENDERINGS)
def test_nothing_unconfirmed_and_no_advice_is_stated(name):
    text = RENDERINGS[name]().lower()
    assert [w for w in UNCONFIRMED if w.lower() in text] == []
    assert [w for w in ADVICE if w in text] == []


def test_it_covers_what_a_veteran_asks():
    facts = " ".join(f.text for f in va.all_facts())
    assert "esketamine" in facts and "certified medical facility" in facts
    assert "IV ketamine" in facts
    assert "Community Care is care from a community provider outside VA" in facts
    assert "approves the community care before it starts" in facts
    assert "30 minutes" in facts and "20 days" in facts  # the access standards as VA described them
    assert "Community Care office" in facts and "mental health provider" in facts
    assert "988 and then press 1" in facts and "838255" in facts


def test_the_crisis_line_part_cites_the_register_crisis_sources():
    crisis = next(p for p in va.PARTS if p.heading == "Veterans Crisis Line")
    assert {c.source for f in crisis.facts for c in f.cites} <= set(citations.CRISIS)


def test_dated_facts_say_their_date_in_the_sentence_when_it_matters():
    standards = next(f for f in va.all_facts() if "access standards" in f.text)
    assert "June 2019" in standards.text  # the standards as VA described them then, not necessarily now
    assert "March 2019" in va.all_facts()[0].text


def test_the_html_section_escapes_and_links_only_register_pages():
    page = va.html_section()
    links = re.findall(r'href="([^"]+)"', page)
    assert links and all(citations.host(u) in citations.ALLOWED_HOSTS for u in links)
    registered = {s.link for s in citations.REGISTER.values() if s.link}
    assert set(links) <= registered
    assert "<script" not in page.lower()

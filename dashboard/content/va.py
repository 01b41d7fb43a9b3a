"""The VA pathway: what VA offers, what Community Care is, how to ask, and the Veterans Crisis Line.

Why here and not in a page: the finder, the About page and the printable list all show the same text, and
a test reads it directly (every fact cites the register; nothing the reference marks unconfirmed appears).
Sentences are our own; each ``Fact`` cites the publisher's page through the source register and carries
the date that page shows. ``NOTES`` are the app's own words about itself (what it cannot tell anyone), not
facts about VA, so they cite nothing. Nothing here is advice, decides eligibility or promises coverage.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from dashboard.content import va_sources
from dashboard.content.citations import Cite, cite

TITLE = "For veterans: ketamine, esketamine and VA care"
UNDATED = "no date shown"


@dataclass(frozen=True)
class Fact:
    """One statement about VA, with the pages it comes from."""

    text: str
    cites: tuple[Cite, ...]

    def sources(self) -> list[tuple[str, str | None, str | None]]:
        """(readable reference, link or None, date the page shows or None) per cited page."""
        return [(c.source.reference(), c.source.link, va_sources.DATES[c.source.key]) for c in self.cites]


@dataclass(frozen=True)
class Part:
    heading: str
    facts: tuple[Fact, ...]
    note: str = ""  # the app's own words, when a part needs them


INTRO = (
    "If you are a veteran, VA may be another way to ask about esketamine or ketamine. This section sums up what "
    "VA and others have published, each with its source and date. It does not say what is right for you and "
    "does not promise that VA will approve or pay for any treatment: only VA decides that."
)

PARTS: tuple[Part, ...] = (
    Part(
        "What VA offers",
        (
            Fact(
                "In March 2019 VA said its clinicians could offer the esketamine nasal spray (Spravato) to veterans "
                "with treatment-resistant depression, according to each veteran's medical needs and the "
                "clinician's assessment.",
                (cite("va_spravato_2019"), cite("healio_va_esketamine_2019")),
            ),
            Fact(
                "Esketamine is used only at a certified medical facility: the patient takes the spray while a "
                "clinician watches, stays for at least two hours of monitoring, and is never given it to use at "
                "home.",
                (cite("va_spravato_2019"), cite("dailymed_spravato")),
            ),
            Fact(
                "A later VA release says esketamine is used across VA for veterans with treatment-resistant "
                "depression and for acute suicidal thoughts.",
                (cite("va_esketamine_referral"),),
            ),
            Fact(
                "A 2023 VA research abstract says several VA medical centres give IV ketamine for severe or "
                "treatment-resistant depression.",
                (cite("va_hsrd_iv_ketamine_2023"),),
            ),
        ),
        note="The VA facilities this app lists are the ones a public page documented, often years ago; a listing "
        "is not a confirmed current service, so ask the medical centre.",
    ),
    Part(
        "VA Community Care",
        (
            Fact(
                "Community Care is care from a community provider outside VA. Two things always apply: the veteran "
                "is enrolled in, or eligible for, VA health care, and the VA care team approves the community "
                "care before it starts (except in certain cases such as urgent or emergency care).",
                (cite("va_cc_eligibility"),),
            ),
            Fact(
                "At least one more condition must be met as well, for example that VA cannot give the care within "
                "its drive-time and wait-time standards, or that the veteran and their VA provider agree that "
                "community care is in the veteran's best medical interest.",
                (cite("va_cc_eligibility"),),
            ),
            Fact(
                "A veteran can always choose care at a VA facility instead.",
                (cite("va_cc_eligibility"),),
            ),
            Fact(
                "When the programme began in June 2019, VA described its access standards as an average drive of "
                "30 minutes for mental health care (60 minutes for specialty care) and a wait of 20 days for "
                "mental health care unless the veteran agrees to a later date (28 days for specialty care).",
                (cite("va_access_standards_2019"), cite("aha_access_standards_2019")),
            ),
            Fact(
                "The standards are set in federal regulation (38 CFR 17.4040); in July 2020 VA updated how drive "
                "time is worked out.",
                (cite("fr_access_standards_2020"),),
            ),
        ),
        note="We found no VA page that says whether ketamine or esketamine counts as mental health care or "
        "specialty care for these standards.",
    ),
    Part(
        "How to ask",
        (
            Fact(
                "A VA page about ketamine tells veterans to contact their VA medical centre's primary mental health "
                "provider or its Community Care office, to talk about whether ketamine is an option.",
                (cite("va_marketplace_ketamine"),),
            ),
            Fact(
                "VA says veterans interested in esketamine can ask their mental health provider for a referral.",
                (cite("va_esketamine_referral"),),
            ),
            Fact(
                "VA says veterans work with their VA health care provider or other VA staff to find out whether "
                "they are eligible for community care.",
                (cite("va_mission_launch"),),
            ),
            Fact(
                "An approval can end: VA's Inspector General found that VA San Diego stopped community care "
                "authorizations for ketamine in October 2019 and again in March 2020.",
                (cite("va_oig_san_diego"),),
            ),
        ),
        note="This app cannot tell you whether VA will approve or pay for a treatment, or whether a clinic "
        "here works with VA: ask VA, and ask the clinic.",
    ),
    Part(
        "Veterans Crisis Line",
        (
            Fact(
                "Veterans can dial 988 and then press 1, text 838255, or chat at VeteransCrisisLine.net/Chat. No "
                "enrolment in VA benefits or health care is needed.",
                (cite("vcl"),),
            ),
            Fact(
                "Veterans and their loved ones get free, confidential support there 24 hours a day, every day of "
                "the year.",
                (cite("va_asheville_vcl"),),
            ),
        ),
    ),
)


def all_facts() -> list[Fact]:
    return [fact for part in PARTS for fact in part.facts]


def _dated(reference: str, date: str | None) -> str:
    return f"{reference}, {date}" if date else f"{reference}, {UNDATED}"


def sources_md(fact: Fact) -> str:
    """ "Sources: [title (publisher)](link), 2023-07-06; title (publisher), no date shown." as Markdown."""
    parts = []
    for reference, link, date in fact.sources():
        name = f"[{reference}]({link})" if link else reference
        parts.append(_dated(name, date))
    return "Sources: " + "; ".join(parts) + "."


def sources_text(fact: Fact) -> str:
    """The same as plain text (links written out), for the command line."""
    parts = []
    for reference, link, date in fact.sources():
        parts.append(_dated(f"{reference} {link}" if link else reference, date))
    return "Sources: " + "; ".join(parts) + "."


def markdown() -> str:
    """The whole pathway as Markdown (finder and About pages)."""
    blocks = [INTRO]
    for part in PARTS:
        blocks.append(f"**{part.heading}**")
        blocks.append("\n".join(f"- {fact.text}  \n  *{sources_md(fact)}*" for fact in part.facts))
        if part.note:
            blocks.append(part.note)
    return "\n\n".join(blocks)


def plain_text() -> str:
    """The whole pathway as plain text (the command line)."""
    lines = [TITLE, "", INTRO]
    for part in PARTS:
        lines += ["", part.heading]
        for fact in part.facts:
            lines += [f"- {fact.text}", f"  {sources_text(fact)}"]
        if part.note:
            lines.append(part.note)
    return "\n".join(lines)


def html_section() -> str:
    """The whole pathway as an HTML section for the printable list (everything escaped; links only to the
    register's publisher pages)."""

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    def source_html(fact: Fact) -> str:
        parts = []
        for reference, link, date in fact.sources():
            name = e(reference)
            if link:
                name = f'<a href="{e(link)}" rel="noopener noreferrer nofollow">{name}</a>'
            parts.append(_dated(name, e(date) if date else None))
        return "Sources: " + "; ".join(parts) + "."

    out = [f'<section class="va-pathway"><h2>{e(TITLE)}</h2>', f"<p>{e(INTRO)}</p>"]
    for part in PARTS:
        out.append(f"<h3>{e(part.heading)}</h3><ul>")
        out += [f'<li>{e(f.text)}<br><span class="small">{source_html(f)}</span></li>' for f in part.facts]
        out.append("</ul>")
        if part.note:
            out.append(f'<p class="note">{e(part.note)}</p>')
    out.append("</section>")
    return "".join(out)


def cited_keys() -> set[str]:
    """Every register entry the pathway cites (a test checks each is registered and dated)."""
    return {c.source.key for fact in all_facts() for c in fact.cites}

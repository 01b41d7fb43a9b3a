"""Neutral facts about the routes, in our own words, each with its source (intake_content.md §6).

The finder never ranks routes; this page only says what each one is and how it is given. Every source
is an entry of the one source register (dashboard/content/citations.py) with a publisher's own link; where the
reference found no authoritative source (typical prices, insurance coverage, clinic routines), the page
says so and points to the clinic or insurer instead of quoting a blog, law firm or mirror.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.content import citations


@dataclass(frozen=True)
class Fact:
    text: str
    sources: tuple[tuple[str, str | None], ...]  # (readable reference, publisher link or None)


@dataclass(frozen=True)
class RouteFacts:
    title: str
    route_codes: tuple[str, ...]
    facts: tuple[Fact, ...]


def _src(*keys: str) -> tuple[tuple[str, str | None], ...]:
    """(readable reference, link) per register entry: the document by name, linked where the publisher has a
    page a reader can open (a machine record such as an API's JSON is cited by name only)."""
    out = []
    for key in keys:
        source = citations.get(key)
        if source.url is None:
            raise ValueError(f"{key} has no publisher source; the About page cites only documents it can trace")
        out.append((source.reference(), source.link))
    return tuple(out)


def sources_md(fact: Fact) -> str:
    """ "Sources: [title (publisher)](link); title (publisher)." as Markdown; '' for a fact with none."""
    if not fact.sources:
        return ""
    parts = [f"[{name}]({link})" if link else name for name, link in fact.sources]
    return "Sources: " + "; ".join(parts) + "."


INTRO = (
    "Ketamine is offered in several ways. This page says what each route is and where it is given. It does not "
    "say which is better for anyone: that is a question for you and your clinician. Costs and insurance coverage "
    "vary; we found no authoritative source for typical prices, so ask the clinic and your insurer."
)

ROUTE_FACTS: tuple[RouteFacts, ...] = (
    RouteFacts(
        "IV ketamine infusion (racemic ketamine)",
        ("iv_ketamine",),
        (
            Fact(
                "Ketamine hydrochloride injection is FDA-listed for intravenous or intramuscular use. This racemic "
                "ketamine is not FDA-approved to treat depression; its use for depression, PTSD or chronic pain is "
                "off-label.",
                _src("openfda_ketamine", "jnj_vs_ketamine", "spravato_faq"),
            ),
            Fact(
                "The American Society of Anesthesiologists says ketamine given outside anaesthesia should meet the "
                "same standards as other anaesthetic medicines and be given by trained professionals, as part of a "
                "plan with a defined course.",
                _src("asa_ketamine"),
            ),
            Fact(
                "A randomised trial for depression gave 0.5 mg/kg over 40 minutes. For chronic pain, 2018 consensus "
                "guidelines found that the evidence varies by condition and dose range.",
                _src("talati_2019", "asra_cohen_summary"),
            ),
            Fact(
                "Ask the clinic how long sessions last, how many it plans, and whether someone must take you home.",
                (),
            ),
        ),
    ),
    RouteFacts(
        "Esketamine nasal spray (SPRAVATO)",
        ("esketamine_nasal",),
        (
            Fact(
                "FDA-approved for treatment-resistant depression in adults, with or without an antidepressant taken "
                "by mouth, and for depressive symptoms in adults with major depression with suicidal thoughts or "
                "actions. It is not for use as a medicine to prevent or relieve pain.",
                _src("jnj_vs_ketamine", "spravato_limitations"),
            ),
            Fact(
                "It is only given at healthcare settings certified in the SPRAVATO REMS: you use the spray under "
                "supervision and are monitored for at least 2 hours at each session. It cannot be bought at a "
                "pharmacy.",
                _src("dailymed_spravato", "spravato_hcp_dosing", "spravato_rems_outpatient", "spravato_preparing"),
            ),
            Fact(
                "No driving or operating machinery until the next day, after a restful sleep.",
                _src("spravato_hcp_dosing", "spravato_preparing"),
            ),
            Fact(
                "The manufacturer's Find a Center list shows REMS-certified centres 2–3 days after certification, "
                "unless a centre opts out.",
                _src("spravato_centers"),
            ),
        ),
    ),
    RouteFacts(
        "Compounded ketamine: nasal spray, oral or sublingual, and IM injection",
        ("intranasal_ketamine", "oral_sublingual_ketamine", "im_ketamine"),
        (
            Fact(
                "Compounded ketamine products are not FDA-approved. In 2022 the FDA alerted health professionals to "
                "the risks of compounded ketamine nasal spray, which has no FDA-approved dosing regimen.",
                _src("wa_doh_compounded"),
            ),
            Fact(
                "Esketamine (SPRAVATO, above) is the only ketamine medicine FDA-approved for depression. Racemic "
                "ketamine, the ketamine in infusions and in compounded sprays, tablets and lozenges, is not "
                "FDA-approved to treat depression in any of these forms.",
                _src("jnj_vs_ketamine"),
            ),
        ),
    ),
)

DATA_NOTE = (
    "**About the clinic data.** Listings were compiled from public web pages (clinic sites, hospital pages, "
    "local news, directories). Each listing links to its sources. Pages may be out of date and clinics move or "
    "close: always call to confirm before you travel. A listing is not an endorsement."
)

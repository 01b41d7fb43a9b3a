"""Neutral facts about the routes, in our own words, each with its source (intake_content.md §6).

The finder never ranks routes; this page only says what each one is, how it is given and what it costs.
"""

from __future__ import annotations

from dataclasses import dataclass

S = {
    "S60": "https://www.oncologynurseadvisor.com/drug/spravato/",
    "S62": "http://www.120ty.net/bencandy.php?aid=58243&fid=134&page=2",
    "S63": "https://pdr.net/drug-summary/?drugLabelId=24300",
    "S67": "https://doctoryg.blogspot.com/2019/03/ketamine-infusions-for-chronic-pain.html",
    "S72": "https://colospringsketamine.com/ketamine-treatment-consent-form/",
    "S82": "https://ketwell.com/pre-and-post-treatment-instructions/",
    "S84": "https://www.spravatotreatmentcenter.com/",
    "S85": "https://www.nervanamedical.com/s/ketaminedischarge",
    "S86": "https://www.spravatohcp.com/dosing-spravato-trd",
    "S87": "http://spravatorems.com/",
    "S98": "https://www.amg-ketamine.com/treatment-day",
    "S123": (
        "https://lexichronic.com/letter-10-october-fda-warns-patients-and-health-care-providers-about-potential-"
        "risks-associated-with-compounded-ketamine-products-including-oral-formulations-for-the-treatment-of-"
        "psychiatric-disord/"
    ),
    "S124": "https://healthute.com/fda-points-new-warning-concerning-compounded-ketamine/",
    "S126": "https://www.beckershospitalreview.com/pharmacy/j-j-approves-1st-monotherapy-for-treatment-resistant-depression.html",
    "S127": "https://scrippsnews.com/stories/fda-warns-of-risks-involved-with-compounded-ketamine-products",
    "S129": "https://spravatotreatmentcenter.com/how_become_a_treatment_center.html",
    "S130": "https://www.reconsciousmedical.com/consent-to-treatment",
    "S132": "https://mindmedicinelaw.com/guides/ketamine-therapy-insurance-coverage",
    "S133": "https://ketamineresource.com/blog/insurance-coverage-trends-2025",
}


@dataclass(frozen=True)
class Fact:
    text: str
    sources: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RouteFacts:
    title: str
    route_codes: tuple[str, ...]
    facts: tuple[Fact, ...]


def _src(*keys: str) -> tuple[tuple[str, str], ...]:
    return tuple((k, S[k]) for k in keys)


INTRO = (
    "Ketamine is offered in several ways. This page says what each route is, where it is given and how it is "
    "usually paid for. It does not say which is better for anyone: that is a question for you and your "
    "clinician."
)

ROUTE_FACTS: tuple[RouteFacts, ...] = (
    RouteFacts(
        "IV ketamine infusion (racemic ketamine)",
        ("iv_ketamine",),
        (
            Fact(
                "Ketamine is FDA-approved as an anaesthetic. Its use for depression, PTSD or chronic pain is "
                "off-label: it is not FDA-approved for any psychiatric disorder.",
                _src("S127", "S123"),
            ),
            Fact(
                "It is given through a drip in a clinic or infusion centre where vital signs are monitored.",
                _src("S98"),
            ),
            Fact(
                "For depression, clinics describe infusions of about 40 minutes, often as a series of about six "
                "over two weeks. Pain protocols use longer infusions, for example four hours, and published "
                "regimens for CRPS run over several days. Evidence for pain depends on the condition.",
                _src("S72", "S82", "S67"),
            ),
            Fact(
                "You need someone to drive you home; clinics ask you not to drive for about a day.", _src("S85", "S82")
            ),
            Fact(
                "It is usually self-pay; insurers usually treat it as investigational. Third-party sources quote "
                "a course at several thousand dollars.",
                _src("S132", "S133"),
            ),
        ),
    ),
    RouteFacts(
        "Esketamine nasal spray (SPRAVATO)",
        ("esketamine_nasal",),
        (
            Fact(
                "FDA-approved, with an oral antidepressant, for treatment-resistant depression in adults and for "
                "depressive symptoms in adults with major depression and acute suicidal thoughts or behaviour; "
                "approved in January 2025 on its own for treatment-resistant depression. Its approved uses are "
                "for depression only; it is not approved for pain.",
                _src("S60", "S84", "S126"),
            ),
            Fact(
                "It is only given in certified healthcare settings (a REMS programme): you use the spray under "
                "supervision and stay for at least two hours of observation. It is never sent home.",
                _src("S86", "S87", "S63"),
            ),
            Fact("No driving until the next day after a restful sleep.", _src("S62")),
            Fact(
                "Often covered by insurance with prior authorisation, which commonly asks for earlier "
                "antidepressant trials (third-party sources).",
                _src("S132", "S133"),
            ),
            Fact(
                "The manufacturer's centre locator lists certified centres a few days after certification, "
                "unless a centre opts out.",
                _src("S129"),
            ),
        ),
    ),
    RouteFacts(
        "Compounded ketamine: nasal spray, oral or sublingual, and IM injection",
        ("intranasal_ketamine", "oral_sublingual_ketamine", "im_ketamine"),
        (
            Fact(
                "Compounded ketamine products are not FDA-approved. The FDA warned in October 2023 about "
                "compounded ketamine, including oral forms, for psychiatric use, and earlier about compounded "
                "nasal spray.",
                _src("S123", "S124"),
            ),
            Fact(
                "These are often used through telehealth or at home; the FDA notes that home use adds risk "
                "because nobody is there to monitor, and that no safe dosing has been established.",
                _src("S123", "S124", "S130"),
            ),
            Fact("Generally not covered by insurance (third-party source).", _src("S132")),
        ),
    ),
)

DATA_NOTE = (
    "**About the clinic data.** Listings were compiled from public web pages (clinic sites, hospital pages, "
    "local news, directories). Each listing links to its sources. Pages may be out of date and clinics move or "
    "close: always call to confirm before you travel. A listing is not an endorsement."
)

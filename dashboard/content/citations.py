"""The one register of every source the app shows: screening reasons, instruments, crisis lines, route facts.

Each entry names a document the way a clinician would cite it, says what kind of publisher stands behind
it, and links only the publisher's own page. Where the project's clinical reference (intake_content.md,
re-sourced 2026-11-26) read a fact only on a secondary copy (a label mirror, an author upload), the
document is cited by name and section with no link (``unverified``); the printed citation reads like any
other reference, and the register keeps the fact that the wording was not re-checked against the original.
"clinic_practice" entries record what ketamine clinics commonly ask; they are never evidence and never
linked. Clinic listings' own source URLs are data (data/, the dataset), not citations, and are not here.

``ALLOWED_HOSTS`` is the allow-list: a test fails on any cited URL whose host is not on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from dashboard.content import va_sources

Kind = Literal[
    "label",
    "peer_reviewed",
    "government",
    "standards_body",
    "instrument_owner",
    "professional_society",
    "manufacturer",
    "news",
    "clinic_practice",
]

KIND_LABELS: dict[str, str] = {
    "label": "drug label",
    "peer_reviewed": "peer-reviewed",
    "government": "government",
    "standards_body": "standards body",
    "instrument_owner": "instrument owner",
    "professional_society": "professional society",
    "manufacturer": "manufacturer",
    "news": "news or trade press",
    "clinic_practice": "clinic practice (not evidence)",
}

# Kept in the register and its docs, not printed: a citation on a clinical summary reads as a reference.
UNVERIFIED_NOTE = "wording not re-checked against the original"

# host → publisher. Only publishers' own sites; every linked source must be on one of these hosts.
ALLOWED_HOSTS: dict[str, str] = {
    "dailymed.nlm.nih.gov": "US National Library of Medicine (DailyMed)",
    "pmc.ncbi.nlm.nih.gov": "US National Library of Medicine (PubMed Central)",
    "api.fda.gov": "US Food and Drug Administration (openFDA)",
    "www.spravato.com": "Janssen Pharmaceuticals (SPRAVATO)",
    "www.spravatohcp.com": "Janssen Pharmaceuticals (SPRAVATO, for professionals)",
    "spravatorems.com": "Janssen Pharmaceuticals (SPRAVATO REMS)",
    "www.spravatorems.com": "Janssen Pharmaceuticals (SPRAVATO REMS)",
    "spravatotreatmentcenter.com": "Janssen Pharmaceuticals (SPRAVATO centre locator)",
    "jnjmedicalconnect.com": "Johnson & Johnson Medical Connect (medical information)",
    "psychiatryonline.org": "American Psychiatric Association Publishing",
    "www.psychiatrist.com": "Journal of Clinical Psychiatry",
    "link.springer.com": "Springer (Journal of General Internal Medicine)",
    "ebm.bmj.com": "BMJ (Evidence-Based Medicine)",
    "www.ijiapp.com": "Indian Journal of Private Psychiatry",
    "www.asra.com": "American Society of Regional Anesthesia and Pain Medicine",
    "asahq.org": "American Society of Anesthesiologists",
    "istss.org": "International Society for Traumatic Stress Studies",
    "physiotherapy.ca": "Canadian Physiotherapy Association",
    "comorbidityguidelines.org.au": "Matilda Centre, University of Sydney (Australian Government-funded guideline)",
    "www.hl7.org": "HL7 International",
    "build.fhir.org": "HL7 International (FHIR build)",
    "cdn.loinc.org": "Regenstrief Institute (LOINC)",
    "988lifeline.org": "988 Suicide & Crisis Lifeline (SAMHSA-funded)",
    "www.va.gov": "US Department of Veterans Affairs",
    "veteranscrisisline.net": "US Department of Veterans Affairs (Veterans Crisis Line)",
    "www.hhs.nd.gov": "North Dakota Health and Human Services",
    "health.wyo.gov": "Wyoming Department of Health",
    "hcfl.gov": "Hillsborough County, Florida",
    "doh.wa.gov": "Washington State Department of Health",
    **va_sources.HOSTS,
}


def host(url: str) -> str:
    """The lower-case host of a URL ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class Source:
    """One cited document; ``ref`` is its tag in intake_content.md, ``url`` only ever the publisher's page."""

    key: str
    title: str
    publisher: str
    kind: Kind
    url: str | None = None
    ref: str = ""
    unverified: bool = False  # read only on a secondary copy: cited by name, never linked
    browsable: bool = True  # False for a machine record (an API's JSON): kept here as the trace, never linked

    @property
    def link(self) -> str | None:
        """The address a reader may open: a publisher's human page, or None (cite by name only)."""
        return self.url if self.url and self.browsable and not self.unverified else None

    def reference(self, section: str = "") -> str:
        """A readable reference for a page: "SPRAVATO: Limitations of use (Janssen Pharmaceuticals)"."""
        text = self.title
        if self.publisher and self.publisher not in self.title:
            text += f" ({self.publisher})"
        return f"{text}, {section}" if section else text

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def citation(self, section: str = "") -> str:
        """The endnote text: document, publisher, section and link (none for a fact read only on a copy)."""
        text = self.title
        if self.publisher and self.publisher not in self.title:
            text += f". {self.publisher}"
        if section:
            text += f", {section}"
        text += "."
        if self.link:
            text += f" {self.link}"
        return text


@dataclass(frozen=True)
class Cite:
    """A source cited for one statement, optionally at a section of the document."""

    source: Source
    section: str = ""

    def text(self) -> str:
        return self.source.citation(self.section)


_ENTRIES: tuple[Source, ...] = (
    # ---------------------------------------------------------------- SPRAVATO label and manufacturer
    Source(
        key="spravato_pi",
        title="SPRAVATO (esketamine) nasal spray, Prescribing Information",
        publisher="Janssen Pharmaceuticals",
        kind="label",
        unverified=True,
    ),
    Source(
        key="dailymed_spravato",
        title="SPRAVATO (esketamine hydrochloride) nasal spray: label record on DailyMed (boxed warning, "
        "monitoring, REMS)",
        publisher="US National Library of Medicine",
        kind="label",
        url="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=Esketamine",
        ref="S60",
    ),
    Source(
        key="spravato_faq",
        title="SPRAVATO patient FAQ (who should not take it; what to tell your provider)",
        publisher="Janssen Pharmaceuticals",
        kind="manufacturer",
        url="http://www.spravato.com/faq",
        ref="S59",
    ),
    Source(
        key="spravato_preparing",
        title="SPRAVATO: Preparing for treatment",
        publisher="Janssen Pharmaceuticals",
        kind="manufacturer",
        url="https://www.spravato.com/treatment-with-SPRAVATO",
        ref="S63",
    ),
    Source(
        key="spravato_limitations",
        title="SPRAVATO: Limitations of use",
        publisher="Janssen Pharmaceuticals",
        kind="manufacturer",
        url="http://www.spravato.com/trd",
        ref="S136",
    ),
    Source(
        key="spravato_hcp_dosing",
        title="SPRAVATO for healthcare professionals: dosing, administration and monitoring",
        publisher="Janssen Pharmaceuticals",
        kind="manufacturer",
        url="https://www.spravatohcp.com/dosing-spravato-trd",
        ref="S86",
    ),
    Source(
        key="jnj_cardiovascular",
        title="Use of SPRAVATO in patients with cardiovascular or cerebrovascular conditions (Phase 3 "
        "exclusion criteria)",
        publisher="Johnson & Johnson Medical Connect",
        kind="manufacturer",
        url="https://jnjmedicalconnect.com/products/spravato/medical-content/"
        "use-of-spravato-in-patients-with-cardiovascular-or-cerebrovascular-conditions",
        ref="S73",
    ),
    Source(
        key="jnj_vs_ketamine",
        title="What is the difference between SPRAVATO nasal spray and ketamine?",
        publisher="Johnson & Johnson Medical Connect",
        kind="manufacturer",
        url="https://jnjmedicalconnect.com/products/spravato/medical-content/"
        "what-is-the-difference-between-spravato-nasal-spray-and-ketamine",
        ref="S126",
    ),
    Source(
        key="spravato_rems",
        title="SPRAVATO REMS",
        publisher="Janssen Pharmaceuticals",
        kind="manufacturer",
        url="http://spravatorems.com/",
        ref="S87",
    ),
    Source(
        key="spravato_rems_outpatient",
        title="SPRAVATO REMS: outpatient healthcare settings",
        publisher="Janssen Pharmaceuticals",
        kind="manufacturer",
        url="https://www.spravatorems.com/outpatient-hcs.html",
        ref="S128",
    ),
    Source(
        key="spravato_centers",
        title="SPRAVATO treatment centers: how a center is listed",
        publisher="Janssen Pharmaceuticals",
        kind="manufacturer",
        url="https://spravatotreatmentcenter.com/how_become_a_treatment_center.html",
        ref="S129",
    ),
    # ---------------------------------------------------------------- government
    Source(
        key="openfda_ketamine",
        title="FDA National Drug Code Directory: ketamine hydrochloride injection (intravenous / intramuscular)",
        publisher="US Food and Drug Administration",
        kind="government",
        # the record as read (openFDA's JSON API): the trace, not a page to send a reader to
        url="https://api.fda.gov/drug/ndc.json?search=packaging.package_ndc%3A%2255150-438-10%22",
        ref="S127",
        browsable=False,
    ),
    Source(
        key="wa_doh_compounded",
        title="Potential risks of compounded ketamine nasal spray (on the FDA alert)",
        publisher="Washington State Department of Health",
        kind="government",
        url="https://doh.wa.gov/newsroom/potential-risks-compounded-ketamine-nasal-spray",
        ref="S124",
    ),
    # ---------------------------------------------------------------- peer-reviewed
    Source(
        key="simon_2013",
        title="Simon GE et al. PHQ-9 item 9 and subsequent suicide attempt or death. Psychiatric Services 2013",
        publisher="American Psychiatric Association Publishing",
        kind="peer_reviewed",
        url="https://psychiatryonline.org/doi/full/10.1176/appi.ps.201200587",
        ref="S40",
    ),
    Source(
        key="louzon_2016",
        title="Louzon SA et al. PHQ-9 item 9 and suicide in VA patients. Psychiatric Services 2016",
        publisher="American Psychiatric Association Publishing",
        kind="peer_reviewed",
        url="https://psychiatryonline.org/doi/full/10.1176/appi.ps.201500149",
        ref="S41",
    ),
    Source(
        key="item9_inpatients",
        title="PHQ-9 item 9 compared with a suicide-specific screen in medical inpatients (PubMed Central PMC8258235)",
        publisher="US National Library of Medicine (PubMed Central)",
        kind="peer_reviewed",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC8258235",
        ref="S42",
    ),
    Source(
        # the definitions of PHQ-9 response and remission applied on the progress page (progress.py); the
        # publisher's page shows the DOI but no publication date, so none is given
        key="ps_mbc_metrics",
        title="Defining Success in Measurement-Based Care for Depression: A Comparison of Common Metrics. "
        "Psychiatric Services (doi:10.1176/appi.ps.201900295)",
        publisher="American Psychiatric Association Publishing",
        kind="peer_reviewed",
        url="https://psychiatryonline.org/doi/10.1176/appi.ps.201900295",
    ),
    Source(
        key="arroll_2010",
        title="Arroll B et al. PHQ-2 and PHQ-9 validation in 2,642 primary-care patients. Ann Fam Med 2010",
        publisher="US National Library of Medicine (PubMed Central)",
        kind="peer_reviewed",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC2906530",
        ref="S38",
    ),
    Source(
        key="kroenke_2007",
        title="Kroenke K et al., Ann Intern Med 2007 (GAD-7 in primary care): structured abstract, Evidence-Based "
        "Medicine 2007;12:149",
        publisher="BMJ",
        kind="peer_reviewed",
        url="https://ebm.bmj.com/highwire/citation/135687/papers",
        ref="S6",
    ),
    Source(
        key="spitzer_2006",
        title="Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety "
        "disorder: "
        "the GAD-7. Arch Intern Med 2006;166:1092–1097",
        publisher="",
        kind="peer_reviewed",
        ref="S7",
        unverified=True,
    ),
    Source(
        key="krebs_2009",
        title="Krebs EE et al. Development and initial validation of the PEG. J Gen Intern Med 2009;24(6):733–738",
        publisher="Springer",
        kind="peer_reviewed",
        url="https://link.springer.com/article/10.1007/s11606-009-0981-1",
        ref="S47",
    ),
    Source(
        key="jcp_2017",
        title="J Clin Psychiatry 2017;78(7): benzodiazepines, lamotrigine and the effect of ketamine",
        publisher="Journal of Clinical Psychiatry",
        kind="peer_reviewed",
        url="https://www.psychiatrist.com/JCP/article/Pages/2017/v78n07/17f11802.aspx",
        ref="S81",
    ),
    Source(
        key="ed_ketamine_2023",
        title="Emergency-department ketamine study, inclusion and exclusion criteria. J Affect Disord Rep 2023 "
        "(PubMed Central PMC10812090, Table 1)",
        publisher="US National Library of Medicine (PubMed Central)",
        kind="peer_reviewed",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC10812090/table/T1",
        ref="S97",
    ),
    Source(
        key="talati_2019",
        title="Talati & Sharma. Randomised trial of single-dose intravenous ketamine 0.5 mg/kg over 40 minutes. "
        "Indian J Private Psychiatry 2019;13(2):31–36",
        publisher="Indian Journal of Private Psychiatry",
        kind="peer_reviewed",
        url="https://www.ijiapp.com/abstractArticleContentBrowse/IJPP/17985/JPJ/fullText",
        ref="S137",
    ),
    # ---------------------------------------------------------------- professional societies
    Source(
        key="asra_cohen_summary",
        title="ASRA summary of the 2018 consensus guidelines on intravenous ketamine infusions for chronic pain",
        publisher="American Society of Regional Anesthesia and Pain Medicine",
        kind="professional_society",
        url="https://www.asra.com/news-publications/asra-updates/blog-landing/guidelines/2018/07/01/"
        "consensus-guidelines-on-the-use-of-intravenous-ketamine-infusions-for-chronic-pain-management",
        ref="S68",
    ),
    Source(
        key="asa_ketamine",
        title="Ketamine safe use",
        publisher="American Society of Anesthesiologists",
        kind="professional_society",
        url="https://asahq.org/advocating-for-you/guidance/ketamine-safe-use",
        ref="S88",
    ),
    Source(
        key="istss_pcl5",
        title="PTSD Checklist for DSM-5 (PCL-5)",
        publisher="International Society for Traumatic Stress Studies",
        kind="professional_society",
        url="https://istss.org/clinical-resources/adult-trauma-assessments/ptsd-checklist-for-dsm-5/",
        ref="S55",
    ),
    Source(
        key="cpa_nrs",
        title="Numeric Rating Scale (NRS-11)",
        publisher="Canadian Physiotherapy Association, Pain Science Division",
        kind="professional_society",
        url="https://physiotherapy.ca/divisions/pain-science/numeric-rating-scale-nrs-11/",
        ref="S18",
    ),
    Source(
        key="comorbidity_pcl5",
        title="Guidelines on the management of co-occurring alcohol and other drug and mental health conditions: "
        "PTSD Checklist for DSM-5 (PCL-5)",
        publisher="Matilda Centre, University of Sydney (Australian Government-funded)",
        kind="government",
        url="https://comorbidityguidelines.org.au/specific-mental-health-instruments/ptsd-checklist-for-dsm5-pcl5",
        ref="S30",
    ),
    # ---------------------------------------------------------------- standards bodies and instrument owners
    Source(
        key="hl7_phq9",
        title="US Core STU9 PHQ-9 Questionnaire (LOINC item codes; PHQ-9 notice)",
        publisher="HL7 International",
        kind="standards_body",
        url="https://www.hl7.org/fhir/us/core/STU9/Questionnaire-phq-9-example.html",
        ref="S3",
    ),
    Source(
        key="loinc_44261_6",
        title="LOINC 44261-6, PHQ-9 total score",
        publisher="Regenstrief Institute (LOINC)",
        kind="standards_body",
        url="https://cdn.loinc.org/44261-6",
        ref="S5",
    ),
    Source(
        key="fhir_gad7",
        title="GAD-7 QuestionnaireResponse example (PACIO sample data, FHIR build): item wording and LOINC "
        "answer codes",
        publisher="HL7 International",
        kind="standards_body",
        url="https://build.fhir.org/ig/paciowg/sample-data-fsh/"
        "QuestionnaireResponse-BSJ1-GAD7-QuestionnaireResponse-October2025.html",
        ref="S8",
    ),
    Source(
        key="phq_owner",
        title="PHQ-9 (Drs. Spitzer, Williams, Kroenke and colleagues; educational grant from Pfizer Inc.), "
        "phqscreeners.com",
        publisher="Pfizer",
        kind="instrument_owner",
        ref="S3",
    ),
    # ---------------------------------------------------------------- crisis lines
    Source(
        key="lifeline_expect",
        title="988 Suicide & Crisis Lifeline: what to expect (Veterans press 1; Spanish press 2; Veterans text 838255)",
        publisher="988 Suicide & Crisis Lifeline",
        kind="government",
        url="https://988lifeline.org/get-help/what-to-expect",
        ref="S101",
    ),
    Source(
        key="hcfl_988",
        title="National crisis help line (call or text 988, or chat; free, confidential, 24/7)",
        publisher="Hillsborough County, Florida",
        kind="government",
        url="https://hcfl.gov/residents/parks-and-leisure/mindful-mondays/national-crisis-help-line",
        ref="S102",
    ),
    Source(
        key="wyo_988",
        title="988 Suicide & Crisis Lifeline",
        publisher="Wyoming Department of Health",
        kind="government",
        url="https://health.wyo.gov/publichealth/prevention/wivpp/suicide-prevention/988-suicide-crisis-lifeline",
        ref="S103",
    ),
    Source(
        key="vcl",
        title="Veterans Crisis Line",
        publisher="US Department of Veterans Affairs",
        kind="government",
        url="http://veteranscrisisline.net/About/VeteranSuicide.aspx",
        ref="S105",
    ),
    Source(
        key="va_asheville_vcl",
        title="Confidential crisis help for Veterans and their families",
        publisher="US Department of Veterans Affairs",
        kind="government",
        url="https://www.va.gov/asheville-health-care/news-releases/confidential-crises-help-for-veterans-and-their-families/",  # noqa: E501
        ref="S106",
    ),
    Source(
        key="nd_988_faq",
        title="988 FAQs (1-800-273-8255 still works; 911 only for imminent risk)",
        publisher="North Dakota Health and Human Services",
        kind="government",
        url="https://www.hhs.nd.gov/988-faqs",
        ref="S108",
    ),
    # ---------------------------------------------------------------- what clinics commonly ask (never evidence)
    Source(
        key="clinic_practice",
        title="Ketamine clinics' own intake criteria and instructions (clinic-reported practice, not clinical "
        "evidence; "
        "no label or guideline source found)",
        publisher="",
        kind="clinic_practice",
    ),
)

# The VA pathway's sources (va_sources.py) join the one register.
_ENTRIES += tuple(Source(**fields) for fields in va_sources.ENTRIES)  # type: ignore[arg-type]
REGISTER: dict[str, Source] = {s.key: s for s in _ENTRIES}


def get(key: str) -> Source:
    """The register entry ``key`` (KeyError for an unknown key: every cited source must be registered)."""
    return REGISTER[key]


def cite(key: str, section: str = "") -> Cite:
    """A citation of register entry ``key``, optionally at a section of the document."""
    return Cite(get(key), section)


# The crisis lines' wording (safety.py) comes from these, per intake_content.md §4.
CRISIS: tuple[Source, ...] = tuple(
    get(k) for k in ("lifeline_expect", "hcfl_988", "wyo_988", "vcl", "va_asheville_vcl", "nd_988_faq")
)

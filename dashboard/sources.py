"""The one register of every source the app shows: screening reasons, instruments, crisis lines, route facts.

Each entry names a document the way a clinician would cite it, says what kind of publisher stands behind
it, and links only the publisher's own page. Where the project's clinical reference (intake_content.md,
re-sourced 2026-11-26) read a fact only on a secondary copy (a label mirror, an author upload), the
document is cited by name with no link and the note "wording not re-checked against the original".
"clinic_practice" entries record what ketamine clinics commonly ask; they are never evidence and never
linked. Clinic listings' own source URLs are data (data/, the dataset), not citations, and are not here.

``ALLOWED_HOSTS`` is the allow-list: a test fails on any cited URL whose host is not on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

Kind = Literal[
    "label",
    "peer_reviewed",
    "government",
    "standards_body",
    "instrument_owner",
    "professional_society",
    "manufacturer",
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
    "clinic_practice": "clinic practice (not evidence)",
}

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

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def citation(self, section: str = "") -> str:
        """The endnote text: document, publisher, section, link, and the re-check note where it applies."""
        text = self.title
        if self.publisher and self.publisher not in self.title:
            text += f". {self.publisher}"
        if section:
            text += f", {section}"
        text += "."
        if self.url:
            text += f" {self.url}"
        if self.unverified:
            text += f" ({UNVERIFIED_NOTE})"
        return text


@dataclass(frozen=True)
class Cite:
    """A source cited for one statement, optionally at a section of the document."""

    source: Source
    section: str = ""

    def text(self) -> str:
        return self.source.citation(self.section)


def _s(*args, **kwargs) -> Source:
    return Source(*args, **kwargs)


_ENTRIES: tuple[Source, ...] = (
    # ---------------------------------------------------------------- SPRAVATO label and manufacturer
    _s(
        "spravato_pi",
        "SPRAVATO (esketamine) nasal spray, Prescribing Information",
        "Janssen Pharmaceuticals",
        "label",
        unverified=True,
    ),
    _s(
        "dailymed_spravato",
        "SPRAVATO (esketamine hydrochloride) nasal spray: label record on DailyMed (boxed warning, monitoring, REMS)",
        "US National Library of Medicine",
        "label",
        "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=Esketamine",
        "S60",
    ),
    _s(
        "spravato_faq",
        "SPRAVATO patient FAQ (who should not take it; what to tell your provider)",
        "Janssen Pharmaceuticals",
        "manufacturer",
        "http://www.spravato.com/faq",
        "S59",
    ),
    _s(
        "spravato_preparing",
        "SPRAVATO: Preparing for treatment",
        "Janssen Pharmaceuticals",
        "manufacturer",
        "https://www.spravato.com/treatment-with-SPRAVATO",
        "S63",
    ),
    _s(
        "spravato_limitations",
        "SPRAVATO: Limitations of use",
        "Janssen Pharmaceuticals",
        "manufacturer",
        "http://www.spravato.com/trd",
        "S136",
    ),
    _s(
        "spravato_hcp_dosing",
        "SPRAVATO for healthcare professionals: dosing, administration and monitoring",
        "Janssen Pharmaceuticals",
        "manufacturer",
        "https://www.spravatohcp.com/dosing-spravato-trd",
        "S86",
    ),
    _s(
        "jnj_cardiovascular",
        "Use of SPRAVATO in patients with cardiovascular or cerebrovascular conditions (Phase 3 exclusion criteria)",
        "Johnson & Johnson Medical Connect",
        "manufacturer",
        "https://jnjmedicalconnect.com/products/spravato/medical-content/"
        "use-of-spravato-in-patients-with-cardiovascular-or-cerebrovascular-conditions",
        "S73",
    ),
    _s(
        "jnj_vs_ketamine",
        "What is the difference between SPRAVATO nasal spray and ketamine?",
        "Johnson & Johnson Medical Connect",
        "manufacturer",
        "https://jnjmedicalconnect.com/products/spravato/medical-content/"
        "what-is-the-difference-between-spravato-nasal-spray-and-ketamine",
        "S126",
    ),
    _s("spravato_rems", "SPRAVATO REMS", "Janssen Pharmaceuticals", "manufacturer", "http://spravatorems.com/", "S87"),
    _s(
        "spravato_rems_outpatient",
        "SPRAVATO REMS: outpatient healthcare settings",
        "Janssen Pharmaceuticals",
        "manufacturer",
        "https://www.spravatorems.com/outpatient-hcs.html",
        "S128",
    ),
    _s(
        "spravato_centers",
        "SPRAVATO treatment centers: how a center is listed",
        "Janssen Pharmaceuticals",
        "manufacturer",
        "https://spravatotreatmentcenter.com/how_become_a_treatment_center.html",
        "S129",
    ),
    # ---------------------------------------------------------------- government
    _s(
        "openfda_ketamine",
        "openFDA NDC record: ketamine hydrochloride injection (intravenous / intramuscular)",
        "US Food and Drug Administration",
        "government",
        "https://api.fda.gov/drug/ndc.json?search=packaging.package_ndc%3A%2255150-438-10%22",
        "S127",
    ),
    _s(
        "wa_doh_compounded",
        "Potential risks of compounded ketamine nasal spray (on the FDA alert)",
        "Washington State Department of Health",
        "government",
        "https://doh.wa.gov/newsroom/potential-risks-compounded-ketamine-nasal-spray",
        "S124",
    ),
    # ---------------------------------------------------------------- peer-reviewed
    _s(
        "simon_2013",
        "Simon GE et al. PHQ-9 item 9 and subsequent suicide attempt or death. Psychiatric Services 2013",
        "American Psychiatric Association Publishing",
        "peer_reviewed",
        "https://psychiatryonline.org/doi/full/10.1176/appi.ps.201200587",
        "S40",
    ),
    _s(
        "louzon_2016",
        "Louzon SA et al. PHQ-9 item 9 and suicide in VA patients. Psychiatric Services 2016",
        "American Psychiatric Association Publishing",
        "peer_reviewed",
        "https://psychiatryonline.org/doi/full/10.1176/appi.ps.201500149",
        "S41",
    ),
    _s(
        "item9_inpatients",
        "PHQ-9 item 9 compared with a suicide-specific screen in medical inpatients (PubMed Central PMC8258235)",
        "US National Library of Medicine (PubMed Central)",
        "peer_reviewed",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC8258235",
        "S42",
    ),
    _s(
        "arroll_2010",
        "Arroll B et al. PHQ-2 and PHQ-9 validation in 2,642 primary-care patients. Ann Fam Med 2010",
        "US National Library of Medicine (PubMed Central)",
        "peer_reviewed",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC2906530",
        "S38",
    ),
    _s(
        "kroenke_2007",
        "Kroenke K et al., Ann Intern Med 2007 (GAD-7 in primary care): structured abstract, Evidence-Based "
        "Medicine 2007;12:149",
        "BMJ",
        "peer_reviewed",
        "https://ebm.bmj.com/highwire/citation/135687/papers",
        "S6",
    ),
    _s(
        "spitzer_2006",
        "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: "
        "the GAD-7. Arch Intern Med 2006;166:1092–1097",
        "",
        "peer_reviewed",
        ref="S7",
        unverified=True,
    ),
    _s(
        "krebs_2009",
        "Krebs EE et al. Development and initial validation of the PEG. J Gen Intern Med 2009;24(6):733–738",
        "Springer",
        "peer_reviewed",
        "https://link.springer.com/article/10.1007/s11606-009-0981-1",
        "S47",
    ),
    _s(
        "jcp_2017",
        "J Clin Psychiatry 2017;78(7): benzodiazepines, lamotrigine and the effect of ketamine",
        "Journal of Clinical Psychiatry",
        "peer_reviewed",
        "https://www.psychiatrist.com/JCP/article/Pages/2017/v78n07/17f11802.aspx",
        "S81",
    ),
    _s(
        "ed_ketamine_2023",
        "Emergency-department ketamine study, inclusion and exclusion criteria. J Affect Disord Rep 2023 "
        "(PubMed Central PMC10812090, Table 1)",
        "US National Library of Medicine (PubMed Central)",
        "peer_reviewed",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC10812090/table/T1",
        "S97",
    ),
    _s(
        "talati_2019",
        "Talati & Sharma. Randomised trial of single-dose intravenous ketamine 0.5 mg/kg over 40 minutes. "
        "Indian J Private Psychiatry 2019;13(2):31–36",
        "Indian Journal of Private Psychiatry",
        "peer_reviewed",
        "https://www.ijiapp.com/abstractArticleContentBrowse/IJPP/17985/JPJ/fullText",
        "S137",
    ),
    # ---------------------------------------------------------------- professional societies
    _s(
        "asra_cohen_summary",
        "ASRA summary of the 2018 consensus guidelines on intravenous ketamine infusions for chronic pain",
        "American Society of Regional Anesthesia and Pain Medicine",
        "professional_society",
        "https://www.asra.com/news-publications/asra-updates/blog-landing/guidelines/2018/07/01/"
        "consensus-guidelines-on-the-use-of-intravenous-ketamine-infusions-for-chronic-pain-management",
        "S68",
    ),
    _s(
        "asa_ketamine",
        "Ketamine safe use",
        "American Society of Anesthesiologists",
        "professional_society",
        "https://asahq.org/advocating-for-you/guidance/ketamine-safe-use",
        "S88",
    ),
    _s(
        "istss_pcl5",
        "PTSD Checklist for DSM-5 (PCL-5)",
        "International Society for Traumatic Stress Studies",
        "professional_society",
        "https://istss.org/clinical-resources/adult-trauma-assessments/ptsd-checklist-for-dsm-5/",
        "S55",
    ),
    _s(
        "cpa_nrs",
        "Numeric Rating Scale (NRS-11)",
        "Canadian Physiotherapy Association, Pain Science Division",
        "professional_society",
        "https://physiotherapy.ca/divisions/pain-science/numeric-rating-scale-nrs-11/",
        "S18",
    ),
    _s(
        "comorbidity_pcl5",
        "Guidelines on the management of co-occurring alcohol and other drug and mental health conditions: "
        "PTSD Checklist for DSM-5 (PCL-5)",
        "Matilda Centre, University of Sydney (Australian Government-funded)",
        "government",
        "https://comorbidityguidelines.org.au/specific-mental-health-instruments/ptsd-checklist-for-dsm5-pcl5",
        "S30",
    ),
    # ---------------------------------------------------------------- standards bodies and instrument owners
    _s(
        "hl7_phq9",
        "US Core STU9 PHQ-9 Questionnaire (LOINC item codes; PHQ-9 notice)",
        "HL7 International",
        "standards_body",
        "https://www.hl7.org/fhir/us/core/STU9/Questionnaire-phq-9-example.html",
        "S3",
    ),
    _s(
        "loinc_44261_6",
        "LOINC 44261-6, PHQ-9 total score",
        "Regenstrief Institute (LOINC)",
        "standards_body",
        "https://cdn.loinc.org/44261-6",
        "S5",
    ),
    _s(
        "fhir_gad7",
        "GAD-7 QuestionnaireResponse example (PACIO sample data, FHIR build): item wording and LOINC answer codes",
        "HL7 International",
        "standards_body",
        "https://build.fhir.org/ig/paciowg/sample-data-fsh/"
        "QuestionnaireResponse-BSJ1-GAD7-QuestionnaireResponse-October2025.html",
        "S8",
    ),
    _s(
        "phq_owner",
        "PHQ-9 (Drs. Spitzer, Williams, Kroenke and colleagues; educational grant from Pfizer Inc.), phqscreeners.com",
        "Pfizer",
        "instrument_owner",
        ref="S3",
    ),
    # ---------------------------------------------------------------- crisis lines
    _s(
        "lifeline_expect",
        "988 Suicide & Crisis Lifeline: what to expect (Veterans press 1; Spanish press 2; Veterans text 838255)",
        "988 Suicide & Crisis Lifeline",
        "government",
        "https://988lifeline.org/get-help/what-to-expect",
        "S101",
    ),
    _s(
        "hcfl_988",
        "National crisis help line (call or text 988, or chat; free, confidential, 24/7)",
        "Hillsborough County, Florida",
        "government",
        "https://hcfl.gov/residents/parks-and-leisure/mindful-mondays/national-crisis-help-line",
        "S102",
    ),
    _s(
        "wyo_988",
        "988 Suicide & Crisis Lifeline",
        "Wyoming Department of Health",
        "government",
        "https://health.wyo.gov/publichealth/prevention/wivpp/suicide-prevention/988-suicide-crisis-lifeline",
        "S103",
    ),
    _s(
        "vcl",
        "Veterans Crisis Line",
        "US Department of Veterans Affairs",
        "government",
        "http://veteranscrisisline.net/About/VeteranSuicide.aspx",
        "S105",
    ),
    _s(
        "va_asheville_vcl",
        "Confidential crisis help for Veterans and their families",
        "US Department of Veterans Affairs",
        "government",
        "https://www.va.gov/asheville-health-care/news-releases/confidential-crises-help-for-veterans-and-their-families/",
        "S106",
    ),
    _s(
        "nd_988_faq",
        "988 FAQs (1-800-273-8255 still works; 911 only for imminent risk)",
        "North Dakota Health and Human Services",
        "government",
        "https://www.hhs.nd.gov/988-faqs",
        "S108",
    ),
    # ---------------------------------------------------------------- what clinics commonly ask (never evidence)
    _s(
        "clinic_practice",
        "Ketamine clinics' own intake criteria and instructions (clinic-reported practice, not clinical evidence; "
        "no label or guideline source found)",
        "",
        "clinic_practice",
    ),
)

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

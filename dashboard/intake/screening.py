"""Screening answers → flags "to discuss with your clinician", each with a short reason and its source.

Reasons and sources come from the reference (intake_content.md §1.1, §1.5, §2). A flag records that a
topic needs a conversation; it never says whether someone can or cannot have a treatment, never rates
risk, and never suggests starting or stopping a medicine.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.intake.answers import Answers
from dashboard.intake.instruments import FREQUENCY, PCL5, PCL5_RISK_ITEM_INDEX, PHQ9_ITEM9_INDEX

DISCUSS = "to discuss with your clinician"

SOURCES: dict[str, str] = {
    "S41": "https://psychiatryonline.org/doi/full/10.1176/appi.ps.201500149",
    "S44": "https://www.iatrox.com/blog/suicide-risk-assessment-primary-care-c-ssrs-phq9-item-9-positive-2026",
    "S55": "https://istss.org/clinical-resources/adult-trauma-assessments/ptsd-checklist-for-dsm-5/",
    "S59": "https://wcmedicine.com/?p=441",
    "S60": "https://www.oncologynurseadvisor.com/drug/spravato/",
    "S61": "http://www.120ty.net/bencandy.php?aid=58243&fid=134&page=7",
    "S62": "http://www.120ty.net/bencandy.php?aid=58243&fid=134&page=2",
    "S63": "https://pdr.net/drug-summary/?drugLabelId=24300",
    "S64": "https://www.mdedge.com/currentpsychiatry/article/199869/depression/intranasal-esketamine/page/0/3",
    "S67": "https://doctoryg.blogspot.com/2019/03/ketamine-infusions-for-chronic-pain.html",
    "S70": "https://qa00.mdedge.com/psychiatry/article/133049/depression/apa-task-force-urges-caution-label-use-ketamine-mood-disorders",
    "S73": "https://jnjmedicalconnect.com/products/spravato/medical-content/use-of-spravato-in-patients-with-cardiovascular-or-cerebrovascular-conditions",
    "S74": "https://torontoketamineclinic.com/inclusion-and-exclusion-criteria/",
    "S75": "https://www.usmedicine.com/2021online-dir/inc/html/36.html",
    "S78": "https://reference.medscape.com/drug/spravato-esketamine-intranasal-1000325",
    "S79": "https://buzzrx.com/spravato/warnings",
    "S80": "https://edit.health/",
    "S81": "https://www.psychiatrist.com/JCP/article/Pages/2017/v78n07/17f11802.aspx",
    "S82": "https://ketwell.com/pre-and-post-treatment-instructions/",
    "S85": "https://www.nervanamedical.com/s/ketaminedischarge",
    "S86": "https://www.spravatohcp.com/dosing-spravato-trd",
}

PI = "SPRAVATO prescribing information"
COHEN = "Cohen et al. 2018 ketamine guidelines for chronic pain"


@dataclass(frozen=True)
class Flag:
    """One topic to raise with the clinician; ``source`` names where the reason comes from, with a URL."""

    code: str
    text: str
    reason: str
    source: str

    def as_json(self) -> dict[str, str]:
        """Command-line shape: the text carries the reason so the three keys stand alone."""
        return {"code": self.code, "text": f"{self.text} Why it is asked: {self.reason}", "source": self.source}


def _src(name: str, *tags: str) -> str:
    return f"{name} [{']['.join(tags)}] " + " ".join(SOURCES[t] for t in tags)


# field on Screening → (what the patient reported, why it is asked, source)
_SCREENING: tuple[tuple[str, str, str, str], ...] = (
    (
        "aneurysm_or_avm",
        "aneurysm or other blood-vessel disease, or an arteriovenous malformation",
        "listed as a contraindication in the SPRAVATO prescribing information.",
        _src(PI, "S59", "S60"),
    ),
    (
        "brain_bleed",
        "bleeding in the brain (intracerebral hemorrhage)",
        "listed as a contraindication in the SPRAVATO prescribing information.",
        _src(PI, "S59", "S61"),
    ),
    (
        "ketamine_allergy",
        "an allergy or reaction to ketamine, esketamine or anaesthesia",
        "an allergy to esketamine or ketamine is a contraindication in the SPRAVATO prescribing information and is "
        "asked by IV clinics.",
        _src(PI, "S59", "S80"),
    ),
    (
        "high_blood_pressure",
        "high blood pressure",
        "blood pressure is checked before and after each dose; the prescribing information asks clinicians to "
        "weigh raised blood pressure.",
        _src(PI, "S61", "S62", "S63"),
    ),
    (
        "heart_or_stroke",
        "heart disease, stroke or TIA, or a heart attack or heart procedure in the past 12 months",
        "the prescribing information asks clinicians to weigh benefits and risks for these conditions; guidelines "
        "for IV ketamine mention poorly controlled heart disease.",
        _src(PI, "S61", "S73") + "; " + _src(COHEN, "S67"),
    ),
    (
        "psychosis_or_mania",
        "psychosis or mania, now or in the past",
        "the prescribing information and consensus statements ask for particular attention to psychosis history.",
        _src(PI, "S60", "S64") + "; " + _src("APA task force 2017", "S70"),
    ),
    (
        "substance_use",
        "substance use (including ketamine or PCP)",
        "the prescribing information carries a warning about abuse and misuse; guidelines ask about active use.",
        _src(PI, "S86") + "; " + _src(COHEN, "S67"),
    ),
    (
        "alcohol_use",
        "alcohol use",
        "alcohol and other drowsiness-causing substances may add to sedation, per the prescribing information.",
        _src(PI, "S64"),
    ),
    (
        "pregnant",
        "pregnancy",
        "the prescribing information addresses use in pregnancy.",
        _src(PI, "S75", "S62"),
    ),
    (
        "planning_pregnancy",
        "planning a pregnancy",
        "the prescribing information asks clinicians to consider pregnancy planning.",
        _src(PI, "S62"),
    ),
    (
        "breastfeeding",
        "breastfeeding",
        "the prescribing information addresses breastfeeding.",
        _src(PI, "S62"),
    ),
    (
        "liver_disease",
        "liver disease",
        "the prescribing information and guidelines address liver disease, which may change monitoring.",
        _src(PI, "S78") + "; " + _src(COHEN, "S67"),
    ),
    (
        "raised_eye_or_brain_pressure",
        "raised eye or brain pressure (for example glaucoma, a head or brain injury, or a shunt)",
        "guidelines and the esketamine trials address raised pressure in the eye or brain.",
        _src(COHEN, "S67") + "; " + _src("J&J medical information", "S73"),
    ),
    (
        "cognitive_or_brain_injury",
        "dementia, memory problems or a brain injury with symptoms",
        "clinic criteria and a consumer monograph list these as things to tell the provider.",
        _src("Clinic criteria and consumer monograph", "S74", "S79"),
    ),
    (
        "overactive_thyroid",
        "an overactive thyroid that is not treated",
        "one clinic consent form lists it (not seen in the prescribing information).",
        _src("Clinic consent form", "S80"),
    ),
)

_MEDICINES: tuple[tuple[str, str, str, str], ...] = (
    (
        "benzodiazepines_or_sleep",
        "benzodiazepines or sleep medicines",
        "the prescribing information says these may add to sedation; one study suggests they may lessen the effect.",
        _src(PI, "S64") + "; " + _src("Frye et al. (J Clin Psychiatry)", "S81"),
    ),
    (
        "opioids",
        "opioid medicines",
        "the prescribing information says these may add to sedation.",
        _src(PI, "S64"),
    ),
    (
        "other_sedatives",
        "other medicines that cause drowsiness",
        "the prescribing information says central nervous system depressants may add to sedation.",
        _src(PI, "S64"),
    ),
    (
        "stimulants",
        "stimulant medicines",
        "the prescribing information says these may raise blood pressure.",
        _src(PI, "S64", "S79"),
    ),
    (
        "maoi",
        "an MAOI antidepressant",
        "the prescribing information says these may raise blood pressure.",
        _src(PI, "S64"),
    ),
    (
        "lamotrigine",
        "lamotrigine",
        "some clinics ask patients to discuss it; its effect on ketamine treatment is not settled. Do not stop or "
        "change any medicine on your own.",
        _src("Clinic instructions and a study", "S81", "S82"),
    ),
)

BP_GUIDE = (140, 90)


def _said(answer: str | None) -> str | None:
    if answer == "yes":
        return "You reported"
    if answer == "unsure":
        return "You were not sure about"
    return None


def flags(answers: Answers) -> list[Flag]:
    """Every flag the answers raise, in a stable order (safety items first)."""
    out: list[Flag] = []
    item9 = answers.instruments.phq9[PHQ9_ITEM9_INDEX]
    if item9 is not None and item9 > 0:
        label = FREQUENCY[item9].label
        out.append(
            Flag(
                "phq9_item9",
                f'You answered PHQ-9 question 9 with "{label}". Please discuss this with your clinician.',
                "the clinic will want to talk about it with you; the answer alone does not measure anything.",
                _src("PHQ-9 item 9 studies", "S41", "S44"),
            )
        )
    pcl16 = answers.instruments.pcl5[PCL5_RISK_ITEM_INDEX]
    if pcl16 is not None and pcl16 >= 2:
        out.append(
            Flag(
                "pcl5_item16",
                f"You answered PCL-5 question 16 (taking risks or doing things that could cause you harm) with "
                f'"{PCL5.option(pcl16).label}" — {DISCUSS}.',
                "the PCL-5 is meant to be reviewed by a qualified professional.",
                _src("ISTSS on the PCL-5", "S55"),
            )
        )
    s = answers.screening
    for field_name, what, why, source in _SCREENING:
        lead = _said(getattr(s, field_name))
        if lead:
            out.append(Flag(field_name, f"{lead} {what} — {DISCUSS}.", why, source))
    high = [r for r in s.blood_pressure_readings if r.systolic > BP_GUIDE[0] or r.diastolic > BP_GUIDE[1]]
    if high:
        shown = ", ".join(f"{r.systolic}/{r.diastolic}" for r in high[:3])
        out.append(
            Flag(
                "bp_reading_above_140_90",
                f"You entered blood-pressure readings above 140/90 ({shown}) — {DISCUSS}.",
                "the prescribing information gives 140/90 as a general guide when blood pressure is checked before "
                "dosing.",
                _src(PI, "S61", "S62"),
            )
        )
    m = answers.medicines
    for field_name, what, why, source in _MEDICINES:
        lead = _said(getattr(m, field_name))
        if lead:
            out.append(Flag(f"medicine_{field_name}", f"{lead} taking {what} — {DISCUSS}.", why, source))
    ride = answers.about.ride_home
    if ride in ("no", "unsure"):
        lead = "You do not yet have" if ride == "no" else "You were not sure you will have"
        out.append(
            Flag(
                "ride_home",
                f"{lead} someone to take you home after a session — {DISCUSS}.",
                "after a session, driving is not allowed until the next day (esketamine) or for about 24 hours "
                "(IV clinics); clinics ask who will take you home.",
                _src(PI, "S62") + "; " + _src("Clinic instructions", "S85", "S82"),
            )
        )
    return out

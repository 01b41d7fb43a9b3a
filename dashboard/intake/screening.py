"""Screening questions, and the answers that become flags "to discuss with your clinician", each with sources.

Questions, reasons and sources follow the reference (intake_content.md §1.1, §1.5, §2); every source is a
register entry (dashboard/content/citations.py). A flag records that a topic needs a conversation; it never says
whether someone can or cannot have a treatment, never rates risk, and never suggests starting or stopping
a medicine. Each flag has two voices: the patient's own screen ("You reported …") and the clinician's
summary ("Patient reports …", or "Caregiver reports …" when a caregiver filled the form in).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.content.citations import Cite, cite
from dashboard.intake.answers import Answers
from dashboard.intake.instruments import FREQUENCY, PCL5, PCL5_RISK_ITEM_INDEX, PHQ9_ITEM9_INDEX

DISCUSS = "to discuss with your clinician"
ANSWER_LABELS: dict[str | None, str] = {"yes": "Yes", "no": "No", "unsure": "Not sure", None: "Not answered"}
REPORTER = {None: "Patient", "patient": "Patient", "caregiver": "Caregiver", "clinician": "Clinician"}

PI = "spravato_pi"
PI_CONTRA = cite(PI, "section 4, Contraindications")
PI_BP = cite(PI, "section 5, Warnings and Precautions: Increase in Blood Pressure")
PI_INTERACTIONS = cite(PI, "section 7, Drug Interactions")
PI_POPULATIONS = cite(PI, "section 8, Use in Specific Populations")
CLINICS = cite("clinic_practice")


@dataclass(frozen=True)
class Question:
    """One yes / no / not sure question: how it is asked, what it is called in the summary, why, and sources."""

    field: str
    question: str
    topic: str
    reason: str
    cites: tuple[Cite, ...]


SCREENING_QUESTIONS: tuple[Question, ...] = (
    Question(
        "aneurysm_or_avm",
        "Aneurysm or other disease of a blood vessel (aorta, brain, limbs), or an arteriovenous malformation",
        "aneurysm or other blood-vessel disease, or an arteriovenous malformation",
        "listed by the manufacturer among reasons not to take esketamine (SPRAVATO).",
        (cite("spravato_faq"), PI_CONTRA),
    ),
    Question(
        "brain_bleed",
        "Bleeding in the brain (intracerebral hemorrhage), ever",
        "a history of bleeding in the brain (intracerebral hemorrhage)",
        "listed by the manufacturer among reasons not to take esketamine (SPRAVATO).",
        (cite("spravato_faq"), PI_CONTRA),
    ),
    Question(
        "high_blood_pressure",
        "High blood pressure",
        "high blood pressure",
        "blood pressure is checked before esketamine and about 40 minutes after it.",
        (cite("spravato_hcp_dosing"), PI_BP),
    ),
    Question(
        "heart_or_stroke",
        "Heart disease, stroke or TIA, or a heart attack or heart procedure in the past 12 months",
        "heart disease, stroke or TIA, or a heart attack or heart procedure in the past 12 months",
        "the esketamine trials excluded some heart and brain-vessel conditions, and the manufacturer asks patients "
        "to mention heart or brain problems.",
        (cite("jnj_cardiovascular"), cite("spravato_faq"), PI_BP),
    ),
    Question(
        "psychosis_or_mania",
        "Psychosis (for example hearing voices) or mania, now or in the past",
        "psychosis or mania, now or in the past",
        "the manufacturer asks patients to mention psychosis; a published ketamine study excluded current psychosis "
        "or mania.",
        (cite("spravato_faq"), cite("ed_ketamine_2023")),
    ),
    Question(
        "substance_use",
        "Use of drugs or other substances (including ketamine or PCP), now or in the past",
        "substance use (including ketamine or PCP), now or in the past",
        "the esketamine label carries a boxed warning on abuse and misuse, and asks for care with a history of "
        "substance use disorder.",
        (cite("dailymed_spravato", "boxed warning"), cite("spravato_hcp_dosing"), cite("spravato_faq")),
    ),
    Question(
        "alcohol_use",
        "Regular alcohol use",
        "regular alcohol use",
        "the manufacturer asks for care with a history of substance use disorder, including alcohol.",
        (cite("spravato_hcp_dosing"), cite("spravato_faq")),
    ),
    Question(
        "pregnant",
        "Pregnant, or could be pregnant",
        "pregnancy, or a possible pregnancy",
        "the manufacturer says esketamine should not be taken during pregnancy.",
        (cite("spravato_faq"), cite("ed_ketamine_2023"), PI_POPULATIONS),
    ),
    Question(
        "planning_pregnancy",
        "Planning a pregnancy",
        "planning a pregnancy",
        "the manufacturer asks patients to mention a planned pregnancy.",
        (cite("spravato_faq"), cite(PI, "section 5, Warnings and Precautions: Embryo-fetal Toxicity")),
    ),
    Question(
        "breastfeeding",
        "Breastfeeding",
        "breastfeeding",
        "the manufacturer says not to breastfeed while taking esketamine.",
        (cite("spravato_faq"), PI_POPULATIONS),
    ),
    Question(
        "liver_disease",
        "Liver disease",
        "liver disease",
        "the manufacturer asks patients to mention liver problems.",
        (cite("spravato_faq"), PI_POPULATIONS),
    ),
    Question(
        "raised_eye_or_brain_pressure",
        "Raised eye or brain pressure (glaucoma, head or brain injury, a shunt)",
        "raised eye or brain pressure (glaucoma, head or brain injury, or a shunt)",
        "the esketamine trials excluded untreated glaucoma, brain injury, shunts and raised pressure in the eye or "
        "brain.",
        (cite("jnj_cardiovascular"),),
    ),
    Question(
        "cognitive_or_brain_injury",
        "Dementia, memory problems, or a brain injury that still causes symptoms",
        "dementia, memory problems, or a brain injury that still causes symptoms",
        "ketamine clinics commonly ask about it; the esketamine trials excluded brain injury.",
        (CLINICS, cite("jnj_cardiovascular")),
    ),
    Question(
        "overactive_thyroid",
        "Overactive thyroid that is not treated",
        "an overactive thyroid that is not treated",
        "some ketamine clinics ask about it (not found in the label or the consensus guidelines).",
        (CLINICS,),
    ),
    Question(
        "ketamine_allergy",
        "Allergy or bad reaction to ketamine, esketamine or anaesthesia",
        "an allergy or reaction to ketamine, esketamine or anaesthesia",
        "an allergy to esketamine or ketamine is listed by the manufacturer among reasons not to take esketamine.",
        (cite("spravato_faq"), PI_CONTRA),
    ),
)

MEDICINE_QUESTIONS: tuple[Question, ...] = (
    Question(
        "benzodiazepines_or_sleep",
        "Benzodiazepines or sleep medicines (e.g. lorazepam, alprazolam, zolpidem)",
        "benzodiazepines or sleep medicines",
        "these may add to sedation; a study suggests benzodiazepines may lessen ketamine's effect.",
        (PI_INTERACTIONS, cite("jcp_2017"), cite("ed_ketamine_2023")),
    ),
    Question(
        "opioids",
        "Opioid pain medicines",
        "opioid medicines",
        "central nervous system depressants may add to sedation.",
        (PI_INTERACTIONS,),
    ),
    Question(
        "stimulants",
        "Stimulants (amphetamines, methylphenidate, modafinil, armodafinil)",
        "stimulant medicines",
        "stimulants may raise blood pressure.",
        (PI_INTERACTIONS,),
    ),
    Question(
        "maoi",
        "MAOI antidepressants",
        "an MAOI antidepressant",
        "MAOIs may raise blood pressure.",
        (PI_INTERACTIONS,),
    ),
    Question(
        "lamotrigine",
        "Lamotrigine",
        "lamotrigine",
        "its effect on ketamine treatment is not settled, and some clinics ask about it. Do not stop or change any "
        "medicine on your own.",
        (cite("jcp_2017"), CLINICS),
    ),
    Question(
        "other_sedatives",
        "Other medicines that make you drowsy",
        "other medicines that cause drowsiness",
        "central nervous system depressants may add to sedation.",
        (PI_INTERACTIONS,),
    ),
)

BP_GUIDE = (140, 90)
ITEM9_FREQUENCY = {1: "on several days", 2: "on more than half the days", 3: "nearly every day"}


@dataclass(frozen=True)
class Flag:
    """One topic to raise with the clinician, in the clinician's and the patient's voice, with its sources."""

    code: str
    clinician: str  # "{who}" stands for the reporter: Patient / Caregiver / Clinician
    patient: str
    reason: str
    cites: tuple[Cite, ...]

    def for_clinician(self, completed_by: str | None = None) -> str:
        """The sentence for the clinician's summary; the reporter is whoever filled the form in."""
        return self.clinician.replace("{who}", REPORTER.get(completed_by, "Patient"))

    @property
    def text(self) -> str:
        return self.for_clinician()

    @property
    def source(self) -> str:
        """All sources as one line of citations."""
        return "; ".join(c.text() for c in self.cites)

    def as_json(self) -> dict[str, str]:
        """Command-line shape: the text carries the reason so the three keys stand alone."""
        return {"code": self.code, "text": f"{self.text} Why it is asked: {self.reason}", "source": self.source}


def _answered(q: Question, answer: str | None, verb: str = "") -> Flag | None:
    if answer == "yes":
        return Flag(
            q.field if not verb else f"medicine_{q.field}",
            f"{{who}} reports {verb}{q.topic}.",
            f"You reported {verb}{q.topic} — {DISCUSS}.",
            q.reason,
            q.cites,
        )
    if answer == "unsure":
        return Flag(
            q.field if not verb else f"medicine_{q.field}",
            f"{{who}} is not sure about {verb}{q.topic}.",
            f"You were not sure about {verb}{q.topic} — {DISCUSS}.",
            q.reason,
            q.cites,
        )
    return None


def item9_message(value: int) -> str:
    """The patient's own words for an item-9 answer above "Not at all" (never a risk rating)."""
    return (
        f"You answered that you have had thoughts of death or self-harm {ITEM9_FREQUENCY[value]} over the last "
        "2 weeks. Please talk about this with your clinician. If you need help now, the crisis lines are on this page."
    )


def flags(answers: Answers) -> list[Flag]:
    """Every flag the answers raise, in a stable order (safety items first)."""
    out: list[Flag] = []
    item9 = answers.instruments.phq9[PHQ9_ITEM9_INDEX]
    if item9 is not None and item9 > 0:
        label = FREQUENCY[item9].label
        out.append(
            Flag(
                "phq9_item9",
                f'PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered "{label}" ({item9} of 3). '
                "Crisis contacts were shown on screen; the app does not rate risk.",
                item9_message(item9),
                'any answer above "Not at all" is a topic to talk through; the answer alone does not measure risk.',
                (cite("simon_2013"), cite("louzon_2016"), cite("item9_inpatients")),
            )
        )
    pcl16 = answers.instruments.pcl5[PCL5_RISK_ITEM_INDEX]
    if pcl16 is not None and pcl16 >= 2:
        label = PCL5.option(pcl16).label
        out.append(
            Flag(
                "pcl5_item16",
                f'PCL-5 item 16 (taking too many risks or doing things that could cause harm) rated "{label}" '
                f"({pcl16} of 4).",
                f"You answered PCL-5 question 16 (taking risks or doing things that could cause you harm) with "
                f'"{label}" — {DISCUSS}.',
                "the PCL-5 is intended for use by qualified professionals.",
                (cite("istss_pcl5"),),
            )
        )
    s = answers.screening
    for q in SCREENING_QUESTIONS:
        flag = _answered(q, getattr(s, q.field))
        if flag:
            out.append(flag)
    high = [r for r in s.blood_pressure_readings if r.systolic > BP_GUIDE[0] or r.diastolic > BP_GUIDE[1]]
    if high:
        shown = ", ".join(f"{r.systolic}/{r.diastolic}" for r in high[:3])
        out.append(
            Flag(
                "bp_reading_above_140_90",
                f"{{who}} entered blood-pressure readings above 140/90: {shown}.",
                f"You entered blood-pressure readings above 140/90 ({shown}) — {DISCUSS}.",
                "blood pressure is checked before esketamine and about 40 minutes after it.",
                (cite("spravato_hcp_dosing"), PI_BP),
            )
        )
    m = answers.medicines
    for q in MEDICINE_QUESTIONS:
        flag = _answered(q, getattr(m, q.field), "taking ")
        if flag:
            out.append(flag)
    ride = answers.about.ride_home
    if ride in ("no", "unsure"):
        clinician = (
            "No one is arranged yet to take the patient home after a session."
            if ride == "no"
            else "It is not sure yet that someone will take the patient home after a session."
        )
        patient = (
            "You do not yet have someone to take you home after a session"
            if ride == "no"
            else "You were not sure you will have someone to take you home after a session"
        )
        out.append(
            Flag(
                "ride_home",
                clinician,
                f"{patient} — {DISCUSS}.",
                "after esketamine, no driving until the next day after a restful sleep; clinics ask who will take "
                "the patient home.",
                (cite("spravato_hcp_dosing"), cite("spravato_preparing"), CLINICS),
            )
        )
    return out

"""Questionnaire instruments as data: items, options, scoring rule, bands, recall period, notice, LOINC codes.

Everything here comes from the project's clinical reference (intake_content.md §1 and §5); adding an
instrument means adding one ``Instrument`` definition, not new code paths. ``sources`` are keys of the
source register (dashboard/content/citations.py). Item wording is reproduced for PHQ-9 (stated to need no
permission) and, as the reference allows, for GAD-7, PCL-5 and PEG, whose wording is still to be
confirmed against the owners' forms. DN4, LANSS/S-LANSS and painDETECT items are deliberately absent:
they are not free to reproduce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Option:
    """One answer choice: the score it counts for, the words shown, and its LOINC answer code if any."""

    value: int
    label: str
    loinc: str | None = None


@dataclass(frozen=True)
class Item:
    """One question; ``anchors`` label the ends of a 0–10 scale when the item has its own."""

    text: str
    loinc: str | None = None
    anchors: tuple[str, str] | None = None
    code: str = ""  # short machine name, used where the item is reported on its own
    loinc_display: str | None = None  # LOINC's display for ``loinc``, where the item is also sent on its own


@dataclass(frozen=True)
class Band:
    """A published score range and its name, inclusive at both ends."""

    low: int
    high: int
    label: str

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Instrument:
    """A questionnaire definition; ``scoring`` says how items combine into a result."""

    key: str
    title: str
    short: str
    measures: str
    recall: str
    stem: str
    items: tuple[Item, ...]
    options: tuple[Option, ...]
    scoring: Literal["sum", "mean", "each"]
    bands: tuple[Band, ...]
    notice: str
    sources: tuple[str, ...]
    conditions: frozenset[str]
    loinc_panel: str | None = None
    loinc_panel_display: str | None = None
    loinc_total: str | None = None
    loinc_total_display: str | None = None
    note: str = ""
    item_bands: tuple[Band, ...] = field(default=())

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def min_value(self) -> int:
        return min(o.value for o in self.options)

    @property
    def max_value(self) -> int:
        return max(o.value for o in self.options)

    def option(self, value: int) -> Option:
        """The option that scores ``value`` (KeyError if none)."""
        for o in self.options:
            if o.value == value:
                return o
        raise KeyError(value)


MOOD_CONDITIONS = frozenset(
    {"depression", "treatment_resistant_depression", "bipolar_depression", "postpartum_depression", "suicidal_ideation"}
)
ANXIETY_CONDITIONS = frozenset({"anxiety", "ocd"})
PTSD_CONDITIONS = frozenset({"ptsd"})
PAIN_CONDITIONS = frozenset({"neuropathic_pain", "crps", "fibromyalgia", "migraine", "chronic_pain", "other_pain"})

# Same frequency options for PHQ-9 and GAD-7, with LOINC answer codes (reference §5, LL358-3).
FREQUENCY = (
    Option(0, "Not at all", "LA6568-5"),
    Option(1, "Several days", "LA6569-3"),
    Option(2, "More than half the days", "LA6570-1"),
    Option(3, "Nearly every day", "LA6571-9"),
)

PFIZER_NOTICE = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational "
    "grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute."
)

PHQ9 = Instrument(
    key="phq9",
    title="Patient Health Questionnaire (PHQ-9)",
    short="PHQ-9",
    measures="Depressive symptoms",
    recall="the last 2 weeks",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items=(
        Item("Little interest or pleasure in doing things", "44250-9"),
        Item("Feeling down, depressed, or hopeless", "44255-8"),
        Item("Trouble falling or staying asleep, or sleeping too much", "44259-0"),
        Item("Feeling tired or having little energy", "44254-1"),
        Item("Poor appetite or overeating", "44251-7"),
        Item(
            "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
            "44258-2",
        ),
        Item(
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "44252-5",
        ),
        Item(
            "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety "
            "or restless that you have been moving around a lot more than usual",
            "44253-3",
        ),
        Item("Thoughts that you would be better off dead or of hurting yourself in some way", "44260-8"),
    ),
    options=FREQUENCY,
    scoring="sum",
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
    notice=PFIZER_NOTICE,
    sources=("phq_owner", "hl7_phq9", "loinc_44261_6", "arroll_2010"),
    conditions=MOOD_CONDITIONS,
    loinc_panel="44249-1",
    loinc_panel_display="PHQ-9 quick depression assessment panel [Reported.PHQ]",
    loinc_total="44261-6",
    loinc_total_display="Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    note="The PHQ-9 is a screening and severity measure, not a diagnosis.",
)

# PHQ-9 item 10: asked, never added to the total.
PHQ9_DIFFICULTY_TEXT = (
    "If you checked off any problems, how difficult have these problems made it for you to do your work, take care "
    "of things at home, or get along with other people?"
)
# LOINC answer codes of 69722-7, in the order shown: note that "Very difficult" (LA6575-0) sorts after
# "Extremely difficult" (LA6574-3) by number, so the codes must never be derived from the position.
PHQ9_DIFFICULTY = (
    Option(0, "Not difficult at all", "LA6572-7"),
    Option(1, "Somewhat difficult", "LA6573-5"),
    Option(2, "Very difficult", "LA6575-0"),
    Option(3, "Extremely difficult", "LA6574-3"),
)
PHQ9_DIFFICULTY_OPTIONS = tuple(o.label for o in PHQ9_DIFFICULTY)
PHQ9_DIFFICULTY_LOINC = "69722-7"
PHQ9_ITEM9_INDEX = 8  # zero-based index of the suicide-related item

GAD7 = Instrument(
    key="gad7",
    title="Generalized Anxiety Disorder scale (GAD-7)",
    short="GAD-7",
    measures="Anxiety symptoms",
    recall="the last 2 weeks",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        Item("Feeling nervous, anxious, or on edge", "69725-0"),
        Item("Not being able to stop or control worrying", "68509-9"),
        Item("Worrying too much about different things", "69733-4"),
        Item("Trouble relaxing", "69734-2"),
        Item("Being so restless that it is hard to sit still", "69735-9"),
        Item("Becoming easily annoyed or irritable", "69689-8"),
        Item("Feeling afraid as if something awful might happen", "69736-7"),
    ),
    options=FREQUENCY,
    scoring="sum",
    bands=(Band(0, 4, "minimal"), Band(5, 9, "mild"), Band(10, 14, "moderate"), Band(15, 21, "severe")),
    notice="GAD-7: Spitzer RL, Kroenke K, Williams JBW, Löwe B, Arch Intern Med 2006.",
    sources=("spitzer_2006", "kroenke_2007", "fhir_gad7"),
    conditions=ANXIETY_CONDITIONS,
    loinc_panel="69737-5",
    loinc_panel_display="Generalized anxiety disorder 7 item (GAD-7)",
    loinc_total="70274-6",
    loinc_total_display="Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
    note="The GAD-7 is a screening and severity measure, not a diagnosis.",
)

ZERO_TO_TEN = tuple(Option(v, str(v)) for v in range(11))
_INTERFERES = ("0 = Does not interfere", "10 = Completely interferes")

PEG = Instrument(
    key="peg",
    title="PEG pain scale (Pain, Enjoyment of life, General activity)",
    short="PEG",
    measures="Pain intensity and how pain interferes",
    recall="the past week",
    stem="Choose the number that best describes your pain during the past week.",
    items=(
        Item(
            "What number best describes your pain on average in the past week?",
            "75893-8",
            ("0 = No pain", "10 = Pain as bad as you can imagine"),
        ),
        Item(
            "What number best describes how, during the past week, pain has interfered with your enjoyment of life?",
            "91145-3",
            _INTERFERES,
        ),
        Item(
            "What number best describes how, during the past week, pain has interfered with your general activity?",
            "91146-1",
            _INTERFERES,
        ),
    ),
    options=ZERO_TO_TEN,
    scoring="mean",
    bands=(),
    notice="PEG: Krebs EE et al., J Gen Intern Med 2009 (derived from the Brief Pain Inventory).",
    sources=("krebs_2009",),
    conditions=PAIN_CONDITIONS,
    loinc_panel="91148-7",
    loinc_panel_display="PEG 3 item pain scale",
    loinc_total="91147-9",
    loinc_total_display="Mean score [PEG]",
    note="The PEG has no official score bands; it is used to follow change over time.",
)

NRS = Instrument(
    key="nrs",
    title="Pain ratings (0–10 numeric rating scale)",
    short="Pain 0–10",
    measures="Pain intensity",
    recall="now and the past week",
    stem="Rate your pain from 0 (no pain) to 10 (worst imaginable pain).",
    items=(
        Item(
            "Your pain right now",
            "72514-3",
            ("0 = No pain", "10 = Worst imaginable pain"),
            "now",
            "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        ),
        Item(
            "Your worst pain in the past week", None, ("0 = No pain", "10 = Worst imaginable pain"), "worst_past_week"
        ),
        Item(
            "Your least pain in the past week", None, ("0 = No pain", "10 = Worst imaginable pain"), "least_past_week"
        ),
    ),
    options=ZERO_TO_TEN,
    scoring="each",
    bands=(),
    item_bands=(Band(0, 0, "none"), Band(1, 3, "mild"), Band(4, 6, "moderate"), Band(7, 10, "severe")),
    notice="0–10 numeric rating scale: a generic scale with no owner.",
    sources=("cpa_nrs",),
    conditions=PAIN_CONDITIONS,
)

PCL5 = Instrument(
    key="pcl5",
    title="PTSD Checklist for DSM-5 (PCL-5)",
    short="PCL-5",
    measures="PTSD symptoms",
    recall="the past month",
    stem=(
        "Keep in mind a very stressful or traumatic experience (you do not need to describe it here). "
        "In the past month, how much were you bothered by:"
    ),
    items=tuple(
        Item(t)
        for t in (
            "Repeated, disturbing, and unwanted memories of the stressful experience?",
            "Repeated, disturbing dreams of the stressful experience?",
            "Suddenly feeling or acting as if the stressful experience were actually happening again?",
            "Feeling very upset when something reminded you of the stressful experience?",
            "Having strong physical reactions when something reminded you of the stressful experience "
            "(e.g., heart pounding, trouble breathing)?",
            "Avoiding memories, thoughts, or feelings related to the stressful experience?",
            "Avoiding external reminders of the stressful experience (e.g., people, places, conversations)?",
            "Trouble remembering important parts of the stressful experience?",
            "Having strong negative beliefs about yourself, others, or the world?",
            "Blaming yourself or someone else for the stressful experience or what happened after?",
            "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
            "Loss of interest in activities that you used to enjoy?",
            "Feeling distant or cut off from other people?",
            "Trouble experiencing positive feelings (e.g., unable to feel happiness or love)?",
            "Irritable behavior, angry outbursts, or acting aggressively?",
            "Taking too many risks or doing things that could cause you harm?",
            'Being "superalert" or watchful or on guard?',
            "Feeling jumpy or easily startled?",
            "Having difficulty concentrating?",
            "Trouble falling or staying asleep?",
        )
    ),
    options=(
        Option(0, "Not at all"),
        Option(1, "A little bit"),
        Option(2, "Moderately"),
        Option(3, "Quite a bit"),
        Option(4, "Extremely"),
    ),
    scoring="sum",
    bands=(),
    notice=(
        "PCL-5: PTSD Checklist for DSM-5, US National Center for PTSD. It is intended for use by qualified "
        "professionals."
    ),
    sources=("comorbidity_pcl5", "istss_pcl5"),
    conditions=PTSD_CONDITIONS,
    note="The PCL-5 is a symptom checklist, not a diagnosis.",
)

# PCL-5 clusters (1-based item numbers) and the provisional rule's minimum endorsed items per cluster.
PCL5_CLUSTERS: dict[str, tuple[range, int]] = {
    "B": (range(1, 6), 1),
    "C": (range(6, 8), 1),
    "D": (range(8, 15), 2),
    "E": (range(15, 21), 2),
}
PCL5_ENDORSED_AT = 2
PCL5_CUTOFF_TEXT = "31–33"
PCL5_RISK_ITEM_INDEX = 15  # zero-based: item 16, "Taking too many risks or doing things that could cause you harm?"

INSTRUMENTS: dict[str, Instrument] = {i.key: i for i in (PHQ9, GAD7, PEG, NRS, PCL5)}

NEUROPATHIC_SCREENERS = ("DN4", "S-LANSS", "LANSS", "painDETECT", "Other")
NEUROPATHIC_NOTE = (
    "Has a clinician used a neuropathic-pain questionnaire with you (for example DN4, S-LANSS or painDETECT)? "
    "Enter the result if you know it. These questionnaires are not free to reproduce, so they are not asked here, "
    "and the app does not score them."
)


def shown_for(conditions: set[str] | frozenset[str]) -> list[Instrument]:
    """Instruments that match the reasons for the visit, in a fixed order."""
    return [i for i in INSTRUMENTS.values() if i.conditions & set(conditions)]

"""The one typed model of a patient's answers; its JSON is also the draft file.

Strict validation (no silent type coercion), unknown fields rejected, every string and list bounded,
so a draft from anywhere can be checked before it touches the screen. Every section is optional: a
patient may skip any of them, and a draft with only ``schema_version`` is valid.

Schema history: version 2 added who filled the form in (``about.completed_by``, ``about.completed_by_name``)
and the units the measurements were typed in (``screening.units``). Both are optional, so a version-1 draft
is a valid version-2 draft once its version number is raised; ``draft.parse`` does exactly that. Version 2
later gained the optional ``about.clinic_record_number``; drafts without it load unchanged. Version 3 added
``checkins``, the dated check-ins of a treatment series (``CheckIn``); a version-2 draft has none, so it is a
version-3 draft with an empty list. A check-in that does not validate is dropped on its own and named
(``draft.parse_loaded``), so one damaged entry never costs the others or the rest of the draft.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from dashboard import vocab

SCHEMA_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)  # older drafts are migrated on load (draft.migrate)

Short = Annotated[str, StringConstraints(max_length=200)]
Text = Annotated[str, StringConstraints(max_length=2000)]
YesNo = Literal["yes", "no", "unsure"] | None
Phq = Annotated[int, Field(ge=0, le=3)] | None
Pcl = Annotated[int, Field(ge=0, le=4)] | None
Ten = Annotated[int, Field(ge=0, le=10)] | None


def _known(codes: frozenset[str], what: str):
    def check(values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in codes]
        if unknown:
            raise ValueError(f"unknown {what} code(s): {', '.join(sorted(set(unknown))[:5])}")
        if len(set(values)) != len(values):
            raise ValueError(f"repeated {what} code")
        return values

    return check


PAYMENT_CODES = frozenset(t.code for t in vocab.PAYMENT)
Conditions = Annotated[
    list[str], Field(max_length=len(vocab.CONDITIONS)), AfterValidator(_known(vocab.CONDITION_CODES, "condition"))
]
Routes = Annotated[list[str], Field(max_length=len(vocab.ROUTES)), AfterValidator(_known(vocab.ROUTE_CODES, "route"))]
Payments = Annotated[list[str], Field(max_length=len(vocab.PAYMENT)), AfterValidator(_known(PAYMENT_CODES, "payment"))]


EARLIEST_BIRTH = dt.date(1900, 1, 1)


def _plausible_birth(d: dt.date) -> dt.date:
    if not EARLIEST_BIRTH <= d <= dt.date.today():
        raise ValueError("date of birth must be between 1900-01-01 and today")
    return d


BirthDate = Annotated[dt.date, AfterValidator(_plausible_birth)]


class _Model(BaseModel):
    # hide_input_in_errors: a validation error must never carry an answer into a log or traceback.
    model_config = ConfigDict(strict=True, extra="forbid", validate_assignment=True, hide_input_in_errors=True)


class Contact(_Model):
    """A person the clinic may need: name, relationship or role, phone."""

    name: Short = ""
    relationship: Short = ""
    phone: Short = ""


CompletedBy = Literal["patient", "caregiver", "clinician"]


class About(_Model):
    completed_by: CompletedBy | None = None
    completed_by_name: Short = ""  # the caregiver's or clinician's name; empty when the patient filled it in
    clinic_record_number: Short = ""  # the clinic's own number for the patient, if known (FHIR Patient.identifier)
    name: Short = ""
    date_of_birth: BirthDate | None = None
    age: Annotated[int, Field(ge=0, le=130)] | None = None
    sex: Literal["female", "male", "intersex", "other", "prefer_not_to_say"] | None = None
    preferred_language: Short = ""
    emergency_contact: Contact = Field(default_factory=Contact)
    ride_home: YesNo = None
    driver: Contact = Field(default_factory=Contact)
    referring_clinician: Contact = Field(default_factory=Contact)


class Reason(_Model):
    conditions: Conditions = Field(default_factory=list)
    own_words: Text = ""
    how_long: Short = ""


class AntidepressantTrial(_Model):
    name: Short = ""
    how_long: Short = ""
    helped: Literal["yes", "partly", "no", "unsure"] | None = None
    side_effects: Short = ""


class PainTreatment(_Model):
    treatment: Short = ""
    kind: Literal["medicine", "procedure", "other"] | None = None
    result: Short = ""


class NeuropathicScreener(_Model):
    """Only a result a clinician already gave; the app never asks or scores these questionnaires."""

    name: Literal["DN4", "S-LANSS", "LANSS", "painDETECT", "Other"] | None = None
    result: Short = ""


class History(_Model):
    antidepressants: list[AntidepressantTrial] = Field(default_factory=list, max_length=30)
    psychotherapy: Text = ""
    ect: YesNo = None
    tms: YesNo = None
    ketamine_before: YesNo = None
    esketamine_before: YesNo = None
    ketamine_details: Text = ""
    pain_treatments: list[PainTreatment] = Field(default_factory=list, max_length=30)
    neuropathic_screener: NeuropathicScreener = Field(default_factory=NeuropathicScreener)


class Instruments(_Model):
    """Item answers in questionnaire order; ``None`` is an unanswered item."""

    phq9: list[Phq] = Field(default_factory=lambda: [None] * 9, min_length=9, max_length=9)
    phq9_difficulty: Phq = None
    gad7: list[Phq] = Field(default_factory=lambda: [None] * 7, min_length=7, max_length=7)
    peg: list[Ten] = Field(default_factory=lambda: [None] * 3, min_length=3, max_length=3)
    nrs: list[Ten] = Field(default_factory=lambda: [None] * 3, min_length=3, max_length=3)
    pcl5: list[Pcl] = Field(default_factory=lambda: [None] * 20, min_length=20, max_length=20)


class BloodPressure(_Model):
    systolic: Annotated[int, Field(ge=40, le=300)]
    diastolic: Annotated[int, Field(ge=20, le=200)]
    when: Short = ""


class Screening(_Model):
    """Health and safety items from reference §2; each answer becomes a flag to discuss, never a verdict."""

    aneurysm_or_avm: YesNo = None
    brain_bleed: YesNo = None
    high_blood_pressure: YesNo = None
    blood_pressure_readings: list[BloodPressure] = Field(default_factory=list, max_length=10)
    heart_or_stroke: YesNo = None
    psychosis_or_mania: YesNo = None
    substance_use: YesNo = None
    alcohol_use: YesNo = None
    pregnant: YesNo = None
    planning_pregnancy: YesNo = None
    breastfeeding: YesNo = None
    liver_disease: YesNo = None
    raised_eye_or_brain_pressure: YesNo = None
    cognitive_or_brain_injury: YesNo = None
    overactive_thyroid: YesNo = None
    ketamine_allergy: YesNo = None
    allergies: Text = ""
    units: Literal["us", "metric"] | None = None  # how height and weight were typed in (shown as entered)
    height_cm: Annotated[float, Field(ge=30, le=260, allow_inf_nan=False)] | None = None
    weight_kg: Annotated[float, Field(ge=2, le=500, allow_inf_nan=False)] | None = None


class Medicine(_Model):
    name: Short = ""
    dose: Short = ""
    how_often: Short = ""


class Medicines(_Model):
    current: list[Medicine] = Field(default_factory=list, max_length=50)
    benzodiazepines_or_sleep: YesNo = None
    opioids: YesNo = None
    stimulants: YesNo = None
    maoi: YesNo = None
    lamotrigine: YesNo = None
    other_sedatives: YesNo = None


class ChosenClinic(_Model):
    """Enough of the finder's listing that the summary works from a draft alone."""

    id: Short
    name: Short = ""
    phone: Short = ""
    city: Short = ""
    state: Short = ""


class Logistics(_Model):
    preferred_routes: Routes = Field(default_factory=list)
    payment: Payments = Field(default_factory=list)
    insurance_name: Short = ""
    clinic: ChosenClinic | None = None
    notes: Text = ""


EARLIEST_CHECKIN = dt.date(2000, 1, 1)
MAX_CHECKINS = 520  # ten years of weekly check-ins; the 1 MB draft limit holds about 1,500


def _plausible_checkin_date(d: dt.date) -> dt.date:
    # a day of slack: the person's calendar may already be on tomorrow where the server's is not
    if not EARLIEST_CHECKIN <= d <= dt.date.today() + dt.timedelta(days=1):
        raise ValueError("a check-in date must be between 2000-01-01 and today")
    return d


CheckInDate = Annotated[dt.date, AfterValidator(_plausible_checkin_date)]
Route = Annotated[str, AfterValidator(lambda v: _known(vocab.ROUTE_CODES, "route")([v])[0])]


class TreatmentSession(_Model):
    """The treatment session a check-in follows, as far as the person gave it."""

    number: Annotated[int, Field(ge=1, le=999)] | None = None
    date: CheckInDate | None = None
    route: Route | None = None


class CheckIn(_Model):
    """One dated check-in of a treatment series: the same item answers as the questionnaire, every part optional."""

    date: CheckInDate
    phq9: list[Phq] = Field(default_factory=lambda: [None] * 9, min_length=9, max_length=9)
    gad7: list[Phq] = Field(default_factory=lambda: [None] * 7, min_length=7, max_length=7)
    peg: list[Ten] = Field(default_factory=lambda: [None] * 3, min_length=3, max_length=3)
    nrs: list[Ten] = Field(default_factory=lambda: [None] * 3, min_length=3, max_length=3)
    session: TreatmentSession = Field(default_factory=TreatmentSession)
    side_effects: Text = ""


class Answers(_Model):
    """Everything the patient reports. Only ``schema_version`` is required."""

    schema_version: Literal[3] = SCHEMA_VERSION
    about: About = Field(default_factory=About)
    reason: Reason = Field(default_factory=Reason)
    history: History = Field(default_factory=History)
    instruments: Instruments = Field(default_factory=Instruments)
    screening: Screening = Field(default_factory=Screening)
    medicines: Medicines = Field(default_factory=Medicines)
    logistics: Logistics = Field(default_factory=Logistics)
    checkins: list[CheckIn] = Field(default_factory=list, max_length=MAX_CHECKINS)

"""Controlled vocabularies: the one place a route, condition or payment code is defined.

Codes are the values stored in ``data/clinics.csv``; labels and help text are what people read.
Groups follow how patients think about treatment, not how the data happens to be stored.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: a stable code, a plain-language label, its group and a short help text."""

    code: str
    label: str
    group: str
    help: str = ""


ROUTES: tuple[Term, ...] = (
    Term(
        "iv_ketamine",
        "IV ketamine infusion",
        "IV infusion",
        "Racemic ketamine given through a drip in a vein, in a clinic with monitoring.",
    ),
    Term(
        "esketamine_nasal",
        "Esketamine nasal spray (Spravato)",
        "Nasal",
        "Brand-name esketamine, used only in certified clinics under supervision.",
    ),
    Term(
        "intranasal_ketamine",
        "Compounded ketamine nasal spray",
        "Nasal",
        "Ketamine spray made by a compounding pharmacy; not an FDA-approved product.",
    ),
    Term(
        "im_ketamine",
        "Intramuscular ketamine injection",
        "Injection",
        "Ketamine given as an injection into a muscle, in a clinic.",
    ),
    Term(
        "oral_sublingual_ketamine",
        "Oral or sublingual ketamine (tablets, lozenges)",
        "Oral / sublingual",
        "Compounded ketamine swallowed or dissolved in the mouth; not an FDA-approved product.",
    ),
)

ROUTE_GROUPS: tuple[str, ...] = ("IV infusion", "Nasal", "Injection", "Oral / sublingual")

PAIN = "Pain"
MENTAL_HEALTH = "Mental health"

CONDITIONS: tuple[Term, ...] = (
    Term("neuropathic_pain", "Neuropathic (nerve) pain", PAIN, "Including spinal-cord-injury nerve pain."),
    Term("crps", "CRPS (complex regional pain syndrome)", PAIN),
    Term("fibromyalgia", "Fibromyalgia", PAIN),
    Term("migraine", "Migraine and headache", PAIN),
    Term("chronic_pain", "Chronic pain (general)", PAIN),
    Term("other_pain", "Other pain conditions", PAIN),
    Term("depression", "Depression", MENTAL_HEALTH),
    Term("treatment_resistant_depression", "Treatment-resistant depression", MENTAL_HEALTH),
    Term("bipolar_depression", "Bipolar depression", MENTAL_HEALTH),
    Term("postpartum_depression", "Postpartum depression", MENTAL_HEALTH),
    Term("suicidal_ideation", "Suicidal thoughts", MENTAL_HEALTH),
    Term("ptsd", "PTSD", MENTAL_HEALTH),
    Term("anxiety", "Anxiety", MENTAL_HEALTH),
    Term("ocd", "OCD", MENTAL_HEALTH),
    Term("substance_use", "Substance use", MENTAL_HEALTH),
)

CONDITION_GROUPS: tuple[str, ...] = (PAIN, MENTAL_HEALTH)

PAYMENT: tuple[Term, ...] = (
    Term("accepts_insurance", "Accepts insurance", "Payment", "The clinic's page says it takes insurance."),
    Term(
        "va_community_care",
        "VA community care",
        "Payment",
        "The clinic's page says it sees veterans through VA community care.",
    ),
    Term(
        "self_pay_price_usd",
        "Self-pay price",
        "Payment",
        "Price per session as stated by the clinic; confirm it when you call.",
    ),
)

PRECISIONS: dict[str, str] = {
    "street": "street address",
    "zip": "approximate location: ZIP code centre",
    "city": "approximate location: city centre",
    "district": "approximate location: district centre",
}

LISTING_KINDS: dict[str, str] = {
    "clinic": "Clinic",
    "research_study": "Recruiting research study",
}

# VA medical centres are their own kind of listing (data/sources/va_facilities.jsonl), never a clinic row.
VA_FACILITY = "va_facility"
VA_BADGE = "VA medical centre — for veterans enrolled in VA health care"
VA_SOURCE_TYPES: dict[str, str] = {
    "gov": "a VA or VA Inspector General page",
    "news": "a news report",
    "reprint": "VA text republished by another site",
}

ROUTE_CODES: frozenset[str] = frozenset(t.code for t in ROUTES)
CONDITION_CODES: frozenset[str] = frozenset(t.code for t in CONDITIONS)

_BY_CODE: dict[str, Term] = {t.code: t for t in (*ROUTES, *CONDITIONS, *PAYMENT)}


def label(code: str) -> str:
    """Plain-language label for a code; an unknown code is shown as itself rather than hidden."""
    term = _BY_CODE.get(code)
    return term.label if term else code


def term(code: str) -> Term:
    """The full entry for a code (raises KeyError for unknown codes)."""
    return _BY_CODE[code]


def grouped(terms: tuple[Term, ...]) -> dict[str, list[Term]]:
    """Terms by group, groups in first-seen order, so widgets can draw one block per group."""
    out: dict[str, list[Term]] = {}
    for t in terms:
        out.setdefault(t.group, []).append(t)
    return out


# --- Reports and clinic submissions (dashboard/submissions) ------------------------------------------

# What a person can say is wrong with a listing ("Report a problem").
REPORT_PROBLEMS: dict[str, str] = {
    "wrong_phone": "Wrong phone number",
    "wrong_address": "Wrong address",
    "closed_or_moved": "Closed or moved",
    "route_or_condition": "Does not offer a listed route or condition",
    "other": "Something else",
}

# Who is sending a clinic submission ("Add or update your clinic").
SUBMITTER_ROLES: dict[str, str] = {
    "owner": "Owner or director of the clinic",
    "staff": "Staff member of the clinic",
    "clinician": "Clinician working at the clinic",
    "other": "Someone else (patient, referrer, researcher)",
}

# Where a submission is in review.
SUBMISSION_STATUSES: dict[str, str] = {
    "pending": "waiting for review",
    "accepted": "accepted into the directory",
    "resolved": "resolved",
    "rejected": "rejected",
}

# source_kind of a listing that came from an accepted clinic submission.
CLINIC_SUBMISSION_SOURCE_KIND = "clinic_submission"

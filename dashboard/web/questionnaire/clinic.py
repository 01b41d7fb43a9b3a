"""The clinic for this visit: chosen in the questionnaire, or carried over from the finder's "Use … in my
questionnaire" button (which sets ``CHOSEN_CLINIC`` in the session)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.intake.answers import ChosenClinic
from dashboard.text import cell_text
from dashboard.web.questionnaire.binding import CARRIED, answers, held_index, wkey

CHOSEN_CLINIC = "chosen_clinic_id"  # session key the finder writes and the questionnaire reads


def clinic_names(df: Any, current: ChosenClinic | None) -> dict[str | None, str]:
    """Selectbox labels "name — city, state" for every clinic, plus one kept from a draft."""
    names: dict[str | None, str] = {None: "No clinic chosen"}
    if {"id", "name", "city", "state"} <= set(df.columns):
        labels = df["name"].astype(str) + " — " + df["city"].astype(str) + ", " + df["state"].astype(str)
        names.update(zip(df["id"].astype(str), labels, strict=True))
    if current is not None and current.id not in names:
        names[current.id] = f"{current.name or current.id} (from your draft)"
    return names


def clinic_from_row(df: Any, clinic_id: str) -> ChosenClinic | None:
    row = df[df["id"] == clinic_id]
    if row.empty:
        return None
    r = row.iloc[0]

    def s(col: str) -> str:
        v = r.get(col, "")
        return cell_text(v)[:200]

    return ChosenClinic(id=str(clinic_id)[:200], name=s("name"), phone=s("phone"), city=s("city"), state=s("state"))


def carry_over_clinic(df: Any) -> None:
    """Take the clinic chosen in the finder, once per choice, so a later change here sticks."""
    chosen = st.session_state.get(CHOSEN_CLINIC)
    if not chosen or st.session_state.get(CARRIED) == chosen:
        return
    clinic = clinic_from_row(df, str(chosen))
    if clinic is not None:
        answers().logistics.clinic = clinic
        st.session_state.pop(wkey(("logistics", "clinic")), None)
    st.session_state[CARRIED] = chosen


def _on_clinic(df: Any) -> None:
    chosen = st.session_state.get(wkey(("logistics", "clinic")))
    answers().logistics.clinic = None if chosen is None else (clinic_from_row(df, chosen) or answers().logistics.clinic)


def clinic_select(df: Any) -> None:
    ids: list[str | None] = [None, *[str(x) for x in df["id"].tolist()]] if "id" in df else [None]
    current = answers().logistics.clinic
    if current is not None and current.id not in ids:
        ids.append(current.id)
    names = clinic_names(df, current)  # computed now: format_func may be called after the run
    key = wkey(("logistics", "clinic"))
    if key not in st.session_state:
        st.session_state[key] = current.id if current else None
    st.selectbox(
        "Clinic for this visit",
        ids,
        format_func=lambda i: names.get(i, str(i)),
        key=key,
        on_change=_on_clinic,
        args=(df,),
        index=held_index(ids, st.session_state[key]),  # declared as held: see _bound
        help="Carried over from the finder when you chose a clinic there; you can change it.",
    )

"""Treatment check-ins page: add a dated check-in, see each score over time, take the file and the summary along.

The check-ins are part of the questionnaire's one Answers model (the same draft file, the same copy in
the tab); the form is dashboard/web/questionnaire/checkin_form.py, the logic dashboard/intake/checkins.py,
progress.py and progress_chart.py. This file is the page's order.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard.content import citations, safety
from dashboard.intake import checkins, progress, progress_chart, summary, summary_pdf
from dashboard.web import frame
from dashboard.web.questionnaire import binding, checkin_form, flow, tab_storage

REMOVE = "ck_remove_which"


def _source_md(cite: citations.Cite) -> str:
    """A definition's source as the register names it, linked to the publisher's page when it has one."""
    name = frame.md_escape(cite.source.reference())
    link = cite.source.link
    return f"[{name}]({link.replace(')', '%29')})" if link else name


def _remove() -> None:
    a = binding.answers()
    index = st.session_state.get(REMOVE)
    ordered = checkins.in_order(a.checkins)
    if not isinstance(index, int) or not 0 <= index < len(ordered):
        return
    gone = ordered.pop(index)
    a.checkins = ordered
    st.session_state.pop(REMOVE, None)
    binding.say("success", f"Check-in of {gone.date.isoformat()} removed. Save draft to keep the change in your file.")


def history() -> None:
    a = binding.answers()
    st.header("Your check-ins", anchor=False)
    if not a.checkins:
        st.markdown("No check-in yet. Add one above after a treatment session, or upload a saved draft.")
        return
    table = progress.table(a)
    # the scores only, so the table fits a phone without a scrolling box (which a keyboard cannot reach);
    # the session and side effects follow as a list, and the printed summary has them all in one table
    wordy = [c for c in ("Session", "Side effects") if c in table.columns]
    frame_ = pd.DataFrame(table.rows, columns=list(table.columns))
    st.table(frame_.drop(columns=wordy).set_index("Date"))
    for c in checkins.in_order(a.checkins):
        details = [x for x in (checkins.session_text(c), c.side_effects and f"side effects: {c.side_effects}") if x]
        if details:
            st.markdown(f"- **{c.date.isoformat()}**: {frame.md_escape(' — '.join(details))}")
    spec = progress_chart.spec(a)
    if spec is not None:
        st.subheader("Scores over time", anchor=False)
        st.markdown("Shaded bands are the published severity ranges of each questionnaire.")
        # the Altair chart's Vega-Lite, kept per set of check-ins: st.altair_chart would rebuild and
        # re-validate it on every run of the page
        st.vega_lite_chart(json.loads(spec), theme=None)
    found = progress.changes(a)
    if found:
        st.subheader("Change since the first check-in", anchor=False)
        for change in found:
            sources = "; ".join(_source_md(c) for c in change.cites)
            st.markdown(f"- {frame.md_escape(change.sentence())}" + (f" Source: {sources}." if sources else ""))
        st.markdown("These numbers are for your clinician to interpret; they do not say whether a treatment works.")
    ordered = checkins.in_order(a.checkins)
    with st.expander("Remove a check-in"):
        st.selectbox(
            "Check-in to remove", list(range(len(ordered))), format_func=lambda i: checkins.title(ordered[i]),
            index=None, key=REMOVE,
        )  # fmt: skip
        st.button("Remove this check-in", on_click=_remove, key="ck_remove")


def downloads() -> None:
    st.header("Keep and share", anchor=False)
    st.markdown(
        "Your check-ins are in the same file as your questionnaire: **Save draft** downloads it to this device. "
        "The summary for your clinician ends with a progress page of your check-ins."
    )
    c1, c2 = st.columns(2)
    with c1:
        flow.save_draft("checkins")
    content = summary.build(binding.answers())
    c2.download_button(
        "Download PDF summary",
        data=lambda: summary_pdf.render(content),  # made when pressed, as on the questionnaire page
        file_name="intake-summary.pdf",
        mime="application/pdf",
        key="ck_pdf_download",
    )


def main() -> None:
    st.title("Treatment check-ins")
    st.markdown(
        "Follow a treatment series: after each session, note how you have been. Every part is optional, and the "
        "check-ins stay in your own file. " + safety.MEDICAL_DISCLAIMER
    )
    binding.answers()
    tab_storage.keep_in_tab(flow.SECTION_COUNT)
    flow.resume_box()
    binding.show_message()
    if checkins.any_crisis(binding.answers()) and not checkin_form.pending_crisis():
        frame.crisis_panel()  # an earlier check-in's item 9: the contacts stay in view
    st.header("Add a check-in", anchor=False)
    checkin_form.form()
    st.divider()
    history()
    st.divider()
    downloads()


main()

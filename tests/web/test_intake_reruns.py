"""AppTest: every questionnaire widget tells the browser the value the server holds.

The questionnaire fills its widgets in through ``st.session_state`` (from the answers model: a loaded
draft, or answers given before Back/Next). Such a value reaches the browser in one message only: the
run that wrote it. Streamlit loads a widget's code lazily; a browser that first draws the widget from a
*later* rerun's message (a slow phone, a busy machine) shows the widget's *declared default* instead,
and sends it back with the next rerun as if the patient had chosen it. The widget's on_change callback
then writes it into the answers: a draft's preferred routes and payment silently became "none"
(tests/browser/test_intake_late_widgets_browser.py shows it in a real browser).

So in every run, each widget's declared default must equal the value the server holds, and declaring
it must not change the widget's identity (a keyed widget is its key): a changed identity would make the
browser throw the widget away and draw a new one, under the patient's cursor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import go_to, open_intake
from tests.apptest import load_draft as load
from tests.helpers import INTAKE_SECTIONS
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "intake" / "full_draft.json"
CAREGIVER = FIXTURES / "intake" / "caregiver_draft.json"
SECTIONS = len(INTAKE_SECTIONS)

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def _optional(proto: Any) -> Any:
    return proto.default if proto.HasField("default") else None


def _option(widget: Any, index: int | None) -> str | None:
    return None if index is None else widget.options[index]


def _shown(widget: Any, value: Any) -> str | None:
    return None if value is None else widget.format_func(value)


def declared_and_held(at: AppTest) -> dict[str, tuple[object, object]]:
    """For every keyed input widget on the page: (the default it declares to the browser, the value the
    server holds). Choices are compared as the option labels the browser shows."""
    out: dict[str, tuple[object, object]] = {}
    for w in [*at.text_input, *at.text_area, *at.number_input]:
        out[w.key] = (_optional(w.proto), w.value)
    for w in at.checkbox:
        out[w.key] = (w.proto.default, w.value)
    for w in [*at.radio, *at.selectbox]:
        out[w.key] = (_option(w, _optional(w.proto)), _shown(w, w.value))
    for w in at.multiselect:
        out[w.key] = ([w.options[i] for i in w.proto.default], [w.format_func(v) for v in w.value])
    assert all(key for key in out), "every input widget on the questionnaire has a key"
    return out


def mismatches(at: AppTest) -> dict[str, tuple[object, object]]:
    assert not at.exception, at.exception
    return {k: v for k, v in declared_and_held(at).items() if v[0] != v[1]}


@pytest.mark.parametrize("draft", [FIXTURE, CAREGIVER], ids=["full-draft", "caregiver-draft"])
def test_after_a_draft_load_every_widget_declares_the_answer_it_holds(draft: Path):
    at = open_intake()
    load(at, draft)
    assert mismatches(at) == {}  # the section the draft was loaded on (its widgets are re-seeded)
    for index in range(SECTIONS):
        go_to(at, index)  # the run that seeds this section's widgets from the answers
        assert mismatches(at) == {}, f"section {index + 1}"
        at.run()  # a later run: what a browser that draws the widgets late draws from
        assert mismatches(at) == {}, f"section {index + 1}, next run"


def test_the_draft_answers_are_what_the_widgets_hold():
    """The comparison above is not vacuous: the loaded answers are on the widgets."""
    at = open_intake()
    load(at, FIXTURE)
    go_to(at, 5)
    assert at.multiselect(key="ik:logistics.preferred_routes").value == ["iv_ketamine", "esketamine_nasal"]
    assert at.multiselect(key="ik:logistics.payment").value == ["accepts_insurance"]
    assert at.text_input(key="ik:logistics.insurance_name").value == "Aetna"
    assert at.selectbox(key="ik:logistics.clinic").value == "demo-clinic"
    go_to(at, 0)
    assert at.text_input(key="ik:about.date_of_birth").value == "1984-03-09"
    assert at.radio(key="ik:about.sex").value == "female"


def test_an_empty_form_declares_its_empty_answers():
    at = open_intake()
    for index in range(SECTIONS):
        go_to(at, index)
        assert mismatches(at) == {}, f"section {index + 1}"


def test_answers_given_on_the_page_are_declared_in_the_next_runs():
    at = open_intake()
    at.text_input(key="ik:about.name").input("Ana").run()
    at.text_input(key="ik:about.date_of_birth").input("03/09/1984").run()
    at.radio(key="ik:about.sex").set_value("male").run()
    at.number_input(key="ik:about.age").set_value(41).run()
    assert mismatches(at) == {}
    at.run()
    assert mismatches(at) == {}
    go_to(at, 4)
    at.radio(key="ik:screening.units").set_value("metric").run()
    at.number_input(key="ik:screening.height_cm@cm").set_value(170.5).run()
    at.radio(key="ik:screening.pregnant").set_value("no").run()
    assert mismatches(at) == {}
    go_to(at, 1)
    at.multiselect(key="ik:reason.conditions").set_value(["depression"]).run()
    assert mismatches(at) == {}
    go_to(at, 3)
    assert at.checkbox(key="intake_show_all").value is False  # a reason is chosen: its questionnaires only
    at.checkbox(key="intake_show_all").check().run()  # a page choice, not an answer: declared all the same
    assert mismatches(at) == {}
    go_to(at, 5)
    at.multiselect(key="ik:logistics.payment").set_value(["self_pay_price_usd"]).run()
    at.selectbox(key="ik:logistics.clinic").set_value(None).run()
    assert mismatches(at) == {}
    at.run()
    assert mismatches(at) == {}


def widget_ids(at: AppTest) -> dict[str, str]:
    kinds = ("text_input", "text_area", "number_input", "checkbox", "radio", "selectbox", "multiselect")
    return {w.key: w.proto.id for kind in kinds for w in at.get(kind)}


@pytest.mark.parametrize("index", range(SECTIONS - 1))
def test_declaring_new_defaults_keeps_every_widget_the_same_widget(index: int):
    """A keyed widget's identity is its key (Streamlit 1.67): the declared default follows the answers
    without the browser replacing the widget (which would lose focus and what is being typed)."""
    at = open_intake()
    go_to(at, index)
    empty = widget_ids(at)
    load(at, FIXTURE)
    go_to(at, index)  # the upload opened the draft's last answered section; come back to this one
    loaded = widget_ids(at)
    assert {k: empty[k] for k in empty.keys() & loaded.keys()} == {k: loaded[k] for k in empty.keys() & loaded.keys()}
    assert len(empty.keys() & loaded.keys()) >= 3

"""NLM's LHC-Forms (npm ``lforms``, the renderer EHR form tools build on) takes the app's own Questionnaire,
merges the app's QuestionnaireResponse into it, renders every answer in Chromium, and gives every answer back.

LHC-Forms is served from build/test-vendor (``python -m dashboard.assets --test``) by a loopback HTTP server
that this module starts and stops; the page may reach nothing else, and the test says so.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from dashboard.assets import TEST_VENDOR_DIR, dev_asset_path
from dashboard.intake import draft, fhir
from dashboard.intake import questionnaire as q
from tests.browser.streamlit_waits import PATIENCE_MS
from tests.intake.every_answer import every_answer
from tests.paths import INTAKE_FIXTURES as FIXTURES

WEB = "/lforms/dist/lforms/webcomponent"
SCRIPTS = (f"{WEB}/runtime.js", f"{WEB}/polyfills.js", f"{WEB}/main.js")
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LHC-Forms</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="{WEB}/styles.css">
<script src="{WEB}/assets/lib/zone.min.js"></script></head>
<body><div id="form"></div>
{"".join(f'<script src="{s}" type="module"></script>' for s in SCRIPTS)}
<script src="/lforms/dist/lforms/fhir/R4/lformsFHIR.min.js" defer></script></body></html>
"""
# Load the Questionnaire, merge the response, render it (resolves once LHC-Forms reports the form ready),
# then read the response back from the rendered form.
ROUND_TRIP = """async ([questionnaire, response]) => {
  const form = LForms.Util.convertFHIRQuestionnaireToLForms(questionnaire, 'R4');
  const merged = LForms.Util.mergeFHIRDataIntoLForms(response, form, 'R4');
  await LForms.Util.addFormToPage(merged, 'form', {});
  return LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', '#form');
}"""

pytestmark = pytest.mark.browser


class _Handler(SimpleHTTPRequestHandler):
    """The test page at ``/``, the vendored files below it; nothing logged."""

    def do_GET(self) -> None:
        if self.path != "/":
            super().do_GET()
            return
        body = PAGE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def lforms_url() -> Iterator[str]:
    if not dev_asset_path("lforms", "LICENSE.md").exists():
        raise RuntimeError("lforms is missing from build/test-vendor: run `python -m dashboard.assets --test`")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(TEST_VENDOR_DIR)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def answers_by_link(resource: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """linkId → answers, with codings reduced to system, code and display: LHC-Forms adds the option's
    ``ordinalValue`` extension to each coding it returns, which is the Questionnaire's, not an answer."""
    out: dict[str, list[dict[str, Any]]] = {}
    for item in q.items(resource):
        if "answer" in item:
            out[item["linkId"]] = [
                {"valueCoding": {k: v for k, v in a["valueCoding"].items() if k != "extension"}}
                if "valueCoding" in a
                else a
                for a in item["answer"]
            ]
    return out


def shown(answer: dict[str, Any]) -> str:
    """What LHC-Forms shows for an answer: a coding's display, or the number."""
    [(kind, value)] = answer.items()
    if kind == "valueCoding":
        return value["display"]
    return f"{value:g}" if isinstance(value, float) else str(value)


CASES = {
    "every answer": every_answer,
    "caregiver draft (partial)": lambda: draft.parse((FIXTURES / "caregiver_draft.json").read_bytes()),
}


@pytest.mark.parametrize("case", list(CASES))
def test_lhc_forms_renders_and_keeps_every_answer(browser, lforms_url, case):
    [response] = fhir.resources(fhir.bundle(CASES[case]()), "QuestionnaireResponse")
    sent = answers_by_link(response)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(PATIENCE_MS)
    try:
        page = context.new_page()
        outside: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: None if r.url.startswith((lforms_url, "data:")) else outside.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(lforms_url)
        page.wait_for_function("() => window.LForms && LForms.Util && LForms.FHIR && LForms.FHIR.R4")
        returned = page.evaluate(ROUND_TRIP, [q.build(), response])

        # Rendered: every answer is on screen in its item's field.
        for link, answers in sent.items():
            field = page.locator(f'[id="{link}/1/1"]')
            assert shown(answers[0]) in field.input_value(), link

        # Read back: the same answers, item for item, and the response still names our Questionnaire.
        assert answers_by_link(returned) == sent
        assert returned["questionnaire"] == q.REFERENCE and returned["status"] == response["status"]
        coded = [a["valueCoding"] for item in q.items(returned) for a in item.get("answer", []) if "valueCoding" in a]
        assert all(c.get("extension", [{}])[0].get("url", q.ORDINAL_VALUE) == q.ORDINAL_VALUE for c in coded)
        assert errors == [] and outside == []
    finally:
        context.close()

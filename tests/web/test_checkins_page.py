"""The check-in page in AppTest: with the example's three check-ins loaded, the change since the first check-in
is worded against the published definitions (PHQ-9 response and remission, a 2-point pain change), each
followed by its source from the register, linked to the publisher's page."""

from __future__ import annotations

import re

from dashboard.content import citations
from tests.apptest import open_app
from tests.paths import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"


def test_each_change_names_the_published_definition_and_links_its_source() -> None:
    at = open_app("dashboard/web/pages/checkins.py")
    at.file_uploader(key="intake_upload").set_value(("d.json", EXAMPLE.read_bytes(), "application/json")).run()
    assert not at.exception, at.exception
    lines = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if m.value.startswith("- ")]  # unescaped
    phq9 = next(line for line in lines if line.startswith("- PHQ-9 total:"))
    assert "This meets the published definition of response" in phq9
    assert "does not meet the published definition of remission" in phq9
    assert phq9.endswith(f"]({citations.get('ps_mbc_metrics').link}).")
    pain = next(line for line in lines if line.startswith("- Pain now:"))
    assert pain.endswith(f"]({citations.get('cpa_nrs').link}).")
    peg = next(line for line in lines if line.startswith("- PEG mean:"))
    assert "Source:" not in peg  # no definition held: nothing to cite

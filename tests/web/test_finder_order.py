"""AppTest: the finder's order is the phone's and the keyboard's. "Skip to results" follows the place and
distance and lands just before the first card; the cards come before the map and the downloads (a wide screen
reorders them in CSS); the crisis contacts pinned to the top bar are on every page."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from dashboard.content import safety
from tests.bounds import APPTEST_TIMEOUT_S
from tests.paths import ROOT

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def run(path: str = "", query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APPTEST_TIMEOUT_S)
    if path:
        at.switch_page(path)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def key_of(node) -> str:
    """A keyed container's key (Streamlit writes it at the end of the block's id), or ""."""
    block_id = getattr(node.proto, "id", "") if isinstance(node, Block) and node.proto is not None else ""
    return block_id.split("-", 2)[-1] if block_id else ""


def flat(node) -> list:
    """Every element and keyed container under ``node``, in page order."""
    out = [node]
    if isinstance(node, Block):
        for child in node.children.values():
            out += flat(child)
    return out


def keyed(at: AppTest, key: str) -> Block:
    return next(n for n in flat(at.main) if key_of(n) == key)


def markdown_text(node) -> str:
    return getattr(node, "value", "") if type(node).__name__ == "Markdown" else ""


def test_skip_to_results_follows_the_place_and_lands_before_the_first_card():
    at = run(query={"near": "10017", "radius": "100"})
    assert not at.exception
    top = list(at.main.children.values())
    after_place = top[[key_of(n) for n in top].index("kcf_place") + 1]
    link = re.search(r'href="#([^"]+)">Skip to results<', markdown_text(after_place))
    assert link, "the skip link is not the element after the place and distance"
    result_list = keyed(at, "kcf_result_list")
    first = next(iter(result_list.children.values()))
    assert f'id="{link.group(1)}"' in markdown_text(first)  # the target is the first thing in the list
    cards = [n for n in flat(result_list) if key_of(n).startswith("kcf_card_")]
    assert cards, "no cards in the result list"


def test_the_cards_come_before_the_map_and_the_downloads():
    at = run(query={"near": "10017", "radius": "100"})
    results = list(keyed(at, "kcf_results").children.values())
    keys = [key_of(n) for n in results]
    assert keys.index("kcf_result_list") < keys.index("kcf_map_block")
    block = flat(keyed(at, "kcf_map_block"))
    assert [getattr(n, "type", "") for n in block].count("component_instance") == 1  # the map
    labels = [n.label for n in block if type(n).__name__ == "DownloadButton"]
    assert labels == ["Download results (CSV)", "Spreadsheet (.xlsx)", "Printable list (HTML)"]
    assert not [n for n in flat(keyed(at, "kcf_result_list")) if type(n).__name__ == "DownloadButton"]


@pytest.mark.parametrize("path", ["", "dashboard/web/pages/intake.py", "dashboard/web/pages/about.py"])
def test_the_pinned_crisis_contacts_are_on_every_page(path):
    at = run(path)
    assert not at.exception
    pinned = "".join(markdown_text(n) for n in flat(keyed(at, "kcf_crisis_pinned")))
    for action in safety.CRISIS_PINNED:
        assert f"[{action.label}]({action.href})" in pinned
    assert {a.href for a in safety.CRISIS_PINNED} >= {"tel:988", "tel:911"}

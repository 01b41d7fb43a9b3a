"""One text-safety module: control characters, spreadsheet formulas, links and missing cells."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import text

HOSTILE = [
    "red \x1b[31m alert",  # ESC: a terminal escape sequence
    "title \x1b]0;pwned\x07",  # OSC ... BEL
    "csi \x9b31m",  # C1 CSI
    "nul\x00byte",
    "del\x7f",
    "next line\x85",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_controls_become_spaces(value):
    cleaned = text.strip_controls(value)
    assert not text.has_controls(cleaned)
    assert len(cleaned) == len(value)  # replaced, not removed: words stay apart


def test_line_breaks_and_tabs_are_kept_only_when_asked():
    value = "line 1\nline 2\tx\r"
    assert text.strip_controls(value) == "line 1 line 2 x "
    assert text.strip_controls(value, keep="\t\n") == "line 1\nline 2\tx "
    assert text.has_controls(value, keep="\t\n") and not text.has_controls(value, keep="\t\n\r")


@given(st.text())
def test_no_control_character_survives(value):
    assert not text.has_controls(text.strip_controls(value))
    assert not text.has_controls(text.terminal_safe(value, keep="\t\n"), keep="\t\n")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1+1", "'  =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        ("Tucson", "Tucson"),
    ],
)
def test_neutralise_formula(cell, expected):
    assert text.neutralise_formula(cell) == expected


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/page", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<b>", False),
        ("ftp://example.org", False),
        ("https://example.org/<script>", False),
        ("https://example.org/a b", False),
        ("", False),
    ],
)
def test_is_http_url(url, ok):
    assert text.is_http_url(url) is ok


@pytest.mark.parametrize("value", [None, pd.NA, math.nan, float("nan")])
def test_missing_cells_read_as_empty(value):
    assert text.is_missing(value) and text.cell_text(value) == "" and text.terminal_safe(value) == ""


@pytest.mark.parametrize("value", ["", "0", 0, False, 0.0, "nan"])
def test_stated_cells_are_not_missing(value):
    assert not text.is_missing(value) and text.cell_text(value) == str(value)

"""AppTest: what a rerun or another session must not change on the finder.

1. Every search widget tells the browser the value the server holds. The browser draws a widget from
   the latest message it has for it. A value the page seeds (from a shared link, or from this
   session's last search) reaches the browser in one message only; a browser that first draws the
   widget from a later rerun's message (the rerun started before the page finished loading: a slow
   phone, a busy machine) shows the widget's *declared default* and sends it back as if the user had
   chosen it. With the distance's declared default at its first option, a 50-mile search silently
   became a 5-mile one (tests/browser/test_finder_search_browser.py shows it in a real browser). So in
   every run, each search widget's declared default must equal the value the server holds.

2. The same search gives the same map component (same key), in a rerun and in another session. The
   key is a hash of the map's script; a cached map object shared by every run was renamed in place by
   st_folium on its first drawing, so the next run drew it differently: a new key, and the browser
   threw the map away and loaded a new one (two map iframes for a moment, a user's zoom and open popup
   lost).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import vocab
from tests.apptest import heading
from tests.apptest import open_finder as finder

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")

SHARED = {"near": "10017", "radius": "100", "route": "iv_ketamine", "condition": "crps", "max_price": "700"}


def declared_and_held(at: AppTest) -> dict[str, tuple[object, object]]:
    """For each search widget: (the default it declares to the browser, the value the server holds)."""
    out: dict[str, tuple[object, object]] = {}
    near = at.text_input(key="near")
    out["near"] = (near.proto.default, near.value)
    radius = at.selectbox(key="radius")
    out["radius"] = (radius.options[radius.proto.default], radius.format_func(radius.value))
    price = at.number_input(key="max_price")
    out["max_price"] = (price.proto.default if price.proto.HasField("default") else None, price.value)
    keys = [f"route_{t.code}" for t in vocab.ROUTES] + [f"condition_{t.code}" for t in vocab.CONDITIONS]
    keys += ["insurance", "va"] + (["studies"] if any(c.key == "studies" for c in at.checkbox) else [])
    for key in keys:
        box = at.checkbox(key=key)
        out[key] = (box.proto.default, box.value)
    return out


def mismatches(at: AppTest) -> dict[str, tuple[object, object]]:
    assert not at.exception, at.exception
    return {k: v for k, v in declared_and_held(at).items() if v[0] != v[1]}


def test_a_shared_link_is_declared_as_the_widgets_defaults_in_every_run():
    at = finder(SHARED)
    assert "within 100 miles of New York, NY 10017" in heading(at)
    assert mismatches(at) == {}
    at.run()  # a rerun that is not the seeding run (what a late-drawing browser draws from)
    assert mismatches(at) == {}
    assert "within 100 miles of New York, NY 10017" in heading(at)


def test_the_default_search_declares_its_own_distance():
    at = finder()
    at.text_input(key="near").input("10017").run()
    assert "within 50 miles of New York, NY 10017" in heading(at)
    assert mismatches(at) == {}


def test_choices_the_user_made_are_declared_in_the_next_runs():
    at = finder()
    at.text_input(key="near").input("10017").run()
    at.selectbox(key="radius").select(250).run()
    at.checkbox(key="route_iv_ketamine").check().run()
    at.number_input(key="max_price").set_value(600.0).run()
    assert mismatches(at) == {}
    at.run()
    assert mismatches(at) == {}
    assert "within 250 miles" in heading(at)


def test_coming_back_from_another_page_declares_the_last_search():
    at = finder(SHARED)
    at.switch_page("dashboard/web/pages/about.py").run()
    at.switch_page("dashboard/web/pages/finder.py").run()
    assert "within 100 miles of New York, NY 10017" in heading(at)
    assert mismatches(at) == {}
    at.run()
    assert mismatches(at) == {}


def map_key(at: AppTest) -> str:
    """The widget id of the map component (it ends with streamlit-folium's hash of the map's script)."""
    maps = [e for e in at.get("component_instance") if "st_folium" in getattr(e.proto, "component_name", "")]
    assert len(maps) == 1
    return maps[0].proto.id


def test_a_rerun_that_changes_nothing_keeps_the_same_map():
    at = finder({"near": "10017", "radius": "25"})
    first = map_key(at)
    at.run()
    assert map_key(at) == first
    at.button(key=next(b.key for b in at.button if b.key.startswith("choose_"))).click().run()
    assert map_key(at) == first


def test_another_session_with_the_same_search_gets_the_same_map():
    one = finder({"near": "10017", "radius": "25"})
    two = finder({"near": "10017", "radius": "25"})
    assert map_key(two) == map_key(one)
    other = finder({"near": "10017", "radius": "50"})
    assert map_key(other) != map_key(one)

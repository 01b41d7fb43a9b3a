"""AppTest: the finder page wires location, filters, results, selection, links and downloads."""

from __future__ import annotations

import pytest

from dashboard.directory.clinics import load_clinics
from dashboard.places.distance import haversine_miles
from dashboard.places.gazetteer import resolve_offline
from tests.apptest import heading
from tests.apptest import open_finder as finder
from tests.paths import ROOT

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def test_all_listings_without_a_location():
    at = finder()
    assert not at.exception
    listings = len(load_clinics(ROOT / "data" / "clinics.csv")[0])  # counted from the bundled data, not hard-coded
    assert heading(at) == f"Clinics anywhere in the directory — {listings} found"


def test_zip_route_and_condition_filters_and_the_link_follows():
    at = finder()
    at.text_input(key="near").input("10017").run()
    at.checkbox(key="route_iv_ketamine").check().run()
    at.checkbox(key="condition_crps").check().run()
    assert not at.exception
    text = heading(at)
    assert text.startswith("IV ketamine infusion clinics treating CRPS")
    assert "within 50 miles of New York, NY 10017" in text
    assert at.query_params["near"] in ("10017", ["10017"])
    assert at.query_params["route"] in ("iv_ketamine", ["iv_ketamine"])
    assert at.query_params["condition"] in ("crps", ["crps"])


def test_a_shared_link_reproduces_the_search():
    at = finder({"near": "10017", "radius": "50", "route": "iv_ketamine", "condition": "crps"})
    assert not at.exception
    assert heading(at).startswith("IV ketamine infusion clinics treating CRPS")
    assert at.text_input(key="near").value == "10017"


def test_counts_are_shown_beside_options():
    at = finder({"near": "10017", "radius": "50"})
    label = at.checkbox(key="route_iv_ketamine").label
    assert label.startswith("IV ketamine infusion (")
    assert label.endswith(")")


def test_a_bad_place_is_explained_and_filters_are_kept():
    at = finder({"route": "esketamine_nasal"})
    at.text_input(key="near").input("Nowhereville, AZ").run()
    assert not at.exception
    assert any("was not found" in w.value and "filters are kept" in w.value for w in at.warning)
    assert at.checkbox(key="route_esketamine_nasal").value is True


def test_street_addresses_are_not_sent_anywhere_when_online_lookup_is_off():
    at = finder()
    at.text_input(key="near").input("1 Main Street, Springfield").run()
    assert any("not looked up" in w.value for w in at.warning)


def test_empty_results_offer_the_nearest_beyond_the_radius():
    # A place the bundled directory does not reach within 50 miles (checked from the data, not assumed).
    df, place = load_clinics(ROOT / "data" / "clinics.csv")[0], resolve_offline("Dodge City, KS")
    assert haversine_miles(place.lat, place.lon, df["lat"].to_numpy(), df["lon"].to_numpy()).min() > 50
    at = finder({"near": "Dodge City, KS", "radius": "50"})
    assert "0 found" in heading(at)
    assert any("nearest matches beyond" in i.value for i in at.info)
    assert len([b for b in at.button if b.key.startswith("show_")]) > 0


def test_listings_that_do_not_state_a_fact_are_a_tier_of_their_own():
    at = finder({"route": "iv_ketamine"})
    assert heading(at).endswith(" to ask")
    assert any(h.value == "May offer it — don't state IV ketamine infusion; ask them" for h in at.subheader)


def test_show_on_map_and_use_for_intake():
    at = finder({"near": "10017", "radius": "25"})
    first = next(b for b in at.button if b.key.startswith("show_"))
    first.click().run()
    clinic_id = first.key.removeprefix("show_")
    assert at.session_state["selected_id"] == clinic_id
    at.button(key=f"choose_{clinic_id}").click().run()
    assert at.session_state["chosen_clinic_id"] == clinic_id


def test_search_survives_a_visit_to_another_page():
    at = finder({"near": "10017", "radius": "100"})
    at.switch_page("dashboard/web/pages/about.py").run()
    at.switch_page("dashboard/web/pages/finder.py").run()
    assert "within 100 miles of New York, NY 10017" in heading(at)


def test_dataset_text_in_button_labels_stays_text(tmp_path, monkeypatch):
    """Button labels are Markdown (links and images render): a listing's name must not become one."""
    from dashboard.web.frame import md_escape
    from tests.helpers import GOOD, csv_text

    name = "![t](https://evil.example/t.png) [call](https://evil.example) **now**"
    path = tmp_path / "hostile.csv"
    path.write_text(csv_text({**GOOD, "name": name}))
    monkeypatch.setenv("CLINIC_FINDER_DATA", str(path))
    at = finder()
    assert not at.exception
    labels = [b.label for b in at.button if b.key.startswith(("show_", "choose_"))]
    assert labels == [f"Show {md_escape(name)} on map", f"Use {md_escape(name)} in my questionnaire"]
    assert all("![" not in label and "](" not in label for label in labels)


def test_the_spreadsheet_download_sits_beside_the_csv():
    at = finder({"near": "02906", "radius": "50"})
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    csv_at = labels.index("Download results (CSV)")
    assert labels[csv_at + 1] == "Spreadsheet (.xlsx)"

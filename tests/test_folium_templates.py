"""branca compiles each distinct template text once (dashboard.folium_templates), and maps still render."""

from __future__ import annotations

import branca.element
import folium
from jinja2 import Template

from dashboard import folium_templates, mapview  # noqa: F401  (mapview installs the cache on import)


def test_the_same_text_is_compiled_once_and_renders_as_before() -> None:
    folium_templates.install()
    folium_templates.install()  # idempotent
    a = branca.element.Element("<b>{{ 1 + 1 }}</b>")
    b = branca.element.Element("<b>{{ 1 + 1 }}</b>")
    assert a._template is b._template
    assert a._template.render() == Template("<b>{{ 1 + 1 }}</b>").render() == "<b>2</b>"
    assert branca.element.Element("<i>other</i>")._template is not a._template


def test_a_map_renders_its_header_scripts_once_each_with_the_cache() -> None:
    hits_before = folium_templates.compiled.cache_info().hits
    for _ in range(2):
        m = folium.Map(location=(40.0, -100.0), zoom_start=4, tiles=None)
        folium.Marker((40.0, -100.0), tooltip="A clinic").add_to(m)
        html = m.get_root().render()
        assert html.count("leaflet.js") >= 1
        assert "A clinic" in html
    assert folium_templates.compiled.cache_info().hits > hits_before  # the second map reused compiled texts

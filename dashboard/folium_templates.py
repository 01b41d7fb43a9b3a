"""Compiled Jinja templates for folium/branca, reused instead of compiled again for every map element.

branca (folium's base) wraps each piece of a map it renders -- every ``<script src=...>`` and
``<link ...>`` line of the page header, every element's script -- in a new ``Element(text)``, and
``Element.__init__`` compiles that text as a Jinja template. A finder map compiles hundreds of them on
every build and every ``st_folium`` render: ~10 % of the server's CPU under load (py-spy, issue 9),
mostly for the same few dozen strings. A compiled template is immutable and safe to render from
several threads, so one compiled per distinct text is enough; the cache is bounded (texts that carry
an element's random id are compiled once, used once and fall out).

``install()`` points branca at the cache; it is idempotent and changes nothing else.
"""

from __future__ import annotations

from functools import lru_cache

import branca.element
from jinja2 import Template

MAX_TEMPLATES = 2048


@lru_cache(maxsize=MAX_TEMPLATES)
def compiled(source: str) -> Template:
    """The compiled template for ``source``, compiled once."""
    return Template(source)


def install() -> None:
    """Make branca's ``Element`` compile its template text through the cache."""
    if getattr(branca.element.Template, "__wrapped__", None) is not Template:
        branca.element.Template = _cached_template


def _cached_template(source: str, *args: object, **kwargs: object) -> Template:
    if args or kwargs or not isinstance(source, str):
        return Template(source, *args, **kwargs)  # anything unusual: compiled as branca would
    return compiled(source)


_cached_template.__wrapped__ = Template  # type: ignore[attr-defined]

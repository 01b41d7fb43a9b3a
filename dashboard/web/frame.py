"""The frame every page shares: page style, the always-visible crisis contacts, Markdown escaping, the app's URL."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from dashboard.content import safety
from dashboard.directory.coverage import PUBLIC_LOCATORS


def _action_md(action: safety.CrisisAction) -> str:
    return f"[{action.label}]({action.href})"


def _crisis_lines_md() -> str:
    return "\n".join(
        f"- **{line.name}**: " + " · ".join(_action_md(a) for a in line.actions) for line in safety.CRISIS_LINES
    )


def _crisis_strip_md() -> str:
    """Every call and text action in one short paragraph (the chat link stays in the full list); the
    first line (988) needs no name: its actions say it."""
    parts = []
    for i, line in enumerate(safety.CRISIS_LINES):
        actions = " · ".join(_action_md(a) for a in line.actions if not a.href.startswith("http"))
        parts.append(actions if i == 0 else f"{line.name}: {actions}")
    return "**Need help now?** " + " — ".join(parts)


def _crisis_pinned_md() -> str:
    return "**Need help?** " + " · ".join(_action_md(a) for a in safety.CRISIS_PINNED)


# Phone-first rules shared by every page. Narrow screens are detected by CSS media queries in the browser
# (never by guessing from the server), so a desktop keeps its layout and a phone gets:
# * the crisis strip at the top of every page (the sidebar that holds the full list starts collapsed on
#   narrow screens; the strip also shows on a wide screen whenever the sidebar is collapsed);
# * the crisis contacts pinned in the top bar, one tap away wherever the page is scrolled (shown with the strip);
# * smaller page titles, so the content starts within the first screen.
# Captions get a solid grey instead of Streamlit's faded text (3.9:1 on white) to reach WCAG AA 4.5:1.
PHONE_BREAKPOINT_PX = 768
# The pinned contacts sit in the middle of Streamlit's fixed top bar (between its sidebar and menu buttons), above
# it, out of the page's flow.
PINNED = '[data-testid="stLayoutWrapper"]:has(> .st-key-kcf_crisis_pinned)'
PINNED_SHOWN = (
    "display: flex; align-items: center; justify-content: center; position: fixed; top: 0; left: 3.5rem; "
    "right: 3.5rem; width: auto !important; height: 3.75rem; z-index: 999991;"
)
PAGE_CSS = f"""
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: #555862 !important; }}
[data-testid="stWidgetLabel"] p {{ color: #262730; }}
.st-key-kcf_crisis_strip {{ display: none; }}
.st-key-kcf_crisis_strip [data-testid="stMarkdownContainer"] {{
  border: 2px solid #b00020; border-radius: .5rem; padding: .3rem .6rem; }}
.st-key-kcf_crisis_strip p {{ margin: 0; font-size: .9rem; line-height: 1.45; }}
body:has([data-testid="stSidebar"][data-collapsed="true"]) .st-key-kcf_crisis_strip {{ display: block; }}
{PINNED} {{ display: none; }}
{PINNED} > div {{ width: auto !important; flex: 0 1 auto; background: #fff; border: 2px solid #b00020;
  border-radius: .5rem; padding: .2rem .5rem; }}
{PINNED} p {{ margin: 0; font-size: .8rem; line-height: 1.35; text-align: center; }}
{PINNED} a {{ white-space: nowrap; }}
{PINNED} [data-testid="stMarkdownContainer"] {{ margin-bottom: 0; }}
body:has([data-testid="stSidebar"][data-collapsed="true"]) {PINNED} {{ {PINNED_SHOWN} }}
@media (max-width: {PHONE_BREAKPOINT_PX}px) {{
  .st-key-kcf_crisis_strip {{ display: block; }}
  {PINNED} {{ {PINNED_SHOWN} }}
  h1 {{ font-size: 1.6rem !important; padding-top: .25rem !important; padding-bottom: .25rem !important; }}
  h2 {{ font-size: 1.3rem !important; }}
  [data-testid="stMainBlockContainer"] {{ padding-top: 4rem !important; }}
}}
"""


def page_style() -> None:
    """The shared page CSS (an invisible element: a style-only ``st.html`` takes no room)."""
    st.html(f"<style>{PAGE_CSS}</style>")


def crisis_sidebar() -> None:
    """Crisis contacts in the sidebar of every page, and a compact strip at the top of every page that
    shows on phones (where the sidebar starts collapsed) and whenever the sidebar is collapsed, with the
    contacts also pinned in the top bar (the strip scrolls away with the page)."""
    with st.sidebar:
        st.markdown("**Need help now?**")
        st.markdown(_crisis_lines_md())
    with st.container(key="kcf_crisis_strip"):
        st.markdown(_crisis_strip_md())
    with st.container(key="kcf_crisis_pinned"):
        st.markdown(_crisis_pinned_md())


def crisis_panel() -> None:
    """The crisis panel brought to the front (for example after a suicide-related answer)."""
    st.error(f"**{safety.CRISIS_HEADLINE}**\n\n{_crisis_lines_md()}", icon=":material/call:")


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~:$&")


def md_escape(text: object) -> str:
    """Dataset text as inert Markdown: no links, HTML, emphasis or Streamlit directives can be injected."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", " ")


@functools.lru_cache(maxsize=4)
def stylesheet(name: str) -> str:
    """A style sheet kept beside this module (``finder.css``), read once per process: a page runs from the
    top on every rerun."""
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


def locators_md() -> str:
    """The public locators that cover what the directory may miss, as a Markdown list of links."""
    return "\n".join(f"- [{md_escape(loc.name)}]({loc.url}): {md_escape(loc.covers)}" for loc in PUBLIC_LOCATORS)


def app_url() -> str | None:
    """The app's own address as the visitor's browser sees it (scheme, host, any path prefix), or None."""
    try:
        url = st.context.url
    except Exception:
        return None
    if not url or not url.startswith(("http://", "https://")):
        return None
    from urllib.parse import urljoin

    return urljoin(url, ".")

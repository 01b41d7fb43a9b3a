"""The load benchmark's client speaks Streamlit's websocket protocol and cannot mistake a broken page for a fast one.

One small multipage app (written here) is served by a real ``streamlit run``; the client must run the
page asked for, set widget values, follow an ``st.rerun()``, and report an exception element or an unknown
page as a failed interaction.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import random
import re
import sys
from pathlib import Path

import pytest

from bench.load_servers import Server, cpu_seconds, process_tree, rss_bytes, spawn_server, start_frame
from bench.load_visits import visit
from dashboard.config import PROJECT_ROOT
from dashboard.serving.supervisor import free_port, streamlit_flags
from dashboard.serving.wsclient import Session
from tests.bounds import SERVICE_TIMEOUT_S


def _run_async(coro):
    """``asyncio.run`` in a thread of its own: a browser test in the same worker (Playwright's sync API)
    may have left an event loop running in this thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


PAGES = """
import streamlit as st


def ok():
    st.write("fine")
    st.checkbox("Tick", key="tick")
    st.text_input("Where", key="near")


def broken():
    st.write("about to fail")
    raise ValueError("boom")


def again():
    if not st.session_state.get("again"):
        st.session_state["again"] = True
        st.rerun()
    st.write("after one st.rerun()")


st.navigation(
    [
        st.Page(ok, title="OK", url_path="ok", default=True),
        st.Page(broken, title="Broken", url_path="broken"),
        st.Page(again, title="Again", url_path="again"),
    ]
).run()
"""


@pytest.fixture(scope="module")
def toy_server(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("toy")
    (folder / "toy.py").write_text(PAGES, encoding="utf-8")
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(folder / "toy.py"), *streamlit_flags(port)]
    server: Server = spawn_server("toy", cmd, f"http://127.0.0.1:{port}", {})
    yield server
    server.stop()


def test_runs_pages_sets_widgets_and_catches_broken_pages(toy_server: Server) -> None:
    async def scenario() -> None:
        tab = Session(toy_server.url, timeout=SERVICE_TIMEOUT_S)
        await tab.open("", "near=85719")
        first = await tab.rerun()
        assert first.ok, first
        assert first.status == "finished"
        assert first.elements >= 3
        assert tab.session_id
        assert set(tab.page_hashes) == {"", "broken", "again"}

        tick = tab.widget("tick")
        assert tick is not None
        assert tick.kind == "checkbox"
        assert tick.value is False
        ticked = await tab.rerun(widgets={tick.id: True})
        assert ticked.ok, ticked
        assert tab.widget("tick").value is True

        failed = await tab.rerun(page="broken", query="")
        assert not failed.ok
        assert failed.status == "exception"
        assert failed.detail  # redacted by the project's client.showErrorDetails = "none", but still seen
        assert failed.page == "broken"

        rerun = await tab.rerun(page="again")
        assert rerun.ok, rerun
        assert rerun.page == "again"

        missing = await tab.rerun(page="no-such-page")
        assert not missing.ok
        assert missing.status == "page not found"
        await tab.close()

    _run_async(scenario())


def test_reconnecting_with_the_session_id_resumes_the_same_session(toy_server: Server) -> None:
    async def scenario() -> None:
        tab = Session(toy_server.url, timeout=SERVICE_TIMEOUT_S)
        await tab.open()
        assert (await tab.rerun()).ok
        first_id = tab.session_id
        await tab.reconnect()
        assert (await tab.rerun()).ok
        assert tab.session_id == first_id
        await tab.close()

    _run_async(scenario())


def test_process_measurements_read_proc() -> None:
    me = os.getpid()
    assert me in process_tree(me)
    assert rss_bytes([me]) > 10_000_000
    assert cpu_seconds([me]) > 0


def test_visits_are_a_seeded_mix_of_the_three_pages() -> None:
    visits = [visit(random.Random(i)) for i in range(300)]
    again = [visit(random.Random(i)) for i in range(300)]
    assert visits == again
    first_pages = [v[0].page for v in visits]
    assert all(v[0].action == "open" for v in visits)
    assert 0.5 < first_pages.count("") / len(visits) < 0.7
    assert 0.15 < first_pages.count("intake") / len(visits) < 0.35
    assert 0.05 < first_pages.count("about") / len(visits) < 0.25
    finder_queries = {v[0].query for v in visits if v[0].page == ""}
    assert len(finder_queries) > 50
    assert all(q.startswith("near=") for q in finder_queries)


def test_visits_can_be_restricted_to_one_page() -> None:
    for kind, page in (("finder", ""), ("intake", "intake"), ("about", "about")):
        visits = [visit(random.Random(i), [kind]) for i in range(50)]
        assert {step.page for v in visits for step in v if step.action in ("open", "goto")} == {page}


def test_the_frame_baseline_runs_the_apps_pages_without_their_content() -> None:
    """``--frame`` measures the app's empty frame: it must run, on the same page paths the app has."""
    app_paths = set(re.findall(r'url_path="([^"]+)"', (PROJECT_ROOT / "streamlit_app.py").read_text("utf-8")))
    frame = start_frame()
    try:

        async def scenario() -> None:
            tab = Session(frame.url, timeout=SERVICE_TIMEOUT_S)
            await tab.open("", "near=85719")
            assert (await tab.rerun()).ok
            assert {p or "finder" for p in tab.page_hashes} <= app_paths
            for page in ("intake", "about"):
                result = await tab.rerun(page=page, query="")
                assert result.ok, result
                assert result.page == page
                assert result.elements >= 2  # title and disclaimer (and the sidebar's crisis lines)
            await tab.close()

        _run_async(scenario())
    finally:
        frame.stop()

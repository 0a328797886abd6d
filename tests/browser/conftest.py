"""Real-browser fixtures: a `streamlit run` server and Playwright driving Debian's chromium.

Run with ``python -m pytest -q -m browser tests/browser``. Never ``playwright install``:
the browser is the system ``chromium`` (``apt-get install chromium``). Without it, or
without the ``playwright`` package, every test here is skipped with the reason
(``browserkit.SKIP_REASON``, decided once at import). The helpers live in
``browserkit.py``.
"""

from __future__ import annotations

import pytest

from browserkit import CHROMIUM, LAUNCH_ARGS, ROOT, SKIP_REASON, Server, Tab, sync_playwright


@pytest.fixture(autouse=True)
def _needs_a_browser():
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)


def _serve():
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    server = Server(ROOT)  # with its own database (see browserkit.Server)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app_server():
    """One server for the suite: each browser context is its own Streamlit session."""
    yield from _serve()


@pytest.fixture(scope="module")
def module_server():
    """A server (and database) for one module whose tests change the saved workspace."""
    yield from _serve()


@pytest.fixture
def fresh_server():
    """A server nobody has visited yet (for first-request behaviour)."""
    yield from _serve()


@pytest.fixture(scope="session")
def browser():
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


def _offline_tab(browser, server):
    t = Tab(browser, server.url)
    yield t
    t.close()
    # A request that slipped past a test's own checks still fails the run.
    assert not t.blocked, f"the app tried to reach the internet: {t.blocked}"


@pytest.fixture
def tab(browser, app_server):
    """A fresh browser context (a new Streamlit session), offline."""
    yield from _offline_tab(browser, app_server)


@pytest.fixture
def fresh_tab(browser, fresh_server):
    """As ``tab``, on a server (and database) of its own: an empty workspace."""
    yield from _offline_tab(browser, fresh_server)

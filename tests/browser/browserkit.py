"""Helpers for the real-browser tests (imported by conftest and the test modules).

A uniquely named module, because two ``conftest`` modules cannot both be imported by name.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES_DIR = ROOT / "pages"

# ------------------------------------------------------------------ module-level availability check

CHROMIUM = shutil.which("chromium")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the browser requirements are optional for the default run
    sync_playwright = None

if sync_playwright is None:
    SKIP_REASON = "playwright is not installed (pip install -r requirements-browser.txt)"
elif CHROMIUM is None:
    SKIP_REASON = "Debian's chromium is not on PATH (apt-get install chromium); never `playwright install`"
else:
    SKIP_REASON = None

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 60
RENDER_TIMEOUT_MS = 45_000
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# URL path of every page (Streamlit derives it from the st.Page file name; the default page is "/").
PAGE_PATHS = {"overview": "", "involvement": "involvement", "co_creation": "co_creation",
              "connections": "connections", "community": "community", "vanity_vs_real": "vanity_vs_real",
              "pyramid": "pyramid", "data": "data", "settings": "settings", "share": "share"}

# Console errors that are not the app's fault, each with why it is harmless.
KNOWN_HARMLESS_CONSOLE = [
    # On a deep link (/connections) Streamlit's client first probes the server endpoints relative to the
    # page path, gets 404, then finds them at the root. The page works; only the probe is logged.
    re.compile(r"^https?://[^/]+/[A-Za-z0-9_]+/_stcore/(health|host-config)$"),
]


def page_title(name: str) -> str:
    """The h1 a page shows: its first ``st.title("...")`` (read from the page file so a retitle needs no edit
    here), or for a pillar page the pillar's name."""
    text = (PAGES_DIR / f"{name}.py").read_text(encoding="utf-8")
    m = re.search(r'st\.title\(\s*"([^"]+)"', text)
    if m:
        return m.group(1)
    from harness import targets

    assert name in targets.PILLARS, f"pages/{name}.py has no st.title"
    return targets.PILLARS[name]  # a pillar page is titled by ui.pillar_header, with the pillar's name


# ------------------------------------------------------------------ the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` in its own process group, stopped by killing that group."""

    def __init__(self, cwd: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
        # Each server saves workspaces in its own database, so no test sees another server's uploads.
        self.db = Path(tempfile.mkdtemp(prefix="hc-db-")) / "app.sqlite"
        env = {"HC_DATABASE_URL": f"sqlite:///{self.db}", **(env or {})}
        self.proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.25)
        self.stop()
        pytest.fail(f"streamlit did not become healthy on {self.url}:\n{self.output()}")

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
            except ProcessLookupError:
                pass
        self.log.close()
        os.unlink(self.log.name)


# ------------------------------------------------------------------ the browser


class Tab:
    """A page in a fresh, offline browser context, with everything worth failing on recorded."""

    def __init__(self, browser, base_url: str):
        self.base_url = base_url
        self.blocked: list[str] = []
        self.console: list = []  # (type, text, url)
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(RENDER_TIMEOUT_MS)
        self.page.on("console", lambda m: self.console.append((m.type, m.text, m.location.get("url", ""))))
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    # -------------------------------------------------------------- navigation

    def goto(self, name: str) -> None:
        self.page.goto(f"{self.base_url}/{PAGE_PATHS[name]}")
        self.wait_for_title(name)

    def click_nav(self, name: str) -> None:
        """Switch page inside the same session, as a user does (a reload would start a new session)."""
        path = PAGE_PATHS[name]
        self.page.locator(f'[data-testid=stSidebarNav] a[href="{self.base_url}/{path}"]').click()
        self.wait_for_title(name)

    def wait_for_title(self, name: str) -> None:
        title = page_title(name)
        self.page.locator("h1").filter(has_text=title).first.wait_for()
        self.settle()

    def settle(self, quiet_s: float = 0.8, timeout_s: float = 30) -> None:
        """Wait until the script has finished and the DOM (charts draw after the run) stops changing."""
        self.page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
        last, since, deadline = None, time.monotonic(), time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            now = self.page.evaluate(_SNAPSHOT_JS)
            if now != last:
                last, since = now, time.monotonic()
            elif now[0] == "notRunning" and time.monotonic() - since >= quiet_s:
                return
            time.sleep(0.15)
        raise AssertionError(f"the page kept changing for {timeout_s}s: {last}")

    # -------------------------------------------------------------- checks

    def unexpected_console_errors(self) -> list[str]:
        bad = []
        for kind, text, url in self.console:
            if kind != "error":
                continue
            if text.startswith("Failed to load resource") and any(p.match(url) for p in KNOWN_HARMLESS_CONSOLE):
                continue
            bad.append(f"{text} ({url})")
        return bad

    def assert_clean(self) -> None:
        """Offline, no dialogs, no uncaught errors, no console errors beyond the known-harmless list."""
        assert not self.blocked, f"the app tried to reach the internet: {self.blocked}"
        assert not self.dialogs, f"a dialog opened: {self.dialogs}"
        assert not self.page_errors, f"uncaught errors in the page: {self.page_errors}"
        assert not self.unexpected_console_errors(), self.unexpected_console_errors()

    def close(self) -> None:
        self.context.close()


_SNAPSHOT_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const charts = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')];
  return [app && app.getAttribute('data-test-script-state'),
          document.querySelectorAll('[data-testid=stElementContainer]').length,
          charts.length,
          charts.filter(c => c.querySelector('canvas, svg')).length,
          document.querySelectorAll('iframe').length,
          document.querySelectorAll('[data-stale=true]').length];
}"""




def network_frame(page):
    """The frame that draws the referral network: inside the sandboxed iframe that ``graphview.sandboxed``
    puts inside Streamlit's ``st.iframe``."""
    outer = page.locator("iframe[data-testid=stIFrame]").first
    outer.wait_for()
    # Chromium does not draw an opaque-origin frame while it is off screen; on a page with more above the
    # graph (the follower question, say) it starts below the fold, so scroll to it as a person would.
    outer.scroll_into_view_if_needed()
    inner = outer.element_handle().content_frame().locator("iframe[sandbox]").first
    inner.wait_for(state="attached")
    return inner.element_handle().content_frame()

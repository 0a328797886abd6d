"""A confirmed or changed community-activity proposal survives a reload and a new browser session (issue 12).

Real Chromium against its own server and database: the charity's exports are uploaded on the Data page, the
quiz night's proposal ("not a community activity") is changed with one click on the Wider community page, then
the page is reloaded (a new Streamlit session in the same browser) and opened in a new browser context.
"""

from __future__ import annotations

import pytest

from browserkit import PAGE_PATHS, ROOT, Tab

pytestmark = pytest.mark.browser

FILES = sorted(p for p in (ROOT / "tests" / "fixtures" / "charity").iterdir() if p.suffix in (".csv", ".xlsx"))


def _open(tab: Tab, name: str, title: str) -> None:
    tab.page.goto(f"{tab.base_url}/{PAGE_PATHS[name]}")
    tab.page.locator("h1").filter(has_text=title).first.wait_for()
    tab.settle()


def _event(tab: Tab, name: str):
    return tab.page.locator("[data-testid=stLayoutWrapper]").filter(has_text=name).filter(
        has=tab.page.get_by_role("button")).last


def test_a_changed_proposal_survives_reload_and_a_new_session(browser, module_server):
    tab = Tab(browser, module_server.url)
    try:
        _open(tab, "data", "Your data")
        tab.page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files([str(f) for f in FILES])
        tab.page.get_by_text("What we found in your uploads").wait_for()
        tab.settle()
        _open(tab, "community", "Wider community")
        quiz = _event(tab, "Supporter quiz night")
        assert "Proposed: not counted" in quiz.inner_text()
        quiz.get_by_role("button", name="Change: count it").click()
        tab.settle()
        assert "Changed: counted" in _event(tab, "Supporter quiz night").inner_text()

        tab.page.reload()
        tab.page.locator("h1").filter(has_text="Wider community").first.wait_for()
        tab.settle()
        assert "Changed: counted" in _event(tab, "Supporter quiz night").inner_text()
        tab.assert_clean()
    finally:
        tab.close()

    other = Tab(browser, module_server.url)  # a new browser context: nothing shared but the server's database
    try:
        _open(other, "community", "Wider community")
        assert "Changed: counted" in _event(other, "Supporter quiz night").inner_text()
        assert "Proposed: counted" in _event(other, "Harbour clean-up day with Seaside Rotary").inner_text()
        other.assert_clean()
    finally:
        other.close()

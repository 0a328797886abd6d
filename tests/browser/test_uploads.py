"""Uploads in real Chromium: a second Follows.csv with different contents is kept beside the first.

Meta names every per-metric file after its metric, so two pages' Follows.csv share a name. The Data page
keeps both (the new one listed as "Follows.csv (2)" with its own dates) until the user replaces the first.
"""

from __future__ import annotations

import pytest

from browserkit import ROOT, Tab

pytestmark = pytest.mark.browser

SOCIAL = ROOT / "tests" / "fixtures" / "social"
FORMS = ROOT / "tests" / "fixtures" / "people" / "languages" / "Portes ouvertes (réponses) - Réponses au formulaire 1.csv"
OTHER_PAGE = ('sep=,\n"Facebook follows"\n"Date","Primary"\n"2025-10-01T00:00:00","5"\n'
              '"2025-10-02T00:00:00","7"\n').encode("utf-16")


def test_two_follows_files_are_both_kept_until_one_is_replaced(browser, fresh_server, tmp_path):
    tab = Tab(browser, fresh_server.url)
    try:
        tab.goto("data")
        drop = tab.page.locator("[data-testid=stFileUploaderDropzoneInput]")
        drop.set_input_files(str(SOCIAL / "Follows.csv"))
        tab.page.get_by_text("What we found in your uploads").wait_for()
        tab.settle()
        drop.set_input_files([
            {"name": "Follows.csv", "mimeType": "text/csv", "buffer": OTHER_PAGE},
            {"name": FORMS.name, "mimeType": "text/csv", "buffer": FORMS.read_bytes()},
        ])
        tab.page.get_by_text("so both are kept").wait_for()
        tab.settle()
        main = tab.page.locator("[data-testid=stMain]").inner_text()
        assert "Follows.csv (2)" in main, main
        assert tab.page.get_by_role("button", name="Keep both").count() == 1
        tab.page.screenshot(path=str(tmp_path / "data_two_follows.png"), full_page=True)
        tab.page.get_by_role("button", name="Replace the earlier Follows.csv").click()
        tab.page.wait_for_function(
            "() => !document.querySelector('[data-testid=stMain]').innerText.includes('so both are kept')")
        tab.settle()
        main = tab.page.locator("[data-testid=stMain]").inner_text()
        assert "Follows.csv (2)" not in main
        tab.assert_clean()
    finally:
        tab.close()
    assert not tab.blocked, f"the app tried to reach the internet: {tab.blocked}"

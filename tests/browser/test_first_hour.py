"""A newcomer's first hour in Chromium: the checklist, a proposed mapping, a charity's exports on every page.

Run: ``python -m pytest -m browser tests/browser/test_first_hour.py -q``. Screenshots of what a newcomer
sees are saved under docs/screenshots/ (1400 px and 390 px wide) for people to look at.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from browserkit import ROOT, Tab, page_title
from test_pages import open_every_expander as open_expanders

sys.path.insert(0, str(ROOT))
from tests.readability import problems  # noqa: E402
from tests.test_readable import CHARITY_FILES  # noqa: E402

pytestmark = pytest.mark.browser

FIX = ROOT / "tests" / "fixtures"
SHOTS = ROOT / "docs" / "screenshots"
PAGES = ["overview", "involvement", "co_creation", "connections", "community", "vanity_vs_real", "pyramid",
         "data", "settings", "share"]
PILLAR_PAGES = ["involvement", "co_creation", "connections", "community"]

GRID_TEXT_JS = """() => [...document.querySelectorAll('[data-testid=stDataFrame]')].map(g =>
  [...g.querySelectorAll('[role=columnheader], [role=gridcell]')].map(c => c.textContent).join(' | ')).join('\\n')"""


def shoot(tab: Tab, name: str, width: int = 1400, folder: Path = SHOTS) -> Path:
    """A screenshot of the whole main column at ``width`` (Streamlit scrolls inside its main block)."""
    page = tab.page
    page.set_viewport_size({"width": width, "height": 1000})
    tab.settle(quiet_s=0.6)
    height = page.evaluate("() => Math.max(document.querySelector('[data-testid=stMain]').scrollHeight, 800)")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 7000)})
    tab.settle(quiet_s=0.8)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (f"{name}.png" if width == 1400 else f"{name}_{width}.png")
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    tab.settle(quiet_s=0.4)
    return path


def page_text(tab: Tab) -> str:
    main = tab.page.locator("[data-testid=stMain]").inner_text()
    side = tab.page.locator("[data-testid=stSidebar]").inner_text()
    return "\n".join([main, side, tab.page.evaluate(GRID_TEXT_JS)])


def upload(tab: Tab, *paths: Path) -> None:
    tab.page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files([str(p) for p in paths])
    tab.page.get_by_text("What we found in your uploads").wait_for()
    tab.settle()


def test_first_run_checklist_ticks_and_says_what_each_file_unlocked(fresh_tab):
    tab = fresh_tab
    tab.goto("data")
    main = tab.page.locator("[data-testid=stMain]")
    checklist = main.get_by_text("Your first hour: the files to fetch")
    checklist.wait_for()
    text = main.inner_text()
    for item in ("Posts from each platform", "Your enquiry or sign-up form", "Your events"):
        assert item in text, text
    for platform in ("Meta Business Suite", "LinkedIn", "X", "TikTok Studio", "YouTube Studio", "Google Forms",
                     "Eventbrite"):
        assert platform in text, platform
    shoot(tab, "first_run")
    shoot(tab, "first_run", 390)

    upload(tab, FIX / "people" / "community_log.csv")
    text = main.inner_text()
    assert "Wider community can now be scored" in text, text
    assert "fictional sample" not in tab.page.locator("[data-testid=stSidebar]").inner_text()
    assert "You are looking at the fictional sample school" not in text
    tab.assert_clean()


def test_a_file_nobody_recognises_gets_a_proposed_mapping_and_loads_with_one_click(fresh_tab):
    tab = fresh_tab
    tab.goto("data")
    upload(tab, FIX / "guess" / "luma_guests.csv")
    main = tab.page.locator("[data-testid=stMain]")
    card = main.get_by_text("We think luma_guests.csv holds")
    card.wait_for()
    text = page_text(tab)
    assert "people getting involved" in text and "When it happened" in text and "Who (email or name)" in text
    # The card's own words carry no field names (the "Your column" cells are the file's own headers).
    assert not [p for p in problems(main.inner_text(), "mapping card") if "field name" in p], main.inner_text()
    shoot(tab, "mapping")
    shoot(tab, "mapping", 390)

    # Pending files survive a reload (a new session on the same saved workspace).
    tab.page.reload()
    tab.wait_for_title("data")
    main.get_by_text("We think luma_guests.csv holds").wait_for()

    main.get_by_role("button", name="Load it like this").click()
    tab.settle()
    main.get_by_text("luma_guests.csv is loaded").wait_for()
    assert main.get_by_text("We think luma_guests.csv holds").count() == 0
    assert tab.page.locator("[data-testid=stAlertContentError]").count() == 0
    tab.assert_clean()


@pytest.mark.parametrize("name, data", [
    ("empty.csv", b""),
    ("chart.csv", bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")),
])
def test_files_that_are_not_tables_are_refused_without_a_card(fresh_tab, tmp_path, name, data):
    tab = fresh_tab
    path = tmp_path / name
    path.write_bytes(data)
    tab.goto("data")
    upload(tab, path)
    main = tab.page.locator("[data-testid=stMain]")
    errors = tab.page.locator("[data-testid=stAlertContentError]").all_inner_texts()
    assert any(name in e for e in errors), errors
    assert main.get_by_text("Tell us what these columns mean").count() == 0
    assert main.get_by_text(f"We think {name} holds").count() == 0


def test_a_charitys_exports_read_without_help_on_every_page(fresh_tab):
    tab = fresh_tab
    tab.goto("data")
    upload(tab, *[FIX / f for f in CHARITY_FILES])
    found = problems(page_text(tab), "data")
    for name in PAGES:
        if name != "data":
            tab.click_nav(name)
        open_expanders(tab)
        assert tab.page.locator("[data-testid=stException]").count() == 0, name
        found += problems(page_text(tab), name)
        if name in ["overview"] + PILLAR_PAGES:
            shoot(tab, name)
            shoot(tab, name, 390)
    assert found == [], "\n".join(found)
    tab.assert_clean()


def test_after_a_custom_date_range_the_next_navigation_click_is_not_swallowed(fresh_tab):
    tab = fresh_tab
    tab.goto("overview")
    side = tab.page.locator("[data-testid=stSidebar]")
    side.locator("[data-testid=stSelectbox]").filter(has_text="Period").click()
    tab.page.get_by_role("option", name="Custom dates").click()
    tab.settle()
    day = side.get_by_role("spinbutton", name="day, From")
    day.click()
    tab.page.keyboard.type("01")
    # The next thing the person does is click a page in the navigation, without pressing Enter first.
    side.evaluate("e => e.querySelector('[data-testid=stSidebarContent]').scrollTo(0, 0)")
    tab.page.locator(f'[data-testid=stSidebarNav] a[href="{tab.base_url}/involvement"]').click()
    tab.page.locator("h1").filter(has_text=page_title("involvement")).first.wait_for(timeout=15_000)
    tab.settle()
    tab.assert_clean()

"""Publish a review in one browser, open its link in a fresh one: frozen scores, nothing to edit, no names.

The second context shares nothing with the first (no cookies, no session), as
when a principal opens the link on another machine.
"""

from __future__ import annotations

import re

import pytest

from browserkit import Tab

pytestmark = pytest.mark.browser

SCORE = re.compile(r"^(\d+/100|no data)$")
PILLARS = ("Involvement", "Co-creation", "Connections of connections", "Wider community")


def metric_values(tab: Tab) -> dict[str, str]:
    out = {}
    for m in tab.page.locator("[data-testid=stMetric]").all():
        label = m.locator("[data-testid=stMetricLabel]").inner_text().strip()
        out[label] = m.locator("[data-testid=stMetricValue]").inner_text().strip()
    return out


def sample_people() -> set[str]:
    from harness.loading import load_sample

    ds, _ = load_sample()
    names = set(ds["involvement"]["person"].dropna().astype(str))
    names |= set(ds["referrals"]["referrer"].dropna().astype(str)) | set(ds["referrals"]["referred"].dropna().astype(str))
    return {n for n in names if len(n) >= 5}


def publish(tab: Tab, commentary: str, passcode: str = "") -> str:
    tab.goto("share")
    tab.page.get_by_label("Commentary for leadership").fill(commentary)
    if passcode:
        tab.page.get_by_role("textbox", name="Passcode (optional)").fill(passcode)
    tab.page.get_by_role("button", name="Publish review").click()
    code = tab.page.locator("[data-testid=stCode] code").first
    code.wait_for()
    tab.settle()
    return code.inner_text().strip()


def test_published_link_opens_read_only_in_a_fresh_browser(browser, module_server):
    staff = Tab(browser, module_server.url)
    try:
        staff.goto("overview")
        expected = {k: v for k, v in metric_values(staff).items() if k in PILLARS}
        link = publish(staff, "Open mornings worked.\n\nNext: ask parents to bring a friend.")
        staff.assert_clean()
    finally:
        staff.close()
    assert link.startswith(module_server.url + "/?review=")
    assert len(expected) == 4 and all(SCORE.match(v) for v in expected.values()), expected

    leader = Tab(browser, module_server.url)
    try:
        leader.page.goto(link)
        leader.page.locator("h1").first.wait_for()
        leader.settle()
        page = leader.page
        shown = metric_values(leader)
        assert {k: shown.get(k) for k in PILLARS} == expected
        text = page.locator("[data-testid=stMain]").inner_text()
        assert "Open mornings worked." in text and "From the team" in text
        # nothing to edit: no upload, no inputs, no navigation to the workspace, no sidebar
        assert page.locator("input[type=file]").count() == 0
        assert page.locator("[data-testid=stMain] input, [data-testid=stMain] textarea").count() == 0
        assert page.locator("[data-testid=stSidebarNav]").count() == 0
        assert page.locator("[data-testid=stSidebar]").count() == 0 or not page.locator(
            "[data-testid=stSidebar]").inner_text().strip()
        buttons = [b.strip() for b in page.locator("[data-testid=stMain] button").all_inner_texts()]
        assert [b for b in buttons if b and "Download this review" not in b and b != "How each score was worked out"] == []
        # pseudonymised by default: the connectors are "Person …", no real name anywhere on the page
        cells = page.evaluate("() => [...document.querySelectorAll('[role=gridcell]')].map(c => c.textContent)")
        assert any(c.startswith("Person ") for c in cells), cells
        everything = text + "\n".join(cells)
        leaked = sorted(n for n in sample_people() if n in everything)
        assert leaked == []
        leader.assert_clean()
    finally:
        leader.close()


def test_wrong_link_and_passcode_in_a_real_browser(browser, module_server):
    staff = Tab(browser, module_server.url)
    try:
        link = publish(staff, "Private figures", passcode="tea and biscuits")
    finally:
        staff.close()
    leader = Tab(browser, module_server.url)
    try:
        leader.page.goto(link[:-4] + "AAAA")
        leader.page.get_by_role("heading", name="Review not found").wait_for()
        leader.page.goto(link)
        leader.page.get_by_role("heading", name="This review needs a passcode").wait_for()
        assert leader.page.locator("[data-testid=stMetric]").count() == 0
        leader.page.get_by_role("textbox", name="Passcode", exact=True).fill("tea and biscuits")
        leader.page.get_by_role("button", name="Open the review").click()
        leader.page.get_by_text("Private figures").wait_for()
        leader.settle()
        assert leader.page.locator("[data-testid=stMetric]").count() >= 4
        leader.assert_clean()
    finally:
        leader.close()


def _try_passcode(browser, server, link: str, passcode: str) -> dict:
    """One fresh browser context (a new Streamlit session, no cookies): open the link, type ``passcode`` once."""
    tab = Tab(browser, server.url)
    try:
        tab.page.goto(link)
        tab.page.locator("h1").first.wait_for()
        tab.settle()
        tab.page.get_by_role("textbox", name="Passcode", exact=True).fill(passcode)
        tab.page.get_by_role("button", name="Open the review").click()
        tab.page.wait_for_timeout(300)
        tab.settle()
        main = tab.page.locator("[data-testid=stMain]")
        seen = {"title": tab.page.locator("h1").first.inner_text().strip(), "text": main.inner_text(),
                "metrics": tab.page.locator("[data-testid=stMetric]").count()}
        tab.assert_clean()
        return seen
    finally:
        tab.close()


def test_eleven_wrong_passcodes_in_fresh_browsers_then_the_right_one_sees_the_lock(browser, module_server):
    staff = Tab(browser, module_server.url)
    try:
        link = publish(staff, "Figures behind a passcode", passcode="tea and biscuits")
    finally:
        staff.close()
    seen = [_try_passcode(browser, module_server, link, f"guess number {i}") for i in range(11)]
    assert [s["title"] for s in seen] == ["This review needs a passcode"] * 9 + ["This review is locked for now"] * 2
    assert all("That passcode is not right" in s["text"] for s in seen[:9])
    right = _try_passcode(browser, module_server, link, "tea and biscuits")
    assert right["title"] == "This review is locked for now", right["title"]
    assert "not even the right one" in right["text"] and "UTC" in right["text"]
    assert right["metrics"] == 0 and "Figures behind a passcode" not in right["text"]
    assert all(s["metrics"] == 0 for s in seen)

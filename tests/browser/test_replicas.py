"""Two app processes on one PostgreSQL database see the same workspace and the same review links.

Needs ``TEST_DATABASE_URL`` (``eval "$(bash .ci/postgres.sh)"``, as ``.ci/run`` does); each run gets its own
schema on that server and drops it afterwards.
"""

from __future__ import annotations

import pytest

from browserkit import ROOT, Server, Tab
from test_review_link import metric_values, publish

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "social" / "tweet_activity_metrics_HillSchool_20241020_20241027_en.csv"


@pytest.fixture
def two_replicas(pg_url):
    servers = []
    try:
        servers = [Server(ROOT, env={"HC_DATABASE_URL": pg_url}) for _ in range(2)]
        yield servers
    finally:
        for s in servers:
            s.stop()


def test_upload_on_one_replica_shows_on_the_other_and_its_review_link_works_there(browser, two_replicas):
    a, b = two_replicas
    staff = Tab(browser, a.url)
    try:
        staff.goto("data")
        staff.page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(FIXTURE))
        staff.page.get_by_text("What we found in your uploads").wait_for()
        staff.settle()
        link = publish(staff, "Published on replica A")
        staff.assert_clean()
    finally:
        staff.close()

    other = Tab(browser, b.url)
    try:
        other.goto("data")
        side = other.page.locator("[data-testid=stSidebar]").inner_text()
        assert "1 file, saved" in side and "fictional sample" not in side, side
        cells = other.page.evaluate("() => [...document.querySelectorAll('[role=gridcell]')].map(c => c.textContent)")
        assert FIXTURE.name in cells, cells
        other.page.goto(link.replace(a.url, b.url))
        other.page.get_by_text("Published on replica A").wait_for()
        other.settle()
        assert len([k for k in metric_values(other) if k in ("Involvement", "Wider community")]) == 2
        other.assert_clean()
    finally:
        other.close()


def test_wrong_passcodes_on_two_replicas_add_up_to_one_lock(browser, two_replicas):
    """Five wrong passcodes through each replica, each in a fresh browser: the tenth locks the link on both."""
    from test_review_link import _try_passcode

    a, b = two_replicas
    staff = Tab(browser, a.url)
    try:
        link = publish(staff, "Guarded on two replicas", passcode="tea and biscuits")
    finally:
        staff.close()
    on_b = link.replace(a.url, b.url)
    seen = [_try_passcode(browser, server, url, f"guess number {i}")["title"]
            for i in range(5) for server, url in ((a, link), (b, on_b))]
    assert seen == ["This review needs a passcode"] * 9 + ["This review is locked for now"]
    for server, url in ((a, link), (b, on_b)):
        right = _try_passcode(browser, server, url, "tea and biscuits")
        assert right["title"] == "This review is locked for now" and right["metrics"] == 0

"""Every page in real Chromium on the sample school, deep links, an upload, and the offline network.

Each test opens its own browser context (its own Streamlit session) with all
non-local requests blocked; ``Tab.assert_clean`` fails the test if any was
attempted, a dialog opened, or the console logged an error not on the
known-harmless list in conftest.
"""

from __future__ import annotations

import re

import pytest

import browserkit
from browserkit import PAGE_PATHS, ROOT, Tab, page_title

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "social" / "tweet_activity_metrics_HillSchool_20241020_20241027_en.csv"
# Charts on the sample school with every expander open (one per pillar in the 'how it was scored' panels).
MIN_CHARTS = {"overview": 4, "involvement": 5, "co_creation": 2, "connections": 1, "community": 2,
              "vanity_vs_real": 3, "pyramid": 1}
SHOWING = re.compile(r"Showing ([\d,]+) of ([\d,]+) people")

# Per chart: drawn at a visible size, as canvas pixels or SVG marks (vega puts marks in g.mark-* groups).
CHARTS_JS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(c => {
  const r = c.getBoundingClientRect();
  const canvas = [...c.querySelectorAll('canvas')].filter(x => x.width > 0 && x.height > 0).length;
  const marks = c.querySelectorAll('svg g[class*="mark-"] > path, svg g[class*="mark-"] > line,'
                                   + ' svg g[class*="mark-"] > rect, svg g[class*="mark-"] > g').length;
  return {w: r.width, h: r.height, canvas: canvas, marks: marks};
})"""


def open_every_expander(tab: Tab) -> None:
    """Open the 'how this was scored' panels too, so the charts inside them are judged (they nest)."""
    for _ in range(3):
        closed = tab.page.locator("[data-testid=stMain] [data-testid=stExpander] details:not([open]) > summary")
        handles = closed.element_handles()  # fixed handles: the locator's matches shrink as panels open
        if not handles:
            return
        for summary in handles:
            summary.click()
        tab.settle(quiet_s=0.5)


def sidebar_text(tab: Tab) -> str:
    return tab.page.locator("[data-testid=stSidebar]").inner_text()


def grid_cells(tab: Tab, nth: int = 0) -> list[str]:
    """Text of the visible cells of the nth st.dataframe (glide-data-grid keeps an accessible table)."""
    return tab.page.evaluate(
        "n => [...document.querySelectorAll('[data-testid=stDataFrame]')[n].querySelectorAll('[role=gridcell]')]"
        ".map(c => c.textContent)", nth)


@pytest.mark.parametrize("name", list(PAGE_PATHS))
def test_page_renders_by_url_on_the_sample(tab, name):
    tab.goto(name)
    page = tab.page
    assert page.locator("[data-testid=stException]").count() == 0, page.locator("[data-testid=stException]").first.inner_text()
    errors = page.locator("[data-testid=stAlertContentError]")
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.locator("h1").first.inner_text().strip() == page_title(name)
    assert "fictional sample" in sidebar_text(tab)
    open_every_expander(tab)
    charts = page.evaluate(CHARTS_JS)
    # A floor per page keeps the loop below from passing vacuously if charts stopped being found at all.
    assert len(charts) >= MIN_CHARTS.get(name, 0), charts
    for i, chart in enumerate(charts):
        assert chart["w"] > 0 and chart["h"] > 0, f"chart {i} on {name} has no size: {chart}"
        assert chart["canvas"] or chart["marks"], f"chart {i} on {name} drew nothing: {chart}"
    tab.assert_clean()


def test_deep_link_on_a_fresh_server_gets_the_app_sidebar(browser, fresh_server):
    # The very first request to this server is the deep link (ui/frame.py leaves legacy multipage mode).
    tab = Tab(browser, fresh_server.url)
    try:
        tab.goto("connections")
        side = tab.page.locator("[data-testid=stSidebar]")
        assert side.locator("[data-testid=stSelectbox]").filter(has_text="Period").count() == 1, side.inner_text()
        nav = [a.inner_text().strip() for a in side.locator("[data-testid=stSidebarNav] a").all()]
        assert any("Overview" in x for x in nav) and not any("shared" in x for x in nav), nav
        tab.assert_clean()
    finally:
        tab.close()


def test_upload_through_the_file_input_replaces_the_sample(browser, fresh_server):
    tab = Tab(browser, fresh_server.url)
    try:
        _upload_and_check(tab)
    finally:
        tab.close()
    assert not tab.blocked, f"the app tried to reach the internet: {tab.blocked}"


def _upload_and_check(tab):
    from harness.dataset import combine
    from harness.ingest import ingest_bytes
    from harness.periods import default_period

    tab.goto("data")
    tab.page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(FIXTURE))
    tab.page.get_by_text("What we found in your uploads").wait_for()
    tab.settle()
    cells = grid_cells(tab, 0)
    assert cells[:2] == [FIXTURE.name, "loaded"], cells
    assert any("X (Twitter)" in c for c in cells), cells
    assert tab.page.locator("[data-testid=stAlertContentError]").count() == 0

    tab.click_nav("overview")
    side = sidebar_text(tab)
    assert "fictional sample" not in side and "1 file, saved" in side, side
    # The Overview's period is the one the uploaded file covers, worked out here without the app.
    expected = default_period(combine([r for r in ingest_bytes(FIXTURE.name, FIXTURE.read_bytes()) if r.ok]))
    subheads = tab.page.locator("h2, h3").all_inner_texts()
    assert expected.label() in [s.strip() for s in subheads], (expected.label(), subheads)
    tab.assert_clean()


NETWORK_JS = """() => {
  const c = document.querySelector('#net canvas');
  if (!c || !window.referralNetworkDrawnAt) return null;
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4 * 7) if (px[i + 3] > 0 && (px[i] < 230 || px[i + 1] < 230 || px[i + 2] < 230)) ink++;
  return {w: c.width, h: c.height, ink: ink, shown: document.getElementById('shown').textContent,
          vis: typeof window.vis};
}"""


def network_frame(tab: Tab):
    return browserkit.network_frame(tab.page)


def test_network_draws_offline_and_says_how_many_are_shown(tab):
    tab.goto("connections")
    frame = network_frame(tab)
    frame.wait_for_function("() => window.referralNetworkDrawnAt !== undefined")
    drawn = frame.evaluate(NETWORK_JS)
    assert drawn and drawn["w"] > 0 and drawn["h"] > 0, drawn
    assert drawn["ink"] > 50, f"the network canvas is blank: {drawn}"
    inside = SHOWING.search(drawn["shown"])
    outside = SHOWING.search(" ".join(tab.page.locator("[data-testid=stCaptionContainer]").all_inner_texts()))
    assert inside and outside, (drawn["shown"], "caption missing")
    assert inside.groups() == outside.groups()
    shown, total = (int(x.replace(",", "")) for x in outside.groups())
    assert 0 < shown <= total
    tab.assert_clean()

"""Screenshots of the charity's exports (tests/fixtures/charity) at 1400 and 390 px wide (issue 12).

    python docs/screenshots/take_charity.py

Starts its own `streamlit run app.py` with a fresh database (tests/browser/browserkit.Server), uploads the
charity's files on the Data page in headless Debian chromium, and saves full-page PNGs here:
charity_community_<w>.png (derived activities and the confirm step), charity_co_creation_<w>.png (the story
form's contributions and what each source counts), charity_partial_card_<w>.png (a partial score's card).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browserkit import CHROMIUM, LAUNCH_ARGS, PAGE_PATHS, Server, Tab, sync_playwright  # noqa: E402

TITLES = {"data": "Your data", "community": "Wider community", "co_creation": "Co-creation",
          "involvement": "Involvement"}


def open_page(tab: Tab, name: str) -> None:
    """A page by its address (a new session on the same saved workspace), once its title is drawn."""
    tab.page.goto(f"{tab.base_url}/{PAGE_PATHS[name]}")
    tab.page.locator("h1").filter(has_text=TITLES[name]).first.wait_for()
    tab.settle()

FILES = sorted(p for p in (ROOT / "tests" / "fixtures" / "charity").iterdir()
               if p.suffix in (".csv", ".xlsx"))


def shoot(tab: Tab, name: str, width: int, path: Path, partial: bool = False) -> None:
    """The whole page (the viewport grown to the page's height: Streamlit scrolls inside stMain), or for
    ``partial`` the pillar's card down to its "From N of M measures" box."""
    tab.page.set_viewport_size({"width": width, "height": 1000})
    open_page(tab, name)
    height = tab.page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    tab.page.set_viewport_size({"width": width, "height": height + 40})
    tab.settle()
    if not partial:
        tab.page.screenshot(path=str(path))
        return
    card = tab.page.locator("[data-testid=stMetric]").first.bounding_box()
    box = tab.page.locator("[data-testid=stLayoutWrapper]").filter(has_text="From 2 of 4 measures").last.bounding_box()
    top = max(0, card["y"] - 24)
    tab.page.screenshot(path=str(path), clip={"x": 0, "y": top, "width": width,
                                              "height": box["y"] + box["height"] + 24 - top})


def main() -> None:
    server = Server(ROOT)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            tab = Tab(browser, server.url)
            open_page(tab, "data")
            tab.page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files([str(f) for f in FILES])
            tab.page.get_by_text("What we found in your uploads").wait_for()
            tab.settle()
            for width in (1400, 390):
                for name in ("community", "co_creation"):
                    shoot(tab, name, width, HERE / f"charity_{name}_{width}.png")
                shoot(tab, "involvement", width, HERE / f"charity_partial_card_{width}.png", partial=True)
            tab.assert_clean()
            tab.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()

"""Screenshots of every view, of the sample school and of a charity's own exports, at 1400 and 390 px wide.

    python docs/screenshots/take_charity.py                 # the README's set (see below), saved here
    python docs/screenshots/take_charity.py --all /tmp/shots  # every view of both workspaces, at both widths

Starts its own `streamlit run app.py` with a fresh database (tests/browser/browserkit.Server) and drives headless
Debian chromium. The sample school: <view>.png at 1400 px (README's "The views" table) and <view>_390.png.
The charity: uploads tests/fixtures/charity (plus, with --all, a few exports in other languages) on the Data page,
then charity_community_<w>.png, charity_co_creation_<w>.png and charity_partial_card_<w>.png (a partial score's
card down to its "From N of M measures" box). Each run also publishes a review and shoots its link, with its
"How each score was worked out" table open (review.png, review_390.png).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from browserkit import CHROMIUM, LAUNCH_ARGS, PAGE_PATHS, Server, Tab, page_title, sync_playwright  # noqa: E402

VIEWS = list(PAGE_PATHS)  # overview, the four pillars, vanity_vs_real, pyramid, data, settings, share
FIXTURES = ROOT / "tests" / "fixtures"
CHARITY = sorted(p for p in (FIXTURES / "charity").iterdir() if p.suffix in (".csv", ".xlsx"))
# Exports in other languages a charity might add to its own (the --all set)
OTHER_LANGUAGES = [FIXTURES / "social_i18n" / "instagram_posts_pt.csv",
                   FIXTURES / "social_i18n" / "facebook_posts_excel_pt.csv",
                   FIXTURES / "people" / "languages" / "Tag der offenen Tür.csv",
                   FIXTURES / "people" / "languages" / "Portes ouvertes (réponses) - Réponses au formulaire 1.csv"]


def open_page(tab: Tab, name: str) -> None:
    """A page by its address (a new session on the same saved workspace), once its title is drawn."""
    tab.page.goto(f"{tab.base_url}/{PAGE_PATHS[name]}")
    tab.page.locator("h1").filter(has_text=page_title(name)).first.wait_for()
    tab.settle()


def full_page(tab: Tab, width: int, path: Path) -> None:
    """The whole page: the viewport grown to the page's height (Streamlit scrolls inside stMain)."""
    height = tab.page.evaluate("() => (document.querySelector('[data-testid=stMain]')"
                               " || document.body).scrollHeight")
    tab.page.set_viewport_size({"width": width, "height": height + 40})
    tab.settle()
    tab.page.screenshot(path=str(path))
    tab.page.set_viewport_size({"width": width, "height": 1000})


def shoot(tab: Tab, name: str, width: int, path: Path, partial: bool = False) -> None:
    """The whole page, or for ``partial`` the pillar's card down to its "From N of M measures" box."""
    tab.page.set_viewport_size({"width": width, "height": 1000})
    open_page(tab, name)
    if not partial:
        full_page(tab, width, path)
        return
    height = tab.page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    tab.page.set_viewport_size({"width": width, "height": height + 40})
    tab.settle()
    card = tab.page.locator("[data-testid=stMetric]").first.bounding_box()
    box = tab.page.locator("[data-testid=stLayoutWrapper]").filter(has_text="From 2 of 4 measures").last.bounding_box()
    top = max(0, card["y"] - 24)
    tab.page.screenshot(path=str(path), clip={"x": 0, "y": top, "width": width,
                                              "height": box["y"] + box["height"] + 24 - top})


def upload(tab: Tab, files: list[Path]) -> None:
    open_page(tab, "data")
    tab.page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files([str(f) for f in files])
    tab.page.get_by_text("What we found in your uploads").wait_for()
    tab.settle()


def publish(tab: Tab) -> str:
    """Publish a review on the Share page; the link it shows once."""
    open_page(tab, "share")
    tab.page.get_by_label("Commentary for leadership").fill(
        "Open mornings brought families in.\n\nNext: ask volunteers to bring a friend.")
    tab.page.get_by_role("button", name="Publish review").click()
    code = tab.page.locator("[data-testid=stCode] code").first
    code.wait_for()
    tab.settle()
    return code.inner_text().strip()


def shoot_review(tab: Tab, link: str, width: int, path: Path) -> None:
    tab.page.set_viewport_size({"width": width, "height": 1000})
    tab.page.goto(link)
    tab.page.locator("h1").first.wait_for()
    tab.settle()
    tab.page.get_by_text("How each score was worked out").click()  # the components table, read as text
    tab.settle()
    full_page(tab, width, path)


def sample(browser, out: Path, everything: bool) -> None:
    server = Server(ROOT)
    try:
        tab = Tab(browser, server.url)
        link = publish(tab)  # first, so the Share page lists a published review
        for width in (1400, 390):
            for name in VIEWS:
                shoot(tab, name, width, out / (f"{name}.png" if width == 1400 else f"{name}_390.png"))
        for width in (1400, 390):
            shoot_review(tab, link, width, out / ("review.png" if width == 1400 else "review_390.png"))
        tab.assert_clean()
        tab.close()
    finally:
        server.stop()


def charity(browser, out: Path, everything: bool) -> None:
    server = Server(ROOT)
    try:
        tab = Tab(browser, server.url)
        upload(tab, CHARITY + (OTHER_LANGUAGES if everything else []))
        if everything:  # the same session as the upload: the sidebar must already count the new files
            full_page(tab, 1400, out / "charity_data_after_upload_1400.png")
        for width in (1400, 390):
            for name in (VIEWS if everything else ("community", "co_creation")):
                shoot(tab, name, width, out / f"charity_{name}_{width}.png")
            if not everything:
                shoot(tab, "involvement", width, out / f"charity_partial_card_{width}.png", partial=True)
        if everything:
            link = publish(tab)
            shoot(tab, "share", 1400, out / "charity_share_published_1400.png")
            for width in (1400, 390):
                shoot_review(tab, link, width, out / f"charity_review_{width}.png")
        tab.assert_clean()
        tab.close()
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", metavar="DIR", type=Path, help="every view of both workspaces into DIR")
    ap.add_argument("--only", choices=("sample", "charity"), help="one workspace only")
    args = ap.parse_args()
    out = args.all or HERE
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        if args.only in (None, "sample"):
            sample(browser, out, bool(args.all))
        if args.only in (None, "charity"):
            charity(browser, out, bool(args.all))
        browser.close()


if __name__ == "__main__":
    main()

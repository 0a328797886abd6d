"""The downloadable report, on a charity's own exports, reads without help (no raw None/nan, field names,
misspelt platforms or decimal shares). The same check runs on every page in Chromium (tests/browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import report, reviews
from harness.dataset import combine
from harness.ingest import ingest_bytes
from harness.periods import default_period
from harness.targets import default_settings
from tests.readability import problems

FIX = Path(__file__).parent / "fixtures"
# A charity's first upload: posts from three platforms, followers, its form, its events, its logs.
CHARITY_FILES = [
    "social/meta_facebook_posts_2025.csv", "social/meta_instagram_posts.csv",
    "social/tweet_activity_metrics_HillSchool_20241020_20241027_en.csv",
    "social/hill-school_content_1756684800000.xlsx", "social/hill-school_followers_1756684800000.xlsx",
    "social/Follows.csv", "people/google_forms_responses.csv", "people/eventbrite_attendees_uk.csv",
    "people/community_log.csv", "people/referrals_log.csv", "people/involvement_log.csv",
]


def charity():
    reps = []
    for name in CHARITY_FILES:
        p = FIX / name
        reps.extend(ingest_bytes(p.name, p.read_bytes()))
    return combine([r for r in reps if r.ok])


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<svg\b.*?</svg>", lambda m: " ".join(re.findall(r">([^<>]+)<", m.group(0))), html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("names", [False, True], ids=["pseudonymised", "with names"])
def test_the_report_on_a_charitys_exports_reads_without_help(names):
    ds = charity()
    period = default_period(ds)
    snap = reviews.build_snapshot(ds, period, default_settings("nonprofit"), "salt", pseudonymise=not names)
    html = report.render_report(snap, title="Hill Trust: review",
                                commentary="Enquiries **doubled**; see the *open morning*.\n- one\n- two")
    text = visible_text(html)
    assert "Hill Trust" in text and "<strong>doubled</strong>" in html
    assert problems(text, "report") == []


def test_the_checker_finds_what_it_should():
    bad = "Value None; nan; direct_referrals 3; Linkedin and Youtube; 0.25 share of people; word_of_mouth"
    found = problems(bad)
    assert len(found) == 7, found
    fine = "LinkedIn, YouTube, TikTok, X; 25% share; K-factor 0.42; www.facebook.com/page; a_b.csv; sam_lee@x.org"
    assert problems(fine) == []

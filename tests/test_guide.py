"""The first-run checklist: items tick from what ingest recognised, and say which pillars a file unlocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import guide
from harness.dataset import combine
from harness.ingest import ingest_bytes
from harness.ingest.core import load_sources
from harness.ingest.registry import SOURCES

FIX = Path(__file__).parent / "fixtures"


def reports(*names: str) -> list:
    out = []
    for name in names:
        p = FIX / name
        out.extend(ingest_bytes(p.name, p.read_bytes()))
    return out


def dataset(*names: str):
    return combine([r for r in reports(*names) if r.ok])


def test_every_source_named_in_the_guide_exists():
    load_sources()
    known = {s.id for s in SOURCES}
    named = {s for item in guide.ITEMS for ex in item.exports for s in ex.sources}
    assert named <= known, named - known


def test_each_export_says_where_which_options_and_what_is_read():
    for item in guide.ITEMS:
        assert item.exports, item.key
        for ex in item.exports:
            assert ex.steps and all(s.endswith(".") for s in ex.steps), (item.key, ex.platform)
            assert ex.options and ex.reads, (item.key, ex.platform)


def test_platform_names_are_spelt_as_the_platforms_spell_them():
    platforms = {ex.platform for item in guide.ITEMS for ex in item.exports}
    assert {"Facebook", "Instagram", "LinkedIn", "X", "TikTok", "YouTube", "Google Forms", "Eventbrite"} <= platforms
    text = " ".join(" ".join(ex.steps) + ex.options + ex.reads for item in guide.ITEMS for ex in item.exports)
    for wrong in ("Linkedin", "Youtube", "Tiktok", "Tik Tok", "Hubspot", "Mailchimp's", "Signupgenius"):
        assert wrong not in text


def test_an_empty_workspace_has_nothing_ticked():
    states = guide.progress([])
    assert [s.done for s in states] == [False] * len(guide.ITEMS)
    assert guide.next_step(states).startswith("Next: posts from each platform.")


@pytest.mark.parametrize("files, ticked, platforms", [
    (["social/tweet_activity_metrics_HillSchool_20241020_20241027_en.csv"], {"posts"}, {"posts": ["X"]}),
    (["social/meta_facebook_posts_2025.csv", "social/meta_instagram_posts.csv"], {"posts"},
     {"posts": ["Facebook", "Instagram"]}),
    (["people/google_forms_responses.csv"], {"form"}, {"form": ["Google Forms"]}),
    (["people/eventbrite_attendees_uk.csv"], {"events"}, {"events": ["Eventbrite"]}),
    (["people/community_log.csv", "people/referrals_log.csv"], {"logs"}, {"logs": ["Community log", "Referrals"]}),
    (["social/hill-school_followers_1756684800000.xlsx"], {"followers"}, {"followers": ["LinkedIn"]}),
])
def test_items_tick_from_the_recognised_source(files, ticked, platforms):
    states = {s.item.key: s for s in guide.progress(reports(*files))}
    assert {k for k, s in states.items() if s.done} == ticked
    for key, names in platforms.items():
        assert [e.platform for e in states[key].arrived] == names
        assert states[key].summary.startswith(f"Loaded: {', '.join(names)}")


def test_progress_reads_dataset_inputs_as_well_as_reports():
    ds = dataset("people/google_forms_responses.csv")
    assert [s.item.key for s in guide.progress(ds.inputs) if s.done] == ["form"]


def test_a_file_that_failed_ticks_nothing():
    bad = ingest_bytes("notes.csv", b"")
    assert not any(s.done for s in guide.progress(bad))


@pytest.mark.parametrize("before, added, expected", [
    ([], ["people/community_log.csv"], ["Wider community can now be scored."]),
    ([], ["people/google_forms_responses.csv"], None),  # computed below from the file's own columns
    (["people/community_log.csv"], ["people/community_log.csv"], []),  # the same file again unlocks nothing
    ([], ["social/tweet_activity_metrics_HillSchool_20241020_20241027_en.csv"], []),  # posts alone score nothing
])
def test_unlocked_says_which_pillars_a_new_file_made_scoreable(before, added, expected):
    b, a = dataset(*before), dataset(*before, *added)
    got = guide.unlocked(b, a)
    if expected is None:
        # A form with a referral question feeds Involvement, and Connections when anyone named a referrer.
        inv = a["involvement"]
        want = ["Involvement can now be scored."]
        if inv["referred_by"].notna().any() or len(a["referrals"]):
            want.append("Connections of connections can now be scored.")
        assert len(inv) > 0
        expected = want
    assert got == expected

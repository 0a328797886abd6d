"""A small charity's real mix of exports scores all four pillars with no template log.

Fixtures: tests/fixtures/charity (README.md there cites each layout and works the figures out by hand) and
tests/fixtures/forms (an event sign-up form with two events, a photo/video form).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from harness import audience, community, scoring, targets
from harness.loading import load_paths

ROOT = Path(__file__).resolve().parents[1]
CHARITY = ROOT / "tests" / "fixtures" / "charity"
FORMS = ROOT / "tests" / "fixtures" / "forms"


@pytest.fixture(scope="module")
def charity():
    ds, reports = load_paths([CHARITY])
    assert all(r.ok for r in reports), [r.error for r in reports if not r.ok]
    return ds


def _run(*args) -> dict:
    out = subprocess.run([sys.executable, "-m", "harness", "score", *map(str, args), "--json"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


# Worked out by hand from the files (see the README): id, day, name, attendees, partner, aimed at a sale.
EVENTS = [
    ("eventbrite:700000000001", "2026-09-20", "Harbour clean-up day with Seaside Rotary", 4, "Seaside Rotary", False),
    ("eventbrite:700000000002", "2026-10-09", "Food bank drive", 3, "Food bank", False),
    ("signupgenius:beach-clean-volunteers:2026-10-17", "2026-10-17", "Beach clean volunteers", 3, None, False),
    ("eventbrite:700000000003", "2026-10-21", "Supporter quiz night", 2, None, True),
    ("eventbrite:library-reading-morning", "2026-11-06", "Library reading morning", 3, "Library", False),
]


def test_events_from_eventbrite_and_signupgenius(charity):
    ev = charity["events"].sort_values("occurred_at")
    got = [(r.record_id, f"{r.occurred_at:%Y-%m-%d}", r.name, int(r.attendees),
            None if pd.isna(r.partner) else r.partner, bool(r.sales_related)) for r in ev.itertuples()]
    assert got == EVENTS


def test_proposal_and_activities(charity):
    cand = community.candidates(charity)
    assert cand.set_index("name")["proposed"].to_dict() == {
        "Harbour clean-up day with Seaside Rotary": True, "Food bank drive": True, "Beach clean volunteers": True,
        "Supporter quiz night": False, "Library reading morning": True}
    acts = community.activities(charity)
    assert len(acts) == 4
    assert int(acts["attendees"].sum()) == 4 + 3 + 3 + 3  # people reached
    assert sorted(acts["partner"].dropna()) == ["Food bank", "Library", "Seaside Rotary"]
    assert not acts["sales_related"].any()


def test_story_form_contributions(charity):
    c = charity["contributions"].sort_values("created_at")
    # Dev's "n/a" with no upload is not a story; the anonymous photo is line 6 of the file.
    assert c["contributor"].tolist() == ["ana@example.org", "ben@example.org", "ana@example.org",
                                         "Anonymous submission 6"]
    assert c["kind"].tolist() == ["photo", "story", "photo", "photo"]
    assert c["consent"].tolist() == [True, False, True, pd.NA]
    assert c["platform"].eq("form").all()


def test_photo_and_video_form():
    ds, _ = load_paths([FORMS / "Send us your photos (Responses).csv"])
    c = ds["contributions"].sort_values("created_at")
    assert c["contributor"].tolist() == ["amy@example.org", "bo@example.org"]  # Cy sent nothing
    assert c["kind"].tolist() == ["photo", "video"]
    assert c["consent"].tolist() == [True, True]  # "Yes please", "I agree"
    assert c["created_at"].dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2026-07-10 08:00", "2026-07-11 13:30"]


def test_event_sign_up_form():
    ds, _ = load_paths([FORMS / "Summer events sign-up (Responses).csv"])
    ev = ds["events"].set_index("name")
    # Three picnic answers: 3 + 1 (blank "how many" = 1) + 4; dated by the last response (4 July).
    assert ev.loc["Park picnic - open to all", "attendees"] == 8
    assert f"{ev.loc['Park picnic - open to all', 'occurred_at']:%Y-%m-%d}" == "2026-07-04"
    assert ev.loc["Open morning for new families", "attendees"] == 2
    assert bool(ev.loc["Open morning for new families", "sales_related"]) is True
    proposed = community.candidates(ds).set_index("name")["proposed"].to_dict()
    assert proposed == {"Open morning for new families": False, "Park picnic - open to all": True}


def _score_line(reading: str) -> tuple[int, int] | None:
    m = re.search(r"from (\d+) of (\d+) measures", reading)
    return (int(m.group(1)), int(m.group(2))) if m else None



def test_a_pillar_card_beside_its_box_names_the_missing_measures_once(charity):
    """The pillar pages show the reading under the score and the "From N of M measures" box under that: the
    reading leaves out what the box says (scoring.reading_without_measures), and keeps the rest."""
    card = scoring.score_pillars(charity)
    for key, p in card.pillars.items():
        assert p.partial, key  # no follower total: every pillar waits for one measure or more
        short = scoring.reading_without_measures(p.reading)
        box = scoring.partial_note(p.to_dict())
        assert box.startswith(f"From {p.measures_used} of {p.measures_total} measures."), box
        assert short.startswith(f"{p.score:.0f}/100") and "measures" not in short and "Not yet" not in short, short
        for m in p.missing:
            assert m["label"].lower() in box.lower() and m["label"].lower() not in short.lower(), (key, m)
        # Only those two parts went: the comparison and strongest/weakest are still there.
        assert p.reading.replace(f" from {p.measures_used} of {p.measures_total} measures", "", 1).startswith(short)

def test_cli_scores_all_four_pillars_with_no_template_log():
    out = _run(CHARITY)
    p = out["pillars"]
    assert all(p[k]["score"] is not None for k in ("involvement", "co_creation", "connections", "community"))
    # No export gives a follower total, so every per-1,000-followers measure is missing.
    assert {k: _score_line(v["reading"]) for k, v in p.items()} == {
        "involvement": (2, 4), "co_creation": (2, 4), "connections": (4, 5), "community": (3, 4)}
    assert {k: (v["measures"]["used"], v["measures"]["of"]) for k, v in p.items()} == {
        "involvement": (2, 4), "co_creation": (2, 4), "connections": (4, 5), "community": (3, 4)}
    assert [m["key"] for m in p["community"]["missing"]] == ["reach_per_1k_followers"]
    assert "follower count" in p["community"]["missing"][0]["fix"]
    comps = {c["key"]: c for c in p["community"]["components"]}
    days, months = 90, 90 / (365.25 / 12)
    assert comps["activities_per_month"]["value"] == pytest.approx(4 / months, abs=1e-4)
    assert comps["distinct_partners"]["value"] == 3
    assert comps["non_sales_share"]["value"] == 1
    cc = {c["key"]: c for c in p["co_creation"]["components"]}
    # 4 contributions against 4 Facebook + 2 Instagram + 2 X + 2 LinkedIn posts of the organisation.
    assert cc["community_content_share"]["value"] == pytest.approx(4 / 14, abs=1e-4)
    assert cc["community_content_share"]["shown"] == "29% of 14 content items"
    assert cc["repeat_contributor_share"]["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert out["period"] == {"start": "2026-08-10", "end": "2026-11-07", "days": days}


def test_settings_file_choices_and_follower_counts(tmp_path):
    s = targets.default_settings("nonprofit")
    s.community_choices = {"eventbrite:700000000003": True, "eventbrite:700000000001": False}
    s.follower_counts = {"facebook": {"followers": 1200, "date": "2026-11-07"},
                         "instagram": {"followers": 800, "date": "2026-11-07"},
                         "x": {"followers": 300, "date": "2026-11-07"}}
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(targets.settings_to_dict(s)))
    out = _run(CHARITY, "--settings", path)
    p = out["pillars"]
    # With follower counts, every measure but the engagement ratio (no engagement on stories) is there.
    assert {k: _score_line(v["reading"]) for k, v in p.items()} == {
        "involvement": None, "co_creation": (3, 4), "connections": None, "community": None}
    comps = {c["key"]: c for c in p["community"]["components"]}
    # Clean-up (4) out, quiz night (2) in: 3 + 3 + 3 + 2 = 11 people reached, per 1,000 of 2,300 followers.
    assert comps["reach_per_1k_followers"]["value"] == pytest.approx(11 / 2300 * 1000, abs=1e-3)
    assert comps["distinct_partners"]["value"] == 2
    assert comps["non_sales_share"]["value"] == pytest.approx(3 / 4)
    assert out["vanity"]["current"]["followers"] == 2300


def test_a_rejected_file_changes_nothing_loaded(charity, tmp_path):
    bad = tmp_path / "Harbour clean-up (Responses).csv"
    bad.write_bytes(b"\x00\x01 not a csv")
    ds, reports = load_paths([CHARITY, bad])
    assert any(not r.ok for r in reports)
    for name in ("events", "contributions", "community", "involvement"):
        pd.testing.assert_frame_equal(ds[name], charity[name])
    before = scoring.score_pillars(charity).to_dict()["pillars"]
    assert scoring.score_pillars(ds).to_dict()["pillars"] == before


def test_partial_line_on_review_link_and_html_report(charity, tmp_path):
    from harness import reviews, snapshot_views

    snap = reviews.build_snapshot(charity, None, targets.default_settings("nonprofit"), "salt")
    lines = {p["key"]: snapshot_views.partial_line(p) for p in snapshot_views.pillars(snap)}
    assert lines["community"] == (
        "From 3 of 4 measures. Missing: people reached per 1,000 followers (" + scoring.NEEDS_FOLLOWERS + "). "
        "To add it: " + scoring.FOLLOWERS_FIX)
    assert lines["connections"].startswith("From 4 of 5 measures. Missing: people referred per 1,000 followers")
    assert all("from" in p["reading"] and "measures" in p["reading"] for p in snapshot_views.pillars(snap))
    # A snapshot frozen before "missing" existed still gets the line, from its components.
    old = {k: v for k, v in snapshot_views.pillars(snap)[3].items() if k not in ("missing", "measures")}
    assert snapshot_views.partial_line(old) == lines["community"]

    out = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "harness", "report", str(CHARITY), "--org-type", "nonprofit", "-o",
                    str(out)], cwd=ROOT, check=True, capture_output=True)
    html = out.read_text(encoding="utf-8")
    assert html.count("from 3 of 4 measures") >= 2  # the card and the pillar's details
    assert "From 3 of 4 measures. Missing: people reached per 1,000 followers" in html
    assert "29% of 14 content items" in html


def test_complete_pillar_has_no_partial_line():
    assert scoring.partial_note({"score": 50, "components": [
        {"key": "a", "weight": 1, "available": True}, {"key": "b", "weight": 0, "available": False}]}) is None
    assert scoring.partial_note({"score": None, "components": []}) is None


def test_confirm_step_rows_and_choices(charity):
    rows = {r["name"]: r for r in community.proposal_rows(charity)}
    assert rows["Supporter quiz night"]["status"] == "Proposed: not counted"
    assert rows["Supporter quiz night"]["aimed_at_sale"] == "yes"
    assert rows["Harbour clean-up day with Seaside Rotary"]["status"] == "Proposed: counted"
    settings = targets.settings_to_dict(targets.default_settings("nonprofit"))
    settings = community.choose(settings, "eventbrite:700000000003", True)   # change
    settings = community.choose(settings, "eventbrite:700000000002", True)   # confirm
    rows = {r["name"]: r for r in community.proposal_rows(charity, settings["community_choices"])}
    assert rows["Supporter quiz night"]["status"] == "Changed: counted"
    assert rows["Food bank drive"]["status"] == "Confirmed: counted"
    assert targets.settings_from_dict(settings).community_choices == {
        "eventbrite:700000000003": True, "eventbrite:700000000002": True}
    back = community.choose(settings, "eventbrite:700000000003", None)
    assert back["community_choices"] == {"eventbrite:700000000002": True}


def test_ask_followers_once_per_platform(charity):
    assert audience.platforms_needing_followers(charity) == ["facebook", "instagram", "linkedin", "x"]
    s = targets.default_settings()
    s.follower_counts = {"facebook": {"followers": 1200, "date": "2026-12-04"}}
    assert audience.platforms_needing_followers(charity, s) == ["instagram", "linkedin", "x"]


def test_co_creation_sources_say_what_they_count(charity):
    from harness import cocreation

    found = {s["key"]: s for s in cocreation.sources(charity)}
    assert found["forms"]["items"] == 4 and found["forms"]["consent"] == {"yes": 2, "no": 1, "not_answered": 1}
    assert cocreation.consent_text(found["forms"]["consent"]) == (
        "2 of 4 may be shared, 1 said no, 1 did not answer or were not asked")
    assert found["posts"]["items"] == 0 and "Posted by" in found["posts"]["why"]
    assert found["log"]["items"] == 0


def test_counted_activities_in_words(charity):
    from harness import periods

    eff = community.with_activities(charity)
    rows = community.activity_rows(eff, periods.default_period(eff))
    assert rows["activity"].tolist() == ["Harbour clean-up day with Seaside Rotary", "Food bank drive",
                                         "Beach clean volunteers", "Library reading morning"]
    assert rows["people"].tolist() == ["4", "3", "3", "3"]
    assert rows["partner"].tolist() == ["Seaside Rotary", "Food bank", "–", "Library"]
    assert set(rows["from"]) == {"an events export (confirmed or proposed)"}
    from harness.dataset import from_tables

    assert community.has_data(charity) and not community.has_data(from_tables())


def test_derived_rows_are_not_counted_as_the_file_s_rows():
    from harness.ingest import describe, ingest_path

    [r] = ingest_path(CHARITY / "SignUpGenius beach clean.csv")
    assert r.derived == {"events": 1} and r.rows_accepted == 4  # four filled slots; the event is found in them
    [s] = ingest_path(CHARITY / "Share your story (Responses).csv")
    d = describe(s)
    assert d["derived"] == {"contributions": 4} and d["rows_accepted"] == 5
    # The file's dates are its responses' (the contributions carry the same times here).
    assert s.date_range == (pd.Timestamp("2026-09-28 19:10", tz="UTC"), pd.Timestamp("2026-11-07 13:15", tz="UTC"))


def _with_counts(counts):
    s = targets.default_settings("nonprofit")
    s.follower_counts = {p: {"followers": n, "date": "2026-11-07"} for p, n in counts.items()}
    return s


@pytest.mark.parametrize("counts,expected", [
    # No export gives a follower total: the five per-1,000-followers measures of the four pillars wait for it
    # (by hand from targets.COMPONENTS: two of Involvement, one of each other pillar), in pillar order.
    ({}, ["People involved per 1,000 followers", "Social-sourced actions per 1,000 followers",
          "Contributors per 1,000 followers", "People referred per 1,000 followers",
          "People reached per 1,000 followers"]),
    # One typed count gives a follower total (the sum over the platforms known): nothing waits any more.
    ({"facebook": 1200}, []),
    ({"facebook": 1200, "instagram": 800, "x": 300}, []),
])
def test_measures_waiting_for_followers(charity, counts, expected):
    card = scoring.score_pillars(charity, settings=_with_counts(counts))
    assert card.waiting_for_followers() == expected

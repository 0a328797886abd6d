"""Engagement pyramid: the level rules, levels per person, counts and movement."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from harness import pyramid
from harness.dataset import from_tables
from harness.periods import Period

JAN = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))  # previous period: 1-31 Dec 2024
NA = None


def features(**values) -> pd.DataFrame:
    row = {f: 0 for f in pyramid.FEATURES} | {"was_referred": False} | values
    return pd.DataFrame([row], index=pd.Index(["p"], name="person"))


# ---------------------------------------------------------------- rules one by one


@pytest.mark.parametrize("rule, values, met", [
    (pyramid.referred_three_who_joined, dict(converted_referred=3), True),
    (pyramid.referred_three_who_joined, dict(converted_referred=2, referred=5), False),
    (pyramid.makes_used_content_and_recruits, dict(used_contributions=3, referred=1), True),
    (pyramid.makes_used_content_and_recruits, dict(used_contributions=3), False),
    (pyramid.makes_used_content_and_recruits, dict(used_contributions=2, referred=4), False),
    (pyramid.referred_someone_who_joined, dict(converted_referred=1), True),
    (pyramid.involved_several_ways, dict(action_kinds=2, owning_kinds=1), True),
    (pyramid.involved_several_ways, dict(action_kinds=2, owning_kinds=0), False),  # event + enrolment
    (pyramid.involved_several_ways, dict(action_kinds=1, owning_kinds=1), False),
    (pyramid.sustained_commitment, dict(owning_actions=3), True),
    (pyramid.sustained_commitment, dict(owning_actions=2), False),
    (pyramid.content_used, dict(used_contributions=1), True),
    (pyramid.committed_action, dict(commitment_actions=1), True),
    (pyramid.committed_action, dict(actions=4), False),
    (pyramid.made_content, dict(contributions=1), True),
    (pyramid.recommended_us, dict(referred=1), True),
    (pyramid.showed_interest, dict(actions=1), True),
    (pyramid.was_recommended, dict(was_referred=True), True),
    (pyramid.was_recommended, dict(), False),
])
def test_rule(rule, values, met):
    assert bool(rule(features(**values)).iloc[0]) is met


@pytest.mark.parametrize("values, level, reason", [
    (dict(converted_referred=3, referred=3), "leading", "referred 3 people who got involved"),
    (dict(used_contributions=3, contributions=3, referred=1), "leading", "made 3 pieces of content we used"),
    (dict(used_contributions=3, contributions=3), "owning", "made 3 piece(s) of content we used"),
    (dict(converted_referred=1, referred=2), "owning", "referred 1 person(s) who got involved"),
    # enquiry + donation: two kinds, one of them giving
    (dict(actions=2, action_kinds=2, commitment_actions=1, owning_actions=1, owning_kinds=1), "owning",
     "involved in 2 different ways"),
    # event + enrolment: two kinds, none of volunteering/membership/giving
    (dict(actions=2, action_kinds=2, commitment_actions=2), "contributing", "2 time(s) volunteered"),
    # three donations
    (dict(actions=3, action_kinds=1, commitment_actions=3, owning_actions=3, owning_kinds=1), "owning",
     "volunteered, joined or gave 3 times"),
    (dict(contributions=1), "contributing", "made 1 piece(s) of content"),
    (dict(referred=2), "endorsing", "recommended us to 2 person(s)"),
    (dict(actions=1, action_kinds=1, referred=1), "endorsing", "recommended us to 1 person(s)"),
    (dict(actions=2, action_kinds=2), "following", "showed interest 2 time(s)"),
    (dict(was_referred=True), "following", "was recommended to us"),
])
def test_highest_level_wins(values, level, reason):
    out = pyramid.assign_levels(features(**values))
    assert list(out["level"]) == [level]
    assert reason in out["reasons"].iloc[0]


def test_nobody_without_any_activity():
    assert pyramid.assign_levels(features()).empty


def test_reasons_list_every_rule_met_at_the_level():
    out = pyramid.assign_levels(features(converted_referred=1, referred=1, used_contributions=1, contributions=1))
    assert out["reasons"].iloc[0] == "referred 1 person(s) who got involved; made 1 piece(s) of content we used"


# ---------------------------------------------------------------- a small organisation


def _rows(spec):
    return pd.DataFrame(spec)


def _dataset():
    inv = _rows({
        "record_id": [f"i{i}" for i in range(14)],
        "occurred_at": ["2025-01-07 00:00", "2025-01-08 00:00", "2025-01-09 00:00", "2025-01-10 00:00",
                        "2025-01-11 00:00", "2025-01-12 00:00", "2025-01-12 01:00", "2025-02-05 00:00",
                        "2025-01-12 02:00",
                        # December (the previous period)
                        "2024-12-10 00:00", "2024-12-11 00:00", "2024-12-12 00:00", "2024-12-13 00:00",
                        "2024-12-14 00:00"],
        "person": ["Ann", "Ann", "Bob", "Cat", "Dan", "Eve", "Eve", "Gus", NA,
                   "Cat", "Eve", "Quin", "Joe", "Joe"],
        "action": ["volunteer", "call", "enquiry", "donation", "visit", "event", "donation", "enquiry", "donation",
                   "enquiry", "volunteer", "visit", "donation", "membership"],
        "source": ["facebook"] * 14,
        "referred_by": [NA, NA, "Ann", NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA],
    })
    ref = _rows({
        "record_id": [f"r{i}" for i in range(8)],
        "occurred_at": ["2025-01-03 00:00", "2025-01-04 00:00", "2025-01-04 00:00", "2025-01-02 00:00",
                        "2025-01-02 00:00", "2025-01-02 00:00", "2025-01-20 00:00", "2025-01-06 00:00"],
        "referrer": ["Zed", "Dan", "Dan", "Kim", "Kim", "Kim", "Pat", "Ivy"],
        "referred": ["Dan", "Fay", "Gus", "Lou", "Mo", "Ned", "Dan", "Jo"],
        "converted": [NA, NA, False, True, True, True, NA, NA],
    })
    con = _rows({
        "record_id": [f"c{i}" for i in range(5)],
        "created_at": ["2025-01-04 00:00", "2025-01-05 00:00", "2025-01-06 00:00", "2025-01-07 00:00",
                       "2025-01-05 00:00"],
        "contributor": ["Hal", "Ivy", "Ivy", "Ivy", "Joe"],
        "kind": ["photo"] * 4 + ["story"],
        "used_by_org": [True, True, True, True, False],
    })
    community = _rows({"record_id": ["k1"], "occurred_at": ["2025-01-15 00:00"], "activity": ["Fair"],
                       "kind": ["event"], "partner": ["Zoe"]})
    audience = _rows({
        "date": ["2025-01-01", "2025-01-20", "2024-12-15", "2025-01-10"],
        "platform": ["facebook", "facebook", "instagram", "facebook"],
        "followers": [500, 520, 80, NA],
        "reach": [NA, NA, NA, 1200],
    })
    posts = _rows({
        "post_id": ["1", "2", "3"], "platform": ["facebook"] * 3,
        "published_at": ["2025-01-05 00:00", "2025-01-06 00:00", "2024-12-05 00:00"],
        "author_kind": ["organisation", "community", "organisation"],
        "reach": [900, 5000, NA], "views": [2000, NA, 300],
    })
    return from_tables(involvement=inv, referrals=ref, contributions=con, community=community,
                       audience=audience, posts=posts)


# Worked out by hand from the fixture for January:
JAN_LEVELS = {
    "Kim": "leading",       # Lou, Mo, Ned all converted
    "Ivy": "leading",       # 3 photos used + recommended Jo
    "Ann": "owning",        # volunteer + call; Bob (referred by Ann) enquired
    "Eve": "owning",        # event + donation
    "Hal": "owning",        # photo used
    "Zed": "owning",        # referred Dan, who visited on 11 Jan, after the referral
    "Cat": "contributing",  # donation
    "Joe": "contributing",  # a story that was not used
    "Dan": "endorsing",     # referred Fay (no action) and Gus (acted only in February)
    "Pat": "endorsing",     # referred Dan on 20 Jan, after Dan's last action: not converted
    "Bob": "following", "Fay": "following", "Gus": "following", "Jo": "following",
    "Lou": "following", "Mo": "following", "Ned": "following",
}


@pytest.fixture(scope="module")
def ds():
    return _dataset()


def test_person_levels_january(ds):
    out = pyramid.person_levels(ds, JAN)
    assert dict(zip(out["person"], out["level"])) == JAN_LEVELS
    # Highest level first, then by name.
    assert list(out["person"][:3]) == ["Ivy", "Kim", "Ann"]
    reasons = dict(zip(out["person"], out["reasons"]))
    assert reasons["Ann"].startswith("referred 1 person(s) who got involved; involved in 2 different ways")
    assert reasons["Dan"] == "recommended us to 2 person(s)"


def test_partners_and_anonymous_rows_place_nobody(ds):
    people = set(pyramid.person_levels(ds)["person"])
    assert "Zoe" not in people and "" not in people and len(people) == len(set(JAN_LEVELS) | {"Quin"})


def test_all_data_counts_later_conversions(ds):
    levels = dict(zip(*pyramid.person_levels(ds).pipe(lambda d: (d["person"], d["level"]))))
    assert levels["Dan"] == "owning"  # Gus enquired on 5 Feb, after Dan's referral
    assert levels["Joe"] == "owning"  # donation + membership in December
    assert levels["Quin"] == "following"


def test_features_for_dan(ds):
    f = pyramid.person_features(ds, JAN).loc["Dan"]
    assert (f["actions"], f["referred"], f["converted_referred"], bool(f["was_referred"])) == (1, 2, 0, True)


def test_pyramid_counts(ds):
    c = pyramid.pyramid_counts(ds, JAN).set_index("level")
    assert list(c.index) == list(pyramid.LEVELS)
    expected = {
        # Largest reach of a post or a day: audience 1200 (10 Jan) > post 900; the community post is not ours.
        # December has no reach, so its estimate falls back to post views (300).
        "observing": (1200, 300),
        # Followers at the end of January: facebook 520 + instagram 80 (carried), plus 7 known followers.
        # December: facebook's first total is 1 Jan, so only instagram 80, plus Cat and Quin.
        "following": (520 + 80 + 7, 80 + 2),
        "endorsing": (2, 0),
        "contributing": (2, 1),  # December: Eve volunteered once
        "owning": (4, 1),        # December: Joe gave and joined
        "leading": (2, 0),
    }
    for level, (now, before) in expected.items():
        assert (c.loc[level, "people"], c.loc[level, "previous_people"]) == (now, before), level
        assert c.loc[level, "change"] == now - before
    assert c.loc["observing", "estimate"] and c.loc["following", "estimate"]
    assert not c.loc["owning", "estimate"]
    assert c.loc["following", "known_people"] == 7
    assert all(c["description"].str.len() > 10)


@pytest.mark.parametrize("override, platforms, followers_now, followers_before", [
    # Exports only: facebook 520 + instagram 80 at the end of January; December has instagram 80 only.
    ({}, None, 600, 80),
    # A typed-in count counts for a platform with no export total by that day (tiktok; facebook in December,
    # whose first total is 1 Jan), never over one (facebook at the end of January).
    ({"tiktok": 1000, "facebook": 9}, None, 1600, 1089),
    # Limited to instagram: its export, and no typed-in count from another platform.
    ({"tiktok": 1000}, ("instagram",), 80, 80),
])
def test_following_uses_the_followers_the_scorecard_uses(ds, override, platforms, followers_now, followers_before):
    from harness import scoring, targets

    settings = targets.Settings(followers_override=override)
    c = pyramid.pyramid_counts(ds, JAN, settings, platforms).set_index("level")
    # 7 known people at the following level now, 2 (Cat and Quin) in December.
    assert (c.loc["following", "people"], c.loc["following", "previous_people"]) == (followers_now + 7,
                                                                                       followers_before + 2)
    card = scoring.score_pillars(ds, period=JAN, settings=settings,
                                 platforms=frozenset(platforms) if platforms else None)
    assert card.vanity["current"]["followers"] == followers_now



def test_counting_notes_say_each_rule_once_in_level_order(ds):
    notes = pyramid.counting_notes(pyramid.pyramid_counts(ds, JAN))
    # Written out by hand from test_pyramid_counts: audience reach, 600 followers and 7 known followers.
    assert notes == [
        "Observing (an estimate): largest reach of a single post or day in the period",
        "Following (an estimate): 600 followers plus 7 people who showed interest or were recommended to you "
        "(may overlap)",
        "Endorsing, Contributing, Owning and Leading: people known by name",
    ]


@pytest.mark.parametrize("rows, expected", [
    ([("Observing", "a", True)], ["Observing (an estimate): a"]),
    ([("Observing", "a", False), ("Following", "a", False)], ["Observing and Following: a"]),
    # Same words, one an estimate: two lines (they are not counted alike).
    ([("Observing", "a", True), ("Following", "a", False)], ["Observing (an estimate): a", "Following: a"]),
    ([("Owning", "b", False), ("Leading", "c", False)], ["Owning: b", "Leading: c"]),
])
def test_counting_notes_group_levels_counted_alike(rows, expected):
    counts = pd.DataFrame(rows, columns=["label", "basis", "estimate"])
    assert pyramid.counting_notes(counts) == expected

def test_counts_without_audience_are_not_estimates():
    inv = _rows({"record_id": ["a"], "occurred_at": ["2025-01-07 00:00"], "person": ["Ann"],
                 "action": ["call"], "source": ["website"]})
    c = pyramid.pyramid_counts(from_tables(involvement=inv), JAN).set_index("level")
    assert pd.isna(c.loc["observing", "people"]) and pd.isna(c.loc["observing", "change"])
    assert c.loc["following", "people"] == 1 and not c.loc["following", "estimate"]


def test_movement(ds):
    m = pyramid.movement(ds, JAN)
    got = [tuple(r) for r in m[["from_level", "to_level", "direction", "people"]].itertuples(index=False)]
    assert got == [
        ("new", "following", "new", 7),
        ("new", "endorsing", "new", 2),
        ("new", "owning", "new", 3),       # Ann, Hal, Zed
        ("new", "leading", "new", 2),
        ("following", "contributing", "up", 1),    # Cat
        ("following", "inactive", "inactive", 1),  # Quin
        ("contributing", "owning", "up", 1),       # Eve
        ("owning", "contributing", "down", 1),     # Joe
    ]


@pytest.mark.parametrize("a, b, direction", [
    ("new", "owning", "new"), ("owning", "inactive", "inactive"), ("following", "leading", "up"),
    ("leading", "endorsing", "down"), ("contributing", "contributing", "same"),
])
def test_direction(a, b, direction):
    assert pyramid.direction(a, b) == direction


def test_empty_dataset():
    empty = from_tables()
    assert pyramid.person_levels(empty).empty
    assert pyramid.movement(empty, JAN).empty
    c = pyramid.pyramid_counts(empty, JAN)
    assert list(c["people"].fillna(0)) == [0] * 6


@pytest.mark.parametrize("row,expected", [
    (("new", "following", "new", 7), ("Not seen before", "Following", "New", 7)),
    (("following", "contributing", "up", 1), ("Following", "Contributing", "Moved up", 1)),
    (("following", "inactive", "inactive", 1), ("Following", "Not active this period", "Dropped off", 1)),
    (("owning", "contributing", "down", 1), ("Owning", "Contributing", "Moved down", 1)),
    (("leading", "leading", "same", 2), ("Leading", "Leading", "Stayed", 2)),
])
def test_movement_display_in_words(row, expected):
    moves = pd.DataFrame([row], columns=["from_level", "to_level", "direction", "people"])
    assert tuple(pyramid.movement_display(moves).iloc[0]) == expected

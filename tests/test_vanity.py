"""Vanity vs real: weekly/monthly buckets, headline totals, Spearman, post attribution.

The fixture is small enough to work out every figure by hand; the comments
beside each expected value show the working.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from harness import vanity
from harness.dataset import from_tables
from harness.periods import Period

JAN = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))  # Wed 1 Jan - Fri 31 Jan
NA = None


def _posts():
    return pd.DataFrame({
        "post_id": ["1", "2", "3", "4", "5"],
        "platform": ["facebook", "facebook", "instagram", "facebook", "facebook"],
        "published_at": ["2025-01-06 10:00", "2025-01-08 10:00", "2025-01-14 00:00",
                         "2025-01-07 12:00", "2024-12-31 09:00"],
        "author_kind": ["organisation", "organisation", "organisation", "community", "organisation"],
        "reactions": [10, NA, 5, 1000, 50],
        "comments": [1, NA, NA, NA, NA],
        "shares": [NA, NA, 2, NA, NA],
        "views": [100, NA, NA, NA, NA],
    })


def _audience():
    return pd.DataFrame({
        "date": ["2024-12-31", "2025-01-07", "2025-01-13", "2025-01-20"],
        "platform": ["facebook", "facebook", "facebook", "instagram"],
        "followers": [100, 110, NA, 40],
        "new_followers": [NA, NA, 3, 5],
    })


def _involvement():
    return pd.DataFrame({
        "record_id": list("abcdefgh"),
        "occurred_at": ["2025-01-07 09:00", "2025-01-09 12:00", "2025-01-20 00:00", "2025-01-10 00:00",
                        "2025-01-16 00:00", "2025-01-02 00:00", "2025-01-15 12:00", "2025-02-03 00:00"],
        "person": ["Ann", "ann@x.org", "ANN@X.org ", "Bob", "Bob", NA, "Cy", "Dee"],
        "action": ["call", "visit", "donation", "enquiry", "event", "enquiry", "volunteer", "call"],
        "source": ["facebook", "website", "instagram", "facebook", "facebook", "facebook", "instagram", "facebook"],
        "referred_by": [NA, NA, NA, "Ann", NA, NA, NA, NA],
        "post_id": [NA, NA, NA, "1", NA, NA, "999", "2"],
    })


def _dataset(**extra):
    tables = dict(
        posts=_posts(), audience=_audience(), involvement=_involvement(),
        contributions=pd.DataFrame({
            "record_id": ["c1", "c2"], "created_at": ["2025-01-14 00:00", "2025-01-28 00:00"],
            "contributor": ["Cy", "Eve"], "platform": ["instagram", "website"], "kind": ["photo", "story"],
        }),
        referrals=pd.DataFrame({
            "record_id": ["r1", "r2"], "occurred_at": ["2025-01-05 00:00", "2025-01-21 00:00"],
            "referrer": ["Ann", "Ann"], "referred": ["Zed", "Zed"], "channel": ["word_of_mouth"] * 2,
        }),
    )
    tables.update(extra)
    return from_tables(**tables)


@pytest.fixture(scope="module")
def weekly():
    return vanity.vanity_vs_real(_dataset(), JAN, "W")


# Weeks start Monday: 30 Dec (1-5 Jan in the period), 6, 13, 20 and 27 Jan (27-31).
WEEKS = ["2024-12-30", "2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]


@pytest.mark.parametrize("column, expected", [
    ("days", [5, 7, 7, 7, 5]),
    # Posts 1 and 2 (and community post 4) fall in week 6 Jan; post 3 in week 13 Jan; post 5 is before the period.
    ("posts", [0, 3, 1, 0, 0]),
    ("reactions", [NA, 10 + 1000, 5, NA, NA]),  # post 2's reactions are unknown, not 0
    ("comments", [NA, 1, NA, NA, NA]),
    ("shares", [NA, NA, 2, NA, NA]),
    ("views", [NA, 100, NA, NA, NA]),
    ("engagement", [NA, 1010 + 1, 5 + 2, NA, NA]),
    # Facebook 100 (31 Dec), 110 (7 Jan) carried on; Instagram 40 from 20 Jan.
    ("followers", [100, 110, 110, 110 + 40, 110 + 40]),
    # Wk1: no new_followers, total before 1 Jan is 100 and at 5 Jan 100 -> 0.
    # Wk2: 110 - 100. Wk3: facebook new_followers 3. Wk4: instagram new 5, facebook 110 - 110.
    # Wk5: both totals unchanged -> 0.
    ("follower_growth", [0, 10, 3, 5 + 0, 0]),
    # f (2 Jan, anonymous); a, b, d; g, e; c. h is in February.
    ("real_actions", [1, 3, 2, 1, 0]),
    # "Ann" and "ann@x.org" differ (names keep their case); "ANN@X.org " is ann@x.org.
    ("people_involved", [0, 3, 2, 1, 0]),
    ("contributions", [0, 0, 1, 0, 1]),
    # Ann->Zed first on 5 Jan (the 21 Jan repeat is the same pair); Ann->Bob via "Referred by" on 10 Jan.
    ("referrals", [1, 1, 0, 0, 0]),
    ("real_actions_per_1k_reactions", [NA, 3 * 1000 / 1010, 2 * 1000 / 5, NA, NA]),
])
def test_weekly_columns(weekly, column, expected):
    assert list(weekly["bucket"].dt.strftime("%Y-%m-%d")) == WEEKS
    assert_values(weekly[column], expected)


def assert_values(series, expected):
    """Equal value by value, with None for null (a null is never a 0)."""
    got = [None if pd.isna(v) else float(v) for v in series]
    assert len(got) == len(expected), got
    for g, e in zip(got, expected):
        assert (g is None) == (e is None) and (g is None or g == pytest.approx(e)), (got, expected)


def test_referrals_count_each_pair_once_after_normalising():
    # Ann@x.org -> Zed first via the involvement log's "Referred by" (7 Jan), again in the referrals
    # log as " ANN@X.org" (15 Jan): one pair, in week 6 Jan. Self-referrals and blank names are no pair.
    inv = _involvement().assign(person=["Zed", "Bob", "Bob", "Bob", "Bob", NA, "Cy", "Dee"],
                                referred_by=["Ann@x.org", NA, NA, NA, NA, NA, NA, NA])
    refs = pd.DataFrame({"record_id": ["r1", "r2", "r3"],
                         "occurred_at": ["2025-01-15 00:00", "2025-01-16 00:00", "2025-01-22 00:00"],
                         "referrer": [" ANN@X.org", "Cy", " "], "referred": ["Zed", "Cy", "Dee"]})
    w = vanity.vanity_vs_real(_dataset(involvement=inv, referrals=refs), JAN, "W")
    assert w["referrals"].tolist() == [0, 1, 0, 0, 0]


def test_plain_tables_give_what_a_dataset_gives(weekly):
    # A mapping of tables has no kept referral index: it is built afresh, with the same figures.
    plain = vanity.vanity_vs_real(dict(_dataset().tables), JAN, "W")
    pd.testing.assert_frame_equal(plain, weekly)


def test_weekly_monday_utc_and_dtypes(weekly):
    assert (weekly["bucket"].dt.day_of_week == 0).all()
    assert str(weekly["bucket"].dt.tz) == "UTC"
    assert str(weekly["reactions"].dtype) == "Int64" and str(weekly["real_actions"].dtype) == "Int64"


def test_monthly_one_row_for_january():
    m = vanity.vanity_vs_real(_dataset(), JAN, "MS").iloc[0]
    assert m["bucket"] == pd.Timestamp("2025-01-01", tz="UTC") and m["days"] == 31
    assert (m["reactions"], m["comments"], m["shares"], m["views"], m["posts"]) == (1015, 1, 2, 100, 4)
    # Facebook reported new_followers (3) in January, so that wins over 110 - 100; Instagram new 5.
    assert m["follower_growth"] == 3 + 5
    assert m["followers"] == 150
    assert (m["real_actions"], m["people_involved"], m["contributions"], m["referrals"]) == (7, 4, 2, 2)
    assert m["real_actions_per_1k_reactions"] == pytest.approx(7 * 1000 / 1015)


def test_weekly_sums_match_monthly_for_counts():
    ds = _dataset()
    w, m = vanity.vanity_vs_real(ds, JAN, "W"), vanity.vanity_vs_real(ds, JAN, "MS")
    for col in ("posts", "real_actions", "contributions", "referrals", "reactions"):
        assert w[col].sum() == m[col].sum(), col


def test_platform_filter_limits_vanity_side_only():
    w = vanity.vanity_vs_real(_dataset(), JAN, "W", platforms=["instagram"])
    assert_values(w["reactions"], [NA, NA, 5, NA, NA])
    assert list(w["posts"]) == [0, 0, 1, 0, 0]
    assert_values(w["followers"], [NA, NA, NA, 40, 40])
    assert list(w["real_actions"]) == [1, 3, 2, 1, 0]  # real actions are counted in full


def test_empty_dataset_has_every_bucket():
    w = vanity.vanity_vs_real(from_tables(), JAN, "W")
    assert len(w) == 5
    assert w["reactions"].isna().all() and w["followers"].isna().all()
    assert (w["real_actions"] == 0).all() and (w["people_involved"] == 0).all()


def test_bad_frequency_is_a_plain_error():
    with pytest.raises(ValueError, match="frequency"):
        vanity.vanity_vs_real(_dataset(), JAN, "D")


# ---------------------------------------------------------------- summary


def test_summary_current_and_previous():
    s = vanity.summary(_dataset(), JAN).set_index("metric")
    # Previous period: 1-31 Dec 2024. Only post 5 (50 reactions) and the 31 Dec facebook total 100.
    expected = {
        "reactions": (1015, 50, 965),
        "real_actions": (7, 0, 7),
        "real_actions_per_1k_reactions": (7000 / 1015, 0.0, 7000 / 1015),
        # December: no new_followers, no total before 1 Dec -> unknown.
        "follower_growth": (8, None, None),
        "people_involved": (4, 0, 4),
        "followers": (150, 100, 50),
    }
    for metric, (cur, prev, change) in expected.items():
        row = s.loc[metric]
        for got, want in ((row["current"], cur), (row["previous"], prev), (row["change"], change)):
            assert (pd.isna(got) and want is None) or got == pytest.approx(want), metric
    assert set(s["kind"]) == {"vanity", "real"}


def test_summary_matches_scorecard_vanity_figures():
    from harness import scoring

    card = scoring.score_pillars(_dataset(), JAN)
    mine = vanity.summary(_dataset(), JAN).set_index("metric")
    for metric in ("reactions", "real_actions", "follower_growth", "people_involved", "followers"):
        theirs = card.vanity["current"].get(metric)
        got = mine.loc[metric, "current"]
        assert (theirs is None and pd.isna(got)) or float(got) == pytest.approx(theirs), metric


# ---------------------------------------------------------------- rank correlation


def _ranks_by_sorting(values) -> np.ndarray:
    """Average ranks for ties, by sorting and walking runs of equal values (a second method)."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[order[j + 1]] == values[order[i]]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _weekly(engagement, actions):
    return pd.DataFrame({"engagement": pd.array(engagement, dtype="Int64"),
                         "real_actions": pd.array(actions, dtype="Int64")})


@pytest.mark.parametrize("eng, act, rho", [
    # d = rank differences -1,1,-1,1,-1,1; rho = 1 - 6*6/(6*(36-1)) = 1 - 36/210
    ([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], 1 - 36 / 210),
    ([10, 20, 30, 40, 50, 60], [1, 2, 3, 4, 5, 6], 1.0),
    ([10, 20, 30, 40, 50, 60], [6, 5, 4, 3, 2, 1], -1.0),
    # Ties: engagement ranks 1.5,1.5,3,4,5,6; actions ranks 1,2,3,4,5,6 -> computed below by numpy too.
    ([5, 5, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6], None),
    ([3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8], None),
])
def test_spearman_against_second_method(eng, act, rho):
    c = vanity.rank_correlation(_weekly(eng, act))
    second = np.corrcoef(_ranks_by_sorting(eng), _ranks_by_sorting(act))[0, 1]
    assert c.rho == pytest.approx(second)
    if rho is not None:
        assert c.rho == pytest.approx(rho)
    assert c.n_weeks == len(eng)


def test_unknown_engagement_weeks_are_left_out():
    # Weeks 2 and 5 have no engagement figures: 6 weeks remain, perfectly ordered.
    c = vanity.rank_correlation(_weekly([1, None, 2, 3, None, 4, 5, 6], [1, 99, 2, 3, 0, 4, 5, 6]))
    assert c.n_weeks == 6 and c.rho == pytest.approx(1.0)


@pytest.mark.parametrize("eng, act, phrase", [
    ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], "at least 6"),
    ([1, 2, 3, 4, 5, 6], [3, 3, 3, 3, 3, 3], "Real actions did not change"),
    ([7, 7, 7, 7, 7, 7], [1, 2, 3, 4, 5, 6], "Engagement did not change"),
])
def test_no_rho_when_too_little_or_constant(eng, act, phrase):
    c = vanity.rank_correlation(_weekly(eng, act))
    assert c.rho is None and c.strength is None and phrase in c.reading


@pytest.mark.parametrize("rho, strength", [
    (0.0, "none"), (0.19, "none"), (-0.19, "none"), (0.2, "weak"), (0.39, "weak"),
    (0.4, "moderate"), (-0.69, "moderate"), (0.7, "strong"), (-1.0, "strong"),
])
def test_strength_thresholds(rho, strength):
    assert vanity.strength(rho) == strength


@pytest.mark.parametrize("rho, n, must, must_not", [
    (0.12, 26, ["did not reliably bring more real actions", "ρ = 0.12 over 26 weeks"], ["rough guide"]),
    (0.85, 8, ["clearly tended to bring more", "rough guide"], []),
    (-0.5, 30, ["tended to bring fewer"], ["rough guide"]),
])
def test_reading_is_plain_and_cautious(rho, n, must, must_not):
    text = vanity.reading(rho, n)
    for phrase in must:
        assert phrase in text
    for phrase in must_not:
        assert phrase not in text
    assert "not proof" in text


def test_fixture_weeks_have_too_few_for_rho(weekly):
    c = vanity.rank_correlation(weekly)
    assert c.rho is None and c.n_weeks == 2  # only weeks 6 and 13 Jan have engagement


# ---------------------------------------------------------------- posts ranked two ways


def test_rank_posts_attribution():
    r = vanity.rank_posts(_dataset(), JAN).set_index("post_id")
    # Post 1: d by post ID; a (7 Jan 09:00, 23 h after post 1; post 2 is later) by time window.
    # Post 2: h by post ID (3 Feb: post ID wins whatever the date). e (16 Jan) is 7 days 14 h
    #         after post 2 and post 4 is a community post, so e is not attributed.
    # Post 3: c (6 days after) and g (post ID 999 is unknown -> window, 1.5 days after).
    # Post 4: community post, never a window target. b is from the website: not attributed.
    # f (2 Jan) goes to post 5, which is before the period, so it is not listed.
    assert list(r.index) == ["1", "3", "2", "4"]
    assert list(r["real_actions"]) == [2, 2, 1, 0]
    assert list(r["by_post_id"]) == [1, 0, 1, 0]
    assert list(r["by_time_window"]) == [1, 2, 0, 0]
    assert list(r["attribution"]) == ["1 by post ID, 1 by time window", "2 by time window", "1 by post ID", "none"]
    assert list(r["rank_real_actions"]) == [1, 1, 3, 4]
    assert_values(r["rank_reactions"], [2, 3, NA, 1])
    assert list(r["engagement"].fillna(-1)) == [11, 7, -1, 1000]


@pytest.mark.parametrize("window, post1, post3", [
    (7, 2, 2),
    (1, 2, 0),  # a is 23 h after post 1; c (6 days) and g (36 h) fall outside one day
    (0, 1, 0),  # only the post-ID action remains
])
def test_rank_posts_window(window, post1, post3):
    r = vanity.rank_posts(_dataset(), JAN, window_days=window).set_index("post_id")
    assert r.loc["1", "real_actions"] == post1 and r.loc["3", "real_actions"] == post3


def test_post_id_prefers_the_action_platform():
    posts = pd.DataFrame({"post_id": ["42", "42"], "platform": ["facebook", "instagram"],
                          "published_at": ["2025-01-10 00:00"] * 2, "author_kind": ["organisation"] * 2})
    inv = pd.DataFrame({"record_id": ["a"], "occurred_at": ["2025-03-01 00:00"], "action": ["call"],
                        "source": ["instagram"], "post_id": ["42"]})
    r = vanity.rank_posts(from_tables(posts=posts, involvement=inv), JAN).set_index("platform")
    assert r.loc["instagram", "by_post_id"] == 1 and r.loc["facebook", "by_post_id"] == 0


@pytest.mark.parametrize("platforms", [["instagram"], "instagram", ("instagram",)])
def test_rank_posts_platform_filter(platforms):
    r = vanity.rank_posts(_dataset(), JAN, platforms=platforms)
    assert list(r["post_id"]) == ["3"] and r["real_actions"].iloc[0] == 2


def test_negative_window_is_a_plain_error():
    with pytest.raises(ValueError, match="0 days or more"):
        vanity.rank_posts(_dataset(), JAN, window_days=-1)


@pytest.mark.slow
def test_large_inputs_are_quick():
    import time
    rng = np.random.default_rng(1)
    n, p = 1_000_000, 200_000
    t0 = pd.Timestamp("2024-01-01", tz="UTC")
    posts = pd.DataFrame({"post_id": np.arange(p).astype(str), "platform": rng.choice(["facebook", "instagram"], p),
                          "published_at": t0 + pd.to_timedelta(rng.integers(0, 365 * 86400, p), unit="s"),
                          "author_kind": "organisation", "reactions": rng.integers(0, 50, p)})
    inv = pd.DataFrame({"record_id": np.arange(n).astype(str),
                        "occurred_at": t0 + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s"),
                        "person": pd.Series(rng.integers(0, 100_000, n)).astype(str), "action": "call",
                        "source": rng.choice(["facebook", "instagram", "website"], n)})
    ds = from_tables(posts=posts, involvement=inv)
    year = Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    start = time.perf_counter()
    w = vanity.vanity_vs_real(ds, year)
    r = vanity.rank_posts(ds, year)
    assert time.perf_counter() - start < 20
    assert w["real_actions"].sum() == n and len(r) == p
    assert math.isfinite(float(r["real_actions"].sum()))

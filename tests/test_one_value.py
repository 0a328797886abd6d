"""One figure, one value: a number shown on two pages is computed by one function and is equal.

Followers: Overview "Followers (end of period)" (scoring vanity figures), Vanity vs real "Followers at the
end of the period" (vanity.summary), the pyramid's followers (all through audience.followers_at).
People involved: Overview/Vanity vs real (scoring, vanity.summary) and the Involvement page
(views.involvement_summary). Real actions likewise.
"""

from __future__ import annotations

import pandas as pd
import pytest

from harness import audience, periods, pyramid, scoring, vanity, views
from harness.dataset import from_tables
from harness.loading import load_sample
from harness.periods import Period
from tests.conftest import ts


@pytest.fixture(scope="module")
def sample():
    ds, _ = load_sample()
    return ds


def tricky():
    """People written two ways, anonymous rows, two platforms' follower totals on different days."""
    inv = pd.DataFrame({
        "record_id": ["1", "2", "3", "4", "5", "6"],
        "occurred_at": ts("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-01-10"),
        "person": ["Sam@Example.org", " sam@example.org", None, "Kim Park", "kim park", "old@example.org"],
        "action": ["visit", "call", "enquiry", "donation", "volunteer", "visit"],
        "source": ["facebook", "unknown", "x", "referral", "email", "unknown"],
        "value": [None, None, None, 20.0, 3.0, None], "referred_by": [None] * 6, "post_id": [None] * 6,
    })
    aud = pd.DataFrame({
        "date": ts("2026-03-01", "2026-03-14", "2026-03-10", "2026-03-20"),
        "platform": ["facebook", "facebook", "instagram", "instagram"],
        "followers": [100, 120, 50, 70],
    })
    return from_tables(involvement=inv, audience=aud)


CASES = {"sample": None, "tricky": Period(pd.Timestamp("2026-03-01").date(), pd.Timestamp("2026-03-15").date())}


@pytest.mark.parametrize("case", list(CASES))
def test_followers_agree_on_every_page(case, sample):
    ds = sample if case == "sample" else tricky()
    p = CASES[case] or periods.default_period(ds)
    overview = scoring.score_pillars(ds, p).vanity["current"]["followers"]
    evidence = vanity.summary(ds, p).set_index("metric").loc["followers", "current"]
    pyr = audience.followers_at(ds["audience"], p.end)
    assert overview == evidence == pyr
    if case == "tricky":
        assert pyr == 120 + 50  # facebook on 14 March, instagram on 10 March (20 March is after the period)
    following = pyramid.pyramid_counts(ds, p).set_index("level").loc["following"]
    assert following["people"] == pyr + following["known_people"]  # the level says "followers plus ..."


@pytest.mark.parametrize("case", list(CASES))
def test_people_involved_and_real_actions_agree_on_every_page(case, sample):
    ds = sample if case == "sample" else tricky()
    p = CASES[case] or periods.default_period(ds)
    card = scoring.score_pillars(ds, p).vanity["current"]
    evidence = vanity.summary(ds, p).set_index("metric")
    page = views.involvement_summary(ds, p)
    assert card["people_involved"] == evidence.loc["people_involved", "current"] == page["people"]
    assert card["real_actions"] == evidence.loc["real_actions", "current"] == page["actions"]
    if case == "tricky":
        assert page["people"] == 3  # sam (two spellings), Kim Park, kim park; the anonymous row is no one
        assert page["actions"] == 5


def test_an_empty_previous_period_is_no_baseline():
    ds = tricky()
    p = Period(pd.Timestamp("2026-03-01").date(), pd.Timestamp("2026-03-15").date())  # previous: 15-28 Feb, empty
    assert not scoring.period_has_data(ds, p.previous())
    card = scoring.score_pillars(ds, p)
    assert card.vanity["previous"] == {}
    s = vanity.summary(ds, p).set_index("metric")
    assert s["change"].isna().all() and s["previous"].isna().all()
    longer = Period(pd.Timestamp("2026-02-01").date(), pd.Timestamp("2026-03-15").date())  # previous holds 10 Jan
    assert scoring.period_has_data(ds, longer.previous())

"""Property tests of the pillar scores: vanity invariance, bounds, monotonicity, determinism."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from harness import network, schema, scoring
from harness.dataset import Dataset, from_tables
from harness.periods import Period
from harness.targets import COMPONENTS, ORG_TYPES, Settings

P = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
BASE = pd.Timestamp("2024-09-15", tz="UTC")
NAMES = ["ann@x.org", " ANN@x.org", "Bob", "Cat", "Dan", "Eve", "Fay", "Gus"]
# Each example scores a dataset twice (~0.1 s each), so examples are kept few to keep the file fast.
# No "explain" phase: it traces every line of pandas while re-running a failing example and can take many
# minutes; the shrunk example is what we need.
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                phases=[p for p in Phase if p is not Phase.explain])
MONO = settings(FAST, max_examples=20)
FEWER = settings(FAST, max_examples=15)

_P_HOURS = (int((P.start_ts - BASE) / pd.Timedelta(hours=1)), int((P.end_ts - BASE) / pd.Timedelta(hours=1)) - 1)
# Half the rows fall in the scored period, the rest anywhere (before, in, after it).
times = st.one_of(st.integers(*_P_HOURS), st.integers(0, 220 * 24)).map(lambda h: BASE + pd.Timedelta(hours=h))
counts = st.one_of(st.integers(0, 400), st.integers(0, 400), st.none())  # mostly known
followers = st.one_of(st.integers(1, 3000), st.integers(1, 3000), st.just(0), st.none())
names = st.sampled_from(NAMES)
maybe_name = st.one_of(st.none(), names)
flags = st.sampled_from([True, False, None])


def _rows(strategy, min_size=0, max_size=10, **kw):
    return st.lists(strategy, min_size=min_size, max_size=max_size, **kw)


@st.composite
def table_sets(draw) -> dict[str, pd.DataFrame]:
    posts = draw(_rows(st.tuples(st.sampled_from(["facebook", "instagram", "linkedin"]), times,
                                 st.sampled_from(["organisation", "organisation", "community"]), maybe_name,
                                 *[counts] * 7), min_size=1, max_size=12))
    audience = draw(_rows(st.tuples(st.sampled_from(["facebook", "instagram"]), st.integers(0, 220),
                                    followers, counts, counts), min_size=1, max_size=10,
                          unique_by=lambda r: (r[0], r[1])))
    involvement = draw(_rows(st.tuples(times, maybe_name, st.sampled_from(["call", "visit", "donation"]),
                                       st.sampled_from(["facebook", "instagram", "referral", "website"]),
                                       st.one_of(st.none(), st.none(), names)), min_size=2, max_size=14))
    referrals = draw(_rows(st.tuples(times, names, names, flags)))
    contributions = draw(_rows(st.tuples(times, names, counts)))
    community = draw(_rows(st.tuples(times, st.sampled_from(["A", "b", " B ", None]), counts, flags)))
    post_cols = ["platform", "published_at", "author_kind", "author", *schema.VANITY_COLUMNS["posts"]]
    t = {
        "posts": pd.DataFrame(posts, columns=post_cols).assign(post_id=lambda d: [f"p{i}" for i in range(len(d))]),
        "audience": pd.DataFrame(audience, columns=["platform", "day", "followers", "new_followers", "views"])
        .assign(date=lambda d: BASE.normalize() + pd.to_timedelta(d["day"].astype("int64"), unit="D")),
        "involvement": pd.DataFrame(involvement, columns=["occurred_at", "person", "action", "source", "referred_by"]),
        "referrals": pd.DataFrame(referrals, columns=["occurred_at", "referrer", "referred", "converted"]),
        "contributions": pd.DataFrame(contributions, columns=["created_at", "contributor", "engagement"])
        .assign(kind="photo"),
        "community": pd.DataFrame(community, columns=["occurred_at", "partner", "attendees", "sales_related"])
        .assign(activity="x", kind="event"),
    }
    for name in ("involvement", "referrals", "contributions", "community"):
        t[name] = t[name].assign(record_id=[f"{name[0]}{i}" for i in range(len(t[name]))])
    return t


def _scores(ds: Dataset, settings: Settings | None = None) -> dict:
    """Every pillar and component score, current and previous period."""
    card = scoring.score_pillars(ds, P, settings)
    out = {}
    for key, p in card.pillars.items():
        out[key] = p.score
        out[f"{key}:previous"] = p.previous_score
        for c in p.components:
            out[f"{key}.{c.key}"] = c.score
    return out


def _replace(ds: Dataset, name: str, df: pd.DataFrame) -> Dataset:
    return Dataset(tables={**ds.tables, name: schema.coerce(name, df)})


VANITY = [(t, c) for t, cols in schema.VANITY_COLUMNS.items() for c in cols]


def _scaled_targets(scale: float) -> Settings:
    # Higher targets keep components off the 100 ceiling, where a rise would be invisible.
    return Settings(targets={c.key: c.default_target("school") * scale for c in COMPONENTS})


@FAST
@given(tables=table_sets(),
       raise_cols=st.one_of(st.just(frozenset(VANITY)), st.sets(st.sampled_from(VANITY), min_size=1)),
       factor=st.integers(1, 5), add=st.integers(0, 300), seed=st.integers(0, 2**16),
       scale=st.sampled_from([1, 10, 100]))
def test_raising_vanity_metrics_never_raises_any_score(tables, raise_cols, factor, add, seed, scale):
    ds, s = from_tables(**tables), _scaled_targets(scale)
    rng = np.random.default_rng(seed)
    raised = ds
    for name, col in sorted(raise_cols):
        df = raised[name]
        chosen = rng.random(len(df)) < 0.6
        up = df[col].where(~(df[col].notna() & chosen), df[col] * factor + add)
        raised = _replace(raised, name, df.assign(**{col: up}))
    before, after = _scores(ds, s), _scores(raised, s)
    for key, b in before.items():
        a = after[key]
        # Availability never changes with a vanity value, and a score never rises.
        assert (a is None) == (b is None), key
        if b is not None:
            assert a <= b + 1e-9, (key, b, a)


@FEWER
@given(tables=table_sets(), org_type=st.sampled_from(list(ORG_TYPES)),
       weights=st.dictionaries(st.sampled_from(["people_per_1k_followers", "k_factor", "non_sales_share"]),
                               st.floats(0, 5)),
       target=st.floats(0.01, 1000))
def test_scores_are_between_0_and_100_and_explain_themselves(tables, org_type, weights, target):
    s = Settings(org_type=org_type, weights=weights, targets={"repeat_share": target})
    card = scoring.score_pillars(from_tables(**tables), P, s)
    for p in card.pillars.values():
        assert (p.score is None) == (p.status is not None)
        for c in p.components:
            assert c.score is None or 0 <= c.score <= 100
        if p.score is not None:
            assert 0 <= p.score <= 100
            assert sum(c.contribution or 0 for c in p.components) == pytest.approx(p.score)


@MONO
@given(tables=table_sets(), pick=st.integers(0, 100), when=st.integers(0, 89 * 24),
       action=st.sampled_from(["call", "visit", "donation", "event"]),
       source=st.sampled_from(["facebook", "referral", "website"]), scale=st.sampled_from([1, 10]))
def test_another_action_by_an_involved_person_never_lowers_involvement(tables, pick, when, action, source, scale):
    ds = from_tables(**tables)
    inv = ds["involvement"]
    involved = inv[P.mask(inv["occurred_at"]) & inv["person"].notna()]
    if not len(involved):  # make sure someone is involved in the period
        seed = pd.DataFrame({"record_id": ["seed"], "occurred_at": [P.start_ts], "person": [NAMES[pick % 8]],
                             "action": ["call"], "source": ["website"], "referred_by": [None]})
        ds = _replace(ds, "involvement", pd.concat([inv, seed]))
        inv, involved = ds["involvement"], ds["involvement"].tail(1)
    person = involved["person"].iloc[pick % len(involved)]
    row = pd.DataFrame({"record_id": ["new"], "occurred_at": [P.start_ts + pd.Timedelta(hours=when)],
                        "person": [person], "action": [action], "source": [source], "referred_by": [None]})
    s = _scaled_targets(scale)
    before = scoring.score_pillars(ds, P, s).pillars["involvement"].score
    after = scoring.score_pillars(_replace(ds, "involvement", pd.concat([inv, row])), P, s).pillars["involvement"].score
    assert before is not None and after is not None
    assert after >= before - 1e-9


@MONO
@given(tables=table_sets(), referrer=names, when=st.integers(0, 89 * 24), scale=st.sampled_from([1, 10]))
def test_a_converted_referral_never_lowers_the_referral_measures(tables, referrer, when, scale):
    # The referred person is new: a brand-new recommendation, not a rewrite of an existing chain.
    # People referred, K-factor (new people per involved person), referral conversion and the share of
    # involved people who refer can only rise. The depth-2+ share can fall (a new referrer joins at depth
    # 1), and so can the pillar when a measure becomes measurable and joins the mean: both by design.
    ds = from_tables(**tables)
    row = pd.DataFrame({"record_id": ["new"], "occurred_at": [P.start_ts + pd.Timedelta(hours=when)],
                        "referrer": [referrer], "referred": ["Newcomer"], "converted": [True]})
    s = _scaled_targets(scale)
    before = scoring.score_pillars(ds, P, s).pillars["connections"]
    refs = pd.concat([ds["referrals"], row])
    after = scoring.score_pillars(_replace(ds, "referrals", refs), P, s).pillars["connections"]
    assert after.score is not None
    was = {c.key: c for c in before.components if c.available}
    now = {c.key: c for c in after.components if c.available}
    assert set(was) <= set(now)
    for key in ("referred_per_1k_followers", "k_factor", "referral_conversion", "referrer_share"):
        if key in was:  # scores, not values: a zero follower count gives full marks with no value
            assert now[key].score >= was[key].score - 1e-9, key


@FEWER
@given(tables=table_sets(), seed=st.integers(0, 2**16))
def test_row_order_does_not_change_scores(tables, seed):
    rng = np.random.default_rng(seed)
    shuffled = {k: df.iloc[rng.permutation(len(df))] for k, df in tables.items()}
    a, b = _scores(from_tables(**tables)), _scores(from_tables(**shuffled))
    assert a.keys() == b.keys()
    for key in a:
        assert (a[key] is None) == (b[key] is None), key
        if a[key] is not None:
            assert a[key] == pytest.approx(b[key], abs=1e-9), key


# A few names and a few instants: referral cycles, and ties on them, are common.
FEW = st.sampled_from(["A", "B", "C", "e@x.org", " E@X.org", " "])
INSTANTS = st.sampled_from([P.start_ts - pd.Timedelta(days=d) for d in (40, 30, 30, 2)]
                           + [P.start_ts + pd.Timedelta(days=d) for d in (0, 10, 10, 60)] + [P.end_ts])


@st.composite
def referral_tables(draw) -> dict[str, pd.DataFrame]:
    refs = draw(_rows(st.tuples(INSTANTS, FEW, FEW, flags), min_size=2, max_size=14))
    inv = draw(_rows(st.tuples(INSTANTS, st.one_of(st.none(), FEW), st.one_of(st.none(), st.none(), FEW)),
                     min_size=1, max_size=10))
    return {
        "referrals": pd.DataFrame(refs, columns=["occurred_at", "referrer", "referred", "converted"])
        .assign(record_id=[f"r{i}" for i in range(len(refs))]),
        "involvement": pd.DataFrame(inv, columns=["occurred_at", "person", "referred_by"])
        .assign(record_id=[f"i{i}" for i in range(len(inv))], action="call", source="referral"),
    }


@FEWER
@given(tables=referral_tables())
def test_connections_match_the_network_view_with_cycles_and_ties(tables):
    # Second method: the Network view builds its own forest and pairs from the names for each
    # period; scoring reads the dataset's people and edges numbered once and cuts them by date.
    ds = from_tables(**tables)
    card = scoring.score_pillars(ds, P)
    m = network.network_metrics(ds, P)
    span = scoring.pillar_spans(ds)["connections"]
    for which, period, figures in (("value", P, m), ("previous_value", P.previous(), m.previous)):
        if scoring._status("connections", span, period):
            continue  # no score outside the dates the referral data covers
        for c in card.pillars["connections"].components:
            if c.key in ("k_factor", "depth2_share", "referral_conversion"):
                assert getattr(c, which) == pytest.approx(getattr(figures, c.key)), (which, c.key)

"""The review page's tables, built from a frozen snapshot (JSON) by hand and from a real one."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from harness import format as fmt
from harness import snapshot_views as sv


@pytest.mark.parametrize("score,expected", [(None, "no data"), (87.6, "88/100"), (0, "0/100"), (float("nan"), "no data"),
                                            ("80", "no data"), (True, "no data")])
def test_score_text(score, expected):
    assert fmt.score(score) == expected


@pytest.mark.parametrize("change,kwargs,expected", [
    (None, {}, None), (5, {}, "+5"), (-3.4, {}, "-3"), (0.1234, {"digits": 2}, "+0.12"),
    (0.05, {"share": True}, "+5 pts"), (-1250, {"suffix": " vs previous"}, "-1,250 vs previous"),
    (math.inf, {}, None),
])
def test_change_text(change, kwargs, expected):
    assert fmt.change(change, **kwargs) == expected


SNAP = {
    "scorecard": {"pillars": {
        "community": {"label": "Wider community", "score": 40.0, "components": []},
        "involvement": {"label": "Involvement", "score": 75.0, "change": 5.0, "components": [
            {"label": "People involved", "value": 2.5, "unit": "per 1,000 followers", "target": 5, "score": 50,
             "weight": 2, "contribution": 33.333, "available": True, "how": "people ÷ followers × 1,000"},
            {"label": "Repeat share", "value": None, "unit": "share", "target": 0.3, "score": None, "weight": 1,
             "contribution": 0, "available": False, "reason": "no involvement log"},
        ]},
    }},
    "vanity": {"freq": "W", "summary": [
        {"metric": "reactions", "label": "Reactions (likes)", "kind": "vanity", "current": 1200.0, "change": -30.0},
        {"metric": "real_actions_per_1k_reactions", "label": "Per 1,000", "kind": "real", "current": 15.94,
         "change": 4.81}],
        "weekly": [{"bucket": "2026-03-02", "days": 7, "engagement": 10, "reactions": 8, "followers": None,
                    "real_actions": 2, "people_involved": 1}]},
    "network": {"people": 10, "depth2_share": 0.25, "k_factor": 0.5, "change": {"people": 3, "depth2_share": -0.05},
                "top_by_reach": [{"person": "Person 1a2b", "reach_in_period": 4, "downstream_reach": 6,
                                  "direct_referrals": 2, "converted": 1, "depth": 1}]},
    "pyramid": [{"level": "observing", "label": "Observing", "people": 500, "previous_people": None, "change": None,
                 "estimate": True}, {"level": "following", "label": "Following", "people": 40, "estimate": None}],
}


def test_pillars_come_in_display_order_with_their_keys():
    assert [p["key"] for p in sv.pillars(SNAP)] == ["involvement", "community"]
    assert sv.pillars({}) == []


@pytest.mark.parametrize("row,column,expected", [
    (0, "Component", "People involved"), (0, "Value", "2.5"), (0, "Target", "5"), (0, "Score (0–100)", "50"),
    (0, "Weight", "2.0"), (0, "Points added", "33.3"), (0, "How it is computed", "people ÷ followers × 1,000"),
    # not available: a dash and the reason, never None or nan; a share's target as a percentage
    (1, "Value", "not available"), (1, "Target", "30%"), (1, "Score (0–100)", fmt.MISSING),
    (1, "Points added", fmt.MISSING), (1, "How it is computed", "Not available: no involvement log"),
])
def test_components_frame_reads_as_text(row, column, expected):
    df = sv.components_frame(SNAP["scorecard"]["pillars"]["involvement"])
    assert df.loc[row, column] == expected


def test_components_frame_has_no_none_or_nan():
    df = sv.components_frame(SNAP["scorecard"]["pillars"]["involvement"])
    assert not df.isna().any().any()
    assert "None" not in df.to_csv(index=False) and "nan" not in df.to_csv(index=False)


def test_vanity_summary_rounds_the_rate_to_one_decimal():
    rows = sv.vanity_summary(SNAP)
    assert rows == [{"label": "Reactions (likes)", "kind": "vanity", "value": "1,200", "delta": "-30"},
                    {"label": "Per 1,000", "kind": "real", "value": "15.9", "delta": "+4.8"}]


def test_weekly_frame_has_utc_buckets_and_numbers():
    df = sv.weekly_frame(SNAP)
    assert str(df["bucket"].dt.tz) == "UTC" and df["bucket"].iloc[0] == pd.Timestamp("2026-03-02", tz="UTC")
    assert pd.isna(df["followers"].iloc[0]) and df["real_actions"].iloc[0] == 2
    assert sv.weekly_frame({}).empty


def test_network_figures_format_shares_as_percent_and_points():
    df = sv.network_figures(SNAP).set_index("Figure")
    assert df.loc["People reached (referred or involved)"].tolist() == ["10", "+3"]
    assert df.loc["Reached through someone else (depth 2+)"].tolist() == ["25%", "-5 pts"]
    assert df.loc["K-factor (converted referrals per involved person)"].tolist() == ["0.50", "–"]
    assert df.loc["Largest cascade (people)"].tolist() == ["–", "–"]


def test_connectors_and_pyramid_frames():
    top = sv.connectors_frame(SNAP)
    assert top.iloc[0].tolist() == ["Person 1a2b", 4.0, 6.0, 2.0, 1.0, 1.0]
    pyr = sv.pyramid_frame(SNAP)
    assert pyr["estimate"].tolist() == [True, False] and pyr["people"].tolist() == [500, 40]
    assert sv.pyramid_frame({}).empty and sv.connectors_frame({}).empty


def test_a_real_snapshot_gives_every_table(sample_snapshot):
    assert len(sv.pillars(sample_snapshot)) == 4
    assert len(sv.network_figures(sample_snapshot)) == len(sv.NETWORK_FIGURES)
    assert len(sv.weekly_frame(sample_snapshot)) == len(sample_snapshot["vanity"]["weekly"])
    assert len(sv.pyramid_frame(sample_snapshot)) == 6


@pytest.fixture(scope="module")
def sample_snapshot():
    from harness import periods, reviews, targets
    from harness.loading import load_sample

    ds, _ = load_sample()
    return reviews.build_snapshot(ds, periods.default_period(ds), targets.default_settings("school"), "salt")


def test_chart_specs_match_the_charts_built_directly(sample_snapshot):
    from harness import charts

    specs = sv.chart_specs(sample_snapshot)
    assert sorted(specs) == ["pyramid", "vanity"]
    direct = charts.pyramid_chart(sv.pyramid_frame(sample_snapshot)).to_dict()
    assert specs["pyramid"] == direct
    assert sv.chart_specs({}) == {}


@pytest.mark.parametrize("score", [51.45, 77.47, 50.5, 99.96, 0.44])
def test_a_published_score_reads_the_same_as_on_the_live_page(score):
    """The snapshot must not round before the display does: 51.45 once became "52/100" on a review."""
    from harness.scoring import PillarScore

    frozen = PillarScore("co_creation", "Co-creation", score, None, None, [], None, "").to_dict()
    assert fmt.score(frozen["score"]) == f"{score:.0f}/100"

"""Tables and charts a person reads without help: plain headers, no None, shares as percentages, platform names
as the platforms spell them, tables sorted by a column they show, charts sized for their rows."""

from __future__ import annotations

import pandas as pd
import pytest

from harness import charts, scoring, views
from harness import format as fmt
from harness.loading import load_sample
from tests.readability import problems


@pytest.mark.parametrize("value, label", [
    ("linkedin", "LinkedIn"), ("youtube", "YouTube"), ("tiktok", "TikTok"), ("facebook", "Facebook"),
    ("instagram", "Instagram"), ("x", "X (Twitter)"), ("word_of_mouth", "Word of mouth"),
    ("community_event", "Community event"), ("newsletter", "Newsletter"), (None, "Not recorded"),
    ("LinkedIn", "LinkedIn"), ("YouTube", "YouTube"), ("X (Twitter)", "X (Twitter)"),
])
def test_platform_names(value, label):
    assert fmt.platform(value) == label


@pytest.fixture(scope="module")
def card():
    ds, _ = load_sample()
    return scoring.score_pillars(ds)


@pytest.mark.parametrize("key", ["involvement", "co_creation", "connections", "community"])
def test_explain_rows_read_without_help(card, key):
    pillar = card.pillars[key]
    rows = views.explain_rows(pillar)
    assert len(rows) == len(pillar.components)
    text = rows.to_csv(index=False)
    assert problems(text, key) == []
    assert not rows.isna().any().any()
    for c, (_, r) in zip(pillar.components, rows.iterrows()):
        if c.available and c.unit.startswith("share"):
            assert r["Value"] == f"{c.value:.0%}" and r["Value"].endswith("%")
    # The frozen form (review page) gives the same table.
    assert views.explain_rows(pillar.to_dict()).equals(rows)


def test_connectors_are_sorted_by_a_column_they_show():
    t = pd.DataFrame({"person": ["b", "a", "c"], "reach_in_period": [2, 2, 5], "downstream_reach": [9, 1, 5],
                      "direct_referrals": [1, 3, 2], "converted": [0, 1, 1], "depth": [1, 1, 2],
                      "first_seen": ["x", "y", "z"]})
    out = views.connectors_display(t, "direct_referrals")
    assert list(out.columns) == ["Person", "Reach in period", "All downstream", "Direct referrals", "Converted", "Depth"]
    assert out["Direct referrals"].tolist() == [3, 2, 1]
    by_reach = views.connectors_display(t, "reach_in_period")
    assert by_reach["Person"].tolist() == ["c", "a", "b"]  # ties by name
    with pytest.raises(ValueError):
        views.connectors_display(t, "first_seen")


def test_row_charts_give_each_row_room_and_only_fit_the_width(card):
    for key in ("involvement", "community"):
        spec = charts.component_chart(card.pillars[key].to_dict(), "#000").to_dict()
        n = len(card.pillars[key].components)
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
        assert spec["height"] >= 30 * n
        assert spec["encoding"]["y"]["axis"]["labelLimit"] >= 180
        tips = [t["field"] for t in spec["encoding"]["tooltip"]]
        assert "component" in tips  # the whole name on hover


def test_the_posts_chart_spells_platforms_properly():
    ds, _ = load_sample()
    from harness import periods, vanity
    ranked = vanity.rank_posts(ds, periods.default_period(ds))
    values = charts.posts_two_ways_chart(ranked).to_dict()["datasets"]
    platforms = {r["platform"] for rows in values.values() for r in rows}
    assert platforms and platforms <= {"Facebook", "Instagram", "LinkedIn", "X (Twitter)", "YouTube", "TikTok"}

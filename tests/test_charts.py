"""Chart axes for counts: whole-number ticks only (tested through ``chart.to_dict()``)."""

from __future__ import annotations

import pandas as pd
import pytest

from harness import charts


@pytest.mark.parametrize("values,whole", [([1, 1, 1], True), ([3.0, 7.0], True), ([0.25, 1.5], False),
                                          ([None, 2], True), ([], False)])
def test_horizontal_bars_ticks_whole_numbers_only_for_counts(values, whole):
    df = pd.DataFrame({"partner": [f"p{i}" for i in range(len(values))], "n": values})
    x = charts.horizontal_bars(df, "partner", "n", "Partners", "Activities together").to_dict()["encoding"]["x"]
    assert x.get("axis", {}) is not None, "the axis must never be switched off"
    assert x.get("axis", {}).get("tickMinStep") == (1 if whole else None)


def test_stacked_counts_over_time_tick_whole_numbers():
    df = pd.DataFrame({"bucket": pd.to_datetime(["2026-03-02", "2026-03-09"]), "kind": ["event", "service"],
                       "count": [1, 2]})
    spec = charts.stacked_over_time(df, "kind", "Activities by kind", "Activities").to_dict()
    assert spec["encoding"]["y"]["axis"]["tickMinStep"] == 1


def test_posts_two_ways_keeps_both_ends_when_there_are_too_many_posts():
    n = 12_000
    posts = pd.DataFrame({"platform": "facebook", "published_at": pd.date_range("2026-01-01", periods=n, freq="h"),
                          "text": [f"post {i}" for i in range(n)], "reactions": range(n),
                          "real_actions": [n - i for i in range(n)]})
    spec = charts.posts_two_ways_chart(posts, limit=2_000).to_dict()
    rows = next(iter(spec["datasets"].values()))
    texts = {r["text"] for r in rows}
    # the 1,000 most liked are the last 1,000 posts; the 1,000 with most real actions the first 1,000
    assert texts == {f"post {i}" for i in [*range(1_000), *range(n - 1_000, n)]}
    assert spec["title"]["subtitle"].startswith("2,000 of 12,000 posts")
    small = charts.posts_two_ways_chart(posts.head(50)).to_dict()
    assert len(next(iter(small["datasets"].values()))) == 50 and "subtitle" not in small["title"]


def test_stacked_legend_sits_under_the_chart():
    # On a phone a right-hand legend took half the width and cut the axis title off.
    df = pd.DataFrame({"bucket": pd.to_datetime(["2026-03-02", "2026-03-09"]), "kind": ["Event", "Volunteering"],
                       "count": [1, 2]})
    legend = charts.stacked_over_time(df, "kind", "Activities by kind", "Activities").to_dict()["encoding"]["color"]["legend"]
    assert legend["orient"] == "bottom"


@pytest.mark.parametrize("actions,whole", [([0, 1, 2], True), ([0.5, 1, 2], False)])
def test_posts_two_ways_counts_have_whole_number_ticks(actions, whole):
    posts = pd.DataFrame({"platform": "facebook", "published_at": pd.date_range("2026-01-01", periods=3, freq="D"),
                          "text": ["a", "b", "c"], "reactions": [10, 20, 30], "real_actions": actions})
    y = charts.posts_two_ways_chart(posts).to_dict()["encoding"]["y"]
    assert (y.get("axis", {}).get("tickMinStep") == 1) is whole

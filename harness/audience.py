"""Followers at a date: the one rule for every page, score, pyramid level, review and report.

* Followers on a day = for each platform, the latest known running total (``audience.followers``) on or
  before that day; a platform with none uses the count typed into Settings (``followers_override``).
  Summed over platforms. Unknown (None) when nothing is known.
* ``platforms`` (optional) limits both the exports and the typed counts to those platforms.
* Follower growth in a period = per platform the sum of known ``new_followers``, or else the change in the
  running total across the period; summed over platforms.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from harness import periods
from harness.periods import Period


def latest_followers(audience: pd.DataFrame, day: dt.date, platforms=None) -> pd.Series:
    """The latest known running total per platform at the end of ``day`` (platforms with none are absent)."""
    aud = audience[audience["followers"].notna() & (audience["date"] < pd.Timestamp(day, tz="UTC") + pd.Timedelta(days=1))]
    if platforms is not None:
        aud = aud[aud["platform"].isin(platforms)]
    return aud.sort_values("date", kind="stable").groupby("platform", sort=True)["followers"].last().astype(float)


def followers_at(audience: pd.DataFrame, day: dt.date, override: dict[str, int] | None = None,
                 platforms=None) -> float | None:
    """Followers summed over platforms at the end of ``day`` (see module rules)."""
    latest = latest_followers(audience, day, platforms)
    total, known = float(latest.sum()), len(latest) > 0
    for platform, n in (override or {}).items():
        if platform in latest.index or (platforms is not None and platform not in platforms):
            continue
        total, known = total + float(n), True
    return total if known else None



def follower_growth(audience: pd.DataFrame, period: Period, platforms=None) -> float | None:
    """Followers gained in ``period``: per platform the sum of known new_followers, or else the
    change in the running total across the period; summed over platforms. None when unknown."""
    aud = audience if platforms is None else audience[audience["platform"].isin(platforms)]
    gained = periods.in_period(aud, "audience", period).groupby("platform")["new_followers"].sum(min_count=1)
    end = latest_followers(aud, period.end)
    start = latest_followers(aud, period.start - dt.timedelta(days=1))
    by_total = end.sub(start)  # NaN where either end is unknown
    combined = gained.astype(float).combine_first(by_total) if len(gained) else by_total
    combined = combined.where(combined.notna(), by_total.reindex(combined.index))
    known = combined.dropna()
    return float(known.sum()) if len(known) else None

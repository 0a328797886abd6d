"""Followers at a date: the one rule for every page, score, pyramid level, review and report.

* Followers on a day = for each platform, the latest known running total (``audience.followers``) on or
  before that day; a platform with none uses the count typed into Settings: a dated count
  (``follower_counts``, :func:`typed_followers_at`) before an undated one (``followers_override``).
  Summed over platforms. Unknown (None) when nothing is known.
* A dated count moves to another day by the daily new follows the exports list (Meta's Follows file):
  minus the follows after that day up to the day it was counted, plus those after it when the day is later.
  Days no export lists add nothing, so with no daily file the count stands as typed. Never below 0.
* :func:`platforms_needing_followers`: the platforms the uploads show with no running total in any export
  and no count typed in, the ones to ask once for today's count.
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
                 platforms=None, counts: dict[str, dict] | None = None) -> float | None:
    """Followers summed over platforms at the end of ``day`` (see module rules)."""
    latest = latest_followers(audience, day, platforms)
    total, known = float(latest.sum()), len(latest) > 0
    for platform, entry in (counts or {}).items():
        if platform in latest.index or (platforms is not None and platform not in platforms):
            continue
        total, known = total + typed_followers_at(audience, platform, entry, day), True
        override = {k: v for k, v in (override or {}).items() if k != platform}
    for platform, n in (override or {}).items():
        if platform in latest.index or (platforms is not None and platform not in platforms):
            continue
        total, known = total + float(n), True
    return total if known else None



def typed_followers_at(audience: pd.DataFrame, platform: str, entry: dict, day: dt.date) -> float:
    """A count typed in on ``entry["date"]``, moved to the end of ``day`` by the daily new follows (module rules)."""
    counted = dt.date.fromisoformat(str(entry["date"]))
    n = float(entry["followers"])
    aud = audience[(audience["platform"] == platform) & audience["new_followers"].notna()]
    days = aud["date"].dt.date
    if day < counted:
        n -= float(aud.loc[(days > day) & (days <= counted), "new_followers"].sum())
    elif day > counted:
        n += float(aud.loc[(days > counted) & (days <= day), "new_followers"].sum())
    return max(0.0, n)


def platforms_needing_followers(ds, settings=None) -> list[str]:
    """Platforms the uploads show (posts or page figures) with no running follower total in any export and
    no count typed in yet: the ones to ask "how many followers today?" once."""
    from harness import schema

    seen = set(ds["posts"]["platform"].dropna()) | set(ds["audience"]["platform"].dropna())
    seen &= set(schema.SOCIAL_PLATFORMS)
    totals = set(ds["audience"].loc[ds["audience"]["followers"].notna(), "platform"])
    typed = set((settings.follower_counts if settings else {}) or {}) | set(
        (settings.followers_override if settings else {}) or {})
    order = list(schema.PLATFORMS)
    return sorted(seen - totals - typed, key=order.index)


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

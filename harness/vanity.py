"""Vanity vs real: likes and followers side by side with real involvement.

Vanity metrics (reactions, comments, shares, views, followers) are shown here
beside the real things (actions, people involved, contributions, referrals)
so staff can see whether one moves with the other. Nothing here feeds a score.

Rules (documented because they change the numbers):

* **Buckets.** Weeks start on Monday (``freq="W"``), months on the 1st
  (``freq="MS"``), both in UTC. Every bucket that overlaps the period is a
  row, even when nothing happened in it; the first and last buckets may be
  partial, and ``days`` says how many of their days are inside the period.
* **Vanity sums** (reactions, comments, shares, views) add up the known
  values of the posts published in the bucket (all posts in the posts table,
  as the scorecard's vanity figures do). A bucket where no post has a known
  value is null, not 0: "we don't know" is not "nobody reacted".
  ``engagement`` = reactions + comments + shares (known parts only; null
  when none is known).
* **Followers** are, per platform, the latest known running total on or
  before the bucket's last day (carried forward from earlier days), summed
  over platforms; null when no platform has a total yet.
* **Follower growth** per platform is the sum of the ``new_followers`` it
  reported in the bucket; when it reported none, the change in its running
  total between the end of the previous bucket (or the day before the
  period) and the end of this one; unknown when neither is known. Summed
  over platforms, null when no platform's growth is known. (The same rule
  as ``scoring.follower_growth``, so the headline matches the scorecard.)
* **Real things** are counts, so an empty bucket is 0: ``real_actions``
  (involvement rows), ``people_involved`` (distinct named people, after
  :func:`schema.normalise_person`), ``contributions`` (community content
  created) and ``referrals`` (distinct referrer -> referred pairs from the
  referrals log and the involvement log's "Referred by", counted in the
  bucket where the pair first appears).
* **Platform filter.** ``platforms`` limits posts and audience (the vanity
  side) to those platforms, as the scorecard does; the real things are
  counted in full, because a call or a visit belongs to no single platform.
  Time-window attribution of actions to posts only sees those platforms' posts.
* ``real_actions_per_1k_reactions`` = 1000 x real actions / reactions; null
  when reactions are unknown or 0.

Rank correlation (:func:`rank_correlation`): Spearman's rho between weekly
engagement and weekly real actions, over weeks whose engagement is known.
Ranks are averaged for ties, then Pearson's r of the ranks. Needs at least
:data:`MIN_WEEKS` such weeks and neither series constant, otherwise rho is
None. Strength of |rho|: under 0.2 none, 0.2-0.4 weak, 0.4-0.7 moderate,
0.7 and over strong. The reading always says that correlation is not cause.

Post attribution (:func:`rank_posts`): an action whose ``post_id`` names a
known post counts for that post (same platform as the action's source when
the id exists on several platforms). Otherwise an action whose source is a
social platform is attributed to the organisation's most recent post on that
platform published at most ``window_days`` days before the action (none if
there is no such post). Actions from non-social sources (referral, website,
word of mouth...) are never attributed to posts. Actions up to
``window_days`` after the period can be attributed to the period's last posts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from harness import schema
from harness.network import ReferralIndex, referral_index
from harness.periods import Period, in_period

FREQS = {"W": "week", "MS": "month"}
VANITY_SUMS = ("reactions", "comments", "shares", "views")
ENGAGEMENT_PARTS = ("reactions", "comments", "shares")
MIN_WEEKS = 6
# Lower bounds of |rho| for each strength, strongest first.
STRENGTHS = ((0.7, "strong"), (0.4, "moderate"), (0.2, "weak"), (0.0, "none"))


# --------------------------------------------------------------------------
# Buckets


def bucket_start(times: pd.Series, freq: str) -> pd.Series:
    """The Monday (``W``) or first of the month (``MS``) each UTC time falls in."""
    day = times.dt.floor("D")
    if freq == "W":
        return day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    if freq == "MS":
        return day - pd.to_timedelta(day.dt.day - 1, unit="D")
    raise ValueError(f"unknown frequency '{freq}'; use 'W' (weeks) or 'MS' (months)")


def bucket_index(period: Period, freq: str) -> pd.DatetimeIndex:
    first = bucket_start(pd.Series([period.start_ts]), freq).iloc[0]
    last = bucket_start(pd.Series([pd.Timestamp(period.end, tz="UTC")]), freq).iloc[0]
    step = "7D" if freq == "W" else "MS"
    return pd.date_range(first, last, freq=step, name="bucket").astype(schema.TIME)


# --------------------------------------------------------------------------
# Filtering


def _only(df: pd.DataFrame, col: str, platforms) -> pd.DataFrame:
    if platforms is None:
        return df
    return df[df[col].isin([platforms] if isinstance(platforms, str) else list(platforms))]


def _first_referrals(index: ReferralIndex) -> pd.Series:
    """When each referrer -> referred pair was first recorded."""
    times = index.first_referral_times()
    return times if len(times) else pd.Series(dtype=schema.TIME)


# --------------------------------------------------------------------------
# Aggregation over buckets


def _aggregate(dataset, period: Period, key, index: pd.DatetimeIndex, platforms) -> pd.DataFrame:
    """All the per-bucket columns; ``key`` maps a time Series to bucket starts."""
    out = pd.DataFrame(index=index)
    out = out.join(_vanity_sums(dataset, period, key, platforms), how="left")
    out = out.join(_followers(dataset, period, index, platforms), how="left")
    out = out.join(_real_counts(dataset, period, key), how="left")
    for col in ("posts", "real_actions", "people_involved", "contributions", "referrals"):
        out[col] = out[col].fillna(0).astype(schema.INT)
    reactions = out["reactions"].astype(schema.FLOAT)
    per_1k = out["real_actions"].astype(schema.FLOAT) * 1000 / reactions.where(reactions > 0)
    out["real_actions_per_1k_reactions"] = per_1k.astype(schema.FLOAT)
    return out


def _vanity_sums(dataset, period, key, platforms) -> pd.DataFrame:
    posts = in_period(_only(dataset["posts"], "platform", platforms), "posts", period)
    b = key(posts["published_at"]).rename("bucket")
    grouped = posts.groupby(b)
    sums = grouped[list(VANITY_SUMS)].sum(min_count=1)
    sums["engagement"] = sums[list(ENGAGEMENT_PARTS)].sum(axis=1, min_count=1)
    sums["posts"] = grouped.size()
    return sums.astype({c: schema.INT for c in (*VANITY_SUMS, "engagement", "posts")})


def _latest_before(audience: pd.DataFrame, index: pd.DatetimeIndex, when: pd.Series, platforms) -> pd.DataFrame:
    """Per (bucket, platform): the latest known followers total strictly before ``when``."""
    known = audience[audience["followers"].notna()][["date", "platform", "followers"]]
    grid = pd.DataFrame({
        "bucket": np.repeat(index.to_numpy(), len(platforms)),
        "at": np.repeat(when.to_numpy(), len(platforms)),
        "platform": np.tile(np.asarray(platforms, dtype=object), len(index)),
    }).astype({"bucket": schema.TIME, "at": schema.TIME, "platform": schema.STR})
    merged = pd.merge_asof(
        grid.sort_values("at", kind="stable"), known.sort_values("date", kind="stable"),
        left_on="at", right_on="date", by="platform", allow_exact_matches=False, direction="backward",
    )
    return merged.set_index(["bucket", "platform"])[["date", "followers"]].sort_index()


def _followers(dataset, period: Period, index: pd.DatetimeIndex, platforms) -> pd.DataFrame:
    aud = _only(dataset["audience"], "platform", platforms)
    plats = sorted(aud["platform"].unique())
    if not plats:
        return pd.DataFrame({c: pd.Series(dtype=schema.INT) for c in ("followers", "follower_growth")},
                            index=index[:0])
    starts, ends = _bounds(period, index)
    end_p = _latest_before(aud, index, ends, plats)
    start_p = _latest_before(aud, index, starts, plats)
    inside = in_period(aud, "audience", period)
    new_p = inside.groupby([bucket_of(inside["date"], index), inside["platform"]])["new_followers"].sum(min_count=1)
    new_p.index.names = ["bucket", "platform"]
    growth_p = new_p.reindex(end_p.index).fillna(end_p["followers"] - start_p["followers"])
    return pd.DataFrame({
        "followers": end_p["followers"].groupby(level="bucket").sum(min_count=1),
        "follower_growth": growth_p.groupby(level="bucket").sum(min_count=1),
    }).astype(schema.INT)


def _bounds(period: Period, index: pd.DatetimeIndex) -> tuple[pd.Series, pd.Series]:
    """Each bucket's start and exclusive end, clipped to the period."""
    starts = pd.Series(index).clip(lower=period.start_ts)
    ends = pd.Series(index[1:].append(pd.DatetimeIndex([period.end_ts]))).clip(upper=period.end_ts)
    return starts, ends


def bucket_of(times: pd.Series, index: pd.DatetimeIndex) -> pd.Series:
    """The bucket start (from ``index``) each time falls in; times must be >= index[0]."""
    pos = index.searchsorted(times.to_numpy(), side="right") - 1
    return pd.Series(index[pos], index=times.index, name="bucket")


def _real_counts(dataset, period, key) -> pd.DataFrame:
    # People and referrals come numbered once per dataset (see network.ReferralIndex).
    index = referral_index(dataset)
    in_p = period.mask(dataset["involvement"]["occurred_at"]).to_numpy(bool)
    inv = dataset["involvement"][in_p]
    codes = index.inv_code[in_p]
    people = pd.Series(codes, index=inv.index).where(codes >= 0)  # anonymous rows are no one
    b = key(inv["occurred_at"]).rename("bucket")
    con = in_period(dataset["contributions"], "contributions", period)
    ref = _first_referrals(index)
    ref = ref[period.mask(ref)]
    return pd.DataFrame({
        "real_actions": inv.groupby(b).size(),
        "people_involved": people.groupby(b).nunique(),
        "contributions": con.groupby(key(con["created_at"]).rename("bucket")).size(),
        "referrals": ref.groupby(key(ref).rename("bucket")).size(),
    })


COLUMNS = [
    "bucket", "days", "reactions", "comments", "shares", "views", "engagement", "followers",
    "follower_growth", "posts", "real_actions", "people_involved", "contributions", "referrals",
    "real_actions_per_1k_reactions",
]


def vanity_vs_real(dataset, period: Period, freq: str = "W", platforms=None) -> pd.DataFrame:
    """One row per week (Monday start) or month in ``period``: vanity beside real involvement."""
    index = bucket_index(period, freq)
    out = _aggregate(dataset, period, lambda t: bucket_start(t, freq), index, platforms)
    starts, ends = _bounds(period, index)
    out["days"] = ((ends - starts).dt.days).to_numpy()
    out = out.reset_index(names="bucket")
    return out.reindex(columns=COLUMNS)


# --------------------------------------------------------------------------
# Headline totals


SUMMARY_METRICS = (
    ("reactions", "Reactions (likes)", "vanity"),
    ("real_actions", "Real actions", "real"),
    ("real_actions_per_1k_reactions", "Real actions per 1,000 reactions", "real"),
    ("follower_growth", "Follower growth", "vanity"),
    ("people_involved", "People involved", "real"),
    ("followers", "Followers at the end of the period", "vanity"),
)


def period_totals(dataset, period: Period, platforms=None) -> pd.Series:
    """The vanity-vs-real columns for the whole period as one bucket."""
    index = pd.DatetimeIndex([period.start_ts], name="bucket").astype(schema.TIME)
    key = lambda t: pd.Series(period.start_ts, index=t.index, dtype=schema.TIME)  # noqa: E731
    return _aggregate(dataset, period, key, index, platforms).iloc[0]


def summary(dataset, period: Period, platforms=None) -> pd.DataFrame:
    """Headline totals: metric, label, kind (vanity/real), current, previous, change.

    ``change`` is current - previous; null when either is unknown, and previous is null when nothing
    at all is dated in the previous period (shown as "no earlier data", not as growth).
    """
    from harness.scoring import period_has_data

    now = period_totals(dataset, period, platforms)
    before = period_totals(dataset, period.previous(), platforms)
    earlier = period_has_data(dataset, period.previous(), platforms)  # an empty previous period is no baseline
    rows = []
    for metric, label, kind in SUMMARY_METRICS:
        cur, prev = _num(now[metric]), _num(before[metric]) if earlier else None
        change = None if cur is None or prev is None else cur - prev
        rows.append({"metric": metric, "label": label, "kind": kind,
                     "current": cur, "previous": prev, "change": change})
    return pd.DataFrame(rows).astype({"current": schema.FLOAT, "previous": schema.FLOAT, "change": schema.FLOAT})


def _num(value) -> float | None:
    return None if pd.isna(value) else float(value)


# --------------------------------------------------------------------------
# Rank correlation


@dataclass(frozen=True)
class Correlation:
    rho: float | None
    n_weeks: int
    reading: str
    strength: str | None = None  # strong / moderate / weak / none; None when not computed


NOT_CAUSE = "This is a correlation, not proof that one causes the other."


def spearman(x: pd.Series, y: pd.Series) -> float | None:
    """Spearman's rho: Pearson's r of the tie-averaged ranks; None if either is constant."""
    rx = pd.Series(x, dtype="float64").rank(method="average").to_numpy()
    ry = pd.Series(y, dtype="float64").rank(method="average").to_numpy()
    if len(rx) < 2 or rx.std() == 0 or ry.std() == 0:
        return None
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return float((rx * ry).sum() / np.sqrt((rx * rx).sum() * (ry * ry).sum()))


def strength(rho: float) -> str:
    return next(name for bound, name in STRENGTHS if abs(rho) >= bound)


def reading(rho: float, n_weeks: int) -> str:
    """Plain-language reading of a weekly engagement vs real-actions rho."""
    s = strength(rho)
    figures = f"(ρ = {rho:.2f} over {n_weeks} weeks)"
    if s == "none":
        text = f"Weeks with more likes, comments and shares did not reliably bring more real actions {figures}."
    elif rho > 0:
        how = {"strong": "clearly tended", "moderate": "tended", "weak": "only slightly tended"}[s]
        text = f"Weeks with more likes, comments and shares {how} to bring more real actions {figures}."
    else:
        how = {"strong": "clearly tended", "moderate": "tended", "weak": "slightly tended"}[s]
        text = f"Weeks with more likes, comments and shares {how} to bring fewer real actions {figures}."
    if n_weeks < 12:
        text += f" With only {n_weeks} weeks, treat this as a rough guide."
    return f"{text} {NOT_CAUSE}"


def _weekly_engagement(weekly: pd.DataFrame) -> pd.Series:
    if "engagement" in weekly.columns:
        return weekly["engagement"]
    parts = [c for c in ENGAGEMENT_PARTS if c in weekly.columns]
    return weekly[parts].sum(axis=1, min_count=1)


def rank_correlation(weekly: pd.DataFrame) -> Correlation:
    """Spearman's rho between weekly engagement and weekly real actions (weeks with known engagement)."""
    eng = _weekly_engagement(weekly)
    known = eng.notna() & weekly["real_actions"].notna()
    x, y = eng[known].astype("float64"), weekly["real_actions"][known].astype("float64")
    n = int(known.sum())
    if n < MIN_WEEKS:
        return Correlation(None, n, f"Not enough weeks to compare yet: {n} week(s) have engagement figures "
                                    f"and at least {MIN_WEEKS} are needed.")
    rho = spearman(x, y)
    if rho is None:
        which = "Real actions" if y.nunique() == 1 else "Engagement"
        return Correlation(None, n, f"{which} did not change from week to week over these {n} weeks, "
                                    "so there is nothing to compare.")
    return Correlation(rho, n, reading(rho, n), strength(rho))


# --------------------------------------------------------------------------
# Posts ranked by reactions and by real actions


def _post_id_matches(inv: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """(row, platform, post_id) for actions whose post_id names a known post."""
    has = inv[inv["post_id"].notna()][["row", "source", "post_id"]]
    keys = posts[["platform", "post_id"]].drop_duplicates()
    exact = has.merge(keys, left_on=["source", "post_id"], right_on=["platform", "post_id"])
    rest = has[~has["row"].isin(exact["row"])]
    loose = rest.merge(keys.drop_duplicates("post_id"), on="post_id")
    return pd.concat([exact, loose], ignore_index=True)[["row", "platform", "post_id"]]


def _window_matches(inv: pd.DataFrame, posts: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """(row, platform, post_id) for social-sourced actions matched to the latest earlier post."""
    left = inv[inv["source"].isin(list(schema.SOCIAL_PLATFORMS))][["row", "source", "occurred_at"]]
    right = posts[posts["author_kind"] == "organisation"][["platform", "post_id", "published_at"]]
    if not len(left) or not len(right):
        return pd.DataFrame({"row": [], "platform": [], "post_id": []})
    m = pd.merge_asof(
        left.sort_values("occurred_at", kind="stable"), right.sort_values("published_at", kind="stable"),
        left_on="occurred_at", right_on="published_at", left_by="source", right_by="platform",
        direction="backward", tolerance=pd.Timedelta(days=window_days),
    )
    return m[m["post_id"].notna()][["row", "platform", "post_id"]]


def attribute_actions(dataset, period: Period, window_days: int = 7, platforms=None) -> pd.DataFrame:
    """Per post (platform, post_id): actions attributed by post_id and by time window."""
    if not isinstance(window_days, (int, float)) or window_days < 0:
        raise ValueError(f"the attribution window must be 0 days or more, not {window_days!r}")
    posts = _only(dataset["posts"], "platform", platforms)
    inv = dataset["involvement"]
    inv = inv[["occurred_at", "source", "post_id"]].assign(row=np.arange(len(inv)))
    by_id = _post_id_matches(inv, posts)
    recent = inv[~inv["row"].isin(by_id["row"])]
    # A window match can only land on a period post if the action is within window_days of the period.
    recent = recent[(recent["occurred_at"] >= period.start_ts)
                    & (recent["occurred_at"] < period.end_ts + pd.Timedelta(days=window_days))]
    by_time = _window_matches(recent, posts, window_days)
    counts = pd.concat([by_id.assign(kind="by_post_id"), by_time.assign(kind="by_time_window")])
    table = counts.groupby(["platform", "post_id", "kind"]).size().unstack("kind")
    return table.reindex(columns=["by_post_id", "by_time_window"]).fillna(0).astype(schema.INT)


POST_COLUMNS = [
    "post_id", "platform", "published_at", "author_kind", "text", "url",
    "reactions", "comments", "shares", "views", "engagement",
    "real_actions", "by_post_id", "by_time_window", "attribution", "rank_reactions", "rank_real_actions",
]


def _attribution_text(by_id: int, by_time: int) -> str:
    if not by_id and not by_time:
        return "none"
    parts = [f"{by_id} by post ID"] if by_id else []
    parts += [f"{by_time} by time window"] if by_time else []
    return ", ".join(parts)


def rank_posts(dataset, period: Period, window_days: int = 7, platforms=None) -> pd.DataFrame:
    """Posts published in the period with engagement, attributed real actions and both ranks.

    Sorted by real actions, then reactions (most first). Ranks use 1 for the
    top and share a rank on ties ("min"); a post with unknown reactions has no
    reactions rank.
    """
    posts = in_period(_only(dataset["posts"], "platform", platforms), "posts", period)
    counts = attribute_actions(dataset, period, window_days, platforms)
    out = posts.merge(counts, left_on=["platform", "post_id"], right_index=True, how="left")
    for col in ("by_post_id", "by_time_window"):
        out[col] = out[col].fillna(0).astype(schema.INT)
    out["real_actions"] = (out["by_post_id"] + out["by_time_window"]).astype(schema.INT)
    out["engagement"] = out[list(ENGAGEMENT_PARTS)].sum(axis=1, min_count=1).astype(schema.INT)
    out["attribution"] = [_attribution_text(a, b) for a, b in zip(out["by_post_id"], out["by_time_window"])]
    out["attribution"] = out["attribution"].astype(schema.STR)
    out["rank_reactions"] = out["reactions"].rank(ascending=False, method="min").astype(schema.INT)
    out["rank_real_actions"] = out["real_actions"].rank(ascending=False, method="min").astype(schema.INT)
    out = out.sort_values(["real_actions", "reactions", "published_at"], ascending=[False, False, True],
                          na_position="last", kind="stable")
    return out.reindex(columns=POST_COLUMNS).reset_index(drop=True)

"""How every number, share, score, change and date is written, on pages, in reports, reviews and the CLI.

One home for these rules so that a figure reads the same wherever it appears: thousands separated by commas,
shares as whole percentages, changes of a share in percentage points, a missing value as "–" (never ``None``
or ``nan``). Only finite real numbers count as numbers: ``None``, NaN, ``pd.NA``, infinities, text and
booleans are missing.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers

import pandas as pd

MISSING = "–"


def as_number(v) -> float | None:
    """``v`` as a float when it is a finite real number, else None."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def number(v, digits: int = 0, signed: bool = False, missing: str | None = MISSING) -> str | None:
    """"1,234", "15.9", "+5" (``signed``); ``missing`` when there is no number."""
    f = as_number(v)
    return missing if f is None else f"{f:{'+' if signed else ''},.{digits}f}"


def share(v, missing: str = MISSING) -> str:
    """A share (0.67) as a whole percentage ("67%")."""
    f = as_number(v)
    return missing if f is None else f"{f:.0%}"


def score(v) -> str:
    """A 0–100 pillar or component score: "88/100", or "no data"."""
    f = as_number(v)
    return "no data" if f is None else f"{f:.0f}/100"


def change(v, digits: int = 0, share: bool = False, suffix: str = "", missing: str | None = None) -> str | None:
    """"+5", "-0.12", "+3 pts" for the change of a share (percentage points); ``missing`` when there is none."""
    f = as_number(v)
    if f is None:
        return missing
    if share:
        return f"{f * 100:+.{max(digits, 0)}f} pts{suffix}"
    return f"{f:+,.{digits}f}{suffix}"


def value(v, unit: str = "") -> str:
    """A component value in its unit: shares as percentages, large numbers whole, small ones to 2 decimals."""
    f = as_number(v)
    if f is None:
        return MISSING
    if unit.startswith("share"):
        return f"{f:.0%}"
    if abs(f) >= 100:
        return f"{f:,.0f}"
    return f"{f:,.2f}".rstrip("0").rstrip(".") if f != int(f) else f"{int(f):,}"


def figure(v, digits: int = 1) -> str:
    """Anything in a plain-text listing: floats to ``digits`` places, whole numbers as they are, text as text."""
    if v is None:
        return MISSING
    if isinstance(v, float):
        return number(v, digits)
    return f"{v:,}" if isinstance(v, int) else str(v)


def bucket_label(freq: str | None) -> str:
    """What a chart's time axis counts in: "Month" for monthly buckets ("MS"), else "Week starting"."""
    return "Month" if freq and str(freq).startswith("M") else "Week starting"


def date(iso) -> str:
    """'4 Sep 2025' from ISO text or a date (plain text: escape it where it is used)."""
    if not iso:
        return MISSING
    try:
        return pd.Timestamp(iso).strftime("%-d %b %Y")
    except (ValueError, TypeError):
        return str(iso)


def date_time(t, missing: str = "never") -> str:
    """'16 Mar 2026, 09:05' for a timezone-aware time, written in UTC; ``missing`` when there is none."""
    if t is None:
        return missing
    return f"{t.astimezone(dt.timezone.utc):%-d %b %Y, %H:%M}"


def clock_utc(t) -> str:
    """'09:05 UTC' for a timezone-aware time."""
    return f"{t.astimezone(dt.timezone.utc):%H:%M} UTC"


def date_range(start, end) -> str:
    """'1 Mar 2026 – 14 Mar 2026'."""
    return f"{date(start)} – {date(end)}"


def period_label(start, end) -> str:
    """A period's label, the year written once when both ends share it: '1 Mar – 14 Mar 2026'. The ends may be
    dates or ISO text (a published review keeps '2026-08-18'); an unknown end is a dash."""
    try:
        start, end = (pd.Timestamp(x).date() if isinstance(x, str) and x else x for x in (start, end))
    except (ValueError, TypeError):
        return MISSING
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return MISSING
    if start.year == end.year:
        return f"{start:%-d %b} – {end:%-d %b %Y}"
    return f"{start:%-d %b %Y} – {end:%-d %b %Y}"


# What each share or rate of a score component is of, in words: "58% of 120 involved people".
MEASURE_OF = {
    "repeat_share": "involved people",
    "community_content_share": "content items",
    "repeat_contributor_share": "contributors",
    "depth2_share": "people reached",
    "referral_conversion": "referrals with a known outcome",
    "referrer_share": "involved people",
    "non_sales_share": "activities with a yes/no answer",
}


# What each rate per 1,000 followers counts: "14.1 people involved per 1,000 followers".
PER_1K_FOLLOWERS_OF = {
    "people_per_1k_followers": "people involved",
    "social_actions_per_1k_followers": "social-sourced actions",
    "contributors_per_1k_followers": "contributors",
    "referred_per_1k_followers": "people referred",
    "reach_per_1k_followers": "people reached",
}


def measure(key: str, v, den=None, available: bool = True, reason: str | None = None) -> str:
    """A score component's value as a leader reads it, with its denominator: "58% of 120 involved people",
    "14.2 per 1,000 followers (2,300 followers)", "0.29 converted referrals per involved person (14 involved
    people)"."""
    if not available:
        return "not measured yet"
    f = as_number(v)
    if f is None:  # full marks over a denominator of 0
        return "full marks (" + (reason or "the denominator is 0") + ")"
    count = number(den, missing="")
    if key in MEASURE_OF:
        return " ".join(x for x in (share(f), "of", count, MEASURE_OF[key]) if x)
    if key.endswith("per_1k_followers"):
        what = " ".join(x for x in (number(f, 1), PER_1K_FOLLOWERS_OF.get(key, "")) if x)
        return f"{what} per 1,000 followers ({count} followers)"
    if key == "actions_per_1k_reactions":
        return f"{number(f, 1)} per 1,000 reactions ({count} reactions)"
    if key == "k_factor":
        return f"{f:.2f} converted referrals per involved person ({count} involved people)"
    if key == "community_engagement_ratio":
        return f"{f:.2f}× our posts' average engagement"
    if key == "activities_per_month":
        return f"{number(f, 1)} activities per month"
    if key == "distinct_partners":
        return f"{number(f)} partner{'s' if f != 1 else ''}"
    return number(f, 2)


# Platforms as they spell themselves; other sources and channels in plain words.
PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn", "x": "X (Twitter)",
                  "youtube": "YouTube", "tiktok": "TikTok"}
SOURCE_NAMES = {**PLATFORM_NAMES, "referral": "Referral", "word_of_mouth": "Word of mouth", "website": "Website",
                "email": "Email", "search": "Search", "community_event": "Community event", "press": "Press",
                "other": "Other", "unknown": "Not recorded"}
_NAMES = frozenset(SOURCE_NAMES.values())


def platform(v) -> str:
    """A platform, source or channel as people write it: "LinkedIn", "YouTube", "TikTok", "Word of mouth"."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "Not recorded"
    if v in _NAMES:
        return v  # already a name: "LinkedIn" must not become "Linkedin"
    return SOURCE_NAMES.get(v, str(v).replace("_", " ").capitalize())


def a_or_an(name: str) -> str:
    """``name`` after "a" or "an", as said aloud: "an Eventbrite report", "an X export", "a YouTube file"."""
    head = name.lstrip().upper()
    vowel = head[:1] in ("A", "E", "I", "O", "X") or (head.startswith("UN") and not head.startswith("UNI"))
    return f"{'an' if vowel else 'a'} {name}"

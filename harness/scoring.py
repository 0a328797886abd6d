"""The four pillar scores and the vanity figures shown beside them.

Rules that change the numbers (targets and weights live in ``targets.py``):

* Every table is cut to the period by its time column. People are matched
  after ``schema.normalise_person``; anonymous rows count as actions but not
  as people.
* Followers = for each platform, the latest known running total on or before
  the period's last day; a platform with none uses the count typed into
  Settings. Summed over platforms. Unknown when nothing is known.
* ``platforms`` (optional) limits posts, follower counts and which sources
  count as "social-sourced" to those platforms.
* Component score = ``100 × min(1, value / target)``. A component that cannot
  be worked out (no denominator, no data) is *unavailable*, says why, and the
  pillar's weights are shared among the available ones. Pillar score =
  weighted mean of available component scores; each component's
  ``contribution`` is the points it adds, so they sum to the pillar score.
* When a *vanity* denominator (followers, reactions, engagement on our posts)
  is known to be 0 and the numerator is positive, the component gets full
  marks; when both are 0 it scores 0. Treating "0 followers" as unavailable
  instead would let a rise from 0 followers raise a pillar.
* A pillar scores None, never 0, when its input tables are empty ("no
  referral data uploaded yet") or when the period lies outside the dates its
  data covers (so a previous period before the uploads start is not a 0).
  Inside the covered dates, a period with no rows is a real 0.
* Involvement "repeat" = 2+ actions in the period (2+ kinds implies 2+ actions).
* Connections follow the rules of ``network`` so the Network view and the
  score agree: the forest is the one known at the end of the period (later
  records cannot change a past score); a referral is a (referrer, referred)
  pair, counted in the period its first record falls in; it converted when
  any record says so (an ``involvement.referred_by`` link always does) or the
  referred person has an involvement record on or after it; K-factor =
  distinct people with a converted referral ÷ people involved; the people
  "reached" in a period are the involved people and both ends of its
  referral records.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from harness import community, network, periods, schema
from harness import format as fmt
from harness.audience import follower_growth, followers_at
from harness.dataset import Dataset
from harness.periods import Period
from harness.targets import (
    BY_KEY,
    PILLARS,
    Settings,
    default_settings,
    effective_target,
    pillar_components,
)

NEEDS_FOLLOWERS = "needs follower counts — upload a followers export or type them in Settings"

NO_DATA = {
    "involvement": "No involvement data uploaded yet — upload an involvement log (enquiries, calls, visits, "
                   "volunteering, donations, enrolments) or a sign-up form export.",
    "co_creation": "No community-created content uploaded yet — upload a form where people send their stories "
                   "and photos, posts by others about you, or a contributions log.",
    "connections": "No referral data uploaded yet — upload a referrals log or a form with 'Who referred you?'",
    "community": "No wider-community activities uploaded yet — upload your events' attendee exports "
                 "(Eventbrite, SignUpGenius, an event sign-up form) or a community log.",
}
FOLLOWERS_FIX = ("Type today's follower count for each platform on the Settings page (asked once per platform), "
                 "or upload a followers export that gives the running total.")
FIXES = {
    "repeat_share": "Upload an involvement export that names people (an email or a name on each row).",
    "actions_per_1k_reactions": "Upload your posts export (Meta Business Suite, LinkedIn, X...) with reaction counts.",
    "community_content_share": "Upload your posts export, or a form where people send their stories and photos.",
    "repeat_contributor_share": "Ask for a name or an email on your story form, so repeat senders can be counted.",
    "community_engagement_ratio": "Give the reactions + comments + shares of community content you reposted "
                                  "(Engagement column of the contributions log) and upload your posts export.",
    "k_factor": "Upload an involvement export that names people (an email or a name on each row).",
    "referrer_share": "Upload an involvement export that names people (an email or a name on each row).",
    "depth2_share": "Upload a referral export or a form that asks 'Who referred you?'.",
    "referral_conversion": "Upload a referral export with a status column (converted, pending...).",
    "reach_per_1k_followers": "Upload the events' attendee exports (Eventbrite, SignUpGenius) or give attendee "
                              "numbers in the community log.",
    "non_sales_share": "Upload event exports with ticket prices, or answer 'Sales related' in the community log.",
}


def partial_note(pillar: dict) -> str | None:
    """For a pillar (``PillarScore.to_dict()`` form, as reviews freeze it) scored from only some of its
    measures: "From 3 of 4 measures. Missing: <measure> (<why>). To add it: <the one thing>." Else None.

    The card, the review link and the HTML report all show this line.
    """
    if pillar.get("score") is None:
        return None
    comps = [c for c in pillar.get("components") or [] if (c.get("weight") or 0) > 0]
    missing = pillar.get("missing")
    if missing is None:  # a snapshot frozen before the field existed
        missing = [{"key": c.get("key"), "label": c.get("label"), "reason": c.get("reason"),
                    "fix": fix_for(c.get("key"), c.get("reason"))} for c in comps if not c.get("available")]
    if not missing:
        return None
    used = len(comps) - len(missing)
    parts = [f"From {used} of {len(comps)} measures."]
    for fix, group in missing_by_fix(missing):
        names = "; ".join(m["label"].lower() for m in group)
        parts.append(f"Missing: {names} ({group[0]['reason']}). To add {'it' if len(group) == 1 else 'them'}: {fix}")
    return " ".join(parts)


def missing_by_fix(missing: list[dict]) -> list[tuple[str, list[dict]]]:
    """Missing measures grouped by the one thing that adds them (in order of first appearance)."""
    groups: dict[str, list[dict]] = {}
    for m in missing:
        groups.setdefault(m["fix"], []).append(m)
    return list(groups.items())


def fix_for(key: str, reason: str | None) -> str:
    """The one thing that would make a measure available."""
    if reason == NEEDS_FOLLOWERS:
        return FOLLOWERS_FIX
    return FIXES.get(key, "Upload the export this measure needs (see the Data page).")


WHAT = {
    "involvement": "involvement",
    "co_creation": "community-created content",
    "connections": "referral data",
    "community": "community activities",
}


# ---------------------------------------------------------------- results


@dataclass
class ComponentScore:
    key: str
    label: str
    unit: str
    value: float | None
    previous_value: float | None
    target: float
    weight: float
    score: float | None
    contribution: float | None  # points it adds to the pillar score
    available: bool
    reason: str | None  # why unavailable, or a note on how it was scored
    how: str
    target_source: str
    denominator: float | None = None  # what the value is a share or rate of, when it is one

    @property
    def shown(self) -> str:
        """The value as a leader reads it: "58% of 120 involved people" (see ``format.measure``)."""
        return fmt.measure(self.key, self.value, self.denominator, self.available, self.reason)

    def to_dict(self) -> dict:
        return {
            "key": self.key, "label": self.label, "unit": self.unit,
            "value": _num(self.value, 4), "denominator": _num(self.denominator, 4), "shown": self.shown,
            "previous_value": _num(self.previous_value, 4),
            "target": _num(self.target, 4), "weight": _num(self.weight, 4),
            # Kept near full precision: rounding here and again for display turned 51.45 into "52/100" on
            # a review while the live page said "51/100". Displays round once, from these.
            "score": _num(self.score, 6), "contribution": _num(self.contribution, 6),
            "available": self.available, "reason": self.reason, "how": self.how,
            "target_source": self.target_source,
        }


@dataclass
class PillarScore:
    key: str
    label: str
    score: float | None
    previous_score: float | None
    change: float | None
    components: list[ComponentScore]
    status: str | None  # None, or why there is no score
    reading: str

    @property
    def counted(self) -> list[ComponentScore]:
        """The measures that count (weight above 0); the rest were switched off in Settings."""
        return [c for c in self.components if c.weight > 0]

    @property
    def measures_used(self) -> int:
        return sum(1 for c in self.counted if c.available) if self.score is not None else 0

    @property
    def measures_total(self) -> int:
        return len(self.counted)

    @property
    def partial(self) -> bool:
        """Scored, but from fewer than all its measures."""
        return self.score is not None and self.measures_used < self.measures_total

    @property
    def missing(self) -> list[dict]:
        """Each measure left out of the score: what it is, why, and the one thing that would add it."""
        if self.score is None:
            return []
        return [{"key": c.key, "label": c.label, "reason": c.reason, "fix": fix_for(c.key, c.reason)}
                for c in self.counted if not c.available]

    def to_dict(self) -> dict:
        return {
            "label": self.label, "score": _num(self.score, 6), "previous_score": _num(self.previous_score, 6),
            "change": _num(self.change, 6), "status": self.status, "reading": self.reading,
            "measures": {"used": self.measures_used, "of": self.measures_total},
            "missing": self.missing,
            "components": [c.to_dict() for c in self.components],
        }


@dataclass
class Scorecard:
    period: Period
    previous_period: Period
    pillars: dict[str, PillarScore]
    vanity: dict = field(default_factory=dict)
    inputs: list[dict] = field(default_factory=list)

    def waiting_for_followers(self) -> list[str]:
        """Labels of the measures left out of the scores only because no follower count is known, in pillar
        order: what the overview names when it asks for today's follower count."""
        return [c.label for p in self.pillars.values() if p.score is not None for c in p.counted
                if not c.available and c.reason == NEEDS_FOLLOWERS]

    def to_dict(self) -> dict:
        return {
            "period": self.period.to_dict(),
            "previous_period": self.previous_period.to_dict(),
            "pillars": {k: p.to_dict() for k, p in self.pillars.items()},
            "vanity": {k: {m: _num(v, 4) for m, v in block.items()} for k, block in self.vanity.items()},
            "inputs": self.inputs,
        }


def _num(x, digits: int):
    """A JSON-safe number: None for missing or non-finite values."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    r = round(x, digits)
    return int(r) if r.is_integer() and abs(r) < 2**53 else r


# ---------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    value: float | None  # None when unavailable or when full marks come from a zero vanity denominator
    reason: str | None = None
    full: bool = False  # full marks: positive count over a vanity denominator known to be 0
    denominator: float | None = None

    @property
    def available(self) -> bool:
        return self.value is not None or self.full


def _ratio(num: float, den: float | None, missing: str, scale: float = 1.0, vanity_den: bool = False) -> Measure:
    if den is None:
        return Measure(None, missing)
    if den == 0:
        if not vanity_den:
            return Measure(None, missing)
        if num > 0:
            return Measure(None, "the denominator is 0, so any amount meets the target", full=True, denominator=0.0)
        return Measure(0.0, denominator=0.0)
    return Measure(num / den * scale, denominator=float(den))


def _known_sum(s: pd.Series) -> float | None:
    """Sum of the known values; None when none is known (a missing count is not 0)."""
    s = s.dropna()
    return float(s.sum()) if len(s) else None


def _people(s: pd.Series) -> pd.Series:
    return schema.normalise_person(s).dropna()


class _PeriodData:
    """The tables cut to one period, plus the few figures several measures share."""

    def __init__(self, ds: Dataset, period: Period, settings: Settings, platforms: frozenset | None):
        self.period = period
        self.platforms = platforms
        self.index = network.referral_index(ds)
        in_p = period.mask(ds["involvement"]["occurred_at"]).to_numpy(bool)
        self.inv = ds["involvement"][in_p]
        codes = self.index.inv_code[in_p]
        named = codes >= 0
        self.who = codes[named]  # person code per named action in the period
        self.who_time = _ns(self.inv["occurred_at"])[named]
        self.actions_per_person = np.bincount(self.who, minlength=len(self.index.people))
        self.n_people = int(np.count_nonzero(self.actions_per_person))
        posts = periods.in_period(ds["posts"], "posts", period)
        if platforms is not None:
            posts = posts[posts["platform"].isin(platforms)]
        self.posts = posts
        self.contrib = periods.in_period(ds["contributions"], "contributions", period)
        self.comm = periods.in_period(ds["community"], "community", period)
        self.followers = followers_at(ds["audience"], period.end, settings.followers_override, platforms,
                                      settings.follower_counts)
        # Edges [lo, hi) are dated in the period; the first hi are those known at its end.
        self.edges_lo, self.edges_hi = self.index.cut(period.start_ts), self.index.cut(period.end_ts)


def _per_1k_followers(num: float, d: _PeriodData) -> Measure:
    return _ratio(num, d.followers, NEEDS_FOLLOWERS, 1000.0, vanity_den=True)


def _involvement(d: _PeriodData) -> dict[str, Measure]:
    n_people = d.n_people
    social = frozenset(schema.SOCIAL_PLATFORMS) if d.platforms is None else frozenset(d.platforms) & schema.SOCIAL_PLATFORMS
    n_social = int(d.inv["source"].isin(social).sum())
    repeaters = int((d.actions_per_person >= 2).sum())
    reactions = _known_sum(d.posts["reactions"])
    return {
        "people_per_1k_followers": _per_1k_followers(n_people, d),
        "social_actions_per_1k_followers": _per_1k_followers(n_social, d),
        "repeat_share": _ratio(repeaters, n_people, "needs named people in the involvement log"),
        "actions_per_1k_reactions": _ratio(len(d.inv), reactions, "needs reaction counts on posts", 1000.0,
                                           vanity_den=True),
    }


def _co_creation(d: _PeriodData) -> dict[str, Measure]:
    kind = d.posts["author_kind"]
    comm_posts, n_org = d.posts[kind == "community"], int((kind == "organisation").sum())
    items = len(d.contrib) + len(comm_posts)
    contributors = pd.concat([_people(d.contrib["contributor"]), _people(comm_posts["author"])], ignore_index=True)
    counts = contributors.value_counts()
    org = d.posts[kind == "organisation"]
    org_eng = org[["reactions", "comments", "shares"]].sum(axis=1, min_count=1).dropna()
    contrib_eng = d.contrib["engagement"].dropna()
    if not len(contrib_eng):
        engagement = Measure(None, "needs engagement counts on community contributions")
    else:
        engagement = _ratio(float(contrib_eng.mean()), float(org_eng.mean()) if len(org_eng) else None,
                            "needs reactions, comments or shares on the organisation's posts", vanity_den=True)
    return {
        "community_content_share": _ratio(items, items + n_org, "needs posts or contributions in the period"),
        "contributors_per_1k_followers": _per_1k_followers(len(counts), d),
        "repeat_contributor_share": _ratio(int((counts >= 2).sum()), len(counts), "needs named contributors"),
        "community_engagement_ratio": engagement,
    }


def _ns(times: pd.Series) -> np.ndarray:
    """UTC timestamps as int64 nanoseconds, for fast comparisons."""
    return times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]").view(np.int64)


def _marked(n: int, codes: np.ndarray) -> np.ndarray:
    """A boolean per person: True for the ``codes`` given (faster than np.unique on large logs)."""
    out = np.zeros(n, dtype=bool)
    out[codes] = True
    return out


def _connections(d: _PeriodData) -> dict[str, Measure]:
    ix, lo, hi = d.index, d.edges_lo, d.edges_hi
    n = len(ix.people)
    # Pairs first recorded in the period; a record saying yes/no counts up to the period's end.
    first, first_yes, first_no = ix.pairs
    a, b = np.searchsorted(first, [lo, hi])
    pair_first = first[a:b]
    says_yes, says_no = first_yes[a:b] < hi, first_no[a:b] < hi
    pair_time, pair_dst = ix.time[pair_first], ix.dst[pair_first]
    # Involvement on or after the referral converts it; such a record falls inside the
    # period because the pair was first made in it.
    last_action = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last_action, d.who, d.who_time)
    converted = says_yes | (last_action[pair_dst] >= pair_time)
    n_known = int((says_yes | says_no | converted).sum())
    new_people = int(_marked(n, pair_dst[converted]).sum())

    people = d.actions_per_person > 0
    referred = _marked(n, ix.dst[lo:hi])
    referrer = _marked(n, ix.src[lo:hi])
    reached = people | referred | referrer
    deep = ix.deep(hi)  # depth 2 or more in the forest as known at the period's end
    n_people = d.n_people
    no_people = "needs named people in the involvement log"
    return {
        "referred_per_1k_followers": _per_1k_followers(int(referred.sum()), d),
        "k_factor": _ratio(new_people, n_people, no_people),
        "depth2_share": _ratio(int((deep & reached).sum()), int(reached.sum()), "needs people referred or involved"),
        "referral_conversion": _ratio(int(converted.sum()), n_known,
                                      "needs referrals whose outcome (converted yes/no) is known"),
        "referrer_share": _ratio(int((referrer & people).sum()), n_people, no_people),
    }


def _community(d: _PeriodData) -> dict[str, Measure]:
    c = d.comm
    attendees = _known_sum(c["attendees"])
    partners = c["partner"].dropna().str.strip().str.casefold()
    sales = c["sales_related"].dropna().astype(bool)
    return {
        "activities_per_month": Measure(len(c) / d.period.months),
        "reach_per_1k_followers": (_per_1k_followers(attendees, d) if attendees is not None
                                   else Measure(None, "needs attendee numbers on community activities")),
        "distinct_partners": Measure(float(partners[partners != ""].nunique())),
        "non_sales_share": _ratio(int((~sales).sum()), len(sales),
                                  "needs the 'Sales related' yes/no answer on activities"),
    }


MEASURES = {
    "involvement": _involvement,
    "co_creation": _co_creation,
    "connections": _connections,
    "community": _community,
}


# ---------------------------------------------------------------- coverage


def _span(*times: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    lows = [t.min() for t in times if len(t)]
    highs = [t.max() for t in times if len(t)]
    return (min(lows), max(highs)) if lows else None


def pillar_spans(ds: Dataset, platforms=None) -> dict[str, tuple[pd.Timestamp, pd.Timestamp] | None]:
    """First and last date of each pillar's own input data (None: nothing uploaded)."""
    inv, refs, posts = ds["involvement"], ds["referrals"], ds["posts"]
    comm_posts = posts[posts["author_kind"] == "community"]
    if platforms is not None:
        comm_posts = comm_posts[comm_posts["platform"].isin(platforms)]
    return {
        "involvement": _span(inv["occurred_at"]),
        "co_creation": _span(ds["contributions"]["created_at"], comm_posts["published_at"]),
        "connections": _span(refs["occurred_at"], inv.loc[inv["referred_by"].notna(), "occurred_at"]),
        "community": _span(ds["community"]["occurred_at"]),
    }


def _status(pillar: str, span, period: Period) -> str | None:
    if span is None:
        return NO_DATA[pillar]
    if span[0] < period.end_ts and span[1] >= period.start_ts:
        return None
    return (f"No {WHAT[pillar]} in {period.label()} — the uploaded {WHAT[pillar]} covers "
            f"{span[0]:%-d %b %Y} – {span[1]:%-d %b %Y}.")


# ---------------------------------------------------------------- scoring


def component_score(value: Measure, target: float) -> float | None:
    """``100 × min(1, value / target)``; None when the value is unavailable."""
    if value.full:
        return 100.0
    if value.value is None:
        return None
    return 100.0 * min(1.0, max(0.0, value.value) / target)


def _pillar_score(pillar: str, measures: dict[str, Measure] | None, status: str | None,
                  settings: Settings, period: Period) -> tuple[float | None, str | None, list[ComponentScore]]:
    comps = []
    for c in pillar_components(pillar):
        m = measures[c.key] if measures else Measure(None, status)
        target = effective_target(c, settings.target(c.key), period.days)
        comps.append(ComponentScore(
            key=c.key, label=c.label, unit=c.unit, value=m.value, previous_value=None, target=target,
            weight=settings.weight(c.key), score=component_score(m, target), contribution=None,
            available=m.available, reason=m.reason, how=c.how, target_source=c.source, denominator=m.denominator,
        ))
    if status:
        return None, status, comps
    avail = [c for c in comps if c.available]
    if not avail:
        reasons = sorted({c.reason for c in comps if c.reason})
        return None, "None of this pillar's measures can be worked out yet: " + "; ".join(reasons) + ".", comps
    total = sum(c.weight for c in avail)
    if total <= 0:
        return None, "Every measure that can be worked out has weight 0 in Settings.", comps
    for c in avail:
        c.contribution = c.weight / total * c.score
    # A weighted mean of scores in [0, 100] is in [0, 100]; summing the parts can overshoot by one ulp
    # (100.00000000000001), so clamp.
    return min(100.0, max(0.0, sum(c.contribution for c in avail))), None, comps


def _reading(p: PillarScore, prev: Period) -> str:
    if p.score is None:
        return p.status or "No score."
    head = f"{p.score:.0f}/100"
    if p.partial:  # these words exactly: readers and checks look for them
        head += f" from {p.measures_used} of {p.measures_total} measures"
    span = f"the previous {prev.days} days"
    if p.change is None:
        head += f" (no score for {span} to compare)"
    elif round(p.change) == 0:
        head += f", level with {span}"
    else:
        head += f", {'up' if p.change > 0 else 'down'} {abs(p.change):.0f} on {span}"
    avail = [c for c in p.counted if c.available]
    missing = p.missing
    tail = ""
    if missing:
        tail = ". Not yet measured: " + "; ".join(m["label"].lower() for m in missing)
    if len(avail) == 1:
        return f"{head}: based only on {BY_KEY[avail[0].key].short}{tail}"
    ranked = sorted(avail, key=lambda c: (c.score, c.key))
    weak, strong = ranked[0], ranked[-1]
    if strong.score == weak.score:
        if weak.score >= 100:
            return f"{head}: every measure it could work out is at or beyond its target{tail}"
        return f"{head}: even across its measures{tail}"
    return f"{head}: strongest on {BY_KEY[strong.key].short}, weakest on {BY_KEY[weak.key].short}{tail}"


_MEASURES_PART = re.compile(r" from \d+ of \d+ measures(?=[ :(,]|$)")
_NOT_YET_PART = re.compile(r"\. Not yet measured: [^.]*$")


def reading_without_measures(reading: str) -> str:
    """A pillar's reading without "from N of M measures" and its "Not yet measured: …" list, for a card shown
    above the box that says both (``partial_note``, the pillar pages' "From N of M measures" box), so the
    page says them once: "86/100 from 2 of 4 measures, up 3 on …: strongest on …. Not yet measured: …" reads
    "86/100, up 3 on …: strongest on …". Works on a live reading and on one frozen in a review."""
    return _NOT_YET_PART.sub("", _MEASURES_PART.sub("", reading or "", count=1))


def _resolve_period(ds: Dataset, period) -> Period:
    if period is None:
        return periods.default_period(ds)
    if isinstance(period, str):
        span = ds.time_span()
        anchor = span[1].date() if span else dt.date.today()
        return periods.parse(period, anchor)
    return period


def score_pillars(dataset: Dataset, period: Period | str | None = None, settings: Settings | None = None,
                  platforms=None) -> Scorecard:
    """All four pillar scores for ``period`` (default: the latest 90 days) and the period before it."""
    settings = settings or default_settings()
    platforms = frozenset(platforms) if platforms is not None else None
    # Events confirmed (or proposed, where nobody chose) as community activities join the community log.
    dataset = community.with_activities(dataset, settings.community_choices)
    period = _resolve_period(dataset, period)
    prev = period.previous()
    spans = pillar_spans(dataset, platforms)
    data = {p: _PeriodData(dataset, p, settings, platforms) for p in (period, prev)}
    pillars = {}
    for key, label in PILLARS.items():
        results = {}
        for p in (period, prev):
            status = _status(key, spans[key], p)
            measures = None if status else MEASURES[key](data[p])
            results[p] = _pillar_score(key, measures, status, settings, p)
        (score, status, comps), (prev_score, _, prev_comps) = results[period], results[prev]
        for c, pc in zip(comps, prev_comps):
            c.previous_value = pc.value
        change = score - prev_score if score is not None and prev_score is not None else None
        ps = PillarScore(key, label, score, prev_score, change, comps, status, "")
        ps.reading = _reading(ps, prev)
        pillars[key] = ps
    vanity = {"current": vanity_figures(dataset, data[period]),
              "previous": vanity_figures(dataset, data[prev]) if period_has_data(dataset, prev, platforms) else {}}
    return Scorecard(period, prev, pillars, vanity, inputs_summary(dataset))


# ---------------------------------------------------------------- vanity and inputs


NO_EARLIER = "no earlier data"


def period_has_data(ds: Dataset, period: Period, platforms=None) -> bool:
    """Whether any uploaded table has a row dated in ``period``: without one, a change is not growth."""
    for name, df in ds.tables.items():
        if not len(df):
            continue
        if platforms is not None and name in ("posts", "audience"):
            df = df[df["platform"].isin(platforms)]
        if period.mask(df[schema.TIME_COLUMN[name]]).any():
            return True
    return False


def vanity_figures(ds: Dataset, d: _PeriodData) -> dict:
    posts = d.posts
    reactions = _known_sum(posts["reactions"])
    figures = {"posts": float(len(posts))}
    for col in ("reactions", "comments", "shares", "views", "reach"):
        figures[col] = _known_sum(posts[col])
    figures["followers"] = d.followers
    figures["follower_growth"] = follower_growth(ds["audience"], d.period, d.platforms)
    figures["real_actions"] = float(len(d.inv))
    figures["people_involved"] = float(d.n_people)
    figures["real_actions_per_1k_reactions"] = (len(d.inv) / reactions * 1000) if reactions else None
    return figures


def inputs_summary(ds: Dataset) -> list[dict]:
    def iso(t):
        return None if t is None or pd.isna(t) else pd.Timestamp(t).isoformat()

    return [{
        "file_name": i.file_name, "source": i.source, "source_label": i.source_label,
        "tables": {k: int(v) for k, v in i.tables.items()}, "rejected": int(i.rejected),
        "error": i.error, "start": iso(i.start), "end": iso(i.end),
    } for i in ds.inputs]

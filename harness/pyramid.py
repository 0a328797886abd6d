"""Groundwire's engagement pyramid: how deeply each known person is engaged.

Six levels, lowest to highest: observing, following, endorsing, contributing,
owning, leading. A person's level comes from what they did in the period
(or in all the data when no period is given), read from the involvement log,
the referrals (both the referrals log and the involvement log's "Referred
by"), and community-created content. The wider-community log names partner
organisations, not people, so it places nobody. Anonymous actions (no
person) place nobody either.

Rules, tested from the top; a person takes the highest level whose rule
they meet, and ``reasons`` lists every rule they meet at that level:

* **leading** — 3+ people they referred got involved; or 3+ pieces of their
  content were used by the organisation and they referred someone (they
  create and recruit: they lead).
* **owning** — someone they referred got involved; or they were involved in
  2+ different ways including volunteering, membership or a donation; or
  they volunteered, joined or gave 3+ times (sustained commitment); or the
  organisation used content they made.
* **contributing** — any volunteering, donation, event, enrolment or
  membership; or any content they made.
* **endorsing** — recommended the organisation to someone (who has not got
  involved yet).
* **following** — showed interest only (enquiry, call, visit, other); or
  was recommended to the organisation but has not acted yet.
* **observing** — cannot be known person by person: platforms do not name
  the people who merely saw a post.

"Got involved" (a converted referral) means the referrals log says
``converted``, the referral came from the involvement log's "Referred by",
or the referred person has an action in the involvement log on or after the
referral and before the end of the period (the rule ``network`` uses, cut
at the period's end).

Organisation-level counts (:func:`pyramid_counts`) add two estimates,
flagged ``estimate=True``: **observing** is the largest reach of a single
post or a single day in the period (views when no reach is known) — a
lower bound on the people who saw something, which also includes people at
the levels above; **following** is the followers at the end of the period
(``audience.followers_at``: exports, else the counts typed into Settings, for
the chosen platforms; the figure the overview shows) plus the known people at
the following level, who may overlap with followers. The other levels count
known people exactly.

Movement (:func:`movement`) compares each person's level in the previous
period with this one. People active only in this period come ``from`` the
level ``new``; people active only in the previous one go ``to`` ``inactive``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from harness import schema
from harness.audience import followers_at
from harness.network import referral_edges
from harness.periods import Period, in_period
from harness.targets import Settings

LEVELS = ("observing", "following", "endorsing", "contributing", "owning", "leading")
RANK = {level: i for i, level in enumerate(LEVELS)}
LABELS = {level: level.capitalize() for level in LEVELS}
DESCRIPTIONS = {
    "observing": "Saw your posts but are not known to you by name (an estimate from reach).",
    "following": "Follow you, or showed interest with an enquiry, a call or a visit.",
    "endorsing": "Recommended you to someone they know.",
    "contributing": "Gave time, money or content, came to an event, enrolled or joined.",
    "owning": "Involved in more than one way or again and again, brought someone in, or made content you used.",
    "leading": "Bring others on board: three or more people they referred got involved, or they "
               "regularly make content you use and recommend you.",
}

COMMITMENT_ACTIONS = ("volunteer", "donation", "event", "enrolment", "membership")
OWNING_ACTIONS = ("volunteer", "membership", "donation")
INTEREST_ACTIONS = ("enquiry", "call", "visit", "other")

FEATURES = (
    "actions", "action_kinds", "commitment_actions", "owning_actions", "owning_kinds",
    "contributions", "used_contributions", "referred", "converted_referred", "was_referred",
)


# --------------------------------------------------------------------------
# Features per person


def _count(codes: np.ndarray, n: int, weights=None) -> np.ndarray:
    return np.bincount(codes, weights=weights, minlength=n).astype("int64")


def _action_features(codes: np.ndarray, actions: pd.Series, n: int) -> dict[str, np.ndarray]:
    kinds = {a: _count(codes[(actions == a).to_numpy(bool)], n) for a in schema.ACTIONS}
    owning = [kinds[a] for a in OWNING_ACTIONS]
    return {
        "actions": _count(codes, n),
        "action_kinds": sum((k > 0).astype("int64") for k in kinds.values()),
        "commitment_actions": sum(kinds[a] for a in COMMITMENT_ACTIONS),
        "owning_actions": sum(owning),
        "owning_kinds": sum((k > 0).astype("int64") for k in owning),
    }


def _referral_features(referrer: np.ndarray, referred: np.ndarray, converted: np.ndarray,
                       n: int) -> dict[str, np.ndarray]:
    """Per person: distinct people referred, how many of them converted, and whether referred."""
    pair = pd.Series(converted).groupby([referrer, referred]).any()
    ref_codes = pair.index.get_level_values(0).to_numpy()
    return {
        "referred": _count(ref_codes, n),
        "converted_referred": _count(ref_codes, n, pair.to_numpy(float)),
        "was_referred": _count(pair.index.get_level_values(1).to_numpy(), n) > 0,
    }


def _converted(edges: pd.DataFrame, red: np.ndarray, last_action: np.ndarray) -> np.ndarray:
    """Referral edges marked converted, or whose referred person acted on or after them."""
    when = edges["occurred_at"].to_numpy("datetime64[ns]").astype("int64")
    return edges["converted"].fillna(False).to_numpy(bool) | (last_action[red] >= when)


def person_features(dataset, period: Period | None = None) -> pd.DataFrame:
    """Counts per known person (index ``person``) that the level rules read."""
    inv_all = dataset["involvement"]
    inv_all = inv_all.assign(person=schema.normalise_person(inv_all["person"])).dropna(subset=["person"])
    inv = in_period(inv_all, "involvement", period)
    # Conversion evidence may come after the referral, up to the end of the period.
    until = inv_all if period is None else inv_all[inv_all["occurred_at"] < period.end_ts]
    edges = referral_edges(in_period(dataset["referrals"], "referrals", period), inv)
    con = in_period(dataset["contributions"], "contributions", period)
    con_people = schema.normalise_person(con["contributor"])
    con = con[con_people.notna().to_numpy()]
    # One integer code per person across every source keeps the counting in numpy.
    parts = [inv["person"], con_people.dropna(), edges["referrer"], edges["referred"], until["person"]]
    sizes = np.cumsum([0] + [len(x) for x in parts])
    codes, people = pd.factorize(np.concatenate([x.to_numpy(object) for x in parts]))
    n = len(people)
    c_inv, c_con, c_ref, c_red, c_until = (codes[a:b] for a, b in zip(sizes[:-1], sizes[1:]))
    last_action = np.full(n, np.iinfo("int64").min)
    np.maximum.at(last_action, c_until, until["occurred_at"].to_numpy("datetime64[ns]").astype("int64"))
    feats = {
        **_action_features(c_inv, inv["action"], n),
        "contributions": _count(c_con, n),
        "used_contributions": _count(c_con, n, con["used_by_org"].fillna(False).to_numpy(float)),
        **_referral_features(c_ref, c_red, _converted(edges, c_red, last_action), n),
    }
    out = pd.DataFrame(feats, index=pd.Index(people, dtype=schema.STR, name="person"))[list(FEATURES)]
    # People seen only after the period (conversion evidence) did nothing in it.
    active = out.drop(columns="was_referred").any(axis=1) | out["was_referred"]
    return out[active.to_numpy()].sort_index()


# --------------------------------------------------------------------------
# Rules: each takes the features and returns who meets it


def referred_three_who_joined(f: pd.DataFrame) -> pd.Series:
    return f["converted_referred"] >= 3


def makes_used_content_and_recruits(f: pd.DataFrame) -> pd.Series:
    return (f["used_contributions"] >= 3) & (f["referred"] >= 1)


def referred_someone_who_joined(f: pd.DataFrame) -> pd.Series:
    return f["converted_referred"] >= 1


def involved_several_ways(f: pd.DataFrame) -> pd.Series:
    return (f["action_kinds"] >= 2) & (f["owning_kinds"] >= 1)


def sustained_commitment(f: pd.DataFrame) -> pd.Series:
    return f["owning_actions"] >= 3


def content_used(f: pd.DataFrame) -> pd.Series:
    return f["used_contributions"] >= 1


def committed_action(f: pd.DataFrame) -> pd.Series:
    return f["commitment_actions"] >= 1


def made_content(f: pd.DataFrame) -> pd.Series:
    return f["contributions"] >= 1


def recommended_us(f: pd.DataFrame) -> pd.Series:
    return f["referred"] >= 1


def showed_interest(f: pd.DataFrame) -> pd.Series:
    return f["actions"] >= 1


def was_recommended(f: pd.DataFrame) -> pd.Series:
    return f["was_referred"]


@dataclass(frozen=True)
class Rule:
    level: str
    test: Callable[[pd.DataFrame], pd.Series]
    count: str  # feature shown in the reason
    reason: str  # "{n}" is replaced by the count


RULES = (
    Rule("leading", referred_three_who_joined, "converted_referred", "referred {n} people who got involved"),
    Rule("leading", makes_used_content_and_recruits, "used_contributions",
         "made {n} pieces of content we used and recommended us"),
    Rule("owning", referred_someone_who_joined, "converted_referred", "referred {n} person(s) who got involved"),
    Rule("owning", involved_several_ways, "action_kinds",
         "involved in {n} different ways, including volunteering, membership or giving"),
    Rule("owning", sustained_commitment, "owning_actions", "volunteered, joined or gave {n} times"),
    Rule("owning", content_used, "used_contributions", "made {n} piece(s) of content we used"),
    Rule("contributing", committed_action, "commitment_actions",
         "{n} time(s) volunteered, gave, came to an event, enrolled or joined"),
    Rule("contributing", made_content, "contributions", "made {n} piece(s) of content"),
    Rule("endorsing", recommended_us, "referred", "recommended us to {n} person(s)"),
    Rule("following", showed_interest, "actions", "showed interest {n} time(s): an enquiry, call or visit"),
    Rule("following", was_recommended, "referred", "was recommended to us"),
)


def _reason_texts(rule: Rule, counts: np.ndarray) -> list[str]:
    head, _, tail = rule.reason.partition("{n}")
    if not _:
        return [head] * len(counts)
    return [f"{head}{n}{tail}" for n in counts.tolist()]


def assign_levels(f: pd.DataFrame) -> pd.DataFrame:
    """Level and reasons for every row of a features frame."""
    rank = np.full(len(f), -1)
    masks = [(rule, rule.test(f).to_numpy(bool)) for rule in RULES]
    for rule, met in masks:
        rank = np.where(met, np.maximum(rank, RANK[rule.level]), rank)
    reasons: list[list[str]] = [[] for _ in range(len(f))]
    for rule, met in masks:
        idx = np.nonzero(met & (rank == RANK[rule.level]))[0]
        for i, text in zip(idx.tolist(), _reason_texts(rule, f[rule.count].to_numpy()[idx])):
            reasons[i].append(text)
    known = np.nonzero(rank >= 0)[0]
    return pd.DataFrame({
        "person": f.index.to_numpy(object)[known],
        "level": np.asarray(LEVELS, dtype=object)[rank[known]],
        "reasons": ["; ".join(reasons[i]) for i in known.tolist()],
    }).astype({"person": schema.STR, "level": schema.STR, "reasons": schema.STR})


def person_levels(dataset, period: Period | None = None) -> pd.DataFrame:
    """Every known person's level: DataFrame(person, level, reasons), highest level first."""
    out = assign_levels(person_features(dataset, period))
    order = out["level"].map(RANK)
    return out.iloc[np.lexsort((out["person"].to_numpy(), -order.to_numpy()))].reset_index(drop=True)


# --------------------------------------------------------------------------
# Organisation-level counts


def _max_known(*series: pd.Series) -> int | None:
    values = [s.max() for s in series if s.notna().any()]
    return int(max(values)) if values else None


def reach_estimate(dataset, period: Period) -> tuple[int | None, str]:
    """Largest reach of one post or one day in the period (views as a fallback), and its basis."""
    posts = in_period(dataset["posts"], "posts", period)
    posts = posts[posts["author_kind"] == "organisation"]
    aud = in_period(dataset["audience"], "audience", period)
    reach = _max_known(posts["reach"], aud["reach"])
    if reach is not None:
        return reach, "largest reach of a single post or day in the period"
    views = _max_known(posts["views"], aud["views"])
    if views is not None:
        return views, "largest views of a single post or day (no reach figures; views count repeats)"
    return None, "no reach or views figures for this period"


def _level_counts(dataset, period: Period, settings: Settings | None, platforms) -> dict[str, dict]:
    known = person_levels(dataset, period)["level"].value_counts()
    rows = {lvl: {"known_people": int(known.get(lvl, 0))} for lvl in LEVELS}
    reach, reach_basis = reach_estimate(dataset, period)
    rows["observing"].update(people=reach, estimate=True, basis=reach_basis)
    override = settings.followers_override if settings is not None else None
    total = followers_at(dataset["audience"], period.end, override, platforms)
    followers = None if total is None else int(total)
    n_follow = rows["following"]["known_people"]
    if followers is None:
        rows["following"].update(people=n_follow, estimate=False,
                                 basis="people who showed interest or were recommended to you (no follower figures)")
    else:
        rows["following"].update(people=followers + n_follow, estimate=True,
                                 basis=f"{followers:,} followers plus {n_follow:,} people who showed interest "
                                       "or were recommended to you (may overlap)")
    for lvl in LEVELS[2:]:
        rows[lvl].update(people=rows[lvl]["known_people"], estimate=False, basis="people known by name")
    return rows


def pyramid_counts(dataset, period: Period, settings: Settings | None = None, platforms=None) -> pd.DataFrame:
    """People per level now and in the previous period, lowest level first.

    ``settings`` (follower counts typed in) and ``platforms`` decide the followers, as on every other page.
    """
    now = _level_counts(dataset, period, settings, platforms)
    before = _level_counts(dataset, period.previous(), settings, platforms)
    rows = []
    for lvl in LEVELS:
        cur, prev = now[lvl]["people"], before[lvl]["people"]
        rows.append({
            "level": lvl, "label": LABELS[lvl], "description": DESCRIPTIONS[lvl],
            "people": cur, "previous_people": prev,
            "change": None if cur is None or prev is None else cur - prev,
            "known_people": now[lvl]["known_people"], "estimate": now[lvl]["estimate"], "basis": now[lvl]["basis"],
        })
    return pd.DataFrame(rows).astype({"people": schema.INT, "previous_people": schema.INT, "change": schema.INT})


def counting_notes(counts: pd.DataFrame) -> list[str]:
    """How each level of ``pyramid_counts`` is counted, in words, one line per rule, lowest level first. Levels
    counted the same way share a line, so the page says it once:
    "Observing (an estimate): largest reach of a single post or day in the period",
    "Endorsing, Contributing, Owning and Leading: people known by name"."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for row in counts.itertuples(index=False):
        groups.setdefault((row.basis, bool(row.estimate)), []).append(row.label)
    lines = []
    for (basis, estimate), labels in groups.items():
        names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        lines.append(f"{names}{' (an estimate)' if estimate else ''}: {basis}")
    return lines


# --------------------------------------------------------------------------
# Movement between periods

NEW, INACTIVE = "new", "inactive"


def direction(from_level: str, to_level: str) -> str:
    if from_level == NEW:
        return NEW
    if to_level == INACTIVE:
        return INACTIVE
    step = RANK[to_level] - RANK[from_level]
    return "up" if step > 0 else "down" if step < 0 else "same"


MOVE_LEVEL_WORDS = {**LABELS, NEW: "Not seen before", INACTIVE: "Not active this period"}
DIRECTION_WORDS = {NEW: "New", INACTIVE: "Dropped off", "up": "Moved up", "down": "Moved down",
                   "same": "Stayed"}


def movement_display(moves: pd.DataFrame) -> pd.DataFrame:
    """``movement`` as a person reads it: levels and directions in words ("Not seen before" → "Following",
    "Moved up"), never the internal keys."""
    return moves.assign(from_level=moves["from_level"].map(MOVE_LEVEL_WORDS),
                        to_level=moves["to_level"].map(MOVE_LEVEL_WORDS),
                        direction=moves["direction"].map(DIRECTION_WORDS))


def movement(dataset, period: Period) -> pd.DataFrame:
    """DataFrame(from_level, to_level, direction, people) between the previous period and this one."""
    before = person_levels(dataset, period.previous()).set_index("person")["level"]
    now = person_levels(dataset, period).set_index("person")["level"]
    both = pd.DataFrame({"from_level": before, "to_level": now})
    both["from_level"] = both["from_level"].fillna(NEW)
    both["to_level"] = both["to_level"].fillna(INACTIVE)
    counts = both.groupby(["from_level", "to_level"]).size().rename("people").reset_index()
    order = {NEW: -1, INACTIVE: len(LEVELS), **RANK}
    counts["direction"] = [direction(a, b) for a, b in zip(counts["from_level"], counts["to_level"])]
    counts = counts.sort_values(["from_level", "to_level"], key=lambda s: s.map(order), kind="stable")
    return counts[["from_level", "to_level", "direction", "people"]].astype(
        {"from_level": schema.STR, "to_level": schema.STR, "direction": schema.STR, "people": schema.INT}
    ).reset_index(drop=True)

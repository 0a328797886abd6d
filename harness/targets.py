"""What each score component measures, its default target and weight, and Settings.

Rules that change the numbers:

* A component scores ``100 × min(1, value / target)``: reaching the target is
  full marks, half way is 50. The form is monotone, so more real involvement
  can only raise a score.
* Targets of components marked ``per_90_days`` are "per 90 days" and are
  scaled to the period's length (``target × days / 90``): a 30-day period
  needs a third as many people as a 90-day one. Shares, ratios and
  "per month" rates are not scaled.
* **Full marks leave room at the top.** A default target is the level a
  strong organisation reaches, about twice what a typical one does, so a
  typical organisation scores near 50 and 100 means beyond what the named
  benchmarks describe as good. None of them is a published benchmark figure:
  no published benchmark measures real-world involvement per follower. Where a
  published figure exists for a comparable rate (donor retention for repeat
  involvement, the share of customers who refer for people who refer), full
  marks sit beyond it and the source quotes it; elsewhere the source says
  "house default, informed by ..." and names what shaped the choice.
* Defaults differ by organisation type (``school``, ``nonprofit``, ``other``)
  where the audiences differ; :func:`component_table` says, per measure,
  whether and how (``by_org_type``).
* ``Settings`` holds the organisation type, per-component target and weight
  overrides, and follower counts typed in by staff (used for a platform only
  when no export gives a running total).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from harness import format as fmt

ORG_TYPES = {
    "school": "School",
    "nonprofit": "Non-profit",
    "other": "Other organisation",
}
DEFAULT_ORG_TYPE = "school"
TARGET_DAYS = 90  # targets of per_90_days components are for this many days

PILLARS = {
    "involvement": "Involvement",
    "co_creation": "Co-creation",
    "connections": "Connections of connections",
    "community": "Wider community",
}

_MR = "M+R Benchmarks 2024 (nonprofit digital audiences)"
_RIVAL = "Rival IQ 2024 Social Media Industry Benchmark Report (higher-ed and nonprofit engagement)"
_KAUSHIK = "Avinash Kaushik's conversation, amplification and applause rates (2011)"
# Published figures for comparable rates: full marks sit beyond them (see the module rules).
_FEP = ("house default, beyond the Fundraising Effectiveness Project's overall donor retention (a year's: "
        "41% median in 2010, 43.6% in 2020); FEP's repeat donors are retained at about 70%")
_REFER = ("house default, three times the top of the 2–5% 'good referral rate' (share of customers who refer "
          "someone) published by ReferMe IQ (2023); Extole's referral benchmarks give 4.8–30% sharing after a "
          "referral prompt (education 14.8%)")
# Where the quoted figures were published (read for issue 12).
PUBLISHED = {
    "Fundraising Effectiveness Project, donor retention": (
        "overall retention 41% (2010 median), repeat donors 70%; 46.1% (2014-15), 43.6% (2020)",
        "https://dokumen.tips/documents/2011-fundraising-effectiveness-survey-report-available-2011-fundraising-"
        "effectiveness.html and https://ceplan.com/fep-update"),
    "ReferMe IQ, referral rate": ("a good referral rate is 2-5% of the customer base",
                                  "https://www.refermeiq.com/referral-program-benchmarks-what-is-a-good-referral-rate/"),
    "Extole, referral benchmarks by industry": (
        "share rate after a referral prompt 4.8% (B2B) to 30% (lending); education 14.8%",
        "https://success.extole.com/en/articles/11199311-how-to-measure-and-benchmark-your-referral-program-success"),
}
_K = "the K-factor / viral coefficient (each person brings K more; K ≥ 1 grows on its own)"


@dataclass(frozen=True)
class Component:
    key: str
    pillar: str
    label: str  # plain words, shown as the row title
    short: str  # for readings: "strongest on <short>"
    unit: str  # what the value counts, shown beside it
    how: str  # one plain sentence: how the value is worked out
    targets: dict[str, float]  # org_type -> default target
    weight: float
    source: str
    per_90_days: bool = False

    def default_target(self, org_type: str) -> float:
        return self.targets.get(org_type, self.targets["other"])


def _c(key, pillar, label, short, unit, how, school, nonprofit, other, weight, source, per_90_days=False):
    targets = {"school": school, "nonprofit": nonprofit, "other": other}
    return Component(key, pillar, label, short, unit, how, targets, weight, source, per_90_days)


COMPONENTS: tuple[Component, ...] = (
    # Involvement
    _c("people_per_1k_followers", "involvement", "People involved per 1,000 followers", "people involved",
       "people per 1,000 followers",
       "Named people with at least one real action in the period, divided by followers at the end of it, times 1,000.",
       25, 20, 15, 2.0, f"house default, informed by {_MR}", per_90_days=True),
    _c("social_actions_per_1k_followers", "involvement", "Social-sourced actions per 1,000 followers",
       "social-sourced actions", "actions per 1,000 followers",
       "Real actions whose source is a social platform, divided by followers at the end of the period, times 1,000.",
       12, 10, 8, 1.0, f"house default, informed by {_RIVAL}", per_90_days=True),
    _c("repeat_share", "involvement", "Repeat involvement", "repeat involvement",
       "share of involved people",
       "Share of named involved people with two or more actions in the period (two kinds always means two actions).",
       0.5, 0.45, 0.4, 1.0, _FEP),
    _c("actions_per_1k_reactions", "involvement", "Real actions per 1,000 reactions", "actions per reaction",
       "actions per 1,000 reactions",
       "Real actions in the period divided by reactions on posts published in it, times 1,000.",
       30, 25, 20, 1.0, f"house default, informed by {_KAUSHIK}"),
    # Co-creation
    _c("community_content_share", "co_creation", "Community share of all content", "community share of content",
       "share of all content",
       "Community-made items (contributions and posts by others) divided by those plus the organisation's own posts.",
       0.35, 0.35, 0.3, 2.0, "house default"),
    _c("contributors_per_1k_followers", "co_creation", "Contributors per 1,000 followers", "contributors",
       "contributors per 1,000 followers",
       "Distinct people who made content for or about the organisation, divided by followers, times 1,000.",
       5, 5, 4, 1.0, "house default", per_90_days=True),
    _c("repeat_contributor_share", "co_creation", "Repeat contributors", "repeat contributors",
       "share of contributors",
       "Share of contributors with two or more items in the period.",
       0.4, 0.4, 0.35, 1.0, "house default"),
    _c("community_engagement_ratio", "co_creation", "Community content engagement vs our posts",
       "engagement on community content", "times our posts' average",
       "Average engagement of community contributions divided by the average reactions + comments + shares of "
       "the organisation's posts.",
       1.0, 1.0, 1.0, 1.0, f"house default, informed by {_KAUSHIK}"),
    # Connections of connections
    _c("referred_per_1k_followers", "connections", "People referred per 1,000 followers", "people referred",
       "people per 1,000 followers",
       "Distinct people recommended to the organisation in the period, divided by followers, times 1,000.",
       6, 6, 4, 1.0, "house default", per_90_days=True),
    _c("k_factor", "connections", "K-factor (converted referrals per involved person)", "K-factor",
       "converted referrals per involved person",
       "Referrals in the period that led to involvement, divided by the people involved in the period.",
       0.3, 0.3, 0.25, 2.0, f"house default, informed by {_K}"),
    _c("depth2_share", "connections", "Reached through someone else (depth 2+)", "second-degree reach",
       "share of people reached",
       "Share of people referred or involved in the period who sit two or more steps from the organisation "
       "in the referral forest.",
       0.35, 0.35, 0.3, 1.0, "house default"),
    _c("referral_conversion", "connections", "Referral conversion rate", "referral conversion",
       "share of referrals with a known outcome",
       "Referrals that led to involvement divided by referrals whose outcome is known.",
       0.7, 0.6, 0.5, 1.0, "house default"),
    _c("referrer_share", "connections", "Involved people who referred someone", "people who refer",
       "share of involved people",
       "Share of people involved in the period who recommended someone in the period.",
       0.15, 0.15, 0.12, 1.0, _REFER),
    # Wider community
    _c("activities_per_month", "community", "Community activities per month", "activities",
       "activities per month",
       "Community activities in the period divided by its length in months.",
       4, 4, 3, 2.0, "house default"),
    _c("reach_per_1k_followers", "community", "People reached per 1,000 followers", "people reached in person",
       "attendees per 1,000 followers",
       "Attendees of community activities in the period, divided by followers, times 1,000.",
       250, 300, 150, 1.0, "house default", per_90_days=True),
    _c("distinct_partners", "community", "Distinct partners", "partners",
       "partner organisations",
       "Number of different partner organisations named in the period's activities.",
       5, 6, 4, 1.0, "house default", per_90_days=True),
    _c("non_sales_share", "community", "Activities not aimed at a sale", "good citizenship",
       "share of activities",
       "Share of activities marked as not sales-related (activities with no answer are left out).",
       0.8, 0.9, 0.75, 1.0, "house default"),
)

BY_KEY = {c.key: c for c in COMPONENTS}


def pillar_components(pillar: str) -> list[Component]:
    return [c for c in COMPONENTS if c.pillar == pillar]


def effective_target(component: Component, target: float, period_days: int) -> float:
    """The target for a period of ``period_days`` days (see the module rules)."""
    if component.per_90_days:
        return target * period_days / TARGET_DAYS
    return target


@dataclass
class Settings:
    org_type: str = DEFAULT_ORG_TYPE
    targets: dict[str, float] = field(default_factory=dict)  # overrides only
    weights: dict[str, float] = field(default_factory=dict)  # overrides only
    followers_override: dict[str, int] = field(default_factory=dict)  # platform -> followers
    # platform -> {"followers": n, "date": "YYYY-MM-DD"}: today's count typed in when no export gives a total
    follower_counts: dict[str, dict] = field(default_factory=dict)
    # event record_id -> True (a community activity) / False; events without a choice follow the proposal
    community_choices: dict[str, bool] = field(default_factory=dict)

    def target(self, key: str) -> float:
        if key in self.targets:
            return float(self.targets[key])
        return float(BY_KEY[key].default_target(self.org_type))

    def weight(self, key: str) -> float:
        if key in self.weights:
            return float(self.weights[key])
        return float(BY_KEY[key].weight)


class SettingsError(ValueError):
    """Settings that cannot be used; the message lists every problem in plain words."""


def default_settings(org_type: str = DEFAULT_ORG_TYPE) -> Settings:
    if org_type not in ORG_TYPES:
        raise SettingsError(f"Organisation type '{org_type}' is not one of: {', '.join(ORG_TYPES)}.")
    return Settings(org_type=org_type)


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def validate_settings(settings: Settings) -> list[str]:
    """Plain-language problems with ``settings``; empty when they can be used."""
    problems = []
    if settings.org_type not in ORG_TYPES:
        problems.append(f"Organisation type '{settings.org_type}' is not one of: {', '.join(ORG_TYPES)}.")
    for kind, values in (("target", settings.targets), ("weight", settings.weights)):
        for key, value in values.items():
            if key not in BY_KEY:
                problems.append(f"There is no measure called '{key}' (a {kind} was set for it).")
                continue
            x = _number(value)
            label = BY_KEY[key].label
            if kind == "target" and (x is None or x <= 0):
                problems.append(f"The target for '{label}' must be a number above 0 (got {value!r}).")
            if kind == "weight" and (x is None or x < 0):
                problems.append(f"The weight for '{label}' must be 0 or more (got {value!r}).")
    for platform, value in settings.followers_override.items():
        x = _number(value)
        if x is None or x < 0 or x != int(x):
            problems.append(f"Followers on {platform} must be a whole number, 0 or more (got {value!r}).")
    for platform, entry in settings.follower_counts.items():
        x = _number(entry.get("followers")) if isinstance(entry, dict) else None
        if x is None or x < 0 or x != int(x):
            problems.append(f"The follower count for {platform} must be a whole number, 0 or more "
                            f"(got {entry!r}).")
        elif not _is_date(entry.get("date")):
            problems.append(f"The follower count for {platform} needs the date it was counted, as YYYY-MM-DD "
                            f"(got {entry.get('date')!r}).")
    for key, value in settings.community_choices.items():
        if not isinstance(value, bool):
            problems.append(f"The community-activity choice for '{key}' must be true or false (got {value!r}).")
    return problems


def _is_date(value) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def settings_from_dict(data: dict | None) -> Settings:
    """Settings from their JSON form; raises SettingsError listing every problem."""
    if data is None:
        return default_settings()
    if not isinstance(data, dict):
        raise SettingsError("Settings must be a JSON object (name: value pairs).")
    problems = []
    parts = {}
    for name in ("targets", "weights", "followers_override", "follower_counts", "community_choices"):
        value = data.get(name) or {}
        if not isinstance(value, dict):
            problems.append(f"'{name}' must be a list of name: value pairs.")
            value = {}
        parts[name] = dict(value)
    unknown = sorted(set(data) - {"org_type", "targets", "weights", "followers_override", "follower_counts",
                                  "community_choices"})
    if unknown:
        problems.append(f"Unknown settings: {', '.join(unknown)}.")
    settings = Settings(org_type=str(data.get("org_type", DEFAULT_ORG_TYPE)), **parts)
    problems += validate_settings(settings)
    if problems:
        raise SettingsError(" ".join(problems))
    settings.targets = {k: float(v) for k, v in settings.targets.items()}
    settings.weights = {k: float(v) for k, v in settings.weights.items()}
    settings.followers_override = {str(k).strip().lower(): int(float(v)) for k, v in settings.followers_override.items()}
    settings.follower_counts = {str(k).strip().lower(): {"followers": int(float(v["followers"])), "date": str(v["date"])}
                                for k, v in settings.follower_counts.items()}
    settings.community_choices = {str(k): bool(v) for k, v in settings.community_choices.items()}
    return settings


def settings_to_dict(settings: Settings) -> dict:
    return {
        "org_type": settings.org_type,
        "targets": dict(settings.targets),
        "weights": dict(settings.weights),
        "followers_override": dict(settings.followers_override),
        "follower_counts": {k: dict(v) for k, v in settings.follower_counts.items()},
        "community_choices": dict(settings.community_choices),
    }


def component_table(settings: Settings | None = None) -> list[dict]:
    """Every component with its target and weight under ``settings``, for a Settings view."""
    settings = settings or default_settings()
    return [{
        "key": c.key,
        "pillar": c.pillar,
        "label": c.label,
        "unit": c.unit,
        "how": c.how,
        "target": settings.target(c.key),
        "default_target": c.default_target(settings.org_type),
        "target_basis": f"per {TARGET_DAYS} days, scaled to the period" if c.per_90_days else "any period",
        "weight": settings.weight(c.key),
        "default_weight": c.weight,
        "target_source": c.source,
        "by_org_type": by_org_type(c),
    } for c in COMPONENTS]


def by_org_type(c: Component) -> str:
    """Whether a measure's default target differs by organisation type, in words."""
    values = {t: c.default_target(t) for t in ORG_TYPES}
    if len(set(values.values())) == 1:
        return "the same for every organisation type"
    return " · ".join(f"{ORG_TYPES[t]} {fmt.value(v, c.unit)}" for t, v in values.items())

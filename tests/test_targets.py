"""Component definitions, defaults per organisation type, and Settings validation."""

from __future__ import annotations

import json

import pytest

from harness import targets
from harness.targets import (
    BY_KEY,
    Settings,
    SettingsError,
    default_settings,
    effective_target,
    settings_from_dict,
    settings_to_dict,
    validate_settings,
)

# The shared contract in the brief.
KEYS = {
    "involvement": ["people_per_1k_followers", "social_actions_per_1k_followers", "repeat_share",
                    "actions_per_1k_reactions"],
    "co_creation": ["community_content_share", "contributors_per_1k_followers", "repeat_contributor_share",
                    "community_engagement_ratio"],
    "connections": ["referred_per_1k_followers", "k_factor", "depth2_share", "referral_conversion",
                    "referrer_share"],
    "community": ["activities_per_month", "reach_per_1k_followers", "distinct_partners", "non_sales_share"],
}


@pytest.mark.parametrize("pillar", list(KEYS))
def test_component_keys_match_the_contract(pillar):
    assert [c.key for c in targets.pillar_components(pillar)] == KEYS[pillar]


@pytest.mark.parametrize("component", targets.COMPONENTS, ids=lambda c: c.key)
def test_every_component_is_documented_and_sane(component):
    assert component.label and component.unit and component.how.endswith(".")
    # No invented benchmark figures: every default is a house default, at most informed by a named source or
    # set beyond a published figure it quotes (those figures' addresses are in targets.PUBLISHED).
    assert component.source == "house default" or component.source.startswith(
        ("house default, informed by ", "house default, beyond ", "house default, three times "))
    for name, (figures, address) in targets.PUBLISHED.items():
        assert address.startswith("https://") and figures
    assert set(component.targets) == set(targets.ORG_TYPES)
    assert all(t > 0 for t in component.targets.values())
    assert component.weight >= 0


EFFECTIVE = [
    ("people_per_1k_followers", 20, 90, 20),
    ("people_per_1k_followers", 20, 30, 20 / 3),
    ("people_per_1k_followers", 20, 365, 20 * 365 / 90),
    ("repeat_share", 0.3, 30, 0.3),
    ("activities_per_month", 2, 365, 2),
]


@pytest.mark.parametrize("key,target,days,expected", EFFECTIVE)
def test_effective_target(key, target, days, expected):
    assert effective_target(BY_KEY[key], target, days) == pytest.approx(expected)


@pytest.mark.parametrize("org_type,key,expected", [
    ("school", "people_per_1k_followers", 25),
    ("nonprofit", "people_per_1k_followers", 20),
    ("other", "activities_per_month", 3),
    ("nonprofit", "non_sales_share", 0.90),
    ("school", "referral_conversion", 0.70),
])
def test_default_targets_by_org_type(org_type, key, expected):
    assert default_settings(org_type).target(key) == expected


def test_overrides_win_over_defaults():
    s = Settings(org_type="nonprofit", targets={"k_factor": 0.5}, weights={"k_factor": 3})
    assert (s.target("k_factor"), s.weight("k_factor")) == (0.5, 3)
    assert s.weight("repeat_share") == BY_KEY["repeat_share"].weight


def test_unknown_org_type_is_a_plain_error():
    with pytest.raises(SettingsError, match="Organisation type 'club' is not one of: school, nonprofit, other"):
        default_settings("club")


def test_settings_round_trip_through_json():
    s = Settings(org_type="other", targets={"k_factor": 0.4}, weights={"repeat_share": 0},
                 followers_override={"instagram": 1200})
    back = settings_from_dict(json.loads(json.dumps(settings_to_dict(s))))
    assert back == s


def test_settings_from_dict_tidies_values():
    s = settings_from_dict({"targets": {"k_factor": "0.4"}, "followers_override": {" Instagram ": "1200"}})
    assert s.targets == {"k_factor": 0.4}
    assert s.followers_override == {"instagram": 1200}
    assert settings_from_dict(None) == default_settings()


BAD = [
    ({"targets": {"k_factor": 0}}, "The target for 'K-factor (converted referrals per involved person)' must be a number above 0"),
    ({"targets": {"k_factor": "lots"}}, "must be a number above 0 (got 'lots')"),
    ({"targets": {"k_factor": float("nan")}}, "must be a number above 0"),
    ({"weights": {"repeat_share": -1}}, "The weight for 'Repeat involvement' must be 0 or more"),
    ({"weights": {"repeat_share": True}}, "must be 0 or more"),
    ({"weights": {"likes": 1}}, "There is no measure called 'likes'"),
    ({"followers_override": {"facebook": -5}}, "Followers on facebook must be a whole number, 0 or more"),
    ({"followers_override": {"facebook": 2.5}}, "whole number"),
    ({"org_type": "club"}, "Organisation type 'club'"),
    ({"targets": [1, 2]}, "'targets' must be a list of name: value pairs"),
    ({"colour": "red"}, "Unknown settings: colour"),
    ([1, 2], "Settings must be a JSON object"),
]


@pytest.mark.parametrize("data,message", BAD)
def test_bad_settings_give_plain_messages(data, message):
    with pytest.raises(SettingsError) as err:
        settings_from_dict(data)
    assert message in str(err.value)


def test_validate_lists_every_problem():
    s = Settings(targets={"k_factor": 0, "repeat_share": -1}, weights={"depth2_share": -2})
    assert len(validate_settings(s)) == 3
    assert validate_settings(default_settings()) == []


def test_component_table_reflects_settings():
    rows = {r["key"]: r for r in targets.component_table(Settings(targets={"k_factor": 0.5}))}
    assert rows["k_factor"]["target"] == 0.5 and rows["k_factor"]["default_target"] == 0.30
    assert rows["people_per_1k_followers"]["target_basis"].startswith("per 90 days")
    assert rows["people_per_1k_followers"]["by_org_type"] == "School 25 · Non-profit 20 · Other organisation 15"
    assert rows["repeat_share"]["by_org_type"] == "School 50% · Non-profit 45% · Other organisation 40%"
    assert rows["community_engagement_ratio"]["by_org_type"] == "the same for every organisation type"
    json.dumps(list(rows.values()), allow_nan=False)

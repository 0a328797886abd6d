"""What to try next: the idea library and how ideas are chosen."""

from __future__ import annotations

import re

import pytest

from harness import ideas
from harness.ideas import COMPONENT_KEYS, LIBRARY, ideas_for

BRIEF_KEYS = {
    "involvement": ["people_per_1k_followers", "social_actions_per_1k_followers", "repeat_share",
                    "actions_per_1k_reactions"],
    "co_creation": ["community_content_share", "contributors_per_1k_followers", "repeat_contributor_share",
                    "community_engagement_ratio"],
    "connections": ["referred_per_1k_followers", "k_factor", "depth2_share", "referral_conversion",
                    "referrer_share"],
    "community": ["activities_per_month", "reach_per_1k_followers", "distinct_partners", "non_sales_share"],
}


def test_component_keys_are_the_shared_contract():
    assert {p: list(k) for p, k in ideas.PILLAR_COMPONENTS.items()} == BRIEF_KEYS


def test_scoring_components_all_have_ideas():
    from harness import targets

    assert set(targets.BY_KEY) <= set(COMPONENT_KEYS)


@pytest.mark.parametrize("key", COMPONENT_KEYS)
@pytest.mark.parametrize("org_type", ideas.ORG_TYPES)
def test_every_component_has_two_ideas_for_every_org_type(key, org_type):
    assert len(ideas.ideas_for_component(key, org_type)) >= 2


def test_library_is_well_formed():
    assert len({i.id for i in LIBRARY}) == len(LIBRARY)
    for i in LIBRARY:
        assert i.component in COMPONENT_KEYS, i.id
        assert i.effort in ideas.EFFORTS, i.id
        assert i.org_types and set(i.org_types) <= set(ideas.ORG_TYPES), i.id
        assert len(i.title) <= 60 and i.title[0].isupper() and not i.title.endswith("."), i.id
        sentences = [s for s in re.split(r"(?<=[.!?])\s+|(?<=[.!?]['\"])\s+", i.detail.strip()) if s]
        assert 2 <= len(sentences) <= 3, (i.id, sentences)
        assert i.why.endswith("."), i.id


@pytest.mark.parametrize("field", ["title", "detail", "why"])
def test_no_raw_html(field):
    for i in LIBRARY:
        text = getattr(i, field)
        assert not re.search(r"<[^>]*>|&[a-z]+;|&#\d+;", text), (i.id, text)
        assert "<" not in text and ">" not in text, i.id


# ---------------------------------------------------------------- ordering


@pytest.mark.parametrize("components, expected", [
    # Lowest score first; None (no data) after every scored component; 100 needs nothing.
    ([("k_factor", 50), ("repeat_share", 10), ("distinct_partners", None), ("depth2_share", 100)],
     ["repeat_share", "k_factor", "distinct_partners"]),
    # Ties follow COMPONENT_KEYS order (involvement before community), whatever the input order.
    ([("non_sales_share", 20), ("people_per_1k_followers", 20)], ["people_per_1k_followers", "non_sales_share"]),
    ([("referrer_share", None), ("community_content_share", None)], ["community_content_share", "referrer_share"]),
    # Unknown keys are ignored; a repeated key keeps its weakest score.
    ([("not_a_component", 0), ("k_factor", 80), ("k_factor", 5), ("repeat_share", 40)],
     ["k_factor", "repeat_share"]),
    ([], []),
])
def test_weakest_first(components, expected):
    assert ideas.weakest_first(components) == expected


def test_ideas_for_takes_two_from_weakest_then_next():
    got = ideas_for([("k_factor", 60), ("repeat_share", 10)], "school", limit=3)
    assert [i.component for i in got] == ["repeat_share", "repeat_share", "k_factor"]
    # Within a component: low effort first, then id.
    low = sorted(i.id for i in LIBRARY if i.component == "repeat_share" and i.effort == "low")
    assert [i.id for i in got[:2]] == low[:2]


@pytest.mark.parametrize("limit, per_component, expected_components", [
    (1, 2, ["referral_conversion"]),
    (4, 1, ["referral_conversion", "non_sales_share", "k_factor"]),  # only three components to draw on
    (5, 3, ["referral_conversion"] * 3 + ["non_sales_share"] * 2),
])
def test_limit_and_per_component(limit, per_component, expected_components):
    comps = [("k_factor", 70), ("referral_conversion", 5), ("non_sales_share", 30)]
    got = ideas_for(comps, "nonprofit", limit=limit, per_component=per_component)
    assert [i.component for i in got] == expected_components


def test_deterministic():
    comps = [(k, 50) for k in COMPONENT_KEYS]
    assert ideas_for(comps, "other", limit=6) == ideas_for(list(reversed(comps)), "other", limit=6)


# ---------------------------------------------------------------- organisation type


@pytest.mark.parametrize("given, normal", [
    ("school", "school"), ("Non-profit", "nonprofit"), ("non_profit", "nonprofit"), ("NONPROFIT", "nonprofit"),
    (" other ", "other"), (None, None),
])
def test_org_type_names(given, normal):
    assert ideas.normalise_org_type(given) == normal


def test_unknown_org_type_is_a_plain_error():
    with pytest.raises(ValueError, match="school, nonprofit or other"):
        ideas_for([("k_factor", 1)], "church")


@pytest.mark.parametrize("org_type", ["school", "nonprofit"])
def test_org_type_filter(org_type):
    comps = [(k, 0) for k in COMPONENT_KEYS]
    got = ideas_for(comps, org_type, limit=100, per_component=10)
    assert got and all(org_type in i.org_types for i in got)
    unsuited = {i.id for i in LIBRARY if org_type not in i.org_types}
    assert unsuited and not unsuited & {i.id for i in got}


def test_no_org_type_offers_everything():
    comps = [(k, 0) for k in COMPONENT_KEYS]
    assert len(ideas_for(comps, None, limit=1000, per_component=100)) == len(LIBRARY)

"""Referral forest and network metrics on small graphs with hand-computed answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from harness import dataset, network
from harness.periods import Period

DAY0 = pd.Timestamp("2025-01-01", tz="UTC")


def tables(edges=(), actions=()):
    """Canonical tables from (referrer, referred, day[, channel, converted]) and
    (person, day[, action, referred_by]) tuples; day 0 is 1 Jan 2025."""
    e = [tuple(x) + (None, None)[len(x) - 3:] for x in edges]  # defaults: channel, converted
    a = [tuple(x) + ("visit", None)[len(x) - 2:] for x in actions]  # defaults: action, referred_by
    ref = pd.DataFrame({
        "record_id": [f"r{i}" for i in range(len(e))],
        "occurred_at": pd.Series([DAY0 + pd.Timedelta(days=x[2]) for x in e], dtype="datetime64[ns, UTC]"),
        "referrer": [x[0] for x in e], "referred": [x[1] for x in e],
        "channel": [x[3] for x in e], "converted": pd.array([x[4] for x in e], dtype="boolean"),
    })
    inv = pd.DataFrame({
        "record_id": [f"i{i}" for i in range(len(a))],
        "occurred_at": pd.Series([DAY0 + pd.Timedelta(days=x[1]) for x in a], dtype="datetime64[ns, UTC]"),
        "person": [x[0] for x in a], "action": [x[2] for x in a], "source": "other",
        "value": None, "referred_by": [x[3] for x in a], "post_id": None,
    })
    return dataset.from_tables(referrals=ref, involvement=inv)


def depths(ds) -> dict[str, int]:
    return network.person_depths(ds["referrals"], ds["involvement"]).to_dict()


def reach(ds) -> dict[str, int]:
    net = network.load_network(ds)
    return dict(zip(net.forest.people.astype(str), net.reach.tolist()))


GRAPHS = {
    # name: (edges, actions, expected depths, expected downstream reach)
    "chain": (
        [("A", "B", 1), ("B", "C", 2), ("C", "D", 3)], [],
        {"A": 1, "B": 2, "C": 3, "D": 4}, {"A": 3, "B": 2, "C": 1, "D": 0},
    ),
    "star": (
        [("A", "B", 1), ("A", "C", 1), ("A", "D", 2), ("A", "E", 3)], [],
        {"A": 1, "B": 2, "C": 2, "D": 2, "E": 2}, {"A": 4, "B": 0, "C": 0, "D": 0, "E": 0},
    ),
    # C -> A closes a cycle A->B->C->A; its edge is the latest, so it is cut and A hangs from the root.
    "tree_with_cycle": (
        [("A", "B", 1), ("B", "C", 2), ("C", "A", 3), ("C", "D", 4)], [],
        {"A": 1, "B": 2, "C": 3, "D": 4}, {"A": 3, "B": 2, "C": 1, "D": 0},
    ),
    # The cycle's latest edge is B -> A here, so B keeps its parent and A is cut loose.
    "two_cycle": (
        [("B", "A", 5), ("A", "B", 1)], [],
        {"A": 1, "B": 2}, {"A": 1, "B": 0},
    ),
    "disconnected": (
        [("A", "B", 1), ("C", "D", 2)], [("E", 3)],
        {"A": 1, "B": 2, "C": 1, "D": 2, "E": 1}, {"A": 1, "B": 0, "C": 1, "D": 0, "E": 0},
    ),
    "self_referral_ignored": (
        [("A", "A", 1), ("A", "B", 2), ("X", "X", 3)], [],
        {"A": 1, "B": 2}, {"A": 1, "B": 0},
    ),
    # C was referred by A first and by B later: A's referral sets the depth; B's edge stays.
    "referred_twice": (
        [("A", "C", 1), ("B", "C", 2), ("B", "D", 3)], [],
        {"A": 1, "B": 1, "C": 2, "D": 2}, {"A": 1, "B": 1, "C": 0, "D": 0},
    ),
    "involvement_referred_by": (
        [], [("A", 0), ("B", 2, "visit", "A"), ("C", 3, "call", "B")],
        {"A": 1, "B": 2, "C": 3}, {"A": 2, "B": 1, "C": 0},
    ),
    "unknown_referrer_is_depth_1": (
        [("Stranger", "A", 1)], [("A", 2)],
        {"Stranger": 1, "A": 2}, {"Stranger": 1, "A": 0},
    ),
    "emails_case_folded": (
        [("Ann@X.org", "bob@x.org", 1), ("BOB@x.org ", "cy@x.org", 2)], [],
        {"ann@x.org": 1, "bob@x.org": 2, "cy@x.org": 3}, {"ann@x.org": 2, "bob@x.org": 1, "cy@x.org": 0},
    ),
    "empty": ([], [], {}, {}),
}


@pytest.mark.parametrize("edges,actions,want_depth,want_reach", GRAPHS.values(), ids=GRAPHS.keys())
def test_depth_and_reach(edges, actions, want_depth, want_reach):
    ds = tables(edges, actions)
    assert depths(ds) == want_depth
    assert reach(ds) == want_reach


@pytest.mark.parametrize("edges,actions,want_depth,want_reach", GRAPHS.values(), ids=GRAPHS.keys())
def test_all_edges_kept(edges, actions, want_depth, want_reach):
    f = network.build_forest(tables(edges, actions)["referrals"], tables(edges, actions)["involvement"])
    non_self = [e for e in edges if e[0] != e[1]] + [a for a in actions if len(a) > 3 and a[3]]
    assert len(f.edges) == len(non_self)


CASCADES = {
    "chain": ([("A", "B", 1), ("B", "C", 2), ("C", "D", 3)], [], [(4, 4)]),
    "star": ([("A", "B", 1), ("A", "C", 1), ("A", "D", 2)], [], [(4, 2)]),
    "disconnected": ([("A", "B", 1), ("C", "D", 2), ("D", "F", 2)], [("E", 3)], [(3, 3), (2, 2), (1, 1)]),
}


@pytest.mark.parametrize("edges,actions,want", CASCADES.values(), ids=CASCADES.keys())
def test_cascades(edges, actions, want):
    c = network.network_metrics(tables(edges, actions)).cascades
    assert list(zip(c["size"], c["levels"])) == want


# A: depth 1, acts day 0. A->B converted (B acts day 2: 1 day later). A->C unknown in
# the log but C acts day 5 (4 days later): converted. A->D logged "no", D never acts.
# B->E unknown, E never acts: left out of the rate.
METRIC_EDGES = [("A", "B", 1, "email", True), ("A", "C", 1, "word_of_mouth", None),
                ("A", "D", 2, "email", False), ("B", "E", 3, "email", None)]
METRIC_ACTIONS = [("A", 0), ("B", 2), ("C", 5), ("B", 9, "donation", None)]


def test_headline_metrics_by_hand():
    m = network.network_metrics(tables(METRIC_EDGES, METRIC_ACTIONS))
    assert m.people == 5
    assert m.by_depth == {"1": 1, "2": 3, "3+": 1}
    assert m.depth2_share == pytest.approx(4 / 5)
    assert m.involved_people == 3
    assert m.referrals == 4
    assert m.converted_referrals == 2  # B and C
    assert m.k_factor == pytest.approx(2 / 3)
    assert m.referral_known == 3 and m.referral_conversion == pytest.approx(2 / 3)
    assert m.median_days_to_first_action == pytest.approx(2.5)  # median of 1 and 4 days
    assert m.headline()["largest_cascade"] == 5 and m.headline()["deepest_cascade"] == 3


def test_connectors_table_by_hand():
    m = network.network_metrics(tables(METRIC_EDGES, METRIC_ACTIONS))
    t = m.connectors_table().set_index("person")
    assert list(m.connectors_table().columns) == [
        "person", "direct_referrals", "downstream_reach", "reach_in_period", "converted", "depth", "first_seen"]
    assert t.loc["A"].to_dict() | {"first_seen": str(t.loc["A", "first_seen"])} == {
        "direct_referrals": 3, "downstream_reach": 4, "reach_in_period": 4, "converted": 2, "depth": 1,
        "first_seen": "2025-01-01"}
    assert t.loc["B", "downstream_reach"] == 1 and t.loc["B", "converted"] == 0
    assert set(t.index) == {"A", "B"}  # only people who brought someone
    assert m.top_connectors("direct_referrals")["person"].iloc[0] == "A"


def test_referred_twice_gives_both_referrers_direct_credit_but_reach_once():
    m = network.network_metrics(tables([("A", "C", 1), ("B", "C", 2)]))
    t = m.connectors_table().set_index("person")
    assert t["direct_referrals"].to_dict() == {"A": 1, "B": 1}
    assert t["downstream_reach"].to_dict() == {"A": 1, "B": 0}


def test_period_uses_data_up_to_its_end_and_compares_with_previous():
    # Period 3-6 Jan; previous 30 Dec - 2 Jan.
    period = Period(dt.date(2025, 1, 3), dt.date(2025, 1, 6))
    m = network.network_metrics(tables(METRIC_EDGES, METRIC_ACTIONS), period)
    # In the period: A->D (day 2 = 3 Jan), B->E (4 Jan), B acts 3 Jan, C acts 6 Jan.
    assert m.people == 5  # A, D, B, E, C
    assert m.new_people == 2  # D and E first appear in the period
    assert m.referrals == 2 and m.involved_people == 2
    prev = m.previous
    assert prev.period == Period(dt.date(2024, 12, 30), dt.date(2025, 1, 2))
    # Previous: A acts 1 Jan, A->B and A->C on 2 Jan; nothing later is visible.
    assert prev.people == 3 and prev.by_depth == {"1": 1, "2": 2, "3+": 0}
    assert prev.referrals == 2 and prev.involved_people == 1
    # C's action (6 Jan) is after the previous period's end, so A->C was unknown then.
    assert prev.referral_known == 1 and prev.converted_pairs == 1
    assert m.changes()["people"] == 2
    d = m.to_dict()
    assert d["previous"]["people"] == 3 and d["change"]["referrals"] == 0


def test_metrics_on_empty_data():
    m = network.network_metrics(tables())
    assert m.people == 0 and m.k_factor is None and m.depth2_share is None
    assert m.referral_conversion is None and m.median_days_to_first_action is None
    assert m.connectors_table().empty and m.to_dict()["cascades"] == 0


def test_to_dict_is_plain_and_complete():
    d = network.network_metrics(tables(METRIC_EDGES, METRIC_ACTIONS)).to_dict()
    for key in network.HEADLINE + ("by_depth", "cascade_sizes", "top_by_reach", "top_by_direct_referrals"):
        assert key in d
    assert d["cascade_sizes"] == {"1": 0, "2-5": 1, "6-20": 0, "21-100": 0, "101+": 0}
    import json
    json.dumps(d)  # serialisable as is


def test_communities_found_on_two_separate_stars():
    edges = [("A", f"a{i}", 1) for i in range(6)] + [("B", f"b{i}", 1) for i in range(6)]
    m = network.network_metrics(tables(edges))
    assert m.communities == [7, 7]


CHANNEL_FILTERS = {
    "email only": ({"channels": ["email"]}, {"A", "B", "D", "E"}),
    "converted only": ({"converted_only": True}, {"A", "B", "C"}),
}


@pytest.mark.parametrize("kwargs,people", CHANNEL_FILTERS.values(), ids=CHANNEL_FILTERS.keys())
def test_filters(kwargs, people):
    net = network.load_network(tables(METRIC_EDGES, METRIC_ACTIONS), **kwargs)
    assert set(net.pairs["dst"].map(lambda c: net.forest.people[c])) | {"A"} == people


def test_cascade_roots_and_levels():
    ds = tables([("A", "B", 1), ("B", "C", 2), ("X", "Y", 1)])
    net = network.load_network(ds)
    names = np.asarray(net.forest.people.astype(str))
    assert dict(zip(names, names[net.cascade])) == {"A": "A", "B": "A", "C": "A", "X": "X", "Y": "X"}
    assert network.subtree_sums(net.forest).sum() == 3 + 2 + 1 + 2 + 1


def test_connectors_for_display_hides_names_only_when_asked():
    import pandas as pd

    from harness.privacy import connectors_for_display, pseudonym

    t = pd.DataFrame({"person": ["ann@x.org", "Bob"], "direct_referrals": [3, 1]})
    assert connectors_for_display(t, False, "s").equals(t)
    hidden = connectors_for_display(t, True, "s")
    assert hidden["person"].tolist() == [pseudonym("ann@x.org", "s"), pseudonym("Bob", "s")]
    assert hidden["direct_referrals"].tolist() == [3, 1]
    assert not hidden["person"].str.contains("ann|Bob").any()


# ---------------------------------------------------------------------------
# ReferralIndex: the whole dataset numbered once (scoring and vanity vs real read it).


PERSON_CODES = {
    # columns -> (people, codes per column); -1 is no one
    "emails_fold_and_trim": ([["Ann@X.org", " ann@x.org "], ["Bob", "ann@x.org"]],
                             ["ann@x.org", "Bob"], [[0, 0], [1, 0]]),
    "blank_and_missing_are_no_one": ([["", "  ", None, "Cy"]], ["Cy"], [[-1, -1, -1, 0]]),
    "names_keep_their_case": ([["Sam Lee", "sam lee"]], ["Sam Lee", "sam lee"], [[0, 1]]),
    "already_normal": ([["a", "b"], ["b", "c"]], ["a", "b", "c"], [[0, 1], [1, 2]]),
    "empty": ([[], []], [], [[], []]),
}


@pytest.mark.parametrize("columns,people,codes", PERSON_CODES.values(), ids=PERSON_CODES.keys())
def test_person_codes(columns, people, codes):
    got_people, got_codes = network.person_codes(*[pd.Series(c, dtype="str") for c in columns])
    assert list(got_people) == people
    assert [c.tolist() for c in got_codes] == codes


def _cut_tables(ds, end):
    ref, inv = ds["referrals"], ds["involvement"]
    return ref[ref["occurred_at"] < end], inv[inv["occurred_at"] < end]


@pytest.mark.parametrize("edges,actions,want_depth,want_reach", GRAPHS.values(), ids=GRAPHS.keys())
def test_referral_index_matches_the_edges_and_the_forest_at_every_date(edges, actions, want_depth, want_reach):
    # Second method: referral_edges and build_forest, which read the names again for each date.
    ds = tables(edges, actions)
    ix = network.referral_index(ds)
    e = network.referral_edges(ds["referrals"], ds["involvement"])
    assert list(ix.people[ix.src]) == e["referrer"].tolist()
    assert list(ix.people[ix.dst]) == e["referred"].tolist()
    assert ix.occurred_at.tolist() == e["occurred_at"].tolist()
    for day in range(7):
        end = DAY0 + pd.Timedelta(days=day)
        f = network.build_forest(*_cut_tables(ds, end))
        m = ix.cut(end)
        assert m == len(f.edges)
        assert set(ix.people[ix.deep(m)]) == set(f.people[f.depth >= 2])


def test_a_tie_on_a_cycle_is_cut_as_build_forest_cuts_it():
    # P->Q (day 1), then Q->R and R->P both on day 2 close a cycle whose two latest edges tie.
    # R referred S on day 0 (involvement log), so build_forest numbers R first, walks the cycle
    # from R and cuts R's own parent edge (Q->R): R 1, P 2, Q 3, S 2. The index numbers P
    # first (referrals before involvement) yet must cut the same edge.
    ds = tables([("P", "Q", 1), ("Q", "R", 2), ("R", "P", 2)], [("S", 0, "visit", "R")])
    assert depths(ds) == {"R": 1, "P": 2, "Q": 3, "S": 2}
    ix = network.referral_index(ds)
    assert list(ix.people[:3]) == ["P", "Q", "R"]
    assert ix.has_cycles
    assert set(ix.people[ix.deep(len(ix))]) == {"P", "Q", "S"}


def test_referral_pairs_by_hand():
    # Positions (oldest first): 0 A->B unknown, 1 A->B yes, 2 A->C no, 3 B->C unknown, 4 A->B no.
    ds = tables([("A", "B", 1), ("A", "B", 2, None, True), ("A", "C", 3, None, False), ("B", "C", 4),
                 ("A", "B", 5, None, False)])
    first, first_yes, first_no = network.referral_index(ds).pairs
    assert first.tolist() == [0, 2, 3]  # A->B, A->C, B->C
    assert first_yes.tolist() == [1, 5, 5]  # 5 = none
    assert first_no.tolist() == [4, 2, 5]
    assert network.referral_index(ds).first_referral_times().tolist() == [DAY0 + pd.Timedelta(days=d)
                                                                           for d in (1, 3, 4)]


def test_referral_index_of_bare_tables_and_of_a_dataset_agree():
    ds = tables(METRIC_EDGES, METRIC_ACTIONS)
    kept, fresh = network.referral_index(ds), network.referral_index(dict(ds.tables))
    assert kept is ds.referral_index and fresh is not kept
    for name in ("src", "dst", "time", "says_yes", "says_no", "inv_code"):
        assert getattr(kept, name).tolist() == getattr(fresh, name).tolist()

"""Properties of the referral forest on random referral logs (hypothesis).

Each random log is a forest (person i referred by an earlier person, or
nobody) plus extra edges that refer people twice, close cycles or refer
oneself. Depths and subtree sizes are checked against networkx, a second
method, on the forest the rules produce.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from harness import network

DAY0 = pd.Timestamp("2025-01-01", tz="UTC")


@st.composite
def referral_logs(draw):
    n = draw(st.integers(1, 40))
    parents = [draw(st.integers(-1, i - 1)) for i in range(n)]
    edges = [(p, i) for i, p in enumerate(parents) if p >= 0]
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=10))
    edges += extra  # later edges: second referrals, cycles and self-referrals
    days = draw(st.lists(st.integers(0, 5), min_size=len(edges), max_size=len(edges)))
    alone = draw(st.lists(st.integers(0, n - 1), max_size=5))
    ref = pd.DataFrame({
        "record_id": [f"r{k}" for k in range(len(edges))],
        "occurred_at": pd.Series([DAY0 + pd.Timedelta(days=k + d) for k, d in enumerate(days)],
                                 dtype="datetime64[ns, UTC]"),
        "referrer": pd.array([f"p{a}" for a, _ in edges], dtype="str"),
        "referred": pd.array([f"p{b}" for _, b in edges], dtype="str"),
        "channel": pd.array(["email"] * len(edges), dtype="str"),
        "converted": pd.array([None] * len(edges), dtype="boolean"),
    })
    inv = pd.DataFrame({
        "record_id": pd.array([f"i{k}" for k in range(len(alone))], dtype="str"),
        "occurred_at": pd.Series([DAY0] * len(alone), dtype="datetime64[ns, UTC]"),
        "person": pd.array([f"p{k}" for k in alone], dtype="str"),
        "action": pd.array(["visit"] * len(alone), dtype="str"),
        "source": pd.array(["other"] * len(alone), dtype="str"),
        "value": pd.array([None] * len(alone), dtype="Float64"),
        "referred_by": pd.array([None] * len(alone), dtype="str"),
        "post_id": pd.array([None] * len(alone), dtype="str"),
    })
    return {"referrals": ref, "involvement": inv}


def tree_graph(forest: network.Forest) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node("ROOT")
    g.add_edges_from(("ROOT" if p < 0 else int(p), i) for i, p in enumerate(forest.parent.tolist()))
    return g


@settings(max_examples=50, deadline=None)
@given(referral_logs())
def test_forest_is_a_tree_and_depths_match_networkx(tables):
    net = network.load_network(tables)
    f = net.forest
    g = tree_graph(f)
    assert nx.is_arborescence(g)  # every cycle was broken
    dist = nx.single_source_shortest_path_length(g, "ROOT")
    assert [dist[i] for i in range(len(f))] == f.depth.tolist()
    # Depth counts sum to the number of people.
    assert np.bincount(f.depth).sum() == len(f)
    assert sum(network.network_metrics(tables).by_depth.values()) == len(f)


@settings(max_examples=50, deadline=None)
@given(referral_logs())
def test_subtree_sizes(tables):
    net = network.load_network(tables)
    f = net.forest
    g = tree_graph(f)
    # The organisation's downstream reach is everyone.
    assert net.size[f.depth == 1].sum() == len(f)
    # A node's subtree is itself plus its children's subtrees.
    children_total = np.zeros(len(f), dtype=np.int64)
    np.add.at(children_total, f.parent[f.parent >= 0], net.size[f.parent >= 0])
    assert (net.size == 1 + children_total).all()
    # Second method: networkx descendants.
    assert [len(nx.descendants(g, i)) for i in range(len(f))] == net.reach.tolist()


@settings(max_examples=40, deadline=None)
@given(referral_logs(), st.integers(1, 50))
def test_top_people_is_ancestor_closed(tables, k):
    net = network.load_network(tables)
    chosen = set(network.top_people(net, k).tolist())
    assert len(chosen) == min(k, len(net.forest))
    assert all(net.forest.parent[c] < 0 or net.forest.parent[c] in chosen for c in chosen)


@settings(max_examples=40, deadline=None)
@given(referral_logs())
def test_cascades_partition_everyone(tables):
    m = network.network_metrics(tables)
    assert m.cascades["size"].sum() == m.people
    assert (m.cascades["levels"] >= 1).all()


@settings(max_examples=40, deadline=None)
@given(referral_logs(), st.integers(3, 30))
def test_drawn_selection_fits_the_cap_and_hangs_from_the_root(tables, cap):
    net = network.load_network(tables)
    mask = network.select_drawn(net, cap)
    parent = net.forest.parent
    chosen = np.flatnonzero(mask)
    assert all(parent[c] < 0 or mask[parent[c]] for c in chosen)
    hang, groups, orphans = network.hidden_branches(net, mask)
    assert 1 + len(chosen) + groups.shape[1] + int(len(orphans) > 0) <= cap
    # Everyone is drawn or inside a summary.
    assert len(chosen) + net.size[hang].sum() + net.size[orphans].sum() == len(net.forest)

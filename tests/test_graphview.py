"""The referral-network page: counts, cap, offline, inert uploaded text, exports."""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from benchmarks.bench_network import synthetic_tables
from harness import graphview, network
from tests.test_network import METRIC_ACTIONS, METRIC_EDGES, tables

XSS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "Bob href",  # pyvis switches every tooltip to innerHTML when a title contains "href"
    "Eve\u2028\u2029&amp;",
]


def page_data(html: str) -> dict:
    m = re.search(r"var DATA = (\{.*?\});\n", html)
    assert m, "data blob not found"
    return json.loads(m.group(1))


def hostile():
    edges = [(XSS[0], XSS[1], 1, "<svg onload=alert(2)>", True), (XSS[1], XSS[2], 2, "email", None),
             (XSS[0], XSS[3], 3, "email", False), (XSS[3], XSS[4], 4, "x", True)]
    return tables(edges, [(XSS[3], 5, "<b>visit</b>", None)])


@pytest.fixture(scope="module")
def five_k():
    return network.load_network(synthetic_tables(5000, seed=3))


NODE_COUNTS = {
    # people + the organisation node
    "chain": ([("A", "B", 1), ("B", "C", 2), ("C", "D", 3)], [], 5, 3),
    "star": ([("A", "B", 1), ("A", "C", 1), ("A", "D", 2)], [], 5, 3),
    "referred twice": ([("A", "C", 1), ("B", "C", 2)], [], 4, 2),
    "metrics example": (METRIC_EDGES, METRIC_ACTIONS, 6, 4),
    "empty": ([], [], 1, 0),
}


@pytest.mark.parametrize("edges,actions,nodes,referral_edges", NODE_COUNTS.values(), ids=NODE_COUNTS.keys())
def test_node_and_edge_counts_match_the_data(edges, actions, nodes, referral_edges):
    html, info = graphview.render_network_html(tables(edges, actions))
    data = page_data(html)
    assert len(data["nodes"]) == nodes == info["shown_nodes"]
    assert info["shown_people"] == info["total_people"] == nodes - 1
    assert info["shown_edges"] == info["total_edges"] == referral_edges
    direct = sum(1 for e in data["edges"] if e["from"] == 0)
    assert len(data["edges"]) == referral_edges + direct
    assert f"Showing {nodes - 1} of {nodes - 1} people" in data["message"]


def test_depth_colours_and_rings():
    html, _ = graphview.render_network_html(tables([("A", "B", 1), ("B", "C", 2)]))
    nodes = {n["name"]: n for n in page_data(html)["nodes"]}
    assert [nodes[k]["color"] for k in "ABC"] == [graphview.DEPTH_COLOURS[d] for d in (1, 2, 3)]
    radius = {k: np.hypot(nodes[k]["x"], nodes[k]["y"]) for k in "ABC"}
    assert 0 < radius["A"] < radius["B"] < radius["C"]


@pytest.mark.parametrize("cap,expected_max", [(1000, 1000), (300, 300), (5000, 2000), (1, 3)])
def test_cap_respected_with_showing_n_of_m(five_k, cap, expected_max):
    html, info = graphview.render_network_html(five_k, max_nodes=cap)
    data = page_data(html)
    assert len(data["nodes"]) == info["shown_nodes"] <= expected_max
    assert info["total_people"] == five_k.n
    # Every person is either drawn or counted in a summary node.
    assert info["shown_people"] + info["hidden_people"] == info["total_people"]
    assert f"Showing {info['shown_people']:,} of {info['total_people']:,} people" == data["message"]
    people = [n for n in data["nodes"] if n["kind"] == "person"]
    assert len(people) == info["shown_people"]
    assert any("smaller cascades" in n["label"] for n in data["nodes"] if n["kind"] == "summary")


def test_cap_uses_most_of_the_budget(five_k):
    _, info = graphview.render_network_html(five_k, max_nodes=1000)
    assert info["shown_nodes"] >= 950


def test_one_giant_cascade_is_cut_into_summaries():
    edges = [("root", f"c{i}", 1) for i in range(30)] + [(f"c{i}", f"g{i}_{j}", 2) for i in range(30) for j in range(3)]
    html, info = graphview.render_network_html(tables(edges), max_nodes=50)
    data = page_data(html)
    assert info["shown_nodes"] <= 50 and info["total_people"] == 121
    assert info["shown_people"] + info["hidden_people"] == 121
    summaries = [n for n in data["nodes"] if n["kind"] == "summary"]
    assert summaries and all(re.fullmatch(r"\+\d+ more", n["label"]) for n in summaries)


EGO = {
    "chain 1 step": ("B", 1, {"A", "B", "C"}),
    "chain 2 steps": ("B", 2, {"A", "B", "C", "D"}),
    "star leaf 2 steps": ("s1", 2, {"hub", "s1", "s2", "s3"}),
}


@pytest.mark.parametrize("focus,steps,people", EGO.values(), ids=EGO.keys())
def test_ego_view(focus, steps, people):
    edges = [("A", "B", 1), ("B", "C", 2), ("C", "D", 3), ("D", "E", 4),
             ("hub", "s1", 1), ("hub", "s2", 1), ("hub", "s3", 1)]
    html, info = graphview.render_network_html(tables(edges), focus=focus, steps=steps)
    nodes = page_data(html)["nodes"]
    assert {n["name"] for n in nodes} == people
    assert nodes[0]["name"] == focus and (nodes[0]["x"], nodes[0]["y"]) == (0.0, 0.0)
    assert info["shown_people"] == len(people)


def test_ego_view_unknown_person_is_a_plain_error():
    with pytest.raises(ValueError, match="nobody called 'Zed'"):
        graphview.render_network_html(tables([("A", "B", 1)]), focus="Zed")


def test_period_and_channel_filters():
    ds = tables(METRIC_EDGES, METRIC_ACTIONS)
    html, info = graphview.render_network_html(ds, channels=["email"])
    assert {n["name"] for n in page_data(html)["nodes"]} == {graphview.ORG_LABEL, "A", "B", "D", "E"}
    _, info = graphview.render_network_html(ds, converted_only=True)
    assert info["total_edges"] == 2


# --- offline and safety ----------------------------------------------------

EXTERNAL = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


def test_page_is_offline(five_k):
    html, _ = graphview.render_network_html(five_k)
    assert not EXTERNAL.search(html)
    assert "cdn.jsdelivr" not in html and "bootstrap" not in html.lower()
    assert "default-src 'none'" in html  # the page may not fetch anything
    tags = re.findall(r"<script\b[^>]*>", our_markup(html))
    assert len(tags) == 2 and not any("src" in t for t in tags)


def our_markup(html: str) -> str:
    """The page minus the body of the inlined vis-network library."""
    start = html.index(">", html.index("<script nonce")) + 1
    end = html.index("</script>", start)
    return html[:start] + html[end:]


def test_injected_names_stay_text():
    html, _ = graphview.render_network_html(hostile())
    for raw in ("<img", "</script><script", "<svg", "<!--", "<b>", "\u2028", "\u2029"):
        assert raw not in our_markup(html), raw
    assert html.count("</script>") == 2  # nothing from the data closes a script
    data = page_data(html)
    # The names survive exactly, as data, for the page to show with textContent.
    names = {n["name"] for n in data["nodes"]}
    assert set(XSS) <= names
    assert any("<svg onload=alert(2)>" in item["text"] for item in data["legend"])
    assert any("1 <b>visit</b>" in n["tip"] for n in data["nodes"])


def test_pyvis_template_traps_avoided():
    html, _ = graphview.render_network_html(hostile())
    ours = our_markup(html)
    assert "innerHTML" not in ours and "insertAdjacentHTML" not in ours and "document.write" not in ours
    assert "select-node" not in ours and "TomSelect" not in ours and "<h1" not in ours
    assert ".textContent" in ours and 'el("div", "", x.tip)' in ours


@pytest.mark.parametrize("value", ['1px;}</style><script>', "100%\"", "12"])
def test_bad_height_rejected(value):
    with pytest.raises(ValueError, match="height"):
        graphview.render_network_html(tables([("A", "B", 1)]), height=value)


def test_script_json_escapes():
    s = graphview.script_json({"a": "</script>&<!--\u2028\u2029"})
    assert json.loads(s) == {"a": "</script>&<!--\u2028\u2029"}
    assert not re.search("[<>&\u2028\u2029]", s)


# --- pseudonyms --------------------------------------------------------------


def test_pseudonymised_page_hides_names():
    ds = tables([("alice@example.org", "bob@example.org", 1), ("bob@example.org", "Carol Jones", 2)])
    html, _ = graphview.render_network_html(ds, pseudonymise=True, salt="s1")
    for name in ("alice@example.org", "bob@example.org", "Carol Jones"):
        assert name not in our_markup(html)
    labels = sorted(n["name"] for n in page_data(html)["nodes"] if n["kind"] == "person")
    again = sorted(n["name"] for n in page_data(graphview.render_network_html(ds, pseudonymise=True, salt="s1")[0])["nodes"]
                   if n["kind"] == "person")
    other = sorted(n["name"] for n in page_data(graphview.render_network_html(ds, pseudonymise=True, salt="s2")[0])["nodes"]
                   if n["kind"] == "person")
    assert labels == again and labels != other
    assert all(re.fullmatch(r"Person [0-9a-f]{8}", x) for x in labels)


def test_pseudonymised_ego_accepts_only_pseudonyms():
    ds = tables([("alice", "bob", 1)])
    from harness.privacy import pseudonym
    html, _ = graphview.render_network_html(ds, pseudonymise=True, salt="k", focus=pseudonym("bob", "k"), steps=1)
    assert {n["name"] for n in page_data(html)["nodes"]} == {pseudonym("alice", "k"), pseudonym("bob", "k")}
    with pytest.raises(ValueError):
        graphview.render_network_html(ds, pseudonymise=True, salt="k", focus="bob")


# --- layout ------------------------------------------------------------------


def test_radial_layout_rings_and_spread():
    parent = np.array([-1, 0, 0, 1, 1, 2])
    ring = np.array([0, 1, 1, 2, 2, 2])
    xy = graphview.radial_layout(parent, ring)
    r = np.hypot(xy[:, 0], xy[:, 1])
    assert r[0] == 0 and np.allclose(r[1], r[2]) and np.allclose(r[3:], r[3]) and r[3] > r[1]
    assert len({(round(x, 3), round(y, 3)) for x, y in xy}) == len(xy)


# --- exports -----------------------------------------------------------------


def test_graphml_and_gexf_round_trip_hostile_names():
    ds = hostile()
    g = nx.read_graphml(io.BytesIO(graphview.to_graphml_bytes(ds)))
    assert g.number_of_nodes() == 5 and g.number_of_edges() == 4
    assert {d["label"] for _, d in g.nodes(data=True)} == set(XSS)
    gexf = graphview.to_gexf_bytes(ds)
    assert b"<img" not in gexf and b"</script>" not in gexf
    h = nx.read_gexf(io.BytesIO(gexf))
    assert h.number_of_nodes() == 5 and h.number_of_edges() == 4


def test_exports_survive_control_characters_and_cap():
    ds = tables([("A\x00\x1b", "B\x0b", 1), ("B\x0b", "C", 2), ("C", "D", 3)])
    g = nx.read_graphml(io.BytesIO(graphview.to_graphml_bytes(ds, max_nodes=2)))
    assert g.number_of_nodes() == 2
    assert nx.read_gexf(io.BytesIO(graphview.to_gexf_bytes(ds, pseudonymise=True, salt="x"))).number_of_nodes() == 4


def test_connectors_csv_neutralises_formulas():
    ds = tables([("=HYPERLINK(\"x\")", "B", 1)])
    csv = graphview.connectors_csv_bytes(network.network_metrics(ds)).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    table = pd.read_csv(io.StringIO(csv))
    assert table.loc[0, "direct_referrals"] == 1


# ---------------------------------------------------------------- defence in depth


def _frames(page: str) -> list[dict]:
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.frames, self.scripts = [], 0

        def handle_starttag(self, tag, attrs):
            if tag == "iframe":
                self.frames.append(dict(attrs))
            self.scripts += tag == "script"

    p = P()
    p.feed(page)
    return p.frames, p.scripts


def test_page_policy_allows_its_two_scripts_and_no_connection():
    from tests.test_safety import csp_directives

    html, _ = graphview.render_network_html(hostile())
    d = csp_directives(html)
    nonces = set(re.findall(r'<script nonce="([0-9a-f]{32})">', html))
    assert len(nonces) == 1 and d["script-src"] == [f"'nonce-{nonces.pop()}'"]
    assert d["connect-src"] == d["frame-src"] == d["font-src"] == d["default-src"] == ["'none'"]
    assert d["img-src"] == ["data:"]


def test_the_app_embeds_the_graph_in_a_sandbox_with_an_opaque_origin():
    from tests.test_safety import csp_directives

    html, _ = graphview.render_network_html(hostile())
    outer = graphview.sandboxed(html)
    frames, scripts = _frames(outer)
    assert scripts == 0 and len(frames) == 1
    # allow-scripts without allow-same-origin: an opaque origin, no popups, forms or top navigation.
    assert frames[0]["sandbox"].split() == ["allow-scripts"]
    assert frames[0]["srcdoc"] == html  # the graph page exactly, as the parser hands it to the frame
    d = csp_directives(outer)
    assert d == csp_directives(html)  # the frame inherits it; frame-src 'none' also stops it being navigated
    assert d["frame-src"] == ["'none'"]
    for raw in ("<img", "<script", "<svg"):
        assert raw not in outer.split("srcdoc=", 1)[1], raw  # everything inside the attribute is escaped


def test_sandboxed_takes_only_a_graph_page():
    with pytest.raises(ValueError):
        graphview.sandboxed("<p>hello</p>")

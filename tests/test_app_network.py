"""AppTest of the referral network on the Connections page: the drawn graph matches the data.

The page's ``st.iframe`` arrives in the AppTest tree as an element of type
"iframe" whose proto carries, as ``srcdoc``, the sandboxing wrapper
(``graphview.sandboxed``) with the graph page in its own iframe's ``srcdoc``;
graphview embeds the graph as one JSON blob (``var DATA = {...};``). Its node count is compared with
what ``graphview.render_network_html`` reports for the same data and period,
and with a hand-counted referral log.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from harness import graphview, periods
from harness.loading import load_sample

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.usefixtures("run_through_app_py")
TIMEOUT = 60
DATA_LINE = re.compile(r"^var DATA = (\{.*\});$", re.M)
SHOWING = re.compile(r"^Showing ([\d,]+) of ([\d,]+) people")


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def connections_page(at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    at.switch_page("pages/connections.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def graph_data(at: AppTest) -> dict:
    frames = at.get("iframe")
    assert len(frames) == 1, f"expected one network iframe, found {len(frames)}"
    inner = [a["srcdoc"] for a in _iframes(frames[0].proto.srcdoc)]
    assert len(inner) == 1, "the graph is not in the sandboxed frame"
    m = DATA_LINE.search(inner[0])
    assert m, "the network page has no DATA blob"
    return json.loads(m.group(1))


def _iframes(html: str) -> list[dict]:
    from html.parser import HTMLParser

    found = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_starttag = lambda tag, attrs: found.append(dict(attrs)) if tag == "iframe" else None
    parser.feed(html)
    return found


def showing_caption(at: AppTest) -> re.Match:
    hits = [m for m in (SHOWING.match(c.value) for c in at.caption) if m]
    assert len(hits) == 1, [c.value for c in at.caption]
    return hits[0]


def as_int(text: str) -> int:
    return int(text.replace(",", ""))


def test_network_on_the_sample_matches_the_data():
    at = connections_page()
    data = graph_data(at)
    ds, _ = load_sample()
    _, info = graphview.render_network_html(ds, max_nodes=1000, period=periods.default_period(ds))
    assert len(data["nodes"]) == info["shown_nodes"]
    # People dimmed as "shown for context" have no activity in the period and are not in "Showing N".
    active = [n for n in data["nodes"] if n["kind"] == "person" and "opacity" not in n]
    assert len(active) == info["shown_people"]
    m = showing_caption(at)
    assert (as_int(m[1]), as_int(m[2])) == (info["shown_people"], info["total_people"])
    assert data["message"].startswith(m.group(0))


def test_network_follows_the_period_in_the_sidebar():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    # Set through session state: after a rerun AppTest's tree drops the sidebar (a browser keeps it), so a
    # value set on the sidebar widget would not be sent with the page switch.
    at.session_state["period_preset"] = "last_365"
    at = connections_page(at)
    ds, _ = load_sample()
    year = periods.default_period(ds, "last_365")
    _, info = graphview.render_network_html(ds, max_nodes=1000, period=year)
    _, quarter = graphview.render_network_html(ds, max_nodes=1000, period=periods.default_period(ds))
    assert info["shown_nodes"] != quarter["shown_nodes"], "pick a period whose graph differs from the default"
    assert f"({year.label()})" in info["message"] and graph_data(at)["message"] == info["message"]
    assert len(graph_data(at)["nodes"]) == info["shown_nodes"]
    m = showing_caption(at)
    assert (as_int(m[1]), as_int(m[2])) == (info["shown_people"], info["total_people"])


# Ann referred Ben and Dee, Ben referred Cat, Eve referred Fay: six people, all in the default (last 90 days)
# period, none hidden. Drawn: the organisation, six people; edges: org->Ann, org->Eve and the four referrals.
HAND_LOG = (b"Date,Referrer,Referred,Channel,Converted\n"
            b"2026-03-02,Ann,Ben,word_of_mouth,yes\n"
            b"2026-03-03,Ben,Cat,facebook,no\n"
            b"2026-03-04,Ann,Dee,word_of_mouth,\n"
            b"2026-03-05,Eve,Fay,email,yes\n")


def test_network_of_an_uploaded_log_is_hand_countable():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value([("referrals_log.csv", HAND_LOG, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    at = connections_page(at)
    data = graph_data(at)
    names = sorted(n["name"] for n in data["nodes"])
    assert names == sorted([graphview.ORG_LABEL, "Ann", "Ben", "Cat", "Dee", "Eve", "Fay"])
    assert len(data["edges"]) == 6
    by_name = {n["name"]: n["id"] for n in data["nodes"]}
    pairs = {(e["from"], e["to"]) for e in data["edges"]}
    assert (by_name["Ben"], by_name["Cat"]) in pairs and (by_name[graphview.ORG_LABEL], by_name["Eve"]) in pairs
    m = showing_caption(at)
    assert (as_int(m[1]), as_int(m[2])) == (6, 6)

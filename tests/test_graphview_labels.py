"""A network a person can read: names rather than emails, labels that do not collide, plain legend words."""

from __future__ import annotations

import numpy as np
import pytest

from harness import graphview
from harness.privacy import display_name
from tests.test_graphview import page_data
from tests.test_network import tables


@pytest.mark.parametrize("identifier, shown", [
    ("sam.lee@example.org", "Sam Lee"),
    ("j_smith42@school.org.uk", "J Smith"),
    ("priya-shah+pta@example.com", "Priya Shah Pta"),
    ("Sam Lee", "Sam Lee"),
    ("Year 6 parent", "Year 6 parent"),
    ("Person 3f9a1c0e", "Person 3f9a1c0e"),
    ("@handle", "@handle"),
    (None, None),
])
def test_display_name(identifier, shown):
    assert display_name(identifier) == shown


def boxes_overlap(a, b):
    (xa, ya, wa), (xb, yb, wb) = a, b
    return abs(xa - xb) * 2 < wa + wb and abs(ya - yb) < graphview.LINE_H


def test_label_slots_never_overlap_and_prefer_the_widest_reach():
    rng = np.random.default_rng(5)
    # A ring of 60 direct contacts 400 units out: neighbours sit ~42 units apart, closer than a name is wide.
    angles = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    xy = np.c_[400 * np.cos(angles), 400 * np.sin(angles)]
    size = np.full(60, 8.0)
    labels = [f"Person number {i}" for i in range(60)]
    reach = rng.integers(0, 50, 60).astype(float)
    reach[17] = 1000  # the top connector
    chosen = graphview.label_slots(xy, size, labels, reach)
    assert 17 in chosen
    assert 0 < len(chosen) <= graphview.TOP_LABELS
    boxes = {i: (xy[i, 0], xy[i, 1] + size[i] + graphview.LINE_H / 2, len(labels[i]) * graphview.CHAR_W)
             for i in chosen}
    for i in chosen:
        for j in chosen:
            assert i == j or not boxes_overlap(boxes[i], boxes[j]), (i, j)
    # Every label left out was either beyond the top or would have collided with a chosen one.
    ranked = sorted(range(60), key=lambda i: -reach[i])
    for i in ranked[: graphview.TOP_LABELS]:
        if i not in chosen:
            mine = (xy[i, 0], xy[i, 1] + size[i] + graphview.LINE_H / 2, len(labels[i]) * graphview.CHAR_W)
            assert any(boxes_overlap(mine, boxes[j]) for j in chosen), i


def test_the_picture_names_people_instead_of_emailing_them():
    edges = [("alex.jones@example.org", "sam.lee@example.org", 1, "facebook", True),
             ("alex.jones@example.org", "kim.park@example.org", 2, None, None),
             ("sam.lee@example.org", "dee.wu@example.org", 3, "word_of_mouth", False)]
    html, _ = graphview.render_network_html(tables(edges))
    data = page_data(html)
    people = [n for n in data["nodes"] if n["kind"] == "person"]
    assert sorted(n["name"] for n in people) == ["Alex Jones", "Dee Wu", "Kim Park", "Sam Lee"]
    assert all("@" not in n["label"] and "@" not in n["name"] for n in people)
    assert all("@" not in e["tip"] for e in data["edges"])
    # the email still finds the person in the search box
    assert any("sam.lee@example.org" in n["find"] for n in people)
    legend = [i["text"] for i in data["legend"]]
    assert "Referred on Facebook" in legend and "Referred by word of mouth" in legend
    assert "Referred, how not recorded" in legend
    assert not any("unknown" in t.lower() or "_" in t for t in legend)


def test_pseudonymised_picture_does_not_leak_emails_into_search():
    edges = [("alex.jones@example.org", "sam.lee@example.org", 1, "email", True)]
    html, _ = graphview.render_network_html(tables(edges), pseudonymise=True, salt="s")
    assert "example.org" not in html and "Alex" not in html


def test_only_a_few_names_are_drawn_on_a_crowded_ring():
    edges = [("hub@example.org", f"guest{i}@example.org", i + 1, "email", None) for i in range(80)]
    data = page_data(graphview.render_network_html(tables(edges))[0])
    labelled = [n for n in data["nodes"] if n["kind"] == "person" and n["label"]]
    assert 1 <= len(labelled) <= graphview.TOP_LABELS
    assert "Hub" in [n["label"] for n in labelled]  # the widest reach is always named

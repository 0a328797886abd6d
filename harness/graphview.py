"""The interactive referral-network picture: one self-contained, inert HTML page.

How it is drawn (each choice is about speed or safety):

* vis-network is the copy bundled with pyvis (the file pyvis inlines with
  ``cdn_resources="in_line"``), inlined in the page, so the graph works with
  no internet access. pyvis's own page template is not used: it loads
  Bootstrap from a CDN, and its tooltip (switches to ``innerHTML`` when any
  title contains "href"), ``select_menu`` (writes ids unescaped) and
  ``heading`` (unescaped) features put uploaded text into HTML. Its
  ``add_node``/``add_edge`` loops are also quadratic.
* Uploaded text (names, channels) only ever travels inside one JSON blob in
  which ``<``, ``>``, ``&``, U+2028 and U+2029 are ``\\u`` escapes, and
  reaches the page through ``textContent`` and canvas labels. Tooltips are
  DOM elements built with ``textContent`` (vis-network accepts an element as
  a title). A Content-Security-Policy (``safety.csp_meta``) allows only
  this page's two scripts (by nonce) and no network requests at all, so
  even markup that slipped through could neither run nor call home; and the
  app embeds the page through :func:`sandboxed`, an iframe with an opaque
  origin, so even a script that did run could not reach the app's page.
* Positions are computed here (a radial tree: ring = depth, or steps from
  the focus person in the ego view) and physics is off, so the first
  picture appears at once even at the cap.
* The cap (default 1,000 nodes, never above 2,000) keeps the people with
  the widest reach and their cascades; the rest become summary nodes
  ("+123 more people in 17 small cascades"), and the page says
  "Showing N of M people".
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import math
import re
import secrets
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyvis

from harness import network as netmod
from harness import privacy, safety, schema
from harness.network import Forest, ReferralNetwork

DEFAULT_CAP = 1000
HARD_CAP = 2000
VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
ORG_LABEL = "Our organisation"
LABEL_CHARS = 28
TIP_NAMES = 5
MAX_STEPS = 10

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
DEPTH_COLOURS = {1: "#E69F00", 2: "#56B4E9", 3: "#009E73", 4: "#F0E442", 5: "#CC79A7"}  # 5 means 5+
ORG_COLOUR = "#000000"
SUMMARY_COLOUR = "#BBBBBB"
# Channels differ by colour *and* dash pattern, so they survive greyscale printing too.
CHANNEL_STYLES = [
    ("#0072B2", False), ("#D55E00", [10, 5]), ("#009E73", [2, 4]),
    ("#CC79A7", [12, 4, 2, 4]), ("#E69F00", [5, 5]), ("#56B4E9", [16, 6]),
]
OTHER_CHANNEL = ("#777777", [1, 4])
DIRECT_EDGE = "#CCCCCC"

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def script_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>``: no tag, comment or line-break can end it."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


# ---------------------------------------------------------------------------
# Inputs


def _network(source: Any, period, channels, converted_only) -> ReferralNetwork:
    filtered = period is not None or channels is not None or converted_only
    if isinstance(source, ReferralNetwork):
        if filtered:
            raise ValueError("filters (period, channels, converted only) need the tables, not a loaded network")
        return source
    if isinstance(source, Forest):
        if filtered:
            raise ValueError("filters (period, channels, converted only) need the tables, not a forest")
        return netmod.network_from_forest(source)
    return netmod.load_network(source, period, channels=channels, converted_only=converted_only)


class _Names:
    """Display names for person codes, pseudonymised when asked."""

    def __init__(self, net: ReferralNetwork, pseudonymise: bool, salt: str | None, display: bool = False):
        self.people = net.forest.people
        self.pseudonymise = pseudonymise
        self.salt = salt if salt is not None else _SESSION_SALT
        self.display = display  # the picture shows names, not email addresses (downloads keep identifiers)

    def __call__(self, codes: np.ndarray) -> dict[int, str]:
        codes = np.unique(np.asarray(codes, dtype=np.int64))
        codes = codes[codes >= 0]
        raw = pd.Series(self.people[codes], dtype=schema.STR)
        shown = privacy.pseudonymise_series(raw, self.salt) if self.pseudonymise else raw
        if self.display and not self.pseudonymise:
            shown = shown.map(privacy.display_name)
        return dict(zip(codes.tolist(), shown.fillna("(unnamed)").tolist()))

    def identifiers(self, codes: np.ndarray) -> dict[int, str]:
        """The identifiers themselves (searchable in a view that is not pseudonymised)."""
        codes = np.unique(np.asarray(codes, dtype=np.int64))
        codes = codes[codes >= 0]
        return dict(zip(codes.tolist(), pd.Series(self.people[codes], dtype=schema.STR).fillna("").tolist()))


# Without a salt from the caller, pseudonyms are stable for this process only,
# which is still safe: an unsalted hash of a name could be reversed.
_SESSION_SALT = secrets.token_hex(16)


def _find_person(net: ReferralNetwork, focus: str, names: _Names) -> int:
    """Code of the focus person. A pseudonymised view accepts only pseudonyms:
    looking a real name up there would link it to its pseudonym."""
    text = str(focus).strip()
    if names.pseudonymise:
        if text.startswith(privacy.PREFIX):
            every = privacy.pseudonymise_series(pd.Series(net.forest.people, dtype=schema.STR), names.salt)
            hits = np.flatnonzero(every.to_numpy() == text)
            if len(hits):
                return int(hits[0])
    else:
        key = schema.normalise_person(pd.Series([text], dtype=schema.STR)).iloc[0]
        hit = net.forest.people.get_indexer([key])[0] if not pd.isna(key) else -1
        if hit >= 0:
            return int(hit)
    raise ValueError(f"nobody called '{text}' is in the referral network for these filters")


# ---------------------------------------------------------------------------
# Choosing what to draw


@dataclasses.dataclass
class _Drawing:
    codes: np.ndarray  # person codes, in node order
    centre: int  # index of the centre node in the node list (organisation or focus person)
    parent: np.ndarray  # layout parent (node index) per person node, -1 for the centre
    ring: np.ndarray  # ring per person node
    summaries: list[tuple[int, int, str, str]]  # (parent node index, people, label, tooltip)
    total_people: int
    shown_people: int
    scope: str


def _select_main(net: ReferralNetwork, cap: int, names: _Names) -> _Drawing:
    f, w = net.forest, net.weight_size
    mask = netmod.select_drawn(net, cap)
    chosen = np.flatnonzero(mask)
    chosen = chosen[np.lexsort((chosen, f.depth[chosen], -w[chosen]))]
    hang, (parents, branches), orphans = netmod.hidden_branches(net, mask)
    pos = np.full(net.n, -1, dtype=np.int64)
    pos[chosen] = np.arange(1, len(chosen) + 1)
    parent = np.where(f.parent[chosen] >= 0, pos[np.maximum(f.parent[chosen], 0)], 0)
    hidden = np.zeros(net.n, dtype=np.int64)
    np.add.at(hidden, f.parent[hang], w[hang])
    label_of = names(parents)
    summaries = [
        (int(pos[p]), int(hidden[p]), f"+{hidden[p]:,} more",
         f"{hidden[p]:,} more {_people(hidden[p])} in {b} {'branch' if b == 1 else 'branches'} "
         f"referred by {label_of[int(p)]} (not drawn)")
        for p, b in zip(parents.tolist(), branches.tolist())
    ]
    if len(orphans):
        people, cascades = int(w[orphans].sum()), len(orphans)
        text = f"+{people:,} more {_people(people)} in {cascades:,} smaller {'cascade' if cascades == 1 else 'cascades'}"
        summaries.append((0, people, text, text + " (not drawn)"))
    return _Drawing(
        codes=chosen, centre=0, parent=parent, ring=f.depth[chosen], summaries=summaries,
        total_people=int(net.in_period.sum()), shown_people=int(net.in_period[chosen].sum()),
        scope="people",
    )


def _ego_distances(net: ReferralNetwork, focus: int, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Steps from ``focus`` over referral links (either direction), and a BFS parent."""
    a = net.pairs["src"].to_numpy(np.int64)
    b = net.pairs["dst"].to_numpy(np.int64)
    dist = np.full(net.n, -1, dtype=np.int64)
    via = np.full(net.n, -1, dtype=np.int64)
    dist[focus] = 0
    for step in range(1, steps + 1):
        frontier = dist == step - 1
        for x, y in ((a, b), (b, a)):
            hit = frontier[x] & (dist[y] < 0)
            reached, first = np.unique(y[hit], return_index=True)
            dist[reached] = step
            via[reached] = x[hit][first]
    return dist, via


def _select_ego(net: ReferralNetwork, focus: int, steps: int, cap: int, names: _Names) -> _Drawing:
    dist, via = _ego_distances(net, focus, steps)
    members = np.flatnonzero(dist >= 0)
    # Closest first, then widest reach: every kept person's BFS parent is kept too.
    members = members[np.lexsort((members, -net.size[members], dist[members]))]
    keep = members if len(members) <= cap else members[: cap - 1]
    hidden = len(members) - len(keep)
    pos = np.full(net.n, -1, dtype=np.int64)
    pos[keep] = np.arange(len(keep))
    parent = np.where(via[keep] >= 0, pos[np.maximum(via[keep], 0)], -1)
    who = names([focus])[focus]
    summaries = []
    if hidden:
        text = f"+{hidden:,} more {_people(hidden)} within {steps} steps"
        summaries.append((0, hidden, text, f"{text} of {who} (not drawn)"))
    return _Drawing(
        codes=keep, centre=0, parent=parent, ring=dist[keep], summaries=summaries,
        total_people=len(members), shown_people=len(keep), scope=f"people within {steps} steps of {who}",
    )


def _people(k: int) -> str:
    return "person" if k == 1 else "people"


# ---------------------------------------------------------------------------
# Layout


def radial_layout(parent: np.ndarray, ring: np.ndarray, weight: np.ndarray | None = None,
                  size: np.ndarray | None = None, gap: float = 8.0, ring_gap: float = 140.0) -> np.ndarray:
    """(x, y) per node of a tree: ring = distance from the centre, siblings side by side.

    ``parent`` holds node indices (-1 for the centre, at most one); ``size``
    the drawn radius of each node. Each leaf
    gets an equal slice of the circle; a parent sits in the middle of its
    children's slices; heavier children come first so big cascades stay
    together. Runs only on the drawn (capped) graph.
    """
    k = len(parent)
    weight = np.ones(k) if weight is None else weight
    children: list[list[int]] = [[] for _ in range(k)]
    roots = []
    for i, p in enumerate(parent.tolist()):
        (children[p] if p >= 0 else roots).append(i)
    leaves = np.ones(k, dtype=np.int64)
    for i in np.argsort(-ring, kind="stable").tolist():  # deepest first
        if children[i]:
            leaves[i] = sum(leaves[c] for c in children[i])
    for ch in children:
        ch.sort(key=lambda c: (-weight[c], c))
    start = np.zeros(k)
    offset = 0.0
    for r in roots:
        start[r] = offset
        offset += leaves[r]
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        s = start[node]
        for c in children[node]:
            start[c] = s
            s += leaves[c]
        stack.extend(reversed(children[node]))
    total = max(offset, 1.0)
    angle = 2 * math.pi * (start + leaves / 2) / total
    # A ring is at least long enough for its nodes side by side.
    size = np.full(k, 10.0) if size is None else size
    needed = np.bincount(ring, weights=2 * size + gap, minlength=int(ring.max(initial=0)) + 1)
    radius = np.zeros(len(needed))
    for d in range(1, len(needed)):
        radius[d] = max(radius[d - 1] + ring_gap, needed[d] / (2 * math.pi))
    r = radius[ring]
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)])


# ---------------------------------------------------------------------------
# Page data


TOP_LABELS = 12  # at most this many names drawn at once (the widest reach first); others on hover or search
CHAR_W, LINE_H = 7.0, 16.0  # approximate size of a 12px label in layout units (the picture starts at scale 1)


def label_slots(xy: np.ndarray, size: np.ndarray, labels: list[str], priority: np.ndarray, *,
                top: int = TOP_LABELS, always=(), taken=()) -> set[int]:
    """Which nodes get a visible name: the ``top`` by ``priority`` whose label boxes overlap no other.

    A label is drawn centred under its node (vis-network's default), so its box is
    ``len(label) * CHAR_W`` wide and ``LINE_H`` tall at ``y + size``. ``always`` are labelled first
    (the focus person); ``taken`` are boxes already drawn, as ``(x, y, characters)``.
    """
    boxes = [(float(x), float(y) + LINE_H, n * CHAR_W) for x, y, n in taken]

    def free(i: int) -> bool:
        x, y = float(xy[i, 0]), float(xy[i, 1]) + float(size[i]) + LINE_H / 2
        w = len(labels[i]) * CHAR_W
        return all(abs(x - bx) * 2 >= w + bw or abs(y - by) >= LINE_H for bx, by, bw in boxes)

    chosen: set[int] = set()
    order = list(always) + [int(i) for i in np.argsort(-np.asarray(priority, dtype=float), kind="stable")]
    for i in order:
        if len(chosen) >= top + len(always):
            break
        if i in chosen or not labels[i] or not free(i):
            continue
        chosen.add(i)
        boxes.append((float(xy[i, 0]), float(xy[i, 1]) + float(size[i]) + LINE_H / 2, len(labels[i]) * CHAR_W))
    return chosen


def channel_word(channel) -> str:
    """A referral channel in plain words ("Facebook", "word of mouth", "not recorded")."""
    from harness.format import SOURCE_NAMES as SOURCE_LABELS

    if channel is None or (not isinstance(channel, str) and pd.isna(channel)) or channel in ("", "unknown"):
        return "not recorded"
    label = SOURCE_LABELS.get(channel)
    if label is None:
        return str(channel).replace("_", " ")
    return label if channel in schema.SOCIAL_PLATFORMS else label.lower()


def channel_phrase(channel) -> str:
    """A legend line for a channel: "Referred on Facebook", "Referred by word of mouth", "How not recorded"."""
    word = channel_word(channel)
    if word == "not recorded":
        return "Referred, how not recorded"
    if channel in schema.SOCIAL_PLATFORMS:
        return f"Referred on {word}"
    if word == "other":
        return "Referred some other way"
    return f"Referred by {word}" if channel in ("word_of_mouth", "email", "referral") else f"Referred via {word}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _date(ns: int) -> str:
    if ns in (netmod.NO_TIME_HI, netmod.NO_TIME_LO):
        return "unknown"
    return pd.Timestamp(ns, unit="ns").strftime("%Y-%m-%d")


def _name_list(codes: list[int], label_of: dict[int, str]) -> str:
    shown = ", ".join(label_of[c] for c in codes[:TIP_NAMES])
    return shown + (f" and {len(codes) - TIP_NAMES} more" if len(codes) > TIP_NAMES else "")


def _person_tips(net: ReferralNetwork, codes: np.ndarray, label_of: dict[int, str],
                 referred: dict[int, list[int]]) -> list[str]:
    f = net.forest
    inv_code = f.inv_code
    sel = np.isin(inv_code, codes)
    acts = pd.DataFrame({"code": inv_code[sel], "action": net.involvement["action"].to_numpy()[sel]})
    counts = acts.groupby(["code", "action"]).size()
    actions: dict[int, list[str]] = {}
    for (code, action), c in counts.items():
        actions.setdefault(int(code), []).append(f"{c} {action}")
    tips = []
    reach = net.reach
    for code in codes.tolist():
        lines = [label_of[code]]
        p = int(f.parent[code])
        lines.append(f"Degree {f.depth[code]}: " + ("reached directly" if p < 0 else f"referred by {label_of[p]}"))
        lines.append(f"First seen {_date(int(net.first_seen[code]))}")
        lines.append("Actions: " + ", ".join(actions[code]) if code in actions else "No recorded actions")
        kids = referred.get(code, [])
        if kids:
            lines.append(f"Referred {len(kids)} directly: " + _name_list(kids, label_of))
        lines.append(f"Downstream reach: {reach[code]:,} {_people(int(reach[code]))}")
        if net.period is not None and not net.in_period[code]:
            lines.append("(no activity in this period; shown for context)")
        tips.append("\n".join(lines))
    return tips


def _channel_styles(channels: pd.Series) -> dict[str, tuple[str, Any]]:
    ranked = channels.value_counts(sort=True).index.tolist()
    styles = {c: CHANNEL_STYLES[i] for i, c in enumerate(ranked[: len(CHANNEL_STYLES)])}
    for c in ranked[len(CHANNEL_STYLES):]:
        styles[c] = OTHER_CHANNEL
    return styles


def _page_data(net: ReferralNetwork, d: _Drawing, names: _Names, ego: bool) -> tuple[dict, dict]:
    f, codes = net.forest, d.codes
    n_people = len(codes)
    offset = 0 if ego else 1
    pos = np.full(net.n, -1, dtype=np.int64)
    pos[codes] = np.arange(offset, offset + n_people)
    p = net.pairs
    src, dst = p["src"].to_numpy(np.int64), p["dst"].to_numpy(np.int64)
    drawn = (pos[src] >= 0) & (pos[dst] >= 0)
    edges_p = p[drawn]
    shown_kids = p[np.isin(src, codes)]
    referred = shown_kids.groupby("src")["dst"].agg(list).to_dict() if len(shown_kids) else {}
    need = [codes, f.parent[codes], shown_kids.groupby("src").head(TIP_NAMES)["dst"].to_numpy(np.int64)]
    label_of = names(np.concatenate(need))
    tips = _person_tips(net, codes, label_of, referred)

    # Layout over every drawn node: [organisation] + people + summaries.
    k = offset + n_people + len(d.summaries)
    parent = np.full(k, -1, dtype=np.int64)
    ring = np.zeros(k, dtype=np.int64)
    parent[offset:offset + n_people] = d.parent
    ring[offset:offset + n_people] = d.ring
    if ego:
        parent[0] = -1
        ring[0] = 0
    weight = np.zeros(k)
    weight[offset:offset + n_people] = net.size[codes]
    radius = np.full(k, 30.0)  # organisation and summary boxes
    reach = net.reach[codes]
    radius[offset:offset + n_people] = np.clip(6 + 3 * np.log2(1 + reach), 6, 30)
    for i, (par, people, _, _) in enumerate(d.summaries):
        parent[offset + n_people + i] = par
        ring[offset + n_people + i] = ring[par] + 1
        weight[offset + n_people + i] = people
    xy = radial_layout(parent, ring, weight, radius)

    nodes = []
    if not ego:
        nodes.append({"id": 0, "label": ORG_LABEL, "name": ORG_LABEL, "kind": "org", "color": ORG_COLOUR,
                      "size": 22, "x": 0.0, "y": 0.0, "tip": f"{ORG_LABEL}\nPeople reached directly are on the first ring",
                      "font": {"color": "#000000"}})
    size = radius[offset:offset + n_people]
    ids = names.identifiers(codes) if not names.pseudonymise else {}
    shown_labels = label_slots(xy[offset:offset + n_people], size, [_short(label_of[c]) for c in codes.tolist()],
                               reach, always=[0] if ego else [],
                               taken=[(0.0, 0.0, len(ORG_LABEL))] if not ego else [])
    for i, code in enumerate(codes.tolist()):
        label = label_of[code]
        node = {"id": offset + i, "label": _short(label) if i in shown_labels else "", "name": label,
                "find": f"{label} {ids.get(code, '')}".lower(), "kind": "person",
                "color": DEPTH_COLOURS[min(int(f.depth[code]), 5)], "size": round(float(size[i]), 1),
                "x": round(float(xy[offset + i, 0]), 1), "y": round(float(xy[offset + i, 1]), 1), "tip": tips[i]}
        if net.period is not None and not net.in_period[code]:
            node["opacity"] = 0.45
        if ego and i == 0:
            node["borderWidth"] = 4
            node["color"] = {"background": node["color"], "border": "#000000"}
        nodes.append(node)
    for i, (_, people, label, tip) in enumerate(d.summaries):
        j = offset + n_people + i
        nodes.append({"id": j, "label": label, "name": label, "kind": "summary", "shape": "box",
                      "color": SUMMARY_COLOUR, "x": round(float(xy[j, 0]), 1), "y": round(float(xy[j, 1]), 1),
                      "tip": tip})

    styles = _channel_styles(edges_p["channel"])
    edges = []
    if not ego:
        for i in np.flatnonzero(f.depth[codes] == 1).tolist():
            edges.append({"from": 0, "to": offset + i, "color": DIRECT_EDGE, "width": 1, "arrows": "",
                          "tip": f"{label_of[int(codes[i])]} was reached directly"})
    tree = f.parent[edges_p["dst"].to_numpy(np.int64)] == edges_p["src"].to_numpy(np.int64)
    conv = edges_p["converted"].map({True: "yes", False: "no"}).fillna("unknown").tolist()
    for s, t, ch, when, c, is_tree in zip(edges_p["src"].tolist(), edges_p["dst"].tolist(),
                                         edges_p["channel"].tolist(), edges_p["time"].tolist(), conv, tree.tolist()):
        colour, dashes = styles[ch]
        edges.append({
            "from": int(pos[s]), "to": int(pos[t]), "color": colour, "dashes": dashes,
            "width": 2 if is_tree else 1,
            "tip": (f"{label_of.get(s, '')} referred {label_of.get(t, '')}\nHow: {channel_word(ch)}\n"
                    f"Date: {_date(when)}\nGot involved: {c}" + ("" if is_tree else "\n(not their first referral)")),
        })
    for i, (par, _, _, _) in enumerate(d.summaries):
        edges.append({"from": par, "to": offset + n_people + i, "color": SUMMARY_COLOUR, "dashes": [2, 3],
                      "width": 1, "arrows": "", "tip": d.summaries[i][3]})

    legend = [{"kind": "node", "color": ORG_COLOUR, "text": "Organisation"}] if not ego else []
    legend += [{"kind": "node", "color": DEPTH_COLOURS[k_], "text": f"Degree {k_}" + ("+" if k_ == 5 else "")}
               for k_ in sorted(DEPTH_COLOURS) if k_ <= max(int(f.depth[codes].max(initial=1)), 1)]
    legend += [{"kind": "node", "color": SUMMARY_COLOUR, "text": "People not drawn (summary)"}] if d.summaries else []
    legend += [{"kind": "edge", "color": c, "dashes": bool(dsh), "text": channel_phrase(ch)}
               for ch, (c, dsh) in styles.items()]
    legend += [{"kind": "text", "text": "Size = downstream reach. Thick line = first referral (sets the degree)."}]

    message = f"Showing {d.shown_people:,} of {d.total_people:,} {d.scope}"
    if net.period is not None:
        message += f" ({net.period.label()})"
    info = {
        "shown_people": d.shown_people, "total_people": d.total_people,
        "network_people": int(net.in_period.sum()),
        "shown_nodes": len(nodes), "summary_nodes": len(d.summaries),
        "hidden_people": int(sum(s[1] for s in d.summaries)),
        "shown_edges": int(len(edges_p)), "total_edges": int(len(p)),
        "capped": bool(d.summaries), "message": message,
    }
    return {"nodes": nodes, "edges": edges, "legend": legend, "message": message}, info


# ---------------------------------------------------------------------------
# The page


# The graph page and the frame it is embedded in (:func:`sandboxed`) share one head: each carries a CSP.
_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{csp}
<title>Referral network</title>
"""

_PAGE = _HEAD + """<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#222;background:#fff}}
#bar{{display:flex;gap:14px;align-items:center;flex-wrap:wrap;padding:6px 8px;font-size:14px}}
#legend{{display:flex;gap:12px;flex-wrap:wrap;padding:2px 8px 6px;font-size:12px;color:#333}}
#legend span.item{{white-space:nowrap}}
.sw{{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px;vertical-align:middle;border:1px solid #555}}
.ln{{display:inline-block;width:24px;height:0;border-top-width:3px;margin-right:4px;vertical-align:middle}}
#net{{width:100%;height:{height};border-top:1px solid #ddd}}
div.vis-tooltip{{position:absolute;visibility:hidden;pointer-events:none;z-index:5;background:#fff;border:1px solid #888;border-radius:3px;box-shadow:2px 2px 8px rgba(0,0,0,.2);padding:6px 8px;font-size:12px;color:#000;white-space:pre-line;max-width:340px}}
</style>
</head>
<body>
<div id="bar"><strong id="shown"></strong>
<label>Find a person <input id="q" type="search" autocomplete="off" spellcheck="false"></label>
<span id="found" aria-live="polite"></span></div>
<div id="legend" aria-label="Legend"></div>
<div id="net" role="img" aria-label="Referral network"></div>
<script nonce="{nonce}">{vis_js}</script>
<script nonce="{nonce}">
var DATA = {data};
(function () {{
  function el(tag, cls, text) {{
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }}
  document.getElementById("shown").textContent = DATA.message;
  var legend = document.getElementById("legend");
  DATA.legend.forEach(function (item) {{
    var box = el("span", "item");
    if (item.kind === "node") {{ var s = el("span", "sw"); s.style.background = item.color; box.appendChild(s); }}
    if (item.kind === "edge") {{
      var l = el("span", "ln"); l.style.borderTopColor = item.color;
      l.style.borderTopStyle = item.dashes ? "dashed" : "solid"; box.appendChild(l);
    }}
    box.appendChild(document.createTextNode(item.text));
    legend.appendChild(box);
  }});
  function withTip(list) {{
    return list.map(function (x) {{
      var o = Object.assign({{}}, x); o.title = el("div", "", x.tip); delete o.tip; return o;
    }});
  }}
  var nodes = new vis.DataSet(withTip(DATA.nodes));
  var edges = new vis.DataSet(withTip(DATA.edges));
  var options = {options};
  var network = new vis.Network(document.getElementById("net"), {{nodes: nodes, edges: edges}}, options);
  window.referralNetwork = network;
  network.once("afterDrawing", function () {{ window.referralNetworkDrawnAt = performance.now(); }});
  var people = DATA.nodes.filter(function (n) {{ return n.kind === "person"; }});
  var base = {{}};
  people.forEach(function (n) {{ base[n.id] = n.label; }});
  var named = [];  // nodes whose name is shown because they are hovered or found
  function showNames(ids) {{
    var upd = named.filter(function (id) {{ return ids.indexOf(id) < 0; }})
                   .map(function (id) {{ return {{id: id, label: base[id]}}; }});
    ids.forEach(function (id) {{
      var n = nodes.get(id); if (n) upd.push({{id: id, label: n.name.length > {chars} ? n.name.slice(0, {chars} - 1) + "\u2026" : n.name}});
    }});
    named = ids.slice();
    nodes.update(upd);
  }}
  network.on("hoverNode", function (e) {{ if (base[e.node] !== undefined) showNames(named.concat([e.node])); }});
  network.on("blurNode", function (e) {{ showNames(named.filter(function (id) {{ return id !== e.node; }})); }});
  var q = document.getElementById("q"), found = document.getElementById("found");
  q.addEventListener("input", function () {{
    var s = q.value.trim().toLowerCase();
    if (!s) {{ network.unselectAll(); showNames([]); found.textContent = ""; return; }}
    var ids = people.filter(function (n) {{ return (n.find || n.name.toLowerCase()).indexOf(s) >= 0; }})
                    .map(function (n) {{ return n.id; }});
    network.selectNodes(ids.slice(0, 500));
    showNames(ids.slice(0, 20));
    found.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
    if (ids.length) network.focus(ids[0], {{scale: 1.2, animation: false}});
  }});
}})();
</script>
</body>
</html>
"""

_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "keyboard": False,
                    "multiselect": True},
    "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 12, "face": "system-ui, sans-serif"}},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
              "color": {"inherit": False}, "selectionWidth": 2},
}


@functools.lru_cache(maxsize=1)
def _vis_js() -> str:
    js = VIS_JS.read_text(encoding="utf-8")
    if "</script" in js.lower():  # would end our inline script early
        raise RuntimeError("the bundled vis-network cannot be inlined safely")
    return js


def _page(data: dict, height: str) -> str:
    if not re.fullmatch(r"\d{2,4}(px|vh|%)", height):
        raise ValueError(f"height must look like '640px', got {height!r}")
    blob = script_json(data)
    vis_js = _vis_js()
    # The nonce depends on the content (so an unchanged graph gives an identical page)
    # and cannot be guessed by whoever wrote the names inside it.
    nonce = hashlib.sha256((blob + _SESSION_SALT).encode("utf-8")).hexdigest()[:32]
    return _PAGE.format(csp=safety.csp_meta(nonce), nonce=nonce, height=height, vis_js=vis_js, data=blob,
                        options=script_json(_OPTIONS), chars=LABEL_CHARS)


_FRAME = _HEAD + """<style>html,body{{margin:0;height:100%;overflow:hidden}}iframe{{display:block;border:0;width:100%;height:100%}}</style>
</head>
<body><iframe sandbox="allow-scripts" title="Referral network" srcdoc="{page}"></iframe></body>
</html>
"""
_NONCE = re.compile(r"<script nonce=\"([0-9a-f]{32})\">")


def sandboxed(page: str) -> str:
    """The graph page (from :func:`render_network_html`) wrapped for embedding in the app.

    Streamlit shows HTML in an iframe that keeps the app's origin (``allow-same-origin allow-scripts``), so a
    script there could read the app's page. The graph instead runs one frame further in, sandboxed with
    ``allow-scripts`` only: it has an opaque origin (no access to the app's page, cookies or storage) and may
    not open popups, submit forms or navigate the page above it. The wrapper has no script of its own; its
    Content-Security-Policy (inherited by the graph's ``srcdoc`` frame, on top of the graph's own) allows only
    the graph's two scripts, no network connection, and ``frame-src 'none'`` stops the graph's frame from being
    navigated anywhere (a way to send data out that a page's own CSP cannot block).
    """
    m = _NONCE.search(page)
    if not m:
        raise ValueError("not a page from render_network_html")
    return _FRAME.format(csp=safety.csp_meta(m.group(1)), page=safety.html_text(page))


def render_network_html(source: Any, *, max_nodes: int = DEFAULT_CAP, pseudonymise: bool = False,
                        salt: str | None = None, focus: str | None = None, steps: int = 2,
                        channels: Any = None, converted_only: bool = False, period=None,
                        height: str = "640px") -> tuple[str, dict]:
    """The self-contained HTML page of the referral network, and what it shows.

    ``source``: a Dataset, a mapping of canonical tables, a loaded
    :class:`ReferralNetwork` or a :class:`Forest` (filters need tables).
    ``focus`` (a person's name, or pseudonym when pseudonymised) draws the
    ego view ``steps`` links out (1 to 10). ``info`` has ``shown_people``/``total_people`` ("Showing N of
    M"), node and edge counts, and ``message``. Raises ``ValueError`` with a
    plain message when the focus person is not in the network.
    """
    cap = int(min(max(int(max_nodes), 3), HARD_CAP))
    net = _network(source, period, channels, converted_only)
    names = _Names(net, pseudonymise, salt, display=True)
    if focus is not None and str(focus).strip():
        code = _find_person(net, focus, names)
        drawing = _select_ego(net, code, min(max(int(steps), 1), MAX_STEPS), cap, names)
        data, info = _page_data(net, drawing, names, ego=True)
    else:
        drawing = _select_main(net, cap, names)
        data, info = _page_data(net, drawing, names, ego=False)
    html = _page(data, height)
    info["html_bytes"] = len(html.encode("utf-8"))
    return html, info


# ---------------------------------------------------------------------------
# Exports


def _xml_text(s: str) -> str:
    return _XML_BAD.sub("\ufffd", s)


def network_graph(source: Any, *, pseudonymise: bool = False, salt: str | None = None,
                  max_nodes: int | None = None, channels: Any = None, converted_only: bool = False,
                  period=None) -> nx.DiGraph:
    """The referral network as a networkx DiGraph (people in scope; all when ``max_nodes`` is None).

    Node ids are "p<number>" so names only appear in the ``label`` attribute.
    """
    net = _network(source, period, channels, converted_only)
    names = _Names(net, pseudonymise, salt)
    codes = np.flatnonzero(net.weight_size > 0) if max_nodes is None else netmod.top_people(net, int(max_nodes))
    inside = np.zeros(net.n, dtype=bool)
    inside[codes] = True
    label_of = names(codes)
    f = net.forest
    direct = np.bincount(net.pairs["src"].to_numpy(np.int64), minlength=net.n)
    g = nx.DiGraph()
    g.add_nodes_from(
        (f"p{c}", {"label": _xml_text(label_of[c]), "depth": int(f.depth[c]),
                   "downstream_reach": int(net.reach[c]), "direct_referrals": int(direct[c]),
                   "first_seen": _date(int(net.first_seen[c])), "in_period": bool(net.in_period[c])})
        for c in codes.tolist()
    )
    p = net.pairs
    src, dst = p["src"].to_numpy(np.int64), p["dst"].to_numpy(np.int64)
    keep = inside[src] & inside[dst]
    conv = p["converted"].map({True: "yes", False: "no"}).fillna("unknown").to_numpy()[keep]
    tree = (f.parent[dst] == src)[keep]
    g.add_edges_from(
        (f"p{s}", f"p{t}", {"channel": _xml_text(str(ch)), "date": _date(int(w)), "converted": str(c),
                            "first_referral": bool(tr)})
        for s, t, ch, w, c, tr in zip(src[keep].tolist(), dst[keep].tolist(), p["channel"].to_numpy()[keep].tolist(),
                                      p["time"].to_numpy()[keep].tolist(), conv.tolist(), tree.tolist())
    )
    return g


def to_gexf_bytes(source: Any, **kwargs) -> bytes:
    """GEXF (for Gephi) of :func:`network_graph`."""
    buf = io.BytesIO()
    nx.write_gexf(network_graph(source, **kwargs), buf)
    return buf.getvalue()


def to_graphml_bytes(source: Any, **kwargs) -> bytes:
    """GraphML of :func:`network_graph`."""
    buf = io.BytesIO()
    nx.write_graphml(network_graph(source, **kwargs), buf)
    return buf.getvalue()


def connectors_csv_bytes(metrics: netmod.NetworkMetrics, *, pseudonymise: bool = False,
                         salt: str | None = None) -> bytes:
    """The connectors table as CSV (spreadsheet formulas neutralised)."""
    table = metrics.connectors_table()
    if pseudonymise:
        table["person"] = privacy.pseudonymise_series(table["person"], salt if salt is not None else _SESSION_SALT)
    return safety.csv_bytes(table)

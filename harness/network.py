"""The referral forest: who brought whom, and how far recommendations travel.

Rules (documented because they change the numbers):

* The organisation is the root (depth 0). Everyone known is at depth 1 or
  more: people reached directly by a channel are at depth 1, and a referred
  person is one level below the person who referred them.
* Edges come from ``referrals`` (referrer -> referred) and from
  ``involvement.referred_by`` (referred_by -> person).
* A person referred more than once keeps their *first* referral (earliest
  ``occurred_at``) as the parent that sets their depth; every edge is kept
  for the graph view.
* Self-referrals are ignored. A referrer who appears nowhere else is a
  person at depth 1 (they heard of the organisation directly).
* Cycles (A referred B, later B "referred" A) cannot happen in time order;
  when the data has one, the edge in the cycle with the latest timestamp is
  dropped, so its referred person hangs from the root instead.

Depth is computed with integer parent arrays and pointer jumping
(O(n log depth), vectorised), so a million-person forest takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from harness import schema


@dataclass
class Forest:
    people: pd.Index  # person identifiers, position = integer code
    parent: np.ndarray  # code of the parent per person, -1 for the root (organisation)
    parent_time: np.ndarray  # datetime64 of the parent edge (NaT for root children)
    depth: np.ndarray  # 1 for people reached directly, 2 for their referrals, ...
    edges: pd.DataFrame  # every kept edge: referrer, referred, occurred_at, channel, converted, source

    def depth_series(self) -> pd.Series:
        return pd.Series(self.depth, index=self.people, name="depth")


def referral_edges(referrals: pd.DataFrame, involvement: pd.DataFrame) -> pd.DataFrame:
    """All referral edges from both tables, self-referrals removed, oldest first."""
    a = pd.DataFrame({
        "referrer": schema.normalise_person(referrals["referrer"]),
        "referred": schema.normalise_person(referrals["referred"]),
        "occurred_at": referrals["occurred_at"],
        "channel": referrals["channel"],
        "converted": referrals["converted"],
        "source": "referrals",
    })
    inv = involvement[involvement["referred_by"].notna() & involvement["person"].notna()]
    b = pd.DataFrame({
        "referrer": schema.normalise_person(inv["referred_by"]),
        "referred": schema.normalise_person(inv["person"]),
        "occurred_at": inv["occurred_at"],
        "channel": "referral",
        "converted": pd.array([True] * len(inv), dtype="boolean"),
        "source": "involvement",
    })
    frames = [f for f in (a, b) if len(f)]
    if not frames:
        return a.iloc[0:0]
    edges = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    edges = edges.dropna(subset=["referrer", "referred"])
    edges = edges[edges["referrer"] != edges["referred"]]
    return edges.sort_values("occurred_at", kind="stable").reset_index(drop=True)


def _jump(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance to the root and final ancestor for every node, by pointer jumping.

    Nodes on (or hanging from) a cycle never reach -1; their ancestor stays >= 0.
    """
    n = len(parent)
    anc = parent.copy()
    dist = np.where(parent >= 0, 1, 0).astype(np.int64)
    for _ in range(max(1, int(np.ceil(np.log2(max(n, 2)))) + 1)):
        live = anc >= 0
        if not live.any():
            break
        idx = np.nonzero(live)[0]
        up = anc[idx]
        dist[idx] += dist[up]
        anc[idx] = anc[up]
    return dist, anc


def build_forest(referrals: pd.DataFrame, involvement: pd.DataFrame) -> Forest:
    """The referral forest of everyone in ``involvement`` and ``referrals``."""
    edges = referral_edges(referrals, involvement)
    persons = [edges["referrer"], edges["referred"], schema.normalise_person(involvement["person"]).dropna()]
    all_people = pd.concat(persons, ignore_index=True)
    codes, people = pd.factorize(all_people, sort=False)
    people = pd.Index(people)
    n = len(people)
    parent = np.full(n, -1, dtype=np.int64)
    parent_time = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if len(edges):
        src = people.get_indexer(edges["referrer"])
        dst = people.get_indexer(edges["referred"])
        times = edges["occurred_at"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]")
        # Edges are sorted oldest first: the first occurrence of each referred person wins.
        _, first = np.unique(dst, return_index=True)
        parent[dst[first]] = src[first]
        parent_time[dst[first]] = times[first]
        # Break cycles: cut the latest edge on each cycle until none remain.
        while True:
            dist, anc = _jump(parent)
            stuck = np.nonzero(anc >= 0)[0]
            if not len(stuck):
                break
            _cut_one_edge_per_cycle(parent, parent_time, stuck)
    else:
        dist, _ = _jump(parent)
    return Forest(people=people, parent=parent, parent_time=parent_time, depth=dist + 1, edges=edges)


def _cut_one_edge_per_cycle(parent: np.ndarray, parent_time: np.ndarray, stuck: np.ndarray) -> None:
    # Walking parents from any stuck node ends on a cycle; this only runs on
    # the (normally tiny) set of stuck nodes.
    on_cycle_done: set[int] = set()
    for start in stuck.tolist():
        if parent[start] < 0:
            continue
        seen = {}
        node = int(start)
        while node >= 0 and node not in seen:
            seen[node] = True
            node = int(parent[node])
        if node < 0 or node in on_cycle_done:
            continue
        cycle = [node]
        nxt = int(parent[node])
        while nxt != node:
            cycle.append(nxt)
            nxt = int(parent[nxt])
        on_cycle_done.update(cycle)
        cycle_arr = np.array(cycle)
        times = parent_time[cycle_arr]
        # The latest edge (NaT sorts first with argmax on int view, so use max on values).
        latest = cycle_arr[int(np.argmax(times.astype("int64")))]
        parent[latest] = -1
        parent_time[latest] = np.datetime64("NaT")


def person_depths(referrals: pd.DataFrame, involvement: pd.DataFrame) -> pd.Series:
    """Depth of every known person (index: person, values: 1, 2, 3...)."""
    return build_forest(referrals, involvement).depth_series()

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

Metrics (:func:`network_metrics`) follow these rules:

* For a period, the forest is built from the data up to the end of the
  period (later records cannot change last term's figures), so depths and
  downstream reach are "as known at the end of the period".
* The people *in the period* are those with an involvement record, or at
  either end of a referral, dated in the period. Depth counts, the depth 2+
  share and the cascades are about them.
* A *referral* is a (referrer, referred) pair; repeats of a pair count once,
  dated by their first record. It is *converted* when any record says so or
  the referred person has an involvement record on or after the referral;
  *not converted* only when a record says no and no such involvement exists;
  otherwise unknown and left out of the conversion rate.
* K-factor = distinct people with a converted referral in the period ÷
  distinct people involved (in the involvement log) in the period.
* Downstream reach = all descendants in the forest (first referral wins, so
  nobody is counted twice). Direct referrals = distinct people a person
  referred, every edge counted (two people who both recommended someone both
  get the credit).
* A cascade is a depth-1 person with all their descendants.
* Time to first action = days from a person's first referral to their first
  involvement record on or after it (median over people first referred in
  the period).
* Communities (Louvain, seeded) are computed only on the drawn graph (the
  people :func:`select_drawn` keeps at ``COMMUNITY_NODES``: the biggest
  cascades), because Louvain on 100k+ nodes takes minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from harness import schema
from harness.periods import Period

NO_TIME_HI = np.iinfo(np.int64).max  # "never" when taking a minimum
NO_TIME_LO = np.iinfo(np.int64).min  # equals NaT's integer view
NS_PER_DAY = 86_400 * 10**9
COMMUNITY_NODES = 1000
TOP_N = 10


@dataclass
class Forest:
    people: pd.Index  # person identifiers, position = integer code
    parent: np.ndarray  # code of the parent per person, -1 for the root (organisation)
    parent_time: np.ndarray  # datetime64 of the parent edge (NaT for root children)
    depth: np.ndarray  # 1 for people reached directly, 2 for their referrals, ...
    edges: pd.DataFrame  # every kept edge: referrer, referred, occurred_at, channel, converted, source
    edge_src: np.ndarray | None = None  # referrer code per row of ``edges``
    edge_dst: np.ndarray | None = None  # referred code per row of ``edges``
    inv_code: np.ndarray | None = None  # person code per involvement row given (-1: anonymous)

    def depth_series(self) -> pd.Series:
        return pd.Series(self.depth, index=self.people, name="depth")

    def __len__(self) -> int:
        return len(self.people)


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


def _ns(times: pd.Series) -> np.ndarray:
    """UTC timestamps as int64 nanoseconds (NaT -> int64 min)."""
    if not len(times):
        return np.zeros(0, dtype=np.int64)
    t = times.dt.tz_convert("UTC").dt.tz_localize(None) if isinstance(times.dtype, pd.DatetimeTZDtype) else times
    return t.to_numpy("datetime64[ns]").view(np.int64)


def build_forest(referrals: pd.DataFrame, involvement: pd.DataFrame) -> Forest:
    """The referral forest of everyone in ``involvement`` and ``referrals``."""
    edges = referral_edges(referrals, involvement)
    inv_people = schema.normalise_person(involvement["person"])
    all_people = pd.concat([edges["referrer"], edges["referred"], inv_people], ignore_index=True)
    codes, people = pd.factorize(all_people, sort=False)
    people = pd.Index(people)
    n, m = len(people), len(edges)
    src, dst, inv_code = codes[:m], codes[m:2 * m], codes[2 * m:]
    parent, parent_time, dist = _parents(n, src, dst, _ns(edges["occurred_at"]))
    return Forest(people=people, parent=parent, parent_time=parent_time, depth=dist + 1, edges=edges,
                  edge_src=src.astype(np.int64), edge_dst=dst.astype(np.int64),
                  inv_code=inv_code.astype(np.int64))


def _parents(n: int, src: np.ndarray, dst: np.ndarray, times: np.ndarray,
             order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parent code, parent edge time and distance from the root of ``n`` people.

    ``src``/``dst``/``times`` (int64 ns) are the edges, oldest first. Cycles are
    walked from their stuck people in code order, or in ``order`` (a rank per
    person) when given: that order settles which edge goes when two edges on a
    cycle share the latest time, so a renumbering can keep the same choice.
    """
    parent = np.full(n, -1, dtype=np.int64)
    parent_time = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if not len(dst):
        return parent, parent_time, _jump(parent)[0]
    # Edges are sorted oldest first: the first occurrence of each referred person wins.
    _, first = np.unique(dst, return_index=True)
    parent[dst[first]] = src[first]
    parent_time[dst[first]] = times[first].view("datetime64[ns]")
    # Break cycles: cut the latest edge on each cycle until none remain.
    while True:
        dist, anc = _jump(parent)
        stuck = np.nonzero(anc >= 0)[0]
        if not len(stuck):
            return parent, parent_time, dist
        if order is not None:
            stuck = stuck[np.argsort(order[stuck], kind="stable")]
        _cut_one_edge_per_cycle(parent, parent_time, stuck)


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


# ---------------------------------------------------------------------------
# A whole dataset's people and referral edges, numbered once (for scoring and
# vanity vs real, which look at the data as known at several dates).


def person_codes(*columns: pd.Series) -> tuple[pd.Index, list[np.ndarray]]:
    """Codes of several columns of identifiers in one numbering, after ``schema.normalise_person``.

    Returns the people (position = code) and one int64 array per column; -1
    marks a missing or blank identifier. Only the distinct raw values are
    normalised (normalising works value by value), and when none changes, as
    with names ingest already normalised, they are not numbered twice.
    """
    sizes = [len(c) for c in columns]
    raw = pd.concat([c.astype(schema.STR) for c in columns], ignore_index=True)
    codes, uniques = pd.factorize(raw, sort=False)
    codes = codes.astype(np.int64)
    raw_people = pd.Series(uniques, dtype=schema.STR)
    norm = schema.normalise_person(raw_people)
    if norm.notna().all() and norm.equals(raw_people):
        people = pd.Index(raw_people)
    else:
        norm_codes, people = pd.factorize(norm, sort=False)
        codes = np.where(codes >= 0, np.append(norm_codes, -1)[codes], -1)
        people = pd.Index(people)
    return people, np.split(codes, np.cumsum(sizes)[:-1])


def _first_at(n: int, idx: np.ndarray, default: int) -> np.ndarray:
    """Per code, the first position at which it appears in ``idx`` (``default`` if never)."""
    out = np.full(n, default, dtype=np.int64)
    np.minimum.at(out, idx, np.arange(len(idx), dtype=np.int64))
    return out


class ReferralIndex:
    """Everyone in a dataset's involvement and referrals numbered once, and every referral edge.

    The edges are :func:`referral_edges`' (same rows, same order: oldest
    first) held as person codes, so the data as known before any date is a
    prefix of them (:meth:`cut`) and the forest at a period's end comes from
    the same arrays (:meth:`deep`) without reading a name again.
    """

    def __init__(self, referrals: pd.DataFrame, involvement: pd.DataFrame):
        person = involvement["person"]
        linked = (involvement["referred_by"].notna() & person.notna()).to_numpy(bool)
        self.people, (r_src, r_dst, self.inv_code, i_src) = person_codes(
            referrals["referrer"], referrals["referred"], person, involvement["referred_by"][linked])
        conv = referrals["converted"]
        n_inv = int(linked.sum())
        parts = [(r_src, r_dst, referrals["occurred_at"], conv.eq(True).fillna(False).to_numpy(bool),
                  conv.eq(False).fillna(False).to_numpy(bool)),
                 (i_src, self.inv_code[linked], involvement["occurred_at"][linked],
                  np.ones(n_inv, dtype=bool), np.zeros(n_inv, dtype=bool))]
        parts = [p for p in parts if len(p[0])] or parts[:1]  # as referral_edges: no empty frame in the concat
        src, dst = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        when = pd.concat([p[2] for p in parts], ignore_index=True) if len(parts) > 1 else parts[0][2]
        keep = (src >= 0) & (dst >= 0) & (src != dst)
        when = when[keep]
        t = _ns(when)
        # The same order as a stable sort on the times with unknown times last.
        order = np.argsort(np.where(t == NO_TIME_LO, NO_TIME_HI, t), kind="stable")
        self.src, self.dst, self.time = src[keep][order], dst[keep][order], t[order]
        self.says_yes = np.concatenate([p[3] for p in parts])[keep][order]
        self.says_no = np.concatenate([p[4] for p in parts])[keep][order]
        self.occurred_at = when.iloc[order].reset_index(drop=True)
        self.n_dated = int((t != NO_TIME_LO).sum())

    def __len__(self) -> int:
        return len(self.src)

    def cut(self, when: pd.Timestamp) -> int:
        """How many edges are dated before ``when``: they are the first ones."""
        return int(np.searchsorted(self.time[:self.n_dated], pd.Timestamp(when).as_unit("ns").value, "left"))

    @cached_property
    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per (referrer, referred) pair, in order of its first record: the positions of its
        first record, of its first record saying converted, and of its first saying not
        (``len(self)`` when there is none)."""
        m, n = len(self), max(len(self.people), 1)
        _, first, inverse = np.unique(self.src * n + self.dst, return_index=True, return_inverse=True)
        by_time = np.argsort(first, kind="stable")
        rank = np.empty_like(by_time)
        rank[by_time] = np.arange(len(by_time))
        pair = rank[inverse.ravel()]

        def first_saying(flag: np.ndarray) -> np.ndarray:
            out = np.full(len(first), m, dtype=np.int64)
            np.minimum.at(out, pair[flag], np.flatnonzero(flag))
            return out

        return first[by_time], first_saying(self.says_yes), first_saying(self.says_no)

    @cached_property
    def _first_referral(self) -> np.ndarray:
        """Per person, the position of the first edge that refers them (``len(self)`` if none)."""
        return _first_at(len(self.people), self.dst, len(self))

    @cached_property
    def has_cycles(self) -> bool:
        """Whether the first referrals of everyone form a cycle; when not, no earlier cut does."""
        first = self._first_referral
        has = first < len(self)
        parent = np.full(len(self.people), -1, dtype=np.int64)
        parent[has] = self.src[first[has]]
        return bool((_jump(parent)[1] >= 0).any())

    def deep(self, m: int) -> np.ndarray:
        """Per person, depth 2 or more in the forest of the first ``m`` edges (:func:`build_forest`'s rules)."""
        if not self.has_cycles:
            return self._first_referral < m
        src, dst = self.src[:m], self.dst[:m]
        n = len(self.people)
        # build_forest numbers people by first appearance as referrer, then as referred;
        # walking cycles in that order cuts the same edge when two share the latest time.
        as_src = _first_at(n, src, m)
        order = np.where(as_src < m, as_src, m + _first_at(n, dst, m))
        parent, _, _ = _parents(n, src, dst, self.time[:m], order)
        return parent >= 0

    def first_referral_times(self) -> pd.Series:
        """When each (referrer, referred) pair was first recorded, oldest first."""
        return self.occurred_at.iloc[self.pairs[0]]


def referral_index(dataset_or_tables: Any) -> ReferralIndex:
    """The dataset's :class:`ReferralIndex`: kept on a ``Dataset``, built afresh for bare tables."""
    cached = getattr(dataset_or_tables, "referral_index", None)
    if isinstance(cached, ReferralIndex):
        return cached
    ref, inv = _tables(dataset_or_tables)
    return ReferralIndex(ref, inv)


# ---------------------------------------------------------------------------
# Tree arithmetic on parent arrays (no per-node Python loops).


def depth_levels(depth: np.ndarray) -> list[np.ndarray]:
    """Node codes grouped by depth, shallowest level first."""
    if not len(depth):
        return []
    order = np.argsort(depth, kind="stable")
    bounds = np.flatnonzero(np.diff(depth[order])) + 1
    return np.split(order, bounds)


def subtree_sums(forest: Forest, weights: np.ndarray | None = None,
                 levels: list[np.ndarray] | None = None) -> np.ndarray:
    """Sum of ``weights`` over each node and all its descendants (sizes when no weights).

    Deepest level first: a level's totals are complete before they are added
    to their parents, and nodes of one level are never each other's parents.
    """
    total = np.ones(len(forest), dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64).copy()
    levels = depth_levels(forest.depth) if levels is None else levels
    for level in reversed(levels[1:]):
        np.add.at(total, forest.parent[level], total[level])
    return total


def cascade_roots(forest: Forest, levels: list[np.ndarray] | None = None) -> np.ndarray:
    """The depth-1 ancestor (cascade) of every node; depth-1 people are their own."""
    root = np.arange(len(forest), dtype=np.int64)
    levels = depth_levels(forest.depth) if levels is None else levels
    for level in levels[1:]:
        root[level] = root[forest.parent[level]]
    return root


# ---------------------------------------------------------------------------
# A forest with the per-person facts the metrics and the view need.


@dataclass
class ReferralNetwork:
    forest: Forest
    period: Period | None
    involvement: pd.DataFrame  # the rows used (up to the period end), aligned with inv_code/inv_time
    inv_time: np.ndarray  # int64 ns per involvement row
    first_seen: np.ndarray  # int64 ns per person
    in_period: np.ndarray  # bool per person: has a record dated in the period
    pairs: pd.DataFrame  # one row per (referrer, referred): src, dst, time, channel, converted
    size: np.ndarray  # subtree size per person (self included)
    weight_size: np.ndarray  # people in the period in each subtree
    cascade: np.ndarray  # cascade root code per person

    @property
    def n(self) -> int:
        return len(self.forest)

    @cached_property
    def reach(self) -> np.ndarray:
        """Downstream reach: all descendants."""
        return self.size - 1


def _tables(dataset_or_tables: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    tables = getattr(dataset_or_tables, "tables", dataset_or_tables)
    if not isinstance(tables, Mapping):
        raise TypeError("expected a Dataset or a mapping of canonical tables")
    ref = tables.get("referrals")
    inv = tables.get("involvement")
    ref = schema.empty("referrals") if ref is None else ref
    inv = schema.empty("involvement") if inv is None else inv
    return ref, inv


def _filter_tables(ref: pd.DataFrame, inv: pd.DataFrame, period: Period | None,
                   channels: Any, converted_only: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    if period is not None:
        ref = ref[ref["occurred_at"] < period.end_ts]
        inv = inv[inv["occurred_at"] < period.end_ts]
    if channels is not None:
        wanted = {str(c) for c in channels}
        ref = ref[ref["channel"].fillna("unknown").isin(wanted)]
        if "referral" not in wanted:
            inv = inv.assign(referred_by=pd.Series(pd.NA, index=inv.index, dtype=schema.STR))
    if converted_only:
        involved = set(schema.normalise_person(inv["person"]).dropna())
        keep = ref["converted"].fillna(False).astype(bool) | schema.normalise_person(ref["referred"]).isin(involved)
        ref = ref[keep.to_numpy()]
    if channels is not None or converted_only:
        # A filtered view shows the people on the referrals it keeps, not everyone else.
        linked = inv["referred_by"].notna()
        on_edges = pd.concat([ref["referrer"], ref["referred"], inv.loc[linked, "referred_by"]])
        inv = inv[linked | schema.normalise_person(inv["person"]).isin(set(schema.normalise_person(on_edges).dropna()))]
    return ref, inv


def _min_at(n: int, idx: np.ndarray, values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    out = np.full(n, NO_TIME_HI, dtype=np.int64) if out is None else out
    ok = idx >= 0
    np.minimum.at(out, idx[ok], values[ok])
    return out


def _pairs(forest: Forest, inv_code: np.ndarray, inv_time: np.ndarray) -> pd.DataFrame:
    """One row per referral pair, with its first time, channel and conversion."""
    n, e = len(forest), forest.edges
    src, dst = forest.edge_src, forest.edge_dst
    if not len(e):
        return pd.DataFrame({"src": np.zeros(0, np.int64), "dst": np.zeros(0, np.int64),
                             "time": np.zeros(0, np.int64), "channel": pd.array([], dtype="str"),
                             "converted": pd.array([], dtype="boolean")})
    key = src * max(n, 1) + dst
    pair_keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    conv = e["converted"]
    says_yes = np.bincount(inverse, weights=conv.eq(True).fillna(False).to_numpy(bool), minlength=len(pair_keys)) > 0
    says_no = np.bincount(inverse, weights=conv.eq(False).fillna(False).to_numpy(bool), minlength=len(pair_keys)) > 0
    time = _ns(e["occurred_at"])[first]
    p_dst = dst[first]
    last_action = np.full(n, NO_TIME_LO, dtype=np.int64)
    ok = inv_code >= 0
    np.maximum.at(last_action, inv_code[ok], inv_time[ok])
    acted = last_action[p_dst] >= time
    yes = says_yes | acted
    converted = pd.array(np.where(yes, True, False), dtype="boolean")
    converted[~yes & ~says_no] = pd.NA
    pairs = pd.DataFrame({
        "src": src[first], "dst": p_dst, "time": time,
        "channel": e["channel"].fillna("unknown").to_numpy()[first],
        "converted": converted,
    })
    return pairs.sort_values("time", kind="stable", ignore_index=True)


def load_network(dataset_or_tables: Any, period: Period | None = None, *,
                 channels: Any = None, converted_only: bool = False) -> ReferralNetwork:
    """The forest and per-person facts, as known at the end of ``period``.

    ``channels`` keeps only referrals made through those channels (the
    ``involvement.referred_by`` links count as channel "referral");
    ``converted_only`` keeps only converted referrals. Either filter also
    drops the people who are on none of the referrals kept.
    """
    ref, inv = _tables(dataset_or_tables)
    ref, inv = _filter_tables(ref, inv, period, channels, converted_only)
    return _assemble(build_forest(ref, inv), inv, period)


def network_from_forest(forest: Forest) -> ReferralNetwork:
    """A network from a bare forest (no involvement rows: no actions known)."""
    bare = replace(forest, inv_code=np.zeros(0, dtype=np.int64))
    return _assemble(bare, schema.empty("involvement"), None)


def _assemble(forest: Forest, inv: pd.DataFrame, period: Period | None) -> ReferralNetwork:
    n = len(forest)
    inv_time = _ns(inv["occurred_at"])
    inv_code = forest.inv_code
    e_time = _ns(forest.edges["occurred_at"])
    first_seen = _min_at(n, inv_code, inv_time)
    _min_at(n, forest.edge_src, e_time, first_seen)
    _min_at(n, forest.edge_dst, e_time, first_seen)
    if period is None:
        in_period = np.ones(n, dtype=bool)
    else:
        in_period = np.zeros(n, dtype=bool)
        lo, hi = _ns(pd.Series([period.start_ts, period.end_ts]))
        inv_in = (inv_time >= lo) & (inv_time < hi) & (inv_code >= 0)
        e_in = (e_time >= lo) & (e_time < hi)
        in_period[inv_code[inv_in]] = True
        in_period[forest.edge_src[e_in]] = True
        in_period[forest.edge_dst[e_in]] = True
    levels = depth_levels(forest.depth)
    return ReferralNetwork(
        forest=forest, period=period, involvement=inv.reset_index(drop=True),
        inv_time=inv_time, first_seen=first_seen, in_period=in_period,
        pairs=_pairs(forest, inv_code, inv_time),
        size=subtree_sums(forest, levels=levels),
        weight_size=subtree_sums(forest, in_period.astype(np.int64), levels=levels),
        cascade=cascade_roots(forest, levels=levels),
    )


def top_people(net: ReferralNetwork, k: int, score: np.ndarray | None = None) -> np.ndarray:
    """Codes of the ``k`` people with the highest ``score``, best first.

    ``score`` defaults to the number of in-period people in each subtree.
    With any such subtree sum (or one zeroed on whole cascades), ties go to
    the shallower person, so the chosen set is ancestor-closed: a parent's
    subtree holds its child's, so it ranks at least as high and sits one
    level up. The drawn graph therefore always hangs from the organisation.
    """
    score = net.weight_size if score is None else score
    cand = np.flatnonzero(score > 0)
    if not len(cand) or k <= 0:
        return cand[:0]
    key = -score[cand] * (int(net.forest.depth.max()) + 1) + net.forest.depth[cand]
    if k < len(cand):
        part = np.argpartition(key, k - 1)[:k]
        cand, key = cand[part], key[part]
    return cand[np.lexsort((cand, key))]


def _whole_cascades(net: ReferralNetwork, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """Depth-1 roots of the biggest cascades that fit whole in ``budget`` nodes, and the others."""
    f, scope = net.forest, net.weight_size > 0
    nodes = np.bincount(net.cascade[scope], minlength=net.n)
    roots = np.flatnonzero((f.parent < 0) & scope)
    roots = roots[np.lexsort((roots, -net.weight_size[roots], -nodes[roots]))]
    sizes = nodes[roots]
    take = np.cumsum(sizes) <= budget
    room = budget - int(sizes[take].sum())
    # First fit: smaller cascades further down the list that still fit.
    fits = ~take & (sizes <= room)
    take[fits] = np.cumsum(sizes[fits]) <= room
    return roots[take], roots[~take]


def hidden_branches(net: ReferralNetwork, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drawn parents of undrawn branches (with branch counts), and undrawn cascade roots."""
    f, w = net.forest, net.weight_size
    hang = ~mask & (f.parent >= 0) & (w > 0)
    hang[hang] = mask[f.parent[hang]]
    parents, branches = np.unique(f.parent[hang], return_counts=True)
    orphans = np.flatnonzero(~mask & (f.parent < 0) & (w > 0))
    return hang, np.stack([parents, branches]), orphans


def select_drawn(net: ReferralNetwork, cap: int) -> np.ndarray:
    """Boolean mask of the people to draw with at most ``cap`` nodes in all.

    The budget counts the organisation and one "+N more" summary node per
    drawn person with undrawn branches, plus one for all undrawn cascades.
    Whole cascades go in biggest first; when the biggest left does not fit,
    it is drawn from the top (widest reach first) with summaries for the
    branches cut.
    """
    w = net.weight_size
    whole, rest = _whole_cascades(net, cap - 2)
    base = np.isin(net.cascade, whole) & (w > 0)
    score = np.where(np.isin(net.cascade, rest), w, 0)

    def attempt(k: int) -> tuple[np.ndarray, int]:
        mask = base.copy()
        mask[top_people(net, k, score)] = True
        _, groups, orphans = hidden_branches(net, mask)
        return mask, 1 + int(mask.sum()) + groups.shape[1] + int(len(orphans) > 0)

    lo, hi = 0, max(0, cap - 2 - int(base.sum()))
    best, _ = attempt(0)
    while lo < hi:  # the most people whose summaries still fit under the cap
        mid = (lo + hi + 1) // 2
        trial, total = attempt(mid)
        if total <= cap:
            lo, best = mid, trial
        else:
            hi = mid - 1
    return best


# ---------------------------------------------------------------------------
# Metrics


HEADLINE = ("people", "new_people", "depth_1", "depth_2", "depth_3_plus", "depth2_share",
            "involved_people", "referrals", "converted_referrals", "k_factor",
            "referral_conversion", "median_days_to_first_action", "cascades",
            "largest_cascade", "deepest_cascade", "communities")


@dataclass
class NetworkMetrics:
    period: Period | None
    people: int  # people in the period
    new_people: int  # of them, first seen in the period
    depth_counts: dict[int, int]  # depth -> people in the period
    involved_people: int
    referrals: int  # referral pairs first made in the period
    referral_known: int  # of them with a known outcome
    converted_pairs: int
    converted_referrals: int  # distinct people with a converted referral in the period
    median_days_to_first_action: float | None
    cascades: pd.DataFrame  # root, size, in_period, levels (cascades touching the period)
    communities: list[int]  # sizes, largest first, on the drawn graph
    community_scope: int  # people the communities were computed on
    _connectors: pd.DataFrame = field(repr=False, default=None)
    previous: "NetworkMetrics | None" = None

    @property
    def by_depth(self) -> dict[str, int]:
        d = self.depth_counts
        return {"1": d.get(1, 0), "2": d.get(2, 0), "3+": sum(v for k, v in d.items() if k >= 3)}

    @property
    def depth2_share(self) -> float | None:
        return None if not self.people else (self.people - self.by_depth["1"]) / self.people

    @property
    def k_factor(self) -> float | None:
        return None if not self.involved_people else self.converted_referrals / self.involved_people

    @property
    def referral_conversion(self) -> float | None:
        return None if not self.referral_known else self.converted_pairs / self.referral_known

    def headline(self) -> dict[str, Any]:
        c = self.cascades
        b = self.by_depth
        return {
            "people": self.people, "new_people": self.new_people,
            "depth_1": b["1"], "depth_2": b["2"], "depth_3_plus": b["3+"],
            "depth2_share": self.depth2_share, "involved_people": self.involved_people,
            "referrals": self.referrals, "converted_referrals": self.converted_referrals,
            "k_factor": self.k_factor, "referral_conversion": self.referral_conversion,
            "median_days_to_first_action": self.median_days_to_first_action,
            "cascades": len(c),
            "largest_cascade": int(c["size"].max()) if len(c) else 0,
            "deepest_cascade": int(c["levels"].max()) if len(c) else 0,
            "communities": len(self.communities),
        }

    def changes(self) -> dict[str, float | None]:
        """Current minus previous period, per headline figure (None when either is unknown)."""
        if self.previous is None:
            return {}
        cur, prev = self.headline(), self.previous.headline()
        return {k: (None if cur[k] is None or prev[k] is None else cur[k] - prev[k]) for k in HEADLINE}

    def cascade_size_buckets(self) -> dict[str, int]:
        sizes = self.cascades["size"].to_numpy()
        edges = [(1, 1, "1"), (2, 5, "2-5"), (6, 20, "6-20"), (21, 100, "21-100"), (101, np.inf, "101+")]
        return {label: int(((sizes >= lo) & (sizes <= hi)).sum()) for lo, hi, label in edges}

    def connectors_table(self) -> pd.DataFrame:
        """Everyone with a descendant in the period: the CSV export of connectors."""
        return self._connectors.copy()

    def top_connectors(self, by: str = "downstream_reach", n: int = TOP_N) -> pd.DataFrame:
        keys = {"downstream_reach": ["reach_in_period", "downstream_reach", "direct_referrals"],
                "direct_referrals": ["direct_referrals", "converted", "downstream_reach"]}[by]
        t = self._connectors
        return t.sort_values(keys, ascending=False, kind="stable").head(n).reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        def rows(df):
            out = df.assign(first_seen=df["first_seen"].astype(str))
            return out.to_dict("records")
        d = {
            "period": self.period.to_dict() if self.period else None,
            **self.headline(),
            "by_depth": self.by_depth,
            "depth_counts": {str(k): v for k, v in sorted(self.depth_counts.items())},
            "cascade_sizes": self.cascade_size_buckets(),
            "single_person_cascades": int((self.cascades["size"] == 1).sum()),
            "community_sizes": list(self.communities[:20]),
            "community_scope": self.community_scope,
            "top_by_reach": rows(self.top_connectors("downstream_reach")),
            "top_by_direct_referrals": rows(self.top_connectors("direct_referrals")),
        }
        if self.previous is not None:
            d["previous"] = self.previous.headline()
            d["previous_period"] = self.previous.period.to_dict() if self.previous.period else None
            d["change"] = self.changes()
        return d


def _connectors(net: ReferralNetwork, pairs_in: pd.DataFrame) -> pd.DataFrame:
    n = net.n
    direct = np.bincount(pairs_in["src"].to_numpy(np.int64), minlength=n)
    conv = np.bincount(pairs_in["src"].to_numpy(np.int64),
                       weights=pairs_in["converted"].eq(True).fillna(False).to_numpy(bool), minlength=n)
    below = net.weight_size - net.in_period
    who = np.flatnonzero((below > 0) | (direct > 0))
    first = net.first_seen[who]
    first_seen = pd.to_datetime(np.where(first == NO_TIME_HI, NO_TIME_LO, first), utc=True).date
    t = pd.DataFrame({
        "person": net.forest.people[who].astype(str),
        "direct_referrals": direct[who],
        "downstream_reach": net.reach[who],
        "reach_in_period": below[who],
        "converted": conv[who].astype(np.int64),
        "depth": net.forest.depth[who],
        "first_seen": first_seen,
    })
    return t.sort_values(["reach_in_period", "downstream_reach", "direct_referrals"],
                         ascending=False, kind="stable", ignore_index=True)


def _cascades(net: ReferralNetwork) -> pd.DataFrame:
    f = net.forest
    levels = np.zeros(net.n, dtype=np.int64)
    np.maximum.at(levels, net.cascade, f.depth)
    roots = np.flatnonzero((f.depth == 1) & (net.weight_size > 0))
    return pd.DataFrame({
        "root": f.people[roots].astype(str), "size": net.size[roots],
        "in_period": net.weight_size[roots], "levels": levels[roots],
    }).sort_values("size", ascending=False, kind="stable", ignore_index=True)


def drawn_graph(net: ReferralNetwork, codes: np.ndarray) -> nx.Graph:
    """Undirected graph of every referral pair among ``codes`` (for communities)."""
    g = nx.Graph()
    g.add_nodes_from(codes.tolist())
    p = net.pairs
    inside = np.isin(p["src"].to_numpy(), codes) & np.isin(p["dst"].to_numpy(), codes)
    g.add_edges_from(zip(p["src"].to_numpy()[inside].tolist(), p["dst"].to_numpy()[inside].tolist()))
    return g


def _communities(net: ReferralNetwork) -> tuple[list[int], int]:
    codes = np.flatnonzero(select_drawn(net, COMMUNITY_NODES))
    g = drawn_graph(net, codes)
    if g.number_of_edges() == 0:
        return [], len(codes)
    parts = nx.community.louvain_communities(g, seed=1)
    return sorted((len(c) for c in parts if len(c) > 1), reverse=True), len(codes)


def _median_days(net: ReferralNetwork, pairs: pd.DataFrame, lo: int, hi: int) -> float | None:
    if not len(pairs):
        return None
    dst = pairs["dst"].to_numpy()
    _, first = np.unique(dst, return_index=True)  # pairs are time-sorted: first referral per person
    ref_time = np.full(net.n, NO_TIME_HI, dtype=np.int64)
    ref_time[dst[first]] = pairs["time"].to_numpy()[first]
    code = net.forest.inv_code
    ok = (code >= 0)
    after = ok & (net.inv_time >= ref_time[np.where(ok, code, 0)])
    first_action = _min_at(net.n, np.where(after, code, -1), net.inv_time)
    people = dst[first]
    t0 = ref_time[people]
    t1 = first_action[people]
    keep = (t0 >= lo) & (t0 < hi) & (t1 != NO_TIME_HI)
    if not keep.any():
        return None
    return float(np.median((t1[keep] - t0[keep]) / NS_PER_DAY))


def _metrics(net: ReferralNetwork) -> NetworkMetrics:
    f, period = net.forest, net.period
    lo, hi = (NO_TIME_LO, NO_TIME_HI) if period is None else _ns(pd.Series([period.start_ts, period.end_ts]))
    who = np.flatnonzero(net.in_period)
    counts = np.bincount(f.depth[who])
    new = net.first_seen[who]
    code, t = f.inv_code, net.inv_time
    # Marking a boolean array: numpy 2.4's hash-based np.unique takes seconds on 1M ints.
    involved = np.zeros(net.n, dtype=bool)
    involved[code[(code >= 0) & (t >= lo) & (t < hi)]] = True
    p = net.pairs
    pt = p["time"].to_numpy()
    pairs_in = p[(pt >= lo) & (pt < hi)]
    conv = pairs_in["converted"]
    communities, scope = _communities(net)
    return NetworkMetrics(
        period=period,
        people=len(who),
        new_people=int(((new >= lo) & (new < hi)).sum()),
        depth_counts={int(d): int(c) for d, c in enumerate(counts) if c},
        involved_people=int(involved.sum()),
        referrals=len(pairs_in),
        referral_known=int(conv.notna().sum()),
        converted_pairs=int(conv.eq(True).fillna(False).sum()),
        converted_referrals=int(pairs_in.loc[conv.eq(True).fillna(False).to_numpy(bool), "dst"].nunique()),
        median_days_to_first_action=_median_days(net, p, lo, hi),
        cascades=_cascades(net),
        communities=communities,
        community_scope=scope,
        _connectors=_connectors(net, pairs_in),
    )


def network_metrics(dataset_or_tables: Any, period: Period | None = None, *,
                    compare: bool = True) -> NetworkMetrics:
    """Referral-network figures for ``period`` (all time when None).

    With a period (and ``compare``), ``.previous`` holds the same figures for
    the previous period of equal length, and ``.changes()`` the differences.
    """
    m = _metrics(load_network(dataset_or_tables, period))
    if period is not None and compare:
        m.previous = _metrics(load_network(dataset_or_tables, period.previous()))
    return m

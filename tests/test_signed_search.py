"""The signed path search kernel against an independent enumeration, on random graphs with hubs.

Every search runs on numpy arrays (with a vectorised branch for nodes with many relevant edges);
a search of any sign bounds per node, one of one or two signs per signed state: both must give
exactly the paths, order and scores of a brute-force enumeration, for every set of signs and
bounds 1 to 5.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtorgraph.analysis import unsigned_search
from mtorgraph.analysis.signed_index import SignedIndex
from mtorgraph.analysis.signed_search import IndexPath, find_index_paths

SIGN_SETS = [(1, -1, 0), (1,), (-1,), (0,), (1, -1), (1, 0), (-1, 0)]
BELIEFS = [0.2, 0.35, 0.5, 0.7, 0.9, 0.95]


def enumerate_paths(edges, n, s, t, k, signs):
    """Every simple s→t path of at most k edges with a wanted sign, ranked as the search ranks them."""
    out = [[] for _ in range(n)]
    for e, (u, v, sign, belief) in enumerate(sorted(edges, key=lambda x: x[0])):
        out[u].append((v, sign, belief, e))
    found = []

    def walk(node, nodes, eids, sign, score):
        if node == t:
            if sign in signs:
                found.append(IndexPath(nodes, eids, sign, score))
            return
        if len(eids) == k:
            return
        for v, sg, b, e in out[node]:
            if v not in nodes:
                walk(v, nodes + (v,), eids + (e,), sign * sg, score * b)

    if s != t:
        walk(s, (s,), (), 1, 1.0)
    found.sort(key=lambda p: (-p.score, len(p.edges), p.nodes, p.edges))
    return found


@st.composite
def hub_graphs(draw, max_nodes=14):
    """A directed graph where a few hubs link to and from most nodes (stable edge ids: by source)."""
    n = draw(st.integers(2, max_nodes))
    hubs = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=3))
    pairs = set()
    for h in hubs:
        for v in range(n):
            if v != h and draw(st.booleans()):
                pairs.add((h, v))
            if v != h and draw(st.booleans()):
                pairs.add((v, h))
    pairs |= {p for p in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n))
              if p[0] != p[1]}
    edges = [(u, v, draw(st.sampled_from([1, -1, 0])), draw(st.sampled_from(BELIEFS))) for u, v in sorted(pairs)]
    s = draw(st.integers(0, n - 1))
    t = draw(st.integers(0, n - 1))
    return n, edges, s, t


def build(n, edges):
    return SignedIndex.from_arrays(n, [e[0] for e in edges], [e[1] for e in edges], [e[2] for e in edges],
                                   [e[3] for e in edges])


@pytest.mark.parametrize("wide", [0, 10**9], ids=["numpy-extensions", "python-extensions"])
@settings(max_examples=120, deadline=None)
@given(graph=hub_graphs(), k=st.integers(1, 5), signs=st.sampled_from(SIGN_SETS),
       limit=st.sampled_from([None, 1, 3, 20]))
def test_search_equals_enumeration(wide, graph, k, signs, limit):
    n, edges, s, t = graph
    expected = enumerate_paths(edges, n, s, t, k, set(signs))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(unsigned_search, "_WIDE", wide)  # every popped node through one branch
        result = find_index_paths(build(n, edges), s, t, max_length=k, signs=signs, limit=limit)
    assert not result.truncated
    assert list(result.paths) == (expected if limit is None else expected[:limit])


@settings(max_examples=80, deadline=None)
@given(graph=hub_graphs(max_nodes=40), k=st.integers(1, 4))
def test_any_sign_is_the_union_of_the_signed_searches(graph, k):
    # The search of any sign (bounds per node) and the three signed searches (bounds per signed
    # state) search the same relevant subgraph: their paths must agree exactly.
    n, edges, s, t = graph
    index = build(n, edges)
    merged = [p for sign in (1, -1, 0) for p in find_index_paths(index, s, t, max_length=k, signs=(sign,),
                                                                  limit=None).paths]
    merged.sort(key=lambda p: (-p.score, len(p.edges), p.nodes, p.edges))
    everything = find_index_paths(index, s, t, max_length=k, limit=None)
    assert list(everything.paths) == merged
    assert list(find_index_paths(index, s, t, max_length=k, limit=5).paths) == merged[:5]
    # every search, whatever signs it wants, reports the edges of the walks it searched
    relevant = relevant_by_walks(edges, n, s, t, k)
    for signs in SIGN_SETS:
        assert find_index_paths(index, s, t, max_length=k, signs=signs).relevant_edges == relevant
    if merged:
        assert relevant > 0


def relevant_by_walks(edges, n, s, t, k):
    """Edges on some s→t walk of at most k edges that leaves s only at its start and meets t only
    at its end, counted by two breadth-first searches."""
    if s == t:
        return 0
    kept = [(u, v) for u, v, _, _ in edges if u != t and v != s]

    def distances(start, forward):
        far = k + 1
        dist = [far] * n
        dist[start] = 0
        front = [start]
        while front:
            nxt = []
            for node in front:
                for u, v in kept:
                    a, b = (u, v) if forward else (v, u)
                    if a == node and dist[b] == far and dist[node] + 1 <= k:
                        dist[b] = dist[node] + 1
                        nxt.append(b)
            front = nxt
        return dist

    from_s, to_t = distances(s, True), distances(t, False)
    return sum(1 for u, v in kept if from_s[u] + 1 + to_t[v] <= k)


def test_wide_hub_uses_numpy_extensions_and_ranks_ties_by_nodes():
    # s -> 60 middle nodes -> t, every edge 0.5: 60 tied paths, ranked by node ids.
    n = 62
    s, t = 0, 61
    edges = [(s, v, 1, 0.5) for v in range(1, 61)] + [(v, t, -1, 0.5) for v in range(1, 61)]
    index = build(n, edges)
    result = find_index_paths(index, s, t, max_length=3, limit=20)
    assert [p.nodes for p in result.paths] == [(0, v, 61) for v in range(1, 21)]
    assert all(p.sign == -1 and p.score == 0.25 for p in result.paths)
    assert find_index_paths(index, s, t, max_length=3, signs=(1,)).paths == ()


def test_expired_time_budget_truncates():
    n, s, t = 12, 0, 11
    edges = [(u, v, 1, 0.5) for u in range(n) for v in range(n) if u != v]
    result = find_index_paths(build(n, edges), s, t, max_length=4, timeout=-1.0)
    assert result.truncated and result.paths == ()
    signed = find_index_paths(build(n, edges), s, t, max_length=4, signs=(-1,), timeout=-1.0)
    assert signed.truncated and signed.paths == ()

"""Bounded, target-pruned signed path search over a :class:`~.signed_index.SignedIndex`.

The search runs on a :class:`~.signed_index.SignedIndex` and works on the signed-node
projection: a state is ``(node, sign of the walk so far)``, so "paths of net sign -1" is one
search, not a filter.

How a query avoids enumerating the neighbourhood of the source:

1. a bounded bidirectional breadth-first search over signed states, from the source forwards and
   from the target backwards, always expanding the side whose frontier has fewer edges, until the
   two depths add up to ``max_length``;
2. a short relaxation gives every scanned node its exact distance from the source and to the
   target whenever that distance can still matter within the bound;
3. the edges that lie on some source→target walk of the wanted sign within the bound (a few
   thousand out of millions on hub-heavy graphs) form the relevant subgraph;
4. on it, a best-first (A*) search pops simple paths in order of score, bounding what a partial
   path can still reach by the best edge out of its end times the best edge into the target, so
   the top ``limit`` paths come out without enumerating the rest.

A sign of ``any`` needs no signed states (every sign is wanted), so it runs one state per node,
with steps 1–3 as whole-array numpy operations on the index's CSR arrays (hubs of tens of
thousands of edges make Python loops the bulk of a query), and step 4 bounded by the exact best
walk product to the target within the remaining budget, pushing a path's extensions one at a time
(:mod:`.unsigned_search`).
Signed searches run steps 1–4 on Python dicts of signed states.

>>> index = SignedIndex.from_arrays(4, [0, 1, 0, 2], [1, 3, 2, 3], [1, -1, -1, -1], [0.9, 0.8, 0.5, 0.5])
>>> found = find_index_paths(index, 0, 3, max_length=3)
>>> [(p.sign, round(p.score, 2), p.nodes) for p in found.paths]
[(-1, 0.72, (0, 1, 3)), (1, 0.25, (0, 2, 3))]
>>> [p.nodes for p in find_index_paths(index, 0, 3, signs=(1,)).paths]
[(0, 2, 3)]
"""

from __future__ import annotations

import gc
import heapq
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


from .signed_index import SIGN_CODES, SignedIndex

__all__ = ["IndexPath", "IndexSearch", "find_index_paths"]

_CODE = SIGN_CODES
_SIGN = (1, -1, 0)
#: product of two sign codes.
_MUL = ((0, 1, 2), (1, 0, 2), (2, 2, 2))
_INF = 1 << 30
_REL = 1e-9  # relative tolerance when comparing products of beliefs computed in different orders


@dataclass(frozen=True)
class IndexPath:
    """One path found by :func:`find_index_paths`: its nodes, edge ids, net sign and score."""

    nodes: tuple[int, ...]
    edges: tuple[int, ...]
    sign: int
    score: float

    @property
    def length(self) -> int:
        """Number of edges."""
        return len(self.edges)


@dataclass(frozen=True)
class IndexSearch:
    """The outcome of a search: paths best first, and whether the time budget cut it short."""

    paths: tuple[IndexPath, ...]
    truncated: bool
    relevant_edges: int


class _Deadline(Exception):
    pass


def _check(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise _Deadline


def _bidirectional(ix: SignedIndex, s: int, t: int, k: int, deadline: float | None):
    """Bounded breadth-first search over signed states from ``s`` forwards and ``t`` backwards.

    Returns the distance tables, the per-node minimum distances and the candidate
    edges ``(u, v, code, e)`` seen while scanning that may still lie on an s→t walk.
    """
    out_ptr, out_dst, in_ptr, in_src = ix.out_ptr, ix.out_dst, ix.in_ptr, ix.in_src

    def out_edges(u: int):
        a, b = out_ptr[u], out_ptr[u + 1]
        return zip(out_dst[a:b], ix.out_sgn[a:b], range(a, b))

    def in_edges(v: int):
        a, b = in_ptr[v], in_ptr[v + 1]
        return zip(in_src[a:b], ix.in_sgn[a:b], ix.in_eid[a:b])

    fd: dict[int, int] = {s * 3: 0}   # state (node*3 + code) -> walks from s
    bd: dict[int, int] = {t * 3: 0}   # state -> walks to t; code = sign of the rest of the walk
    fmin: dict[int, int] = {s: 0}     # node -> its smallest distance over sign codes
    bmin: dict[int, int] = {t: 0}
    flevels: list[dict[int, list[int]]] = [{s: [0]}]
    blevels: list[dict[int, list[int]]] = [{t: [0]}]
    fscan: list[int] = []
    bscan: list[int] = []

    def expand(front, dist, mind, level, scanned, edges_of, skip_node, skip_nb):
        nxt: dict[int, list[int]] = {}
        for u, codes in front.items():
            if u == skip_node:
                continue
            scanned.append(u)
            for v, c, _e in edges_of(u):
                if v == skip_nb:
                    continue
                for c0 in codes:
                    code = _MUL[c0][c]
                    st = v * 3 + code
                    if st not in dist:
                        dist[st] = level
                        got = nxt.get(v)
                        if got is None:
                            nxt[v] = [code]
                            if v not in mind:
                                mind[v] = level
                        elif code not in got:
                            got.append(code)
        return nxt

    h = g = 0
    while h + g < k:
        _check(deadline)
        ffront, bfront = flevels[h], blevels[g]
        fcost = sum(out_ptr[u + 1] - out_ptr[u] for u in ffront if u != t)
        bcost = sum(in_ptr[v + 1] - in_ptr[v] for v in bfront if v != s)
        if fcost <= bcost:  # a path ends at t and never passes through s again
            flevels.append(expand(ffront, fd, fmin, h + 1, fscan, out_edges, t, s))
            h += 1
        else:
            blevels.append(expand(bfront, bd, bmin, g + 1, bscan, in_edges, s, t))
            g += 1
    _check(deadline)
    # One more scan of each side keeps the edges that can still matter: those into the other
    # side's ball or within the own scanned set (which the relaxations below may extend).
    fset, bset = set(fscan), set(bscan)
    fcand = [(u, v, c, e) for u in fset for v, c, e in out_edges(u)
             if v != s and (v in bmin or v in fset)]
    bcand = [(u, v, c, e) for v in bset for u, c, e in in_edges(v)
             if u != t and (u in fmin or u in bset)]
    # Relaxations: a shortest walk that leaves one side's scanned ball stays inside the other's.
    for r in range(g + 1, k + 1):
        prev, new = blevels[r - 1], {}
        for u, v, c, _e in fcand:
            codes = prev.get(v)
            if codes is None or r > k - fmin[u]:
                continue
            for c0 in codes:
                code = _MUL[c][c0]
                st = u * 3 + code
                if st not in bd:
                    bd[st] = r
                    new.setdefault(u, []).append(code)
                    if u not in bmin:
                        bmin[u] = r
        blevels.append(new)
    for r in range(h + 1, k + 1):
        prev, new = flevels[r - 1], {}
        for u, v, c, _e in bcand:
            codes = prev.get(u)
            if codes is None or r > k - bmin[v]:
                continue
            for c0 in codes:
                code = _MUL[c0][c]
                st = v * 3 + code
                if st not in fd:
                    fd[st] = r
                    new.setdefault(v, []).append(code)
                    if v not in fmin:
                        fmin[v] = r
        flevels.append(new)
    return fd, bd, fmin, bmin, fcand, bcand, fset


# --- the unsigned search on numpy arrays -------------------------------------------------------
#
# The same steps as `_bidirectional` + `_relax` + `_relevant` for a search of any sign, done with
# whole-array operations on the CSR arrays: hubs of tens of thousands of edges make the Python
# loops the bulk of a query. It yields the same relevant edges (the property tests compare them).

def _relevant(ix: SignedIndex, t: int, k: int, wanted: frozenset[int], search):
    """Edges on some s→t walk of a wanted sign within ``k`` edges: ``{u: [(v, code, belief, e)]}``,
    with each node's best out-edge belief and best edge into ``t``."""
    fd, bd, fmin, bmin, fcand, bcand, fmin_scanned = search

    def keep(u: int, v: int, c: int) -> bool:
        for cu in (0, 1, 2):
            du = fd.get(u * 3 + cu)
            if du is None:
                continue
            cuc = _MUL[cu][c]
            for cv in (0, 1, 2):
                dv = bd.get(v * 3 + cv)
                if dv is not None and du + 1 + dv <= k and _MUL[cuc][cv] in wanted:
                    return True
        return False

    adj: dict[int, list[tuple[int, int, float, int]]] = {}
    best_out: dict[int, float] = {}  # node -> its best relevant out-edge's belief
    into_t: dict[int, float] = {}    # node -> belief of its best relevant edge into t
    out_sgn, out_bel = ix.out_sgn, ix.out_bel
    for cand, forward in ((fcand, True), (bcand, False)):
        for u, v, c, e in cand:
            if not forward and u in fmin_scanned:
                continue  # a forward-scanned node's out-edges were all candidates already
            du, dv = fmin.get(u), bmin.get(v)
            if du is None or dv is None or du + 1 + dv > k or not keep(u, v, c):
                continue
            bel = out_bel[e]
            edges = adj.get(u)
            if edges is None:
                edges = adj[u] = []
                best_out[u] = bel
            elif bel > best_out[u]:
                best_out[u] = bel
            edges.append((v, out_sgn[e], bel, e))
            if v == t and bel > into_t.get(u, 0.0):
                into_t[u] = bel
    return adj, best_out, into_t


def _bound_function(best_out: dict[int, float], into_t: dict[int, float], wanted: frozenset[int], search):
    """``bound(node, code, budget)``: an upper bound on the score of any completion of a path
    that reached ``node`` with sign ``code`` and may take ``budget`` more edges; 0 if none exists.

    Cheap on purpose (constant time per call): the direct edge to the target, or the best edge out
    of the node times the best edge into the target. The distances decide whether a completion of
    the wanted sign exists within the budget at all.
    """
    bd = search[1]
    best_into_t = max(into_t.values(), default=0.0)

    def bound(node: int, code: int, budget: int) -> float:
        if not any(bd.get(node * 3 + cv, _INF) <= budget and _MUL[code][cv] in wanted for cv in (0, 1, 2)):
            return 0.0
        direct = into_t.get(node, 0.0)
        if budget >= 2:
            longer = best_out.get(node, 0.0) * best_into_t
            return longer if longer > direct else direct
        return direct

    return bound


def find_index_paths(index: SignedIndex, source: int, target: int, *, max_length: int = 4,
                     signs: Iterable[int] = (1, -1, 0), limit: int | None = 20,
                     timeout: float | None = None) -> IndexSearch:
    """The best simple ``source``→``target`` paths of at most ``max_length`` edges.

    :param signs: the net signs wanted, among +1, -1 and 0 (a path through an unsigned edge).
    :param limit: how many paths to return, best first (``None``: all of them).
    :param timeout: seconds; when exceeded, the paths found so far come back with
        ``truncated=True``.
    :returns: paths ranked by score (product of beliefs), then length, then node ids.
    :raises ValueError: on a node id out of range or ``max_length < 1``.
    """
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    for node in (source, target):
        if not 0 <= node < index.n:
            raise ValueError(f"node id {node} out of range 0..{index.n - 1}")
    wanted = frozenset(_CODE[s] for s in signs)
    # Any sign wanted: the signed projection prunes nothing, so search one state per node.
    unsigned = wanted == frozenset((0, 1, 2))
    deadline = None if timeout is None else time.monotonic() + timeout
    if source == target or not wanted:
        return IndexSearch((), False, 0)
    k = max_length
    found: list[IndexPath] = []
    relevant = 0
    # The search allocates many small containers and frees them all at the end; the cyclic
    # garbage collector would only rescan them (up to half the query time on large graphs).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if unsigned:
            from .unsigned_search import _unsigned_best_first, _unsigned_relevant

            ru, rv, re = _unsigned_relevant(index, source, target, k, deadline)
            relevant = len(ru)
            _check(deadline)
            if relevant:
                _unsigned_best_first(index, ru, rv, re, source, target, k, wanted, limit, deadline, found)
            return _outcome(found, limit, False, relevant)
        search = _bidirectional(index, source, target, k, deadline)
        adj, best_out, into_t = _relevant(index, target, k, wanted, search)
        relevant = sum(len(edges) for edges in adj.values())
        _check(deadline)
        if not adj:
            return IndexSearch((), False, 0)
        _best_first(adj, _bound_function(best_out, into_t, wanted, search), source, target, k,
                    wanted, limit, deadline, found)
    except _Deadline:
        return _outcome(found, limit, True, relevant)
    finally:
        if collecting:
            gc.enable()
    return _outcome(found, limit, False, relevant)


def _outcome(found: list[IndexPath], limit: int | None, truncated: bool, relevant: int) -> IndexSearch:
    found.sort(key=_rank)
    return IndexSearch(tuple(found[:limit] if limit is not None else found), truncated, relevant)


def _rank(p: IndexPath) -> tuple:
    return (-p.score, len(p.edges), p.nodes, p.edges)


def _best_first(adj, bound: Callable[[int, int, int], float], s: int, t: int, k: int,
                wanted: frozenset[int], limit: int | None, deadline: float | None,
                found: list[IndexPath]) -> None:
    """A* over simple paths: the bound never underestimates, so complete paths pop best first."""
    start = bound(s, 0, k)
    if start <= 0.0:
        return
    counter = 0
    # entry: (-f, length, counter, node, code, score, nodes, edges); node -1 marks a complete path
    heap = [(-start, 0, 0, s, 0, 1.0, (s,), ())]
    pops = 0
    floor = 0.0  # once `limit` paths are found, nothing scoring below the last of them can enter
    while heap:
        if -heap[0][0] < floor:
            break
        negf, length, _, node, code, score, nodes, edges = heapq.heappop(heap)
        pops += 1
        if not pops & 1023:
            _check(deadline)
        if node < 0:
            found.append(IndexPath(nodes, edges, _SIGN[code], score))
            if limit is not None and len(found) == limit:
                floor = score * (1 - _REL)
            continue
        budget = k - length - 1
        for v, c, bel, e in adj.get(node, ()):
            if v in nodes:
                continue
            cv = _MUL[code][c]
            g = score * bel
            if v == t:
                if cv in wanted and g >= floor:
                    counter += 1
                    heapq.heappush(heap, (-g, length + 1, counter, -1, cv, g, nodes + (v,), edges + (e,)))
                continue
            if budget <= 0:
                continue
            f = g * bound(v, cv, budget)
            if f > 0.0 and f >= floor:
                counter += 1
                heapq.heappush(heap, (-f, length + 1, counter, v, cv, g, nodes + (v,), edges + (e,)))

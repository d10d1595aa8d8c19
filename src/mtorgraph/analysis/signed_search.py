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
walk product to the target within the remaining budget, pushing a path's extensions one at a time.
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

import numpy as np

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

_FAR = 1 << 20  # "not reached" in a distance array


def _ranges(ptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions ``ptr[u]..ptr[u+1]`` of every node ``u`` in ``nodes`` (in order) and the node
    owning each position."""
    start = ptr[nodes]
    counts = ptr[nodes + 1] - start
    total = int(counts.sum())
    if not total:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    owner = np.repeat(nodes, counts)
    shift = np.repeat(start - (np.cumsum(counts) - counts), counts)
    return shift + np.arange(total, dtype=np.int64), owner


def _group_starts(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal consecutive ``keys`` starts (``keys`` non-empty)."""
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


def _relax_numpy(dist: np.ndarray, near: np.ndarray, far: np.ndarray, k: int) -> None:
    """``dist[near] = min(dist[near], dist[far] + 1)`` over the edges until nothing changes (at most
    ``k + 1`` passes: every distance up to ``k`` is then exact, as in :func:`_relax`).
    ``near`` comes in runs of equal nodes."""
    if not len(near):
        return
    starts = _group_starts(near)
    heads = near[starts]
    for _ in range(k + 1):
        best = np.minimum.reduceat(dist[far], starts) + 1
        now = dist[heads]
        better = best < now
        if not better.any():
            break
        dist[heads] = np.where(better, best, now)


def _unsigned_relevant(ix: SignedIndex, s: int, t: int, k: int, deadline: float | None):
    """The relevant edges of a search of any sign as arrays ``(u, v, e)``, sorted by ``u``."""
    out_ptr, out_dst, _out_sgn, _out_bel, in_ptr, in_src, _in_sgn, in_eid = ix.numpy_views()
    n = ix.n
    fdist = np.full(n, _FAR, dtype=np.int32)
    bdist = np.full(n, _FAR, dtype=np.int32)
    fdist[s] = 0
    bdist[t] = 0
    ffront = np.array([s], dtype=np.int64)
    bfront = np.array([t], dtype=np.int64)
    fscan: list[np.ndarray] = []
    bscan: list[np.ndarray] = []
    h = g = 0
    while h + g < k:
        _check(deadline)
        fnodes = ffront[ffront != t]
        bnodes = bfront[bfront != s]
        fcost = int((out_ptr[fnodes + 1] - out_ptr[fnodes]).sum())
        bcost = int((in_ptr[bnodes + 1] - in_ptr[bnodes]).sum())
        if fcost <= bcost:
            fscan.append(fnodes)
            nb = out_dst[_ranges(out_ptr, fnodes)[0]]
            ffront = np.unique(nb[fdist[nb] == _FAR]).astype(np.int64)
            h += 1
            fdist[ffront] = h
        else:
            bscan.append(bnodes)
            nb = in_src[_ranges(in_ptr, bnodes)[0]]
            bfront = np.unique(nb[bdist[nb] == _FAR]).astype(np.int64)
            g += 1
            bdist[bfront] = g
    _check(deadline)
    fset = np.concatenate(fscan) if fscan else np.zeros(0, dtype=np.int64)
    bset = np.concatenate(bscan) if bscan else np.zeros(0, dtype=np.int64)
    in_f = np.zeros(n, dtype=bool)
    in_f[fset] = True
    in_b = np.zeros(n, dtype=bool)
    in_b[bset] = True
    fe, fu = _ranges(out_ptr, np.sort(fset))
    fv = out_dst[fe].astype(np.int64)
    keep = (fv != s) & ((bdist[fv] < _FAR) | in_f[fv])
    fe, fu, fv = fe[keep], fu[keep], fv[keep]
    bj, bv = _ranges(in_ptr, np.sort(bset))
    bu = in_src[bj].astype(np.int64)
    keep = (bu != t) & ((fdist[bu] < _FAR) | in_b[bu])
    be, bu, bv = in_eid[bj[keep]].astype(np.int64), bu[keep], bv[keep]
    _relax_numpy(bdist, fu, fv, k)
    _relax_numpy(fdist, bv, bu, k)
    near = fdist[fu] + 1 + bdist[fv] <= k
    back = ~in_f[bu] & (fdist[bu] + 1 + bdist[bv] <= k)
    ru = np.concatenate((fu[near], bu[back]))
    order = np.argsort(ru, kind="stable")
    return ru[order], np.concatenate((fv[near], bv[back]))[order], np.concatenate((fe[near], be[back]))[order]


def _walk_bounds(n: int, t: int, k: int, ru: np.ndarray, rv: np.ndarray, bel: np.ndarray) -> list[np.ndarray]:
    """``bounds[b][v]``: the best product of beliefs over walks of at most ``b`` relevant edges from
    ``v`` to ``t`` (0 where there is none), for ``b = 0..k``.

    An exact bound over walks, so never below the score of a simple path's completion: with it the
    best-first search follows the best paths nearly straight.
    """
    starts = _group_starts(ru)
    heads = ru[starts]
    best = np.zeros(n, dtype=np.float64)
    best[t] = 1.0
    bounds = [best]
    for _ in range(k):
        reach = np.maximum.reduceat(bel * best[rv], starts)
        best = best.copy()
        best[heads] = np.maximum(best[heads], reach)
        bounds.append(best)
    return bounds


#: above this many relevant out-edges, a popped node's extensions are scored with numpy.
_WIDE = 48


def _unsigned_best_first(ix: SignedIndex, ru: np.ndarray, rv: np.ndarray, re: np.ndarray, s: int, t: int,
                         k: int, wanted: frozenset[int], limit: int | None, deadline: float | None,
                         found: list[IndexPath]) -> None:
    """The best-first search of any sign over the relevant edges ``(ru, rv, re)`` (sorted by
    ``ru``); appends the paths to ``found``."""
    views = ix.numpy_views()
    bel = views[3][re]
    sgn = views[2][re]
    bounds = _walk_bounds(ix.n, t, k, ru, rv, bel)
    start = float(bounds[k][s])
    if start <= 0.0:
        return
    rows = {}  # node -> (vs, codes, beliefs, edge ids) as lists, for nodes popped with few edges
    mul = np.array(_MUL, dtype=np.int8)
    want = np.zeros(3, dtype=bool)
    want[list(wanted)] = True

    def extensions(node: int, code: int, score: float, nodes: tuple[int, ...], budget: int,
                   floor: float) -> list[tuple[float, int, int, float, int]]:
        a, b = np.searchsorted(ru, (node, node + 1)).tolist()
        if b - a > _WIDE:
            v = rv[a:b]
            cv = mul[code][sgn[a:b]]
            g = score * bel[a:b]
            at_t = v == t
            f = np.where(at_t, np.where(want[cv], g, 0.0), g * bounds[budget][v] if budget > 0 else 0.0)
            for x in nodes:
                f[v == x] = 0.0
            order = np.argsort(-f, kind="stable")
            order = order[f[order] >= floor]
            order = order[f[order] > 0.0]
            vv = v[order]
            return list(zip(f[order].tolist(), np.where(at_t[order], -1, vv).tolist(), vv.tolist(),
                            cv[order].tolist(), g[order].tolist(), re[a:b][order].tolist()))
        row = rows.get(node)
        if row is None:
            row = rows[node] = (rv[a:b].tolist(), sgn[a:b].tolist(), bel[a:b].tolist(), re[a:b].tolist())
        out = []
        bound = bounds[budget]
        for v, c, be, e in zip(*row):
            if v in nodes:
                continue
            cv = _MUL[code][c]
            g = score * be
            if v == t:
                if cv in wanted and g >= floor:
                    out.append((g, -1, v, cv, g, e))
                continue
            if budget <= 0:
                continue
            f = g * float(bound[v])
            if f > 0.0 and f >= floor:
                out.append((f, v, v, cv, g, e))
        out.sort(key=_first, reverse=True)
        return out

    _lazy_best_first(extensions, start, s, k, limit, deadline, found)


def _first(item: tuple) -> float:
    return item[0]


def _lazy_best_first(extensions, start: float, s: int, k: int, limit: int | None, deadline: float | None,
                     found: list[IndexPath]) -> None:
    """A* over simple paths that pushes a popped path's extensions one at a time, best first: the
    next sibling enters the heap when the previous one leaves it, so a hub's thousands of
    extensions cost one sort, not thousands of heap entries. Pops come in the same order of bound
    as with every extension pushed, so the same paths come out.

    ``extensions(node, code, score, nodes, budget, floor)`` lists ``(f, node or -1 when complete,
    next node, code, score, edge id)`` by ``f`` descending, only entries with ``0 < f`` and
    ``f >= floor``.
    """
    counter = 0
    # entry: (-f, length, counter, node, code, score, nodes, edges, siblings, index in siblings)
    heap = [(-start, 0, 0, s, 0, 1.0, (s,), (), None, 0)]
    pops = 0
    floor = 0.0
    while heap:
        if -heap[0][0] < floor:
            break
        _negf, length, _, node, code, score, nodes, edges, sibs, i = heapq.heappop(heap)
        pops += 1
        if not pops & 1023:
            _check(deadline)
        if sibs is not None and i + 1 < len(sibs):
            f, nxt, v, cv, g, e = sibs[i + 1]
            if f >= floor:
                counter += 1
                parent_nodes, parent_edges = nodes[:-1], edges[:-1]
                heapq.heappush(heap, (-f, length, counter, nxt, cv, g, parent_nodes + (v,), parent_edges + (e,),
                                      sibs, i + 1))
        if node < 0:
            found.append(IndexPath(nodes, edges, _SIGN[code], score))
            if limit is not None and len(found) == limit:
                floor = score * (1 - _REL)
            continue
        kids = extensions(node, code, score, nodes, k - length - 1, floor)
        if kids:
            f, nxt, v, cv, g, e = kids[0]
            counter += 1
            heapq.heappush(heap, (-f, length + 1, counter, nxt, cv, g, nodes + (v,), edges + (e,), kids, 0))


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

"""The search of any net sign on numpy arrays: one state per node, vectorised over hubs.

:func:`~.signed_search.find_index_paths` runs this when every sign is wanted (the signed-node
projection would prune nothing): a bounded bidirectional ball, candidate edges and the distance
relaxation as array operations on the CSR index, then a best-first search whose bound is the best
belief product of any walk to the target within the remaining steps, extending a path's
out-edges one at a time, best first (a hub's thousands of extensions cost one sort).
"""

from __future__ import annotations

import heapq

import numpy as np

from .signed_index import SignedIndex
from .signed_search import _MUL, _REL, _SIGN, IndexPath, _check

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
    bounds = _walk_bounds(ix.n, t, k, ru, rv, bel)
    # one bound per node, whatever the sign so far: the same column for every sign code
    per_code = [np.broadcast_to(b[:, None], (ix.n, 3)) for b in bounds]
    best_first_over(ru, rv, re, views[2][re], bel, s, t, k, wanted, limit, deadline, found, per_code)


def best_first_over(ru: np.ndarray, rv: np.ndarray, re: np.ndarray, sgn: np.ndarray, bel: np.ndarray, s: int,
                    t: int, k: int, wanted: frozenset[int], limit: int | None, deadline: float | None,
                    found: list[IndexPath], bound_at: list[np.ndarray]) -> None:
    """The best-first search over the relevant edges ``(ru, rv, re)`` (sorted by ``ru``; ``sgn`` and
    ``bel`` their sign codes and beliefs); appends the paths to ``found``.

    ``bound_at[b][v, c]`` bounds the belief product of a walk of at most ``b`` edges from ``v`` to
    the target that ends with a wanted net sign, given the net sign code ``c`` so far (0 where
    there is none).
    """
    start = float(bound_at[k][s, 0])  # the empty path's net sign is +1 (code 0)
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
            f = np.where(at_t, np.where(want[cv], g, 0.0), g * bound_at[budget][v, cv] if budget > 0 else 0.0)
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
        bound = bound_at[budget]
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
            f = g * float(bound[v, cv])
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



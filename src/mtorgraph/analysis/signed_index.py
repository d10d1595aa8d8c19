"""A compact signed adjacency index and bounded, target-pruned signed path search over it.

The index holds a directed graph over integer node ids as CSR arrays from the standard library's
:mod:`array` module (about 22 bytes per edge), in both directions. Every edge carries a sign code
(+1, -1 or 0) and a belief in ``(0, 1]``. The search works on the signed-node projection: a state
is ``(node, sign of the walk so far)``, so "paths of net sign -1" is one search, not a filter.

How a query avoids enumerating the neighbourhood of the source:

1. a bounded bidirectional breadth-first search over signed states, from the source forwards and
   from the target backwards, always expanding the side whose frontier has fewer edges, until the
   two depths add up to ``max_length``;
2. two short relaxations give every scanned node its exact signed distance from the source and to
   the target whenever that distance can still matter within the bound;
3. the edges that lie on some source→target walk of the wanted sign within the bound (a few
   thousand out of millions on hub-heavy graphs) form the relevant subgraph;
4. on it, a dynamic programme gives for each state and each remaining budget the best score any
   walk to the target can still reach, and a best-first (A*) search pops simple paths in order of
   score, so the top ``limit`` paths come out without enumerating the rest.

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
from array import array
from itertools import repeat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["IndexPath", "IndexSearch", "SignedIndex", "find_index_paths"]

#: sign value -> code used in states; code -> sign value.
_CODE = {1: 0, -1: 1, 0: 2}
_SIGN = (1, -1, 0)
#: product of two sign codes.
_MUL = ((0, 1, 2), (1, 0, 2), (2, 2, 2))
_INF = 1 << 30
_ZERO = (0,)  # the codes of a state in an unsigned search (shared, never changed)
_REL = 1e-9  # relative tolerance when comparing products of beliefs computed in different orders


class SignedIndex:
    """Signed, belief-weighted directed edges over nodes ``0..n-1``, as CSR arrays both ways.

    Build it with :meth:`from_arrays`. Edge ``e`` (0-based, in source order) is
    ``out_src(e) -> out_dst[e]`` with sign code ``out_sgn[e]`` and belief ``out_bel[e]``.
    """

    __slots__ = ("n", "out_ptr", "out_dst", "out_sgn", "out_bel", "in_ptr", "in_src", "in_sgn", "in_eid")

    def __init__(self, n: int, out_ptr: array, out_dst: array, out_sgn: array, out_bel: array,
                 in_ptr: array, in_src: array, in_sgn: array, in_eid: array):
        self.n = n
        self.out_ptr, self.out_dst, self.out_sgn, self.out_bel = out_ptr, out_dst, out_sgn, out_bel
        self.in_ptr, self.in_src, self.in_sgn, self.in_eid = in_ptr, in_src, in_sgn, in_eid

    @classmethod
    def from_arrays(cls, n: int, src: Sequence[int], dst: Sequence[int], sign: Sequence[int],
                    belief: Sequence[float]) -> SignedIndex:
        """Build the index from parallel sequences of edges.

        :param n: number of nodes; ids run from 0 to ``n - 1``.
        :param sign: +1, -1 or 0 per edge.
        :param belief: per edge, in ``(0, 1]``; a path's score is the product of its beliefs.
        :raises ValueError: on sequences of unequal length, an id out of range or a bad sign.

        Edges with the same ``(src, dst, sign)`` are not merged here: callers merge parallel
        same-sign edges first (they are one step of a path).
        """
        m = len(src)
        if not (len(dst) == len(sign) == len(belief) == m):
            raise ValueError("src, dst, sign and belief must have the same length")
        counts = array("q", bytes(8 * (n + 1)))
        incounts = array("q", bytes(8 * (n + 1)))
        for u, v in zip(src, dst):
            if not (0 <= u < n and 0 <= v < n):
                raise ValueError(f"edge {u}->{v}: node id out of range 0..{n - 1}")
            counts[u + 1] += 1
            incounts[v + 1] += 1
        for i in range(n):
            counts[i + 1] += counts[i]
            incounts[i + 1] += incounts[i]
        out_ptr, in_ptr = array("q", counts), array("q", incounts)
        out_dst = array("i", bytes(4 * m))
        out_sgn = array("b", bytes(m))
        out_bel = array("d", bytes(8 * m))
        order = array("q", bytes(8 * m))  # order[position] = input edge index
        fill = array("q", counts)
        for i, u in enumerate(src):
            pos = fill[u]
            fill[u] = pos + 1
            order[pos] = i
        for pos, i in enumerate(order):
            s = sign[i]
            if s not in _CODE:
                raise ValueError(f"edge {i}: sign must be +1, -1 or 0, not {s!r}")
            out_dst[pos] = dst[i]
            out_sgn[pos] = _CODE[s]
            out_bel[pos] = belief[i]
        del order
        in_src = array("i", bytes(4 * m))
        in_sgn = array("b", bytes(m))
        in_eid = array("i", bytes(4 * m))
        fill = array("q", incounts)
        for u in range(n):
            for e in range(out_ptr[u], out_ptr[u + 1]):
                v = out_dst[e]
                pos = fill[v]
                fill[v] = pos + 1
                in_src[pos] = u
                in_sgn[pos] = out_sgn[e]
                in_eid[pos] = e
        return cls(n, out_ptr, out_dst, out_sgn, out_bel, in_ptr, in_src, in_sgn, in_eid)

    @property
    def edge_count(self) -> int:
        """Number of edges."""
        return len(self.out_dst)

    def nbytes(self) -> int:
        """Bytes held by the index arrays (the search's memory per graph)."""
        return sum(a.itemsize * len(a) for a in (self.out_ptr, self.out_dst, self.out_sgn, self.out_bel,
                                                  self.in_ptr, self.in_src, self.in_sgn, self.in_eid))


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


def _bidirectional(ix: SignedIndex, s: int, t: int, k: int, signed: bool, deadline: float | None):
    """Bounded breadth-first search over signed states from ``s`` forwards and ``t`` backwards.

    Unsigned (``signed=False``), every sign code reads as 0: one state per node, for ``any`` sign.
    Returns the distance tables, the per-node minimum distances, the levels, and the candidate
    edges ``(u, v, code, e)`` seen while scanning that may still lie on an s→t walk.
    """
    out_ptr, out_dst, in_ptr, in_src = ix.out_ptr, ix.out_dst, ix.in_ptr, ix.in_src

    def out_edges(u: int):
        a, b = out_ptr[u], out_ptr[u + 1]
        return zip(out_dst[a:b], ix.out_sgn[a:b] if signed else repeat(0, b - a), range(a, b))

    def in_edges(v: int):
        a, b = in_ptr[v], in_ptr[v + 1]
        return zip(in_src[a:b], ix.in_sgn[a:b] if signed else repeat(0, b - a), ix.in_eid[a:b])

    fd: dict[int, int] = {s * 3: 0}   # state (node*3 + code) -> walks from s
    bd: dict[int, int] = {t * 3: 0}   # state -> walks to t; code = sign of the rest of the walk
    fmin: dict[int, int] = {s: 0}     # node -> its smallest distance over sign codes
    bmin: dict[int, int] = {t: 0}
    flevels: list[dict[int, list[int]]] = [{s: [0]}]
    blevels: list[dict[int, list[int]]] = [{t: [0]}]
    fscan: list[int] = []
    bscan: list[int] = []

    def expand(front, dist, mind, level, scanned, edges_of, skip_node, skip_nb, ptr, nbr):
        nxt: dict[int, list[int]] = {}
        if not signed:  # the hot loop, kept lean: one state per node, code 0
            for u in front:
                if u == skip_node:
                    continue
                scanned.append(u)
                for v in nbr[ptr[u]:ptr[u + 1]]:
                    st = v * 3
                    if st not in dist and v != skip_nb:
                        dist[st] = level
                        nxt[v] = _ZERO
                        mind[v] = level
            return nxt
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
            flevels.append(expand(ffront, fd, fmin, h + 1, fscan, out_edges, t, s, out_ptr, out_dst))
            h += 1
        else:
            blevels.append(expand(bfront, bd, bmin, g + 1, bscan, in_edges, s, t, in_ptr, in_src))
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
    return fd, bd, fmin, bmin, fcand, bcand


def _relevant(ix: SignedIndex, k: int, signed: bool, wanted: frozenset[int], search):
    """Edges on some s→t walk of a wanted sign within ``k`` edges: ``{u: [(v, code, belief, e)]}``."""
    fd, bd, fmin, bmin, fcand, bcand = search

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

    chosen: dict[int, int] = {}  # edge id -> its source node
    for cand in (fcand, bcand):
        for u, v, c, e in cand:
            du, dv = fmin.get(u), bmin.get(v)
            if du is None or dv is None or du + 1 + dv > k or e in chosen:
                continue
            if not signed or keep(u, v, c):
                chosen[e] = u
    adj: dict[int, list[tuple[int, int, float, int]]] = {}
    out_dst, out_sgn, out_bel = ix.out_dst, ix.out_sgn, ix.out_bel
    for e in sorted(chosen):
        adj.setdefault(chosen[e], []).append((out_dst[e], out_sgn[e], out_bel[e], e))
    return adj, fmin, bmin


def _bounds(adj, t: int, k: int, signed: bool, fmin: dict[int, int], bmin: dict[int, int]):
    """``best[r][node][code]``: the best score of a walk node→t with ≤ r edges and sign ``code``.

    Only the budgets a path can meet a node with are computed: ``bmin(u) <= r <= k - fmin(u)``.
    """
    best: list[dict[int, list[float]]] = [{t: [1.0, 0.0, 0.0]}]
    for r in range(1, k + 1):
        prev, cur = best[-1], {}
        for u, edges in adj.items():
            if not bmin[u] <= r <= k - fmin[u]:
                continue
            old = prev.get(u)
            row = list(old) if old is not None else [0.0, 0.0, 0.0]
            for v, c, bel, _e in edges:
                pv = prev.get(v)
                if pv is None:
                    continue
                if not signed:
                    cand = bel * pv[0]
                    if cand > row[0]:
                        row[0] = cand
                    continue
                for cv in (0, 1, 2):
                    val = pv[cv]
                    if val:
                        cand = bel * val
                        cu = _MUL[c][cv]
                        if cand > row[cu]:
                            row[cu] = cand
            cur[u] = row
        cur[t] = [1.0, 0.0, 0.0]
        best.append(cur)
    return best


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
    signed = wanted != frozenset((0, 1, 2))
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
        search = _bidirectional(index, source, target, k, signed, deadline)
        adj, fmin, bmin = _relevant(index, k, signed, wanted, search)
        relevant = sum(len(edges) for edges in adj.values())
        _check(deadline)
        if not adj:
            return IndexSearch((), False, 0)
        best = _bounds(adj, target, k, signed, fmin, bmin)
        _check(deadline)
        _best_first(adj, best, source, target, k, signed, wanted, limit, deadline, found)
    except _Deadline:
        found.sort(key=_rank)
        return IndexSearch(tuple(found[:limit] if limit is not None else found), True, relevant)
    finally:
        if collecting:
            gc.enable()
    found.sort(key=_rank)
    return IndexSearch(tuple(found[:limit] if limit is not None else found), False, relevant)


def _rank(p: IndexPath) -> tuple:
    return (-p.score, len(p.edges), p.nodes, p.edges)


def _best_first(adj, best, s: int, t: int, k: int, signed: bool, wanted: frozenset[int], limit: int | None,
                deadline: float | None, found: list[IndexPath]) -> None:
    """A* over simple paths: the bound never underestimates, so complete paths pop best first."""

    def bound(node: int, code: int, budget: int) -> float:
        row = best[budget].get(node)
        if row is None:
            return 0.0
        if not signed:
            return row[0]
        return max((row[cv] for cv in (0, 1, 2) if _MUL[code][cv] in wanted), default=0.0)

    start = bound(s, 0, k)
    if start <= 0.0:
        return
    counter = 0
    # entry: (-f, length, counter, node, code, score, nodes, edges); node -1 marks a complete path
    heap = [(-start, 0, 0, s, 0, 1.0, (s,), ())]
    pops = 0
    while heap:
        if limit is not None and len(found) >= limit and -heap[0][0] < found[limit - 1].score * (1 - _REL):
            break
        negf, length, _, node, code, score, nodes, edges = heapq.heappop(heap)
        pops += 1
        if not pops & 1023:
            _check(deadline)
        if node < 0:
            found.append(IndexPath(nodes, edges, _SIGN[code], score))
            continue
        budget = k - length - 1
        for v, c, bel, e in adj.get(node, ()):
            if v in nodes:
                continue
            cv = _MUL[code][c]
            g = score * bel
            if v == t:
                if cv in wanted:
                    counter += 1
                    heapq.heappush(heap, (-g, length + 1, counter, -1, cv, g, nodes + (v,), edges + (e,)))
                continue
            if budget <= 0:
                continue
            f = g * bound(v, cv, budget)
            if f > 0.0:
                counter += 1
                heapq.heappush(heap, (-f, length + 1, counter, v, cv, g, nodes + (v,), edges + (e,)))

"""Bounded, target-pruned signed path search over a :class:`~.signed_index.SignedIndex`.

The net sign is part of the search, not a filter of its output: "paths of net sign -1" prunes
every partial path that can no longer end with that sign.

How a query avoids enumerating the neighbourhood of the source (:mod:`.unsigned_search`):

1. a bounded bidirectional breadth-first search, from the source forwards and from the target
   backwards, always expanding the side whose frontier has fewer edges, until the two depths add
   up to ``max_length``;
2. a short relaxation gives every scanned node its exact distance from the source and to the
   target whenever that distance can still matter within the bound;
3. the edges that lie on some source→target walk within the bound (a few thousand out of
   millions on hub-heavy graphs) form the relevant subgraph;
4. on it, a best-first (A*) search pops simple paths in order of score, bounding what a partial
   path can still reach by the exact best walk product to the target within the remaining
   budget, and pushing a path's extensions one at a time, so the top ``limit`` paths come out
   without enumerating the rest.

Steps 1–3 are whole-array numpy operations on the index's CSR arrays (hubs of tens of thousands
of edges make Python loops the bulk of a query). They ignore signs: for any sign the bound is
per node (:mod:`.unsigned_search`); for one or two signs it is per signed state ``(node, sign of
the rest of the walk)`` and prunes every path that can no longer end with a wanted net sign
(:mod:`.signed_numpy`).

>>> index = SignedIndex.from_arrays(4, [0, 1, 0, 2], [1, 3, 2, 3], [1, -1, -1, -1], [0.9, 0.8, 0.5, 0.5])
>>> found = find_index_paths(index, 0, 3, max_length=3)
>>> [(p.sign, round(p.score, 2), p.nodes) for p in found.paths]
[(-1, 0.72, (0, 1, 3)), (1, 0.25, (0, 2, 3))]
>>> [p.nodes for p in find_index_paths(index, 0, 3, signs=(1,)).paths]
[(0, 2, 3)]
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable
from dataclasses import dataclass


from .signed_index import SIGN_CODES, SignedIndex

__all__ = ["IndexPath", "IndexSearch", "find_index_paths"]

_CODE = SIGN_CODES
_SIGN = (1, -1, 0)
#: product of two sign codes.
_MUL = ((0, 1, 2), (1, 0, 2), (2, 2, 2))
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
    """The outcome of a search: paths best first, and whether the time budget cut it short.

    ``relevant_edges`` counts the edges the search looked at: those on some source→target walk of
    at most ``max_length`` edges (leaving the source only at its start, meeting the target only at
    its end), whatever the walk's net sign, so searches of one sign and of any sign report the same
    number for the same pair and bound.
    """

    paths: tuple[IndexPath, ...]
    truncated: bool
    relevant_edges: int


class _Deadline(Exception):
    pass


def _check(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise _Deadline


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
    # Any sign wanted: signed states would prune nothing, so the bounds are one per node.
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
        from .unsigned_search import _unsigned_best_first, _unsigned_relevant

        ru, rv, re = _unsigned_relevant(index, source, target, k, deadline)
        relevant = len(ru)
        _check(deadline)
        if relevant:
            if unsigned:
                _unsigned_best_first(index, ru, rv, re, source, target, k, wanted, limit, deadline, found)
            else:
                from .signed_numpy import signed_best_first

                signed_best_first(index, ru, rv, re, source, target, k, wanted, limit, deadline, found)
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

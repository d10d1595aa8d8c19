"""The search of one or two net signs on numpy arrays: signed states only in the bounds.

:func:`~.signed_search.find_index_paths` runs this when not every sign is wanted (``paths
--sign``, the two sides of ``conflicts A B``). The relevant edges are those of the search of any
sign (:func:`~.unsigned_search._unsigned_relevant`: every edge on a source→target walk within the
bound, a superset of those on a walk of a wanted sign); the sign enters through the bounds:
``best[b][v, c]`` is the best belief product of a walk of at most ``b`` relevant edges from ``v``
to the target whose sign has code ``c``, computed for the three codes at once with one sort and
one ``maximum.reduceat`` per step. A path that reached ``v`` with code ``cv`` can complete only
through a walk whose code ``cr`` makes ``cv · cr`` a wanted sign, so its bound is the best of
those; 0 prunes it. The best-first search is the one of any sign
(:func:`~.unsigned_search.best_first_over`), given these bounds: the same admissible bound order,
so the same paths.
"""

from __future__ import annotations

import numpy as np

from .signed_index import SignedIndex
from .signed_search import _MUL, IndexPath
from .unsigned_search import best_first_over

_MUL_NP = np.array(_MUL, dtype=np.int64)


def _signed_walk_bounds(n: int, t: int, k: int, ru: np.ndarray, rv: np.ndarray, sgn: np.ndarray,
                        bel: np.ndarray) -> list[np.ndarray]:
    """``bounds[b]`` of shape ``(n, 3)``: ``bounds[b][v, c]`` is the best product of beliefs over
    walks of at most ``b`` relevant edges from ``v`` to ``t`` with net sign code ``c`` (0 where
    there is none), for ``b = 0..k``."""
    codes = sgn.astype(np.int64)
    # one entry per (edge, code of the rest of the walk): it improves state (u, code · rest)
    keys = np.concatenate([ru * 3 + _MUL_NP[codes, cr] for cr in range(3)])
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    heads = sorted_keys[starts]
    best = np.zeros(n * 3, dtype=np.float64)
    best[t * 3] = 1.0  # the empty walk: sign +1
    bounds = [best]
    for _ in range(k):
        vals = np.concatenate([bel * best[rv * 3 + cr] for cr in range(3)])
        reach = np.maximum.reduceat(vals[order], starts)
        best = best.copy()
        best[heads] = np.maximum(best[heads], reach)
        bounds.append(best)
    return [b.reshape(n, 3) for b in bounds]


def _completion_bounds(bounds: list[np.ndarray], wanted: frozenset[int]) -> list[np.ndarray]:
    """``comp[b][v, cv]``: the best completion from ``v`` for a path that reached it with code
    ``cv``: the best walk of a code ``cr`` with ``cv · cr`` wanted (0 when no code is)."""
    comp = []
    for best in bounds:
        out = np.zeros_like(best)
        for cv in range(3):
            for cr in range(3):
                if _MUL[cv][cr] in wanted:
                    np.maximum(out[:, cv], best[:, cr], out=out[:, cv])
        comp.append(out)
    return comp


def signed_best_first(ix: SignedIndex, ru: np.ndarray, rv: np.ndarray, re: np.ndarray, s: int, t: int,
                      k: int, wanted: frozenset[int], limit: int | None, deadline: float | None,
                      found: list[IndexPath]) -> None:
    """The best-first search of the ``wanted`` sign codes over the relevant edges ``(ru, rv, re)``
    (sorted by ``ru``); appends the paths to ``found``."""
    views = ix.numpy_views()
    bel = views[3][re]
    sgn = views[2][re]
    comp = _completion_bounds(_signed_walk_bounds(ix.n, t, k, ru, rv, sgn, bel), wanted)
    best_first_over(ru, rv, re, sgn, bel, s, t, k, wanted, limit, deadline, found, comp)

"""One search per source for every target at once: which targets a source reaches with paths of
both net signs within ``max_length`` steps.

The scan without a pair (``conflicts`` with no arguments, and the atlas, #14) asks, for every
source and target, whether paths of both signs exist and then ranks them. Asking the path search
pair by pair costs one bidirectional search per pair and sign. :func:`signed_reach` instead walks
forward once from a source over signed states ``(node, sign so far)``, breadth first with numpy
over the index's CSR arrays, expanding each state once, and marks every node reached by a walk of
net sign + and of net − within the bound. A simple path is a walk, so a target not marked both
ways has no conflict and needs no exact search; :func:`conflict_candidates` yields the pairs that
remain, and the exact per-pair search (:func:`.conflicts.find_conflicts`) runs only on those.
A walk may repeat an entity where a path may not, so a candidate can still turn out to have
paths of one sign only: the exact search decides.

>>> from mtorgraph.analysis.signed_index import SignedIndex
>>> ix = SignedIndex.from_arrays(4, [0, 0, 1, 2], [1, 2, 3, 3], [1, -1, 1, 1], [0.9] * 4)
>>> reach = signed_reach(ix, 0, 3)
>>> reach.positive.tolist(), reach.negative.tolist()
([False, True, False, True], [False, False, True, True])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .signed_index import SIGN_CODES, SignedIndex

__all__ = ["Reach", "conflict_candidates", "signed_reach", "two_sided_targets"]

#: product of two sign codes (0: +, 1: −, 2: unsigned)
_MUL = np.array([[0, 1, 2], [1, 0, 2], [2, 2, 2]], dtype=np.int8)


@dataclass(frozen=True)
class Reach:
    """Per node: reached from the source by a walk of net sign + (``positive``) or − (``negative``)."""

    positive: np.ndarray
    negative: np.ndarray


def _views(index: SignedIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # zero-copy numpy views of the index's arrays (cached on nothing: views are free)
    return (np.frombuffer(index.out_ptr, dtype=np.int64), np.frombuffer(index.out_dst, dtype=np.int32),
            np.frombuffer(index.out_sgn, dtype=np.int8))


def signed_reach(index: SignedIndex, source: int, max_length: int) -> Reach:
    """Which nodes ``source`` reaches by walks of each net sign within ``max_length`` steps that do
    not return to ``source`` (a simple path never does)."""
    out_ptr, out_dst, out_sgn = _views(index)
    n = index.n
    seen = np.zeros((n, 3), dtype=bool)
    nodes = np.array([source], dtype=np.int64)
    codes = np.array([SIGN_CODES[1]], dtype=np.int8)
    for _ in range(max_length):
        if not len(nodes):
            break
        starts, counts = out_ptr[nodes], out_ptr[nodes + 1] - out_ptr[nodes]
        total = int(counts.sum())
        if not total:
            break
        offsets = np.cumsum(counts) - counts
        edges = np.repeat(starts - offsets, counts) + np.arange(total)
        to = out_dst[edges].astype(np.int64)
        code = _MUL[np.repeat(codes, counts), out_sgn[edges]]
        keep = to != source
        to, code = to[keep], code[keep]
        fresh = ~seen[to, code]
        to, code = to[fresh], code[fresh]
        state = np.unique(to * 3 + code)  # each new state once
        nodes, codes = state // 3, (state % 3).astype(np.int8)
        seen[nodes, codes] = True
    return Reach(seen[:, SIGN_CODES[1]].copy(), seen[:, SIGN_CODES[-1]].copy())


def two_sided_targets(index: SignedIndex, source: int, targets: np.ndarray, max_length: int) -> list[int]:
    """The ``targets`` (in their order, ``source`` left out) that walks of both net signs reach from
    ``source`` within ``max_length`` steps: the only ones that can hold a path conflict."""
    reach = signed_reach(index, source, max_length)
    both = reach.positive[targets] & reach.negative[targets]
    return [t for t in targets[both].tolist() if t != source]


def conflict_candidates(index: SignedIndex, sources: Iterable[int], targets: Iterable[int],
                        max_length: int) -> Iterator[tuple[int, int]]:
    """``(source, target)`` pairs, sources in the given order and each source's targets in the given
    order, where walks of both net signs lead from source to target within ``max_length`` steps."""
    wanted = np.fromiter(targets, dtype=np.int64)
    for s in sources:
        for t in two_sided_targets(index, s, wanted, max_length):
            yield s, t

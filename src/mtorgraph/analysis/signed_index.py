"""A compact signed adjacency index: CSR arrays from the standard library's :mod:`array` module.

The index holds a directed graph over integer node ids in both directions (about 24 bytes per
edge). Every edge carries a sign code (+1, -1 or 0) and a belief in ``(0, 1]``. It is built once
per graph, from plain sequences, so the same search code serves the curated graph and
million-edge synthetic benchmarks; :mod:`.signed_search` runs path queries on it.

>>> index = SignedIndex.from_arrays(3, [1, 0], [2, 1], [-1, 1], [0.5, 0.9])
>>> index.edge_count, list(index.out_dst), list(index.out_sgn)
(2, [1, 2], [0, 1])
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

__all__ = ["SIGN_CODES", "SignedIndex"]

#: sign value -> the code stored in the index (and used in search states).
SIGN_CODES = {1: 0, -1: 1, 0: 2}


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
            if s not in SIGN_CODES:
                raise ValueError(f"edge {i}: sign must be +1, -1 or 0, not {s!r}")
            out_dst[pos] = dst[i]
            out_sgn[pos] = SIGN_CODES[s]
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

"""A compact signed adjacency index: CSR arrays from the standard library's :mod:`array` module,
built with numpy (a sort and a count, no Python loop per edge).

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

import numpy as np

__all__ = ["SIGN_CODES", "SignedIndex"]

_NUMPY_TYPE = {"q": np.int64, "i": np.int32, "b": np.int8, "d": np.float64}


def _plain(values: np.ndarray, typecode: str) -> array:
    out = array(typecode)
    out.frombytes(np.ascontiguousarray(values, dtype=_NUMPY_TYPE[typecode]).tobytes())
    return out

#: sign value -> the code stored in the index (and used in search states).
SIGN_CODES = {1: 0, -1: 1, 0: 2}


class SignedIndex:
    """Signed, belief-weighted directed edges over nodes ``0..n-1``, as CSR arrays both ways.

    Build it with :meth:`from_arrays`. Edge ``e`` (0-based, in source order) is
    ``out_src(e) -> out_dst[e]`` with sign code ``out_sgn[e]`` and belief ``out_bel[e]``.
    """

    __slots__ = ("n", "out_ptr", "out_dst", "out_sgn", "out_bel", "in_ptr", "in_src", "in_sgn", "in_eid", "_views")

    def __init__(self, n: int, out_ptr: array, out_dst: array, out_sgn: array, out_bel: array,
                 in_ptr: array, in_src: array, in_sgn: array, in_eid: array):
        self.n = n
        self.out_ptr, self.out_dst, self.out_sgn, self.out_bel = out_ptr, out_dst, out_sgn, out_bel
        self.in_ptr, self.in_src, self.in_sgn, self.in_eid = in_ptr, in_src, in_sgn, in_eid
        self._views = None

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
        signs = np.asarray(sign)
        codes = np.full(m, -1, dtype=np.int8)
        for value, code in SIGN_CODES.items():
            codes[signs == value] = code
        bad = np.flatnonzero(codes < 0)
        if len(bad):
            raise ValueError(f"edge {bad[0]}: sign must be +1, -1 or 0, not {sign[int(bad[0])]!r}")
        return cls.from_numpy(n, np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64), codes,
                              np.asarray(belief, dtype=np.float64))

    @classmethod
    def from_numpy(cls, n: int, src: np.ndarray, dst: np.ndarray, codes: np.ndarray,
                   belief: np.ndarray) -> SignedIndex:
        """Build the index from numpy arrays: ``codes`` are sign codes (:data:`SIGN_CODES` values).

        Edge ids follow ``src`` order, stable: with ``src`` sorted, edge ``i`` is input row ``i``.
        The arrays the search reads per element are :mod:`array` arrays (a numpy scalar read costs
        several times a plain one).
        """
        m = len(src)
        src = src.astype(np.int64, copy=False)
        dst = dst.astype(np.int64, copy=False)
        outside = np.flatnonzero((src < 0) | (src >= n) | (dst < 0) | (dst >= n))
        if len(outside):
            i = int(outside[0])
            raise ValueError(f"edge {src[i]}->{dst[i]}: node id out of range 0..{n - 1}")
        order = np.argsort(src, kind="stable")
        out_src = src[order]
        out_dst = dst[order]
        in_order = np.argsort(out_dst, kind="stable")  # by target, then edge id
        out_ptr = np.zeros(n + 1, dtype=np.int64)
        in_ptr = np.zeros(n + 1, dtype=np.int64)
        if m:
            np.cumsum(np.bincount(src, minlength=n), out=out_ptr[1:])
            np.cumsum(np.bincount(dst, minlength=n), out=in_ptr[1:])
        out_sgn = codes[order].astype(np.int8)
        return cls(n, _plain(out_ptr, "q"), _plain(out_dst, "i"), _plain(out_sgn, "b"),
                   _plain(belief[order], "d"), _plain(in_ptr, "q"), _plain(out_src[in_order], "i"),
                   _plain(out_sgn[in_order], "b"), _plain(in_order, "i"))

    def numpy_views(self) -> tuple[np.ndarray, ...]:
        """The eight arrays as numpy views (no copy), in slot order from ``out_ptr`` to ``in_eid``.

        Made on first use and kept; the views share memory with the arrays, which therefore must
        not be resized afterwards (an index is never changed once built).
        """
        if self._views is None:
            self._views = tuple(np.frombuffer(a, dtype=_NUMPY_TYPE[a.typecode]) if len(a)
                                else np.zeros(0, dtype=_NUMPY_TYPE[a.typecode])
                                for a in (self.out_ptr, self.out_dst, self.out_sgn, self.out_bel,
                                          self.in_ptr, self.in_src, self.in_sgn, self.in_eid))
        return self._views

    @property
    def edge_count(self) -> int:
        """Number of edges."""
        return len(self.out_dst)

    def nbytes(self) -> int:
        """Bytes held by the index arrays (the search's memory per graph)."""
        return sum(a.itemsize * len(a) for a in (self.out_ptr, self.out_dst, self.out_sgn, self.out_bel,
                                                  self.in_ptr, self.in_src, self.in_sgn, self.in_eid))

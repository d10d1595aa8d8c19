"""Per-graph lookups that analysis code needs many times: the edges between two entities, and a
small per-process cache of anything derived from a graph.

Graphs are immutable, so what is derived from one stays valid while it lives. The cache is keyed by
the graph's identity (never by hashing it: hashing a model graph walks every edge) and holds a weak
reference, so an entry goes when its graph goes.

>>> from mtorgraph.model import *
>>> ev = (Evidence(reference="r", kind="rct", finding="f"),)
>>> g = MechanismGraph(
...     entities=(Entity(key="a", id="GO:1", label="a", name="a", kind="process"),
...               Entity(key="b", id="GO:2", label="b", name="b", kind="process")),
...     references=(Reference(key="r", title="t", doi="10.1000/x", verified="yes"),),
...     edges=(Edge(subject="a", predicate="increases", object="b", evidence=ev),
...            Edge(subject="a", predicate="no_effect_on", object="b", evidence=ev)))
>>> [e.predicate for e in edges_between(g, "a", "b")], edges_between(g, "b", "a")
(['increases', 'no_effect_on'], [])
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np

__all__ = ["derived", "edges_between", "forget_derived", "pair_keys", "pair_rows"]

T = TypeVar("T")

#: id(graph) -> (weak reference to the graph, {what: value})
_DERIVED: dict[int, tuple[weakref.ref, dict[Hashable, Any]]] = {}


def derived(graph: Any, what: Hashable, make: Callable[[], T]) -> T:
    """``make()`` computed once per live ``graph`` and ``what`` (a hashable description)."""
    key = id(graph)
    entry = _DERIVED.get(key)
    if entry is None or entry[0]() is not graph:
        ref = weakref.ref(graph, lambda _ref, key=key: _forget(key, _ref))
        entry = _DERIVED[key] = (ref, {})
    values = entry[1]
    if what not in values:
        values[what] = make()
    return values[what]


def _forget(key: int, ref: weakref.ref) -> None:
    if _DERIVED is None:  # interpreter shutdown
        return
    entry = _DERIVED.get(key)
    if entry is not None and entry[0] is ref:
        del _DERIVED[key]


def forget_derived(graph: Any | None = None) -> None:
    """Drop what was derived from ``graph`` (or from every graph)."""
    if graph is None:
        _DERIVED.clear()
    else:
        _DERIVED.pop(id(graph), None)


def _is_columnar(graph: Any) -> bool:
    return hasattr(graph, "tables") and hasattr(graph, "edge_rows_from")


def edges_between(graph: Any, subject: str, object: str) -> list:
    """Every edge from ``subject`` to ``object``, in the graph's order (constant time per call after
    one pass over the graph builds the pair index)."""
    if _is_columnar(graph):
        return [graph.edge_at(int(r)) for r in pair_rows(graph, subject, object)]
    pairs = derived(graph, "pairs", lambda: _model_pairs(graph))
    return list(pairs.get((subject, object), ()))


def _model_pairs(graph: Any) -> dict[tuple[str, str], list]:
    out: dict[tuple[str, str], list] = defaultdict(list)
    for edge in graph.edges:
        out[(edge.subject, edge.object)].append(edge)
    return dict(out)


def pair_keys(graph: Any) -> tuple[np.ndarray, np.ndarray]:
    """For a ``ColumnarGraph``: every edge's pair as ``subject * n + object`` (``int64``) and the
    edge rows sorted by that key (stable, so one pair's rows keep row order)."""
    def make() -> tuple[np.ndarray, np.ndarray]:
        n = max(graph.tables["entities"].num_rows, 1)
        key = graph.array("edges", "subject").astype(np.int64) * n + graph.array("edges", "object")
        order = np.argsort(key, kind="stable")
        return key, order
    return derived(graph, "pair_keys", make)


def pair_rows(graph: Any, subject: str, object: str) -> np.ndarray:
    """For a ``ColumnarGraph``: the rows of the edges from ``subject`` to ``object``, in row order."""
    try:
        s, o = graph.entity_row(subject), graph.entity_row(object)
    except KeyError:
        return np.empty(0, dtype=np.int64)
    key, order = pair_keys(graph)
    wanted = s * max(graph.tables["entities"].num_rows, 1) + o
    sorted_keys = derived(graph, "pair_keys_sorted", lambda: key[order])
    lo, hi = np.searchsorted(sorted_keys, wanted, "left"), np.searchsorted(sorted_keys, wanted, "right")
    return order[lo:hi]

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
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np

__all__ = ["DERIVED_VERSION", "derived", "edges_between", "forget_derived", "pair_keys", "pair_rows", "stored"]

T = TypeVar("T")

#: id(graph) -> (weak reference to the graph, {what: value}), least recently used first
_DERIVED: OrderedDict[int, tuple[weakref.ref, dict[Hashable, Any]]] = OrderedDict()
#: Graphs whose derived values are kept. A value may hold its graph (an index holds the graph it
#: reads steps from), which keeps the graph alive until its entry is evicted: the bound keeps that
#: finite.
MAX_GRAPHS = 8


def derived(graph: Any, what: Hashable, make: Callable[[], T]) -> T:
    """``make()`` computed once per live ``graph`` and ``what`` (a hashable description), for the
    :data:`MAX_GRAPHS` graphs used most recently."""
    key = id(graph)
    entry = _DERIVED.get(key)
    if entry is None or entry[0]() is not graph:
        ref = weakref.ref(graph, lambda _ref, key=key: _forget(key, _ref))
        entry = _DERIVED[key] = (ref, {})
        while len(_DERIVED) > MAX_GRAPHS:
            _DERIVED.popitem(last=False)
    else:
        _DERIVED.move_to_end(key)
    values = entry[1]
    if what not in values:
        values[what] = make()
    return values[what]


#: The version of the code that derives stored arrays: part of every stored name, so a change to
#: how beliefs, steps or the index are computed never reads values an older version stored.
DERIVED_VERSION = 1


def stored(graph: Any, name: str, make: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Arrays derived from ``graph``, made once per process (as :func:`derived`) and, when the graph
    carries a ``derived_store`` (a reader that keeps a cache attaches one), read from and written to
    that store, so a later process maps them instead of computing them.

    ``name`` names the value and the options it was made with (letters, digits, ``._-``);
    ``make()`` returns named numpy arrays (no object arrays). Arrays read from a store are
    read-only and memory-mapped: callers must not write to them. A graph without a store (built in
    memory, or with the cache off) behaves as with :func:`derived` alone.
    """
    def load() -> dict[str, np.ndarray]:
        store = getattr(graph, "derived_store", None)
        full = f"{name}.v{DERIVED_VERSION}"
        if store is not None:
            hit = store.get(full)
            if hit is not None:
                return hit
        arrays = make()
        if store is not None:
            store.put(full, arrays)
        return arrays
    return derived(graph, ("stored", name), load)


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
    found = _pair_arrays(graph)
    return found["key"], found["order"]


def _pair_arrays(graph: Any) -> dict[str, np.ndarray]:
    """``key`` and ``order`` of :func:`pair_keys`, and ``sorted`` (``key[order]``)."""
    def make() -> dict[str, np.ndarray]:
        n = max(graph.tables["entities"].num_rows, 1)
        key = graph.array("edges", "subject").astype(np.int64) * n + graph.array("edges", "object")
        order = np.argsort(key, kind="stable")
        return {"key": key, "order": order, "sorted": key[order]}
    return stored(graph, "pair_keys", make)


def pair_rows(graph: Any, subject: str, object: str) -> np.ndarray:
    """For a ``ColumnarGraph``: the rows of the edges from ``subject`` to ``object``, in row order."""
    try:
        s, o = graph.entity_row(subject), graph.entity_row(object)
    except KeyError:
        return np.empty(0, dtype=np.int64)
    found = _pair_arrays(graph)
    order, sorted_keys = found["order"], found["sorted"]
    wanted = s * max(graph.tables["entities"].num_rows, 1) + o
    lo, hi = np.searchsorted(sorted_keys, wanted, "left"), np.searchsorted(sorted_keys, wanted, "right")
    return order[lo:hi]


def edges_at(graph: Any, rows: Any) -> dict[int, Any]:
    """Edge rows of a ``ColumnarGraph`` as model objects by row, built in one pass over the columns
    (:meth:`~mtorgraph.columnar.graph.ColumnarGraph.edges_at`)."""
    unique = np.unique(np.asarray(rows, dtype=np.int64))
    return dict(zip(unique.tolist(), graph.edges_at(unique)))


def pair_edges(graph: Any, rows: Any) -> tuple[dict[int, Any], dict[int, list[Any]]]:
    """For edge rows of a ``ColumnarGraph``: every edge sharing a pair with one of them, built in one
    batch, and per given row the edges of its pair in row order (what ``explain_belief`` takes as
    ``beside``)."""
    rows = np.asarray(rows, dtype=np.int64)
    found = _pair_arrays(graph)
    key, order, sorted_keys = found["key"], found["order"], found["sorted"]
    lo = np.searchsorted(sorted_keys, key[rows], "left")
    hi = np.searchsorted(sorted_keys, key[rows], "right")
    counts = hi - lo
    members = order[np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))]
    built = edges_at(graph, np.concatenate([rows, members]))
    beside = {}
    for r, a, b in zip(rows.tolist(), lo.tolist(), hi.tolist()):
        beside[r] = [built[int(x)] for x in order[a:b]]
    return built, beside

"""Which edges a report section needs, found on the columns of a large graph so that only those
edges become model objects (a report of a 1M-edge graph cites a few thousand of them).

Each function takes a ``MechanismGraph`` too, and then walks its edges as before; the answers are
the same either way (``tests/test_report_scale.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["cited_reference_count", "edges_with_anchor", "edges_with_evidence", "hypothesis_edges"]

_OWNER_EDGE = 0  # evidence.owner of an edge's item (columnar.schema.OWNER_EDGE)


def _columnar(graph: Any) -> bool:
    return hasattr(graph, "tables") and hasattr(graph, "edges_at")


def cited_reference_count(graph: Any) -> int:
    """How many distinct references the edges' evidence cites."""
    if not _columnar(graph):
        return len({ev.reference for e in graph.edges for ev in e.evidence})
    on_edge = graph.array("evidence", "owner") == _OWNER_EDGE
    return len(np.unique(graph.array("evidence", "reference")[on_edge]))


def edges_with_evidence(graph: Any, species: str, kinds: Iterable[str]) -> Iterator[Any]:
    """The edges, in row order, holding an item of ``species`` and one of ``kinds`` (on a model
    graph: every edge; the caller picks the items)."""
    if not _columnar(graph):
        yield from graph.edges
        return
    evidence = graph.tables["evidence"]
    match = pc.and_(pc.equal(evidence.column("species").cast(pa.string()), species),
                    pc.is_in(evidence.column("kind").cast(pa.string()), pa.array(list(kinds), pa.string())))
    match = pc.and_(match, pc.equal(evidence.column("owner"), _OWNER_EDGE))
    rows = np.unique(graph.array("evidence", "row")[pc.fill_null(match, False).to_numpy(zero_copy_only=False)])
    yield from graph.edges_at(rows.tolist())


def edges_with_anchor(graph: Any, beliefs: np.ndarray, anchors: set[str]) -> list[tuple[Any, float]]:
    """The edges whose report anchor (``edge-SUBJECT-PREDICATE-OBJECT``, as
    :func:`.report.edge_anchor` makes it) is in ``anchors``, in row order, each with its belief
    (``beliefs`` by edge row)."""
    if not _columnar(graph):
        return [(e, float(b)) for e, b in zip(graph.edges, beliefs) if "edge-" + "-".join(e.key) in anchors]
    keys = graph.tables["entities"].column("key")
    edges = graph.tables["edges"]
    text = pc.binary_join_element_wise("edge", keys.take(edges.column("subject")),
                                       edges.column("predicate").cast(pa.string()),
                                       keys.take(edges.column("object")), "-")
    hit = pc.is_in(text, pa.array(sorted(anchors), pa.string())).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(hit)
    return list(zip(graph.edges_at(rows.tolist()), (float(b) for b in np.asarray(beliefs)[rows])))


def hypothesis_edges(graph: Any) -> Iterable[Any]:
    """The edges, in row order, whose evidence is all ``hypothesis`` (an edge without evidence
    counts, as :attr:`~mtorgraph.model.Edge.is_hypothesis` says); on a model graph every edge (the
    caller keeps those that are)."""
    if not _columnar(graph):
        return graph.edges
    evidence = graph.tables["evidence"]
    tested = pc.and_(pc.equal(evidence.column("owner"), _OWNER_EDGE),
                     pc.not_equal(evidence.column("kind").cast(pa.string()), "hypothesis"))
    tested = pc.fill_null(tested, True).to_numpy(zero_copy_only=False)
    counts = np.bincount(graph.array("evidence", "row")[tested], minlength=graph.edge_count)
    return graph.edges_at(np.flatnonzero(counts[:graph.edge_count] == 0).tolist())

"""Counts that describe a graph, for ``mtorgraph info``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import MechanismGraph

__all__ = ["summarize"]


def summarize(graph: MechanismGraph) -> dict[str, Any]:
    """Counts of entities, edges, evidence, references, claims, structural links and questions, and
    breakdowns of each.

    The four top-level totals (``entities``, ``edges``, ``evidence``, ``references``) are integers.
    A :class:`~mtorgraph.columnar.ColumnarGraph` is counted from its columns (same result).
    """
    if hasattr(graph, "tables"):
        return _summarize_columns(graph)
    evidence = [ev for edge in graph.edges for ev in edge.evidence]
    cited = {ev.reference for ev in evidence}
    return {
        "entities": len(graph.entities),
        "edges": len(graph.edges),
        "evidence": len(evidence),
        "references": len(graph.references),
        "claims": len(graph.claims),
        "hypotheses": sum(edge.is_hypothesis for edge in graph.edges),
        "links": len(graph.links),
        "open_questions": len(graph.open_questions),
        "questions": len(graph.questions),
        "links_by_relation": dict(sorted(Counter(link.relation for link in graph.links).items())),
        "evidence_by_basis": dict(sorted(Counter(ev.basis for ev in evidence).items())),
        "entities_by_kind": dict(sorted(Counter(e.kind for e in graph.entities).items())),
        "entities_by_id_status": dict(sorted(Counter(e.id_status for e in graph.entities).items())),
        "edges_by_predicate": dict(sorted(Counter(e.predicate for e in graph.edges).items())),
        "evidence_by_kind": dict(sorted(Counter(ev.kind for ev in evidence).items())),
        "evidence_by_species": dict(sorted(Counter(ev.context.species or "unstated" for ev in evidence).items())),
        "references_by_verification": dict(sorted(Counter(r.verified for r in graph.references).items())),
        "references_cited": len(cited),
        "claims_by_verdict": dict(sorted(Counter(c.verdict for c in graph.claims).items())),
    }


def _counts(values: Any, missing: str | None = None) -> dict[str, int]:
    """``{word: count}`` of an Arrow column, sorted by word (nulls as ``missing``, or left out)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    if pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    if missing is not None:
        values = pc.fill_null(values, missing)
    out: dict[str, int] = {}
    for item in pc.value_counts(values).to_pylist():
        if item["values"] is not None:
            out[item["values"]] = item["counts"]
    return dict(sorted(out.items()))


def _summarize_columns(graph: Any) -> dict[str, Any]:
    import numpy as np
    import pyarrow.compute as pc

    from ..columnar.schema import OWNER_EDGE

    tables = graph.tables
    evidence = tables["evidence"]
    on_edges = evidence.filter(pc.equal(evidence.column("owner"), OWNER_EDGE))
    rows = on_edges.column("row").to_numpy()
    hypothesis = pc.fill_null(pc.equal(on_edges.column("kind").cast("string"), "hypothesis"), False).to_numpy()
    total = np.bincount(rows, minlength=graph.edge_count)
    hypotheses = np.bincount(rows, weights=hypothesis, minlength=graph.edge_count)
    return {
        "entities": tables["entities"].num_rows,
        "edges": graph.edge_count,
        "evidence": on_edges.num_rows,
        "references": tables["references"].num_rows,
        "claims": len(graph.claims),
        "hypotheses": int(np.count_nonzero((total > 0) & (hypotheses == total)) + np.count_nonzero(total == 0)),
        "links": graph.link_count,
        "open_questions": len(graph.open_questions),
        "questions": len(graph.questions),
        "links_by_relation": _counts(tables["links"].column("relation")),
        "evidence_by_basis": _counts(on_edges.column("basis")),
        "entities_by_kind": _counts(tables["entities"].column("kind")),
        "entities_by_id_status": _counts(tables["entities"].column("id_status")),
        "edges_by_predicate": _counts(tables["edges"].column("predicate")),
        "evidence_by_kind": _counts(on_edges.column("kind")),
        "evidence_by_species": _counts(on_edges.column("species"), "unstated"),
        "references_by_verification": _counts(tables["references"].column("verified")),
        "references_cited": len(np.unique(on_edges.column("reference").to_numpy())),
        "claims_by_verdict": dict(sorted(Counter(c.verdict for c in graph.claims).items())),
    }

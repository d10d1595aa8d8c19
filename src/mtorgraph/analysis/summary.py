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


def _counts(column: Any, mask: Any = None, missing: str | None = None) -> dict[str, int]:
    """``{word: count}`` of a dictionary-encoded column (rows where ``mask`` holds), sorted by word;
    nulls are counted as ``missing``, or left out. Counts the codes, never building the words."""
    import numpy as np

    out: Counter[str] = Counter()
    start = 0
    for chunk in column.chunks:
        valid = chunk.is_valid().to_numpy(zero_copy_only=False)
        chosen = valid if mask is None else valid & mask[start:start + len(chunk)]
        indices = chunk.indices.to_numpy(zero_copy_only=False)[chosen]
        words = chunk.dictionary.to_pylist()
        for word, n in zip(words, np.bincount(indices.astype(np.int64), minlength=len(words)).tolist()):
            if n:
                out[word] += n
        if missing is not None:
            unstated = ~valid if mask is None else ~valid & mask[start:start + len(chunk)]
            if unstated.any():
                out[missing] += int(unstated.sum())
        start += len(chunk)
    return dict(sorted(out.items()))


def _summarize_columns(graph: Any) -> dict[str, Any]:
    import numpy as np

    from ..columnar.schema import OWNER_EDGE

    tables = graph.tables
    evidence = tables["evidence"]
    on_edges = graph.array("evidence", "owner") == OWNER_EDGE
    rows = graph.array("evidence", "row")[on_edges]
    hypothesis = np.zeros(evidence.num_rows, dtype=bool)
    start = 0
    for chunk in evidence.column("kind").chunks:
        words = chunk.dictionary.to_pylist()
        if "hypothesis" in words:
            indices = chunk.indices.to_numpy(zero_copy_only=False)
            hypothesis[start:start + len(chunk)] = (indices == words.index("hypothesis")) & \
                chunk.is_valid().to_numpy(zero_copy_only=False)
        start += len(chunk)
    total = np.bincount(rows, minlength=graph.edge_count)
    hypotheses = np.bincount(rows, weights=hypothesis[on_edges], minlength=graph.edge_count)
    cited = np.bincount(graph.array("evidence", "reference")[on_edges], minlength=tables["references"].num_rows)
    return {
        "entities": tables["entities"].num_rows,
        "edges": graph.edge_count,
        "evidence": int(on_edges.sum()),
        "references": tables["references"].num_rows,
        "claims": len(graph.claims),
        "hypotheses": int(np.count_nonzero(hypotheses == total)),
        "links": graph.link_count,
        "open_questions": len(graph.open_questions),
        "questions": len(graph.questions),
        "links_by_relation": _counts(tables["links"].column("relation")),
        "evidence_by_basis": _counts(evidence.column("basis"), on_edges),
        "entities_by_kind": _counts(tables["entities"].column("kind")),
        "entities_by_id_status": _counts(tables["entities"].column("id_status")),
        "edges_by_predicate": _counts(tables["edges"].column("predicate")),
        "evidence_by_kind": _counts(evidence.column("kind"), on_edges),
        "evidence_by_species": _counts(evidence.column("species"), on_edges, "unstated"),
        "references_by_verification": _counts(tables["references"].column("verified")),
        "references_cited": int(np.count_nonzero(cited)),
        "claims_by_verdict": dict(sorted(Counter(c.verdict for c in graph.claims).items())),
    }

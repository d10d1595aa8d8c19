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
    """
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

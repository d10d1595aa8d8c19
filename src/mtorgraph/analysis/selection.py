"""Select edges by subject, object, predicate, evidence kind or species."""

from __future__ import annotations

from ..model import Edge, MechanismGraph

__all__ = ["select_edges"]


def select_edges(graph: MechanismGraph, *, subject: str | None = None, object: str | None = None,
                 predicate: str | None = None, evidence_kind: str | None = None,
                 species: str | None = None) -> list[Edge]:
    """Edges matching every filter given; entity names resolve by key, CURIE, label or synonym.

    :raises UnknownEntityError: if ``subject`` or ``object`` names no entity.
    """
    s = graph.resolve(subject).key if subject else None
    o = graph.resolve(object).key if object else None
    chosen = []
    for edge in graph.edges:
        if s and edge.subject != s or o and edge.object != o or predicate and edge.predicate != predicate:
            continue
        if evidence_kind and not any(ev.kind == evidence_kind for ev in edge.evidence):
            continue
        if species and not any(ev.context.species == species for ev in edge.evidence):
            continue
        chosen.append(edge)
    return chosen

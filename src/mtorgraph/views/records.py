"""Plain, JSON-ready records of entities, references, evidence and edges.

Every view (text, JSON, HTML, report) builds on these so that they show the same facts the same
way. Keys are stable: the JSON output of the CLI is a contract.
"""

from __future__ import annotations

from typing import Any

from ..analysis.scoring import edge_belief
from ..model import Edge, Entity, Evidence, MechanismGraph, Reference

__all__ = ["edge_record", "entity_record", "evidence_record", "reference_record"]


def entity_record(entity: Entity) -> dict[str, Any]:
    """An entity as a dict: key, id, label, name, kind, id_status, synonyms, xrefs, note."""
    return {
        "key": entity.key,
        "id": entity.id,
        "label": entity.label,
        "name": entity.name,
        "kind": entity.kind,
        "id_status": entity.id_status,
        "synonyms": list(entity.synonyms),
        "xrefs": list(entity.xrefs),
        "note": entity.note,
    }


def reference_record(reference: Reference) -> dict[str, Any]:
    """A reference as a dict, with its short citation and resolvable links."""
    record = reference.model_dump(mode="json")
    record["seen_at"] = list(reference.seen_at)
    record["citation"] = reference.short
    record["links"] = reference.links
    return record


def evidence_record(graph: MechanismGraph, evidence: Evidence) -> dict[str, Any]:
    """One evidence item with its reference's citation, links and verification status."""
    ref = graph.reference(evidence.reference)
    return {
        "reference": evidence.reference,
        "citation": ref.short,
        "links": ref.links,
        "verified": ref.verified,
        "kind": evidence.kind,
        "direction": evidence.direction,
        "context": dict(evidence.context.items()) | ({"n": evidence.context.n} if evidence.context.n else {}),
        "finding": evidence.finding,
        "effect": evidence.effect,
        "p_value": evidence.p_value,
    }


def edge_record(graph: MechanismGraph, edge: Edge, belief: float | None = None,
                evidence: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An edge with its sign, belief, hypothesis flag and every evidence item.

    :param belief: the edge's belief in ``graph`` if already known (else computed here).
    :param evidence: the records of the edge's evidence, if a view makes its own (else
        :func:`evidence_record` of each item).
    """
    return {
        "subject": edge.subject,
        "predicate": edge.predicate,
        "object": edge.object,
        "sign": edge.sign,
        "causal": edge.causal,
        "hypothesis": edge.is_hypothesis,
        "belief": round(edge_belief(graph, edge) if belief is None else belief, 4),
        "note": edge.note,
        "evidence": [evidence_record(graph, ev) for ev in edge.evidence] if evidence is None else evidence,
        # only on merged graphs: the graphs that state the edge (single graphs keep their records)
        **({"source_graph": edge.source_graph} if edge.source_graph else {}),
    }

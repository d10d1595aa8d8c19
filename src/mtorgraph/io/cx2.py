"""CX2 (Cytoscape Exchange, version 2) for Cytoscape and NDEx: nodes, edges, typed attributes.

The document is the JSON array the CX2 specification describes
(https://cytoscape.org/cx/cx2/specification/cytoscape-exchange-format-specification-(version-2)):
the descriptor ``{"CXVersion": "2.0", "hasFragments": false}``, ``metaData`` with each aspect's
element count, ``attributeDeclarations`` giving every node, edge and network attribute its data
type (``d``), ``networkAttributes``, ``nodes`` (integer ``id`` and values ``v``), ``edges``
(``id``, source ``s``, target ``t``, ``v``), and the closing ``status``. Node and edge attributes
follow Cytoscape's conventions (``name``, ``represents`` for the CURIE, ``interaction``) plus the
signed-graph ones the GraphML export has; ``references`` is a ``list_of_string`` here.
"""

from __future__ import annotations

import io
import json
from typing import Any, TextIO

from .export_rows import citation, relation_rows

__all__ = ["CX2_EDGE_ATTRIBUTES", "CX2_NODE_ATTRIBUTES", "to_cx2", "write_cx2"]

#: Node attributes and their CX2 data types.
CX2_NODE_ATTRIBUTES: dict[str, str] = {"name": "string", "represents": "string", "label": "string",
                                       "kind": "string", "id_status": "string", "key": "string"}
#: Edge attributes and their CX2 data types.
CX2_EDGE_ATTRIBUTES: dict[str, str] = {
    "interaction": "string", "predicate": "string", "relation_type": "string", "sign": "integer",
    "belief": "double", "evidence_count": "integer", "supporting": "integer", "refuting": "integer",
    "hypothesis_only": "boolean", "references": "list_of_string", "note": "string",
}
_NETWORK_ATTRIBUTES = {"name": "string", "description": "string"}


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_cx2(graph: Any, stream: TextIO, beliefs: Any = None) -> None:
    """Write ``graph`` to ``stream`` as a CX2 document (edges, then structural links, as edges).

    :param beliefs: from the caller (``analysis.beliefs.belief_columns(graph)`` or a dict by key).
    """
    entities = graph.entities
    node_id = {e.key: i for i, e in enumerate(entities)}
    n_relations = len(graph.edges) + len(graph.links)
    declarations = {"networkAttributes": {k: {"d": t} for k, t in _NETWORK_ATTRIBUTES.items()},
                    "nodes": {k: {"d": t} for k, t in CX2_NODE_ATTRIBUTES.items()},
                    "edges": {k: {"d": t} for k, t in CX2_EDGE_ATTRIBUTES.items()}}
    title = getattr(graph, "title", None) or "mtorgraph"
    network = {"name": title, "description": "Signed, evidence-tagged mechanism graph exported by mtorgraph: "
                                              "sign is +1, -1 or 0; belief is mtorgraph's belief in the edge"}
    meta = [{"name": "attributeDeclarations", "elementCount": 1}, {"name": "networkAttributes", "elementCount": 1},
            {"name": "nodes", "elementCount": len(entities)}, {"name": "edges", "elementCount": n_relations}]
    stream.write("[\n" + _dump({"CXVersion": "2.0", "hasFragments": False}) + ",\n")
    stream.write(_dump({"metaData": meta}) + ",\n")
    stream.write(_dump({"attributeDeclarations": [declarations]}) + ",\n")
    stream.write(_dump({"networkAttributes": [network]}) + ',\n{"nodes": [')
    for i, entity in enumerate(entities):
        values = {"name": entity.name, "represents": entity.id, "label": entity.label, "kind": entity.kind,
                  "id_status": entity.id_status, "key": entity.key}
        stream.write(("," if i else "") + "\n" + _dump({"id": i, "v": values}))
    stream.write('\n]},\n{"edges": [')
    cited = {r.key: citation(r) for r in graph.references}
    for n, rel in enumerate(relation_rows(graph, beliefs)):
        values: dict[str, Any] = {
            "interaction": rel.predicate, "predicate": rel.predicate, "relation_type": rel.kind, "sign": rel.sign,
            "evidence_count": rel.evidence_count, "supporting": rel.supporting, "refuting": rel.refuting,
            "hypothesis_only": rel.hypothesis_only, "references": [cited[k] for k in rel.references],
        }
        if rel.belief is not None:
            values["belief"] = rel.belief
        if rel.note:
            values["note"] = rel.note
        element = {"id": n, "s": node_id[rel.subject], "t": node_id[rel.object], "v": values}
        stream.write(("," if n else "") + "\n" + _dump(element))
    stream.write('\n]},\n{"status": [{"error": "", "success": true}]}\n]\n')


def to_cx2(graph: Any, beliefs: Any = None) -> str:
    """The CX2 text of ``graph`` (the registry's text-returning writer)."""
    out = io.StringIO()
    write_cx2(graph, out, beliefs)
    return out.getvalue()

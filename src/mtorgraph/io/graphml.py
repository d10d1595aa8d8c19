"""GraphML for drawing tools (Cytoscape, Gephi, yEd): entities as nodes, edges and links as edges.

Every attribute is declared with a ``<key>`` and its ``attr.type`` (GraphML has no list type, so
the references are one string of CURIEs joined by ``|``). Nodes are keyed by entity key; edges
carry ``predicate``, ``sign`` (+1, -1, 0), ``belief``, ``evidence_count`` (and how many items
support and refute), ``references``, ``hypothesis_only``, ``relation_type`` (``edge`` for a
mechanism edge, ``link`` for a structural one) and ``interaction`` (the predicate again, the column
Cytoscape labels edges with). Text is escaped for XML; a value XML cannot hold is refused.
"""

from __future__ import annotations

import io
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from ..errors import MtorgraphError
from .export_rows import citation, relation_rows
from .files import XML_ILLEGAL_CHARACTERS

__all__ = ["EDGE_KEYS", "NODE_KEYS", "to_graphml", "write_graphml"]

#: Node attributes: name → GraphML type.
NODE_KEYS: dict[str, str] = {"label": "string", "name": "string", "curie": "string", "kind": "string",
                             "id_status": "string"}
#: Edge attributes: name → GraphML type.
EDGE_KEYS: dict[str, str] = {
    "interaction": "string", "predicate": "string", "relation_type": "string", "sign": "int", "belief": "double",
    "evidence_count": "int", "supporting": "int", "refuting": "int", "hypothesis_only": "boolean",
    "references": "string", "note": "string",
}


def _text(value: str, what: str) -> str:
    bad = XML_ILLEGAL_CHARACTERS.search(value)
    if bad:
        raise MtorgraphError(f"{what} holds U+{ord(bad.group()):04X}, which XML cannot hold; fix the graph")
    return escape(value)


def _data(key: str, value: Any, what: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = _text(str(value), what)
    return f'<data key="{key}">{text}</data>'


def write_graphml(graph: Any, stream: TextIO, beliefs: Any = None) -> None:
    """Write ``graph`` to ``stream`` as GraphML (edges first, then structural links).

    :param beliefs: from the caller (``analysis.beliefs.belief_columns(graph)`` or a dict by key).
    """
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                 'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                 'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for name, kind in NODE_KEYS.items():
        stream.write(f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
    for name, kind in EDGE_KEYS.items():
        stream.write(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    title = getattr(graph, "title", None)
    stream.write('  <key id="g_title" for="graph" attr.name="title" attr.type="string"/>\n')
    stream.write('  <graph id="mtorgraph" edgedefault="directed">\n')
    if title:
        stream.write(f"    {_data('g_title', title, 'the title')}\n")
    for entity in graph.entities:
        what = f"entity {entity.key}"
        data = "".join(_data(f"n_{k}", v, what) for k, v in (
            ("label", entity.label), ("name", entity.name), ("curie", entity.id), ("kind", entity.kind),
            ("id_status", entity.id_status)))
        stream.write(f"    <node id={quoteattr(entity.key)}>{data}</node>\n")
    cited = {r.key: citation(r) for r in graph.references}
    for rel in relation_rows(graph, beliefs):
        what = f"{rel.kind} {rel.subject} {rel.predicate} {rel.object}"
        values = {
            "interaction": rel.predicate, "predicate": rel.predicate, "relation_type": rel.kind, "sign": rel.sign,
            "belief": rel.belief, "evidence_count": rel.evidence_count, "supporting": rel.supporting,
            "refuting": rel.refuting, "hypothesis_only": rel.hypothesis_only,
            "references": "|".join(cited[k] for k in rel.references), "note": rel.note,
        }
        data = "".join(_data(f"e_{k}", v, what) for k, v in values.items())
        edge_id = f"{rel.kind[0]}{rel.row}"
        stream.write(f'    <edge id="{edge_id}" source={quoteattr(rel.subject)} target={quoteattr(rel.object)}>'
                     f"{data}</edge>\n")
    stream.write("  </graph>\n</graphml>\n")


def to_graphml(graph: Any, beliefs: Any = None) -> str:
    """The GraphML text of ``graph`` (the registry's text-returning writer)."""
    out = io.StringIO()
    write_graphml(graph, out, beliefs)
    return out.getvalue()

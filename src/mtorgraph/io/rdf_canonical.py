"""Byte-identical JSON-LD and RDF/XML: the same graph gives the same bytes in every process.

rdflib's default store and its JSON-LD serializer iterate sets, whose order depends on the
string hash seed (``PYTHONHASHSEED``), so two runs wrote the same graph in different orders.
RDF/XML is written from a copy of the graph in a store that keeps insertion order, filled in
sorted order; JSON-LD is built as a JSON object and its unordered arrays are sorted (arrays that
are RDF lists keep their order).
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal

from ..errors import MtorgraphError
from .files import XML_ILLEGAL_CHARACTERS
from .rdf_vocab import JSONLD_CONTEXT

__all__ = ["canonical_jsonld", "ordered_graph", "refuse_xml_illegal"]

#: Terms whose JSON-LD arrays are ordered RDF lists (``"@container": "@list"``).
_LIST_TERMS = {term for term, value in JSONLD_CONTEXT.items()
               if isinstance(value, dict) and value.get("@container") == "@list"}
_LIST_TERMS |= {JSONLD_CONTEXT[term]["@id"] for term in _LIST_TERMS} | {"@list"}


def ordered_graph(rdf: Graph) -> Graph:
    """A copy of ``rdf`` whose iteration order is its triples sorted (namespace bindings kept)."""
    out = Graph(store="SimpleMemory")
    for prefix, namespace in rdf.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(rdf, key=lambda t: tuple(term.n3() for term in t)):
        out.add(triple)
    return out


def _sorted_arrays(node: Any, ordered: bool = False) -> Any:
    if isinstance(node, dict):
        return {key: _sorted_arrays(value, key in _LIST_TERMS) for key, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_arrays(item) for item in node]
        return items if ordered else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return node


def canonical_jsonld(rdf: Graph) -> str:
    """Compact JSON-LD of ``rdf`` with the context embedded, keys and unordered arrays sorted."""
    from rdflib.plugins.serializers.jsonld import from_rdf

    document = from_rdf(ordered_graph(rdf), context_data=JSONLD_CONTEXT, auto_compact=True)
    return json.dumps(_sorted_arrays(document), indent=2, sort_keys=True, ensure_ascii=False)


def refuse_xml_illegal(rdf: Graph) -> None:
    """Refuse a graph whose literals hold characters XML 1.0 cannot carry, naming the first.

    :raises MtorgraphError: naming the node, the property and the character.
    """
    for s, p, o in rdf:
        if isinstance(o, Literal):
            bad = XML_ILLEGAL_CHARACTERS.search(str(o))
            if bad:
                raise MtorgraphError(f"<{s}> {p.n3()} holds U+{ord(bad.group()):04X}, which RDF/XML cannot carry; "
                                     "remove it from the data, or export another format (Turtle, N-Triples, "
                                     "JSON-LD, TriG)")

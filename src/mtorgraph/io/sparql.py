"""SPARQL over a graph's RDF export, with the project's prefixes predeclared.

>>> from mtorgraph.io import load_graph
>>> g = load_graph("tests/data/mini.yaml")
>>> result = find_sparql(g, "SELECT ?o WHERE { ?s mtg:inhibits ?o . ?s mtg:key 'rapamycin' } ORDER BY ?o")
>>> result.columns, [row["o"] for row in result.rows]
(['o'], ['GO:0031931', 'entity:ketamine_response'])
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import BNode, Node

from ..errors import MtorgraphError
from ..model import MechanismGraph
from .rdf import to_rdf
from .rdf_vocab import PREFIXES

__all__ = ["SparqlResult", "find_sparql", "read_query", "triples_text"]


@dataclass(frozen=True)
class SparqlResult:
    """Rows of a query: SELECT gives its variables; ASK one ``ask`` column; CONSTRUCT triples.

    ``graph`` holds the triples themselves for CONSTRUCT and DESCRIBE (``None`` otherwise).
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    graph: Graph | None = None


def read_query(text: str) -> str:
    """The query itself: ``text``, or the contents of the file when ``text`` is ``@path``.

    :raises MtorgraphError: if the file cannot be read.
    """
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MtorgraphError(f"{path}: cannot read the query ({exc.strerror or exc})") from exc


def _value(node: Node | None, rdf: Graph) -> Any:
    """IRIs as prefixed names where a prefix fits (else the full IRI); literals as Python values."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return _compact(str(node))
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        value = node.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, (bool, int, float, str)):
            return value
        return str(node)
    return str(node)


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda pair: -len(pair[1]))


def _compact(iri: str) -> str:
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return iri


def find_sparql(graph: MechanismGraph | Graph, query: str) -> SparqlResult:
    """Run a SPARQL 1.1 query over the graph's RDF (prefixes ``mtg:``, ``biolink:``, ``rdf:``,
    ``rdfs:``, ``xsd:``, ``skos:``, ``assertion:``, ``evidence:``, ``reference:``, the CURIE
    prefixes … are predeclared).

    :param graph: a graph, or RDF already built with :func:`~mtorgraph.io.rdf.to_rdf`.
    :raises MtorgraphError: on a syntax error, quoting rdflib's message.
    """
    rdf = graph if isinstance(graph, Graph) else to_rdf(graph)
    try:
        result = rdf.query(query, initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib raise many types for bad queries
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise MtorgraphError(f"SPARQL query failed: {message}") from exc
    if result.type == "ASK":
        return SparqlResult(["ask"], [{"ask": bool(result.askAnswer)}])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(result.graph, key=lambda t: tuple(str(x) for x in t)) if result.graph else []
        return SparqlResult(["subject", "predicate", "object"],
                            [{"subject": _value(s, rdf), "predicate": _value(p, rdf), "object": _value(o, rdf)}
                             for s, p, o in triples],
                            result.graph if result.graph is not None else Graph())
    columns = [str(v) for v in result.vars or []]
    rows = [{c: _value(row[c], rdf) for c in columns} for row in result]  # type: ignore[index]
    return SparqlResult(columns, rows)


def triples_text(triples: Graph, fmt: str) -> str:
    """CONSTRUCT or DESCRIBE triples as Turtle (``turtle``, with the project's prefixes) or
    N-Triples (``nt``, one sorted line per triple)."""
    if fmt == "nt":
        return "".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples))
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in triples:
        out.add(triple)
    return out.serialize(format="turtle")

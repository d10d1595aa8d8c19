"""Expanded JSON-LD, written as a stream: the JSON-LD of graphs too big for the compact form.

The compact form (:func:`mtorgraph.io.rdf.to_jsonld`) is built by rdflib from a whole in-memory RDF
graph: some 10 kB and 10 ms per edge. Here the column-wise N-Triples writer fills a scratch file,
and pyoxigraph's streaming serializer turns it into expanded JSON-LD (every IRI in full, no
context): the same triples, in the N-Triples writer's order, so the bytes are the same in every
run, with memory that does not grow with the graph.
"""

from __future__ import annotations

import tempfile
from typing import IO, Any

__all__ = ["write_expanded_jsonld"]


def write_expanded_jsonld(graph: Any, out: IO[bytes], beliefs: Any = None) -> None:
    """Write ``graph`` as expanded JSON-LD (a JSON array of node objects) into the binary stream ``out``."""
    import pyoxigraph

    from .rdf_columns import write_columns_ntriples

    with tempfile.TemporaryFile(prefix="mtorgraph-jsonld-") as scratch:
        write_columns_ntriples(graph, scratch, beliefs)
        scratch.seek(0)
        pyoxigraph.serialize(pyoxigraph.parse(scratch, format=pyoxigraph.RdfFormat.N_TRIPLES), out,
                             format=pyoxigraph.RdfFormat.JSON_LD)
    out.write(b"\n")

"""The RDF writers of the registry: each writes a graph into an open stream (the writer protocol
of :mod:`mtorgraph.io.registry`).

N-Triples and Turtle are written column-wise (:mod:`.rdf_columns`); TriG from the blocks, as it
goes; RDF/XML is built whole by rdflib (small graphs), and so is JSON-LD up to
:data:`COMPACT_JSONLD_MAX_EDGES` edges (above, it is streamed in expanded form).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from ..model import MechanismGraph
from .rdf import to_jsonld, to_rdfxml
from .rdf_blocks import Beliefs, iter_blocks
from .rdf_stream import write_trig

__all__ = ["COMPACT_JSONLD_MAX_EDGES", "dump_jsonld", "dump_ntriples", "dump_rdfxml", "dump_trig", "dump_turtle"]


def _text_out(out: IO) -> tuple[IO, Callable[[], None]]:
    """A text view of ``out`` (binary or text), and what to call when done writing."""
    if isinstance(out, io.TextIOBase):
        return out, lambda: None
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")

    def done() -> None:
        text.flush()
        text.detach()
    return text, done


def _binary_write(writer: Callable[..., None], graph: MechanismGraph, out: IO, beliefs: Beliefs) -> None:
    """Run a binary writer into ``out``, which may be a binary stream, a text stream with a buffer,
    a stream that takes bytes (``accepts_bytes``), or any text stream (then through memory)."""
    if isinstance(out, io.TextIOBase) and not getattr(out, "accepts_bytes", False):
        raw = getattr(out, "buffer", None)
        if raw is not None:
            out.flush()
            writer(graph, raw, beliefs)
            raw.flush()
            return
        buffer = io.BytesIO()
        writer(graph, buffer, beliefs)
        out.write(buffer.getvalue().decode("utf-8"))
        return
    writer(graph, out, beliefs)


def dump_ntriples(graph: MechanismGraph, out: IO, beliefs: Beliefs = None) -> None:
    """Write N-Triples into the stream ``out`` (the writer protocol of :mod:`mtorgraph.io.registry`),
    column-wise and chunk by chunk (:mod:`mtorgraph.io.rdf_columns`)."""
    from .rdf_columns import write_columns_ntriples

    _binary_write(write_columns_ntriples, graph, out, beliefs)


def dump_turtle(graph: MechanismGraph, out: IO, beliefs: Beliefs = None) -> None:
    """Write Turtle into the stream ``out``, column-wise and chunk by chunk."""
    from .rdf_columns import write_columns_turtle

    _binary_write(write_columns_turtle, graph, out, beliefs)


def dump_trig(graph: MechanismGraph, out: IO, beliefs: Beliefs = None) -> None:
    """Write TriG into the stream ``out``."""
    text, done = _text_out(out)
    write_trig(graph, text, iter_blocks(graph, beliefs))
    done()


#: Up to this many edges JSON-LD is written compact, with the context embedded (built whole in
#: memory by rdflib); above, as expanded JSON-LD streamed from the N-Triples (:mod:`.jsonld_stream`).
COMPACT_JSONLD_MAX_EDGES = 5_000


def dump_jsonld(graph: MechanismGraph, out: IO, beliefs: Beliefs = None) -> None:
    """Write JSON-LD into the stream ``out``: compact up to :data:`COMPACT_JSONLD_MAX_EDGES` edges,
    expanded and streamed above (the same triples; the compact form needs the whole graph in rdflib)."""
    if len(graph.edges) > COMPACT_JSONLD_MAX_EDGES:
        from .jsonld_stream import write_expanded_jsonld

        _binary_write(write_expanded_jsonld, graph, out, beliefs)
        return
    text, done = _text_out(out)
    text.write(to_jsonld(graph, beliefs))
    done()


def dump_rdfxml(graph: MechanismGraph, out: IO, beliefs: Beliefs = None) -> None:
    """Write RDF/XML into the stream ``out`` (built whole in memory: RDF/XML is for small graphs)."""
    text, done = _text_out(out)
    text.write(to_rdfxml(graph, beliefs))
    done()

"""Streaming RDF writers: N-Triples, Turtle and TriG, straight from the model to a text stream.

They never build an rdflib Graph: each block of :func:`~mtorgraph.io.rdf_blocks.iter_blocks` is
printed and forgotten, so memory stays flat however large the graph is (rdflib needs about 1 kB
per triple in memory before it writes a byte). Output is deterministic: the blocks come in a fixed
order and blank nodes (the cells of ordered lists) get labels hashed from their owner.

>>> import io
>>> from mtorgraph.model import *
>>> g = MechanismGraph(entities=(Entity(key="a", id="GO:1", label="a", name="a", kind="process"),))
>>> out = io.StringIO(); n = write_ntriples(g, out); n
7
>>> out.getvalue().splitlines()[0]
'<http://purl.obolibrary.org/obo/GO_1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/mtorgraph/vocab/Entity> .'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import TextIO

from ..model import MechanismGraph
from .rdf_blocks import TYPE, Block, iter_blocks
from .rdf_vocab import PREFIXES

__all__ = ["expand_list", "write_ntriples", "write_trig", "write_turtle"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_FIRST, _REST, _NIL = f"<{_RDF}first>", f"<{_RDF}rest>", f"<{_RDF}nil>"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
_BARE = {f"<{_XSD}integer>", f"<{_XSD}decimal>", f"<{_XSD}boolean>"}
_BATCH = 2000  # blocks per write() call: few syscalls, bounded memory


def expand_list(subject: str, predicate: str, items: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """The triples of an ordered list ``subject predicate (items…)``, with deterministic blank nodes."""
    stem = "_:l" + hashlib.sha256(f"{subject} {predicate}".encode()).hexdigest()[:16]
    cells = [f"{stem}n{i}" for i in range(len(items))]
    triples = [(subject, predicate, cells[0])]
    for i, (cell, item) in enumerate(zip(cells, items)):
        triples.append((cell, _FIRST, item))
        triples.append((cell, _REST, cells[i + 1] if i + 1 < len(cells) else _NIL))
    return triples


def write_ntriples(graph: MechanismGraph, out: TextIO, blocks: Iterable[Block] | None = None) -> int:
    """Write the graph as N-Triples to ``out``; return the number of triples written.

    :param blocks: the blocks to write (default: all of ``graph``); the benchmark passes them to
        time the writer alone.
    """
    count = 0
    lines: list[str] = []
    pending = 0
    for name, subject, pairs in blocks if blocks is not None else iter_blocks(graph):
        if name is not None:  # edge blocks hold no lists: the fast path, one join per block
            lines.append("".join([f"{subject} {predicate} {obj} .\n" for predicate, obj in pairs]))
            count += len(pairs)
        else:
            for predicate, obj in pairs:
                if obj.__class__ is str:
                    lines.append(f"{subject} {predicate} {obj} .\n")
                    count += 1
                else:
                    for triple in expand_list(subject, predicate, obj):  # type: ignore[arg-type]
                        lines.append("%s %s %s .\n" % triple)
                        count += 1
        pending += 1
        if pending == _BATCH:
            out.write("".join(lines))
            lines.clear()
            pending = 0
    out.write("".join(lines))
    return count


class _Compactor:
    """Turns N-Triples terms into Turtle prefixed names where the prefix map allows it."""

    def __init__(self) -> None:
        self.namespaces = {iri: prefix for prefix, iri in PREFIXES.items()}
        self.cache: dict[str, str] = {}

    def __call__(self, term: str) -> str:
        found = self.cache.get(term)
        if found is not None:
            return found
        if term[0] == "<":
            found = self._iri(term)
        elif term[0] == '"' and term[-1] == ">":
            lexical, _, datatype = term.rpartition("^^")
            # Turtle writes integers, decimals and booleans bare; ours are always canonical.
            found = lexical[1:-1] if datatype in _BARE else f"{lexical}^^{self._iri(datatype)}"
        else:
            return term
        if len(self.cache) > 50_000:  # vocabulary terms repeat; node IRIs mostly do not
            self.cache.clear()
        self.cache[term] = found
        return found

    def _iri(self, term: str) -> str:
        iri = term[1:-1]
        for cut in (iri.rfind("/"), iri.rfind("#"), iri.rfind("_")):
            if cut > 0:
                prefix = self.namespaces.get(iri[: cut + 1])
                if prefix is not None and _LOCAL.fullmatch(iri, cut + 1):
                    return f"{prefix}:{iri[cut + 1:]}"
        return term


def _turtle_prefixes() -> str:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()) + "\n"


def _turtle_block(subject: str, pairs: list, compact: _Compactor, indent: str) -> str:
    parts = []
    last = None
    for predicate, obj in pairs:
        text = compact(obj) if obj.__class__ is str else "( " + " ".join(compact(t) for t in obj) + " )"
        if predicate == last:
            parts[-1] += f", {text}"
        else:
            parts.append(f"{'a' if predicate == TYPE else compact(predicate)} {text}")
            last = predicate
    return f"{indent}{compact(subject)} " + f" ;\n{indent}    ".join(parts) + " .\n\n"


def write_turtle(graph: MechanismGraph, out: TextIO, blocks: Iterable[Block] | None = None) -> int:
    """Write the graph as Turtle to ``out``: prefixed names, one subject per paragraph.

    Returns the number of blocks (subjects) written.
    """
    compact = _Compactor()
    out.write(_turtle_prefixes())
    chunk: list[str] = []
    count = 0
    for _, subject, pairs in blocks if blocks is not None else iter_blocks(graph):
        chunk.append(_turtle_block(subject, pairs, compact, ""))
        count += 1
        if len(chunk) == _BATCH:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    return count


def write_trig(graph: MechanismGraph, out: TextIO, blocks: Iterable[Block] | None = None) -> int:
    """Write the graph as TriG: one named graph per assertion, one for its provenance.

    Entities, references and claims sit in the default graph. For each edge,
    ``kg:graph/<hash>/assertion`` holds the direct triple and the association node, and
    ``kg:graph/<hash>/provenance`` its evidence nodes, as a nanopublication separates assertion and
    provenance. The union of all graphs is exactly the Turtle export. Returns the number of blocks.
    """
    compact = _Compactor()
    out.write(_turtle_prefixes())
    current: str | None = None  # the named graph open now; default-graph triples sit outside braces
    count = 0
    for name, subject, pairs in blocks if blocks is not None else iter_blocks(graph):
        if name != current:
            if current is not None:
                out.write("}\n\n")
            if name is not None:
                out.write(f"{name} {{\n")
            current = name
        out.write(_turtle_block(subject, pairs, compact, "    " if name is not None else ""))
        count += 1
    if current is not None:
        out.write("}\n")
    return count

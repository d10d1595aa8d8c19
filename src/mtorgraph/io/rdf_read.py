"""Reading mtorgraph's own RDF exports fast: pyoxigraph parses, triples map straight into columns.

:func:`load_rdf_columns` reads N-Triples, Turtle or TriG with pyoxigraph's Rust parser, groups
the triples by subject in one pass and writes the five Arrow tables of a
:class:`~mtorgraph.columnar.graph.ColumnarGraph` directly (no rdflib Graph, no model object per
record). It maps exactly what the writers write (see :mod:`mtorgraph.io.rdf_columns`) and gives
the graph :func:`mtorgraph.io.rdf.load_rdf` gives, in the same order.

Anything it cannot map exactly (a syntax error, a file over a limit, a missing or repeated
value, an unexpected datatype, a control character, a foreign file) makes it hand the file to
the exact rdflib reader, which reports the problem with its usual message: the fast path never
silently disagrees. :func:`load_rdf_fast` is the registry's reader: the columns as a validated
:class:`~mtorgraph.model.MechanismGraph`.

N-Triples, and Turtle once pyoxigraph has rewritten it as N-Triples, are first read on whole
columns (:mod:`.ntriples_columns`): associations and evidence items, the bulk of a graph, are
mapped with array operations on term codes (:mod:`.rdf_bulk`), the few other nodes triple by triple
as above. When that path cannot map a file exactly it gives way to the triple-by-triple one.
:func:`mtorgraph.io.rdf_open.open_rdf_columns` (the registry's columns reader) checks the model's rules on the columns
instead of building a validated model.
"""

from __future__ import annotations

import os
import stat
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from ..columnar.graph import ColumnarGraph
from ..columnar.schema import CONTEXT_FIELDS, OWNER_EDGE, OWNER_LINK, SCHEMAS
from ..errors import MtorgraphError
from ..model import MechanismGraph
from ..vocab import ENTITY_KINDS, EVIDENCE_KINDS, PREDICATES, PREFIX_IRIS, VOCAB_IRI
from .files import XML_ILLEGAL_CHARACTERS, find_long_line, read_input_text
from .limits import current_limits
from .rdf_vocab import evidence_class, kind_class

if TYPE_CHECKING:
    from .rdf_bulk import _Bulk

__all__ = ["FAST_FORMATS", "load_rdf_columns", "load_rdf_fast"]

#: RDF formats pyoxigraph reads here (registry name → pyoxigraph format attribute).
FAST_FORMATS = {"nt": "N_TRIPLES", "turtle": "TURTLE", "trig": "TRIG"}

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING_TYPES = frozenset({_XSD + "string", _RDF + "langString"})
_INTEGER = _XSD + "integer"
_INT = re.compile(r"[+-]?[0-9]+\Z")
_TYPE, _FIRST, _REST, _NIL = _RDF + "type", _RDF + "first", _RDF + "rest", _RDF + "nil"
_M = VOCAB_IRI

_KIND_OF_CLASS = {_M + kind_class(k): k for k in ENTITY_KINDS}
_EVIDENCE_OF_CLASS = {_M + evidence_class(k): k for k in EVIDENCE_KINDS}
_PREDICATE_OF = {VOCAB_IRI + p: p for p in PREDICATES}
#: mtg: properties written for other readers, never mapped (400k of 4.66M triples at 100k edges).
_NOT_READ = frozenset({_M + "sign", _M + "belief", _M + "biolinkPredicate", *_PREDICATE_OF})
_NAMESPACES = sorted(((iri, prefix) for prefix, iri in PREFIX_IRIS.items() if prefix != "biolink"),
                     key=lambda pair: -len(pair[0]))
_CONTEXT = (("species", "species"), ("anatomy", "anatomy"), ("cellType", "cell_type"), ("model", "model"),
            ("design", "design"), ("route", "route"), ("dose", "dose"), ("timepoint", "timepoint"),
            ("population", "population"), ("n", "n"))
_REFERENCE = (("title", "title"), ("authors", "authors"), ("year", "year"), ("journal", "journal"),
              ("volume", "volume"), ("pages", "pages"), ("doi", "doi"), ("pmid", "pmid"), ("pmcid", "pmcid"),
              ("url", "url"), ("studyType", "study_type"), ("verified", "verified"),
              ("verificationNote", "verification_note"))
#: Fields whose value is an integer; every other mtg: field is text.
_INTEGER_FIELDS = frozenset({"year", "n", "rank"})


class _Unmapped(Exception):
    """The fast reader cannot map this file exactly; the rdflib reader decides."""


def _value(term: Any, name: str) -> Any:
    """A literal's Python value as rdflib's reader gives it, or :class:`_Unmapped`."""
    if type(term).__name__ != "Literal":
        raise _Unmapped(name)
    text = term.value
    datatype = term.datatype.value
    if datatype == _INTEGER and name in _INTEGER_FIELDS and _INT.match(text):
        return int(text)
    if datatype in _STRING_TYPES and name not in _INTEGER_FIELDS:
        return text
    raise _Unmapped(name)


class _Nodes:
    """Triples grouped by subject: node → property IRI → distinct objects, in file order."""

    def __init__(self) -> None:
        self.props: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.typed: dict[str, list[Any]] = defaultdict(list)

    def add(self, s: Any, p: str, o: Any) -> None:
        values = self.props[s][p]
        if o in values:
            return
        values.append(o)
        if p == _TYPE and type(o).__name__ == "NamedNode":
            self.typed[o.value].append(s)

    def of_type(self, local: str) -> list[Any]:
        return list(dict.fromkeys(self.typed.get(_M + local, ())))

    def all(self, node: Any, iri: str) -> list[Any]:
        found = self.props.get(node)
        return found.get(iri, []) if found else []

    def term(self, node: Any, iri: str) -> Any:
        found = self.all(node, iri)
        if len(found) > 1:
            raise _Unmapped(iri)
        return found[0] if found else None

    def one(self, node: Any, name: str, required: bool = False) -> Any:
        term = self.term(node, _RDFS_LABEL if name == "label" else _M + name)
        if term is None:
            if required:
                raise _Unmapped(name)
            return None
        return _value(term, name)

    def items(self, node: Any, name: str) -> list[Any]:
        head = self.term(node, _M + name)
        out: list[Any] = []
        seen = set()
        while head is not None and not (type(head).__name__ == "NamedNode" and head.value == _NIL):
            if head in seen:
                raise _Unmapped("cyclic list")
            seen.add(head)
            first = self.all(head, _FIRST)
            if len(first) != 1:
                raise _Unmapped("list item")
            out.append(first[0])
            head = self.term(head, _REST)
            if head is None:
                raise _Unmapped("open list")
        return out

    def texts(self, node: Any, name: str) -> list[str]:
        return [_value(item, name) for item in self.items(node, name)]


def _curie(iri: str) -> str:
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    raise _Unmapped("namespace")


def _parse(path: str | os.PathLike[str], name: str) -> _Nodes:
    import pyoxigraph

    limits = current_limits()
    try:
        text = read_input_text(path, limits)
    except MtorgraphError:
        raise _Unmapped("input") from None
    if find_long_line(text, limits.max_scalar_chars):
        raise _Unmapped("long line")
    nodes = _Nodes()
    add = nodes.add
    literal = pyoxigraph.Literal
    bad = XML_ILLEGAL_CHARACTERS.search
    wanted: dict[Any, str | None] = {}  # predicate term → its IRI, or None for one the mapping never reads
    try:
        for quad in pyoxigraph.parse(text, format=getattr(pyoxigraph.RdfFormat, FAST_FORMATS[name])):
            o = quad.object
            if type(o) is literal and bad(o.value):
                raise _Unmapped("control character")
            p = quad.predicate
            iri = wanted.get(p, "")
            if iri == "":
                ours = p.value.startswith((_M, _RDF, _RDFS_LABEL)) and p.value not in _NOT_READ
                iri = wanted[p] = p.value if ours else None
            if iri is not None:
                add(quad.subject, iri, o)
    except (SyntaxError, ValueError, OSError):
        raise _Unmapped("syntax") from None
    return nodes


def _kind(nodes: _Nodes, node: Any, table: dict[str, str]) -> str:
    kinds = [table[t.value] for t in nodes.all(node, _TYPE) if type(t).__name__ == "NamedNode" and t.value in table]
    if len(kinds) != 1:
        raise _Unmapped("kind")
    return kinds[0]


def _columns(rows: list[tuple[Any, ...]], names: list[str]) -> dict[str, list[Any]]:
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def _entities(nodes: _Nodes) -> tuple[pa.Table, dict[Any, int], list[str]]:
    """The entities table (sorted by key), each entity node's row, and the keys."""
    entities = []
    for n in nodes.of_type("Entity"):
        if type(n).__name__ != "NamedNode":
            raise _Unmapped("entity node")
        entities.append((nodes.one(n, "key", True), _curie(n.value), nodes.one(n, "label", True),
                         nodes.one(n, "name", True), _kind(nodes, n, _KIND_OF_CLASS),
                         nodes.one(n, "idStatus", True), nodes.texts(n, "synonyms"), nodes.texts(n, "xrefs"),
                         nodes.one(n, "note"), n))
    entities.sort(key=lambda e: e[0])
    keys = [e[0] for e in entities]
    if len(set(keys)) != len(keys):
        raise _Unmapped("duplicate entity key")
    table = pa.table(_columns(entities, [f.name for f in SCHEMAS["entities"]]), schema=SCHEMAS["entities"])
    return table, {e[-1]: i for i, e in enumerate(entities)}, keys


def _map(nodes: _Nodes, bulk: _Bulk | None = None) -> ColumnarGraph:
    """The graph of the grouped triples; associations and their evidence from ``bulk`` when given."""
    from .rdf_bulk import _EdgeLabels, _node_text
    from .rdf_small_nodes import claims, description, open_questions

    if bulk is not None and bulk.entity_nodes is not None:
        entity_table, entity_row, entity_keys = bulk.entities(nodes)
    else:
        entity_table, entity_row, entity_keys = _entities(nodes)
    if not entity_keys:
        raise _Unmapped("no entity")

    references = []
    for n in nodes.of_type("Reference"):
        fields = [nodes.one(n, prop) for prop, _ in _REFERENCE]
        references.append((nodes.one(n, "key", True), *fields, nodes.texts(n, "seenAt"), n))
    references.sort(key=lambda r: r[0])
    reference_row = {r[-1]: i for i, r in enumerate(references)}
    if len(reference_row) != len({r[0] for r in references}):
        raise _Unmapped("duplicate reference key")

    def evidence(node: Any) -> list[tuple[Any, ...]]:
        found = []
        for ev in nodes.all(node, _M + "evidence"):
            ref = nodes.term(ev, _M + "reference")
            if ref not in reference_row:
                raise _Unmapped("reference")
            context = {field: nodes.one(ev, prop) for prop, field in _CONTEXT}
            basis = nodes.one(ev, "basis") or "own_result"
            found.append((nodes.one(ev, "rank", True), reference_row[ref], _kind(nodes, ev, _EVIDENCE_OF_CLASS),
                          nodes.one(ev, "direction", True), basis, nodes.one(ev, "experiment"),
                          nodes.one(ev, "finding", True), nodes.one(ev, "effect"), nodes.one(ev, "pValue"),
                          *(context[f] for f in CONTEXT_FIELDS)))
        if not found:
            raise _Unmapped("no evidence")
        found.sort(key=lambda e: e[0])
        if len({e[0] for e in found}) != len(found):
            raise _Unmapped("tied rank")  # rdflib's order of tied ranks is arbitrary
        return found

    def ends(node: Any) -> tuple[int, int]:
        s, o = nodes.term(node, _RDF + "subject"), nodes.term(node, _RDF + "object")
        if s not in entity_row or o not in entity_row:
            raise _Unmapped("end")
        return entity_row[s], entity_row[o]

    edges = []
    for n in (nodes.of_type("Assertion") if bulk is None else ()):
        s, o = ends(n)
        p = nodes.term(n, _RDF + "predicate")
        predicate = _PREDICATE_OF.get(p.value) if type(p).__name__ == "NamedNode" else None
        if predicate is None:
            raise _Unmapped("predicate")
        edges.append((entity_keys[s], predicate, entity_keys[o], s, o, nodes.one(n, "note"), evidence(n), n))
    edges.sort(key=lambda e: e[:3])
    if len({e[:3] for e in edges}) != len(edges):
        raise _Unmapped("duplicate edge")
    edge_label: Any = {e[-1]: " ".join(e[:3]) for e in edges}
    if bulk is not None:
        by_text = None if bulk.entity_nodes is not None else {_node_text(n): i for n, i in entity_row.items()}
        bulk_edges, bulk_evidence, edge_row = bulk.map(by_text, {_node_text(n): i for n, i in reference_row.items()})
        edge_label = _EdgeLabels(bulk, edge_row, bulk_edges, entity_keys)

    links = []
    for n in nodes.of_type("Link"):
        s, o = ends(n)
        relation = nodes.one(n, "relation", True)
        links.append((entity_keys[s], relation, entity_keys[o], s, o, nodes.one(n, "note"), evidence(n)))
    links.sort(key=lambda e: e[:3])
    if len({e[:3] for e in links}) != len(links):
        raise _Unmapped("duplicate link")

    evidence_rows: list[tuple[Any, ...]] = []
    for owner, records in ((OWNER_EDGE, edges), (OWNER_LINK, links)):
        for row, record in enumerate(records):
            evidence_rows.extend((owner, row, *ev[1:]) for ev in record[6])

    reference_names = [f.name for f in SCHEMAS["references"]]
    evidence_names = ["owner", "row", "reference", "kind", "direction", "basis", "experiment", "finding",
                      "effect", "p_value", *CONTEXT_FIELDS]
    line_names = ["subject", "predicate", "object", "note"]
    evidence_table = pa.table(_columns(evidence_rows, evidence_names),
                              schema=_reordered(SCHEMAS["evidence"], evidence_names)).select(
                                  [f.name for f in SCHEMAS["evidence"]])
    edge_table = _lines(edges, line_names, "edges")
    if bulk is not None:
        edge_table = bulk_edges
        evidence_table = _stacked(SCHEMAS["evidence"], bulk_evidence, evidence_table)
    tables = {
        "entities": entity_table,
        "references": pa.table(_columns(references, reference_names), schema=SCHEMAS["references"]),
        "edges": edge_table,
        "links": _lines(links, ["subject", "relation", "object", "note"], "links"),
        "evidence": evidence_table,
    }
    ref_key = {n: r[0] for n, r in zip(reference_row, references)}
    title, questions = description(nodes, entity_row, entity_keys)
    return ColumnarGraph(tables, title=title, questions=questions, claims=claims(nodes, edge_label, ref_key),
                         open_questions=open_questions(nodes, entity_row, entity_keys, ref_key))


def _stacked(schema: pa.Schema, first: dict[str, Any], then: pa.Table) -> pa.Table:
    """Columns ``first`` followed by the rows of ``then``, in ``schema`` (words encoded in order of appearance)."""
    plain = pa.schema([pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
                       for f in schema])
    head = pa.table({f.name: pc.cast(first[f.name], f.type) for f in plain}, schema=plain)
    return pa.concat_tables([head, then.cast(plain)]).combine_chunks().cast(schema)


def _reordered(schema: pa.Schema, names: list[str]) -> pa.Schema:
    return pa.schema([schema.field(name) for name in names])


def _lines(records: list[tuple[Any, ...]], names: list[str], table: str) -> pa.Table:
    columns = {names[0]: [r[3] for r in records], names[1]: [r[1] for r in records],
               names[2]: [r[4] for r in records], names[3]: [r[5] for r in records],
               "source_graph": [None] * len(records)}
    return pa.table(columns, schema=SCHEMAS[table])


def _fast(path: str | os.PathLike[str]) -> ColumnarGraph | None:
    from .rdf import rdf_format_for

    name = rdf_format_for(path)
    if name not in FAST_FORMATS:
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a pipe or a device: the exact reader refuses it (reading would block or never end)
    except OSError:
        return None
    if name in ("nt", "turtle"):
        from .rdf_bulk import columnar_ntriples, columnar_turtle

        try:
            return columnar_ntriples(path) if name == "nt" else columnar_turtle(path)
        except (_Unmapped, ValidationError, pa.ArrowException, OverflowError):
            pass  # the triple-by-triple mapping below decides
    try:
        return _map(_parse(path, name))
    except (_Unmapped, ValidationError, pa.ArrowException, OverflowError):
        return None


def load_rdf_columns(path: str | os.PathLike[str]) -> ColumnarGraph:
    """Open an mtorgraph RDF export (N-Triples, Turtle, TriG fast; others through rdflib) as columns.

    The fast path checks the shape (required and single values, datatypes, references between
    nodes, unique keys) but not every field rule of the model (key patterns, closed
    vocabularies); :func:`load_rdf_fast` validates those too.

    :raises MtorgraphError: as :func:`mtorgraph.io.rdf.load_rdf` does, for a file the fast path
        hands back to the exact reader.
    """
    found = _fast(path)
    if found is not None:
        return found
    from .rdf import load_rdf

    return ColumnarGraph.from_model(load_rdf(path))


def load_rdf_fast(path: str | os.PathLike[str]) -> MechanismGraph:
    """Load an RDF export as :func:`mtorgraph.io.rdf.load_rdf` does, parsing with pyoxigraph.

    The columns become a model graph validated record by record (:meth:`ColumnarGraph.to_model`
    builds records unchecked, so the graph is validated again from its plain data); if validation
    fails, the exact reader reads the file again and reports the problem with its message.
    """
    found = _fast(path)
    if found is not None:
        try:
            return MechanismGraph.model_validate(found.to_model().model_dump())
        except (ValidationError, MtorgraphError, KeyError, ValueError):
            pass
    from .rdf import load_rdf

    return load_rdf(path)

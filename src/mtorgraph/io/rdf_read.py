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
mapped with array operations on term codes (:class:`_Bulk`), the few other nodes triple by triple
as above. When that path cannot map a file exactly it gives way to the triple-by-triple one.
:func:`open_rdf_columns` (the registry's columns reader) checks the model's rules on the columns
instead of building a validated model.
"""

from __future__ import annotations

import os
import stat
import re
from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from ..columnar.graph import ColumnarGraph
from ..columnar.schema import CONTEXT_FIELDS, OWNER_EDGE, OWNER_LINK, SCHEMAS
from ..errors import MtorgraphError
from ..model import Claim, MechanismGraph, OpenQuestion, Question
from ..vocab import ENTITY_KINDS, EVIDENCE_KINDS, PREDICATES, PREFIX_IRIS, VOCAB_IRI
from .files import XML_ILLEGAL_CHARACTERS, find_long_line, read_input_text
from .limits import current_limits
from .rdf_vocab import evidence_class, kind_class

__all__ = ["FAST_FORMATS", "load_rdf_columns", "load_rdf_fast", "open_rdf_columns"]

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
                iri = wanted[p] = p.value if p.value.startswith((_M, _RDF, _RDFS_LABEL)) else None
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


def _map(nodes: _Nodes, bulk: _Bulk | None = None) -> ColumnarGraph:
    """The graph of the grouped triples; associations and their evidence from ``bulk`` when given."""
    entity_nodes = nodes.of_type("Entity")
    if not entity_nodes:
        raise _Unmapped("no entity")
    entities = []
    for n in entity_nodes:
        if type(n).__name__ != "NamedNode":
            raise _Unmapped("entity node")
        entities.append((nodes.one(n, "key", True), _curie(n.value), nodes.one(n, "label", True),
                         nodes.one(n, "name", True), _kind(nodes, n, _KIND_OF_CLASS),
                         nodes.one(n, "idStatus", True), nodes.texts(n, "synonyms"), nodes.texts(n, "xrefs"),
                         nodes.one(n, "note"), n))
    entities.sort(key=lambda e: e[0])
    entity_row = {e[-1]: i for i, e in enumerate(entities)}
    entity_keys = [e[0] for e in entities]
    if len(set(entity_keys)) != len(entity_keys):
        raise _Unmapped("duplicate entity key")

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
        bulk_edges, bulk_evidence, edge_row = bulk.map({_node_text(n): i for n, i in entity_row.items()},
                                                       {_node_text(n): i for n, i in reference_row.items()})
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

    entity_names = [f.name for f in SCHEMAS["entities"]]
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
        "entities": pa.table(_columns(entities, entity_names), schema=SCHEMAS["entities"]),
        "references": pa.table(_columns(references, reference_names), schema=SCHEMAS["references"]),
        "edges": edge_table,
        "links": _lines(links, ["subject", "relation", "object", "note"], "links"),
        "evidence": evidence_table,
    }
    ref_key = {n: r[0] for n, r in zip(reference_row, references)}
    title, questions = _description(nodes, entity_row, entity_keys)
    return ColumnarGraph(tables, title=title, questions=questions,
                         claims=_claims(nodes, edge_label, ref_key),
                         open_questions=_open_questions(nodes, entity_row, entity_keys, ref_key))


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


def _claims(nodes: _Nodes, edge_label: dict[Any, str], ref_key: dict[Any, str]) -> tuple[Claim, ...]:
    claims = []
    for n in nodes.of_type("Claim"):
        labels = []
        for e in nodes.items(n, "edges"):
            if e not in edge_label:
                raise _Unmapped("claim edge")
            labels.append(edge_label[e])
        refs = []
        for x in nodes.items(n, "references"):
            if x not in ref_key:
                raise _Unmapped("claim reference")
            refs.append(ref_key[x])
        claims.append(Claim(id=nodes.one(n, "claimId", True), section=nodes.one(n, "section", True),
                            statement=nodes.one(n, "statement", True), verdict=nodes.one(n, "verdict", True),
                            references=tuple(refs), edges=tuple(labels),
                            literature_says=nodes.one(n, "literatureSays")))
    return tuple(sorted(claims, key=lambda c: int(c.id[1:]) if c.id[1:].isdigit() else 0))


def _open_questions(nodes: _Nodes, entity_row: dict[Any, int], entity_keys: list[str],
                    ref_key: dict[Any, str]) -> tuple[OpenQuestion, ...]:
    found = []
    for n in nodes.of_type("OpenQuestion"):
        proposer = nodes.term(n, _M + "proposedBy")
        if proposer not in ref_key:
            raise _Unmapped("proposer")
        members = []
        for item in nodes.items(n, "entities"):
            if item not in entity_row:
                raise _Unmapped("open question entity")
            members.append(entity_keys[entity_row[item]])
        found.append(OpenQuestion(key=nodes.one(n, "key", True), question=nodes.one(n, "question", True),
                                  proposed_by=ref_key[proposer], statement=nodes.one(n, "statement", True),
                                  would_test=nodes.one(n, "wouldTest", True), entities=tuple(members),
                                  note=nodes.one(n, "note")))
    return tuple(sorted(found, key=lambda q: q.key))


def _description(nodes: _Nodes, entity_row: dict[Any, int],
                 entity_keys: list[str]) -> tuple[str | None, tuple[Question, ...]]:
    described = nodes.of_type("GraphDescription")
    if not described:
        return None, ()
    if len(described) > 1:
        raise _Unmapped("two descriptions")
    node = described[0]
    questions = []
    for q in nodes.items(node, "questions"):
        ends = []
        for prop in ("questionSource", "questionTarget"):
            end = nodes.term(q, _M + prop)
            if end not in entity_row:
                raise _Unmapped("question end")
            ends.append(entity_keys[entity_row[end]])
        questions.append(Question(source=ends[0], target=ends[1], title=nodes.one(q, "title")))
    return nodes.one(node, "title"), tuple(questions)


# --- N-Triples (and Turtle rewritten as N-Triples) read as whole columns -------------------------

_ASSERTION_PROPS = {"subject": _RDF + "subject", "object": _RDF + "object", "predicate": _RDF + "predicate",
                    "note": _M + "note"}
_EVIDENCE_PROPS = ("reference", "rank", "direction", "basis", "experiment", "finding", "effect", "pValue",
                   *(prop for prop, _ in _CONTEXT))
#: Classes a node read as a bulk association or evidence item must not also have.
_SMALL_CLASSES = ("Entity", "Reference", "Link", "Claim", "OpenQuestion", "GraphDescription")


def _wanted_predicates(p: pa.Array) -> pa.Array:
    """The predicates the mapping reads (as :func:`_parse` keeps them)."""
    return pc.or_(pc.or_(pc.starts_with(p, "<" + _M), pc.starts_with(p, "<" + _RDF)),
                  pc.equal(p, f"<{_RDFS_LABEL}>"))


class _Codes:
    """Term texts ↔ codes of one :class:`~.ntriples_columns.Triples`."""

    def __init__(self, triples: Any):
        self.t = triples
        self.size = len(triples.terms)

    def of(self, texts: list[str]) -> list[int]:
        found = pc.index_in(pa.array(texts, pa.large_string()), value_set=self.t.terms)
        return [-1 if c is None else c for c in found.to_pylist()]

    def mask(self, codes: np.ndarray) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        out[codes] = True
        return out


def _single(rows: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Each row's one value (``-1`` where it has none); two different values: :class:`_Unmapped`."""
    out = np.full(n, -1, dtype=np.int64)
    if len(rows):
        order = np.argsort(rows, kind="stable")
        r, v = rows[order], values[order]
        same = r[1:] == r[:-1]
        if same.any() and (v[1:][same] != v[:-1][same]).any():
            raise _Unmapped("two values")
        out[r] = v
    return out


def _field(terms: pa.Array, codes: np.ndarray, name: str, required: bool = False) -> pa.Array:
    """The values of field ``name`` for term codes (``-1``: none), checked as :func:`_value` checks one."""
    from .ntriples_columns import literal_parts

    missing = codes < 0
    if required and missing.any():
        raise _Unmapped(name)
    texts = terms.take(pa.array(np.where(missing, 0, codes), mask=missing))
    value, datatype = literal_parts(texts)
    given = pc.invert(pc.is_null(texts))
    if pc.any(pc.and_(given, pc.is_null(value))).as_py():
        raise _Unmapped(name)  # not a literal
    if name in _INTEGER_FIELDS:
        if not pc.all(pc.or_kleene(pc.invert(given), pc.and_(
                pc.equal(datatype, _INTEGER), pc.match_substring_regex(value, r"^[+-]?[0-9]+$")))).as_py():
            raise _Unmapped(name)
        try:
            return pc.cast(pc.replace_substring_regex(value, r"^\+", ""), pa.int64())
        except pa.ArrowInvalid:
            raise _Unmapped(name) from None
    if not pc.all(pc.or_kleene(pc.invert(given), pc.is_in(datatype, pa.array(sorted(_STRING_TYPES))))).as_py():
        raise _Unmapped(name)
    return value.cast(pa.string())


class _Bulk:
    """Associations and their evidence items, found and mapped on whole columns."""

    def __init__(self, triples: Any):
        self.t, self.codes = triples, _Codes(triples)
        t, c = triples, self.codes
        type_code, assertion, evidence_link = c.of([f"<{_TYPE}>", f"<{_M}Assertion>", f"<{_M}evidence>"])
        typed = t.p == type_code
        self.nodes = np.unique(t.s[typed & (t.o == assertion)]) if assertion >= 0 else np.zeros(0, np.int32)
        is_node = c.mask(self.nodes)
        linked = t.p == evidence_link
        owned = linked & is_node[t.s]
        self.items = np.unique(t.o[owned])
        is_item = c.mask(self.items)
        if (linked & ~is_node[t.s] & is_item[t.o]).any():
            raise _Unmapped("evidence shared with a link")
        small = c.of([f"<{_M}{cls}>" for cls in _SMALL_CLASSES])
        bulk = is_node | is_item
        if (typed & bulk[t.s] & np.isin(t.o, [x for x in small if x >= 0])).any():
            raise _Unmapped("bulk node of a small class")
        self.bulk_rows = bulk[t.s]
        row_of = np.full(c.size, -1, dtype=np.int64)
        row_of[self.nodes] = np.arange(len(self.nodes))
        link_rows = np.flatnonzero(owned)
        self.edge_of_item = (row_of[t.s[link_rows]], t.o[link_rows])  # (association row, item code)
        self.row_of_node = row_of

    def small_triples(self) -> np.ndarray:
        return np.flatnonzero(~self.bulk_rows)

    def _props(self, subjects: np.ndarray, iris: dict[str, str]) -> dict[str, np.ndarray]:
        t, c = self.t, self.codes
        row_of = np.full(c.size, -1, dtype=np.int64)
        row_of[subjects] = np.arange(len(subjects))
        mine = row_of[t.s] >= 0
        out = {}
        for name, code in zip(iris, c.of([f"<{iri}>" for iri in iris.values()])):
            rows = np.flatnonzero(mine & (t.p == code)) if code >= 0 else np.zeros(0, np.int64)
            out[name] = _single(row_of[t.s[rows]], t.o[rows], len(subjects))
        return out

    def _kinds(self, subjects: np.ndarray) -> list[str]:
        """Each evidence item's one kind (by its classes), as :func:`_kind` finds it."""
        t, c = self.t, self.codes
        names = list(_EVIDENCE_OF_CLASS)
        class_codes = c.of([f"<{iri}>" for iri in names])
        kind_of_code = {code: _EVIDENCE_OF_CLASS[iri] for code, iri in zip(class_codes, names) if code >= 0}
        row_of = np.full(c.size, -1, dtype=np.int64)
        row_of[subjects] = np.arange(len(subjects))
        type_code = c.of([f"<{_TYPE}>"])[0]
        rows = np.flatnonzero((t.p == type_code) & (row_of[t.s] >= 0) & np.isin(t.o, list(kind_of_code)))
        r, o = row_of[t.s[rows]], t.o[rows]
        pairs = np.unique(np.stack([r, o.astype(np.int64)]), axis=1) if len(r) else np.zeros((2, 0), np.int64)
        if pairs.shape[1] != len(subjects) or (len(subjects) and not np.array_equal(pairs[0], np.arange(len(subjects)))):
            raise _Unmapped("kind")
        lookup = np.full(c.size, -1, dtype=np.int64)
        words = sorted(set(kind_of_code.values()))
        for code, kind in kind_of_code.items():
            lookup[code] = words.index(kind)
        return pa.array(words, pa.string()).take(pa.array(lookup[pairs[1]]))

    def map(self, entity_row: dict[str, int], reference_row: dict[str, int]
            ) -> tuple[pa.Table, dict[str, Any], np.ndarray]:
        """The edges table, the edge evidence columns and each association node's edge row."""
        t, c = self.t, self.codes
        terms = t.terms
        n = len(self.nodes)
        props = self._props(self.nodes, _ASSERTION_PROPS)
        ends = []
        for name in ("subject", "object"):
            rows = _rows_of(c, props[name], entity_row)
            if (rows < 0).any():
                raise _Unmapped("end")
            ends.append(rows)
        predicate_names = sorted(_PREDICATE_OF.values())
        predicate_codes = c.of([f"<{_M}{p}>" for p in predicate_names])
        rank = np.full(c.size, -1, dtype=np.int64)
        for i, code in enumerate(predicate_codes):
            if code >= 0:
                rank[code] = i
        pred = np.where(props["predicate"] >= 0, rank[np.maximum(props["predicate"], 0)], -1)
        if (pred < 0).any():
            raise _Unmapped("predicate")
        note = _field(terms, props["note"], "note")
        order = np.lexsort((ends[1], pred, ends[0]))
        s, p, o = ends[0][order], pred[order], ends[1][order]
        if n > 1 and ((s[1:] == s[:-1]) & (p[1:] == p[:-1]) & (o[1:] == o[:-1])).any():
            raise _Unmapped("duplicate edge")
        edge_row = np.empty(n, dtype=np.int64)
        edge_row[order] = np.arange(n)
        words = pa.array(predicate_names)
        edges = pa.table({"subject": pa.array(s.astype(np.int32)),
                          "predicate": words.take(pa.array(p)),
                          "object": pa.array(o.astype(np.int32)),
                          "note": note.take(pa.array(order)),
                          "source_graph": pa.nulls(n, pa.string())})
        edges = edges.cast(SCHEMAS["edges"])
        evidence = self._evidence(edge_row, reference_row)
        return edges, evidence, edge_row

    def _evidence(self, edge_row: np.ndarray, reference_row: dict[str, int]) -> dict[str, Any]:
        t, c = self.t, self.codes
        owners, items = self.edge_of_item
        if len(edge_row) and not np.isin(np.arange(len(edge_row)), owners).all():
            raise _Unmapped("no evidence")
        props = self._props(self.items, {p: _M + p for p in _EVIDENCE_PROPS})
        item_row = np.full(c.size, -1, dtype=np.int64)
        item_row[self.items] = np.arange(len(self.items))
        which = item_row[items]  # item row of each (association, item) pair
        ref = _rows_of(c, props["reference"], reference_row)
        if (ref[which] < 0).any():
            raise _Unmapped("reference")
        rank = _field(t.terms, props["rank"], "rank", required=True).to_numpy(zero_copy_only=False)
        row = edge_row[owners]
        order = np.lexsort((rank[which], row))
        row, which = row[order], which[order]
        tied = (row[1:] == row[:-1]) & (rank[which][1:] == rank[which][:-1])
        if tied.any():
            raise _Unmapped("tied rank")
        take = pa.array(which)
        out: dict[str, Any] = {"owner": pa.array(np.full(len(row), OWNER_EDGE, dtype=np.int8)),
                               "row": pa.array(row.astype(np.int32)), "reference": pa.array(ref[which].astype(np.int32)),
                               "kind": self._kinds(self.items).take(take)}
        fields = {"direction": ("direction", True), "basis": ("basis", False), "experiment": ("experiment", False),
                  "finding": ("finding", True), "effect": ("effect", False), "p_value": ("pValue", False)}
        fields.update({field: (prop, False) for prop, field in _CONTEXT})
        for column, (prop, required) in fields.items():
            values = _field(t.terms, props[prop], prop, required).take(take)
            if column == "basis":
                values = pc.fill_null(values, "own_result")
            out[column] = values
        return out


def _rows_of(codes: _Codes, values: np.ndarray, row_by_text: dict[str, int]) -> np.ndarray:
    """Rows (``-1`` for none) of the nodes whose term codes are ``values``, given rows by term text."""
    lookup = np.full(codes.size, -1, dtype=np.int64)
    texts = list(row_by_text)
    for code, text in zip(codes.of(texts), texts):
        if code >= 0:
            lookup[code] = row_by_text[text]
    return np.where(values >= 0, lookup[np.maximum(values, 0)], -1)


def _pyoxigraph_terms(terms: pa.Array, codes: np.ndarray) -> dict[int, Any]:
    """pyoxigraph terms for the given codes (the small part of a graph: entities, references, …)."""
    import pyoxigraph

    from .ntriples_columns import literal_parts

    wanted = np.unique(codes)
    texts = terms.take(pa.array(wanted))
    values, datatypes = literal_parts(texts)
    out: dict[int, Any] = {}
    try:
        for code, text, value, datatype in zip(wanted.tolist(), texts.to_pylist(), values.to_pylist(),
                                               datatypes.to_pylist()):
            if text.startswith("<"):
                out[code] = pyoxigraph.NamedNode(text[1:-1])
            elif text.startswith("_:"):
                out[code] = pyoxigraph.BlankNode(text[2:])
            elif text.startswith("\x01"):
                _, language, _ = text[1:].split("\x01", 2)
                out[code] = (pyoxigraph.Literal(value, language=language) if language
                             else pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype)))
            else:
                out[code] = pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype))
    except ValueError:
        raise _Unmapped("term") from None
    return out


def _node_text(term: Any) -> str:
    from .ntriples_columns import term_text

    return term_text(term)


class _EdgeLabels:
    """``node → "subject predicate object"`` for association nodes of the bulk, looked up on demand."""

    def __init__(self, bulk: _Bulk, edge_row: np.ndarray, edges: pa.Table, entity_keys: list[str]):
        self.bulk, self.edge_row, self.edges, self.keys = bulk, edge_row, edges, entity_keys

    def _row(self, node: Any) -> int:
        code = self.bulk.codes.of([_node_text(node)])[0]
        return int(self.bulk.row_of_node[code]) if code >= 0 else -1

    def __contains__(self, node: Any) -> bool:
        return self._row(node) >= 0

    def __getitem__(self, node: Any) -> str:
        row = int(self.edge_row[self._row(node)])
        s, o = self.edges.column("subject")[row].as_py(), self.edges.column("object")[row].as_py()
        return f"{self.keys[s]} {self.edges.column('predicate')[row].as_py()} {self.keys[o]}"


def _columnar_ntriples(path: str | os.PathLike[str], check_size: bool = True) -> ColumnarGraph:
    """Read an N-Triples file on whole columns (:mod:`.ntriples_columns`), or raise :class:`_Unmapped`."""
    from .ntriples_columns import NotPlain, read_ntriples

    try:
        triples = read_ntriples(path, current_limits(), _wanted_predicates, check_size=check_size)
    except (NotPlain, OSError, pa.ArrowException):
        raise _Unmapped("not plain") from None
    bulk = _Bulk(triples)
    small = bulk.small_triples()
    s, p, o = triples.s[small], triples.p[small], triples.o[small]
    term = _pyoxigraph_terms(triples.terms, np.concatenate([s, p, o]))
    nodes = _Nodes()
    add = nodes.add
    for si, pi, oi in zip(s.tolist(), p.tolist(), o.tolist()):
        add(term[si], term[pi].value, term[oi])
    return _map(nodes, bulk)


def _columnar_turtle(path: str | os.PathLike[str]) -> ColumnarGraph:
    """Turtle rewritten as N-Triples by pyoxigraph (in Rust, into a temporary file), then read on columns."""
    import tempfile

    import pyoxigraph

    from .ntriples_columns import NotPlain, check_lines

    limits = current_limits()
    try:
        if os.path.getsize(path) > limits.max_file_bytes:
            raise _Unmapped("size")
        check_lines(path, limits)
    except (NotPlain, OSError):
        raise _Unmapped("input") from None
    with tempfile.TemporaryDirectory(prefix="mtorgraph-ttl-") as folder:
        nt = os.path.join(folder, "graph.nt")
        try:
            with open(nt, "wb") as out:
                pyoxigraph.serialize(pyoxigraph.parse(path=os.fspath(path), format=pyoxigraph.RdfFormat.TURTLE),
                                     out, format=pyoxigraph.RdfFormat.N_TRIPLES)
        except (SyntaxError, ValueError, OSError):
            raise _Unmapped("syntax") from None
        return _columnar_ntriples(nt, check_size=False)


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
        try:
            return _columnar_ntriples(path) if name == "nt" else _columnar_turtle(path)
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


def _text_ok(column: Any, required: bool) -> bool:
    """No empty string in a text column (and no null when ``required``): the model's ``min_length=1``."""
    if required and column.null_count:
        return False
    return not pc.any(pc.equal(pc.utf8_length(column), 0)).as_py()


def _passes_model_rules(graph: ColumnarGraph) -> bool:
    """Whether the columns pass every rule the model would check and the mapping does not.

    Entities, references and links are few: they are validated record by record with the model
    classes. Edges and evidence are the bulk: their rules are whole-column checks (closed
    vocabularies and required values by :func:`~mtorgraph.columnar.checks.table_problems`,
    non-empty findings and experiments, ``n`` ≥ 1). Edge ends, evidence references, unique keys
    and what claims, questions and open questions name were checked by the mapping.
    """
    from ..columnar.checks import table_problems
    from ..model import Entity, Reference, StructuralLink

    if table_problems(graph.tables):
        return False
    for model, records in ((Entity, graph.entities), (Reference, graph.references),
                           (StructuralLink, graph.links)):
        for record in records:
            model.model_validate(record.model_dump())
    evidence = graph.tables["evidence"]
    if not (_text_ok(evidence.column("finding"), True) and _text_ok(evidence.column("experiment"), False)):
        return False
    n = evidence.column("n")
    if len(n) - n.null_count and pc.min(n).as_py() < 1:
        return False
    keys = [q.key for q in graph.open_questions]
    return len(set(keys)) == len(keys)


def open_rdf_columns(path: str | os.PathLike[str]) -> ColumnarGraph:
    """Open an RDF export as validated columns, never building a model object per edge or evidence item.

    Gives the graph :func:`load_rdf_fast` gives, as columns: if the fast mapping or a model rule
    fails, the file is read as :func:`load_rdf_fast` reads it, which reports the problem with the
    exact reader's message.
    """
    found = _fast(path)
    if found is not None:
        try:
            if _passes_model_rules(found):
                return found
        except (ValidationError, MtorgraphError, KeyError, ValueError, pa.ArrowException):
            pass
    return ColumnarGraph.from_model(load_rdf_fast(path))


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

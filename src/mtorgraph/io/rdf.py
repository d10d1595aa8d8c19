"""RDF export and import: :func:`to_rdf`, :func:`from_rdf`, text in five formats, files.

The export (design §5) writes each edge twice: the direct triple ``<subject> mtg:inhibits
<object>`` and an association node that is ``mtg:Assertion``, ``biolink:Association`` and
``rdf:Statement``, with Biolink qualifiers, ``mtg:sign``, ``mtg:belief`` (when the caller gives
beliefs) and one node per piece of evidence (typed with its ECO class, linked to publication IRIs,
carrying every context field, its basis and experiment). Structural links are written with their
standard predicates plus an ``mtg:Link`` node with evidence; open questions, the graph's title and
its questions follow. Entities keep their ontology IRIs; the vocabulary is
``ontology/mtorgraph.ttl``.

Reading an export back gives the same graph: ``from_rdf(to_rdf(g)) == g``. Derived values (sign,
belief, Biolink qualifiers, publication links) are written for consumers and ignored on import.

>>> from mtorgraph.io import load_graph
>>> g = load_graph("tests/data/mini.yaml")
>>> from_rdf(to_rdf(g)) == g
True
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from ..errors import MtorgraphError
from ..model import (
    Claim,
    Context,
    Edge,
    Entity,
    Evidence,
    MechanismGraph,
    OpenQuestion,
    Question,
    Reference,
    StructuralLink,
)
from ..vocab import ENTITY_KINDS, EVIDENCE_KINDS, PREDICATES, PREFIX_IRIS, VOCAB_IRI
from .rdf_blocks import Beliefs, iter_blocks
from .rdf_canonical import canonical_jsonld, ordered_graph, refuse_xml_illegal
from .rdf_input import check_export, read_rdf
from .rdf_stream import expand_list, write_trig
from .rdf_vocab import MTG, PREFIXES, evidence_class, kind_class
from .registry import RDF_SUFFIXES

__all__ = [
    "RDF_FORMATS",
    "from_rdf",
    "load_rdf",
    "parse_rdf",
    "to_jsonld",
    "to_ntriples",
    "to_rdf",
    "to_rdfxml",
    "to_trig",
    "to_turtle",
]

#: RDF formats: name → (file suffixes, rdflib parser name); suffixes from the registry's one table.
RDF_FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    name: (RDF_SUFFIXES[name], parser)
    for name, parser in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("trig", "trig"), ("xml", "xml"))
}

_ESCAPE = re.compile(r'\\(["\\nrtbf\']|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')
_SIMPLE = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "'": "'"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _SIMPLE.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), text)


def _to_term(term: str) -> URIRef | BNode | Literal:
    if term[0] == "<":
        return URIRef(term[1:-1])
    if term[0] == "_":
        return BNode(term[2:])
    end = term.rfind('"')
    lexical, rest = _unescape(term[1:end]), term[end + 1:]
    return Literal(lexical, datatype=URIRef(rest[3:-1])) if rest.startswith("^^") else Literal(lexical)


def _bind(rdf: Graph) -> None:
    for prefix, iri in PREFIXES.items():
        rdf.bind(prefix, iri, override=True, replace=True)


def to_rdf(graph: MechanismGraph, beliefs: Beliefs = None) -> Graph:
    """The graph as an rdflib :class:`~rdflib.Graph` (the same triples as every text export).

    :param beliefs: each edge's and link's belief, by key or as a callable (see :func:`iter_blocks`);
        ``None`` writes no ``mtg:belief``.
    :raises MtorgraphError: if an entity id has no IRI expansion or two entities share an id.
    """
    rdf = Graph()
    _bind(rdf)
    cache: dict[str, Any] = {}

    def term(text: str) -> Any:
        found = cache.get(text)
        if found is None:
            found = cache[text] = _to_term(text)
        return found

    add = rdf.add
    for _, subject, pairs in iter_blocks(graph, beliefs):
        for predicate, obj in pairs:
            if isinstance(obj, str):
                add((term(subject), term(predicate), term(obj)))
            else:
                for s, p, o in expand_list(subject, predicate, obj):
                    add((term(s), term(p), term(o)))
    return rdf


def _stream(writer: Callable[..., int], graph: MechanismGraph, beliefs: Beliefs) -> str:
    buffer = io.StringIO()
    writer(graph, buffer, iter_blocks(graph, beliefs))
    return buffer.getvalue()


def to_ntriples(graph: MechanismGraph, beliefs: Beliefs = None) -> str:
    """N-Triples text, from the column-wise writer (deterministic line order).

    Every writer takes ``beliefs`` as :func:`to_rdf` does.
    """
    from .rdf_writers import dump_ntriples

    buffer = io.BytesIO()
    dump_ntriples(graph, buffer, beliefs)
    return buffer.getvalue().decode("utf-8")


def to_turtle(graph: MechanismGraph, beliefs: Beliefs = None) -> str:
    """Turtle text, from the column-wise writer: prefixed names, one paragraph per node."""
    from .rdf_writers import dump_turtle

    buffer = io.BytesIO()
    dump_turtle(graph, buffer, beliefs)
    return buffer.getvalue().decode("utf-8")


def to_trig(graph: MechanismGraph, beliefs: Beliefs = None) -> str:
    """TriG text: a named graph per assertion and one for its provenance (see :func:`write_trig`)."""
    return _stream(write_trig, graph, beliefs)


def to_jsonld(graph: MechanismGraph, beliefs: Beliefs = None) -> str:
    """Compact JSON-LD with the context embedded, so reading it back needs no network (byte-identical
    across runs, see :mod:`mtorgraph.io.rdf_canonical`)."""
    return canonical_jsonld(to_rdf(graph, beliefs))


def to_rdfxml(graph: MechanismGraph, beliefs: Beliefs = None) -> str:
    """RDF/XML text (rdflib's plain writer, which keeps ordered lists intact; byte-identical across runs).

    :raises MtorgraphError: if a text holds a character XML cannot carry (e.g. a control character).
    """
    rdf = to_rdf(graph, beliefs)
    refuse_xml_illegal(rdf)
    return ordered_graph(rdf).serialize(format="xml")


def rdf_format_for(path: str | os.PathLike[str]) -> str:
    """The RDF format name (``turtle``, ``nt``, ``jsonld``, ``trig``, ``xml``) for a file's suffix.

    :raises MtorgraphError: if the suffix names no RDF format.
    """
    suffix = Path(path).suffix.lower()
    for name, (suffixes, _) in RDF_FORMATS.items():
        if suffix in suffixes:
            return name
    known = ", ".join(s for suffixes, _ in RDF_FORMATS.values() for s in suffixes)
    raise MtorgraphError(f"{path}: cannot tell the RDF format from the suffix {suffix!r}; use one of {known}")


def parse_rdf(path: str | os.PathLike[str], format: str | None = None) -> Graph:
    """Parse an RDF file into one rdflib Graph (TriG: the union of its graphs), offline.

    Reading is offline and bounded (see :mod:`mtorgraph.io.rdf_input`).

    :raises MtorgraphError: (an :class:`~mtorgraph.errors.InputError`) if the file is missing,
        refused or not valid RDF of that format, with the parser's line and reason.
    """
    name = format or rdf_format_for(path)
    rdf = read_rdf(path, name, RDF_FORMATS[name][1])
    _bind(rdf)
    return rdf


def load_rdf(path: str | os.PathLike[str]) -> MechanismGraph:
    """Load a graph from an RDF export (Turtle, N-Triples, JSON-LD, TriG or RDF/XML).

    :raises MtorgraphError: if the file cannot be parsed, is not an mtorgraph export (holds no
        ``mtg:Entity``) or does not describe a valid graph.
    """
    rdf = parse_rdf(path)
    check_export(path, rdf)
    return from_rdf(rdf, source=str(path))


# ---- reading back ----------------------------------------------------------------------------

_KIND_OF_CLASS = {MTG[kind_class(k)]: k for k in ENTITY_KINDS}
_EVIDENCE_OF_CLASS = {MTG[evidence_class(k)]: k for k in EVIDENCE_KINDS}
_PREDICATE_OF = {URIRef(VOCAB_IRI + p): p for p in PREDICATES}
_NAMESPACES = sorted(((iri, prefix) for prefix, iri in PREFIX_IRIS.items() if prefix != "biolink"),
                     key=lambda pair: -len(pair[0]))
_CONTEXT = {"species": "species", "anatomy": "anatomy", "cellType": "cell_type", "model": "model",
            "design": "design", "route": "route", "dose": "dose", "timepoint": "timepoint",
            "population": "population", "n": "n"}
_REFERENCE = {"title": "title", "authors": "authors", "year": "year", "journal": "journal", "volume": "volume",
              "pages": "pages", "doi": "doi", "pmid": "pmid", "pmcid": "pmcid", "url": "url",
              "studyType": "study_type", "verified": "verified", "verificationNote": "verification_note"}


def _curie(iri: str, source: str) -> str:
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    raise MtorgraphError(f"{source}: entity <{iri}> is in no namespace of the prefix map; "
                         "entities must use ontology IRIs (see vocab.PREFIX_IRIS)")


class _Reader:
    def __init__(self, rdf: Graph, source: str):
        self.rdf, self.source = rdf, source

    def fail(self, node: Any, message: str) -> MtorgraphError:
        return MtorgraphError(f"{self.source}: <{node}> {message}")

    def values(self, node: Any, name: str) -> list[Any]:
        return list(self.rdf.objects(node, RDFS.label if name == "label" else MTG[name]))

    def one(self, node: Any, name: str, required: bool = False) -> Any:
        found = self.values(node, name)
        shown = "rdfs:label" if name == "label" else f"mtg:{name}"
        if len(found) > 1:
            raise self.fail(node, f"has {len(found)} values for {shown}; expected one")
        if not found:
            if required:
                raise self.fail(node, f"has no {shown}; is this an mtorgraph export?")
            return None
        value = found[0]
        return value.toPython() if isinstance(value, Literal) and value.datatype else str(value)

    def items(self, node: Any, name: str) -> tuple[Any, ...]:
        heads = list(self.rdf.objects(node, MTG[name]))
        if len(heads) > 1:
            raise self.fail(node, f"has {len(heads)} values for mtg:{name}; expected one list")
        if not heads:
            return ()
        try:
            return tuple(Collection(self.rdf, heads[0]))
        except ValueError as exc:  # a cyclic rdf:rest
            raise self.fail(node, f"has a broken mtg:{name} list ({exc})") from None

    def node(self, node: Any, prop: Any) -> Any:
        """The single object of ``prop`` (an rdflib term), refusing several."""
        found = list(self.rdf.objects(node, prop))
        if len(found) > 1:
            raise self.fail(node, f"has {len(found)} values for {prop.n3(self.rdf.namespace_manager)}; expected one")
        return found[0] if found else None

    def fields(self, node: Any, table: dict[str, str]) -> dict[str, Any]:
        out = {}
        for prop, field in table.items():
            value = self.one(node, prop)
            if value is not None:
                out[field] = value
        return out


def _entity(r: _Reader, node: Any) -> Entity:
    kinds = [_KIND_OF_CLASS[t] for t in r.rdf.objects(node, RDF.type) if t in _KIND_OF_CLASS]
    if len(kinds) != 1:
        raise r.fail(node, f"needs exactly one entity kind class (mtg:Chemical, …), found {len(kinds)}")
    return Entity(key=r.one(node, "key", True), id=_curie(str(node), r.source), label=r.one(node, "label", True),
                  name=r.one(node, "name", True), kind=kinds[0], id_status=r.one(node, "idStatus", True),
                  synonyms=tuple(str(s) for s in r.items(node, "synonyms")),
                  xrefs=tuple(str(x) for x in r.items(node, "xrefs")), note=r.one(node, "note"))


def _evidence(r: _Reader, node: Any, ref_keys: dict[Any, str]) -> tuple[int, Evidence]:
    kinds = [_EVIDENCE_OF_CLASS[t] for t in r.rdf.objects(node, RDF.type) if t in _EVIDENCE_OF_CLASS]
    if len(kinds) != 1:
        raise r.fail(node, f"needs exactly one evidence kind class (mtg:RctEvidence, …), found {len(kinds)}")
    ref = r.node(node, MTG.reference)
    if ref not in ref_keys:
        raise r.fail(node, f"cites {ref}, which is not an mtg:Reference in this file")
    rank = r.one(node, "rank", True)
    if not isinstance(rank, int) or isinstance(rank, bool):
        raise r.fail(node, f"has mtg:rank {rank!r}; expected an xsd:integer")
    return rank, Evidence(
        reference=ref_keys[ref], kind=kinds[0], direction=r.one(node, "direction", True),
        context=Context(**r.fields(node, _CONTEXT)), finding=r.one(node, "finding", True),
        effect=r.one(node, "effect"), p_value=r.one(node, "pValue"), experiment=r.one(node, "experiment"),
        basis=r.one(node, "basis") or "own_result")


def _ends(r: _Reader, node: Any, entity_keys: dict[Any, str]) -> list[str]:
    ends = []
    for prop in (RDF.subject, RDF.object):
        end = r.node(node, prop)
        if end not in entity_keys:
            raise r.fail(node, f"has {prop.n3(r.rdf.namespace_manager)} {end}, which is not an mtg:Entity here")
        ends.append(entity_keys[end])
    return ends


def _node_evidence(r: _Reader, node: Any, ref_keys: dict[Any, str]) -> tuple[Evidence, ...]:
    evidence = sorted((_evidence(r, ev, ref_keys) for ev in r.values(node, "evidence")), key=lambda pair: pair[0])
    if not evidence:
        raise r.fail(node, "has no mtg:evidence; every edge and link needs at least one")
    return tuple(e for _, e in evidence)


def _link(r: _Reader, node: Any, entity_keys: dict[Any, str], ref_keys: dict[Any, str]) -> StructuralLink:
    subject, obj = _ends(r, node, entity_keys)
    return StructuralLink(subject=subject, relation=r.one(node, "relation", True), object=obj,
                          evidence=_node_evidence(r, node, ref_keys), note=r.one(node, "note"))


def _open_question(r: _Reader, node: Any, entity_keys: dict[Any, str], ref_keys: dict[Any, str]) -> OpenQuestion:
    proposer = r.rdf.value(node, MTG.proposedBy)
    if proposer not in ref_keys:
        raise r.fail(node, f"has mtg:proposedBy {proposer}, which is not an mtg:Reference in this file")
    entities = []
    for item in r.items(node, "entities"):
        if item not in entity_keys:
            raise r.fail(node, f"names {item} in mtg:entities, which is not an mtg:Entity here")
        entities.append(entity_keys[item])
    return OpenQuestion(key=r.one(node, "key", True), question=r.one(node, "question", True),
                        proposed_by=ref_keys[proposer], statement=r.one(node, "statement", True),
                        would_test=r.one(node, "wouldTest", True), entities=tuple(entities), note=r.one(node, "note"))


def _description(r: _Reader, entity_keys: dict[Any, str]) -> tuple[str | None, tuple[Question, ...]]:
    nodes = set(r.rdf.subjects(RDF.type, MTG.GraphDescription))
    if not nodes:
        return None, ()
    if len(nodes) > 1:
        raise r.fail(sorted(nodes, key=str)[1], "is a second mtg:GraphDescription; a graph has one")
    node = nodes.pop()
    questions = []
    for q in r.items(node, "questions"):
        ends = []
        for prop in ("questionSource", "questionTarget"):
            end = r.rdf.value(q, MTG[prop])
            if end not in entity_keys:
                raise r.fail(q, f"has mtg:{prop} {end}, which is not an mtg:Entity here")
            ends.append(entity_keys[end])
        questions.append(Question(source=ends[0], target=ends[1], title=r.one(q, "title")))
    return r.one(node, "title"), tuple(questions)


def _edge(r: _Reader, node: Any, entity_keys: dict[Any, str], ref_keys: dict[Any, str]) -> Edge:
    ends = _ends(r, node, entity_keys)
    predicate = _PREDICATE_OF.get(r.node(node, RDF.predicate))
    if predicate is None:
        raise r.fail(node, f"has rdf:predicate {r.rdf.value(node, RDF.predicate)}; expected one of "
                           + ", ".join(f"mtg:{p}" for p in PREDICATES))
    return Edge(subject=ends[0], predicate=predicate, object=ends[1], evidence=_node_evidence(r, node, ref_keys),
                note=r.one(node, "note"))


def from_rdf(rdf: Graph, source: str = "RDF") -> MechanismGraph:
    """Read a graph back from its RDF (as :func:`to_rdf` or any text export wrote it).

    Collections are sorted as the curated loader sorts them: entities and references by key,
    edges and links by (subject, predicate or relation, object), open questions by key, claims by
    number; the graph's questions keep their order.

    :param source: a name for the input in error messages (e.g. the file name).
    :raises MtorgraphError: naming the node and what is missing or wrong.
    """
    r = _Reader(rdf, source)
    try:
        entity_nodes = sorted(set(rdf.subjects(RDF.type, MTG.Entity)), key=str)
        entities = [_entity(r, n) for n in entity_nodes]
        entity_keys = {n: e.key for n, e in zip(entity_nodes, entities)}
        ref_nodes = sorted(set(rdf.subjects(RDF.type, MTG.Reference)), key=str)
        references = [Reference(key=r.one(n, "key", True), **r.fields(n, _REFERENCE),
                                seen_at=tuple(str(s) for s in r.items(n, "seenAt"))) for n in ref_nodes]
        ref_keys = {n: ref.key for n, ref in zip(ref_nodes, references)}
        # every kind of node in one order (rdflib's follows string hashing): the first problem
        # found, and the order of claims with equal numbers, are the same in every run
        assertion_nodes = sorted(set(rdf.subjects(RDF.type, MTG.Assertion)), key=str)
        edges = {n: _edge(r, n, entity_keys, ref_keys) for n in assertion_nodes}
        claims = []
        for n in sorted(set(rdf.subjects(RDF.type, MTG.Claim)), key=str):
            missing = [e for e in r.items(n, "edges") if e not in edges]
            if missing:
                raise r.fail(n, f"names {missing[0]}, which is not an mtg:Assertion here")
            claims.append(Claim(id=r.one(n, "claimId", True), section=r.one(n, "section", True),
                                statement=r.one(n, "statement", True), verdict=r.one(n, "verdict", True),
                                references=tuple(ref_keys.get(x, str(x)) for x in r.items(n, "references")),
                                edges=tuple(edges[e].label for e in r.items(n, "edges")),
                                literature_says=r.one(n, "literatureSays")))
        links = [_link(r, n, entity_keys, ref_keys) for n in sorted(set(rdf.subjects(RDF.type, MTG.Link)), key=str)]
        open_questions = [_open_question(r, n, entity_keys, ref_keys)
                          for n in sorted(set(rdf.subjects(RDF.type, MTG.OpenQuestion)), key=str)]
        title, questions = _description(r, entity_keys)
        return MechanismGraph(
            entities=tuple(sorted(entities, key=lambda e: e.key)),
            references=tuple(sorted(references, key=lambda x: x.key)),
            edges=tuple(sorted(edges.values(), key=lambda e: e.key)),
            claims=tuple(sorted(claims, key=lambda c: int(c.id[1:]) if c.id[1:].isdigit() else 0)),
            links=tuple(sorted(links, key=lambda li: li.key)),
            open_questions=tuple(sorted(open_questions, key=lambda q: q.key)),
            title=title, questions=questions)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise MtorgraphError(f"{source}: does not describe a valid mtorgraph graph: "
                             f"{exc.title} {where}: {err['msg']}") from None

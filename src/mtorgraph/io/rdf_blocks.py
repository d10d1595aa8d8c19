"""The one mapping from the model to RDF, as blocks of ready-rendered N-Triples terms.

Every RDF output goes through :func:`iter_blocks`: the streaming N-Triples and Turtle writers
print the terms as they are; :func:`mtorgraph.io.rdf.to_rdf` turns them into rdflib terms. So all
formats carry exactly the same triples. A block is ``(graph, subject, pairs)``: the named graph the
triples belong to in TriG (``None`` for the default graph), the subject term, and its
``(predicate, object)`` pairs. An object is a term, or a tuple of terms for an ordered rdf:List;
only default-graph blocks (entities, references, claims) hold lists, which lets writers take a
fast path for the many edge and evidence blocks.

Terms are N-Triples text: ``<iri>``, ``"text"`` or ``"5"^^<…#integer>``. Rendering them once, here,
is what lets the streaming writer skip every per-triple object rdflib would build.

IRIs are stable content hashes: an assertion's hashes its subject id, predicate and object id;
an evidence's hashes its assertion, reference, kind, direction and occurrence, so editing a
finding's wording does not move it. Entities keep their ontology IRIs (Biolink's prefix map).

A structural link is written like an edge: direct triples with the standard predicates (the
OBO/RDFS one and the Biolink one, see :data:`LINK_PREDICATES`) and an ``mtg:Link`` association
node with its evidence. Open questions, and the graph's title and questions, are default-graph
blocks.

Beliefs are not computed here (io does not depend on analysis): the caller passes them, as a
mapping from an edge's or link's key to its belief, or a callable; without them no
``mtg:belief`` is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

from ..errors import MtorgraphError
from ..model import Claim, Edge, Entity, Evidence, MechanismGraph, OpenQuestion, Reference, StructuralLink
from ..vocab import ANATOMY_IDS, BIOLINK_CATEGORY, EVIDENCE_KINDS, KG_IRI, PREDICATES, SPECIES, VOCAB_IRI, expand_curie
from .rdf_vocab import MTG, evidence_class, kind_class

__all__ = ["GRAPH_IRI", "LINK_PREDICATES", "Beliefs", "Block", "Term", "format_literal", "is_belief_columns",
           "iter_blocks", "open_question_iri", "reference_iri", "tail_blocks"]

Term = str
Block = tuple["str | None", str, list[tuple[str, "str | tuple[str, ...]"]]]
#: What a writer may be given for beliefs: a ``BeliefColumns`` (``.edges``/``.links`` arrays
#: aligned with the graph's edge and link rows), a mapping from an edge's or link's key to its
#: belief, a callable on the edge or link, or ``None`` (no ``mtg:belief`` written).
Beliefs = Mapping[tuple[str, str, str], float] | Callable[[Edge | StructuralLink], float] | Any | None

#: Each structural relation's standard predicates: the OBO (BFO/RO) or RDFS IRI and the Biolink
#: slot (Biolink's exact mappings: part_of ↔ BFO:0000050, participates_in ↔ RO:0000056,
#: subclass_of ↔ rdfs:subClassOf, model_of ↔ RO:0003301).
LINK_PREDICATES: dict[str, tuple[str, str]] = {
    "part_of": ("http://purl.obolibrary.org/obo/BFO_0000050", "https://w3id.org/biolink/vocab/part_of"),
    "participates_in": ("http://purl.obolibrary.org/obo/RO_0000056",
                        "https://w3id.org/biolink/vocab/participates_in"),
    "subclass_of": ("http://www.w3.org/2000/01/rdf-schema#subClassOf", "https://w3id.org/biolink/vocab/subclass_of"),
    "model_of": ("http://purl.obolibrary.org/obo/RO_0003301", "https://w3id.org/biolink/vocab/model_of"),
}
#: The node that describes the graph itself (title and questions).
GRAPH_IRI = f"{KG_IRI}graph-description"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_BL = "https://w3id.org/biolink/vocab/"
TYPE = f"<{_RDF}type>"
INTEGER, DECIMAL, BOOLEAN = f"^^<{_XSD}integer>", f"^^<{_XSD}decimal>", f"^^<{_XSD}boolean>"
TRUE = f'"true"{BOOLEAN}'

#: ``M["finding"]`` is the term ``<…/vocab/finding>``; only names of the closed namespace exist.
M = {name: f"<{VOCAB_IRI}{name}>" for name in MTG.__annotations__}
B = {name: f"<{_BL}{name}>" for name in (
    "Association", "Publication", "category", "knowledge_level", "agent_type", "qualified_predicate",
    "object_direction_qualifier", "negated", "species_context_qualifier", "anatomical_context_qualifier",
    "publications", "has_evidence_of_type", "causes", "subject", "predicate", "object")}
R = {name: f"<{_RDF}{name}>" for name in ("Statement", "subject", "predicate", "object")}

_CONTEXT_FIELDS = {"species": "species", "anatomy": "anatomy", "cell_type": "cellType", "model": "model",
                   "design": "design", "route": "route", "dose": "dose", "timepoint": "timepoint",
                   "population": "population"}
_REFERENCE_FIELDS = {"title": "title", "authors": "authors", "journal": "journal", "volume": "volume",
                     "pages": "pages", "url": "url", "doi": "doi", "pmid": "pmid", "pmcid": "pmcid", "study_type": "studyType",
                     "verified": "verified", "verification_note": "verificationNote"}
_UNSAFE_IRI = {c: quote(c) for c in '<>"{}|^`\\ '}


def _iri(iri: str) -> Term:
    return f"<{iri}>"


def _safe_iri(iri: str) -> Term:
    """An IRI term for a link built from curated text; characters N-Triples forbids are %-encoded."""
    if any(c in iri for c in _UNSAFE_IRI) or any(ord(c) < 33 for c in iri):
        iri = "".join(_UNSAFE_IRI.get(c, quote(c) if ord(c) < 33 else c) for c in iri)
    return f"<{iri}>"


def format_literal(text: str) -> Term:
    r"""A plain (xsd:string) literal term, escaped for N-Triples and Turtle.

    >>> print(format_literal('say "hi"\nnow'))
    "say \"hi\"\nnow"
    """
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"'


def _int(value: int) -> Term:
    return f'"{value}"{INTEGER}'


def _decimal(value: float) -> Term:
    text = f"{round(value, 4):.4f}".rstrip("0")
    return f'"{text}0"{DECIMAL}' if text.endswith(".") else f'"{text}"{DECIMAL}'


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def reference_iri(key: str) -> str:
    """The IRI of a reference node, from its key."""
    return f"{KG_IRI}reference/{key}"


_KIND_TYPE = {k: M[kind_class(k)] for k in BIOLINK_CATEGORY}
_CATEGORY = {k: _iri(expand_curie(c)) for k, c in BIOLINK_CATEGORY.items()}
_EVIDENCE_TYPES = {k: (M[evidence_class(k)], _iri(expand_curie(info.eco))) for k, info in EVIDENCE_KINDS.items()}
_SPECIES = {s: (format_literal(s), _iri(expand_curie(info.taxon)) if info.taxon else None)
            for s, info in SPECIES.items()}
_ANATOMY = {word: _iri(expand_curie(curie)) for word, curie in ANATOMY_IDS.items()}
_DIRECTION = {p: format_literal(info.direction) if info.direction else None for p, info in PREDICATES.items()}
_BIOLINK_PREDICATE = {p: _iri(expand_curie(info.biolink)) for p, info in PREDICATES.items()}


def _entity_terms(graph: MechanismGraph) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    owner: dict[str, str] = {}
    for entity in graph.entities:
        try:
            iri = expand_curie(entity.id)
        except KeyError:
            raise MtorgraphError(f"entity {entity.key!r}: the prefix of {entity.id!r} has no IRI in "
                                 "vocab.PREFIX_IRIS; use an id from a known ontology") from None
        if iri in owner:
            raise MtorgraphError(f"entities {owner[iri]!r} and {entity.key!r} share the id {entity.id!r}; "
                                 "an RDF export needs one node per id (merge them)")
        owner[iri] = entity.key
        terms[entity.key] = _iri(iri)
    return terms


def _entity_block(entity: Entity, term: Term) -> Block:
    pairs: list[tuple[str, str | tuple[str, ...]]] = [
        (TYPE, M["Entity"]), (TYPE, _KIND_TYPE[entity.kind]), (B["category"], _CATEGORY[entity.kind]),
        (M["key"], format_literal(entity.key)),
        ("<http://www.w3.org/2000/01/rdf-schema#label>", format_literal(entity.label)),
        (M["name"], format_literal(entity.name)), (M["idStatus"], format_literal(entity.id_status)),
    ]
    if entity.synonyms:
        pairs.append((M["synonyms"], tuple(format_literal(s) for s in entity.synonyms)))
    if entity.xrefs:
        pairs.append((M["xrefs"], tuple(format_literal(x) for x in entity.xrefs)))
    if entity.note is not None:
        pairs.append((M["note"], format_literal(entity.note)))
    return None, term, pairs


def _reference_block(ref: Reference) -> Block:
    pairs: list[tuple[str, str | tuple[str, ...]]] = [
        (TYPE, M["Reference"]), (TYPE, B["Publication"]), (M["key"], format_literal(ref.key))]
    for field, prop in _REFERENCE_FIELDS.items():
        value = getattr(ref, field)
        if value is not None:
            pairs.append((M[prop], format_literal(value)))
    if ref.year is not None:
        pairs.append((M["year"], _int(ref.year)))
    if ref.seen_at:
        pairs.append((M["seenAt"], tuple(format_literal(s) for s in ref.seen_at)))
    pairs += [("<http://www.w3.org/2000/01/rdf-schema#seeAlso>", _safe_iri(link))
              for link in ref.links.values()]
    return None, _iri(reference_iri(ref.key)), pairs


def _references(graph: MechanismGraph) -> dict[str, tuple[Term, list[Term]]]:
    """Each reference's node, and its publication IRIs (DOI, PubMed, PMC, URL; its node if none)."""
    return {ref.key: (_iri(reference_iri(ref.key)),
                      [_safe_iri(link) for link in ref.links.values()] or [_iri(reference_iri(ref.key))])
            for ref in graph.references}


_EVIDENCE_HEAD = {kind: [(TYPE, M["Evidence"]), (TYPE, kind_type), (TYPE, eco), (B["has_evidence_of_type"], eco)]
                  for kind, (kind_type, eco) in _EVIDENCE_TYPES.items()}
_EVIDENCE_DIRECTION = {d: (M["direction"], format_literal(d)) for d in ("supports", "refutes")}
_CONTEXT_TERMS = tuple((field, M[prop]) for field, prop in _CONTEXT_FIELDS.items())


def _predicate_head(name: str) -> list[tuple[str, str]]:
    """The pairs every association with this predicate has, rendered once."""
    info = PREDICATES[name]
    head = [(TYPE, M["Assertion"]), (TYPE, B["Association"]), (TYPE, R["Statement"]), (R["predicate"], M[name]),
            (M["biolinkPredicate"], _BIOLINK_PREDICATE[name]), (M["sign"], _int(info.sign))]
    if info.direction is not None:
        head += [(B["qualified_predicate"], B["causes"]), (B["object_direction_qualifier"], _DIRECTION[name])]
    if name == "no_effect_on":  # a null finding: Biolink's way to say "does not affect"
        head.append((B["negated"], TRUE))
    return head  # type: ignore[return-value]


_PREDICATE_HEAD = {name: _predicate_head(name) for name in PREDICATES}
_KNOWLEDGE = {True: [(M["hypothesis"], TRUE), (B["knowledge_level"], '"prediction"'), (B["agent_type"], '"manual_agent"')],
              False: [(B["knowledge_level"], '"knowledge_assertion"'), (B["agent_type"], '"manual_agent"')]}


_BASIS = {b: (M["basis"], format_literal(b)) for b in ("own_result", "cited_statement", "title_only")}


def _evidence_block(ev: Evidence, rank: int, reference: Term, publications: list[Term]) -> list[tuple[str, str]]:
    values = ev.__dict__  # the validated field values; read directly because this runs per evidence
    pairs = _EVIDENCE_HEAD[ev.kind] + [(M["rank"], _int(rank)), (M["reference"], reference),
                                       _EVIDENCE_DIRECTION[ev.direction], _BASIS[values["basis"]],
                                       (M["finding"], format_literal(ev.finding))]
    if values["experiment"] is not None:
        pairs.append((M["experiment"], format_literal(values["experiment"])))
    pairs += [(B["publications"], p) for p in publications]
    if values["effect"] is not None:
        pairs.append((M["effect"], format_literal(values["effect"])))
    if values["p_value"] is not None:
        pairs.append((M["pValue"], format_literal(values["p_value"])))
    ctx = values["context"].__dict__
    for field, prop in _CONTEXT_TERMS:
        value = ctx[field]
        if value is not None:
            pairs.append((prop, format_literal(value)))
    if ctx["n"] is not None:
        pairs.append((M["n"], _int(ctx["n"])))
    species, anatomy = ctx["species"], ctx["anatomy"]
    if species is not None and _SPECIES[species][1]:
        pairs.append((B["species_context_qualifier"], _SPECIES[species][1]))  # type: ignore[arg-type]
    if anatomy is not None and anatomy.lower() in _ANATOMY:
        pairs.append((B["anatomical_context_qualifier"], _ANATOMY[anatomy.lower()]))
    return pairs


def _evidence_terms(h: str, evidence: tuple[Evidence, ...]) -> list[Term]:
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for ev in evidence:
        who = (ev.reference, ev.kind, ev.direction)
        seen[who] = seen.get(who, 0) + 1
        out.append(f"<{KG_IRI}evidence/{_hash(h, *who, str(seen[who]))}>")
    return out


def _edge_blocks(edge: Edge, terms: dict[str, Term], ids: dict[str, str], belief: float | None,
                 references: dict[str, tuple[Term, list[Term]]]) -> Iterator[Block]:
    h = _hash(ids[edge.subject], edge.predicate, ids[edge.object])
    node = f"<{KG_IRI}assertion/{h}>"
    in_assertion, in_provenance = f"<{KG_IRI}graph/{h}/assertion>", f"<{KG_IRI}graph/{h}/provenance>"
    subject, obj = terms[edge.subject], terms[edge.object]
    yield in_assertion, subject, [(M[edge.predicate], obj)]
    evidence_terms = _evidence_terms(h, edge.evidence)
    pairs: list[tuple[str, str | tuple[str, ...]]] = _PREDICATE_HEAD[edge.predicate] + [
        (R["subject"], subject), (R["object"], obj),
        (B["subject"], subject), (B["predicate"], _BIOLINK_PREDICATE[edge.predicate]), (B["object"], obj)]
    if belief is not None:
        pairs.append((M["belief"], _decimal(belief)))
    pairs += _KNOWLEDGE[edge.is_hypothesis]
    pairs += [(M["evidence"], t) for t in evidence_terms]
    if edge.note is not None:
        pairs.append((M["note"], format_literal(edge.note)))
    yield in_assertion, node, pairs
    for rank, (ev, term) in enumerate(zip(edge.evidence, evidence_terms)):
        yield in_provenance, term, _evidence_block(ev, rank, *references[ev.reference])


_LINK_HEAD = {relation: [(TYPE, M["Link"]), (TYPE, B["Association"]), (TYPE, R["Statement"]),
                         (R["predicate"], _iri(biolink)), (M["relation"], format_literal(relation)),
                         (B["knowledge_level"], '"knowledge_assertion"'), (B["agent_type"], '"manual_agent"')]
              for relation, (_obo, biolink) in LINK_PREDICATES.items()}


def _link_blocks(link: StructuralLink, terms: dict[str, Term], ids: dict[str, str], belief: float | None,
                 references: dict[str, tuple[Term, list[Term]]]) -> Iterator[Block]:
    h = _hash(ids[link.subject], link.relation, ids[link.object])
    node = f"<{KG_IRI}link/{h}>"
    in_assertion, in_provenance = f"<{KG_IRI}graph/{h}/assertion>", f"<{KG_IRI}graph/{h}/provenance>"
    subject, obj = terms[link.subject], terms[link.object]
    obo, biolink = LINK_PREDICATES[link.relation]
    yield in_assertion, subject, [(_iri(obo), obj), (_iri(biolink), obj)]
    evidence_terms = _evidence_terms(h, link.evidence)
    pairs: list[tuple[str, str | tuple[str, ...]]] = _LINK_HEAD[link.relation] + [
        (R["subject"], subject), (R["object"], obj),
        (B["subject"], subject), (B["predicate"], _iri(biolink)), (B["object"], obj)]
    if belief is not None:
        pairs.append((M["belief"], _decimal(belief)))
    pairs += [(M["evidence"], t) for t in evidence_terms]
    if link.note is not None:
        pairs.append((M["note"], format_literal(link.note)))
    yield in_assertion, node, pairs
    for rank, (ev, term) in enumerate(zip(link.evidence, evidence_terms)):
        yield in_provenance, term, _evidence_block(ev, rank, *references[ev.reference])


def open_question_iri(key: str) -> str:
    """The IRI of an open question node, from its key."""
    return f"{KG_IRI}open-question/{key}"


def _open_question_block(oq: OpenQuestion, terms: dict[str, Term]) -> Block:
    pairs: list[tuple[str, str | tuple[str, ...]]] = [
        (TYPE, M["OpenQuestion"]), (M["key"], format_literal(oq.key)), (M["question"], format_literal(oq.question)),
        (M["proposedBy"], _iri(reference_iri(oq.proposed_by))), (M["statement"], format_literal(oq.statement)),
        (M["wouldTest"], format_literal(oq.would_test))]
    if oq.entities:
        pairs.append((M["entities"], tuple(terms[key] for key in oq.entities)))
    if oq.note is not None:
        pairs.append((M["note"], format_literal(oq.note)))
    return None, _iri(open_question_iri(oq.key)), pairs


def _graph_blocks(graph: MechanismGraph, terms: dict[str, Term]) -> Iterator[Block]:
    if graph.title is None and not graph.questions:
        return
    questions = [f"<{GRAPH_IRI}/question/{i}>" for i in range(len(graph.questions))]
    pairs: list[tuple[str, str | tuple[str, ...]]] = [(TYPE, M["GraphDescription"])]
    if graph.title is not None:
        pairs.append((M["title"], format_literal(graph.title)))
    if questions:
        pairs.append((M["questions"], tuple(questions)))
    yield None, _iri(GRAPH_IRI), pairs
    for node, q in zip(questions, graph.questions):
        qpairs: list[tuple[str, str | tuple[str, ...]]] = [
            (TYPE, M["Question"]), (M["questionSource"], terms[q.source]), (M["questionTarget"], terms[q.target])]
        if q.title is not None:
            qpairs.append((M["title"], format_literal(q.title)))
        yield None, node, qpairs


def _claim_block(claim: Claim, ids: dict[str, str]) -> Block:
    pairs: list[tuple[str, str | tuple[str, ...]]] = [
        (TYPE, M["Claim"]), (M["claimId"], format_literal(claim.id)), (M["section"], format_literal(claim.section)),
        (M["statement"], format_literal(claim.statement)), (M["verdict"], format_literal(claim.verdict))]
    if claim.references:
        pairs.append((M["references"], tuple(_iri(reference_iri(r)) for r in claim.references)))
    if claim.edges:
        edges = []
        for label in claim.edges:
            s, p, o = label.split(" ")
            edges.append(f"<{KG_IRI}assertion/{_hash(ids[s], p, ids[o])}>")
        pairs.append((M["edges"], tuple(edges)))
    if claim.literature_says is not None:
        pairs.append((M["literatureSays"], format_literal(claim.literature_says)))
    return None, f"<{KG_IRI}claim/{claim.id}>", pairs


def is_belief_columns(beliefs: Beliefs) -> bool:
    """Whether ``beliefs`` holds arrays by row (a ``BeliefColumns``) rather than a mapping or callable."""
    return hasattr(beliefs, "edges") and hasattr(beliefs, "links") and not isinstance(beliefs, Mapping)


def _belief_function(beliefs: Beliefs) -> Callable[[Edge | StructuralLink], float | None]:
    if beliefs is None:
        return lambda item: None
    if callable(beliefs):
        return beliefs  # type: ignore[return-value]
    table = beliefs

    def look_up(item: Edge | StructuralLink) -> float:
        try:
            return table[item.key]
        except KeyError:
            raise MtorgraphError(f"no belief given for {item.label!r}; pass one for every edge and link "
                                 "(mtorgraph.analysis.scoring.edge_beliefs computes them)") from None
    return look_up


def iter_blocks(graph: MechanismGraph, beliefs: Beliefs = None) -> Iterator[Block]:
    """Every block of the graph's RDF, in a fixed order: the graph's description, entities,
    references, edges, structural links, open questions, claims.

    :param beliefs: each edge's and link's belief, by key or as a callable (the caller computes
        them, e.g. with :func:`mtorgraph.analysis.scoring.edge_beliefs`); ``None`` writes none.
    :raises MtorgraphError: if an entity id cannot become an IRI, two entities share one, or a
        belief is missing from the mapping.
    """
    terms = _entity_terms(graph)
    ids = {e.key: e.id for e in graph.entities}
    yield from _graph_blocks(graph, terms)
    for entity in graph.entities:
        yield _entity_block(entity, terms[entity.key])
    for ref in graph.references:
        yield _reference_block(ref)
    references = _references(graph)
    if is_belief_columns(beliefs):
        for edge, belief in zip(graph.edges, beliefs.edges):  # type: ignore[union-attr]
            yield from _edge_blocks(edge, terms, ids, float(belief), references)
    else:
        belief_of = _belief_function(beliefs)
        for edge in graph.edges:
            yield from _edge_blocks(edge, terms, ids, belief_of(edge), references)
    yield from tail_blocks(graph, beliefs, terms, ids, references)


def tail_blocks(graph: MechanismGraph, beliefs: Beliefs, terms: dict[str, Term], ids: dict[str, str],
                references: dict[str, tuple[Term, list[Term]]]) -> Iterator[Block]:
    """The blocks after the edges: structural links, open questions, claims."""
    if is_belief_columns(beliefs):
        link_beliefs = [float(b) for b in beliefs.links]  # type: ignore[union-attr]
        belief_of: Callable[[Any], float | None] = lambda link: link_beliefs[row[link.key]]
        row = {link.key: i for i, link in enumerate(graph.links)}
    else:
        belief_of = _belief_function(beliefs)
    for link in graph.links:
        yield from _link_blocks(link, terms, ids, belief_of(link), references)
    for oq in graph.open_questions:
        yield _open_question_block(oq, terms)
    for claim in graph.claims:
        yield _claim_block(claim, ids)

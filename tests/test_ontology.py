"""ontology/mtorgraph.ttl, the closed mtg: namespace and vocab.py agree, in both directions;
ontology/shapes.ttl enforces vocab.py's signs and namespaces."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

from mtorgraph.io.rdf import to_rdf
from mtorgraph.io.rdf_vocab import MTG, evidence_class, kind_class
from mtorgraph.io.shacl import find_shacl_violations
from mtorgraph.model import Edge, Entity, Evidence, MechanismGraph, Reference
from mtorgraph.vocab import (
    BIOLINK_CATEGORY,
    ENTITY_KINDS,
    EVIDENCE_KINDS,
    PREDICATES,
    PREFIX_IRIS,
    VOCAB_IRI,
    expand_curie,
)

from .conftest import ROOT

VOCAB = Namespace(VOCAB_IRI)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ROOT / "ontology" / "mtorgraph.ttl", format="turtle")


def declared(onto: Graph) -> set[str]:
    return {str(s)[len(VOCAB_IRI):] for s in onto.subjects(RDF.type, None) if str(s).startswith(VOCAB_IRI)}


def test_the_closed_namespace_and_the_ontology_declare_the_same_terms(onto):
    assert declared(onto) == set(MTG.__annotations__)


def test_the_namespace_is_closed():
    with pytest.raises(AttributeError):
        MTG.finidng  # noqa: B018


def test_every_term_has_a_label_and_a_type(onto):
    for name in declared(onto):
        node = VOCAB[name]
        assert onto.value(node, RDFS.label) is not None, name
        assert set(onto.objects(node, RDF.type)) & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                                                     OWL.AnnotationProperty}, name


# ---- predicates ----------------------------------------------------------------------------------

def test_every_vocab_predicate_is_in_the_ontology_with_its_sign_and_mappings(onto):
    for name, info in PREDICATES.items():
        node = VOCAB[name]
        assert (node, RDF.type, OWL.ObjectProperty) in onto, name
        assert onto.value(node, SKOS.notation) == Literal(name)
        assert onto.value(node, VOCAB.predicateSign).toPython() == info.sign, name
        assert onto.value(node, VOCAB.causal).toPython() is info.causal, name
        assert onto.value(node, VOCAB.biolinkPredicate) == URIRef(expand_curie(info.biolink)), name
        direction = onto.value(node, VOCAB.biolinkDirection)
        assert (str(direction) if direction is not None else None) == info.direction, name
        ro = {str(o) for o in onto.objects(node, SKOS.closeMatch) if "RO_" in str(o)}
        assert ro == ({expand_curie(info.ro)} if info.ro else set()), name


def test_every_ontology_predicate_is_in_vocab(onto):
    signed = {str(s)[len(VOCAB_IRI):] for s in onto.subjects(VOCAB.predicateSign, None)}
    assert signed == set(PREDICATES)


# ---- evidence kinds ------------------------------------------------------------------------------

def test_every_evidence_kind_is_a_class_with_its_eco_exact_match_and_prior(onto):
    for name, info in EVIDENCE_KINDS.items():
        node = VOCAB[evidence_class(name)]
        assert (node, RDFS.subClassOf, VOCAB.Evidence) in onto, name
        assert onto.value(node, SKOS.notation) == Literal(name)
        assert set(onto.objects(node, SKOS.exactMatch)) == {URIRef(expand_curie(info.eco))}, name
        assert float(onto.value(node, VOCAB.prior).toPython()) == info.prior, name


def test_every_evidence_class_in_the_ontology_is_a_vocab_kind(onto):
    classes = {str(onto.value(s, SKOS.notation)) for s in onto.subjects(RDFS.subClassOf, VOCAB.Evidence)}
    assert classes == set(EVIDENCE_KINDS)


# ---- entity kinds --------------------------------------------------------------------------------

def test_every_entity_kind_is_a_class_mapped_to_its_biolink_category(onto):
    for kind, category in BIOLINK_CATEGORY.items():
        node = VOCAB[kind_class(kind)]
        assert (node, RDFS.subClassOf, VOCAB.Entity) in onto, kind
        assert onto.value(node, SKOS.notation) == Literal(kind)
        assert set(onto.objects(node, SKOS.closeMatch)) == {URIRef(expand_curie(category))}, kind


def test_every_entity_class_in_the_ontology_is_a_vocab_kind(onto):
    kinds = {str(onto.value(s, SKOS.notation)) for s in onto.subjects(RDFS.subClassOf, VOCAB.Entity)}
    assert kinds == set(ENTITY_KINDS) == set(BIOLINK_CATEGORY)


# ---- the shapes enforce vocab.py ----------------------------------------------------------------

def one_edge_per_predicate() -> MechanismGraph:
    entities = tuple(Entity(key=f"p{i}", id=f"GO:000000{i}", label=f"p{i}", name=f"p{i}", kind="process")
                     for i in range(2))
    ev = (Evidence(reference="r", kind="in_vitro", finding="seen"),)
    edges = tuple(Edge(subject="p0", predicate=p, object="p1", evidence=ev) for p in sorted(PREDICATES))
    return MechanismGraph(entities=entities, references=(Reference(key="r", title="t", pmid="1", verified="yes"),),
                          edges=edges)


def test_shapes_accept_each_predicate_with_its_own_sign():
    assert find_shacl_violations(one_edge_per_predicate()) == []


def test_shapes_reject_each_predicate_with_a_wrong_sign():
    rdf = to_rdf(one_edge_per_predicate())
    for node in list(rdf.subjects(RDF.type, MTG.Assertion)):
        predicate = str(rdf.value(node, RDF.predicate))[len(VOCAB_IRI):]
        rdf.set((node, MTG.sign, Literal(1 if PREDICATES[predicate].sign != 1 else -1)))
    found = find_shacl_violations(rdf)
    wrong = {v.message.split("mtg:")[-1].split(" ")[0] for v in found if "contradicts" in v.message}
    assert wrong == set(PREDICATES)


def test_shapes_accept_every_allowed_prefix_and_reject_others():
    good, bad = [], []
    for kind, prefixes in ENTITY_KINDS.items():
        for i, prefix in enumerate(prefixes):
            good.append(Entity(key=f"{kind}_{i}", id=f"{prefix}:{kind}{i}", label="x", name="x", kind=kind))
        bad.append(Entity(key=f"{kind}_bad", id=f"NCIT:{kind}", label="x", name="x", kind=kind))
    assert "NCIT" in PREFIX_IRIS and not any("NCIT" in p for p in ENTITY_KINDS.values())
    assert find_shacl_violations(MechanismGraph(entities=tuple(good))) == []
    found = find_shacl_violations(MechanismGraph(entities=tuple(bad)))
    assert {v.focus for v in found} == {f"NCIT:{kind}" for kind in ENTITY_KINDS}
    assert all("not in a namespace allowed for its kind" in v.message for v in found)

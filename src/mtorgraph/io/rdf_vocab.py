"""The RDF terms of mtorgraph: the closed ``mtg:`` namespace, prefixes and the JSON-LD context.

``ontology/mtorgraph.ttl`` declares every term listed in :class:`MTG`; ``tests/test_ontology.py``
checks that the two, and :mod:`mtorgraph.vocab`, agree. ``MTG`` is a closed rdflib
``DefinedNamespace``: a typo such as ``MTG.finidng`` raises instead of minting a new IRI.

>>> str(MTG.inhibits)
'https://w3id.org/mtorgraph/vocab/inhibits'
>>> kind_class("chemical"), evidence_class("animal_in_vivo")
('Chemical', 'AnimalInVivoEvidence')
"""

from __future__ import annotations

from typing import Any

from rdflib import Namespace, URIRef
from rdflib import namespace as _namespace  # not the class itself: doctest collection probes module globals

from ..vocab import KG_IRI, PREFIX_IRIS, VOCAB_IRI

__all__ = [
    "BIOLINK",
    "JSONLD_CONTEXT",
    "KG",
    "LIST_PROPERTIES",
    "MTG",
    "PREFIXES",
    "evidence_class",
    "kind_class",
]


class MTG(_namespace.DefinedNamespace):
    """The mtorgraph vocabulary (``https://w3id.org/mtorgraph/vocab/``), closed."""

    _NS = Namespace(VOCAB_IRI)
    _fail = True

    # classes
    Entity: URIRef
    Assertion: URIRef
    Evidence: URIRef
    Reference: URIRef
    Claim: URIRef
    Link: URIRef
    OpenQuestion: URIRef
    GraphDescription: URIRef
    Question: URIRef
    # entity kinds (subclasses of Entity)
    Chemical: URIRef
    Gene: URIRef
    Protein: URIRef
    Complex: URIRef
    Process: URIRef
    Phenotype: URIRef
    Disease: URIRef
    Anatomy: URIRef
    Exposure: URIRef
    Regimen: URIRef
    Outcome: URIRef
    # evidence kinds (subclasses of Evidence)
    RctEvidence: URIRef
    ClinicalObservationalEvidence: URIRef
    PostmortemHumanEvidence: URIRef
    AnimalInVivoEvidence: URIRef
    InVitroEvidence: URIRef
    MetaAnalysisEvidence: URIRef
    ReviewEvidence: URIRef
    RegulatoryEvidence: URIRef
    HypothesisEvidence: URIRef
    CuratorInferenceEvidence: URIRef
    # the closed predicate set (the direct triples)
    activates: URIRef
    inhibits: URIRef
    increases: URIRef
    decreases: URIRef
    associated_with: URIRef
    no_effect_on: URIRef
    # annotations of the vocabulary itself (used in the ontology, not in exports)
    predicateSign: URIRef
    causal: URIRef
    biolinkPredicate: URIRef
    biolinkDirection: URIRef
    prior: URIRef
    # entity
    key: URIRef
    name: URIRef
    idStatus: URIRef
    synonyms: URIRef
    xrefs: URIRef
    note: URIRef
    # reference
    title: URIRef
    authors: URIRef
    year: URIRef
    journal: URIRef
    volume: URIRef
    pages: URIRef
    doi: URIRef
    pmid: URIRef
    pmcid: URIRef
    url: URIRef
    studyType: URIRef
    verified: URIRef
    verificationNote: URIRef
    seenAt: URIRef
    # assertion
    sign: URIRef
    belief: URIRef
    hypothesis: URIRef
    evidence: URIRef
    # evidence
    reference: URIRef
    direction: URIRef
    finding: URIRef
    effect: URIRef
    pValue: URIRef
    rank: URIRef
    basis: URIRef
    experiment: URIRef
    # structural link
    relation: URIRef
    # open question
    question: URIRef
    proposedBy: URIRef
    wouldTest: URIRef
    entities: URIRef
    # the graph's description
    questions: URIRef
    questionSource: URIRef
    questionTarget: URIRef
    # evidence context
    species: URIRef
    anatomy: URIRef
    cellType: URIRef
    model: URIRef
    design: URIRef
    route: URIRef
    dose: URIRef
    timepoint: URIRef
    population: URIRef
    n: URIRef
    # claim
    claimId: URIRef
    section: URIRef
    statement: URIRef
    verdict: URIRef
    references: URIRef
    edges: URIRef
    literatureSays: URIRef


#: Biolink's namespace (not closed: Biolink is large and we use a handful of its terms).
BIOLINK = Namespace(PREFIX_IRIS["biolink"])
#: Namespace of exported resources: ``kg:assertion/…``, ``kg:evidence/…``, ``kg:reference/…``.
KG = Namespace(KG_IRI)

#: Properties whose value is an ordered rdf:List (their order is part of the model).
LIST_PROPERTIES = ("synonyms", "xrefs", "seenAt", "references", "edges", "entities", "questions")

#: Prefixes bound in every export, in output order.
PREFIXES: dict[str, str] = {
    "mtg": VOCAB_IRI,
    "assertion": KG_IRI + "assertion/",
    "evidence": KG_IRI + "evidence/",
    "reference": KG_IRI + "reference/",
    "claim": KG_IRI + "claim/",
    "link": KG_IRI + "link/",
    "openquestion": KG_IRI + "open-question/",
    "entity": KG_IRI + "entity/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "BFO": "http://purl.obolibrary.org/obo/BFO_",
    **{p: iri for p, iri in PREFIX_IRIS.items() if p != "mtorgraph"},
}


def kind_class(kind: str) -> str:
    """The local name of the ``mtg:`` class for an entity kind: ``chemical`` → ``Chemical``."""
    return "".join(part.capitalize() for part in kind.split("_"))


def evidence_class(kind: str) -> str:
    """The local name of the ``mtg:`` class for an evidence kind: ``rct`` → ``RctEvidence``."""
    return kind_class(kind) + "Evidence"


def _context() -> dict[str, Any]:
    context: dict[str, Any] = dict(PREFIXES)
    for term in LIST_PROPERTIES:
        context[term] = {"@id": f"mtg:{term}", "@container": "@list"}
    return context


#: The JSON-LD context embedded in every JSON-LD export: no remote context, so reading the file
#: back needs no network.
JSONLD_CONTEXT: dict[str, Any] = _context()

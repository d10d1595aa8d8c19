"""The one vocabulary table of mtorgraph.

Everything the code needs to know about predicates, evidence kinds, entity kinds, species and
CURIE prefixes is stated here once, as plain data. ``ontology/mtorgraph.ttl`` is the published
twin of this module; ``tests/test_ontology.py`` keeps the two in agreement.

>>> PREDICATES["inhibits"].sign
-1
>>> EVIDENCE_KINDS["rct"].eco
'ECO:0007121'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ANATOMY_IDS",
    "BIOLINK_CATEGORY",
    "ENTITY_KINDS",
    "EVIDENCE_KINDS",
    "KG_IRI",
    "LOCAL_PREFIX",
    "PREDICATES",
    "PREFIX_IRIS",
    "SPECIES",
    "VOCAB_IRI",
    "EvidenceKindInfo",
    "PredicateInfo",
    "SpeciesInfo",
    "expand_curie",
]

#: Namespace of the mtorgraph vocabulary (classes and properties).
VOCAB_IRI = "https://w3id.org/mtorgraph/vocab/"
#: Namespace of mtorgraph resources (assertions, evidence, local entities).
KG_IRI = "https://w3id.org/mtorgraph/kg/"
#: CURIE prefix for entities that no ontology covers.
LOCAL_PREFIX = "mtorgraph"


@dataclass(frozen=True)
class PredicateInfo:
    """One predicate of the closed predicate set.

    :param name: the curator-facing word, e.g. ``inhibits``.
    :param sign: +1, -1, or 0 (unsigned).
    :param causal: whether path search traverses it by default.
    :param biolink: the Biolink predicate an export maps it to.
    :param direction: Biolink ``object_direction_qualifier`` value, or ``None``.
    :param ro: the closest Relation Ontology term (``skos:closeMatch``), or ``None``.
    :param label: a human-readable label for views.
    """

    name: str
    sign: int
    causal: bool
    biolink: str
    direction: str | None
    ro: str | None
    label: str


#: The closed predicate set; the sign belongs to the predicate, never to the curator.
PREDICATES: dict[str, PredicateInfo] = {
    p.name: p
    for p in (
        PredicateInfo("activates", 1, True, "biolink:affects", "increased", "RO:0002213", "activates"),
        PredicateInfo("increases", 1, True, "biolink:affects", "increased", "RO:0002213", "increases"),
        PredicateInfo("inhibits", -1, True, "biolink:affects", "decreased", "RO:0002212", "inhibits"),
        PredicateInfo("decreases", -1, True, "biolink:affects", "decreased", "RO:0002212", "decreases"),
        PredicateInfo(
            "associated_with", 0, False, "biolink:associated_with", None, "RO:0002610", "associated with"
        ),
        # A null finding: never traversed by path search, always shown as evidence against its pair.
        PredicateInfo("no_effect_on", 0, False, "biolink:affects", None, None, "has no effect on"),
    )
}


@dataclass(frozen=True)
class EvidenceKindInfo:
    """One kind of evidence: its ECO code and the prior used by belief scoring.

    :param name: the curator-facing word, e.g. ``animal_in_vivo``.
    :param eco: the ECO class an export types the evidence with.
    :param prior: probability that one piece of this kind of evidence is right (judgement).
    :param label: a human-readable label.
    :param rationale: why the prior has this value.
    """

    name: str
    eco: str
    prior: float
    label: str
    rationale: str


#: Evidence kinds, ECO codes (from the project's verified identifier list) and priors.
#: The priors are documented judgement, in the spirit of INDRA's source priors; override them
#: with ``analysis.scoring`` arguments rather than editing data.
EVIDENCE_KINDS: dict[str, EvidenceKindInfo] = {
    k.name: k
    for k in (
        EvidenceKindInfo(
            "rct", "ECO:0007121", 0.85, "randomized controlled trial",
            "randomisation and blinding remove most confounding; small trials still err",
        ),
        EvidenceKindInfo(
            "meta_analysis", "ECO:0000352", 0.85, "meta-analysis",
            "pooled human data; association only, heterogeneity possible",
        ),
        EvidenceKindInfo(
            "regulatory", "ECO:0006017", 0.85, "regulatory label",
            "statements backed by the registration trials and post-marketing data",
        ),
        EvidenceKindInfo(
            "animal_in_vivo", "ECO:0007120", 0.7, "animal study (in vivo)",
            "controlled experiment, but translation across species is uncertain",
        ),
        EvidenceKindInfo(
            "clinical_observational", "ECO:0000352", 0.6, "observational clinical study",
            "human data without randomisation; confounding by indication",
        ),
        EvidenceKindInfo(
            "postmortem_human", "ECO:0000270", 0.6, "post-mortem human tissue",
            "human tissue, small case-control samples, association only",
        ),
        EvidenceKindInfo(
            "in_vitro", "ECO:0000269", 0.55, "in vitro experiment",
            "controlled, but far from the organism",
        ),
        EvidenceKindInfo(
            "review", "ECO:0000304", 0.5, "review",
            "secondary statement supported by cited work not read here",
        ),
        EvidenceKindInfo(
            "curator_inference", "ECO:0000305", 0.4, "curator inference",
            "our own reading of a source, one step removed from what it shows",
        ),
        EvidenceKindInfo(
            "hypothesis", "ECO:0000303", 0.2, "hypothesis",
            "an idea raised by authors, not tested",
        ),
    )
}


#: Entity kinds mapped to Biolink categories.
BIOLINK_CATEGORY: dict[str, str] = {
    "chemical": "biolink:SmallMolecule",
    "gene": "biolink:Gene",
    "protein": "biolink:Protein",
    "complex": "biolink:MacromolecularComplex",
    "process": "biolink:BiologicalProcess",
    "phenotype": "biolink:PhenotypicFeature",
    "disease": "biolink:Disease",
    "anatomy": "biolink:GrossAnatomicalStructure",
    "exposure": "biolink:ExposureEvent",
    "regimen": "biolink:Treatment",
    "outcome": "biolink:ClinicalFinding",
}

#: The CURIE prefixes an entity of each kind may use as its id.
ENTITY_KINDS: dict[str, tuple[str, ...]] = {
    "chemical": ("CHEBI",),
    "gene": ("NCBIGene", "HGNC"),
    "protein": ("UniProtKB",),
    "complex": ("GO",),
    "process": ("GO",),
    "phenotype": ("HP", LOCAL_PREFIX),
    "disease": ("MONDO", "DOID", "EFO", "MESH"),
    "anatomy": ("UBERON",),
    "exposure": (LOCAL_PREFIX,),
    "regimen": (LOCAL_PREFIX,),
    "outcome": ("GO", LOCAL_PREFIX),
}


@dataclass(frozen=True)
class SpeciesInfo:
    """A species value allowed in evidence context.

    :param name: the curator-facing word.
    :param taxon: NCBITaxon CURIE, or ``None`` for a group with no verified id here.
    :param label: the taxon's scientific name or a description.
    """

    name: str
    taxon: str | None
    label: str


#: Species allowed in evidence context.
SPECIES: dict[str, SpeciesInfo] = {
    s.name: s
    for s in (
        SpeciesInfo("human", "NCBITaxon:9606", "Homo sapiens"),
        SpeciesInfo("mouse", "NCBITaxon:10090", "Mus musculus"),
        SpeciesInfo("rat", "NCBITaxon:10116", "Rattus norvegicus"),
        SpeciesInfo("rodent", None, "rodent (species not stated)"),
    )
}

#: UBERON ids for anatomy words used in evidence context (verified identifiers only).
ANATOMY_IDS: dict[str, str] = {
    "prefrontal cortex": "UBERON:0000451",
    "brain": "UBERON:0000955",
    "hippocampus": "UBERON:0002421",
    "hippocampal formation": "UBERON:0002421",
    "blood": "UBERON:0000178",
}

#: IRI expansions for every CURIE prefix the project uses (Biolink 4.4.6 prefix map).
PREFIX_IRIS: dict[str, str] = {
    "biolink": "https://w3id.org/biolink/vocab/",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "ECO": "http://purl.obolibrary.org/obo/ECO_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "OBI": "http://purl.obolibrary.org/obo/OBI_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "MGI": "http://identifiers.org/mgi/",
    "RGD": "http://identifiers.org/rgd/",
    "DRUGBANK": "http://identifiers.org/drugbank/",
    "PUBCHEM.COMPOUND": "http://identifiers.org/pubchem.compound/",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "UMLS": "http://identifiers.org/umls/",
    LOCAL_PREFIX: KG_IRI + "entity/",
}

EvidenceDirection = Literal["supports", "refutes"]


def expand_curie(curie: str) -> str:
    """Expand a CURIE to an IRI with the project's prefix map.

    >>> expand_curie("CHEBI:9168")
    'http://purl.obolibrary.org/obo/CHEBI_9168'

    :raises KeyError: if the prefix is not in :data:`PREFIX_IRIS`.
    """
    prefix, _, local = curie.partition(":")
    return PREFIX_IRIS[prefix] + local

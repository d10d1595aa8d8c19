"""A small graph for the page's structural links, identifier status and evidence basis.

It extends tests/data/mini.yaml (fixture references, 10.5555 test DOIs) with a rodent phenotype
that models depression, a gene that is part of mTORC1, an entity whose identifier is unverified,
and evidence that is a cited statement or known by title only. Nothing here is literature.
"""

from __future__ import annotations

from pathlib import Path

from mtorgraph.io import load_graph
from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, StructuralLink

MINI = Path(__file__).parent / "data" / "mini.yaml"

BRIDGE_ID = "depressive_like_behavior|model_of|depression"
PART_ID = "mtor_gene|part_of|mtorc1"
RODENT_EDGE_ID = "rapamycin|decreases|depressive_like_behavior"
CITED_EDGE_ID = "mtor_gene|increases|synaptogenesis"


def linked_graph() -> MechanismGraph:
    """mini.yaml plus two structural links, an unverified entity and unweighed evidence."""
    mini = load_graph(MINI)
    rodent = Entity(key="depressive_like_behavior", id="mtorgraph:depressive_like_behavior",
                    label="depressive-like behaviour", name="depressive-like behaviour (rodent)",
                    kind="phenotype", id_status="local", note="fixture: a rodent phenotype")
    gene = Entity(key="mtor_gene", id="NCBIGene:2475", label="MTOR", name="MTOR gene", kind="gene")  # unverified
    own = Evidence(reference="fixture_a", kind="animal_in_vivo", finding="Fewer immobile minutes.",
                   context=Context(species="rat", route="intraperitoneal"))
    cited = Evidence(reference="fixture_c", kind="review", finding="The trial paper says others saw this.",
                     basis="cited_statement")
    title_only = Evidence(reference="fixture_d", kind="review", finding="Known from the title.",
                          basis="title_only")
    model_of = Evidence(reference="fixture_d", kind="review", finding="The test models a depressive state.")
    part_of = Evidence(reference="fixture_b", kind="in_vitro", finding="MTOR is the kinase of the complex.",
                       experiment="co-immunoprecipitation")
    return MechanismGraph(
        entities=(*mini.entities, rodent, gene),
        references=mini.references,
        edges=(*mini.edges,
               Edge(subject="rapamycin", predicate="decreases", object="depressive_like_behavior", evidence=(own,)),
               Edge(subject="mtor_gene", predicate="increases", object="synaptogenesis", evidence=(cited, title_only))),
        claims=mini.claims,
        links=(StructuralLink(subject="depressive_like_behavior", relation="model_of", object="depression",
                              evidence=(model_of,)),
               StructuralLink(subject="mtor_gene", relation="part_of", object="mtorc1", evidence=(part_of,))),
    )

"""Random mechanism graphs for the belief, index and scan property tests (hypothesis strategies).

Small entity sets so that pairs repeat: parallel edges of both signs, ``no_effect_on`` beside
signed edges, refuting items, hypotheses, cited statements, title-only items, species, experiments
and structural links all turn up often.
"""

from __future__ import annotations

from hypothesis import strategies as st

from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, Reference, StructuralLink

KINDS = ("rct", "animal_in_vivo", "in_vitro", "review", "hypothesis", "curator_inference", "meta_analysis")
PREDICATES = ("activates", "increases", "inhibits", "decreases", "associated_with", "no_effect_on")
RELATIONS = ("part_of", "participates_in", "subclass_of", "model_of")
SPECIES = (None, None, "human", "mouse", "rat", "rodent")
ENTITY_KINDS = ("chemical", "chemical", "disease", "phenotype", "process", "gene")
REFS = ("r0", "r1", "r2", "r3", "r4")

evidence = st.builds(
    lambda ref, kind, direction, basis, species, experiment, route: Evidence(
        reference=ref, kind=kind, direction=direction, basis=basis, experiment=experiment, finding="f",
        context=Context(species=species, route=route)),
    st.sampled_from(REFS), st.sampled_from(KINDS),
    st.sampled_from(("supports", "supports", "supports", "refutes")),
    st.sampled_from(("own_result", "own_result", "own_result", "cited_statement", "title_only")),
    st.sampled_from(SPECIES), st.sampled_from((None, None, "e1", "e2")), st.sampled_from((None, "oral", "ip")))


@st.composite
def graphs(draw, max_entities: int = 7, max_edges: int = 24, max_links: int = 4) -> MechanismGraph:
    """A valid random graph."""
    n = draw(st.integers(2, max_entities))
    keys = [f"n{i}" for i in range(n)]
    entities = tuple(Entity(key=k, id=f"GO:{i:07d}", label=k, name=k, kind=draw(st.sampled_from(ENTITY_KINDS)))
                     for i, k in enumerate(keys))
    node = st.sampled_from(keys)
    raw = draw(st.lists(st.tuples(node, st.sampled_from(PREDICATES), node), max_size=max_edges,
                        unique=True))
    edges = tuple(Edge(subject=s, predicate=p, object=o, evidence=tuple(draw(st.lists(evidence, min_size=1,
                                                                                       max_size=4))))
                  for s, p, o in raw)
    raw_links = draw(st.lists(st.tuples(node, st.sampled_from(RELATIONS), node), max_size=max_links, unique=True))
    links = tuple(StructuralLink(subject=s, relation=r, object=o,
                                 evidence=tuple(draw(st.lists(evidence, min_size=1, max_size=3))))
                  for s, r, o in raw_links)
    references = tuple(Reference(key=r, title=r, doi=f"10.1000/{r}", verified="yes") for r in REFS)
    return MechanismGraph(entities=entities, references=references, edges=edges, links=links)

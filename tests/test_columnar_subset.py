"""Part of a columnar graph taken on its columns (``take_subgraph``), and the drawn neighbourhood's
columns taken that way instead of converted from its objects."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorgraph import load_graph
from mtorgraph.analysis.beliefs import as_columnar, belief_columns
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.columnar.arrow_rows import construct
from mtorgraph.columnar.subset import take_subgraph
from mtorgraph.model import Edge, Entity, MechanismGraph, Reference
from mtorgraph.views.html import render_page
from mtorgraph.views.neighbourhood import find_capped_neighbourhood

from .columnar_graphs import curated_graphs
from .conftest import ROOT


def decoded(graph: ColumnarGraph) -> dict[str, list[dict]]:
    """Every table as plain rows (dictionary words decoded), to compare graphs made two ways."""
    return {name: table.to_pylist() for name, table in graph.tables.items()}


def assert_take_matches_objects(columns: ColumnarGraph, entity_rows: list[int], edge_rows: list[int],
                                link_rows: list[int]) -> None:
    taken = take_subgraph(columns, entity_rows=entity_rows, edge_rows=edge_rows, link_rows=link_rows)
    model = columns.to_model()
    part = MechanismGraph(entities=tuple(model.entities[i] for i in entity_rows), references=model.references,
                          edges=tuple(model.edges[i] for i in edge_rows), links=tuple(model.links[i] for i in link_rows))
    assert decoded(taken) == decoded(ColumnarGraph.from_model(part))
    assert taken.to_model() == part


def random_part(graph, rng: random.Random) -> tuple[list[int], list[int], list[int]]:
    """Some entities in a shuffled order, and some edges and links among them, shuffled too."""
    keys = [e.key for e in graph.entities]
    chosen = rng.sample(range(len(keys)), rng.randint(0, len(keys)))
    inside = {keys[i] for i in chosen}
    edges = [i for i, e in enumerate(graph.edges) if e.subject in inside and e.object in inside and rng.random() < 0.8]
    links = [i for i, k in enumerate(graph.links) if k.subject in inside and k.object in inside and rng.random() < 0.8]
    rng.shuffle(edges)
    rng.shuffle(links)
    return chosen, edges, links


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=curated_graphs(max_entities=6, max_edges=8), seed=st.integers(0, 2**16))
def test_a_part_taken_on_columns_equals_the_same_objects_converted(text, seed, tmp_path_factory):
    path = tmp_path_factory.mktemp("part") / "g.yaml"
    path.write_text(text, encoding="utf-8")
    columns = ColumnarGraph.from_model(load_graph(path))
    assert_take_matches_objects(columns, *random_part(columns, random.Random(seed)))


def test_a_part_of_the_bundled_graph_with_links_and_parallel_edges():
    columns = ColumnarGraph.from_model(load_graph(ROOT / "graphs"))
    assert columns.link_count and columns.edge_count
    for seed in range(5):
        assert_take_matches_objects(columns, *random_part(columns, random.Random(seed)))


def test_an_edge_leaving_the_entities_taken_or_a_repeated_row_is_refused():
    columns = ColumnarGraph.from_model(load_graph(ROOT / "graphs"))
    edge = columns.edges[0]
    subject = columns.entity_row(edge.subject)
    with pytest.raises(ValueError, match="outside the entities taken"):
        take_subgraph(columns, entity_rows=[subject], edge_rows=[0])
    with pytest.raises(ValueError, match="given twice"):
        take_subgraph(columns, entity_rows=[subject, subject])


@pytest.mark.parametrize("focus,depth,cap", [("rapamycin", 2, 500), ("mtorc1", 2, 8), ("depression", 3, 12)])
def test_the_drawn_neighbourhood_gets_its_columns_by_taking_rows(focus, depth, cap, monkeypatch):
    graph = ColumnarGraph.from_model(load_graph(ROOT / "graphs"))
    drawn = find_capped_neighbourhood(graph, graph.resolve(focus).key, depth, cap).graph
    taken = as_columnar(drawn)
    assert taken is not drawn and decoded(taken) == decoded(ColumnarGraph.from_model(drawn))
    assert belief_columns(drawn).by_key(drawn) == belief_columns(ColumnarGraph.from_model(drawn)).by_key(drawn)

    def refuse(cls, graph):
        raise AssertionError("the drawn graph was converted back to columns")

    page = render_page(graph, focus=focus, depth=depth, max_nodes=cap)
    monkeypatch.setattr(ColumnarGraph, "from_model", classmethod(refuse))
    assert render_page(graph, focus=focus, depth=depth, max_nodes=cap) == page


@pytest.mark.parametrize("cls,fields", [
    (Entity, {"key": "a", "id": "GO:1", "label": "a", "name": "A", "kind": "process"}),
    (Entity, {"key": "a", "id": "GO:1", "label": "a", "name": "A", "kind": "process", "synonyms": ("x",),
              "note": "n"}),
    (Reference, {"key": "r", "title": "t", "doi": "10.1000/x", "verified": "yes"}),
    (Edge, {"subject": "a", "predicate": "inhibits", "object": "b", "evidence": ()}),
])
def test_construct_gives_what_model_construct_gives(cls, fields):
    made, reference = construct(cls, dict(fields)), cls.model_construct(**fields)
    assert made == reference and made.model_fields_set == reference.model_fields_set
    assert made.__dict__ == reference.__dict__ and list(made.__dict__) == list(reference.__dict__)

"""The vectorised beliefs (``belief_columns``) equal the rules one edge at a time (``explain_belief``)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from mtorgraph.analysis.beliefs import belief_columns
from mtorgraph.analysis.lookup import edges_between
from mtorgraph.analysis.scoring import explain_belief
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.io import load_graph

from .conftest import MINI
from .index_graphs import graphs


def _exact(graph):
    return ([explain_belief(graph, e).belief for e in graph.edges],
            [explain_belief(graph, link).belief for link in graph.links])


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_fast_beliefs_equal_the_rules_on_random_graphs(graph):
    edges, links = _exact(graph)
    for source in (graph, ColumnarGraph.from_model(graph)):
        got = belief_columns(source)
        assert got.edges.tolist() == edges  # bit for bit, not approximately
        assert got.links.tolist() == links


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_priors_override_the_same_way(graph):
    priors = {"rct": 0.6, "in_vitro": 0.9}
    got = belief_columns(graph, priors)
    assert got.edges.tolist() == [explain_belief(graph, e, priors).belief for e in graph.edges]


def test_bundled_style_graph_by_key():
    graph = load_graph(MINI)
    columns = ColumnarGraph.from_model(graph)
    expected = {e.key: explain_belief(graph, e).belief for e in graph.edges}
    expected.update({link.key: explain_belief(graph, link).belief for link in graph.links})
    assert belief_columns(columns).by_key(columns) == expected
    assert any(0 < b < 1 for b in expected.values())


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_pair_index_finds_the_same_edges_as_a_scan(graph):
    columns = ColumnarGraph.from_model(graph)
    keys = [e.key for e in graph.entities]
    for s in keys:
        for o in keys:
            scan = [e for e in graph.edges_from(s) if e.object == o]
            assert edges_between(graph, s, o) == scan
            assert edges_between(columns, s, o) == scan


def test_empty_graph():
    got = belief_columns(ColumnarGraph.from_model(load_graph(MINI)).to_model(edge_rows=[]))
    assert isinstance(got.edges, np.ndarray) and got.edges.size == 0

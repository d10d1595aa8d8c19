"""The scan without a pair (one reachability pass per source, exact searches where both signs meet)
returns the records of asking every pair in turn."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from mtorgraph.analysis.conflicts import (SOURCE_KINDS, TARGET_KINDS, path_conflict, _strength, conflicts_to_json,
                                          find_conflicts)
from mtorgraph.analysis.paths import to_graph_index
from mtorgraph.analysis.source_scan import signed_reach
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.io import load_graph

from .conftest import MINI
from .index_graphs import graphs


def pair_by_pair(graph, max_length, **opts):
    """The former scan: one exact two-sided search per (source, target) pair."""
    gindex = to_graph_index(graph, **opts)
    sources = sorted(e.key for e in graph.entities if e.kind in SOURCE_KINDS)
    targets = sorted(e.key for e in graph.entities if e.kind in TARGET_KINDS)
    options = {"max_length": max_length, "limit": 20, "timeout": None}
    return sorted((pc for s in sources for t in targets if s != t
                   for pc in [path_conflict(gindex, s, t, options)] if pc is not None), key=_strength)


@settings(max_examples=120, deadline=None)
@given(graphs(max_entities=8, max_edges=30), st.integers(1, 5), st.booleans())
def test_scan_per_source_equals_pair_by_pair(graph, max_length, associations):
    expected = pair_by_pair(graph, max_length, include_associations=associations)
    for source in (graph, ColumnarGraph.from_model(graph)):
        report = find_conflicts(source, max_length=max_length, include_associations=associations)
        assert report.complete
        assert report.path_conflicts == tuple(expected)


@settings(max_examples=60, deadline=None)
@given(graphs(max_entities=6, max_edges=20), st.integers(1, 4))
def test_signed_reach_marks_every_path_sign(graph, max_length):
    """Every simple path's sign is marked (reachability may only over-approximate)."""
    gindex = to_graph_index(graph)
    from mtorgraph.analysis.signed_search import find_index_paths
    for s in range(len(gindex.keys)):
        reach = signed_reach(gindex.index, s, max_length)
        for t in range(len(gindex.keys)):
            found = find_index_paths(gindex.index, s, t, max_length=max_length, limit=None)
            for p in found.paths:
                if p.sign == 1:
                    assert reach.positive[t]
                if p.sign == -1:
                    assert reach.negative[t]


def test_bundled_scan_json_is_unchanged_between_model_and_columns():
    graph = load_graph(MINI)
    a = conflicts_to_json(find_conflicts(graph))
    b = conflicts_to_json(find_conflicts(ColumnarGraph.from_model(graph)))
    assert a["path_conflicts"] and json.dumps(a) == json.dumps(b)


def test_a_spent_budget_marks_the_scan_incomplete():
    report = find_conflicts(load_graph(MINI), budget=0.0)
    assert not report.complete and report.path_conflicts == ()
    assert find_conflicts(load_graph(MINI), budget=60.0).complete


@settings(max_examples=60, deadline=None)
@given(graphs(max_entities=8, max_edges=30))
def test_edge_conflicts_for_a_pair_are_those_of_the_whole_scan_on_its_paths(graph):
    whole = find_conflicts(graph)
    for pc in whole.path_conflicts[:3]:
        pair = find_conflicts(graph, pc.source, pc.target)
        on_paths = {(st.subject, st.object) for side in (pc.positive, pc.negative) for p in side.paths
                    for st in p.steps}
        assert pair.edge_conflicts == tuple(c for c in whole.edge_conflicts if (c.subject, c.object) in on_paths)
    columns = ColumnarGraph.from_model(graph)
    assert find_conflicts(columns).edge_conflicts == whole.edge_conflicts

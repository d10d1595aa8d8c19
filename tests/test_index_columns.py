"""The path index built from columns equals the index built edge by edge (the former algorithm,
kept here as the reference), for model and columnar graphs, under every filter."""

from __future__ import annotations

import json
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from mtorgraph.analysis.paths import (Step, build_graph_index, find_paths, paths_to_json, search_graph_index,
                                      to_filtered_graph, to_graph_index, _reference_sides)
from mtorgraph.analysis.scoring import edge_belief
from mtorgraph.analysis.signed_index import SignedIndex
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.io import load_graph

from .conftest import MINI
from .index_graphs import graphs


def reference_steps(graph, *, species=None, evidence_kinds=None, min_belief=0.0, include_hypotheses=False,
                    include_associations=False, bridges=True):
    """The former ``to_graph_index``: one Python object per step, one belief call per group."""
    filtered = to_filtered_graph(graph, species, evidence_kinds)
    groups = defaultdict(list)
    for edge in filtered.edges:
        traversable = edge.causal or (include_associations and edge.predicate == "associated_with")
        if not traversable or (edge.is_hypothesis and not include_hypotheses) or edge.subject == edge.object:
            continue
        groups[(edge.subject, edge.object, edge.sign)].append(edge)
    keys = tuple(sorted(e.key for e in graph.entities))
    ids = {key: i for i, key in enumerate(keys)}
    steps = []
    for (subject, obj, sign), edges in groups.items():
        edges.sort(key=lambda e: e.predicate)
        item = edges[0] if len(edges) == 1 else edges[0].model_copy(
            update={"evidence": tuple(ev for e in edges for ev in e.evidence)})
        belief = edge_belief(filtered, item)
        if belief <= 0.0 or belief < min_belief:
            continue
        supporting, cited, refuting = _reference_sides(edges)
        steps.append(Step(subject, ",".join(e.predicate for e in edges), obj, sign, belief, supporting,
                          tuple(edges), cited=cited, refuted_by=refuting))
    if bridges:
        for link in filtered.links:
            hypothesis_only = all(ev.kind == "hypothesis" for ev in link.evidence)
            if link.subject == link.object or (hypothesis_only and not include_hypotheses):
                continue
            belief = edge_belief(filtered, link)
            if belief <= 0.0 or belief < min_belief:
                continue
            supporting, cited, refuting = _reference_sides([link])
            steps.append(Step(link.subject, link.relation, link.object, 1, belief, supporting, (),
                              bridge=link.relation, links=(link,), cited=cited, refuted_by=refuting))
    steps.sort(key=lambda s: (ids[s.subject], ids[s.object], -s.sign, s.bridge or ""))
    index = SignedIndex.from_arrays(len(keys), [ids[s.subject] for s in steps], [ids[s.object] for s in steps],
                                    [s.sign for s in steps], [s.belief for s in steps])
    return keys, steps, index


def _arrays(index):
    return [list(a) for a in (index.out_ptr, index.out_dst, index.out_sgn, index.out_bel,
                              index.in_ptr, index.in_src, index.in_sgn, index.in_eid)]


options = st.fixed_dictionaries({}, optional={
    "species": st.lists(st.sampled_from(("human", "mouse", "rat", "rodent")), min_size=1, max_size=2),
    "evidence_kinds": st.lists(st.sampled_from(("rct", "animal_in_vivo", "in_vitro", "hypothesis", "review")),
                               min_size=1, max_size=3),
    "min_belief": st.sampled_from((0.0, 0.3, 0.6)),
    "include_hypotheses": st.booleans(),
    "include_associations": st.booleans(),
    "bridges": st.booleans(),
})


@settings(max_examples=150, deadline=None)
@given(graphs(), options)
def test_index_from_columns_equals_the_edge_by_edge_index(graph, opts):
    keys, steps, index = reference_steps(graph, **opts)
    for source in (graph, ColumnarGraph.from_model(graph)):
        got = build_graph_index(source, **opts)
        assert got.keys == keys
        assert list(got.steps) == steps  # every field, beliefs bit for bit, edges with filtered evidence
        assert _arrays(got.index) == _arrays(index)


@settings(max_examples=60, deadline=None)
@given(graphs(), st.sampled_from(("any", "positive", "negative")))
def test_paths_are_the_same_on_model_and_columnar_graphs(graph, sign):
    columns = ColumnarGraph.from_model(graph)
    keys = sorted(e.key for e in graph.entities)
    for s in keys[:3]:
        for t in keys[-3:]:
            if s == t:
                continue
            a = paths_to_json(find_paths(graph, s, t, sign=sign, include_associations=True))
            b = paths_to_json(find_paths(columns, s, t, sign=sign, include_associations=True))
            assert json.dumps(a) == json.dumps(b)


def test_the_index_is_built_once_per_graph_and_options():
    graph = load_graph(MINI)
    first = to_graph_index(graph)
    assert to_graph_index(graph) is first
    assert to_graph_index(graph, bridges=False) is not first
    assert to_graph_index(load_graph(MINI)) is not first  # another graph object, another index
    found = search_graph_index(first, "ketamine", "depression")
    assert found.paths and found.paths[0].steps[0] is first.steps[first.steps.index(found.paths[0].steps[0])]


def test_steps_are_built_lazily():
    columns = ColumnarGraph.from_model(load_graph(MINI))
    gindex = build_graph_index(columns)
    assert gindex.graph is columns
    assert not gindex.steps._built
    search_graph_index(gindex, "ketamine", "depression")
    assert 0 < len(gindex.steps._built) < len(gindex.steps)


def test_the_cache_does_not_keep_every_graph_alive():
    import gc
    import weakref

    from mtorgraph.analysis import lookup

    refs = []
    for _ in range(lookup.MAX_GRAPHS + 4):
        graph = load_graph(MINI)
        to_graph_index(graph)
        refs.append(weakref.ref(graph))
        del graph
    gc.collect()
    assert sum(r() is not None for r in refs) <= lookup.MAX_GRAPHS
    assert len(lookup._DERIVED) <= lookup.MAX_GRAPHS

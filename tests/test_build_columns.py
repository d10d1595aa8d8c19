"""The report reads a ColumnarGraph's columns to pick the edges it lists (human evidence,
hypotheses, the linked edges above ``REPORT_ALL_EDGES``): its text must stay byte for byte what
the model graph's walk over every edge gives. (Written on branch exportbuild.)"""

from __future__ import annotations

import random

import pytest

from mtorgraph.columnar import ColumnarGraph
from mtorgraph.model import Edge, Evidence, MechanismGraph, StructuralLink
from mtorgraph.views import report

from .test_report_scale import random_graph


def _with_hypotheses(graph: MechanismGraph, seed: int) -> MechanismGraph:
    """The graph plus hypothesis-only edges, mixed edges and a structural link."""
    rng = random.Random(seed)
    keys = [e.key for e in graph.entities]
    extra = []
    for i in range(8):
        s, o = rng.sample(keys, 2)
        kinds = ["hypothesis"] * rng.randint(1, 2) + (["rct"] if i % 3 == 0 else [])
        extra.append(Edge(subject=s, predicate="associated_with", object=o, evidence=tuple(
            Evidence(reference=graph.references[0].key, kind=k, context={"species": "human"}, finding=f"h{i}")
            for k in kinds)))
    link = StructuralLink(subject=keys[0], relation="part_of", object=keys[1], evidence=(Evidence(
        reference=graph.references[0].key, kind="review", finding="l"),))
    return graph.model_copy(update={"edges": graph.edges + tuple(extra), "links": (link,)})


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("all_edges", [10**9, 40])
def test_report_same_on_columns_and_objects(seed, all_edges, monkeypatch):
    monkeypatch.setattr(report, "REPORT_ALL_EDGES", all_edges)  # 40: only the linked edges are listed
    model = _with_hypotheses(random_graph(seed, edges=120), seed)
    columns = ColumnarGraph.from_model(model)
    for fmt in ("md", "html"):
        expected = report.render_report(model, fmt)
        assert report.render_report(columns, fmt) == expected
    assert "Hypothesis edge: " in expected and "Human evidence" in expected
    if all_edges == 40:
        assert "The edges this report cites" in expected

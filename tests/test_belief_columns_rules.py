"""Every belief rule, computed on the columns (``belief_columns``, the path index's merged steps),
equals ``explain_belief`` bit for bit, case by case: the cases random graphs reach only rarely."""

from __future__ import annotations

import pytest

from mtorgraph.analysis.beliefs import belief_columns
from mtorgraph.analysis.paths import to_filtered_graph, to_graph_index
from mtorgraph.analysis.scoring import explain_belief
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.model import Edge, StructuralLink

from .test_belief_rules import ev, graph

CASES = {
    # rule 3: a null does not lower an association, only the association's own refuting item does
    "association, refuted, null beside": graph([ev("r1", "rct"), ev("r2", "in_vitro", "refutes")],
                                               [ev("r3", "rct")], predicate="associated_with"),
    # rule 5: a null counts only where its species overlaps a supporting item's
    "null of another species": graph([ev("r1", "rct", species="human")], [ev("r2", "animal_in_vivo", species="rat")]),
    "null of rodent beside mouse": graph([ev("r1", species="mouse")], [ev("r2", "rct", species="rodent")]),
    "unstated species overlaps all": graph([ev("r1", species="human")], [ev("r2", "rct")]),
    # rule 4: a hypothesis never counts against
    "hypothesised null": graph([ev("r1", "rct")], [ev("r2", "hypothesis")]),
    "refuting hypothesis": graph([ev("r1", "rct"), ev("r2", "hypothesis", "refutes")]),
    # rule 6: a study's null beside its own support is another readout, its explicit refutation is not
    "own study null": graph([ev("r1", "rct", experiment="e1")], [ev("r1", "rct", experiment="e1")]),
    "other experiment null": graph([ev("r1", "rct", experiment="e1")], [ev("r1", "rct", experiment="e2")]),
    "own study refutes": graph([ev("r1", "rct"), ev("r1", "in_vitro", "refutes")]),
    # rule 1: what is not weighed never counts, on either side
    "cited null": graph([ev("r1", "rct")], [ev("r2", "rct", basis="cited_statement")]),
    "title-only refutation": graph([ev("r1", "rct"), ev("r2", "rct", "refutes", basis="title_only")]),
    # rule 2: no support, belief 0; refutations still listed
    "only refuted": graph([ev("r1", "rct", "refutes")], [ev("r2", "rct")]),
    # one study once on the side against, at its strongest kind (refutation and null together)
    "one study against twice": graph([ev("r1", "animal_in_vivo"), ev("r2", "in_vitro", "refutes")],
                                     [ev("r2", "rct")]),
    "inhibits beside a null": graph([ev("r1", "rct"), ev("r3", "review")], [ev("r2", "in_vitro")], predicate="inhibits"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_columns_apply_each_rule_as_explain_does(name: str) -> None:
    g = CASES[name]
    expected = [explain_belief(g, e).belief for e in g.edges]
    assert belief_columns(ColumnarGraph.from_model(g)).edges.tolist() == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_merged_steps_of_the_index_apply_each_rule_as_explain_does(name: str) -> None:
    g = CASES[name]
    # a second edge of the same sign on a→b merges into one step with the first
    first = g.edges[0]
    twin = "activates" if first.sign > 0 else "decreases" if first.sign < 0 else None
    if twin:
        g = g.model_copy(update={"edges": (*g.edges, Edge(subject="a", predicate=twin, object="b",
                                                            evidence=(ev("rz", "in_vitro", species="mouse"),)))})
    options = {"include_associations": True}
    got = to_graph_index(ColumnarGraph.from_model(g), **options)
    want = to_graph_index(g, **options)
    assert [(s.subject, s.object, s.sign, s.belief) for s in got.steps] == \
        [(s.subject, s.object, s.sign, s.belief) for s in want.steps]
    merged = [e for e in to_filtered_graph(g, None, None).edges if (e.subject, e.object) == ("a", "b")
              and e.sign == first.sign and (e.causal or e.predicate == "associated_with")]
    item = merged[0] if len(merged) == 1 else merged[0].model_copy(
        update={"evidence": tuple(x for e in sorted(merged, key=lambda e: e.predicate) for x in e.evidence)})
    step = [s for s in got.steps if (s.subject, s.object, s.sign) == ("a", "b", first.sign)]
    assert [s.belief for s in step] == ([explain_belief(g, item).belief] if explain_belief(g, item).belief > 0 else [])


def test_a_link_weighs_its_cited_statements_on_the_columns() -> None:
    g = graph([ev("r1", "rct")])
    link = StructuralLink(subject="b", relation="part_of", object="c",
                          evidence=(ev("r1", "review", basis="cited_statement"), ev("rz", "in_vitro", "refutes"),
                                    ev("rz", "rct", basis="title_only")))
    g = g.model_copy(update={"links": (link,)})
    expected = explain_belief(g, link).belief
    assert 0 < expected < 1
    assert belief_columns(ColumnarGraph.from_model(g)).links.tolist() == [expected]

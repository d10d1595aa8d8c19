"""--min-belief compares beliefs at the precision they are shown (3 decimals)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorgraph.analysis.paths import find_paths
from mtorgraph.analysis.scoring import edge_belief
from mtorgraph.analysis.selection import belief_floor, passes_min_belief, select_edges
from mtorgraph.cli import main
from mtorgraph.model import Edge, Entity, Evidence, MechanismGraph, Reference
from mtorgraph.views.text import format_rows
from mtorgraph.vocab import EVIDENCE_KINDS

KEYS = ["a", "b", "c", "d"]
KINDS = sorted(k for k in EVIDENCE_KINDS if k != "hypothesis")


@st.composite
def graphs(draw):
    entities = [Entity(key=k, id=f"mtorgraph:{k}", label=k, name=k, kind="exposure", id_status="local", note="x")
                for k in KEYS]
    references = [Reference(key=f"r{i}", title="fixture", verified="yes") for i in range(3)]
    pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(KEYS)).filter(lambda p: p[0] != p[1]),
                          min_size=1, max_size=6, unique=True))
    edges = []
    for subject, obj in pairs:
        evidence = draw(st.lists(st.builds(
            lambda ref, kind, direction: Evidence(reference=ref, kind=kind, direction=direction, finding="f"),
            st.sampled_from(["r0", "r1", "r2"]), st.sampled_from(KINDS),
            st.sampled_from(["supports", "supports", "refutes"])), min_size=1, max_size=3))
        edges.append(Edge(subject=subject, predicate=draw(st.sampled_from(["increases", "inhibits"])), object=obj,
                          evidence=tuple(evidence)))
    return MechanismGraph(entities=entities, references=references, edges=edges)


def _shown(graph, edge):
    """The belief as the edges table shows it."""
    table = format_rows([{"belief": edge_belief(graph, edge)}], ["belief"], "table")
    return float(table.splitlines()[2])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_min_belief_keeps_exactly_what_is_shown_at_or_above_it(graph, data):
    shown = {edge.key: _shown(graph, edge) for edge in graph.edges}
    threshold = data.draw(st.one_of(st.sampled_from(sorted(shown.values())),
                                    st.floats(0.0, 1.0).map(lambda x: round(x, data.draw(st.integers(1, 5))))))
    kept = {e.key for e in select_edges(graph, min_belief=threshold)}
    assert kept == {key for key, value in shown.items() if threshold == 0 or value >= threshold}
    # the path search (which compares raw beliefs) gets the same rule through belief_floor
    for edge in graph.edges:
        found = find_paths(graph, edge.subject, edge.object, max_length=1, min_belief=belief_floor(threshold))
        steps = {s.predicate for p in found.paths for s in p.steps}
        belief = edge_belief(graph, edge)
        expected = belief > 0 and shown[edge.key] >= threshold
        same_pair = [e for e in graph.edges if (e.subject, e.object) == (edge.subject, edge.object)]
        if len(same_pair) == 1:
            assert (edge.predicate in steps) == expected, (shown[edge.key], threshold, belief)


def test_belief_floor_is_the_exact_boundary():
    for threshold in (0.001, 0.1, 0.25, 0.5, 0.91, 0.9095, 0.999, 1.0):
        floor = belief_floor(threshold)
        assert passes_min_belief(floor, threshold)
        assert floor == 0 or not passes_min_belief(floor - 1e-12, threshold)


def test_a_belief_shown_as_0_91_passes_min_belief_0_91(runner, tmp_path):
    # a belief just under 0.91 (as 1 - (1-0.7)(1-0.7) = 0.9099999… is stored)
    assert round(1 - (1 - 0.7) * (1 - 0.7), 3) == 0.91 and 1 - (1 - 0.7) * (1 - 0.7) < 0.91
    graph = tmp_path / "g.yaml"
    graph.write_text("""
entities:
  a: {id: "mtorgraph:a", label: a, name: a, kind: exposure, id_status: local, note: fixture}
  b: {id: "mtorgraph:b", label: b, name: b, kind: outcome, id_status: local, note: fixture}
references:
  r1: {title: "Fixture", year: 2001, doi: "10.5555/r1", verified: "yes"}
  r2: {title: "Fixture", year: 2002, doi: "10.5555/r2", verified: "yes"}
edges:
  - subject: a
    predicate: increases
    object: b
    evidence:
      - {reference: r1, kind: animal_in_vivo, finding: "one"}
      - {reference: r2, kind: animal_in_vivo, finding: "two"}
""")
    shown = runner.invoke(main, ["--graph", str(graph), "edges"])
    assert "0.910" in shown.stdout
    edges = runner.invoke(main, ["--graph", str(graph), "edges", "--min-belief", "0.91", "--format", "json"])
    assert len(json.loads(edges.stdout)) == 1
    paths = runner.invoke(main, ["--graph", str(graph), "paths", "a", "b", "--min-belief", "0.91", "--format", "json"])
    assert paths.exit_code == 0 and len(json.loads(paths.stdout)["paths"]) == 1
    above = runner.invoke(main, ["--graph", str(graph), "paths", "a", "b", "--min-belief", "0.911", "--format", "json"])
    assert json.loads(above.stdout)["paths"] == []

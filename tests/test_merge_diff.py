"""Merging graphs by CURIE with provenance, and diffing two versions of a graph (issue 12, item 5)."""

from __future__ import annotations

import pytest

from mtorgraph.columnar import ColumnarGraph
from mtorgraph.columnar.diff import diff_graphs, diff_to_json
from mtorgraph.columnar.merge import graph_name, merge_graphs
from mtorgraph.io import load_graph
from mtorgraph.model import Edge, Entity, Evidence, MechanismGraph, Reference


def _graph(entities, edges, references=None) -> ColumnarGraph:
    refs = references or (Reference(key="r", title="t", doi="10.1000/x", verified="yes"),)
    return ColumnarGraph.from_model(MechanismGraph(entities=tuple(entities), references=tuple(refs),
                                                   edges=tuple(edges)))


def _entity(key, curie, label=None, kind="process", name=None):
    return Entity(key=key, id=curie, label=label or key, name=name or key.upper(), kind=kind)


def _edge(s, p, o, *findings, ref="r"):
    return Edge(subject=s, predicate=p, object=o,
                evidence=tuple(Evidence(reference=ref, kind="in_vitro", finding=f) for f in findings))


@pytest.fixture(scope="module")
def bundled() -> ColumnarGraph:
    return ColumnarGraph.from_model(load_graph())


def test_same_curie_is_one_entity_and_other_keys_follow_it():
    one = _graph([_entity("a", "GO:1"), _entity("b", "GO:2")], [_edge("a", "inhibits", "b", "x")])
    two = _graph([_entity("alpha", "GO:1", label="a", name="A"), _entity("c", "GO:3")], [_edge("alpha", "increases", "c", "y")])
    merged, report = merge_graphs([("one", one), ("two", two)])
    model = merged.to_model()
    assert sorted(e.key for e in model.entities) == ["a", "b", "c"]
    assert {(e.subject, e.predicate, e.object, e.source_graph) for e in model.edges} == {
        ("a", "inhibits", "b", "one"), ("a", "increases", "c", "two")}
    assert report.lines() == []


def test_key_taken_by_another_curie_is_renamed_and_reported():
    one = _graph([_entity("a", "GO:1"), _entity("b", "GO:2")], [_edge("a", "inhibits", "b", "x")])
    two = _graph([_entity("a", "GO:9"), _entity("b", "GO:2")], [_edge("a", "inhibits", "b", "y")])
    merged, report = merge_graphs([("one", one), ("two", two)])
    keys = {e.key: e.id for e in merged.entities}
    assert keys == {"a": "GO:1", "b": "GO:2", "a_two": "GO:9"}
    assert [(r.what, r.graph, r.old, r.new) for r in report.renamed] == [("entity", "two", "a", "a_two")]
    assert {e.label for e in merged.edges} == {"a inhibits b", "a_two inhibits b"}


def test_conflicting_label_and_kind_are_reported_first_graph_wins():
    one = _graph([_entity("a", "GO:1"), _entity("b", "GO:2")], [_edge("a", "inhibits", "b", "x")])
    two = _graph([_entity("a", "GO:1"), _entity("b", "GO:2", label="bee", kind="disease")],
                 [_edge("a", "inhibits", "b", "x")])
    merged, report = merge_graphs([("one", one), ("two", two)])
    assert merged.entity("b").label == "b" and merged.entity("b").kind == "process"
    assert [(c.curie, c.field, c.values) for c in report.entity_conflicts] == [
        ("GO:2", "label", {"one": "b", "two": "bee"}), ("GO:2", "kind", {"one": "process", "two": "disease"})]
    assert any("GO:2: kind differs" in line for line in report.lines())


def test_shared_edge_pools_evidence_once_and_names_both_graphs():
    one = _graph([_entity("a", "GO:1"), _entity("b", "GO:2")], [_edge("a", "inhibits", "b", "x", "y")])
    two = _graph([_entity("a", "GO:1"), _entity("b", "GO:2")], [_edge("a", "inhibits", "b", "y", "z")])
    merged, report = merge_graphs([("one", one), ("two", two)])
    (edge,) = merged.to_model().edges
    assert [ev.finding for ev in edge.evidence] == ["x", "y", "z"]
    assert edge.source_graph == "one,two" and report.shared_edges == 1


def test_reference_key_naming_another_document_is_renamed():
    other = (Reference(key="r", title="another paper", pmid="123", verified="no"),)
    one = _graph([_entity("a", "GO:1"), _entity("b", "GO:2")], [_edge("a", "inhibits", "b", "x")])
    two = _graph([_entity("a", "GO:1"), _entity("b", "GO:2")], [_edge("a", "increases", "b", "y")], other)
    merged, report = merge_graphs([("one", one), ("two", two)])
    model = merged.to_model()
    assert [r.key for r in model.references] == ["r", "r_two"]
    assert model.edge("a", "increases", "b").evidence[0].reference == "r_two"
    assert [(r.what, r.new) for r in report.renamed] == [("reference", "r_two")]


def test_merging_a_graph_with_itself_changes_only_provenance(bundled):
    merged, report = merge_graphs([("graphs", bundled), ("copy", bundled)])
    assert report.lines() == [] and report.shared_edges == bundled.edge_count
    model, original = merged.to_model(), bundled.to_model()
    assert [e.model_copy(update={"source_graph": None}) for e in model.edges] == list(original.edges)
    assert model.claims == original.claims and model.questions == original.questions


def test_graph_names_are_slugs_and_unique():
    taken: set[str] = set()
    names = []
    for path in ("graphs/", "extra.kgx.tsv", "Extra.nt", "2024-dump.jsonl"):
        names.append(graph_name(path, taken))
        taken.add(names[-1])
    assert names == ["graphs", "extra", "extra_2", "g_2024_dump"]


def test_diff_of_one_changed_edge_reports_exactly_that_edge(bundled):
    model = bundled.to_model()
    target = model.edges[7]
    changed_edge = target.model_copy(update={"evidence": (
        target.evidence[0].model_copy(update={"finding": "edited finding"}), *target.evidence[1:])})
    changed = model.model_copy(update={"edges": tuple(changed_edge if e is target else e for e in model.edges)})
    diff = diff_graphs(bundled, ColumnarGraph.from_model(MechanismGraph(**dict(changed))))
    assert [(c.kind, c.change, c.key) for c in diff.changes] == [("edge", "changed", target.label)]
    (change,) = diff.changes
    assert [e["finding"] for e in change.evidence_added] == ["edited finding"]
    assert [e["finding"] for e in change.evidence_removed] == [target.evidence[0].finding]
    assert diff_to_json(diff)["counts"]["evidence"] == {"added": 1, "removed": 1}


def test_diff_sees_added_and_removed_records(bundled):
    model = bundled.to_model()
    smaller = MechanismGraph(entities=model.entities, references=model.references, edges=model.edges[1:],
                             links=model.links)
    diff = diff_graphs(bundled, ColumnarGraph.from_model(smaller))
    assert [(c.kind, c.change, c.key) for c in diff.changes] == [("edge", "removed", model.edges[0].label)]
    assert [(c.kind, c.change) for c in diff_graphs(ColumnarGraph.from_model(smaller), bundled).changes] == [
        ("edge", "added")]
    assert diff_graphs(bundled, bundled).changes == ()


def test_cli_diff_of_a_copy_with_one_edge_changed(tmp_path):
    import json
    import shutil

    from click.testing import CliRunner

    from mtorgraph.cli import main
    from mtorgraph.io import bundled_graph_path

    copy = tmp_path / "graphs"
    shutil.copytree(bundled_graph_path(), copy)
    path = copy / "edges" / "autophagy.yaml"
    text = path.read_text()
    first = text.index("finding:")
    end = text.index("\n", first)
    path.write_text(text[:first] + "finding: a finding edited for the test" + text[end:])
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(bundled_graph_path()), str(copy), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(c["kind"], c["change"]) for c in data["changes"]] == [("edge", "changed")]
    assert [e["finding"] for e in data["changes"][0]["evidence_added"]] == ["a finding edited for the test"]
    table = runner.invoke(main, ["diff", str(bundled_graph_path()), str(bundled_graph_path())])
    assert table.exit_code == 0 and "no differences" in table.output
    missing = runner.invoke(main, ["diff", str(bundled_graph_path()), str(tmp_path / "absent")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_cli_merges_several_graphs_and_conflicts_see_edges_of_both():
    import json

    from click.testing import CliRunner

    from mtorgraph.cli import main
    from mtorgraph.io import bundled_graph_path

    from .conftest import MINI

    extra = MINI.parent / "kgx" / "signor_style.csv"
    args = ["--graph", str(bundled_graph_path()), "--graph", str(extra)]
    runner = CliRunner()
    result = runner.invoke(main, [*args, "conflicts", "rapamycin", "depression", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "note: CHEBI:9168: name differs: graphs says 'rapamycin'; signor_style says 'sirolimus'" in result.stderr
    steps = [s for side in ("positive", "negative") for p in json.loads(result.stdout)["path_conflicts"][0][side]
             for s in p["steps"]]
    # li2010 (PMID 20724638) is one document in both graphs: the table's citation joins the curated reference
    assert any(s["subject"] == "rapamycin" and s["object"] == "mtorc1" for s in steps)
    shown = json.loads(runner.invoke(main, [*args, "show", "rapamycin", "--format", "json"]).stdout)
    sources = {e["object"]: e.get("source_graph") for e in shown["outgoing"]}
    assert sources["mtorc1"] == "graphs,signor_style"  # stated by both
    assert sources["immune_response"] == "signor_style"  # only in the table
    assert sources["autophagy"] == "graphs"
    evidence = [e for e in shown["outgoing"] if e["object"] == "mtorc1"][0]["evidence"]
    assert "li2010" in {ev["reference"] for ev in evidence}
    explained = json.loads(runner.invoke(main, [*args, "explain", "rapamycin", "mtorc1", "--format", "json"]).stdout)
    assert explained["edges"][0]["source_graph"] == "graphs,signor_style"
    single = runner.invoke(main, ["show", "rapamycin", "--format", "json"])
    assert "source_graph" not in single.stdout  # a single graph's records are unchanged
    usage = runner.invoke(main, [*args, "validate"])
    assert usage.exit_code == 2 and "give --graph once" in usage.stderr

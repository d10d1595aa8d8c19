"""Conflicts: opposing edges on one pair, and the paradox as paths of opposite net sign."""

from __future__ import annotations

import csv
import io
import json

import pytest

from mtorgraph import load_graph
from mtorgraph.analysis.conflicts import conflicts_to_json, find_conflicts, find_context_differences
from mtorgraph.cli import main
from mtorgraph.errors import MtorgraphError
from mtorgraph.model import Context, Evidence

from .conftest import MINI


def run(runner, *args):
    return runner.invoke(main, ["--graph", str(MINI), *args])


def ev(**context):
    return Evidence(reference="r", kind="rct", finding="f", context=Context(**context))


def test_edge_conflict_on_ketamine_response(mini):
    report = find_conflicts(mini, "rapamycin", "depression")
    assert len(report.edge_conflicts) == 1
    c = report.edge_conflicts[0]
    assert (c.subject, c.object) == ("rapamycin", "ketamine_response")
    assert [e.predicate for e in c.positive] == ["increases"]
    assert [e.predicate for e in c.negative] == ["inhibits"]
    assert [e.predicate for e in c.null] == ["no_effect_on"]
    diffs = c.context_differences
    assert diffs["species"] == {"positive": ["human"], "negative": ["rat"], "null": ["human"]}
    assert diffs["route"] == {"positive": ["oral"], "negative": ["intracerebral"], "null": ["oral"]}
    assert diffs["timepoint"] == {"positive": ["2 weeks"], "negative": ["24 h"], "null": ["24 h"]}
    assert "dose" not in diffs  # stated on one side only: not a difference


def test_path_conflict_on_mini(mini):
    report = find_conflicts(mini, "sirolimus", "depression")
    assert len(report.path_conflicts) == 1
    pc = report.path_conflicts[0]
    assert (pc.source, pc.target) == ("rapamycin", "depression")
    assert {p.sign for p in pc.positive.paths} == {1} and len(pc.positive.paths) == 2
    assert [p.sign for p in pc.negative.paths] == [-1]
    assert pc.divergence == ("rapamycin",)
    # only the steps one side uses are compared: the shared last step (human RCT) is left out
    assert pc.context_differences["species"] == {"positive": ["rat"], "negative": ["human"]}
    assert pc.context_differences["route"] == {"positive": ["intracerebral"], "negative": ["oral"]}


def test_divergence_inside_the_path():
    from mtorgraph.model import Edge, Entity, MechanismGraph, Reference

    keys = ["drug", "hub", "up", "down", "disease"]
    g = MechanismGraph(
        entities=tuple(Entity(key=k, id=f"GO:{i:07d}", label=k, name=k, kind="process") for i, k in enumerate(keys)),
        references=(Reference(key="r", title="t", doi="10.1000/r", verified="yes"),),
        edges=tuple(Edge(subject=s, predicate=p, object=o, evidence=(ev(),))
                    for s, p, o in [("drug", "activates", "hub"), ("hub", "increases", "up"),
                                    ("hub", "increases", "down"), ("up", "increases", "disease"),
                                    ("down", "decreases", "disease")]))
    pc = find_conflicts(g, "drug", "disease").path_conflicts[0]
    assert pc.divergence == ("hub",)
    assert pc.context_differences == {}


def test_whole_graph_scan(mini):
    report = find_conflicts(mini)
    assert [(pc.source, pc.target) for pc in report.path_conflicts] == [("rapamycin", "depression")]
    assert [(c.subject, c.object) for c in report.edge_conflicts] == [("rapamycin", "ketamine_response")]


def test_filters_apply_to_both_levels(mini):
    human = find_conflicts(mini, "rapamycin", "depression", species=["human"])
    assert human.path_conflicts == ()
    # a human null result against a human positive finding is still a conflict
    assert [(c.subject, c.object) for c in find_conflicts(mini, species=["human"]).edge_conflicts] == [
        ("rapamycin", "ketamine_response")]
    assert find_conflicts(mini, "rapamycin", "depression", max_length=1).path_conflicts == ()


def test_needs_both_ends(mini):
    with pytest.raises(MtorgraphError, match="both SOURCE and TARGET"):
        find_conflicts(mini, "rapamycin")


def test_context_differences_rules():
    assert find_context_differences({"positive": [ev(species="human")], "negative": [ev(species="human")]}) == {}
    assert find_context_differences({"positive": [ev(dose="6 mg")], "negative": [ev()]}) == {}
    assert find_context_differences({"positive": [ev(timepoint="2 weeks"), ev(timepoint="24 h")],
                                     "negative": [ev(timepoint="24 h")]}) == {
        "timepoint": {"positive": ["2 weeks", "24 h"], "negative": ["24 h"]}}


def test_json_contract(mini):
    data = conflicts_to_json(find_conflicts(mini, "rapamycin", "depression"))
    assert list(data) == ["edge_conflicts", "path_conflicts"]
    edge = data["edge_conflicts"][0]
    assert list(edge) == ["subject", "object", "positive", "negative", "null", "context_differences"]
    claim = edge["negative"][0]
    assert list(claim) == ["subject", "predicate", "object", "sign", "belief", "references", "cited",
                           "independent_studies", "evidence"]
    assert claim["sign"] == -1 and claim["references"] == ["fixture_b"]
    assert claim["evidence"][0]["context"] == {"species": "rat", "route": "intracerebral", "timepoint": "24 h"}
    assert edge["null"][0]["sign"] == 0 and edge["null"][0]["evidence"][0]["context"]["n"] == 20
    path = data["path_conflicts"][0]
    assert list(path) == ["source", "target", "positive", "negative", "sides", "stronger", "divergence",
                          "context_differences"]
    assert list(path["positive"][0]) == ["sign", "effect", "effect_words", "score", "length", "translational",
                                         "references", "independent_studies", "steps"]
    assert list(path["positive"][0]["steps"][0]) == ["subject", "predicate", "object", "sign", "belief",
                                                     "references", "bridge", "cited", "refuted_by"]
    assert list(path["sides"]) == ["positive", "negative"]
    assert list(path["sides"]["positive"]) == ["effect", "effect_words", "paths", "references",
                                               "independent_studies", "studies"]
    assert path["divergence"] == ["rapamycin"]
    json.dumps(data)


def test_cli_json(runner):
    result = run(runner, "conflicts", "rapamycin", "depression", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["path_conflicts"][0]["negative"][0]["steps"][0]["predicate"] == "increases"


def test_cli_table(runner):
    result = run(runner, "conflicts", "rapamycin", "depression")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Edge-level conflicts: 1" in out and "Path-level conflicts (paradoxes): 1" in out
    assert "the sides part at: rapamycin" in out
    assert "0 rapamycin no_effect_on ketamine_response" in out
    assert "species: positive: rat | negative: human" in out
    assert "timepoint: positive: 2 weeks | negative: 24 h | null: 24 h" in out


def test_cli_tsv_and_scan(runner):
    result = run(runner, "conflicts", "--format", "tsv", "--limit", "1")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    assert {(r["level"], r["side"]) for r in rows} == {("edge", "positive"), ("edge", "negative"),
                                                       ("edge", "null"), ("path", "positive"),
                                                       ("path", "negative")}
    assert sum(r["level"] == "path" for r in rows) == 2  # --limit 1 per side


def test_cli_errors_and_empty(runner):
    result = run(runner, "conflicts", "rapamycin")
    assert result.exit_code == 2 and "both SOURCE and TARGET" in result.stderr
    result = run(runner, "conflicts", "ketamine", "depression")
    assert result.exit_code == 0 and "no paths of both signs" in result.stdout


def test_bundled_paradox():
    graph = load_graph(None)
    report = find_conflicts(graph, "rapamycin", "depression")
    pair = next(c for c in report.edge_conflicts if (c.subject, c.object) == ("rapamycin", "ketamine_response"))
    assert {e.predicate for e in pair.positive} == set()  # the 2-week result is on ketamine_response_duration
    assert {e.predicate for e in pair.negative} == {"inhibits"}
    assert {e.predicate for e in pair.null} == {"no_effect_on"}
    # Species separates the rodent blockade from the human null. The rodent route is known only from
    # the trial's introduction (a cited statement, not weighed), so route is not a weighed difference.
    assert "species" in pair.context_differences
    assert "human" in pair.context_differences["species"]["null"]
    pc = report.path_conflicts[0]
    assert pc.positive.paths and pc.negative.paths
    assert "rapamycin" in pc.divergence
    assert "species" in pc.context_differences
    assert any("mtorc1" in p.entities and "synaptogenesis" in p.entities for p in pc.positive.paths)

"""Bridges: structural links crossed as sign-preserving steps, marked in every output, and the
independent studies behind paths and the sides of a conflict (tests/data/bridges.yaml)."""

from __future__ import annotations

import json
import math

import pytest

from mtorgraph import load_graph
from mtorgraph.analysis.conflicts import conflicts_to_json, find_conflicts
from mtorgraph.analysis.paths import find_paths, paths_to_json, to_networkx
from mtorgraph.cli import main
from mtorgraph.model import Edge, Entity, Evidence, MechanismGraph, Reference, StructuralLink

from .conftest import DATA

BRIDGES = DATA / "bridges.yaml"


@pytest.fixture(scope="module")
def bridged() -> MechanismGraph:
    return load_graph(BRIDGES)


def run(runner, *args):
    return runner.invoke(main, ["--graph", str(BRIDGES), *args])


def test_model_of_bridge_carries_rodent_evidence_to_the_human_disease(bridged):
    result = find_paths(bridged, "rapamycin", "depression")
    through = [p for p in result.paths if "depressive_like_behavior" in p.entities]
    assert len(through) == 1
    path = through[0]
    assert path.sign == -1 and path.effect == "decreases" and path.effect_words == "would relieve depression"
    assert path.translational is True
    bridge = path.steps[-1]
    assert (bridge.subject, bridge.predicate, bridge.object, bridge.sign) == (
        "depressive_like_behavior", "model_of", "depression", 1)
    assert bridge.bridge == "model_of" and bridge.edges == () and len(bridge.links) == 1
    # the bridge weighs like an edge: the noisy-OR of the link's own evidence (one review, 0.5)
    assert math.isclose(bridge.belief, 0.5)
    assert math.isclose(path.score, (1 - 0.3 * 0.3) * 0.5)
    assert all(not p.translational for p in result.paths if p is not path)


def test_bridges_walk_subject_to_object_only(bridged):
    up = find_paths(bridged, "stress", "mtor_signaling")
    assert [[(s.predicate, s.bridge) for s in p.steps] for p in up.paths] == [
        [("increases", None), ("part_of", "part_of"), ("participates_in", "participates_in")]]
    # whole → part, process → participant, human → rodent: never walked
    assert find_paths(bridged, "mtorc1", "mtor").paths == ()
    assert find_paths(bridged, "mtor_signaling", "mtorc1").paths == ()
    assert find_paths(bridged, "depression", "depressive_like_behavior").paths == ()


def test_bridges_preserve_sign_and_can_be_turned_off(bridged):
    on = find_paths(bridged, "stress", "mtorc1")
    assert [p.sign for p in on.paths] == [1]  # stress increases mTOR, mTOR is part of mTORC1
    assert find_paths(bridged, "stress", "mtorc1", bridges=False).paths == ()
    off = find_paths(bridged, "rapamycin", "depression", bridges=False)
    assert all(s.bridge is None for p in off.paths for s in p.steps)
    assert len(off.paths) == len(find_paths(bridged, "rapamycin", "depression").paths) - 1


def test_a_bridge_known_by_title_only_is_not_crossed_one_stated_elsewhere_is():
    refs = (Reference(key="r", title="r", doi="10.5555/r", verified="yes"),)
    ents = tuple(Entity(key=k, id=f"GO:000000{i}", label=k, name=k, kind="process") for i, k in enumerate("abc"))
    g = MechanismGraph(
        entities=ents, references=refs,
        edges=(Edge(subject="a", predicate="increases", object="b",
                    evidence=(Evidence(reference="r", kind="in_vitro", finding="f"),)),),
        links=(StructuralLink(subject="b", relation="part_of", object="c",
                              evidence=(Evidence(reference="r", kind="review", basis="title_only",
                                                 finding="the title says so"),)),))
    assert find_paths(g, "a", "c").paths == ()
    # A link's sources state the relation itself, so a cited statement weighs for the link.
    stated = g.links[0].model_copy(update={"evidence": (Evidence(reference="r", kind="review", basis="cited_statement",
                                                                 finding="said elsewhere"),)})
    (path,) = find_paths(g.model_copy(update={"links": (stated,)}), "a", "c").paths
    assert path.steps[1].bridge == "part_of" and path.steps[1].belief == 0.5
    assert path.studies == [("r", None)]  # the edge's in-vitro study only; the link adds no study


def test_a_hypothesis_only_bridge_needs_include_hypotheses(bridged):
    link = bridged.links[0]
    hypothetical = link.model_copy(update={"evidence": (Evidence(reference="fixture_d", kind="hypothesis",
                                                                 finding="proposed"),)})
    g = bridged.model_copy(update={"links": (hypothetical, *bridged.links[1:])})
    assert hypothetical.relation == "model_of"
    assert not any(p.translational for p in find_paths(g, "rapamycin", "depression").paths)
    assert any(p.translational for p in find_paths(g, "rapamycin", "depression", include_hypotheses=True).paths)


def test_cited_and_title_only_evidence_is_never_a_step_reference(bridged):
    result = find_paths(bridged, "rapamycin", "depressive_like_behavior")
    step = result.paths[0].steps[0]
    assert step.references == ("fixture_e",)
    assert step.cited == ("fixture_c", "fixture_f")
    data = paths_to_json(result)["paths"][0]
    assert data["steps"][0]["references"] == ["fixture_e"] and data["steps"][0]["cited"] == ["fixture_c", "fixture_f"]
    assert data["references"] == ["fixture_e"]
    # two named experiments of one reference are two independent studies
    assert data["independent_studies"] == 2


def test_paths_json_marks_bridges(bridged):
    data = paths_to_json(find_paths(bridged, "rapamycin", "depression"))
    path = next(p for p in data["paths"] if p["translational"])
    assert path["effect"] == "decreases" and path["effect_words"] == "would relieve depression"
    assert [s["bridge"] for s in path["steps"]] == [None, "model_of"]
    assert path["steps"][1]["predicate"] == "model_of" and path["steps"][1]["references"] == ["fixture_d"]
    # the bridge's source states a relation and is no study of the path
    assert path["references"] == ["fixture_e"] and path["independent_studies"] == 2
    json.dumps(data)


def test_conflict_puts_the_translational_path_on_the_relieving_side(bridged):
    report = find_conflicts(bridged, "rapamycin", "depression")
    (pc,) = report.path_conflicts
    assert any(p.translational for p in pc.negative.paths)
    assert not any(p.translational for p in pc.positive.paths)
    data = conflicts_to_json(report)["path_conflicts"][0]
    neg, pos = data["sides"]["negative"], data["sides"]["positive"]
    assert neg["effect"] == "decreases" and neg["effect_words"] == "would relieve depression"
    assert pos["effect"] == "increases" and pos["effect_words"] == "would worsen depression"
    # Hand count. The relieving side's own steps: rapamycin increases ketamine_response (fixture_c),
    # rapamycin decreases depressive_like_behavior (fixture_e, two named experiments; fixture_f is
    # title-only and fixture_c's item there a cited statement, neither counts); the model_of link's
    # source (fixture_d) states a relation and is no study. The worsening side's own steps: rapamycin inhibits ketamine_response (fixture_b),
    # rapamycin inhibits mtorc1 (fixture_a), mtorc1 → synaptogenesis → ketamine_response (fixture_b).
    # ketamine_response decreases depression (fixture_c) lies on both sides and counts for neither.
    assert neg["studies"] == [["fixture_c", None], ["fixture_e", "chronic restraint stress"],
                              ["fixture_e", "lifelong diet"]]
    assert neg["independent_studies"] == 3 and neg["references"] == ["fixture_c", "fixture_e"]
    assert pos["studies"] == [["fixture_a", None], ["fixture_b", None]] and pos["independent_studies"] == 2
    assert neg["paths"] == 2 and pos["paths"] == 2
    assert data["stronger"] == "negative"
    # a cited statement's context (rodent) is not the side's context
    assert "rodent" not in data["context_differences"]["species"]["negative"]


def test_conflict_without_bridges_loses_the_rodent_side(bridged):
    data = conflicts_to_json(find_conflicts(bridged, "rapamycin", "depression", bridges=False))
    neg = data["path_conflicts"][0]["sides"]["negative"]
    assert neg["studies"] == [["fixture_c", None]] and data["path_conflicts"][0]["stronger"] == "positive"


def test_cli_paths_table_says_bridge_and_effect_in_words(runner):
    result = run(runner, "paths", "rapamycin", "depression")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "− would relieve depression" in out and "+ would worsen depression" in out
    assert "[translational: rodent → human]" in out
    assert "rapamycin -decreases-> depressive_like_behavior =model_of=> depression" in out
    assert "[bridge: rodent model → human disorder]: relation stated by fixture_d" in out
    assert "cited, not weighed: fixture_c, fixture_f" in out
    off = run(runner, "paths", "rapamycin", "depression", "--no-bridges")
    assert off.exit_code == 0 and "model_of" not in off.stdout and "translational" not in off.stdout


def test_cli_paths_json_and_tsv(runner):
    data = json.loads(run(runner, "paths", "stress", "mtor_signaling", "--format", "json").stdout)
    assert [s["bridge"] for s in data["paths"][0]["steps"]] == [None, "part_of", "participates_in"]
    tsv = run(runner, "paths", "stress", "mtor_signaling", "--format", "tsv").stdout.splitlines()
    header = tsv[0].split("\t")
    assert "bridge" in header and "effect" in header
    assert [row.split("\t")[header.index("bridge")] for row in tsv[1:]] == ["", "part_of", "participates_in"]


def test_cli_conflicts_sides_and_no_bridges(runner):
    result = run(runner, "conflicts", "rapamycin", "depression")
    assert result.exit_code == 0, result.output
    assert ("negative side, would relieve depression: 3 independent studies (fixture_c, fixture_e) "
            "in 2 paths  (the stronger side)") in result.stdout
    off = json.loads(run(runner, "conflicts", "rapamycin", "depression", "--no-bridges", "--format", "json").stdout)
    assert off["path_conflicts"][0]["sides"]["negative"]["independent_studies"] == 1


def test_cli_explain_a_link(runner):
    result = run(runner, "explain", "depressive_like_behavior", "depression", "--format", "json")
    assert result.exit_code == 0, result.output
    (link,) = json.loads(result.stdout)["edges"]
    assert link["bridge"] == "model_of" and link["predicate"] == "model_of" and link["belief"] == 0.5


def test_networkx_keeps_links_as_bridges(bridged):
    nx_graph = to_networkx(bridged)
    data = nx_graph.get_edge_data("depressive_like_behavior", "depression")
    assert data["model_of"]["bridge"] is True and data["model_of"]["sign"] == 1


def test_evidence_filters_apply_to_edges_not_links(bridged):
    mouse = find_paths(bridged, "stress", "mtorc1", species=["mouse"])
    assert [[s.bridge for s in p.steps] for p in mouse.paths] == [[None, "part_of"]]
    # the link's evidence is a curator inference; filtering edges to animal studies keeps the link
    assert find_paths(bridged, "stress", "mtorc1", evidence_kinds=["animal_in_vivo"]).paths
    assert find_paths(bridged, "stress", "mtorc1", species=["human"]).paths == ()  # the edge has mouse evidence


def test_scan_without_a_pair_ranks_conflicts_by_their_weaker_side(bridged):
    # A second paradox, ketamine → depression: a worsening edge on one study (fixture_a) against the
    # relieving mechanism (fixture_b, fixture_c). Rapamycin's weaker side has 2 studies, ketamine's 1,
    # so rapamycin comes first although "ketamine" sorts first by name.
    worsening = Edge(subject="ketamine", predicate="increases", object="depression",
                     evidence=(Evidence(reference="fixture_a", kind="animal_in_vivo", finding="f"),))
    g = MechanismGraph(entities=bridged.entities, references=bridged.references,
                       edges=(*bridged.edges, worsening), links=bridged.links)
    report = find_conflicts(g)
    summary = [(pc.source, pc.sides["positive"].independent_studies, pc.sides["negative"].independent_studies)
               for pc in report.path_conflicts]
    assert summary == [("rapamycin", 2, 3), ("ketamine", 1, 2)]

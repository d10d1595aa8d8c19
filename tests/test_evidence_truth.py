"""The bundled graph tells the truth at every level (issue: evidence truth), checked end to end
through the CLI: the rodent rapamycin-alone evidence reaches depression through a marked model-of
bridge, gene and complex levels meet, each side of the paradox is counted in independent studies,
and the human null stays on its own pair."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mtorgraph.cli import main


def run_json(*args: str) -> dict:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_rapamycin_alone_in_rodents_reaches_depression_through_a_model_of_bridge():
    data = run_json("paths", "rapamycin", "depression")
    through = [p for p in data["paths"]
               if [s["object"] for s in p["steps"]][:1] == ["depressive_like_behavior"] and p["length"] == 2]
    assert through, "no path rapamycin → depressive-like behaviour → depression"
    (path,) = through
    first, bridge = path["steps"]
    assert first["bridge"] is None and first["predicate"] == "decreases"
    assert bridge["bridge"] == "model_of" and bridge["predicate"] == "model_of" and bridge["object"] == "depression"
    assert path["effect"] == "decreases" and path["effect_words"] == "would relieve depression"
    assert path["translational"] is True
    # The rodent studies are the path's studies; the bridge's sources state a relation, not a finding.
    assert path["references"] == ["halloran2012", "zhang2023"] and path["independent_studies"] == 2


def test_without_bridges_the_rodent_evidence_does_not_reach_the_human_disorder():
    data = run_json("paths", "rapamycin", "depression", "--no-bridges")
    assert data["paths"] and not any(p["translational"] for p in data["paths"])
    assert all(s["bridge"] is None for p in data["paths"] for s in p["steps"])


def test_stress_reaches_mtorc1_across_the_gene_to_complex_level():
    data = run_json("paths", "chronic_stress", "mtorc1")
    bridges = [(s["subject"], s["bridge"], s["object"]) for p in data["paths"] for s in p["steps"] if s["bridge"]]
    assert ("mtor", "part_of", "mtorc1") in bridges
    # Stress moves mTOR up in one study and down in another; both reach the complex.
    assert {p["effect"] for p in data["paths"]} == {"increases", "decreases"}


def test_each_side_of_the_paradox_counts_independent_studies_by_hand():
    data = run_json("conflicts", "rapamycin", "depression")
    (pc,) = [c for c in data["path_conflicts"] if (c["source"], c["target"]) == ("rapamycin", "depression")]
    worsen, relieve = pc["sides"]["positive"], pc["sides"]["negative"]
    assert worsen["effect_words"] == "would worsen depression"
    assert relieve["effect_words"] == "would relieve depression"
    # Hand count of the worsening side's own steps (steps both sides share count for neither):
    #   rapamycin inhibits ketamine_response     li2010, li2011, holubova2016 (abdallah2020 only cited)
    #   ketamine_response decreases depression   reus2015 (abdallah2020's item is a curator inference)
    #   rapamycin inhibits mtorc1                fda_rapamune_label (abdallah2020 only cited)
    #   mtorc1 → synaptogenesis → response       li2010, li2011 again
    #   rapamycin ⊣ adolescent stress effect ⊣ depressive-like behaviour: suo2013, one experiment
    assert worsen["studies"] == [["fda_rapamune_label", None], ["holubova2016", None], ["li2010", None],
                                 ["li2011", None], ["reus2015", None],
                                 ["suo2013", "adolescent mild stress, early-adult behaviour"]]
    assert worsen["independent_studies"] == 6
    # The relieving side: halloran2012 and zhang2023 (cleary2008 is known by title only) through the
    # model-of bridge, and the trial's 2-week prolongation (abdallah2020).
    assert relieve["studies"] == [["abdallah2020", None], ["halloran2012", None], ["zhang2023", None]]
    assert relieve["independent_studies"] == 3
    assert (worsen["paths"], relieve["paths"]) == (3, 2)
    # what separates the sides
    assert {"species", "route", "dose"} <= set(pc["context_differences"])


def test_the_rodent_blockade_keeps_its_belief_and_the_human_null_stays_on_its_own_pair():
    data = run_json("explain", "rapamycin", "ketamine_response")
    blockade = next(e for e in data["edges"] if e["predicate"] == "inhibits")
    null = next(e for e in data["edges"] if e["predicate"] == "no_effect_on")
    assert blockade["belief"] >= 0.9
    assert blockade["refuting"] == []
    reasons = [x["reason"] for x in blockade["left_out"]]
    assert any("species differ" in r and "human" in r for r in reasons), reasons
    assert null["belief"] == pytest.approx(0.85)
    # The trial's 2-week result is on the duration of the response, not on the response itself.
    assert not any(e["predicate"] == "increases" for e in data["edges"])
    duration = run_json("explain", "rapamycin", "ketamine_response_duration")["edges"]
    assert [e["predicate"] for e in duration] == ["increases"]


def test_info_counts_links_open_questions_and_questions():
    from mtorgraph import load_graph

    graph = load_graph(None)
    data = run_json("info")
    assert data["links"] == len(graph.links) >= 4
    assert data["open_questions"] == len(graph.open_questions) == 3
    assert data["questions"] == len(graph.questions) >= 1
    assert sum(data["links_by_relation"].values()) == data["links"]
    assert data["evidence_by_basis"]["title_only"] >= 1  # cleary2008

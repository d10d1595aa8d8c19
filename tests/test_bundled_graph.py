"""The curated rapamycin–depression graph is tested like code: it loads clean and stays true to its sources."""

from __future__ import annotations

import json

import pytest

from mtorgraph import bundled_graph_path, load_graph
from mtorgraph.cli import main
from mtorgraph.io.curated import validate_curated

from .conftest import DATA


@pytest.fixture(scope="module")
def graph():
    return load_graph()


def _identifier_ledger() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in (DATA / "identifiers.tsv").read_text().splitlines():
        if line.startswith("#"):
            continue
        curie, status, label = line.split("\t")
        rows[curie] = (status, label)
    return rows


def test_bundled_graph_validates_with_zero_errors():
    problems = validate_curated(bundled_graph_path())
    assert [p.format() for p in problems if p.severity == "error"] == []


def test_every_edge_has_evidence_from_a_findable_reference(graph):
    for edge in graph.edges:
        assert edge.evidence, edge.label
        for ev in edge.evidence:
            ref = graph.reference(ev.reference)
            if ev.kind == "regulatory":
                assert ref.url and ref.url.startswith(("http://www.fda.gov/", "https://www.fda.gov/")), ref.key
            else:
                assert ref.doi or ref.pmid or ref.pmcid, f"{edge.label}: {ref.key} has no DOI, PMID or PMCID"


def test_every_entity_id_comes_from_the_identifier_ledger(graph):
    ledger = _identifier_ledger()
    for entity in graph.entities:
        if entity.id_status == "local":
            assert entity.id.startswith("mtorgraph:") and entity.note, entity.key
            continue
        assert entity.id in ledger, f"{entity.key}: {entity.id} is not in the identifier ledger"
        status, label = ledger[entity.id]
        assert entity.id_status == status, entity.key
        if status == "derived":
            assert entity.note, f"{entity.key}: a derived id needs a visible note"
        if status == "verified" and entity.kind not in ("gene",):
            assert entity.label == label, f"{entity.key}: label {entity.label!r} is not the exact label {label!r}"


def test_every_xref_comes_from_the_identifier_ledger(graph):
    ledger = _identifier_ledger()
    assert [(e.key, x) for e in graph.entities for x in e.xrefs if x not in ledger] == []


def test_required_entities_are_present(graph):
    keys = {e.key for e in graph.entities}
    required = {"rapamycin", "ketamine", "mtor", "mtorc1", "mtor_signaling", "inflammation", "neuroinflammation",
                "autophagy", "synaptic_plasticity", "synaptogenesis", "myelination", "bdnf", "nmda_receptor",
                "depression", "depressive_like_behavior", "chronic_stress", "ketamine_response",
                "immunosuppression", "infection_risk", "hyperlipidemia"}
    assert required <= keys, required - keys
    assert graph.resolve("sirolimus").key == "rapamycin"
    assert graph.entity("depression").id == "MONDO:0002050"
    assert graph.entity("depressive_like_behavior").kind != "disease"


def test_the_paradox_is_in_the_data(graph):
    pair = {e.predicate: e for e in graph.edges_from("rapamycin") if e.object == "ketamine_response"}
    assert set(pair) == {"inhibits", "no_effect_on"}
    rodent = {ev.context.species for ev in pair["inhibits"].evidence}
    assert rodent <= {"rat", "mouse", "rodent"}
    [human_null] = [ev for ev in pair["no_effect_on"].evidence if ev.reference == "abdallah2020"]
    assert human_null.context.species == "human" and "24" in (human_null.context.timepoint or "")
    duration = graph.edge("rapamycin", "increases", "ketamine_response_duration")
    [longer] = [ev for ev in duration.evidence if ev.reference == "abdallah2020"]
    assert longer.kind == "rct" and longer.context.n == 20
    assert "41%" in (longer.effect or "") and "29%" in (longer.effect or "")
    assert any(e.predicate == "activates" and e.object == "mtorc1" for e in graph.edges_from("ketamine"))
    assert any(e.predicate == "inhibits" and e.object == "mtorc1" for e in graph.edges_from("rapamycin"))


def test_stress_moves_mtor_both_ways_by_model_and_region(graph):
    signs = {}
    for edge in graph.edges_from("chronic_stress"):
        if edge.object in ("mtor", "mtorc1", "mtor_signaling") and edge.sign:
            for ev in edge.evidence:
                signs.setdefault(edge.sign, set()).add((ev.context.species, ev.context.anatomy))
    assert set(signs) == {1, -1}, signs


def test_no_edge_the_ledger_rules_out(graph):
    keys = {e.key for e in graph.entities}
    assert not any("stability" in k or "non_mtor" in k for k in keys)
    assert not any(e.subject == "rapamycin" and graph.entity(e.object).kind == "disease" and e.sign == 1
                   and "adjustment" in e.object for e in graph.edges)
    assert not graph.edges_to("adjustment_disorder") if "adjustment_disorder" in keys else True


def test_claims_c1_to_c15(graph):
    assert [c.id for c in graph.claims] == [f"C{i}" for i in range(1, 16)]
    verdicts = {c.id: c.verdict for c in graph.claims}
    assert verdicts["C12"] == "no_source_found"
    assert verdicts["C11"] == "contradicted"
    c12 = next(c for c in graph.claims if c.id == "C12")
    assert c12.edges == ()


def test_audit_shows_c7_with_design_n_and_both_figures_and_c12_unsourced(runner):
    result = runner.invoke(main, ["audit", "C7", "C12"])
    assert result.exit_code == 0, result.output
    c7, c12 = result.stdout.split("\n\nC12 ")
    assert "crossover" in c7 and "n: 20" in c7
    assert "41% vs 13%" in c7 and "29% vs 7%" in c7
    assert c12.startswith("[no source found]")


def test_show_rapamycin_json_lists_edges_with_evidence_and_context(runner):
    result = runner.invoke(main, ["show", "rapamycin", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["entity"]["id"] == "CHEBI:9168"
    assert len(data["outgoing"]) >= 8
    for edge in data["outgoing"]:
        assert edge["evidence"]
        for ev in edge["evidence"]:
            assert ev["finding"] and ev["links"], edge
    assert any(ev["context"].get("species") == "human" for e in data["outgoing"] for ev in e["evidence"])


def test_every_reference_in_the_ledger_is_cited(graph):
    cited = ({ev.reference for e in graph.edges for ev in e.evidence} | {r for c in graph.claims for r in c.references}
             | {ev.reference for link in graph.links for ev in link.evidence}
             | {q.proposed_by for q in graph.open_questions})
    assert {r.key for r in graph.references} == cited


# ---------------------------------------------------------------- curation decisions (issue 9, audit turn 2)

def _weighed_references(edge) -> set[str]:
    return {ev.reference for ev in edge.evidence if ev.weighed and ev.direction == "supports"}


def test_the_trial_introduction_is_never_a_weighed_source_for_the_rodent_blockade(graph):
    blockade = graph.edge("rapamycin", "inhibits", "ketamine_response")
    assert _weighed_references(blockade) == {"li2010", "li2011", "holubova2016"}
    intro = [ev for ev in blockade.evidence if ev.reference == "abdallah2020"]
    assert intro and all(ev.basis == "cited_statement" and not ev.weighed for ev in intro)
    # the trial's introduction is never weighed anywhere; its own results are (rct, curator inference)
    for edge in graph.edges:
        for ev in edge.evidence:
            if ev.reference == "abdallah2020" and ev.kind == "review":
                assert ev.basis == "cited_statement", edge.label
    assert "abdallah2020" in _weighed_references(graph.edge("rapamycin", "no_effect_on", "ketamine_response"))


def test_the_li2010_route_is_left_blank_not_guessed(graph):
    for edge in graph.edges:
        for ev in edge.evidence:
            if ev.reference == "li2010":
                assert ev.context.route is None, edge.label


def test_cleary2008_is_listed_but_carries_no_weight(graph):
    items = [(e, ev) for e in graph.edges for ev in e.evidence if ev.reference == "cleary2008"]
    assert items
    for edge, ev in items:
        assert ev.basis == "title_only" and not ev.weighed, edge.label
    alone = graph.edge("rapamycin", "decreases", "depressive_like_behavior")
    assert _weighed_references(alone) == {"zhang2023", "halloran2012"}


def test_the_three_hypotheses_are_open_questions_not_edges(graph):
    assert not any(ev.kind == "hypothesis" for e in graph.edges for ev in e.evidence)
    labels = {e.label for e in graph.edges}
    assert not labels & {"rapamycin no_effect_on mtorc1", "neuroinflammation decreases ketamine_response",
                         "autophagy decreases depressive_like_behavior"}
    questions = {q.key: q for q in graph.open_questions}
    assert set(questions) == {"rapamycin_dose_target_engagement", "rapamycin_anti_inflammatory_prolongation",
                              "rapamycin_autophagy_antidepressant"}
    dose = questions["rapamycin_dose_target_engagement"]
    assert dose.proposed_by == "abdallah2020" and "underdosing" in dose.statement
    inflammation = questions["rapamycin_anti_inflammatory_prolongation"]
    assert "inflammation" in inflammation.entities and "neuroinflammation" not in inflammation.entities
    assert "ketamine_response_duration" in inflammation.entities
    assert questions["rapamycin_autophagy_antidepressant"].proposed_by == "kara2018"
    for q in questions.values():
        assert q.would_test and q.question.endswith("?"), q.key


def test_the_two_week_result_is_a_longer_response_on_its_own_node(graph):
    duration = graph.entity("ketamine_response_duration")
    assert duration.kind == "outcome" and duration.id_status == "local"
    assert duration.id == "mtorgraph:ketamine_response_duration"
    assert duration.label == "duration of ketamine's antidepressant response"
    assert not any(e.predicate == "increases" for e in graph.edges_from("rapamycin") if e.object == "ketamine_response")
    [longer] = graph.edge("rapamycin", "increases", "ketamine_response_duration").evidence
    assert longer.kind == "rct" and longer.context.timepoint == "over 2 weeks after ketamine"
    assert "20 randomized" in (longer.context.design or "") and "fewer" in longer.finding
    assert graph.edge("ketamine_response_duration", "decreases", "depression").evidence


def test_curator_inference_carries_no_trial_design_or_n(graph):
    for edge in graph.edges:
        for ev in edge.evidence:
            if ev.kind == "curator_inference":
                assert ev.context.design is None and ev.context.n is None, edge.label


def test_structural_links_connect_the_levels_in_the_walked_direction(graph):
    links = {link.key for link in graph.links}
    assert links == {
        ("mtor", "part_of", "mtorc1"),
        ("mtorc1", "participates_in", "mtor_signaling"),
        ("depressive_like_behavior", "model_of", "depression"),
        ("esketamine", "subclass_of", "ketamine"),
        ("major_depressive_disorder", "subclass_of", "depression"),
    }
    mdd = graph.entity("major_depressive_disorder")
    assert (mdd.id, mdd.id_status, mdd.kind) == ("MONDO:0002009", "verified", "disease")
    for link in graph.links:
        assert link.note and link.evidence, link.label
        for ev in link.evidence:
            assert not ev.weighed, f"{link.label}: link evidence is a statement about the relation, never a result"
            assert graph.reference(ev.reference).has_identifier, link.label


def test_suo2013_rapamycin_edge_targets_what_was_tested(graph):
    assert not any(e.object == "stress_resilience" for e in graph.edges_from("rapamycin"))
    edge = graph.edge("rapamycin", "inhibits", "adolescent_stress_antidepressant_effect")
    assert {ev.reference for ev in edge.evidence} == {"suo2013"}
    assert graph.edge("adolescent_stress_antidepressant_effect", "decreases", "depressive_like_behavior")


def test_the_block_of_induced_synaptogenesis_is_not_a_third_path(graph):
    assert not any(e.object == "synaptogenesis" for e in graph.edges_from("rapamycin"))
    assert graph.edge("rapamycin", "inhibits", "ketamine_induced_synaptogenesis")
    assert graph.edges_from("ketamine_induced_synaptogenesis") == []


def test_class_wide_incidence_ranges_are_associations(graph):
    for edge in graph.edges:
        if any(ev.reference == "zaza2013" for ev in edge.evidence):
            assert edge.predicate == "associated_with", edge.label
    assert graph.edge("rapamycin", "associated_with", "hyperglycemia")


def test_experiments_split_a_reference_only_into_its_distinct_studies(graph):
    from mtorgraph.analysis.studies import independent_studies

    by_reference: dict[str, set] = {}
    for edge in graph.edges:
        for ev in edge.evidence:
            by_reference.setdefault(ev.reference, set()).add(ev.experiment)
    for reference, experiments in by_reference.items():
        assert None not in experiments or experiments == {None}, f"{reference}: name every experiment or none"
    suo = [e for e in graph.edges if any(ev.reference == "suo2013" for ev in e.evidence)]
    assert len([s for s in independent_studies(suo) if s[0] == "suo2013"]) == 2
    trial = [e for e in graph.edges if any(ev.reference == "abdallah2020" for ev in e.evidence)]
    assert [s for s in independent_studies(trial) if s[0] == "abdallah2020"] == [("abdallah2020", None)]


def test_every_entity_states_its_id_status():
    from ruamel.yaml import YAML

    raw = YAML(typ="safe").load((bundled_graph_path() / "entities.yaml").read_text())["entities"]
    assert [key for key, fields in raw.items() if "id_status" not in fields] == []


def test_phenotype_means_an_adverse_phenotype(graph):
    phenotypes = {e.key for e in graph.entities if e.kind == "phenotype"}
    assert phenotypes == {"depressive_like_behavior", "immunosuppression", "infection_risk", "hyperlipidemia",
                          "hyperglycemia"}
    for key in ("stress_resilience", "adolescent_stress_antidepressant_effect", "ketamine_response"):
        assert graph.entity(key).kind == "outcome", key


def test_graph_states_its_title_and_questions(graph):
    assert graph.title
    questions = {(q.source, q.target): q.title for q in graph.questions}
    assert questions[("rapamycin", "depression")] and questions[("ketamine", "depression")]


def test_claim_verdicts_follow_the_ledger_wording(graph):
    verdicts = {c.id: c.verdict for c in graph.claims}
    assert verdicts["C2"] == verdicts["C7"] == "supported_with_caveats"
    assert verdicts["C6"] == "partial"

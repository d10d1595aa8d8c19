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
    assert {"inhibits", "no_effect_on", "increases"} <= set(pair)
    rodent = {ev.context.species for ev in pair["inhibits"].evidence}
    assert rodent <= {"rat", "mouse", "rodent"}
    [human_null] = [ev for ev in pair["no_effect_on"].evidence if ev.reference == "abdallah2020"]
    assert human_null.context.species == "human" and "24" in (human_null.context.timepoint or "")
    [longer] = [ev for ev in pair["increases"].evidence if ev.reference == "abdallah2020"]
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
    cited = {ev.reference for e in graph.edges for ev in e.evidence} | {r for c in graph.claims for r in c.references}
    assert {r.key for r in graph.references} == cited

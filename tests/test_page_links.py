"""The page's data for structural links, identifier status, evidence basis, conflict words and the
bounded conflict scan (no browser; tests/test_browser.py drives the same page in Chromium)."""

from __future__ import annotations

import pytest

from mtorgraph.analysis.conflicts import conflicts_to_json, find_conflicts
from mtorgraph.analysis.paths import find_paths, paths_to_json
from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, Question, Reference
from mtorgraph.views import html as html_view
from mtorgraph.views.html import render_html
from mtorgraph.views.html_conflicts import to_conflict_payloads
from mtorgraph.views.html_data import EDGE_COLORS, LINK_COLOR, find_neighbourhood

from tests.page_fixtures import BRIDGE_ID, CITED_EDGE_ID, PART_ID, linked_graph
from tests.test_html import page_data


@pytest.fixture(scope="module")
def linked() -> MechanismGraph:
    return linked_graph()


@pytest.fixture(scope="module")
def data(linked: MechanismGraph) -> dict:
    return page_data(render_html(linked))


def test_links_are_drawn_apart_from_edges(data: dict) -> None:
    edges = {e["id"]: e for e in data["edges"]}
    link = edges[BRIDGE_ID]
    assert link["structural"] is True and link["label"] == "model of"
    assert link["color"]["color"] == LINK_COLOR and LINK_COLOR not in EDGE_COLORS.values()
    assert link["dashes"] == [12, 4, 2, 4]
    assert {e["dashes"] if isinstance(e["dashes"], bool) else tuple(e["dashes"])
            for e in data["edges"] if not e.get("structural")}.isdisjoint({(12, 4, 2, 4)})
    assert (link["from"], link["to"]) == ("depressive_like_behavior", "depression")
    assert edges[PART_ID]["label"] == "part of"


def test_a_link_carries_its_evidence_for_the_panel(data: dict) -> None:
    info = {e["id"]: e for e in data["edges"]}[PART_ID]["info"]
    assert info["structural"] is True and info["predicate_label"] == "is part of" and info["belief"] is None
    (ev,) = info["evidence"]
    assert ev["finding"] == "MTOR is the kinase of the complex." and ev["experiment"] == "co-immunoprecipitation"
    assert ev["links"] == {"pubmed": "https://pubmed.ncbi.nlm.nih.gov/1/"}


def test_the_legend_lists_the_relations_drawn(data: dict) -> None:
    assert [r["relation"] for r in data["legend"]["relations"]] == ["part_of", "model_of"]
    assert data["legend"]["relation_labels"]["model_of"] == "is a model of"


def test_unweighed_evidence_says_so(data: dict) -> None:
    evidence = {e["id"]: e for e in data["edges"]}[CITED_EDGE_ID]["info"]["evidence"]
    by_basis = {ev["basis"]: ev for ev in evidence}
    assert by_basis["cited_statement"]["weighed"] is False
    assert "cited statement" in by_basis["cited_statement"]["basis_note"]
    assert "title only" in by_basis["title_only"]["basis_note"]
    own = {e["id"]: e for e in data["edges"]}["rapamycin|inhibits|mtorc1"]["info"]["evidence"][0]
    assert own["basis"] == "own_result" and own["weighed"] is True and own["basis_note"] is None


def test_unverified_identifiers_are_marked(data: dict) -> None:
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["mtor_gene"]["info"]["id_status"] == "unverified"
    assert nodes["mtor_gene"]["shapeProperties"]["borderDashes"]
    assert nodes["ketamine_response"]["shapeProperties"]["borderDashes"]  # local: not verified either
    assert "shapeProperties" not in nodes["rapamycin"]  # verified: a plain border
    assert {u["key"] for u in data["legend"]["unverified"]} == {"mtor_gene", "ketamine_response",
                                                                  "depressive_like_behavior"}


def test_focus_walks_links_and_keeps_them(linked: MechanismGraph) -> None:
    around = find_neighbourhood(linked, "depressive_like_behavior", 1)
    assert {e.key for e in around.entities} == {"depressive_like_behavior", "depression", "rapamycin"}
    assert [k.label for k in around.links] == ["depressive_like_behavior model_of depression"]
    drawn = page_data(render_html(linked, focus="mtor_gene", depth=1))
    assert PART_ID in {e["id"] for e in drawn["edges"]}


def test_conflict_sides_are_named_by_their_effect(data: dict) -> None:
    entry = next(c for c in data["conflicts"] if c["id"] == "path:rapamycin|depression")
    assert entry["sides"]["positive"]["words"] == "would worsen depression"
    assert entry["sides"]["negative"]["words"] == "would relieve depression"
    assert "would worsen depression" in entry["label"] and "would relieve depression" in entry["label"]
    assert "positive" not in entry["label"] and "negative" not in entry["label"]
    edge_entry = next(c for c in data["conflicts"] if c["id"] == "edge:rapamycin|ketamine_response")
    assert "would increase ketamine's antidepressant response" in edge_entry["label"]
    assert "no effect found" in edge_entry["label"]


def test_the_analysis_sides_are_used_when_given(linked: MechanismGraph) -> None:
    """The conflicts JSON's ``sides`` (independent studies) name the menu's counts."""
    report = conflicts_to_json(find_conflicts(linked, "rapamycin", "depression"))
    for side, words in (("positive", "would worsen depression"), ("negative", "would relieve depression")):
        report["path_conflicts"][0].setdefault("sides", {})[side] = {
            "effect": "x", "effect_words": words, "paths": 9, "references": ["fixture_c"],
            "independent_studies": 1 if side == "positive" else 3, "studies": [["fixture_c", None]]}
    [entry] = [c for c in to_conflict_payloads(report, linked) if c["type"] == "path"]
    assert "would worsen depression (2 paths, 1 independent study)" in entry["label"]
    assert "would relieve depression (2 paths, 3 independent studies)" in entry["label"]


def test_a_bridge_step_lights_up_its_link(linked: MechanismGraph) -> None:
    """A conflict path through a model-of bridge names the link's id, so the page highlights it."""
    path = {"sign": -1, "score": 0.5, "length": 2, "steps": [
        {"subject": "rapamycin", "predicate": "decreases", "object": "depressive_like_behavior", "sign": -1,
         "belief": 0.7, "references": ["fixture_a"], "bridge": None},
        {"subject": "depressive_like_behavior", "predicate": "model_of", "object": "depression", "sign": 1,
         "belief": 0.5, "references": ["fixture_d"], "bridge": "model_of"}]}
    report = conflicts_to_json(find_conflicts(linked, "rapamycin", "depression"))
    report["path_conflicts"][0]["negative"].append(path)
    [entry] = [c for c in to_conflict_payloads(report, linked) if c["type"] == "path"]
    assert BRIDGE_ID in entry["negative"] and "depressive_like_behavior" in entry["nodes"]
    assert entry["negative_paths"][-1]["translational"] is True
    assert entry["negative_paths"][-1]["steps"][1] == ["depressive_like_behavior", "model_of", "depression", "model_of"]


def test_bridges_found_by_the_analysis_light_up_in_the_page(linked: MechanismGraph) -> None:
    """End to end, once path search crosses links (issue 9: the analysis marks bridge steps)."""
    paths = paths_to_json(find_paths(linked, "rapamycin", "depression"))
    if not any("bridge" in s for p in paths["paths"] for s in p["steps"]):
        pytest.skip("path search does not cross structural links on this branch yet")
    entry = next(c for c in page_data(render_html(linked))["conflicts"] if c["id"] == "path:rapamycin|depression")
    assert BRIDGE_ID in entry["negative"]
    assert any(p["translational"] for p in entry["negative_paths"])


# --- the conflict scan is bounded ----------------------------------------------------------------

def _many_pairs(chemicals: int, diseases: int) -> MechanismGraph:
    ev = (Evidence(reference="r", kind="animal_in_vivo", finding="f", context=Context(species="rat")),)
    entities = ([Entity(key=f"c{i}", id=f"CHEBI:{i + 1}", label=f"c{i}", name=f"c{i}", kind="chemical")
                 for i in range(chemicals)]
                + [Entity(key=f"d{i}", id=f"MONDO:{i + 1:07d}", label=f"d{i}", name=f"d{i}", kind="disease")
                   for i in range(diseases)]
                + [Entity(key="hub", id="GO:0000001", label="hub", name="hub", kind="process")])
    edges = [Edge(subject=f"c{i}", predicate="increases", object="hub", evidence=ev) for i in range(chemicals)]
    edges += [Edge(subject=f"c{i}", predicate="decreases", object="d0", evidence=ev) for i in range(chemicals)]
    edges += [Edge(subject="hub", predicate="increases", object=f"d{i}", evidence=ev) for i in range(diseases)]
    return MechanismGraph(entities=tuple(entities), references=(Reference(key="r", title="t", doi="10.5555/r",
                                                                          verified="yes"),), edges=tuple(edges))


def test_small_graphs_scan_every_pair() -> None:
    data = page_data(render_html(_many_pairs(3, 3)))
    assert data["scan_note"] is None
    assert {c["id"] for c in data["conflicts"]} == {"path:c0|d0", "path:c1|d0", "path:c2|d0"}


def test_the_scan_is_bounded_and_says_what_it_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    import mtorgraph.analysis.conflicts as conflicts

    graph = _many_pairs(12, 12)  # 144 chemical → disease pairs
    monkeypatch.setattr(html_view, "SCAN_PAIR_LIMIT", 20)
    searched: list[tuple[str, str]] = []
    real = conflicts.search_graph_index

    def counting(gindex, source, target, **kw):
        searched.append((source, target))
        return real(gindex, source, target, **kw)

    monkeypatch.setattr(conflicts, "search_graph_index", counting)
    data = page_data(render_html(graph, focus="c3", depth=2))
    assert {s for s, _ in searched} == {"c3"} and len(searched) <= 2 * 20  # two searches per pair
    assert {c["id"] for c in data["conflicts"]} == {"path:c3|d0"}  # the focus's own pairs
    assert data["scan_note"].startswith("12 of 144 chemical → disease/phenotype pairs scanned")
    names = {n["id"]: n["info"]["kind"] for n in data["nodes"]}
    assert names["c4"] == "chemical"  # the scan's relabelled copy never reaches the page
    entry = data["conflicts"][0]
    assert "would worsen d0" in entry["label"] and "would relieve d0" in entry["label"]
    searched.clear()
    whole = page_data(render_html(graph))  # no focus, no questions: no pair, and it says so
    assert searched == [] and whole["conflicts"] == [] and whole["scan_note"].startswith("0 of 144")
    asked = page_data(render_html(graph, conflict=("c5", "d0")))  # a pair asked for is looked at
    assert asked["preselect"] == "path:c5|d0"
    questioned = graph.model_copy(update={"questions": (Question(source="c7", target="d0"),)})
    assert "path:c7|d0" in {c["id"] for c in page_data(render_html(questioned))["conflicts"]}


def test_edge_conflicts_are_listed_even_when_pairs_are_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _many_pairs(12, 12)
    ev = (Evidence(reference="r", kind="rct", finding="g", context=Context(species="human")),)
    graph = MechanismGraph(entities=graph.entities, references=graph.references,
                           edges=(*graph.edges, Edge(subject="c1", predicate="increases", object="d0", evidence=ev)))
    monkeypatch.setattr(html_view, "SCAN_PAIR_LIMIT", 20)
    assert "edge:c1|d0" in {c["id"] for c in page_data(render_html(graph))["conflicts"]}

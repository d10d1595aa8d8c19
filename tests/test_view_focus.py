"""``view --focus``: the neighbourhood comes from the graph's adjacency, is capped (and says what it
left out), reads only what it draws on a columnar graph, and finds conflicts in the drawn graph only.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mtorgraph import load_graph
from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, Reference
from mtorgraph.views import html as html_view
from mtorgraph.views.html import render_html, render_page
from mtorgraph.views.neighbourhood import find_capped_neighbourhood

from .browser_support import offline_page
from .conftest import ROOT
from .test_html import page_data

BUNDLED = ROOT / "graphs"


def star(leaves: int = 30, seed: int = 0) -> MechanismGraph:
    """A hub chemical with ``leaves`` processes around it, each edge with 1-3 studies (so beliefs
    differ), a second ring behind each leaf, and one disease reached both ways."""
    rng = random.Random(seed)
    refs = [f"r{i}" for i in range(6)]

    def evidence(k: int) -> tuple[Evidence, ...]:
        return tuple(Evidence(reference=refs[i], kind="animal_in_vivo", finding="f", context=Context(species="rat"))
                     for i in range(k))

    entities = [Entity(key="hub", id="CHEBI:1", label="hub", name="hub", kind="chemical"),
                Entity(key="dis", id="MONDO:0000001", label="dis", name="dis", kind="disease")]
    edges = []
    for i in range(leaves):
        entities.append(Entity(key=f"p{i:02d}", id=f"GO:{i + 1:07d}", label=f"p{i:02d}", name=f"p{i:02d}",
                               kind="process"))
        entities.append(Entity(key=f"q{i:02d}", id=f"GO:{i + 1001:07d}", label=f"q{i:02d}", name=f"q{i:02d}",
                               kind="process"))
        predicate = "increases" if i < 2 else rng.choice(("increases", "decreases"))  # p00, p01: the conflict
        edges.append(Edge(subject="hub", predicate=predicate, object=f"p{i:02d}",
                          evidence=evidence(rng.randint(1, 3))))
        edges.append(Edge(subject=f"p{i:02d}", predicate="increases", object=f"q{i:02d}", evidence=evidence(1)))
    edges.append(Edge(subject="p00", predicate="increases", object="dis", evidence=evidence(2)))
    edges.append(Edge(subject="p01", predicate="decreases", object="dis", evidence=evidence(2)))
    return MechanismGraph(entities=tuple(entities),
                          references=tuple(Reference(key=r, title=r, doi=f"10.5555/{r}", verified="yes") for r in refs),
                          edges=tuple(edges))


@pytest.mark.parametrize("focus,depth", [("rapamycin", 1), ("rapamycin", 2), ("mtorc1", 2), ("depression", 3)])
def test_columnar_and_model_graphs_draw_the_same_page(focus, depth):
    graph = load_graph(BUNDLED)
    assert render_html(ColumnarGraph.from_model(graph), focus=focus, depth=depth) == \
        render_html(graph, focus=focus, depth=depth)


def test_an_uncapped_neighbourhood_is_every_entity_within_depth():
    graph = star()
    around = find_capped_neighbourhood(graph, "hub", 1)
    assert {e.key for e in around.graph.entities} == {"hub"} | {f"p{i:02d}" for i in range(30)}
    assert around.entities_left_out == 0 and around.left_out_note("hub") is None
    two = find_capped_neighbourhood(graph, "hub", 2)
    assert len(two.graph.entities) == 62 and len(two.graph.edges) == len(graph.edges)


def test_the_cap_keeps_the_nearest_and_strongest_and_says_what_it_left_out():
    from mtorgraph.analysis.scoring import edge_belief

    graph = star()
    around = find_capped_neighbourhood(graph, "hub", 2, max_nodes=11)
    kept = {e.key for e in around.graph.entities}
    assert len(kept) == 11 and "hub" in kept
    assert not any(k.startswith("q") for k in kept)  # distance 1 fills the cap before distance 2
    belief = {e.object: edge_belief(graph, e) for e in graph.edges_from("hub")}
    weakest_kept = min(belief[k] for k in kept - {"hub"})
    assert all(belief[k] <= weakest_kept for k in set(belief) - kept)
    assert around.entities_left_out == 62 - 11
    assert around.edges_left_out == len(graph.edges) - len(around.graph.edges)
    note = around.left_out_note("hub")
    assert "51 entities" in note and f"{around.edges_left_out} edges" in note and "--max-nodes" in note
    on_columns = find_capped_neighbourhood(ColumnarGraph.from_model(graph), "hub", 2, max_nodes=11)
    assert on_columns.graph == around.graph
    assert on_columns.edges_left_out == around.edges_left_out  # counted on the edge arrays there


@pytest.mark.parametrize("focus,depth,cap", [("rapamycin", 2, 5), ("mtorc1", 2, 8), ("depression", 3, 12)])
def test_a_capped_page_is_the_same_on_columns_and_objects(focus, depth, cap):
    graph = load_graph(BUNDLED)
    page = render_page(graph, focus=focus, depth=depth, max_nodes=cap)
    assert page.left_out is not None
    assert render_page(ColumnarGraph.from_model(graph), focus=focus, depth=depth, max_nodes=cap) == page


def test_a_columnar_graph_builds_only_the_drawn_edges(monkeypatch):
    graph = ColumnarGraph.from_model(star(leaves=40))
    built: list[int] = []
    real = ColumnarGraph.edge_at

    def counting(self, i):
        built.append(i)
        return real(self, i)

    import mtorgraph.analysis.lookup as lookup

    batch = lookup.edges_at

    def counting_batch(graph, rows):
        found = batch(graph, rows)
        built.extend(found)
        return found

    monkeypatch.setattr(ColumnarGraph, "edge_at", counting)
    monkeypatch.setattr(lookup, "edges_at", counting_batch)
    data = page_data(render_html(graph, focus="p05", depth=1))
    assert len(built) == len(data["edges"]) == 2  # hub → p05 → q05, of 82 edges


def test_the_conflict_menu_reads_the_drawn_graph_only(monkeypatch):
    import mtorgraph.analysis.conflicts as conflicts

    graph = star()
    seen: list[int] = []
    real = conflicts.to_graph_index

    def counting(g, **kw):
        seen.append(len(g.edges))
        return real(g, **kw)

    monkeypatch.setattr(conflicts, "to_graph_index", counting)
    data = page_data(render_html(graph, focus="dis", depth=2))
    assert seen and max(seen) == len(data["edges"]) < len(graph.edges)
    assert "path:hub|dis" in {c["id"] for c in data["conflicts"]}


def test_cli_says_on_stderr_what_the_cap_left_out(runner, tmp_path):
    out = tmp_path / "page.html"
    result = runner.invoke(main, ["--graph", str(BUNDLED), "view", "-o", str(out), "--focus", "rapamycin",
                                  "--depth", "2", "--max-nodes", "5"])
    assert result.exit_code == 0, result.output
    assert "note: Capped at 5 entities" in result.stderr and "--max-nodes" in result.stderr
    assert result.stdout.strip() == str(out)
    data = page_data(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 5 and data["left_out"].startswith("Capped at 5 entities")
    whole = runner.invoke(main, ["--graph", str(BUNDLED), "view", "-o", str(out), "--focus", "rapamycin"])
    assert whole.exit_code == 0 and "note:" not in whole.stderr  # the bundled graph is far below the default cap
    assert "left_out" not in page_data(out.read_text(encoding="utf-8"))


def test_cli_refuses_a_whole_graph_too_big_to_draw(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(html_view, "MAX_EDGES", 10)
    out = tmp_path / "page.html"
    result = runner.invoke(main, ["--graph", str(BUNDLED), "view", "-o", str(out)])
    assert result.exit_code == 1
    assert "--focus ENTITY" in result.stderr and "Traceback" not in result.output
    assert not out.exists()
    usage = runner.invoke(main, ["--graph", str(BUNDLED), "view", "-o", str(out), "--max-nodes", "5"])
    assert usage.exit_code == 2 and "--focus" in usage.stderr


def test_max_nodes_out_of_range_is_refused():
    from mtorgraph.errors import MtorgraphError

    with pytest.raises(MtorgraphError, match="--max-nodes"):
        render_page(star(), focus="hub", max_nodes=html_view.MAX_NODES + 1)


@pytest.mark.browser
def test_a_capped_page_says_in_the_browser_what_was_left_out(tmp_path: Path):
    page = tmp_path / "capped.html"
    page.write_text(render_page(star(), focus="hub", depth=2, max_nodes=8).text, encoding="utf-8")
    with offline_page(page) as p:
        p.wait_ready()
        notice = p.page.locator("#left-out")
        assert notice.is_visible()
        text = notice.inner_text()
        assert text.startswith("Capped at 8 entities: 54 entities and") and "--max-nodes" in text
        assert p.js("network.body.data.nodes.length") == 8
        assert not p.page_errors and not p.console_errors

"""The HTML page in a real browser: Debian's Chromium, headless, with the network blocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.browser_support import OfflinePage, offline_page

from mtorgraph.io import load_graph
from mtorgraph.model import MechanismGraph
from mtorgraph.views.html import PHYSICS_LIMIT, write_html
from mtorgraph.views.html_data import HIGHLIGHT_COLORS

from tests.test_html import IMG, SCRIPT, _synthetic, payload_graph

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"
SCREENSHOT = ROOT / "docs" / "screenshot.png"

MIDPOINT = """([id, t]) => {
  const edge = network.body.edges[id];
  const dom = network.canvasToDOM(edge.edgeType.getPoint(t));
  const box = document.getElementById('mynetwork').getBoundingClientRect();
  return {x: dom.x, y: dom.y, pageX: box.left + dom.x, pageY: box.top + dom.y,
          edgeAt: network.getEdgeAt(dom) ?? null, nodeAt: network.getNodeAt(dom) ?? null};
}"""


def click_edge(p: OfflinePage, edge_id: str) -> None:
    """Click with the mouse on a point of the drawn edge that no node or other edge covers."""
    for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.35, 0.65, 0.25, 0.75):
        point = p.js(MIDPOINT, [edge_id, t])
        if point["edgeAt"] == edge_id and point["nodeAt"] is None:
            p.page.mouse.click(point["pageX"], point["pageY"])
            return
    raise AssertionError(f"no free point on edge {edge_id} to click")


def click_node(p: OfflinePage, key: str) -> None:
    """Click with the mouse on a node's centre."""
    point = p.js("""(key) => {
      const dom = network.canvasToDOM(network.getPositions([key])[key]);
      const box = document.getElementById('mynetwork').getBoundingClientRect();
      return {x: box.left + dom.x, y: box.top + dom.y};
    }""", key)
    p.page.mouse.click(point["x"], point["y"])


def edge_colour(p: OfflinePage, edge_id: str) -> str:
    return p.js("(id) => edges.get(id).color.color", edge_id)


def assert_clean(p: OfflinePage) -> None:
    assert p.console_errors == [] and p.page_errors == [], (p.console_errors, p.page_errors)
    assert p.blocked == [], f"the page tried the network: {p.blocked}"


@pytest.fixture(scope="module")
def mini() -> MechanismGraph:
    return load_graph(str(MINI))


@pytest.fixture(scope="module")
def mini_html(tmp_path_factory: pytest.TempPathFactory, mini: MechanismGraph) -> Path:
    return write_html(mini, tmp_path_factory.mktemp("page") / "mini.html")


def test_page_loads_offline_with_the_whole_graph(mini: MechanismGraph, mini_html: Path) -> None:
    with offline_page(mini_html) as p:
        p.wait_ready()
        assert p.js("network.body.data.nodes.length") == len(mini.entities)
        assert p.js("network.body.data.edges.length") == len(mini.edges)
        assert p.js("window.network === network && typeof network.getPositions") == "function"
        # physics was switched off once the layout settled
        assert p.js("network.physics.physicsEnabled") is False
        # three edges between rapamycin and the ketamine response are three drawn edges
        assert len(p.js("network.getConnectedEdges('ketamine_response')")) == 5
        assert_clean(p)


def test_clicking_an_edge_shows_its_evidence(mini_html: Path) -> None:
    with offline_page(mini_html) as p:
        p.wait_ready()
        click_edge(p, "rapamycin|increases|ketamine_response")
        details = p.page.locator("#details")
        details.get_by_text("The response lasted longer.").wait_for(timeout=5000)
        text = details.inner_text()
        assert "rapamycin increases ketamine's antidepressant response" in text
        assert "belief: " in text and "response 41% vs 13%" in text and "p = 0.04" in text
        assert "oral" in text and "crossover" in text and "randomized controlled trial" in text
        link = details.get_by_role("link", name="PMC")
        assert link.get_attribute("href") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/"
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert_clean(p)


def test_clicking_a_node_shows_its_curie(mini_html: Path) -> None:
    with offline_page(mini_html) as p:
        p.wait_ready()
        click_node(p, "rapamycin")
        details = p.page.locator("#details")
        details.get_by_role("link", name="CHEBI:9168").wait_for(timeout=5000)
        assert details.get_by_role("link", name="CHEBI:9168").get_attribute("href") == \
            "http://purl.obolibrary.org/obo/CHEBI_9168"
        text = details.text_content()
        assert "synonyms: sirolimus" in text and "chemical" in text and "Edges (5)" in text
        assert_clean(p)


def test_choosing_a_conflict_highlights_both_sides(mini_html: Path) -> None:
    with offline_page(mini_html) as p:
        p.wait_ready()
        before = edge_colour(p, "rapamycin|increases|ketamine_response")
        p.page.select_option("#conflict", "path:rapamycin|depression")
        assert edge_colour(p, "rapamycin|inhibits|mtorc1") == HIGHLIGHT_COLORS["positive"]
        assert edge_colour(p, "rapamycin|inhibits|ketamine_response") == HIGHLIGHT_COLORS["positive"]
        assert edge_colour(p, "rapamycin|increases|ketamine_response") == HIGHLIGHT_COLORS["negative"]
        assert edge_colour(p, "ketamine_response|decreases|depression") == HIGHLIGHT_COLORS["both"]
        assert edge_colour(p, "inflammation|associated_with|depression") == HIGHLIGHT_COLORS["dimmed"]
        assert p.js("nodes.get('inflammation').font.color") == "#bbbbbb"
        info = p.page.locator("#conflict-info").text_content()
        assert "would worsen depression" in info and "would relieve depression" in info
        assert "Positive side" not in info and "+ rat" not in info
        assert "would worsen depression: rat" in info  # the context that differs, by side
        assert "rapamycin –increases→ ketamine's antidepressant response –decreases→ depression" in info
        p.page.click("#reset")
        assert edge_colour(p, "rapamycin|increases|ketamine_response") == before
        assert p.page.locator("#conflict-info").is_hidden()
        assert_clean(p)


def test_conflict_can_be_preselected(tmp_path: Path, mini: MechanismGraph) -> None:
    page = write_html(mini, tmp_path / "pre.html", conflict=("rapamycin", "depression"))
    with offline_page(page) as p:
        p.wait_ready()
        assert p.page.locator("#conflict").input_value() == "path:rapamycin|depression"
        assert edge_colour(p, "rapamycin|increases|ketamine_response") == HIGHLIGHT_COLORS["negative"]
        assert_clean(p)


def test_filters_hide_edges(mini_html: Path) -> None:
    with offline_page(mini_html) as p:
        p.wait_ready()
        hidden = "() => edges.get({filter: e => e.hidden}).map(e => e.id).sort()"
        p.page.check("#filter-hypotheses")
        assert p.js(hidden) == ["rapamycin|decreases|inflammation"]
        p.page.select_option("#filter-species", "human")
        shown = p.js("() => edges.get({filter: e => !e.hidden}).map(e => e.id).sort()")
        assert shown == ["inflammation|associated_with|depression", "ketamine_response|decreases|depression",
                         "rapamycin|increases|ketamine_response", "rapamycin|no_effect_on|ketamine_response"]
        assert p.js("nodes.get('mtorc1').hidden") is True and p.js("nodes.get('rapamycin').hidden") is False
        p.page.uncheck("#filter-hypotheses")
        p.page.select_option("#filter-species", "")
        p.page.select_option("#filter-kind", "rct")
        assert sorted(p.js("() => edges.get({filter: e => !e.hidden}).map(e => e.id)")) == [
            "ketamine_response|decreases|depression", "rapamycin|increases|ketamine_response",
            "rapamycin|no_effect_on|ketamine_response"]
        p.page.click("#reset")
        assert p.js(hidden) == []
        assert_clean(p)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_payloads_show_as_text_and_run_nothing(tmp_path: Path, bypass_csp: bool) -> None:
    page = write_html(payload_graph(), tmp_path / "xss.html")
    with offline_page(page, bypass_csp=bypass_csp) as p:
        p.wait_ready()
        click_edge(p, "evil|increases|target")
        details = p.page.locator("#details")
        details.get_by_text(SCRIPT + " " + IMG).wait_for(timeout=5000)
        text = details.inner_text()
        assert SCRIPT in text and IMG in text  # shown literally, as text
        assert details.locator("img, script").count() == 0
        click_node(p, "evil")
        details.get_by_text("synonyms: " + IMG).wait_for(timeout=5000)
        assert p.js("nodes.get('evil').label") == SCRIPT
        p.page.wait_for_timeout(300)  # give a broken image's onerror time to fire
        assert p.js("typeof window.__pwned") == "undefined"
        assert p.page.locator("body img, body script:not([type]):not([src])").count() <= 2  # the page's own
        assert p.page_errors == [] and p.blocked == []
        if bypass_csp:  # the control: the same payload, injected as markup, does fire here
            p.js("(html) => document.body.insertAdjacentHTML('beforeend', html)", IMG)
            p.page.wait_for_timeout(300)
            assert p.js("window.__pwned") == 1


def test_large_graph_draws_with_a_fixed_layout(tmp_path: Path) -> None:
    graph = _synthetic(PHYSICS_LIMIT + 100)
    page = write_html(graph, tmp_path / "large.html")
    with offline_page(page) as p:
        p.wait_ready()
        assert p.js("network.physics.physicsEnabled") is False
        assert p.js("network.body.data.nodes.length") == len(graph.entities)
        assert p.js("network.body.data.edges.length") == len(graph.edges) + len(graph.links)
        assert_clean(p)


def test_bundled_graph_screenshot(tmp_path: Path) -> None:
    """The README's picture: the bundled graph with the rapamycin → depression paradox chosen."""
    graph = load_graph(None)
    page = write_html(graph, tmp_path / "bundled.html")
    with offline_page(page, width=1400, height=900) as p:
        p.wait_ready(timeout_ms=10000)
        assert p.js("network.body.data.nodes.length") == len(graph.entities)
        assert p.js("network.body.data.edges.length") == len(graph.edges) + len(graph.links)
        p.page.select_option("#conflict", "path:rapamycin|depression")
        assert edge_colour(p, "rapamycin|increases|ketamine_response_duration") == HIGHLIGHT_COLORS["negative"]
        assert edge_colour(p, "rapamycin|inhibits|ketamine_response") == HIGHLIGHT_COLORS["positive"]
        click_edge(p, "rapamycin|increases|ketamine_response_duration")
        p.page.locator("#details .evidence").first.wait_for(timeout=5000)
        p.page.mouse.move(2, 880)  # away from the graph, so no tooltip covers it
        p.page.wait_for_timeout(400)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        p.page.screenshot(path=str(SCREENSHOT))
        assert_clean(p)
    assert SCREENSHOT.stat().st_size > 20_000


def test_jupyter_iframe_renders(tmp_path: Path, mini: MechanismGraph) -> None:
    """What a notebook shows: the page inside a sandboxed ``<iframe srcdoc>``."""
    from mtorgraph.views.html import GraphView

    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body>" + GraphView(mini, height=600)._repr_html_() + "</body></html>",
                    encoding="utf-8")
    with offline_page(host) as p:
        frame = p.page.frames[1]
        waited = 0
        while not frame.evaluate("window.mtorgraphReady === true"):
            assert waited < 15000, p.console_errors + p.page_errors
            p.page.wait_for_timeout(50)
            waited += 50
        assert frame.evaluate("network.body.data.edges.length") == len(mini.edges)
        assert_clean(p)


def test_edge_conflict_highlights_studies_that_disagree(mini_html: Path) -> None:
    with offline_page(mini_html) as p:
        p.wait_ready()
        p.page.select_option("#conflict", "edge:rapamycin|ketamine_response")
        assert edge_colour(p, "rapamycin|increases|ketamine_response") == HIGHLIGHT_COLORS["positive"]
        assert edge_colour(p, "rapamycin|inhibits|ketamine_response") == HIGHLIGHT_COLORS["negative"]
        assert edge_colour(p, "rapamycin|no_effect_on|ketamine_response") == HIGHLIGHT_COLORS["null"]
        assert edge_colour(p, "rapamycin|inhibits|mtorc1") == HIGHLIGHT_COLORS["dimmed"]
        info = p.page.locator("#conflict-info").text_content()
        assert "no effect found" in info and "intracerebral" in info
        assert_clean(p)


def test_an_empty_graph_still_draws(tmp_path: Path) -> None:
    page = write_html(MechanismGraph(), tmp_path / "empty.html")
    with offline_page(page) as p:
        p.wait_ready(timeout_ms=5000)
        assert p.js("network.body.data.nodes.length") == 0
        assert_clean(p)


# --- phone width, structural links, identifier status ---------------------------------------------

PHONE_SHOT = ROOT / "docs" / "screenshot-phone.png"


def test_phone_width_stacks_the_panel_under_a_visible_graph(tmp_path: Path, mini: MechanismGraph) -> None:
    page = write_html(mini, tmp_path / "phone.html")
    with offline_page(page, width=390, height=844) as p:
        p.wait_ready()
        canvas = p.js("(() => { const c = document.querySelector('#mynetwork canvas').getBoundingClientRect();"
                      " return {w: c.width, h: c.height, top: c.top}; })()")
        panel = p.js("document.getElementById('panel').getBoundingClientRect().top")
        assert canvas["w"] >= 380 and canvas["h"] >= 300, canvas
        assert panel >= canvas["top"] + canvas["h"] - 1, "the panel should sit under the graph"
        assert p.js("document.documentElement.scrollWidth") <= 390, "nothing should scroll sideways"
        click_edge(p, "rapamycin|increases|ketamine_response")
        p.page.locator("#details .evidence").first.wait_for(timeout=5000)
        top = p.js("document.getElementById('mynetwork').getBoundingClientRect().top")
        p.page.mouse.move(4, top + 4)  # onto an empty corner of the graph: the edge's tooltip closes
        p.page.wait_for_timeout(400)
        p.page.screenshot(path=str(PHONE_SHOT), full_page=True)
        assert_clean(p)


def test_links_show_their_relation_and_evidence(tmp_path: Path) -> None:
    from tests.page_fixtures import BRIDGE_ID, CITED_EDGE_ID, PART_ID, linked_graph

    page = write_html(linked_graph(), tmp_path / "links.html")
    with offline_page(page) as p:
        p.wait_ready()
        assert p.js("(id) => network.body.edges[id].options.dashes", PART_ID) == [12, 4, 2, 4]
        click_edge(p, BRIDGE_ID)
        details = p.page.locator("#details")
        details.get_by_text("The test models a depressive state.").wait_for(timeout=5000)
        text = details.inner_text()
        assert "is a model of" in text and "structural link (model_of), not causal" in text
        legend = p.page.locator("#legend").inner_text()
        assert "structural link, not causal: part of, model of" in legend
        assert "identifier not verified" in legend
        p.js("(id) => window.mtorgraph.showEdge(id)", CITED_EDGE_ID)
        assert "cited statement" in details.inner_text() and "known by title only" in details.inner_text()
        click_node(p, "mtor_gene")
        assert details.locator(".flag").inner_text(timeout=5000) == "id unverified"
        p.page.select_option("#conflict", "path:rapamycin|depression")
        assert p.page.locator("#legend-pos").inner_text() == "would worsen depression"
        info = p.page.locator("#conflict-info").inner_text()
        assert "would worsen depression" in info and "would relieve depression" in info
        assert "Positive side" not in info
        assert_clean(p)

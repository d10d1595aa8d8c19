"""The HTML page without a browser: offline, one file, encoding, escaping, focus, size, CLI."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import webbrowser
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mtorgraph.cli import main
from mtorgraph.errors import MtorgraphError, UnknownEntityError
from mtorgraph.io import load_graph
from mtorgraph.model import Context, Edge, Entity, Evidence, MechanismGraph, Reference
from mtorgraph.views.html import MAX_NODES, PHYSICS_LIMIT, GraphView, render_html, write_html
from mtorgraph.views.html_data import EDGE_COLORS, HIGHLIGHT_COLORS

MINI = Path(__file__).parent / "data" / "mini.yaml"
DATA_BLOCK = re.compile(r'<script type="application/json" id="mtorgraph-data">(.*?)</script>', re.S)
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'


def page_data(page: str) -> dict:
    match = DATA_BLOCK.search(page)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def edges_by_id(page: str) -> dict[str, dict]:
    return {e["id"]: e for e in page_data(page)["edges"]}


def payload_graph() -> MechanismGraph:
    """A graph whose every free-text field holds an HTML/JS payload."""
    return MechanismGraph(
        entities=(
            Entity(key="evil", id="CHEBI:1", label=IMG, name=SCRIPT, kind="chemical", synonyms=(IMG,),
                   note=SCRIPT),
            Entity(key="target", id="GO:0000001", label="t", name=IMG, kind="process"),
        ),
        references=(Reference(key="ref", title=SCRIPT, authors=IMG, year=2020, doi="10.5555/x",
                              verified="yes"),),
        edges=(Edge(subject="evil", predicate="increases", object="target", note=IMG,
                    evidence=(Evidence(reference="ref", kind="in_vitro", finding=SCRIPT + " " + IMG,
                                       effect=IMG, p_value=SCRIPT,
                                       context=Context(anatomy=IMG, model=SCRIPT)),)),),
    )


@pytest.fixture(scope="module")
def mini() -> MechanismGraph:
    return load_graph(str(MINI))


@pytest.fixture(scope="module")
def mini_page(mini: MechanismGraph) -> str:
    return render_html(mini)


def test_page_loads_no_external_resource(mini_page: str) -> None:
    tags = re.findall(r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*>", mini_page, re.I)
    assert tags, "expected script tags"
    for tag in tags:
        assert not re.search(r"""(?:src|href|data)\s*=\s*["']?\s*(?:https?:)?//""", tag, re.I), tag
    assert "cdn.jsdelivr" not in mini_page and "cdnjs" not in mini_page and "bootstrap" not in mini_page.lower()
    assert "vis-network" in mini_page and "@version 9.1.2" in mini_page  # the library is inlined


def test_content_security_policy_allows_only_the_pages_own_scripts(mini_page: str) -> None:
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', mini_page).group(1))
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-eval" not in csp
    scripts = re.findall(r"<script>(.*?)</script>", mini_page, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_one_node_and_one_edge_per_entity_and_edge(mini: MechanismGraph, mini_page: str) -> None:
    data = page_data(mini_page)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(e.key for e in mini.entities)
    assert sorted(e["id"] for e in data["edges"]) == sorted("|".join(e.key) for e in mini.edges)
    assert data["physics"] is True and data["options"]["physics"]["enabled"] is True


def test_edge_encoding(mini_page: str) -> None:
    edges = edges_by_id(mini_page)
    inhibits = edges["rapamycin|inhibits|mtorc1"]
    assert inhibits["color"]["color"] == EDGE_COLORS[-1] and inhibits["arrows"]["to"]["type"] == "bar"
    activates = edges["ketamine|activates|mtorc1"]
    assert activates["color"]["color"] == EDGE_COLORS[1] and activates["arrows"]["to"]["type"] == "arrow"
    assoc = edges["inflammation|associated_with|depression"]
    assert assoc["color"]["color"] == EDGE_COLORS[0] and assoc["arrows"]["to"]["enabled"] is False
    null = edges["rapamycin|no_effect_on|ketamine_response"]
    assert null["color"]["color"] == EDGE_COLORS[0] and null["dashes"] == [2, 5]
    hypothesis = edges["rapamycin|decreases|inflammation"]
    assert hypothesis["hypothesis"] is True and hypothesis["dashes"] == [10, 7]
    assert activates["dashes"] is False
    # width by belief: an RCT-backed edge outweighs a hypothesis
    assert edges["ketamine_response|decreases|depression"]["width"] > hypothesis["width"]
    assert hypothesis["info"]["belief"] == pytest.approx((hypothesis["width"] - 1) / 5, abs=0.01)


def test_parallel_edges_are_drawn_apart(mini_page: str) -> None:
    edges = edges_by_id(mini_page)
    parallel = [e for i, e in edges.items() if i.startswith("rapamycin|") and i.endswith("|ketamine_response")]
    assert len(parallel) == 3
    shapes = {(e["smooth"].get("enabled"), e["smooth"].get("type"), e["smooth"].get("roundness")) for e in parallel}
    assert len(shapes) == 3, shapes


def test_panel_data_carries_evidence_and_links(mini_page: str) -> None:
    info = edges_by_id(mini_page)["rapamycin|increases|ketamine_response"]["info"]
    (ev,) = info["evidence"]
    assert ev["finding"] == "The response lasted longer." and ev["effect"] == "response 41% vs 13%"
    assert ev["context"]["route"] == "oral" and ev["kind"] == "rct"
    assert ev["links"] == {"pmc": "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/"}
    node = next(n for n in page_data(mini_page)["nodes"] if n["id"] == "rapamycin")
    assert node["info"]["id"] == "CHEBI:9168" and node["info"]["synonyms"] == ["sirolimus"]
    assert node["info"]["link"] == "http://purl.obolibrary.org/obo/CHEBI_9168"
    assert node["shape"] == "diamond"


def test_no_raw_data_in_tooltips(mini_page: str) -> None:
    """pyvis's ``title`` renders HTML; the page builds tooltips in JS with textContent instead."""
    data = page_data(mini_page)
    assert not any("title" in item for item in data["nodes"] + data["edges"])


def test_payloads_are_escaped_in_the_page() -> None:
    page = render_html(payload_graph())
    assert SCRIPT not in page and IMG not in page and "<img" not in page.lower()
    data = page_data(page)  # ...yet the data holds the text exactly
    assert {n["label"] for n in data["nodes"]} == {SCRIPT, IMG}
    (edge,) = data["edges"]
    assert edge["info"]["evidence"][0]["finding"] == SCRIPT + " " + IMG
    assert edge["info"]["evidence"][0]["context"]["anatomy"] == IMG
    # the heading is escaped too when it comes from the caller
    titled = render_html(payload_graph(), title=SCRIPT)
    assert "<title>&lt;script&gt;window.__pwned=1&lt;/script&gt;</title>" in titled


def test_rendering_is_deterministic(mini: MechanismGraph, mini_page: str) -> None:
    assert render_html(mini) == mini_page


def test_focus_keeps_the_neighbourhood(mini: MechanismGraph) -> None:
    data = page_data(render_html(mini, focus="TORC1 complex", depth=1))
    assert sorted(n["id"] for n in data["nodes"]) == ["ketamine", "mtorc1", "rapamycin", "synaptogenesis"]
    assert sorted(e["id"] for e in data["edges"]) == [
        "ketamine|activates|mtorc1", "mtorc1|increases|synaptogenesis", "rapamycin|inhibits|mtorc1"]
    assert page_data(render_html(mini, focus="mtorc1", depth=0))["edges"] == []
    with pytest.raises(UnknownEntityError, match="mtorc1"):
        render_html(mini, focus="mtorc")


def _synthetic(n: int) -> MechanismGraph:
    ev = (Evidence(reference="r", kind="review", finding="f"),)
    return MechanismGraph(
        entities=tuple(Entity(key=f"n{i}", id=f"GO:{i + 1}", label=f"n{i}", name=f"n{i}", kind="process")
                       for i in range(n)),
        references=(Reference(key="r", title="t", doi="10.5555/r", verified="yes"),),
        edges=tuple(Edge(subject=f"n{i}", predicate="increases", object=f"n{(i * 7 + 1) % n}", evidence=ev)
                    for i in range(n) if (i * 7 + 1) % n != i),
    )


def test_large_graphs_get_a_fixed_layout_and_physics_off() -> None:
    graph = _synthetic(PHYSICS_LIMIT + 20)
    data = page_data(render_html(graph))
    assert data["physics"] is False and data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])


def test_too_large_graphs_are_refused_with_a_hint() -> None:
    graph = MechanismGraph(entities=tuple(
        Entity(key=f"n{i}", id=f"GO:{i + 1}", label="x", name="x", kind="process") for i in range(MAX_NODES + 1)))
    with pytest.raises(MtorgraphError, match="--focus"):
        render_html(graph)


def test_graph_view_for_jupyter(mini: MechanismGraph) -> None:
    frame = GraphView(mini, height=500)._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"") and "height:500px" in frame
    srcdoc = html.unescape(re.match(r'<iframe srcdoc="([^"]*)"', frame).group(1))
    assert srcdoc == render_html(mini)


# --- the command ----------------------------------------------------------------------------------

def run(*args: str, graph: Path | None = MINI):
    prefix = ["--graph", str(graph)] if graph else []
    return CliRunner().invoke(main, [*prefix, *args], catch_exceptions=False)


def test_view_writes_one_file_and_prints_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("view")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "build/mtorgraph.html"  # build/ is git-ignored
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["mtorgraph.html"]  # no lib/, no temp file
    assert page_data((tmp_path / "build" / "mtorgraph.html").read_text(encoding="utf-8"))["nodes"]


def test_view_output_option_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "build" / "page.html"
    result = run("view", "-o", str(target))
    assert result.exit_code == 0 and result.output.strip() == str(target)
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]


def test_view_focus_and_depth(tmp_path: Path) -> None:
    out = tmp_path / "f.html"
    assert run("view", "-o", str(out), "--focus", "ketamine", "--depth", "1").exit_code == 0
    assert sorted(n["id"] for n in page_data(out.read_text())["nodes"]) == ["ketamine", "mtorc1"]


def test_view_errors(tmp_path: Path) -> None:
    bad = run("view", "-o", str(tmp_path / "x.html"), "--focus", "mtorc")
    assert bad.exit_code == 2 and "did you mean 'mtorc1'" in bad.output and "Traceback" not in bad.output
    assert run("view", "--depth", "-1").exit_code == 2
    assert not (tmp_path / "x.html").exists()


def test_view_open_launches_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    class Browser:
        def open(self, url: str) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda *a: Browser())
    out = tmp_path / "o.html"
    result = run("view", "-o", str(out), "--open")
    assert result.exit_code == 0 and result.stderr == ""
    assert opened == [out.resolve().as_uri()]


def test_view_open_without_a_browser_says_so_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_browser(*a: object) -> None:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    out = tmp_path / "o.html"
    result = run("view", "-o", str(out), "--open")
    assert result.exit_code == 0 and out.exists()
    assert result.stderr.splitlines() == [f"warning: could not open the page: no web browser found; open {out} yourself"]


def test_write_html_returns_the_path(tmp_path: Path, mini: MechanismGraph) -> None:
    path = write_html(mini, tmp_path / "w.html", focus="rapamycin", depth=1)
    assert path == tmp_path / "w.html" and "rapamycin" in path.read_text()


def test_highlight_colours_differ_from_sign_colours() -> None:
    assert len({HIGHLIGHT_COLORS["positive"], HIGHLIGHT_COLORS["negative"], HIGHLIGHT_COLORS["both"],
                HIGHLIGHT_COLORS["null"],
                *EDGE_COLORS.values()}) == 7


# --- conflicts --------------------------------------------------------------------------------------

def test_conflicts_are_listed_and_preselected(mini: MechanismGraph) -> None:
    data = page_data(render_html(mini, conflict=("rapamycin", "depression")))
    assert data["preselect"] == "path:rapamycin|depression"
    entry = next(c for c in data["conflicts"] if c["id"] == "path:rapamycin|depression")
    assert "rapamycin|increases|ketamine_response" in entry["negative"]
    assert "rapamycin|inhibits|ketamine_response" in entry["positive"]
    assert "ketamine_response|decreases|depression" in entry["positive"]
    assert "ketamine_response|decreases|depression" in entry["negative"]
    edge_ids = {e["id"] for e in data["edges"]}
    assert set(entry["positive"]) | set(entry["negative"]) <= edge_ids


def test_view_conflict_option(tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    assert run("view", "-o", str(out), "--conflict", "sirolimus", "depressive disorder").exit_code == 0
    assert page_data(out.read_text())["preselect"] == "path:rapamycin|depression"
    missing = run("view", "-o", str(tmp_path / "n.html"), "--conflict", "inflammation", "ketamine")
    assert missing.exit_code == 1 and "no conflict between 'inflammation' and 'ketamine'" in missing.output


# --- the bundled graph ------------------------------------------------------------------------------

def test_bundled_graph_page() -> None:
    graph = load_graph(None)
    data = page_data(render_html(graph))
    assert len(data["nodes"]) == len(graph.entities) <= PHYSICS_LIMIT
    assert len(data["edges"]) == len(graph.edges) + len(graph.links)
    edges = {e["id"]: e for e in data["edges"]}
    assert edges["rapamycin|inhibits|mtorc1"]["arrows"]["to"]["type"] == "bar"
    assert any(c["id"] == "path:rapamycin|depression" for c in data["conflicts"])


def test_a_merged_step_highlights_every_parallel_edge():
    from mtorgraph.views.html_conflicts import to_conflict_payloads

    conflicts = {"edge_conflicts": [], "path_conflicts": [{
        "source": "a", "target": "c", "divergence": ["a"], "context_differences": {},
        "positive": [{"sign": 1, "score": 0.5, "length": 2, "steps": [
            {"subject": "a", "predicate": "activates,increases", "object": "b", "sign": 1, "belief": 0.9,
             "references": ["r"]},
            {"subject": "b", "predicate": "increases", "object": "c", "sign": 1, "belief": 0.9, "references": ["r"]}]}],
        "negative": []}]}
    graph = MechanismGraph(entities=tuple(Entity(key=k, id=f"GO:{i}", label=k, name=k.upper(), kind="process")
                                          for i, k in enumerate("abc", 1)))
    [payload] = to_conflict_payloads(conflicts, graph)
    text = str(payload)
    assert "a|activates|b" in text and "a|increases|b" in text and "a|activates,increases|b" not in text

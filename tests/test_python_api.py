"""The Python API from the package root: the README's example runs, imports stay lazy, the model
never imports a view, notebooks display graphs, to_networkx carries what users need."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import mtorgraph

from tests.page_fixtures import linked_graph

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "mtorgraph"


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Python API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's Python API section has no python block"
    return match.group(1)


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # it writes build/mtorgraph.ttl
    namespace: dict = {}
    exec(compile(_readme_example(), "README.md (Python API)", "exec"), namespace)  # noqa: S102
    graph = namespace["graph"]
    assert namespace["again"] == graph  # the export read back
    assert (tmp_path / "build" / "mtorgraph.ttl").is_file()
    assert namespace["page"].startswith("<!DOCTYPE html>")
    printed = capsys.readouterr().out
    assert "rapamycin → " in printed and f"{len(graph.entities)} entities," in printed
    assert namespace["graph"]._repr_html_().startswith("<iframe srcdoc=")


def test_every_public_name_resolves_from_the_root() -> None:
    for name in mtorgraph.__all__:
        assert getattr(mtorgraph, name) is not None
    assert {"load_graph", "write_graph", "find_paths", "find_conflicts", "render_html", "to_networkx",
            "READERS", "WRITERS"} <= set(mtorgraph.__all__)
    assert set(mtorgraph.__all__) <= set(dir(mtorgraph))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        mtorgraph.nothing  # noqa: B018


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return done.stdout.strip()


def test_importing_the_package_loads_nothing_heavy() -> None:
    loaded = _run("import sys, mtorgraph; print(' '.join(sorted(sys.modules)))").split()
    for heavy in ("pydantic", "rdflib", "pyvis", "networkx", "click", "ruamel", "mtorgraph.model"):
        assert not any(m == heavy or m.startswith(heavy + ".") for m in loaded), heavy


def test_the_model_does_not_import_views() -> None:
    tree = ast.parse((SRC / "model.py").read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert not any("views" in name for name in imported), imported


def test_notebook_display() -> None:
    """A graph shows as the page in an iframe; with only the model loaded it falls back to repr."""
    plain = _run("from mtorgraph.model import MechanismGraph; print(MechanismGraph()._repr_html_())")
    assert plain == "None"
    via_root = _run("import mtorgraph; g = mtorgraph.load_graph('tests/data/mini.yaml'); "
                    "print(g._repr_html_()[:40])")
    assert via_root.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    # in IPython, however the graph was loaded
    in_notebook = _run("import IPython; "  # pyvis depends on IPython, so it is installed
                       "from mtorgraph.io import load_graph; g = load_graph('tests/data/mini.yaml'); "
                       "print(g._repr_html_()[:40])")
    assert in_notebook.startswith("<iframe srcdoc=")


def test_to_networkx_carries_sign_belief_predicate_and_evidence() -> None:
    graph = linked_graph()
    out = mtorgraph.to_networkx(graph)
    assert out.number_of_nodes() == len(graph.entities)
    assert out.number_of_edges() == len(graph.edges) + len(graph.links)
    data = out.get_edge_data("rapamycin", "mtorc1", key="inhibits")
    assert data["predicate"] == "inhibits" and data["sign"] == -1 and data["structural"] is False
    assert data["belief"] == pytest.approx(mtorgraph.edge_belief(graph, graph.edge("rapamycin", "inhibits", "mtorc1")))
    assert data["evidence"] == [{"reference": "fixture_a", "kind": "animal_in_vivo", "direction": "supports",
                                 "context": {"species": "rat", "anatomy": "prefrontal cortex"},
                                 "finding": "A blocked B.", "basis": "own_result"}]
    link = out.get_edge_data("depressive_like_behavior", "depression", key="model_of")
    assert link["structural"] is True and link["sign"] == 1 and link["predicate"] == "model_of"
    assert out.nodes["mtor_gene"]["id_status"] == "unverified" and out.nodes["rapamycin"]["id"] == "CHEBI:9168"


def test_rendering_the_page_does_not_import_pyvis() -> None:
    """The page needs only the vis-network files pyvis ships; importing pyvis costs about a second."""
    loaded = _run("import sys, mtorgraph; mtorgraph.render_html(mtorgraph.load_graph('tests/data/mini.yaml')); "
                  "print(' '.join(sorted(sys.modules)))").split()
    assert "pyvis" not in loaded and "IPython" not in loaded

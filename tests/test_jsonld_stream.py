"""JSON-LD above the compact form's size: expanded, streamed, and the same triples."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mtorgraph.cli import main
from mtorgraph.io import rdf_writers

from .conftest import MINI


def _export(runner, tmp_path, name: str) -> str:
    out = tmp_path / name
    result = runner.invoke(main, ["--graph", str(MINI), "export", "--to", "jsonld", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.fixture
def both(runner, tmp_path, monkeypatch):
    compact = _export(runner, tmp_path, "compact.jsonld")
    monkeypatch.setattr(rdf_writers, "COMPACT_JSONLD_MAX_EDGES", 0)
    expanded = _export(runner, tmp_path, "expanded.jsonld")
    return compact, expanded


def test_a_graph_over_the_limit_is_written_expanded(both):
    compact, expanded = both
    assert isinstance(json.loads(compact)["@context"], dict)
    document = json.loads(expanded)
    assert isinstance(document, list) and all("@id" in node for node in document)
    assert "@context" not in expanded  # every IRI in full: nothing to fetch, nothing to resolve


def test_the_expanded_form_holds_the_same_triples(both):
    compact, expanded = both
    a = Graph().parse(data=compact, format="json-ld")
    b = Graph().parse(data=expanded, format="json-ld")
    assert len(a) == len(b) > 100
    assert isomorphic(a, b)


def test_the_expanded_form_is_the_same_bytes_every_run(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(rdf_writers, "COMPACT_JSONLD_MAX_EDGES", 0)
    assert _export(runner, tmp_path, "a.jsonld") == _export(runner, tmp_path, "b.jsonld")


def test_a_build_over_the_limit_reads_back(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(rdf_writers, "COMPACT_JSONLD_MAX_EDGES", 0)
    out = tmp_path / "build"
    result = runner.invoke(main, ["--graph", str(MINI), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    turtle = Graph().parse(out / "mtorgraph.ttl", format="turtle")
    jsonld = Graph().parse(out / "mtorgraph.jsonld", format="json-ld")
    assert isomorphic(turtle, jsonld)

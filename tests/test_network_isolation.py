"""No reader and no SPARQL query tries to connect anywhere.

``socket.socket``, ``socket.create_connection`` and ``urllib.request.urlopen`` are replaced by
functions that record the attempt and raise; then every reader runs on its own export and on
hostile inputs that name remote resources, and SPARQL runs SERVICE/FROM queries.
"""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest

from mtorgraph.errors import MtorgraphError
from mtorgraph.io import load_graph, write_graph
from mtorgraph.io.sparql import find_sparql

from .conftest import MINI


@pytest.fixture
def attempts(monkeypatch):
    tried: list[object] = []

    def refuse(*args, **kwargs):
        tried.append(args)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return tried


@pytest.mark.parametrize("suffix", [".yaml", ".ttl", ".nt", ".jsonld", ".trig", ".rdf"])
def test_every_reader_is_offline(suffix, tmp_path, attempts, mini):
    path = MINI if suffix == ".yaml" else tmp_path / f"mini{suffix}"
    if suffix != ".yaml":
        write_graph(mini, path)
    assert load_graph(path) == mini
    assert attempts == []


@pytest.mark.parametrize("context", ["http://127.0.0.1:9/c.jsonld", "file:///etc/hostname",
                                     {"@import": "http://127.0.0.1:9/i.jsonld"}])
def test_hostile_jsonld_is_refused_offline(context, tmp_path, attempts, mini):
    path = tmp_path / "mini.jsonld"
    write_graph(mini, path)
    document = json.loads(path.read_text())
    document["@context"] = [context, document["@context"]]
    path.write_text(json.dumps(document))
    with pytest.raises(MtorgraphError, match="remote-context"):
        load_graph(path)
    assert attempts == []


def test_xml_external_entity_is_refused_offline(tmp_path, attempts):
    path = tmp_path / "x.rdf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    with pytest.raises(MtorgraphError, match="xml-entity"):
        load_graph(path)
    assert attempts == []


@pytest.mark.parametrize("query", [
    "SELECT ?x WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?x } }",
    "SELECT ?x WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?x } }",
    "SELECT * FROM <http://127.0.0.1:9/f.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
])
def test_sparql_is_offline(query, attempts, mini):
    with pytest.raises(MtorgraphError, match="refused"):
        find_sparql(mini, query)
    assert find_sparql(mini, "SELECT * WHERE { ?s ?p ?o } LIMIT 3").rows
    assert attempts == []

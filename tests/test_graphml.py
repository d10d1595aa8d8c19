"""GraphML export: typed keys, every attribute read back by networkx, beliefs from the caller."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

from mtorgraph.analysis.beliefs import belief_columns
from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.errors import MtorgraphError
from mtorgraph.io import load_graph
from mtorgraph.io.export_rows import citation
from mtorgraph.io.graphml import EDGE_KEYS, NODE_KEYS, to_graphml
from mtorgraph.model import Edge, Entity, Evidence, MechanismGraph, Reference

NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


@pytest.fixture(scope="module")
def beliefs(bundled):
    return belief_columns(bundled)


@pytest.fixture(scope="module")
def read_back(bundled, beliefs):
    return nx.read_graphml(io.StringIO(to_graphml(bundled, beliefs)))


def test_keys_are_declared_with_types(bundled, beliefs):
    root = ET.fromstring(to_graphml(bundled, beliefs))
    declared = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(f"{NS}key")}
    assert declared[("edge", "sign")] == "int"
    assert declared[("edge", "belief")] == "double"
    assert declared[("edge", "hypothesis_only")] == "boolean"
    assert declared[("edge", "evidence_count")] == "int"
    assert {name for kind, name in declared if kind == "node"} == set(NODE_KEYS)
    assert {name for kind, name in declared if kind == "edge"} == set(EDGE_KEYS)


def test_nodes_read_back_with_every_attribute(bundled, read_back):
    assert set(read_back.nodes) == {e.key for e in bundled.entities}
    for entity in bundled.entities:
        assert read_back.nodes[entity.key] == {"label": entity.label, "name": entity.name, "curie": entity.id,
                                               "kind": entity.kind, "id_status": entity.id_status}


def test_edges_read_back_typed_with_sign_belief_and_references(bundled, beliefs, read_back):
    assert read_back.is_directed()
    assert read_back.number_of_edges() == len(bundled.edges) + len(bundled.links)
    for i, edge in enumerate(bundled.edges):
        data = read_back.edges[edge.subject, edge.object, f"e{i}"]
        assert data["predicate"] == data["interaction"] == edge.predicate
        assert data["sign"] == edge.sign and isinstance(data["sign"], int)
        assert data["belief"] == pytest.approx(beliefs.edges[i]) and isinstance(data["belief"], float)
        assert data["evidence_count"] == len(edge.evidence)
        assert data["supporting"] + data["refuting"] == len(edge.evidence)
        assert data["hypothesis_only"] is edge.is_hypothesis
        cited = list(dict.fromkeys(citation(bundled.reference(ev.reference)) for ev in edge.evidence))
        assert data["references"].split("|") == cited
        assert data.get("note") == edge.note
        assert data["relation_type"] == "edge"
    for j, link in enumerate(bundled.links):
        data = read_back.edges[link.subject, link.object, f"l{j}"]
        assert (data["predicate"], data["sign"], data["relation_type"]) == (link.relation, 0, "link")
        assert data["belief"] == pytest.approx(beliefs.links[j])
    signs = {d["sign"] for _, _, d in read_back.edges(data=True)}
    assert signs == {-1, 0, 1}


def test_columnar_graph_and_dict_beliefs_give_the_same_file(bundled, beliefs):
    text = to_graphml(bundled, beliefs)
    assert to_graphml(ColumnarGraph.from_model(bundled), beliefs) == text
    assert to_graphml(bundled, beliefs.by_key(bundled)) == text
    no_beliefs = nx.read_graphml(io.StringIO(to_graphml(bundled)))
    assert all("belief" not in d for _, _, d in no_beliefs.edges(data=True))


def test_markup_in_data_is_escaped():
    graph = MechanismGraph(
        entities=(Entity(key="a", id="GO:0000001", label='a <b> & "c"', name="A</name>", kind="process"),
                  Entity(key="b", id="GO:0000002", label="b", name="B", kind="process")),
        references=(Reference(key="r", title="t", doi="10.1000/x<y>", verified="yes"),),
        edges=(Edge(subject="a", predicate="inhibits", object="b", note="]]> <script>",
                    evidence=(Evidence(reference="r", kind="in_vitro", finding="f"),)),))
    back = nx.read_graphml(io.StringIO(to_graphml(graph)), force_multigraph=True)
    assert back.nodes["a"]["label"] == 'a <b> & "c"' and back.nodes["a"]["name"] == "A</name>"
    data = back.edges["a", "b", "e0"]
    assert data["note"] == "]]> <script>" and data["references"] == "DOI:10.1000/x<y>"


def test_xml_illegal_text_is_refused():
    graph = MechanismGraph.model_construct(
        entities=(Entity.model_construct(key="a", id="GO:1", label="bad\x01", name="A", kind="process",
                                         id_status="unverified"),),
        references=(), edges=(), links=(), title=None)
    with pytest.raises(MtorgraphError, match="U\\+0001"):
        to_graphml(graph)


def test_cli_export_graphml(tmp_path):
    out = tmp_path / "g.graphml"
    result = CliRunner().invoke(main, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "graphml" in result.stderr
    assert nx.read_graphml(out).number_of_nodes() == len(load_graph().entities)
    piped = CliRunner().invoke(main, ["export", "--to", "graphml", "-o", "-"])
    assert piped.exit_code == 0 and piped.stdout.startswith("<?xml")

"""CX2 export: the document structure of the CX2 specification, typed attributes, and ndex2's reader."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mtorgraph.analysis.beliefs import belief_columns
from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.io import load_graph
from mtorgraph.io.cx2 import CX2_EDGE_ATTRIBUTES, CX2_NODE_ATTRIBUTES, to_cx2

#: The CX2 attribute data types (specification, "attributeDeclarations") and the JSON values they hold.
_TYPES = {"string": str, "double": (float, int), "integer": int, "long": int, "boolean": bool}


def _holds(declared: str, value: object) -> bool:
    if declared.startswith("list_of_"):
        return isinstance(value, list) and all(_holds(declared.removeprefix("list_of_"), v) for v in value)
    if declared in ("integer", "long", "double") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[declared])


def check_cx2(document: list) -> dict[str, list]:
    """The checks the CX2 specification states for a whole (unfragmented) document; the aspects by name."""
    assert isinstance(document, list) and document
    assert document[0] == {"CXVersion": "2.0", "hasFragments": False}
    assert list(document[-1]) == ["status"] and document[-1]["status"] == [{"error": "", "success": True}]
    aspects: dict[str, list] = {}
    for block in document[1:-1]:
        assert isinstance(block, dict) and len(block) == 1
        (name, elements), = block.items()
        assert isinstance(elements, list) and name not in aspects  # hasFragments false: each aspect once
        aspects[name] = elements
    counts = {m["name"]: m["elementCount"] for m in aspects.pop("metaData")}
    assert counts == {name: len(elements) for name, elements in aspects.items()}
    declarations = aspects["attributeDeclarations"][0]
    for aspect in ("networkAttributes", "nodes", "edges"):
        for attribute in declarations[aspect].values():
            assert attribute["d"] in _TYPES or attribute["d"].removeprefix("list_of_") in _TYPES
    for name, value in aspects["networkAttributes"][0].items():
        assert _holds(declarations["networkAttributes"][name]["d"], value), name
    node_ids = [n["id"] for n in aspects["nodes"]]
    assert all(isinstance(i, int) for i in node_ids) and len(set(node_ids)) == len(node_ids)
    for node in aspects["nodes"]:
        for name, value in node["v"].items():
            assert _holds(declarations["nodes"][name]["d"], value), (node["id"], name)
    edge_ids = [e["id"] for e in aspects["edges"]]
    assert len(set(edge_ids)) == len(edge_ids)
    for edge in aspects["edges"]:
        assert edge["s"] in node_ids and edge["t"] in node_ids
        for name, value in edge["v"].items():
            assert _holds(declarations["edges"][name]["d"], value), (edge["id"], name)
    return aspects


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


@pytest.fixture(scope="module")
def beliefs(bundled):
    return belief_columns(bundled)


@pytest.fixture(scope="module")
def document(bundled, beliefs):
    return json.loads(to_cx2(bundled, beliefs))


def test_document_follows_the_cx2_structure(document):
    aspects = check_cx2(document)
    declared = aspects["attributeDeclarations"][0]
    assert {k: v["d"] for k, v in declared["nodes"].items()} == CX2_NODE_ATTRIBUTES
    assert {k: v["d"] for k, v in declared["edges"].items()} == CX2_EDGE_ATTRIBUTES


def test_the_checker_catches_a_mistyped_value(document):
    broken = json.loads(json.dumps(document))
    edges = next(block["edges"] for block in broken if "edges" in block)
    edges[0]["v"]["sign"] = "+1"
    with pytest.raises(AssertionError):
        check_cx2(broken)


def test_nodes_and_edges_keep_sign_belief_and_evidence(bundled, beliefs, document):
    aspects = check_cx2(document)
    nodes = {n["id"]: n["v"] for n in aspects["nodes"]}
    assert [nodes[i]["key"] for i in range(len(bundled.entities))] == [e.key for e in bundled.entities]
    assert all(nodes[i]["represents"] == e.id for i, e in enumerate(bundled.entities))
    edges = aspects["edges"]
    assert len(edges) == len(bundled.edges) + len(bundled.links)
    for i, edge in enumerate(bundled.edges):
        v = edges[i]["v"]
        assert (nodes[edges[i]["s"]]["key"], v["predicate"], nodes[edges[i]["t"]]["key"]) == edge.key
        assert v["sign"] == edge.sign and v["evidence_count"] == len(edge.evidence)
        assert v["belief"] == pytest.approx(beliefs.edges[i])
        assert v["hypothesis_only"] is edge.is_hypothesis


def test_columnar_graph_gives_the_same_document(bundled, beliefs):
    assert to_cx2(ColumnarGraph.from_model(bundled), beliefs) == to_cx2(bundled, beliefs)


def test_ndex2_reads_it(bundled, beliefs, tmp_path):
    cx2 = pytest.importorskip("ndex2.cx2", reason="ndex2>=3.6 (with its CX2 reader) is not installed")
    path = tmp_path / "g.cx2"
    path.write_text(to_cx2(bundled, beliefs))
    network = cx2.RawCX2NetworkFactory().get_cx2network(str(path))
    assert len(network.get_nodes()) == len(bundled.entities)
    assert len(network.get_edges()) == len(bundled.edges) + len(bundled.links)
    assert network.get_attribute_declarations()["edges"]["belief"] == {"d": "double"}
    first = network.get_edges()[0]["v"]
    assert first["sign"] == bundled.edges[0].sign
    drawn = cx2.CX2NetworkXFactory().get_graph(network)
    assert drawn.number_of_edges() == len(bundled.edges) + len(bundled.links)


def test_cli_export_cx2(tmp_path):
    out = tmp_path / "g.cx2"
    result = CliRunner().invoke(main, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    check_cx2(json.loads(out.read_text()))

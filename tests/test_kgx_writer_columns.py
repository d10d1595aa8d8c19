"""The column-wise KGX writer writes the same bytes as the record-by-record one it replaced.

The reference here is that writer's serialisation, kept verbatim: :func:`kgx_records` (the public
record API, one dict per node and edge) joined with tabs and ``|`` (TSV) or dumped one record per
line (JSON Lines), with its checks for what a TSV cell cannot hold. Compared on the bundled graph,
the mini graph, merged graphs and random graphs; with beliefs as columns, as a dict and none."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from mtorgraph.analysis.beliefs import belief_columns
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.columnar.merge import merge_graphs
from mtorgraph.errors import OutputError
from mtorgraph.io import load_graph, open_graph
from mtorgraph.io.kgx_write import (EDGE_COLUMNS, MULTIVALUED, NODE_COLUMNS, kgx_records, write_kgx_jsonl,
                                    write_kgx_tsv)
from mtorgraph.model import MechanismGraph

from .columnar_graphs import curated_graphs
from .conftest import DATA, MINI

# -- the record-by-record writer, as it was ------------------------------------------------------

_TSV_UNSAFE = re.compile(r"[\t\n\r]")


def _tsv_cell(column: str, value: Any, where: str) -> str:
    if value is None or value == []:
        return ""
    if column in MULTIVALUED:
        for item in value:
            if "|" in item or _TSV_UNSAFE.search(item):
                raise OutputError(f"{where}: {column} value {item!r} holds a '|', tab or line break, which a KGX "
                                  "TSV cell cannot hold; export with --to kgx-jsonl instead")
        return "|".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _TSV_UNSAFE.search(text):
        raise OutputError(f"{where}: {column} holds a tab or line break, which a KGX TSV cell cannot hold; "
                          "export with --to kgx-jsonl instead")
    return text


def _tsv(records: list[dict[str, Any]], columns: tuple[str, ...], kind: str) -> str:
    lines = ["\t".join(columns) + "\n"]
    for record in records:
        where = f"{kind} {record.get('id') or record.get('subject')}"
        lines.append("\t".join(_tsv_cell(c, record.get(c), where) for c in columns) + "\n")
    return "".join(lines)


def _jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps({k: v for k, v in r.items() if v is not None and v != []}, ensure_ascii=False) + "\n"
                   for r in records)


def reference_texts(graph: Any, fmt: str, beliefs: Any = None) -> tuple[str, str]:
    """(nodes, edges) text the old writer made, or raise its error."""
    nodes, edges = kgx_records(graph, beliefs)
    if fmt == "kgx-tsv":
        return _tsv(nodes, NODE_COLUMNS, "node"), _tsv(edges, EDGE_COLUMNS, "edge")
    return _jsonl(nodes), _jsonl(edges)


# -- the comparison ------------------------------------------------------------------------------

WRITERS = {"kgx-tsv": (write_kgx_tsv, "tsv"), "kgx-jsonl": (write_kgx_jsonl, "jsonl")}


def written_texts(graph: Any, fmt: str, folder: Path, beliefs: Any = None) -> tuple[str, str]:
    writer, ext = WRITERS[fmt]
    edges_path = writer(graph, folder / f"g_edges.{ext}", beliefs)
    nodes_path = folder / f"g_nodes.{ext}"
    return nodes_path.read_bytes().decode("utf-8"), edges_path.read_bytes().decode("utf-8")


def assert_same(graph: Any, folder: Path, beliefs_too: bool = True) -> None:
    model = graph if isinstance(graph, MechanismGraph) else graph.to_model()
    columns = graph if isinstance(graph, ColumnarGraph) else ColumnarGraph.from_model(graph)
    choices: list[Any] = [None]
    if beliefs_too:
        beliefs = belief_columns(columns)
        choices += [beliefs, beliefs.by_key(model)]
    for fmt in WRITERS:
        for i, beliefs in enumerate(choices):
            expected = reference_texts(model, fmt, beliefs)
            for j, given_graph in enumerate((columns, model)):
                target = folder / f"{fmt}-{i}-{j}"
                target.mkdir()
                assert written_texts(given_graph, fmt, target, beliefs) == expected, (fmt, i, j)


@pytest.mark.parametrize("path", [None, MINI, DATA / "bridges.yaml"], ids=["bundled", "mini", "bridges"])
def test_same_bytes_as_the_record_writer(path, tmp_path):
    assert_same(open_graph(path), tmp_path)


def test_same_bytes_on_merged_graphs(tmp_path):
    parts = [("bundled", open_graph(None)), ("mini", open_graph(MINI)), ("other", open_graph(DATA / "other.yaml"))]
    merged, _ = merge_graphs(parts)
    assert_same(merged, tmp_path)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=curated_graphs(max_entities=6, max_edges=9))
def test_same_bytes_on_random_graphs(text, tmp_path_factory):
    folder = tmp_path_factory.mktemp("kgx")
    path = folder / "g.yaml"
    path.write_text(text, encoding="utf-8")
    assert_same(open_graph(path, cache=False), folder)


def _with(graph: MechanismGraph, **changes: Any) -> MechanismGraph:
    """``graph`` with some records replaced (model_copy skips validation: the writer must cope)."""
    return graph.model_copy(update=changes)


def _edit_entity(graph: MechanismGraph, index: int, **fields: Any) -> MechanismGraph:
    entities = list(graph.entities)
    entities[index] = entities[index].model_copy(update=fields)
    return MechanismGraph(entities=entities, references=graph.references, edges=graph.edges, links=graph.links,
                          claims=graph.claims, questions=graph.questions, open_questions=graph.open_questions,
                          title=graph.title)


def _cases(mini: MechanismGraph) -> dict[str, MechanismGraph]:
    edges, refs = list(mini.edges), list(mini.references)
    cases = {
        "tab-in-note": [e.model_copy(update={"note": "a\tb"}) if i == 3 else e for i, e in enumerate(edges)],
        "newline-in-late-note": [e.model_copy(update={"note": "a\nb"}) if i == 8 else e for i, e in enumerate(edges)],
    }
    out = {name: mini.model_copy(update={"edges": tuple(value)}) for name, value in cases.items()}
    out["bar-in-synonym"] = _edit_entity(mini, 2, synonyms=("ok", "a|b"))
    out["return-in-label"] = _edit_entity(mini, 4, label="x\ry")
    out["two-bad-entities"] = _edit_entity(_edit_entity(mini, 5, note="n\nn"), 1, xrefs=("X:1\t",))
    out["newline-in-title"] = mini.model_copy(update={"references": tuple(
        r.model_copy(update={"title": "t\nt"}) if i == 1 else r for i, r in enumerate(refs))})
    out["bar-in-url"] = mini.model_copy(update={"references": tuple(
        r.model_copy(update={"url": "https://x.org/a|b", "doi": None, "pmid": None, "pmcid": None})
        if i == 2 else r for i, r in enumerate(refs))})
    return out


@pytest.mark.parametrize("case", ["tab-in-note", "newline-in-late-note", "bar-in-synonym", "return-in-label",
                                  "two-bad-entities", "newline-in-title", "bar-in-url"])
def test_a_value_a_tsv_cell_cannot_hold_is_the_same_error_and_nothing_is_written(case, tmp_path, mini):
    graph = _cases(mini)[case]
    with pytest.raises(OutputError) as expected:
        reference_texts(graph, "kgx-tsv")
    for given_graph in (graph, ColumnarGraph.from_model(graph)):
        with pytest.raises(OutputError) as got:
            write_kgx_tsv(given_graph, tmp_path / "g_edges.tsv")
        assert str(got.value) == str(expected.value)
        assert list(tmp_path.iterdir()) == []
    folder = tmp_path / "jsonl"
    folder.mkdir()
    assert written_texts(graph, "kgx-jsonl", folder) == reference_texts(graph, "kgx-jsonl")


def test_control_characters_and_quotes_are_escaped_as_json_escapes_them(tmp_path, mini):
    odd = 'q"uo\\te\x01\x1f\x7f\b\f — é\u2028'
    edges = [e.model_copy(update={"note": odd, "evidence": tuple(
        ev.model_copy(update={"finding": odd, "effect": odd}) for ev in e.evidence)}) for e in mini.edges]
    graph = _edit_entity(mini.model_copy(update={"edges": tuple(edges)}), 0, synonyms=(odd, "plain"), note=odd)
    folder = tmp_path / "j"
    folder.mkdir()
    assert written_texts(graph, "kgx-jsonl", folder) == reference_texts(graph, "kgx-jsonl")


def test_an_empty_graph_writes_headers_only(tmp_path):
    empty = MechanismGraph(entities=[], references=[], edges=[])
    for fmt in WRITERS:
        folder = tmp_path / fmt
        folder.mkdir()
        assert written_texts(empty, fmt, folder) == reference_texts(empty, fmt)


def test_the_export_command_reads_back_equal(tmp_path, runner):
    from mtorgraph.cli import main

    for fmt, name in (("kgx-tsv", "out_edges.tsv"), ("kgx-jsonl", "out_edges.jsonl")):
        result = runner.invoke(main, ["--graph", str(MINI), "export", "--to", fmt, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.stderr
        assert load_graph(tmp_path / name).edges == load_graph(MINI).edges

"""The column-wise N-Triples and Turtle writers and the streaming writer protocol.

The column writer must write exactly the triples of the block writer (io/rdf_blocks.py, the one
mapping from the model to RDF), for the bundled graph and for random graphs with hostile text.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph
from rdflib.compare import isomorphic

from mtorgraph import load_graph
from mtorgraph.analysis.beliefs import belief_columns
from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.errors import MtorgraphError
from mtorgraph.io import WRITERS, write_graph
from mtorgraph.io.registry import RDF_SUFFIXES
from mtorgraph.io import rdf_columns
from mtorgraph.io.rdf_blocks import iter_blocks
from mtorgraph.io.rdf_columns import write_columns_ntriples, write_columns_turtle
from mtorgraph.io.rdf_stream import write_ntriples
from mtorgraph.io.rdf_vocab import BIOLINK, MTG
from mtorgraph.model import Evidence
from mtorgraph.vocab import PREDICATES, expand_curie

from .test_rdf import graphs

# Every character class a writer can get wrong: quotes, backslashes, line ends, other control
# characters (N-Triples and Turtle carry them raw), unicode beyond the BMP, escapes spelled out.
_CHARACTERS = st.text(alphabet=st.one_of(st.sampled_from('"\\\n\r\t\x00\x01\x0b\x0c\x1f\x7f\x85\u2028\u202e é𝔾'),
                                         st.characters(min_codepoint=1, max_codepoint=0x10FFFF,
                                                       exclude_categories=("Cs",))), max_size=6)
_PIECES = st.sampled_from(["\\n", '\\"', "\\u0041", "'''", '"""', " .", "<a>", "_:b"])
NASTY = st.lists(_CHARACTERS | _PIECES, min_size=1, max_size=3).map("".join).filter(lambda s: s.strip() != "")


@st.composite
def nasty_graphs(draw):
    """Random graphs whose findings, notes and labels hold hostile text."""
    graph = draw(graphs())
    edges = []
    for edge in graph.edges:
        evidence = tuple(Evidence.model_construct(**{**ev.__dict__, "finding": draw(NASTY)}) for ev in edge.evidence)
        edges.append(edge.model_copy(update={"evidence": evidence, "note": draw(st.none() | NASTY)}))
    entities = tuple(e.model_copy(update={"label": draw(NASTY), "name": draw(NASTY)}) for e in graph.entities)
    return graph.model_copy(update={"edges": tuple(edges), "entities": entities})


def lines(text: str) -> list[str]:
    """N-Triples lines (split at LF only: literals may hold other line separators raw)."""
    return [line for line in text.split("\n") if line]


def reference_lines(graph, beliefs) -> set[str]:
    """The N-Triples lines of the block writer (the reference mapping)."""
    out = io.StringIO()
    write_ntriples(graph, out, iter_blocks(graph, beliefs))
    return set(lines(out.getvalue()))


def column_text(writer, graph, beliefs) -> str:
    out = io.BytesIO()
    writer(ColumnarGraph.from_model(graph), out, beliefs)
    return out.getvalue().decode("utf-8")


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


def test_bundled_graph_column_ntriples_are_the_block_triples(bundled):
    beliefs = belief_columns(bundled)
    text = column_text(write_columns_ntriples, bundled, beliefs)
    written = lines(text)
    assert len(written) == len(set(written))  # no triple written twice
    assert set(written) == reference_lines(bundled, beliefs)


def test_bundled_graph_column_turtle_is_the_same_graph(bundled):
    beliefs = belief_columns(bundled)
    expected = Graph().parse(data="\n".join(reference_lines(bundled, beliefs)), format="nt")
    turtle = Graph().parse(data=column_text(write_columns_turtle, bundled, beliefs), format="turtle")
    assert isomorphic(turtle, expected)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(nasty_graphs(), st.booleans())
def test_random_graphs_column_ntriples_are_the_block_triples(graph, with_beliefs):
    beliefs = belief_columns(graph) if with_beliefs else None
    text = column_text(write_columns_ntriples, graph, beliefs)
    assert set(lines(text)) == reference_lines(graph, beliefs)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(nasty_graphs())
def test_random_graphs_column_turtle_parses_to_the_block_triples(graph):
    beliefs = belief_columns(graph)
    expected = Graph().parse(data="\n".join(reference_lines(graph, beliefs)), format="nt")
    text = column_text(write_columns_turtle, graph, beliefs)
    assert isomorphic(Graph().parse(data=text, format="turtle"), expected)


@pytest.mark.parametrize("chunk", [1, 2, 7])
def test_chunk_boundaries_do_not_change_the_triples(bundled, monkeypatch, chunk):
    beliefs = belief_columns(bundled)
    monkeypatch.setattr(rdf_columns, "CHUNK_ROWS", chunk)
    assert set(lines(column_text(write_columns_ntriples, bundled, beliefs))) == reference_lines(bundled, beliefs)


def test_every_association_names_its_ends_and_biolink_predicate(bundled):
    rdf = Graph().parse(data=WRITERS["nt"].text(bundled, belief_columns(bundled)), format="nt")
    assertions = set(rdf.subjects(RDF.type, MTG.Assertion))
    links = set(rdf.subjects(RDF.type, MTG.Link))
    assert assertions and links
    for node in assertions | links:
        assert rdf.value(node, BIOLINK.subject) == rdf.value(node, RDF.subject) is not None
        assert rdf.value(node, BIOLINK.object) == rdf.value(node, RDF.object) is not None
        assert len(list(rdf.objects(node, BIOLINK.predicate))) == 1
    for node in assertions:
        mtg_predicate = str(rdf.value(node, RDF.predicate)).rsplit("/", 1)[1]
        assert str(rdf.value(node, BIOLINK.predicate)) == expand_curie(PREDICATES[mtg_predicate].biolink)
    for node in links:
        assert rdf.value(node, BIOLINK.predicate) == rdf.value(node, RDF.predicate)


def test_a_writer_that_fails_midway_leaves_the_old_file(bundled, tmp_path, monkeypatch):
    target = tmp_path / "g.nt"
    target.write_text("old\n")
    monkeypatch.setattr(rdf_columns, "CHUNK_ROWS", 5)
    calls = []

    def fail_on_second_chunk(*args):
        calls.append(1)
        if len(calls) == 2:
            raise MtorgraphError("disk on fire")
        return real(*args)

    real = rdf_columns._evidence
    monkeypatch.setattr(rdf_columns, "_evidence", fail_on_second_chunk)
    with pytest.raises(MtorgraphError, match="disk on fire"):
        write_graph(bundled, target, "nt")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.nt"]  # no temporary file left


def test_beliefs_for_another_graph_are_refused(bundled, tmp_path):
    other = belief_columns(load_graph("tests/data/mini.yaml"))
    with pytest.raises(MtorgraphError, match="do not match"):
        write_graph(bundled, tmp_path / "g.nt", "nt", other)
    assert not (tmp_path / "g.nt").exists()


#: Writers of one stream (a KGX pair and a .mtg folder write files of their own).
STREAM_WRITERS = sorted(name for name, f in WRITERS.items() if not getattr(f.resolve(), "writes_files", False))


@pytest.mark.parametrize("fmt", sorted(RDF_SUFFIXES))
def test_every_rdf_writer_streams_into_text_and_binary_streams_alike(bundled, fmt):
    beliefs = belief_columns(bundled)
    text_out = io.StringIO()
    WRITERS[fmt].resolve()(bundled, text_out, beliefs)
    binary_out = io.BytesIO()
    WRITERS[fmt].resolve()(bundled, binary_out, beliefs)
    assert text_out.getvalue() == binary_out.getvalue().decode("utf-8") == WRITERS[fmt].text(bundled, beliefs)


@pytest.mark.parametrize("fmt", STREAM_WRITERS)
def test_every_stream_writer_writes_what_its_text_gives(bundled, fmt):
    beliefs = belief_columns(bundled)
    writer = WRITERS[fmt]
    out = io.BytesIO() if writer.binary else io.StringIO()
    writer.resolve()(bundled, out, beliefs)
    value = out.getvalue()
    assert (value.decode("utf-8") if isinstance(value, bytes) else value) == writer.text(bundled, beliefs)


def test_export_file_and_stdout_give_the_same_triples(tmp_path):
    from click.testing import CliRunner

    runner = CliRunner()
    assert runner.invoke(main, ["export", "-o", str(tmp_path / "g.nt")]).exit_code == 0
    result = runner.invoke(main, ["export", "--to", "nt", "-o", "-"])
    assert result.exit_code == 0
    assert set(lines(result.stdout)) == set(lines((tmp_path / "g.nt").read_text(encoding="utf-8")))


def test_shacl_refuses_an_association_without_its_biolink_ends(bundled, tmp_path):
    from mtorgraph.io.shacl import find_shacl_violations

    rdf = Graph().parse(data=WRITERS["nt"].text(bundled, belief_columns(bundled)), format="nt")
    assert find_shacl_violations(rdf) == []
    node = next(iter(rdf.subjects(RDF.type, MTG.Assertion)))
    rdf.remove((node, BIOLINK.subject, None))
    assert any("biolink:subject" in str(v) for v in find_shacl_violations(rdf))

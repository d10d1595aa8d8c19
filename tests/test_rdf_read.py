"""The pyoxigraph reader (io/rdf_read.py) gives exactly what the rdflib reader gives, or its refusal."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorgraph import load_graph
from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.errors import MtorgraphError
from mtorgraph.io import rdf as rdf_module
from mtorgraph.io import write_graph
from mtorgraph.io.rdf import load_rdf
from mtorgraph.io.rdf_read import load_rdf_columns, load_rdf_fast
from mtorgraph.io.registry import reader_for

from .test_rdf_stream import nasty_graphs

FAST = ("nt", "ttl", "trig")


def outcome(reader, path):
    """The graph a reader gives, or the message it refuses with."""
    try:
        return reader(path)
    except MtorgraphError as exc:
        return f"refused: {exc}"


def exact_only(monkeypatch):
    """Make the rdflib reader fail, so a result proves the fast path produced it."""
    def refuse(path):
        raise AssertionError(f"the fast reader fell back to rdflib for {path}")
    monkeypatch.setattr(rdf_module, "load_rdf", refuse)


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


@pytest.mark.parametrize("suffix", FAST)
def test_bundled_graph_reads_back_identically_without_rdflib(bundled, suffix, tmp_path, monkeypatch):
    path = tmp_path / f"g.{suffix}"
    write_graph(bundled, path)
    expected = load_rdf(path)
    assert expected == bundled
    exact_only(monkeypatch)
    columns = load_rdf_columns(path)
    assert isinstance(columns, ColumnarGraph)
    assert columns.to_model() == expected
    assert columns.edge_count == len(expected.edges)
    assert load_rdf_fast(path) == expected


@pytest.mark.parametrize("suffix", FAST)
def test_registry_reads_rdf_exports_with_the_fast_reader(suffix, tmp_path):
    path = tmp_path / f"g.{suffix}"
    path.write_text("", encoding="utf-8")
    assert reader_for(path).resolve() is load_rdf_fast


def test_other_formats_still_read_through_rdflib(bundled, tmp_path):
    path = tmp_path / "g.jsonld"
    write_graph(bundled, path)
    assert load_rdf_columns(path).to_model() == load_rdf(path) == bundled


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(nasty_graphs(), st.sampled_from(["nt", "ttl"]))
def test_random_graphs_with_nasty_text_agree_with_rdflib(tmp_path_factory, graph, suffix):
    path = tmp_path_factory.mktemp("nasty") / f"g.{suffix}"
    try:
        write_graph(graph, path)
    except MtorgraphError:
        return  # a text the writer refuses never reaches a reader
    assert outcome(load_rdf_fast, path) == outcome(load_rdf, path)


def _export_lines(graph, tmp_path):
    path = tmp_path / "g.nt"
    write_graph(graph, path)
    return path.read_text(encoding="utf-8").split("\n")


# Each changes the bundled graph's N-Triples so that the fast path cannot map it exactly.
BREAKAGES = {
    "unknown predicate": lambda t: t.replace("<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> "
                                             "<https://w3id.org/mtorgraph/vocab/inhibits>",
                                             "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> "
                                             "<https://w3id.org/mtorgraph/vocab/nonsense>", 1),
    "rank not an integer": lambda t: t.replace("#integer>", "#string>", 1),
    "syntax error": lambda t: t + "<a> <b> .\n",
    "no entities": lambda t: "\n".join(line for line in t.split("\n") if "vocab/Entity>" not in line),
    "second label": lambda t: t + next(line for line in t.split("\n") if "rdf-schema#label>" in line)
    .rsplit('"', 1)[0] + ' more"' + " .\n",
    "control character": lambda t: t.replace('vocab/finding> "', 'vocab/finding> "\\u0001', 1),
    "bad id status": lambda t: t.replace('vocab/idStatus> "', 'vocab/idStatus> "bogus', 1),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_broken_exports_are_refused_as_rdflib_refuses_them(bundled, name, tmp_path):
    path = tmp_path / "g.nt"
    write_graph(bundled, path)
    path.write_text(BREAKAGES[name](path.read_text(encoding="utf-8")), encoding="utf-8")
    expected = outcome(load_rdf, path)
    assert isinstance(expected, str) and expected.startswith("refused: ")
    assert outcome(load_rdf_fast, path) == expected


def test_foreign_file_is_refused_as_before(tmp_path):
    from pathlib import Path

    foreign = Path(__file__).parent / "data" / "foreign.ttl"
    expected = outcome(load_rdf, foreign)
    assert expected.startswith("refused: ")
    assert outcome(load_rdf_fast, foreign) == expected
    assert outcome(load_rdf_columns, foreign) == expected


def test_cli_reads_an_ntriples_export(bundled, tmp_path, monkeypatch):
    path = tmp_path / "g.nt"
    write_graph(bundled, path)
    exact_only(monkeypatch)
    result = CliRunner().invoke(main, ["--graph", str(path), "info"])
    assert result.exit_code == 0, result.output
    assert f"{len(bundled.edges)}" in result.output

"""`mtorgraph sparql`: the README's three queries on the bundled and mini graphs, every format, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from mtorgraph import load_graph
from mtorgraph.cli import main
from mtorgraph.io.sparql import find_sparql

from .conftest import MINI

# The three queries of the README, verbatim.
EVIDENCE_FOR_ONE_EDGE = """
SELECT ?reference ?eco ?species ?finding WHERE {
  ?a rdf:subject CHEBI:9168 ; rdf:predicate mtg:inhibits ; rdf:object GO:0031931 ;
     mtg:evidence ?e .
  ?e mtg:reference/mtg:key ?reference ; biolink:has_evidence_of_type ?eco ;
     mtg:finding ?finding .
  OPTIONAL { ?e mtg:species ?species }
} ORDER BY ?reference
"""

HUMAN_EVIDENCE = """
SELECT ?subject ?predicate ?object ?reference ?finding WHERE {
  ?e biolink:species_context_qualifier NCBITaxon:9606 ;
     mtg:reference/mtg:key ?reference ; mtg:finding ?finding .
  ?a mtg:evidence ?e ; rdf:subject/mtg:key ?subject ; rdf:predicate ?predicate ;
     rdf:object/mtg:key ?object .
} ORDER BY ?subject ?object ?reference
"""

INHIBITS_MTORC1 = """
SELECT ?subject ?predicate ?belief WHERE {
  ?a rdf:object/mtg:key "mtorc1" ; mtg:sign -1 ; rdf:predicate ?predicate ;
     rdf:subject/mtg:key ?subject ; mtg:belief ?belief .
} ORDER BY DESC(?belief) ?subject
"""


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


def sparql(runner, query, *args, graph=None):
    options = ["--graph", str(graph)] if graph else []
    return runner.invoke(main, [*options, "sparql", query, *args])


def test_all_evidence_for_one_edge(runner, bundled):
    result = sparql(runner, EVIDENCE_FOR_ONE_EDGE, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    edge = bundled.edge("rapamycin", "inhibits", "mtorc1")
    assert sorted(r["reference"] for r in rows) == sorted(ev.reference for ev in edge.evidence)
    assert {r["finding"] for r in rows} == {ev.finding for ev in edge.evidence}
    assert all(r["eco"].startswith("ECO:") for r in rows)


def test_all_human_evidence(runner, bundled):
    result = sparql(runner, HUMAN_EVIDENCE, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    expected = sorted((e.subject, e.object, ev.reference) for e in (*bundled.edges, *bundled.links)
                      for ev in e.evidence if ev.context.species == "human")
    assert expected  # the bundled graph has human evidence (the trials, the label)
    assert sorted((r["subject"], r["object"], r["reference"]) for r in rows) == expected


def test_everything_that_inhibits_mtorc1(runner, bundled):
    result = sparql(runner, INHIBITS_MTORC1, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    expected = {(e.subject, f"mtg:{e.predicate}") for e in bundled.edges_to("mtorc1") if e.sign == -1}
    assert ("rapamycin", "mtg:inhibits") in expected
    assert {(r["subject"], r["predicate"]) for r in rows} == expected
    beliefs = [r["belief"] for r in rows]
    assert beliefs == sorted(beliefs, reverse=True) and all(0 < b <= 1 for b in beliefs)


def test_inhibits_mtorc1_on_the_mini_graph(runner):
    result = sparql(runner, INHIBITS_MTORC1, "--format", "tsv", graph=MINI)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    assert [(r["subject"], r["predicate"], r["belief"]) for r in rows] == [("rapamycin", "mtg:inhibits", "0.700")]


def test_table_format_and_row_count(runner):
    result = sparql(runner, EVIDENCE_FOR_ONE_EDGE, graph=MINI)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["reference", "eco", "species", "finding"]
    assert lines[2].split()[:3] == ["fixture_a", "ECO:0007120", "rat"]
    assert "1 row" in result.stderr


def test_query_from_a_file(runner, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(HUMAN_EVIDENCE)
    result = sparql(runner, f"@{path}", "--format", "json", graph=MINI)
    assert result.exit_code == 0, result.output
    assert {r["reference"] for r in json.loads(result.stdout)} == {"fixture_c", "fixture_d"}


def test_ask_and_construct():
    graph = load_graph(MINI)
    assert find_sparql(graph, "ASK { ?s mtg:activates GO:0031931 }").rows == [{"ask": True}]
    built = find_sparql(graph, "CONSTRUCT { ?s mtg:blocks ?o } WHERE { ?s mtg:inhibits ?o }")
    assert built.columns == ["subject", "predicate", "object"] and len(built.rows) == 2


def test_syntax_error_is_a_clear_message(runner):
    result = sparql(runner, "SELEC ?x WHERE { ?x ?y ?z }", graph=MINI)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: SPARQL query failed:")
    assert "Traceback" not in result.output


def test_missing_query_file(runner, tmp_path):
    result = sparql(runner, f"@{tmp_path / 'nope.rq'}", graph=MINI)
    assert result.exit_code == 1
    assert "nope.rq: error[missing-file]: no such file or directory" in result.stderr

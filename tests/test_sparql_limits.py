"""Every SPARQL probe of the reliability review (section 3), turned into a test.

Queries run over the mini graph through ``mtorgraph sparql --format json``; each must end in a
clean error (exit 1) or a correct answer. Runaway queries run with a short timeout.
"""

from __future__ import annotations

import json

import pytest

from mtorgraph.cli import main
from mtorgraph.io import load_graph
from mtorgraph.io.sparql import find_sparql

from .conftest import MINI

ERROR, OK = "error", "ok"

PROBES = [
    ("3.01-insert", "INSERT DATA { <http://a> <http://b> <http://c> }", ERROR, "SPARQL query failed"),
    ("3.02-delete", "DELETE WHERE { ?s ?p ?o }", ERROR, "SPARQL query failed"),
    ("3.03-load", "LOAD <http://127.0.0.1:9/load.ttl>", ERROR, "SPARQL query failed"),
    ("3.04-drop", "DROP ALL", ERROR, "SPARQL query failed"),
    ("3.05-service-http", "SELECT ?x WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?x } }", ERROR, "SERVICE"),
    ("3.06-service-silent", "SELECT ?x WHERE { SERVICE SILENT <http://10.255.255.1:9/sparql> { ?s ?p ?x } }", ERROR,
     "SERVICE"),
    ("3.07-service-closed-port", "SELECT ?x WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?x } }", ERROR,
     "SERVICE"),
    ("3.08-service-file", "SELECT ?x WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?x } }", ERROR, "SERVICE"),
    ("3.09-from", "SELECT * FROM <http://127.0.0.1:9/from.ttl> WHERE { ?s ?p ?o } LIMIT 1", ERROR, "FROM"),
    ("3.10-from-named", "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", ERROR, "FROM"),
    ("3.11-graph", "SELECT * WHERE { GRAPH <http://x> { ?s ?p ?o } }", ERROR, "GRAPH"),
    ("3.12-at-passwd", "@/etc/passwd", ERROR, None),
    ("3.13-at-dev-null", "@/dev/null", ERROR, "not a regular file"),
    ("3.14-syntax", "SELECT ?x WHERE { ?x", ERROR, "SPARQL query failed"),
    ("3.15-empty", "", ERROR, "SPARQL query failed"),
    ("3.16-catastrophic-regex", 'SELECT ?x WHERE { BIND("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" AS ?x) '
     'FILTER(REGEX(?x, "(a+)+$")) }', ERROR, "longer than"),
    ("3.17-three-way-cross-count", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", ERROR,
     "longer than"),
    ("3.18-cross-order-by", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", ERROR, None),
    ("3.19-property-path", "SELECT (COUNT(*) AS ?n) WHERE { ?s (rdf:type|!rdf:type)* ?o }", OK, None),
    ("3.20-describe", "DESCRIBE ?s WHERE { ?s mtg:key 'rapamycin' }", OK, None),
    ("3.21-strlen-concat", "SELECT (STRLEN(CONCAT(?f, ?f, ?f, ?f, ?f, ?f, ?f, ?f)) AS ?n) WHERE { ?e mtg:finding ?f }",
     OK, None),
]


@pytest.mark.parametrize(("query", "outcome", "words"), [p[1:] for p in PROBES], ids=[p[0] for p in PROBES])
def test_sparql_probe(query, outcome, words, runner, monkeypatch):
    # runaway queries are stopped after 2 s; the others get room on a loaded machine
    monkeypatch.setenv("MTORGRAPH_SPARQL_TIMEOUT", "2" if words == "longer than" else "60")
    monkeypatch.setenv("MTORGRAPH_SPARQL_MAX_ROWS", "5000")
    result = runner.invoke(main, ["--graph", str(MINI), "sparql", "--format", "json", query])
    output = result.output + result.stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if outcome == ERROR:
        assert result.exit_code == 1, output[-1000:]
        assert result.stderr.startswith("error: ")
        if words:
            assert words in result.stderr
    else:
        assert result.exit_code == 0, output[-1000:]
        assert json.loads(result.stdout)


def test_row_cap_stops_a_large_result(mini):
    from mtorgraph.errors import MtorgraphError

    with pytest.raises(MtorgraphError, match="more than 10 rows"):
        find_sparql(mini, "SELECT * WHERE { ?s ?p ?o }", max_rows=10)
    assert len(find_sparql(mini, "SELECT * WHERE { ?s ?p ?o } LIMIT 10", max_rows=10).rows) == 10


def test_timeout_parameter(mini):
    from mtorgraph.errors import MtorgraphError

    with pytest.raises(MtorgraphError, match="longer than 0.5 s"):
        find_sparql(mini, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.5)


def test_answers_are_unchanged_by_the_child_process():
    graph = load_graph(MINI)
    result = find_sparql(graph, "SELECT ?o WHERE { ?s mtg:inhibits ?o . ?s mtg:key 'rapamycin' } ORDER BY ?o")
    assert [row["o"] for row in result.rows] == ["GO:0031931", "entity:ketamine_response"]

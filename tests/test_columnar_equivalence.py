"""Every command gives byte-identical output whether the graph is opened as columns (the default)
or loaded as model objects (``MTORGRAPH_ENGINE=objects``), on the bundled graph and random graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.io import load_graph, open_graph

from .columnar_graphs import curated_graphs
from .conftest import MINI

FORMATS = ("table", "json", "tsv")
RDF_FORMATS = ("turtle", "nt", "jsonld", "trig", "xml")
QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 40"


def commands(a: str, b: str) -> list[list[str]]:
    """Every command line to compare, with ``a`` and ``b`` as the entities they name."""
    out: list[list[str]] = []
    for fmt in FORMATS:
        out += [["info", "--format", fmt], ["show", a, "--format", fmt], ["edges", "--format", fmt],
                ["entities", "--format", fmt], ["references", "--format", fmt], ["validate", "--format", fmt],
                ["audit", "--format", fmt], ["paths", a, b, "--format", fmt], ["explain", a, b, "--format", fmt],
                ["conflicts", "--format", fmt], ["conflicts", a, b, "--format", fmt],
                ["sparql", QUERY, "--format", fmt]]
    out += [["export", "--to", fmt, "-o", "-"] for fmt in RDF_FORMATS]
    out += [["sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 30", "--format", "nt"], ["report"]]
    return out


def run(graph: Path | None, args: list[str], engine: str, out: Path) -> tuple[int, str, str, bytes]:
    runner = CliRunner()
    prefix = ["--graph", str(graph)] if graph is not None else []
    result = runner.invoke(main, [*prefix, *args], env={"MTORGRAPH_ENGINE": engine}, catch_exceptions=False)
    page = out / f"view-{engine}.html"
    return result.exit_code, result.stdout, result.stderr, page.read_bytes() if page.exists() else b""


def assert_same(graph: Path | None, a: str, b: str, tmp: Path) -> None:
    for args in commands(a, b):
        assert run(graph, args, "columns", tmp)[:3] == run(graph, args, "objects", tmp)[:3], args
    for engine in ("columns", "objects"):
        run(graph, ["view", "-o", str(tmp / f"view-{engine}.html"), "--focus", a], engine, tmp)
    assert (tmp / "view-columns.html").read_bytes() == (tmp / "view-objects.html").read_bytes()


@pytest.fixture(autouse=True)
def load_once(monkeypatch):
    """Load each graph once per engine: the comparison is of the commands, and loads are compared
    by ``test_open_graph_gives_columns_equal_to_the_model`` and the fast-reader tests."""
    import mtorgraph.cli.common as common
    import mtorgraph.io as io

    def remember(load):
        seen: dict = {}

        def cached(path=None, **kwargs):
            key = (str(path), Path(path).stat().st_mtime_ns if path is not None else 0)
            if key not in seen:
                seen[key] = load(path, **kwargs)
            return seen[key]
        return cached
    monkeypatch.setattr(common, "load_graph", remember(common.load_graph))
    monkeypatch.setattr(io, "open_graph", remember(io.open_graph))


def test_open_graph_gives_columns_equal_to_the_model():
    columns = open_graph(MINI)
    assert isinstance(columns, ColumnarGraph)
    assert columns.to_model() == load_graph(MINI)


def test_engine_switch_is_checked(runner):
    result = runner.invoke(main, ["info"], env={"MTORGRAPH_ENGINE": "bogus"})
    assert result.exit_code == 1 and "MTORGRAPH_ENGINE" in result.stderr


@pytest.mark.parametrize("graph", [None, MINI], ids=["bundled", "mini"])
def test_every_command_same_on_both_engines(graph, tmp_path):
    if graph is None:
        assert_same(None, "rapamycin", "depression", tmp_path)
    else:
        assert_same(graph, "rapamycin", "depression", tmp_path)


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=curated_graphs(max_entities=5, max_edges=6))
def test_every_command_same_on_random_graphs(text, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("equiv")
    path = tmp / "g.yaml"
    path.write_text(text, encoding="utf-8")
    assert_same(path, "e0", "e1", tmp)


def test_edge_objects_are_kept_up_to_the_bound_and_equal_fresh_ones(monkeypatch):
    from mtorgraph.columnar import graph as columnar_graph

    model = load_graph(None)
    monkeypatch.setattr(columnar_graph, "EDGE_OBJECTS_KEPT", 5)
    columns = ColumnarGraph.from_model(model)
    rows = [7, 3, 3, 40, 0, 12, 21, 33]
    first = columns.edges_at(rows)
    assert first == [model.edges[i] for i in rows]  # built from the columns, equal to the model's
    again = columns.edges_at(rows)
    assert again == first
    kept = {7, 3, 40, 0, 12}  # the first five distinct rows asked for
    assert [a is b for a, b in zip(first, again)] == [r in kept for r in rows]
    assert list(columns.iter_edges()) == list(model.edges)


@pytest.mark.parametrize("by_columns_from", [16, 1])
def test_rows_by_columns_are_arrows_own_rows(by_columns_from, monkeypatch):
    """Tables of 16 rows or more are turned into dicts column by column; they must be exactly the
    dicts Arrow gives (dictionary words decoded, lists as lists, nulls as None), whatever the size
    (with the bound at 1, every table and slice takes the column path)."""
    from mtorgraph.columnar import arrow_rows

    monkeypatch.setattr(arrow_rows, "_BY_COLUMNS", by_columns_from)
    columns = ColumnarGraph.from_model(load_graph(None))
    for name, table in columns.tables.items():
        n = table.num_rows
        for start, length in ((0, n), (min(3, n - 1), 1), (0, min(15, n)), (1, n - 1)):
            part = table.slice(start, length)
            assert arrow_rows.rows(part) == part.to_pylist(), (name, start, length)

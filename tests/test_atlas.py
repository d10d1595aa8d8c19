"""The paradox atlas (issue 14): every record is what `conflicts S T` says of its pair, none is missed,
and the local and Spark engines agree."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mtorgraph import load_graph
from mtorgraph.analysis.atlas import atlas_pairs, source_conflicts
from mtorgraph.analysis.conflicts import conflicts_to_json, find_conflicts
from mtorgraph.analysis.paths import to_graph_index
from mtorgraph.cli import main
from mtorgraph.engines.job import AtlasJob
from mtorgraph.engines.local import run_local
from mtorgraph.model import Edge, Entity, Evidence, MechanismGraph, Reference

KINDS = ("chemical", "chemical", "process", "process", "process", "disease", "phenotype")


def random_graph(edges) -> MechanismGraph:
    refs = sorted({r for *_, r in edges} | {"r0"})
    return MechanismGraph(
        entities=tuple(Entity(key=f"e{i}", id=f"GO:{i:07d}", label=f"e{i}", name=f"e{i}", kind=kind)
                       for i, kind in enumerate(KINDS)),
        references=tuple(Reference(key=r, title=r, doi=f"10.1000/{r}", verified="yes") for r in refs),
        edges=tuple(Edge(subject=f"e{s}", predicate=p, object=f"e{o}",
                         evidence=(Evidence(reference=r, kind="animal_in_vivo", finding="f"),))
                    for s, p, o, r in edges if s != o),
    )


edge_lists = st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["activates", "inhibits", "increases",
                                                                       "decreases"]),
                                st.integers(0, 6), st.sampled_from(["ra", "rb", "rc", "rd"])),
                      max_size=22, unique_by=lambda e: (e[0], e[1], e[2]))


def _pair_record(graph, source, target):
    report = find_conflicts(graph, source, target, limit=5)
    found = conflicts_to_json(report)["path_conflicts"]
    return found[0] if found else None


def _without_rank(record):
    return {k: v for k, v in record.items() if k not in ("score", "partial")}


@settings(max_examples=60, deadline=None)
@given(edges=edge_lists)
def test_every_record_equals_conflicts_for_its_pair_and_none_is_missed(edges):
    graph = random_graph(edges)
    gindex = to_graph_index(graph)
    sources, targets = atlas_pairs(graph)
    records = [r for s in sources for r in source_conflicts(gindex, s, targets, limit=5)]
    for record in records:
        assert _without_rank(record) == _pair_record(graph, record["source"], record["target"])
        assert record["partial"] is False and record["score"] > 0
    expected = {(s, t) for s in sources for t in targets if s != t and _pair_record(graph, s, t) is not None}
    assert {(r["source"], r["target"]) for r in records} == expected


def test_bundled_atlas_holds_the_rapamycin_depression_paradox_as_conflicts_reports_it():
    runner = CliRunner()
    atlas = runner.invoke(main, ["atlas", "--format", "json", "--workers", "2"])
    assert atlas.exit_code == 0, atlas.output
    data = json.loads(atlas.output)
    pair = runner.invoke(main, ["conflicts", "rapamycin", "depression", "--format", "json"])
    expected = json.loads(pair.output)["path_conflicts"][0]
    (record,) = [r for r in data["records"] if (r["source"], r["target"]) == ("rapamycin", "depression")]
    assert _without_rank(record) == expected
    assert record["sides"]["positive"]["effect_words"] == "would worsen depression"
    assert data["partial"] is False and data["skipped_sources"] == []
    assert [r["score"] for r in data["records"]] == sorted((r["score"] for r in data["records"]), reverse=True)


def test_workers_and_single_process_agree_and_budget_marks_partial():
    graph = load_graph()
    sources, targets = atlas_pairs(graph)
    gindex = to_graph_index(graph)
    job = AtlasJob(tuple(sources), tuple(targets))
    assert run_local(gindex, job, 1).records == run_local(gindex, job, 2).records
    starved = run_local(gindex, AtlasJob(tuple(sources), tuple(targets), budget=1e-9), 1)
    assert starved.partial and starved.skipped_sources


def test_cli_outputs_and_errors(tmp_path):
    runner = CliRunner()
    lines = runner.invoke(main, ["atlas", "--format", "jsonl", "--out", str(tmp_path / "out")])
    assert lines.exit_code == 0, lines.output
    records = [json.loads(line) for line in lines.output.splitlines()]
    assert records and all("sides" in r for r in records)
    assert (tmp_path / "out" / "atlas.jsonl").read_text().count("\n") == len(records)
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "out" / "atlas.parquet").num_rows == len(records)
    table = runner.invoke(main, ["atlas"])
    assert table.exit_code == 0 and "rapamycin" in table.output and "would relieve depression" in table.output
    none = runner.invoke(main, ["atlas", "--source-kind", "anatomy"])
    assert none.exit_code == 1 and "no source entities of kind anatomy" in none.output
    bad = runner.invoke(main, ["atlas", "--engine", "hadoop"])
    assert bad.exit_code == 2


pyspark = pytest.importorskip("pyspark", reason="the Spark engine needs pyspark (the spark extra)")


@pytest.mark.spark
@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_spark_local_mode_returns_the_same_records_as_the_embedded_engine(tmp_path):
    from mtorgraph.engines.spark import run_spark

    graphs = [load_graph(), random_graph([(0, "activates", 2, "ra"), (2, "increases", 5, "rb"),
                                          (0, "inhibits", 3, "rc"), (3, "activates", 5, "rd"),
                                          (1, "decreases", 2, "ra"), (2, "inhibits", 6, "rb"),
                                          (1, "activates", 6, "rc")])]
    for graph in graphs:
        sources, targets = atlas_pairs(graph)
        job = AtlasJob(tuple(sources), tuple(targets))
        local = run_local(to_graph_index(graph), job, 2)
        spark = run_spark(graph, job, master="local[2]", out_dir=str(tmp_path / "spark"))
        assert local.records and spark.records == local.records and spark.skipped_sources == ()
    written = [json.loads(line) for part in sorted((tmp_path / "spark" / "atlas.jsonl").glob("part-*"))
               for line in part.read_text().splitlines()]
    assert sorted(written, key=lambda r: (r["source"], r["target"])) == sorted(
        local.records, key=lambda r: (r["source"], r["target"]))

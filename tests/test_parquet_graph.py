"""The .mtg folder format: round trip, use with --graph and export, clear errors for bad folders."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mtorgraph.cli import main
from mtorgraph.io import load_graph, open_graph, validate_graph, write_graph
from mtorgraph.io.parquet_graph import open_parquet_graph

from .conftest import DATA, MINI


@pytest.mark.parametrize("source", [None, MINI, DATA / "bridges.yaml"], ids=["bundled", "mini", "bridges"])
def test_round_trip(source, tmp_path):
    graph = load_graph(source)
    out = write_graph(graph, tmp_path / "g.mtg")
    assert open_graph(out).to_model() == graph
    assert load_graph(out) == graph
    assert validate_graph(out) == []
    write_graph(open_graph(out), out)  # replaces its own folder
    assert load_graph(out) == graph


def test_cli_export_and_read(tmp_path, runner):
    out = tmp_path / "big.mtg"
    result = runner.invoke(main, ["--graph", str(MINI), "export", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    for fmt in ("json", "tsv"):
        a = runner.invoke(main, ["--graph", str(out), "edges", "--format", fmt])
        b = runner.invoke(main, ["--graph", str(MINI), "edges", "--format", fmt])
        assert a.exit_code == 0 and a.stdout == b.stdout
    assert runner.invoke(main, ["validate", str(out)]).exit_code == 0


def break_folder(folder, how):
    if how == "pointer":
        table = pq.read_table(folder / "edges.parquet")
        table = table.set_column(0, "subject", pa.array([999] * table.num_rows, pa.int32()))
        pq.write_table(table, folder / "edges.parquet")
        return "edges.parquet", "row 0: subject points to entity row 999"
    if how == "vocabulary":
        table = pq.read_table(folder / "edges.parquet")
        words = pa.array(["blocks"] * table.num_rows).dictionary_encode().cast(pa.dictionary(pa.int16(), pa.string()))
        pq.write_table(table.set_column(1, "predicate", words), folder / "edges.parquet")
        return "edges.parquet", "predicate holds 'blocks'"
    if how == "duplicate-key":
        table = pq.read_table(folder / "entities.parquet")
        keys = table.column("key").to_pylist()
        keys[1] = keys[0]
        pq.write_table(table.set_column(0, "key", pa.array(keys)), folder / "entities.parquet")
        return "entities.parquet", "appears more than once"
    if how == "missing-table":
        (folder / "links.parquet").unlink()
        return "links.parquet", "missing"
    if how == "not-parquet":
        (folder / "evidence.parquet").write_bytes(b"PAR1 but not really")
        return "evidence.parquet", "cannot read it as Parquet"
    if how == "wrong-version":
        meta = json.loads((folder / "graph.json").read_text())
        (folder / "graph.json").write_text(json.dumps(meta | {"format_version": 99}))
        return "graph.json", "format_version 99"
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["pointer", "vocabulary", "duplicate-key", "missing-table", "not-parquet",
                                 "wrong-version"])
def test_bad_folder_is_a_clear_error(tmp_path, runner, how):
    folder = write_graph(load_graph(MINI), tmp_path / "g.mtg")
    file, words = break_folder(folder, how)
    result = runner.invoke(main, ["--graph", str(folder), "info"])
    assert result.exit_code == 1
    assert file in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    problems = validate_graph(folder)
    assert len(problems) == 1 and file in problems[0].location.file


def test_refuses_to_replace_other_folders(tmp_path):
    other = tmp_path / "keep.mtg"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    from mtorgraph.errors import OutputError

    with pytest.raises(OutputError):
        write_graph(load_graph(MINI), other)
    assert (other / "notes.txt").read_text() == "mine"


def test_folder_without_meta(tmp_path):
    folder = tmp_path / "g.mtg"
    shutil.copytree(write_graph(load_graph(MINI), tmp_path / "x.mtg"), folder)
    (folder / "graph.json").unlink()
    from mtorgraph.errors import InputError

    with pytest.raises(InputError, match="graph.json"):
        open_parquet_graph(folder)


def test_a_graph_of_many_row_groups_is_cached_as_one_batch_per_table(tmp_path, runner):
    """Parquet row groups become chunks; the cache keeps one batch per table (``take`` on a chunked
    table concatenates it on every call), and the answers stay those of the source."""
    out = write_graph(load_graph(None), tmp_path / "g.mtg")
    for name in ("edges", "evidence"):
        table = pq.read_table(out / f"{name}.parquet")
        pq.write_table(table, out / f"{name}.parquet", row_group_size=7)
    assert open_parquet_graph(out).tables["evidence"].column(0).num_chunks > 1
    first = runner.invoke(main, ["--graph", str(out), "paths", "rapamycin", "depression"])
    cached = open_graph(out)  # the second open maps the cache entry
    assert {name: {c.num_chunks for c in table.columns} - {0, 1} for name, table in cached.tables.items()} == \
        {name: set() for name in cached.tables}
    again = runner.invoke(main, ["--graph", str(out), "paths", "rapamycin", "depression"])
    bundled = runner.invoke(main, ["paths", "rapamycin", "depression"])
    assert first.exit_code == 0 and first.stdout == again.stdout == bundled.stdout

"""The derived cache: beliefs, the path index and pair keys kept beside a cached graph, and every
file input cached by its bytes. Every command's output is the same byte for byte with the cache
off, cold, warm, and on the object engine; a damaged derived file is ignored and written again;
an edited input misses the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from mtorgraph.analysis import beliefs as beliefs_module
from mtorgraph.analysis import step_table as step_table_module
from mtorgraph.analysis.lookup import forget_derived
from mtorgraph.cli import main
from mtorgraph.io import open_graph
from mtorgraph.io.derived_store import DerivedStore

from .conftest import MINI

A, B = "rapamycin", "depression"


def commands(tmp: Path) -> list[list[str]]:
    return [["info"], ["paths", A, B], ["paths", A, B, "--format", "json"], ["conflicts", A, B],
            ["conflicts", A, B, "--format", "json"], ["conflicts"], ["explain", A, "ketamine_response"],
            ["edges", "--format", "tsv"],
            ["export", "--to", "nt", "-o", "-"], ["export", "--to", "turtle", "-o", "-"],
            ["view", "--focus", A, "--depth", "2", "-o", str(tmp / "view.html")]]


def run_all(graph: Path, tmp: Path, *, engine: str = "columns", no_cache: bool = False) -> list[tuple]:
    runner = CliRunner()
    out = []
    for args in commands(tmp):
        forget_derived()  # each command as a fresh process would see it
        page = tmp / "view.html"
        page.unlink(missing_ok=True)
        prefix = ["--graph", str(graph)] + (["--no-cache"] if no_cache else [])
        result = runner.invoke(main, [*prefix, *args], env={"MTORGRAPH_ENGINE": engine}, catch_exceptions=False)
        out.append((args[0], result.exit_code, result.stdout, result.stderr,
                    page.read_bytes() if page.exists() else b""))
    return out


def derived_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/derived/*/*.npy"))


def make_input(kind: str, tmp: Path) -> Path:
    """The mini graph as curated YAML, a .mtg folder or a KGX TSV pair."""
    if kind == "curated":
        target = tmp / "in" / "mini.yaml"
        target.parent.mkdir()
        shutil.copy(MINI, target)
        return target
    out = tmp / "in" / ("mini.mtg" if kind == "parquet" else "mini")
    out.parent.mkdir()
    to = {"parquet": "parquet", "kgx": "kgx-tsv"}[kind]
    result = CliRunner().invoke(main, ["--graph", str(MINI), "--no-cache", "export", "--to", to, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out if kind == "parquet" else tmp / "in" / "mini_edges.tsv"


@pytest.mark.parametrize("kind", ["curated", "parquet", "kgx"])
def test_outputs_same_without_cache_cold_warm_and_on_objects(kind, tmp_path, compiled_cache_in_tmp, monkeypatch):
    graph = make_input(kind, tmp_path)
    uncached = run_all(graph, tmp_path, no_cache=True)
    assert not derived_files(compiled_cache_in_tmp)
    cold = run_all(graph, tmp_path)
    stored = derived_files(compiled_cache_in_tmp)
    assert {p.parent.name.split(".")[0] for p in stored} >= {"beliefs", "graph_index", "pair_keys"}
    # warm: nothing derived is computed again (beliefs and steps come from the store)
    # (a view's subgraph is a new graph, without a store: its beliefs are computed as before)
    compute, steps = beliefs_module._compute, step_table_module.to_step_table

    def no_compute(graph, *args, **kwargs):
        assert getattr(graph, "derived_store", None) is None, "beliefs of a cached graph computed again"
        return compute(graph, *args, **kwargs)

    def no_steps(graph, *args, **kwargs):
        assert getattr(graph, "derived_store", None) is None, "steps of a cached graph computed again"
        return steps(graph, *args, **kwargs)
    monkeypatch.setattr(beliefs_module, "_compute", no_compute)
    monkeypatch.setattr(step_table_module, "to_step_table", no_steps)
    monkeypatch.setattr("mtorgraph.analysis.paths.to_step_table", no_steps)
    warm = run_all(graph, tmp_path)
    monkeypatch.undo()
    objects = run_all(graph, tmp_path, engine="objects")
    assert cold == uncached
    assert warm == uncached
    assert objects == uncached
    assert all(code == 0 for _, code, *_ in uncached)


def test_a_damaged_derived_file_is_ignored_and_written_again(tmp_path, compiled_cache_in_tmp):
    graph = make_input("curated", tmp_path)
    before = run_all(graph, tmp_path)
    files = derived_files(compiled_cache_in_tmp)
    sizes = {p: p.stat().st_size for p in files}
    beliefs = next(p for p in files if p.parent.name.startswith("beliefs") and p.name == "edges.npy")
    index = next(p for p in files if p.parent.name.startswith("graph_index") and p.name == "belief.npy")
    beliefs.write_bytes(beliefs.read_bytes()[: sizes[beliefs] // 2])  # cut short
    data = bytearray(index.read_bytes())
    data[:6] = b"garbag"  # not a .npy header any more, same size
    index.write_bytes(bytes(data))
    assert run_all(graph, tmp_path) == before
    assert {p: p.stat().st_size for p in derived_files(compiled_cache_in_tmp)} == sizes
    assert index.read_bytes()[:6] == b"\x93NUMPY"


def test_an_edited_input_misses_the_cache(tmp_path, compiled_cache_in_tmp):
    graph = make_input("parquet", tmp_path)
    first = open_graph(graph)
    assert first.derived_store is not None
    entries = sorted(p.name for p in compiled_cache_in_tmp.iterdir())
    assert len(entries) == 1
    meta = graph / "graph.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace("\n", " \n"), encoding="utf-8")
    second = open_graph(graph)
    assert len(list(compiled_cache_in_tmp.iterdir())) == 2
    assert second.derived_store.folder != first.derived_store.folder


def test_no_cache_opens_without_a_store(tmp_path, compiled_cache_in_tmp):
    graph = make_input("kgx", tmp_path)
    assert getattr(open_graph(graph, cache=False), "derived_store", None) is None
    assert not any(compiled_cache_in_tmp.iterdir())


def test_store_round_trip_and_refusals(tmp_path):
    store = DerivedStore(tmp_path / "d")
    assert store.get("x.v1") is None
    arrays = {"a": np.arange(5, dtype=np.int64), "b": np.array([0.5, 0.25]), "empty": np.empty(0, dtype=np.int8)}
    store.put("x.v1", arrays)
    got = store.get("x.v1")
    assert got is not None and set(got) == set(arrays)
    assert all(np.array_equal(got[k], v) and got[k].dtype == v.dtype for k, v in arrays.items())
    assert not got["a"].flags.writeable
    (tmp_path / "d" / "x.v1" / "a.npy").unlink()
    assert store.get("x.v1") is None
    assert store.get("../escape") is None
    with pytest.raises(ValueError):
        store.put("../escape", arrays)


def test_find_conflicts_takes_a_prebuilt_index(mini):
    from mtorgraph.analysis.conflicts import conflicts_to_json, find_conflicts
    from mtorgraph.analysis.paths import build_graph_index

    gindex = build_graph_index(mini)
    given = find_conflicts(mini, A, "ketamine_response", gindex=gindex)
    assert given.graph is gindex.graph
    assert conflicts_to_json(given) == conflicts_to_json(find_conflicts(mini, A, "ketamine_response"))

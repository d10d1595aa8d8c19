"""The compiled cache: hit, miss on any change, ignored when broken, off on request, never for errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mtorgraph.cli import main
from mtorgraph.io import load_graph, open_graph
from mtorgraph.io import compiled
from mtorgraph.io.compiled import cache_dir, clear_cache, open_curated_cached

from .conftest import DATA, MINI


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.exists() else []


def no_build(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the graph was built again instead of read from the cache")
    monkeypatch.setattr(compiled, "_build", fail)


def copy_graph(tmp_path: Path, name: str = "mini.yaml") -> Path:
    target = tmp_path / "src" / name
    target.parent.mkdir(exist_ok=True)
    shutil.copy(DATA / name, target)
    return target


def test_second_open_reads_the_cache(tmp_path, compiled_cache_in_tmp, monkeypatch):
    graph = copy_graph(tmp_path)
    first = open_graph(graph)
    assert len(entries(compiled_cache_in_tmp)) == 1
    no_build(monkeypatch)
    second = open_graph(graph)
    assert second.to_model() == first.to_model() == load_graph(graph)


def test_cache_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("MTORGRAPH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "mtorgraph"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "mtorgraph"


def test_any_change_misses(tmp_path, compiled_cache_in_tmp):
    graph = copy_graph(tmp_path)
    open_graph(graph)
    text = graph.read_text(encoding="utf-8")
    graph.write_text(text.replace("Fixture study A", "Fixture study A2"), encoding="utf-8")
    changed = open_graph(graph)
    assert len(entries(compiled_cache_in_tmp)) == 2
    assert changed.reference("fixture_a").title == "Fixture study A2"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign-meta", "missing-file", "bad-pointer"])
def test_broken_entry_is_ignored_and_rebuilt(tmp_path, compiled_cache_in_tmp, damage):
    graph = copy_graph(tmp_path)
    expected = open_graph(graph).to_model()
    (entry,) = entries(compiled_cache_in_tmp)
    arrow = entry / "edges.arrow"
    if damage == "truncate":
        arrow.write_bytes(arrow.read_bytes()[:50])
    elif damage == "garbage":
        arrow.write_bytes(b"\0" * arrow.stat().st_size)
    elif damage == "foreign-meta":
        (entry / "graph.json").write_text('{"format": "something else"}', encoding="utf-8")
    elif damage == "missing-file":
        arrow.unlink()
    else:  # same size, but an edge points past the last entity
        import pyarrow as pa

        table = pa.ipc.open_file(pa.memory_map(str(arrow))).read_all()
        subject = pa.array([10**6] * table.num_rows, pa.int32())
        table = table.set_column(0, "subject", subject)
        with pa.OSFile(str(arrow), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    assert open_graph(graph).to_model() == expected
    assert open_graph(graph).to_model() == expected  # and the rewritten entry reads back


def test_unwritable_cache_is_no_cache(tmp_path, monkeypatch, runner):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MTORGRAPH_CACHE_DIR", str(blocker / "cache"))
    graph = copy_graph(tmp_path)
    assert open_graph(graph).to_model() == load_graph(graph)
    result = runner.invoke(main, ["--graph", str(graph), "info"])
    assert result.exit_code == 0, result.stderr


def test_no_cache_switches(tmp_path, compiled_cache_in_tmp, monkeypatch, runner):
    graph = copy_graph(tmp_path)
    assert runner.invoke(main, ["--no-cache", "--graph", str(graph), "info"]).exit_code == 0
    assert runner.invoke(main, ["--no-cache", "validate", str(graph)]).exit_code == 0
    monkeypatch.setenv("MTORGRAPH_NO_CACHE", "1")
    assert runner.invoke(main, ["--graph", str(graph), "info"]).exit_code == 0
    assert entries(compiled_cache_in_tmp) == []
    monkeypatch.delenv("MTORGRAPH_NO_CACHE")
    assert runner.invoke(main, ["--graph", str(graph), "info"]).exit_code == 0
    assert len(entries(compiled_cache_in_tmp)) == 1


def test_graph_with_errors_is_not_cached(compiled_cache_in_tmp, runner):
    bad = DATA / "invalid" / "unknown-entity.yaml"
    for _ in range(2):
        result = runner.invoke(main, ["validate", str(bad)])
        assert result.exit_code == 1
    assert entries(compiled_cache_in_tmp) == []
    graph, problems = open_curated_cached(bad)
    assert graph is None and any(p.code == "unknown-entity" for p in problems)


def test_warnings_are_reported_on_a_cached_open(compiled_cache_in_tmp, runner, monkeypatch):
    """mini.yaml validates with warnings; the cached validate prints exactly the same."""
    outputs = []
    for attempt in range(2):
        if attempt:
            no_build(monkeypatch)
        result = runner.invoke(main, ["validate", str(MINI), "--format", "json"])
        table = runner.invoke(main, ["validate", str(MINI)])
        outputs.append((result.exit_code, result.stdout, table.stdout, table.stderr))
    assert outputs[0] == outputs[1]
    assert '"severity": "warning"' in outputs[0][1]
    assert len(entries(compiled_cache_in_tmp)) == 1


def test_clear_cache(tmp_path, compiled_cache_in_tmp):
    open_graph(copy_graph(tmp_path))
    assert clear_cache() == 1
    assert entries(compiled_cache_in_tmp) == []

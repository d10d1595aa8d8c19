"""Cache entries are put in place without removing a good one: two processes opening the same graph
write the same content-keyed entry, and neither may delete the other's while it is read."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import numpy as np

from mtorgraph.io import compiled, open_graph
from mtorgraph.io.derived_store import DerivedStore

from .conftest import MINI


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_good_derived_value_is_kept(tmp_path):
    store = DerivedStore(tmp_path / "derived")
    store.put("beliefs.v1", {"x": np.arange(5)})
    first = os.stat(tmp_path / "derived" / "beliefs.v1").st_ino
    store.put("beliefs.v1", {"x": np.arange(5)})
    assert os.stat(tmp_path / "derived" / "beliefs.v1").st_ino == first
    assert list(store.get("beliefs.v1")["x"]) == [0, 1, 2, 3, 4]
    assert _hidden(tmp_path / "derived") == []


def test_a_bad_derived_value_is_replaced(tmp_path):
    store = DerivedStore(tmp_path / "derived")
    store.put("beliefs.v1", {"x": np.arange(5)})
    with open(tmp_path / "derived" / "beliefs.v1" / "x.npy", "r+b") as handle:
        handle.truncate(10)
    assert store.get("beliefs.v1") is None
    store.put("beliefs.v1", {"x": np.arange(3)})
    assert list(store.get("beliefs.v1")["x"]) == [0, 1, 2]
    assert _hidden(tmp_path / "derived") == []


def _put_and_get(folder: str, rounds: int, misses) -> None:
    store = DerivedStore(Path(folder))
    for _ in range(rounds):
        store.put("shared.v1", {"x": np.arange(100_000)})
        if store.get("shared.v1") is None:
            with misses.get_lock():
                misses.value += 1


def test_processes_writing_one_value_never_lose_it(tmp_path):
    # each process stores the value and reads it straight back; before, a put removed the entry
    # another process had just stored, and that process's read found nothing
    context = multiprocessing.get_context("fork")
    misses = context.Value("i", 0)
    workers = [context.Process(target=_put_and_get, args=(str(tmp_path / "d"), 150, misses)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert misses.value == 0
    assert _hidden(tmp_path / "d") == []


def test_a_good_compiled_entry_is_kept_and_a_bad_one_replaced(tmp_path, compiled_cache_in_tmp):
    shutil.copy(MINI, tmp_path / "g.yaml")
    graph = open_graph(tmp_path / "g.yaml")
    root = compiled.cache_dir()
    (entry,) = [p for p in root.iterdir() if not p.name.startswith(".")]
    first = os.stat(entry).st_ino
    assert compiled._write_entry(root, entry.name, graph, [])
    assert os.stat(entry).st_ino == first  # kept, not rewritten
    arrow = sorted(entry.glob("*.arrow"))[0]
    with open(arrow, "r+b") as handle:
        handle.truncate(8)
    assert compiled._write_entry(root, entry.name, graph, [])
    assert os.stat(entry).st_ino != first
    assert _hidden(root) == []
    again = open_graph(tmp_path / "g.yaml")
    assert sorted(e.key for e in again.edges) == sorted(e.key for e in graph.edges)

"""A big input whose key is not remembered is hashed while it is parsed (io/background_key.py):
the same key and entry as hashing first, the summary stored, no entry when the read fails or the
file changes meanwhile, the caller taking over the steps left, and the thread at the lowest priority."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from mtorgraph.cli import main
from mtorgraph.io import compiled, rdf_open, stat_keys
from mtorgraph.io.background_key import BackgroundKey
from mtorgraph.io.limits import current_limits
from mtorgraph.io.rdf_open import open_rdf_columns

from .conftest import MINI


@pytest.fixture
def nt_file(tmp_path, runner) -> Path:
    path = tmp_path / "mini.nt"
    result = runner.invoke(main, ["--no-cache", "--graph", str(MINI), "export", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def hashed_while_read(monkeypatch):
    """Every keyed input counts as big; a key is remembered as soon as it is hashed."""
    monkeypatch.setattr(compiled, "HASH_WHILE_READING_BYTES", 0)
    monkeypatch.setattr(stat_keys, "_SETTLE_SECONDS", 0.0)


def _entries(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir() if p.is_dir() and not p.name.startswith("."))


def _info(runner, path: Path) -> dict:
    result = runner.invoke(main, ["--graph", str(path), "info", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _key_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "mtorgraph-cache-key"]


def test_the_key_found_while_reading_is_the_key_hashed_first(runner, nt_file, compiled_cache_in_tmp,
                                                             hashed_while_read, monkeypatch, tmp_path):
    first = _info(runner, nt_file)
    [entry] = _entries(compiled_cache_in_tmp)
    assert len(list((compiled_cache_in_tmp / ".summaries").glob("*.json"))) == 1
    assert not _key_threads()
    monkeypatch.setenv("MTORGRAPH_CACHE_DIR", str(tmp_path / "elsewhere"))  # nothing remembered there
    assert compiled.source_key([nt_file], current_limits(), "nt") == entry
    monkeypatch.setenv("MTORGRAPH_CACHE_DIR", str(compiled_cache_in_tmp))

    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was parsed again")
    monkeypatch.setattr(rdf_open, "open_rdf_columns", no_parsing)
    assert _info(runner, nt_file) == first  # the stored summary
    result = runner.invoke(main, ["--graph", str(nt_file), "show", "ketamine", "--format", "json"])
    assert result.exit_code == 0, result.output  # the compiled entry


def test_the_answers_are_those_of_hashing_first(runner, nt_file, compiled_cache_in_tmp, monkeypatch):
    before = _info(runner, nt_file)
    monkeypatch.setattr(compiled, "HASH_WHILE_READING_BYTES", 0)
    nt_file.write_bytes(nt_file.read_bytes())  # the same bytes, a new status: parsed, then keyed
    assert _info(runner, nt_file) == before
    assert len(_entries(compiled_cache_in_tmp)) == 1  # its key found the entry already there


def test_a_read_that_fails_writes_nothing_and_stops_hashing(runner, tmp_path, compiled_cache_in_tmp,
                                                            hashed_while_read):
    broken = tmp_path / "broken.nt"
    broken.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    result = runner.invoke(main, ["--graph", str(broken), "info"])
    assert result.exit_code == 1, result.output
    assert _entries(compiled_cache_in_tmp) == []
    assert not _key_threads()


@pytest.mark.parametrize("big", [True, False], ids=["hashed-while-read", "hashed-first"])
def test_a_file_changed_while_it_is_read_gets_no_entry(big, nt_file, compiled_cache_in_tmp, monkeypatch):
    if big:
        monkeypatch.setattr(compiled, "HASH_WHILE_READING_BYTES", 0)

    def read_and_touch(where):
        graph = open_rdf_columns(where)
        with open(where, "ab") as handle:
            handle.write(b"# changed\n")
        return graph
    graph = compiled.open_file_cached(nt_file, "nt", read_and_touch)
    assert len(graph.edges) > 0
    assert _entries(compiled_cache_in_tmp) == []


def _steps(released: threading.Event, seen: list):
    """A hash of three steps that notes the thread and priority of each; the first waits for ``released``."""
    for step in range(3):
        seen.append((step, threading.get_ident(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        if step == 0:
            released.wait(10)
        yield
    return "k" * 40


def _started(seen: list) -> None:
    for _ in range(1000):
        if seen:
            return
        time.sleep(0.01)
    raise AssertionError("the hashing thread never started")


def test_the_caller_takes_over_the_steps_left():
    released, seen = threading.Event(), []
    hashing = BackgroundKey(_steps(released, seen))
    _started(seen)  # the thread is inside step 0 when the caller asks
    threading.Timer(0.2, released.set).start()
    assert hashing.result() == "k" * 40
    assert [step for step, _, _ in seen] == [0, 1, 2]
    assert seen[0][1] != threading.get_ident() and seen[-1][1] == threading.get_ident()


def test_a_cancelled_hash_stops_and_closes_its_file(nt_file):
    from mtorgraph.io.compiled import _file_key_steps

    steps = _file_key_steps([nt_file], "prefix")
    hashing = BackgroundKey(steps)
    hashing.cancel()
    assert not _key_threads()
    with pytest.raises(StopIteration):
        next(steps)  # closed: nothing more is read


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux gives a thread its own nice value")
def test_the_hashing_thread_runs_at_the_lowest_priority():
    main_nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    released, seen = threading.Event(), []
    hashing = BackgroundKey(_steps(released, seen))
    _started(seen)
    released.set()
    hashing.result()
    assert seen[0][2] == 19
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main_nice  # the caller's is unchanged

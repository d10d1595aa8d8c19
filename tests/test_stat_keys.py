"""Cache keys are hashed from the bytes once, then found by the files' status; an edit always misses."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from mtorgraph.cli import main
from mtorgraph.io import compiled, stat_keys

from .conftest import MINI


def _show(runner, graph, name="ketamine"):
    result = runner.invoke(main, ["--graph", str(graph), "show", name, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def graph(tmp_path):
    path = tmp_path / "g.yaml"
    shutil.copy(MINI, path)
    return path


def test_a_settled_file_is_hashed_once(runner, graph, compiled_cache_in_tmp, monkeypatch):
    monkeypatch.setattr(stat_keys, "_SETTLE_SECONDS", 0.0)
    first = _show(runner, graph)
    assert list((compiled_cache_in_tmp / ".keys").iterdir())

    def no_reading(*args, **kwargs):
        raise AssertionError("the key should have been remembered, not hashed again")
    monkeypatch.setattr(compiled, "read_input_bytes", no_reading)
    assert _show(runner, graph) == first


def test_an_edit_that_keeps_size_and_mtime_still_misses(runner, graph, monkeypatch):
    monkeypatch.setattr(stat_keys, "_SETTLE_SECONDS", 0.0)
    assert _show(runner, graph)["entity"]["name"] == "ketamine"
    before = os.stat(graph)
    text = graph.read_text(encoding="utf-8")
    edited = text.replace('label: "ketamine", name: "ketamine"', 'label: "ketamine", name: "KETAMINE"')
    assert edited != text and len(edited) == len(text)
    graph.write_text(edited, encoding="utf-8")
    os.utime(graph, ns=(before.st_atime_ns, before.st_mtime_ns))  # size and mtime as they were
    assert _show(runner, graph)["entity"]["name"] == "KETAMINE"


def test_a_file_changed_just_now_is_not_remembered(runner, graph, compiled_cache_in_tmp):
    _show(runner, graph)  # the copy was written a moment ago: within the settling time
    assert not (compiled_cache_in_tmp / ".keys").exists() or not list((compiled_cache_in_tmp / ".keys").iterdir())


def test_a_garbled_remembered_key_is_ignored(runner, graph, compiled_cache_in_tmp, monkeypatch):
    monkeypatch.setattr(stat_keys, "_SETTLE_SECONDS", 0.0)
    first = _show(runner, graph)
    for entry in (compiled_cache_in_tmp / ".keys").iterdir():
        entry.write_text("not a key\n", encoding="ascii")
    assert _show(runner, graph) == first

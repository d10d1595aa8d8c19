"""Shared fixtures: paths to test data, the mini graph, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorgraph import MechanismGraph, load_graph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MINI = DATA / "mini.yaml"


@pytest.fixture(autouse=True)
def compiled_cache_in_tmp(tmp_path_factory, monkeypatch) -> Path:
    """Point the compiled cache at a fresh folder, so tests never touch ~/.cache."""
    folder = tmp_path_factory.mktemp("mtorgraph-cache")
    monkeypatch.setenv("MTORGRAPH_CACHE_DIR", str(folder))
    monkeypatch.delenv("MTORGRAPH_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def mini() -> MechanismGraph:
    """The tiny test graph with the paradox planted in it."""
    return load_graph(MINI)


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that keeps stderr apart from stdout."""
    return CliRunner()

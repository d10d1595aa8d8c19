"""Shared fixtures: paths to test data, the mini graph, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorgraph import MechanismGraph, load_graph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MINI = DATA / "mini.yaml"


@pytest.fixture
def mini() -> MechanismGraph:
    """The tiny test graph with the paradox planted in it."""
    return load_graph(MINI)


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that keeps stderr apart from stdout."""
    return CliRunner()

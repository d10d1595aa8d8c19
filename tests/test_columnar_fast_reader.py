"""The fast curated reader (rapidyaml + checks over columns) gives exactly what the exact reader
gives, or hands the graph to it: the same graphs, the same ``validate`` output, every fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.io import bundled_graph_path, load_graph
from mtorgraph.io.curated import validate_curated
from mtorgraph.io.curated_fast import FastResult, read_fast, validate_fast

from .columnar_graphs import curated_graphs
from .conftest import DATA

INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = [bundled_graph_path(), *sorted(DATA.glob("*.yaml"))]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixtures_same_graph(path):
    fast = read_fast(path).graph
    exact = load_graph(path)
    if fast is not None:
        assert fast.to_model() == exact
    assert validate_fast(path) == validate_curated(path)


def test_fast_path_answers_on_clean_graphs():
    """The fixtures without warnings are read by the fast path itself (no hand-over)."""
    assert read_fast(DATA / "other.yaml").graph is not None
    assert read_fast(DATA / "no_rapamycin.yaml").graph is not None


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixtures_same_validate_output(path, runner, monkeypatch):
    assert read_fast(path).graph is None
    for fmt in ("table", "json", "tsv"):
        fast = runner.invoke(main, ["--no-cache", "validate", str(path), "--format", fmt])
        with monkeypatch.context() as patch:  # the fast path gives up at once: the exact reader answers
            patch.setattr("mtorgraph.io.curated_fast.read_fast", lambda *a, **k: FastResult(None, []))
            exact = runner.invoke(main, ["--no-cache", "validate", str(path), "--format", fmt])
        assert (fast.exit_code, fast.stdout, fast.stderr) == (exact.exit_code, exact.stdout, exact.stderr)
        assert fast.exit_code == 1


@pytest.mark.parametrize("note, why", [
    ("~", "tilde is null in YAML 1.2"), ("True", "capital boolean"), ("2020-01-01", "a date"),
    ("0x1F", "hex integer"), ("012", "leading zero"), ("\"\\a\"", "control escape"), ("&x here", "an anchor"),
    ("!!str tagged", "a tag"),
])
def test_odd_yaml_goes_to_the_exact_reader(tmp_path, note, why):
    lines = (DATA / "other.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "evidence:")
    lines.insert(at, f"    note: {note}")
    target = tmp_path / "g.yaml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_fast(target).graph is None, why
    assert validate_fast(target) == validate_curated(target)


def test_directive_goes_to_the_exact_reader(tmp_path):
    target = tmp_path / "g.yaml"
    target.write_text("%YAML 1.1\n---\n" + (DATA / "other.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert read_fast(target).graph is None
    assert validate_fast(target) == validate_curated(target)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=curated_graphs())
def test_random_graphs_same_both_ways(text, tmp_path_factory):
    path = tmp_path_factory.mktemp("fast") / "g.yaml"
    path.write_text(text, encoding="utf-8")
    exact = load_graph(path)
    fast = read_fast(path).graph
    if fast is not None:
        assert fast.to_model() == exact
        assert ColumnarGraph.from_model(exact).to_model() == fast.to_model()
    assert validate_fast(path) == validate_curated(path)


def test_random_graphs_mostly_take_the_fast_path(tmp_path):
    """Guards against a fast path that always gives up (which would pass the tests above)."""
    from hypothesis import find

    assert read_fast(DATA / "other.yaml").graph is not None  # a plain fixture takes the fast path
    # derandomized: the same examples every run, so the guard cannot fail by an unlucky draw
    found = find(curated_graphs(), lambda text: _fast_ok(text, tmp_path),
                 settings=settings(max_examples=300, deadline=None, derandomize=True,
                                   suppress_health_check=list(HealthCheck)))
    assert found


def _fast_ok(text: str, tmp: Path) -> bool:
    path = tmp / "probe.yaml"
    path.write_text(text, encoding="utf-8")
    return read_fast(path).graph is not None and len(load_graph(path).edges) >= 3


@pytest.mark.parametrize("change", ["crlf", "bom", "two-documents"])
def test_unusual_files_same_answer(tmp_path, change):
    text = (DATA / "other.yaml").read_text(encoding="utf-8")
    text = {"crlf": text.replace("\n", "\r\n"), "bom": "\ufeff" + text,
            "two-documents": text + "---\ntitle: again\n"}[change]
    target = tmp_path / "g.yaml"
    target.write_bytes(text.encode("utf-8"))
    fast = read_fast(target).graph
    if fast is not None:
        assert fast.to_model() == load_graph(target)
    assert validate_fast(target) == validate_curated(target)
